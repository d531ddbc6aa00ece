"""Readers: each source in tests/data/readers (and the interview) against its expected .pot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.catalog import build_template
from tirage.errors import SourceError
from tirage.po.pofile import format_po
from tirage.readers import read_document
from tirage.readers.segments import normalise, translatable
from tirage.text.addresses import EMAIL, URL, without_addresses

from conftest import DATA, INTERVIEW, REPO
from gettext_tools import assert_canonical, requires_gettext
from golden import assert_golden

READER_CASES = sorted(
    p for p in (DATA / "readers").iterdir() if p.suffix in (".txt", ".md", ".html")
)


def interview() -> Path:
    return REPO / "source" / f"{INTERVIEW}.txt"


@pytest.mark.parametrize(
    ("source", "root"),
    [(interview(), REPO), *((p, p.parent) for p in READER_CASES)],
    ids=lambda v: v.name if isinstance(v, Path) and v.is_file() else "",
)
def test_reader_golden_template(source: Path, root: Path) -> None:
    doc = read_document(source, root)
    assert_golden(format_po(build_template(doc)), DATA / "readers" / f"{source.name}.expect.pot")


@requires_gettext
@pytest.mark.parametrize("expected", sorted((DATA / "readers").glob("*.expect.pot")), ids=str)
def test_golden_templates_are_canonical(expected: Path) -> None:
    assert_canonical(expected)


def test_interview_roles() -> None:
    doc = read_document(interview(), REPO)
    roles = [b.role for b in doc.blocks]
    assert roles[:5] == ["kicker", "title", "breadcrumb", "title", "standfirst"]
    assert roles[-1] == "breadcrumb"
    assert roles.count("question") == 6
    assert roles.count("answer") == 6
    questions = [b for b in doc.blocks if b.role == "question"]
    assert questions[0].segments[0].text.startswith("Comment les clusters")
    assert [b.attrs.get("repeat") for b in doc.blocks].count("1") == 2


def test_page_break_is_one_segment() -> None:
    doc = read_document(interview(), REPO)
    broken = [s for s in doc.segments() if len(s.pieces) > 1]
    assert [s.text for s in broken] == ["L'enjeu de la mondialisation devrait aider."]
    (first, second) = broken[0].pieces
    assert doc.text[first[0] : first[1]] == "L'enjeu"
    assert doc.text[second[0] : second[1]] == "de la mondialisation devrait aider."


def test_repeated_blocks_share_one_entry_with_two_references() -> None:
    pot = build_template(read_document(interview(), REPO))
    title = next(e for e in pot if e.msgid.startswith("Thierry Alvergnat :"))
    assert [line for _, line in title.occurrences] == ["2", "5"]
    crumb = pot.find("Lyon # Réseaux d'accompagnement")
    assert crumb is not None and [line for _, line in crumb.occurrences] == ["3", "42"]
    assert len({e.msgid for e in pot}) == len(pot)


def test_segment_spans_are_exact_source_text() -> None:
    doc = read_document(interview(), REPO)
    for segment in doc.segments():
        joined = " ".join(doc.text[s:e] for s, e in segment.pieces)
        assert " ".join(joined.split()) == segment.text


def test_markdown_translatable_and_not() -> None:
    doc = read_document(DATA / "readers" / "article.md", DATA / "readers")
    texts = [s.text for s in doc.segments()]
    roles = {s.role for s in doc.segments()}
    assert {"front_matter", "heading", "paragraph", "list_item", "quote", "table_cell"} <= roles
    assert "Le numérique à Lyon" in texts  # front matter title, quotes removed
    assert not any("Jean Dupont" in t or "2015-05-12" in t for t in texts)  # other keys
    assert not any("Ceci n'est pas traduit" in t for t in texts)  # a code block
    assert "Bloc HTML." in texts  # an HTML block goes through the HTML reader
    assert "https://example.com/seul" not in texts
    assert "Le numérique en *Rhône-Alpes*" in texts  # inline markup kept as written
    assert any("[compétences](https://example.com/a.b?x=1)" in t for t in texts)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.txt", "Élégant.\n".encode("latin-1"), "not UTF-8 text"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        ("empty.md", b"  \n\n", "empty document"),
        ("notes.docx", b"PK\x03\x04", "not a DOCX package"),
        ("notes.rtf", b"{\\rtf1}", "unknown source format '.rtf'"),
    ],
)
def test_bad_sources_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        read_document(path, tmp_path)
    assert message in caught.value.format()
    assert caught.value.format().startswith(str(path))


def test_non_utf8_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Une ligne.\n\nDeux lignes \xe9.\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_document(path, tmp_path)
    assert caught.value.format().startswith(f"{path}:3: not UTF-8")


def test_bad_front_matter_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: ok\ndescription: [unclosed\n---\n\nTexte.\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_document(path, tmp_path)
    assert "invalid YAML front matter" in caught.value.format()
    assert caught.value.line is not None


WORDS = st.sampled_from(
    [
        "la",
        "province",
        "M.",
        "Mme",
        "etc.",
        "3,5",
        "«",
        "»",
        "?",
        "!",
        "…",
        "Lyon",
        "R&D",
        "https://x.fr/a.b",
        "l'enjeu",
        "de",
        "numérique",
        "Rhône-Alpes",
        ":",
        ";",
        "a.",
        "Le",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(lambda s: ". ".join(s) + ".")
SEPARATOR = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(PARAGRAPH, SEPARATOR), min_size=1, max_size=6))
def test_segments_and_separators_reconstitute_the_text(
    tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[str, str]]
) -> None:
    text = "".join(p + sep for p, sep in parts)
    path = tmp_path_factory.mktemp("prop") / "doc.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path, path.parent)
    pieces = [piece for segment in doc.segments() for piece in segment.pieces]
    rebuilt, position = [], 0
    for start, end in pieces:
        assert start >= position  # in order, no overlap
        gap = text[position:start]
        # Between segments there is only space, or text with no words (left untranslated).
        assert not translatable(gap), gap
        rebuilt += [gap, text[start:end]]
        position = end
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == text
    for segment in doc.segments():
        assert segment.text == " ".join(" ".join(text[s:e] for s, e in segment.pieces).split())


def _md_segments(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return [s.text for s in read_document(path, tmp_path).segments()]


def test_emphasised_paragraph_is_cut_inside_its_marks(tmp_path: Path) -> None:
    """Seen on a real page: each sentence of a paragraph in *…* carried one orphan *."""
    texts = _md_segments(tmp_path, "*Une première phrase. Une seconde phrase.*\n")
    assert texts == ["Une première phrase.", "Une seconde phrase."]


def test_emphasis_across_sentences_stays_whole(tmp_path: Path) -> None:
    texts = _md_segments(tmp_path, "Début. Il dit *non. Puis oui* et part. Fin.\n")
    assert texts == ["Début.", "Il dit *non. Puis oui* et part.", "Fin."]


def test_term_line_is_its_own_segment(tmp_path: Path) -> None:
    """Seen: a list item's term line was merged with the definition's first sentence."""
    text = "- _[Cache](/fr/docs/Glossary/Cache)_\n  Un stockage temporaire. Il sert.\n"
    texts = _md_segments(tmp_path, text)
    assert texts == ["_[Cache](/fr/docs/Glossary/Cache)_", "Un stockage temporaire.", "Il sert."]


def test_footnote_text_without_its_marker(tmp_path: Path) -> None:
    text = "Une phrase[^1].\n\n[^1]: La note de bas de page.\n"
    assert _md_segments(tmp_path, text) == ["Une phrase[^1].", "La note de bas de page."]


def test_reference_definition_keeps_url_and_translates_title(tmp_path: Path) -> None:
    text = 'Voir [le guide][g].\n\n[g]: https://ex.org/guide "Le guide complet"\n'
    assert _md_segments(tmp_path, text) == ["Voir [le guide][g].", "Le guide complet"]
    doc = read_document(tmp_path / "page.md", tmp_path)
    title = doc.segments()[-1]
    assert doc.text[title.span[0] - 1] == '"' and doc.text[title.span[1]] == '"'


def test_emphasised_first_line_of_a_running_sentence_is_not_a_term(tmp_path: Path) -> None:
    texts = _md_segments(tmp_path, "*Le début d'une phrase*\nqui continue ici.\n")
    assert texts == ["*Le début d'une phrase* qui continue ici."]


_WHITESPACE = st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2002\u2028\u3000")
_TEXT = st.lists(
    st.one_of(
        _WHITESPACE, st.characters(), st.sampled_from(["https://x.fr/a", "www.", "@", "a@b.fr"])
    )
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_normalise_is_one_space_for_each_run_of_regex_whitespace(text: str) -> None:
    assert normalise(text) == re.sub(r"\s+", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_without_addresses_is_both_patterns_applied(text: str) -> None:
    """Looking for `://`, `www.` and `@` first only skips patterns that cannot match."""
    assert without_addresses(text, "_") == EMAIL.sub("_", URL.sub("_", text))
