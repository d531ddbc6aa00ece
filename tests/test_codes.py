"""Inline codes: what markup a msgid holds, how pairs are numbered, and that the pieces
always join back into the msgid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.interchange.codes import END, PH, START, Code, join, markup_kind, split_codes


def _codes(text: str, kind: str) -> list[tuple[str, str, str]]:
    return [(p.id, p.kind, p.data) for p in split_codes(text, kind) if isinstance(p, Code)]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            "Le <em>chat</em> dort<br> ici.",
            "html",
            [("1", START, "<em>"), ("1", END, "</em>"), ("2", PH, "<br>")],
        ),
        (
            "<b>gras <i>mêlé</b> italique</i>",
            "html",
            [("1", START, "<b>"), ("2", START, "<i>"), ("1", END, "</b>"), ("2", END, "</i>")],
        ),
        ("fin</em> puis <strong>début", "html", [("1", END, "</em>"), ("2", START, "<strong>")]),
        ("R&amp;D", "html", [("1", PH, "&amp;")]),
        ("R&D et <b> en texte brut", "text", []),  # plain text has no HTML
        (
            "Voir **ceci** et [le site](https://example.org) : `make` {name} %d",
            "markdown",
            [
                ("1", START, "**"),
                ("1", END, "**"),
                ("2", START, "["),
                ("2", END, "](https://example.org)"),
                ("3", PH, "`make`"),
                ("4", PH, "{name}"),
                ("5", PH, "%d"),
            ],
        ),
        ("5 * 3 = 15 et snake_case_name", "markdown", []),
    ],
)
def test_markup_and_pairs(text: str, kind: str, expected: list[tuple[str, str, str]]) -> None:
    assert _codes(text, kind) == expected
    assert join(split_codes(text, kind)) == text


def test_markup_kind_comes_from_the_reference() -> None:
    assert markup_kind("source/page.html:12") == "html"
    assert markup_kind("source/notes.md:3") == "markdown"
    assert markup_kind("source/interview.txt:1") == "text"


@given(
    st.text(alphabet=st.sampled_from(list("ab <>/&;*_`[]()%{}ds.:")), max_size=40),
    st.sampled_from(["text", "markdown", "html"]),
)
def test_pieces_always_join_back_into_the_text(text: str, kind: str) -> None:
    assert join(split_codes(text, kind)) == text


_ALPHABET = list("ab <>/&;*_`[]()%{}ds.:\n\r\x01")
_MARKUP_TEXT = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=30)


@settings(max_examples=150, deadline=None)
@given(_MARKUP_TEXT.filter(str.strip), _MARKUP_TEXT, st.sampled_from(["notes.md", "page.html"]))
def test_any_markup_survives_export_and_import_unchanged(
    msgid: str, msgstr: str, source: str
) -> None:
    """Whatever markup, an exported unit validates and comes back as exported (kept).
    XLIFF 1.2 has no way to write a control character (2.1 has <cp/>): there, only valid."""
    import tempfile
    from pathlib import Path

    import polib

    from test_xliff import assert_valid
    from tirage.interchange.xliff import build_units, write_xliff
    from tirage.interchange.xliff_import import ImportReport, apply_unit, read_xliff

    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(f"source/{source}", "1")])
    po = polib.POFile()
    po.append(entry)
    for version in ("2.1", "1.2"):
        text = write_xliff(
            build_units(po), version=version, src_lang="fr", tgt_lang="en", doc="d", original="x"
        )
        assert_valid(text, version)
        if version == "1.2" and ("\x01" in msgid + msgstr or "\r" in msgid + msgstr):
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "d.xlf"
            path.write_text(text, encoding="utf-8")
            (unit,) = read_xliff(path).units
        report = ImportReport(path, path)
        assert not apply_unit(unit, entry, report)
        assert report.kept == [unit.id], report.refused
