"""Locale typography: quotation marks and punctuation spacing, for translated text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tirage.editions.typography import apply_typography, typography_for
from tirage.text.protect import find_protected

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
        ("en", "Lyon's network", "Lyon’s network"),
        ("fr", "l'art d'aujourd'hui", "l’art d’aujourd’hui"),
        ("fr", "L'*Hypertext* et l'_art_", "L’*Hypertext* et l’_art_"),
        ("en", "'quoted' and '90s", "'quoted' and '90s"),  # not between letters
        ("ja", "it's", "it's"),
        ("xx", '"unknown" ?', '"unknown" ?'),
    ],
)
def test_typography(lang: str, text: str, expected: str) -> None:
    assert apply_typography(text, lang) == expected


def test_markup_is_protected() -> None:
    text = 'Run `print("x")` and see [this](http://x.org "t") : <b class="a">"ok"</b>'
    out = apply_typography(text, "fr")
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


def test_template_macros_come_out_as_written() -> None:
    """Seen on an MDN page: the export curled the quotes inside every {{macro(…)}}."""
    text = (
        'Un {{glossary("protocol", "protocole")}} et l\'en-tête {{HTTPHeader("WWW-Authenticate")}}'
        ' : "voir" {% include "a.html" %}, ${user\'s} et %(name)s.'
    )
    out = apply_typography(text, "fr")
    for macro in [
        '{{glossary("protocol", "protocole")}}',
        '{{HTTPHeader("WWW-Authenticate")}}',
        '{% include "a.html" %}',
        "${user's}",
        "%(name)s",
    ]:
        assert macro in out
    assert f"«{NB}voir{NB}»" in out and "l’en-tête" in out


def test_quotes_pair_up_around_protected_spans() -> None:
    out = apply_typography('Lancez "`make`" puis "{{cmd("x")}} ok"', "fr")
    assert out == f'Lancez «{NB}`make`{NB}» puis «{NB}{{{{cmd("x")}}}} ok{NB}»'


def test_apostrophes_spare_code_urls_and_kept_names() -> None:
    text = "Le Clust'R d'ici, `it's`, https://x.org/l'Europe et <a title='x'>l'art</a>"
    out = apply_typography(text, "fr", keep=["Clust'R"])
    assert out == ("Le Clust'R d’ici, `it's`, https://x.org/l'Europe et <a title='x'>l’art</a>")
    assert apply_typography("Clust'R's plan", "en", keep=["Clust'R"]) == "Clust'R’s plan"


# Syntax and prose a translator or an engine may produce, mixed at random.
_SYNTAX = [
    '{{glossary("a", "b")}}',
    '{% if x == "y" %}',
    "${it's}",
    "{name}",
    "%(count)d",
    '`say("hi") ; ok`',
    "https://ex.org/l'a?b=1",
    "ex@mple.org",
    "[lien](https://x.org \"titre : 't'\")",
    "[texte][label-1]",
    "<span class=\"a 'b'\">",
    "</span>",
    "Clust'R",
]
_PROSE = [" ", "mot", "l'art", '"', "'", "«", "»", " ?", " !", ":", ";", "“", "”", "„", ".", "\n"]


@given(
    st.lists(st.sampled_from(_SYNTAX + _PROSE), max_size=16),
    st.sampled_from(["fr", "en", "de", "es", "ja", "pt_BR"]),
)
def test_protected_spans_come_out_byte_for_byte(tokens: list[str], lang: str) -> None:
    """Property: whatever the translation, each protected span is in the output, in order."""
    text = "".join(tokens)
    out = apply_typography(text, lang, keep=["Clust'R"])
    position = 0
    for start, end in find_protected(text, ["Clust'R"]):
        found = out.find(text[start:end], position)
        assert found >= 0, (text[start:end], out)
        position = found + end - start
