"""Property: for any document the readers accept, export with an empty catalog is the
identity, and with a full catalog every byte outside the segments survives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tirage.document import Document
from tirage.editions import Translations, render_markdown, render_text
from tirage.editions.markdown import adds_markup
from tirage.editions.render import FALLBACK_START, apply_edits, segment_edits
from tirage.errors import SourceError
from tirage.readers.markdown import read_markdown
from tirage.readers.text import read_text
from tirage.text.protect import find_protected

WORDS = [
    "Lyon",
    "le",
    "numérique",
    "M.",
    "région",
    "«",
    "»",
    "?",
    "!",
    ":",
    "a",
    "R&D",
    "**gras**",
    "`code`",
    "[lien](u)",
    "#",
    "-",
    ">",
    "|",
    "1.",
    "é",
    "\t",
    "L'enjeu",
]
_line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
_ending = st.sampled_from([".", "?", "", " !", "…"])
_paragraph = st.lists(st.tuples(_line, _ending).map("".join), min_size=1, max_size=4).map("\n".join)
_prefix = st.sampled_from(["", "# ", "## ", "- ", "> ", "1. ", "    ", "| a | b |\n|---|---|\n| "])
_markdown_block = st.tuples(_prefix, _paragraph).map("".join)
_separator = st.sampled_from(["\n\n", "\n\n\n", "\n", "\n\n```\ncode ?\n```\n\n"])


def documents(kind: str) -> st.SearchStrategy[str]:
    block = _paragraph if kind == ".txt" else _markdown_block
    front = st.sampled_from(["", "---\ntitle: Un titre\ndescription: 'Une description'\n---\n"])
    body = st.lists(st.tuples(block, _separator), min_size=1, max_size=6).map(
        lambda parts: "".join(b + s for b, s in parts)
    )
    tail = st.sampled_from(["", "\n", "\r\n"])
    if kind == ".txt":
        return st.tuples(body, tail).map("".join)
    return st.tuples(front, body, tail).map("".join)


def read(kind: str, text: str) -> Document | None:
    reader = read_markdown if kind == ".md" else read_text
    try:
        return reader(Path(f"doc{kind}"), f"source/doc{kind}", text, "fr")
    except SourceError:
        return None


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([".txt", ".md"]).flatmap(lambda k: st.tuples(st.just(k), documents(k))))
def test_empty_catalog_is_identity(case: tuple[str, str]) -> None:
    kind, text = case
    doc = read(kind, text)
    if doc is None:
        return
    render = render_text if kind == ".txt" else render_markdown
    assert render(doc, Translations(), "en") == text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([".txt", ".md"]).flatmap(lambda k: st.tuples(st.just(k), documents(k))))
def test_bytes_outside_segments_survive(case: tuple[str, str]) -> None:
    kind, text = case
    doc = read(kind, text)
    if doc is None:
        return
    # Every segment translated to a marker: the edition is the source with exactly those
    # spans replaced.
    marker = FALLBACK_START
    edits = [e for s in doc.segments() for e in segment_edits(text, s, marker)]
    expected = apply_edits(text, edits)
    translations = Translations.from_dict({s.text: marker for s in doc.segments()})
    render = render_text if kind == ".txt" else render_markdown
    assert render(doc, translations, "xx") == expected
    assert expected.count(marker) == len(doc.segments())


# What a translator or an engine may put in a translation: prose with quotation marks and
# apostrophes, and syntax that must come out as written.
_TRANSLATION_TOKENS = [
    "word",
    "l'art",
    '"',
    "'",
    "«",
    "»",
    " ?",
    " :",
    ";",
    '{{glossary("a", "b")}}',
    '{% if x == "y" %}',
    "${it's}",
    "{name}",
    "%(n)s",
    '`say("hi") ; ok`',
    "https://ex.org/l'a?b=1",
    "ex@mple.org",
    "[lien](https://x.org \"t : 't'\")",
    "[texte][label]",
    "<span class=\"a 'b'\">",
    "Clust'R",
]
_translation = st.lists(st.sampled_from(_TRANSLATION_TOKENS), min_size=1, max_size=10).map(" ".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([".txt", ".md"]).flatmap(lambda k: st.tuples(st.just(k), documents(k))),
    st.data(),
    st.sampled_from(["en", "fr", "de"]),
)
def test_protected_spans_of_translations_survive(
    case: tuple[str, str], data: st.DataObject, lang: str
) -> None:
    """Any source, any translation: each protected span of the translation is in the
    edition byte for byte (typography touches prose only)."""
    kind, text = case
    doc = read(kind, text)
    if doc is None or not doc.segments():
        return
    msgstrs = {s.text: data.draw(_translation) for s in doc.segments()}
    render = render_text if kind == ".txt" else render_markdown
    edition = render(doc, Translations.from_dict(msgstrs), lang, keep=["Clust'R"])
    for segment in doc.segments():
        if segment.role in ("table_cell", "front_matter"):
            continue  # escaped for their place: `|` in a cell, YAML quoting
        msgstr = msgstrs[segment.text]
        if kind == ".md" and adds_markup(segment.text, msgstr):
            continue  # markup its source lacks is escaped as text, never published
        for start, end in find_protected(msgstr, ["Clust'R"]):
            assert msgstr[start:end] in edition
