"""Locale typography: quotation marks and punctuation spacing, for translated text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tirage.editions.typography import apply_typography, typography_for

NB = "\u00a0"
NNB = "\u202f"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", 'Il a dit "oui" !', f"Il a dit «{NB}oui{NB}»{NNB}!"),
        (
            "fr",
            "Vraiment ? Oui ; non : peut-être.",
            f"Vraiment{NNB}? Oui{NNB}; non{NNB}: peut-être.",
        ),
        ("fr", "«oui»", f"«{NB}oui{NB}»"),
        ("fr", 'A "b “c” d" e', f"A «{NB}b “c” d{NB}» e"),
        ("en", "He said: « yes » !", "He said: “yes”!"),
        ("en", "Really ? Yes ; no : maybe.", "Really? Yes; no: maybe."),
        ("en", 'A "nested “inner” quote" here', "A “nested ‘inner’ quote” here"),
        ("de", 'Er sagte "ja".', "Er sagte „ja“."),
        ("de", "« Ja » !", "„Ja“!"),
        ("es", 'Dijo "sí".', "Dijo «sí»."),
        ("es", "« sí » ?", "«sí»?"),
        ("pt_BR", '"sim"', "“sim”"),
        ("en", "At 10:30, see http://example.org : ok", "At 10:30, see http://example.org: ok"),
        ("fr", "À 10:30, voir http://example.org", "À 10:30, voir http://example.org"),
        ("en", "Clust'R stays", "Clust'R stays"),
        ("xx", '"unknown" ?', '"unknown" ?'),
    ],
)
def test_typography(lang: str, text: str, expected: str) -> None:
    assert apply_typography(text, lang) == expected


def test_markup_is_protected() -> None:
    text = 'Run `print("x")` and see [this](http://x.org "t") : <b class="a">"ok"</b>'
    out = apply_typography(text, "fr", markup=True)
    assert '`print("x")`' in out
    assert '(http://x.org "t")' in out
    assert '<b class="a">' in out
    assert f"«{NB}ok{NB}»" in out


def test_lookup_by_territory() -> None:
    assert typography_for("de-CH") == typography_for("de_CH") != typography_for("de")
    assert typography_for("pt_PT") == typography_for("pt")
    assert typography_for("zz") is None


_TOKENS = [" mot", ' "mot"', " « mot »", " «mot»", " “mot”", " „mot“", " ?", "!", " :", ";", "."]


@given(
    st.lists(st.sampled_from(_TOKENS), max_size=12), st.sampled_from(["fr", "en", "de", "es", "ja"])
)
def test_idempotent(tokens: list[str], lang: str) -> None:
    """Prose with quotations (not arbitrary mark soup) is stable under a second pass."""
    text = "".join(tokens)
    once = apply_typography(text, lang)
    assert apply_typography(once, lang) == once
