"""The office corpus (tests/data/office, documents by others) against LibreOffice itself.

For every file: the untranslated edition is the source byte for byte; no word LibreOffice's
own text export shows is missing from the catalog; a pseudo-translated edition opens in
LibreOffice, shows every translated sentence in its PDF and has the same paragraphs, tables
and images as the source. Pages: a "copy" edition (every msgstr its msgid, so every unit is
written again with the source's own text) has the source's page count (± 5 %), which tells
layout damage from text growth; the pseudo edition, whose text is about 30 % longer, has at
least as many pages and at most half as many again (plus one). LibreOffice runs three times
for the whole corpus (a few seconds a run; the copies convert with the pseudo editions).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from office_corpus import (
    CORPUS,
    SOFFICE,
    convert,
    pdf_pages,
    pdf_text,
    pseudo_translations,
    read,
    render,
    visible,
    words,
)
from tirage.editions.render import Translations

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# Text LibreOffice's export shows that tirage leaves out by design.
NOT_TEXT = {
    # a code block (style "Source Code", not translated by default)
    "pandoc-codeblock.docx": {"readdocx", "readeroptions", "bytestring", "pandoc"},
    # a paragraph hidden by its style: the text export has it, the page does not
    "pandoc-hiddenTextByStyle.odt": {"hidden", "text"},
    # a sentence its author set in the character style "Source Text" (LibreOffice's code
    # style, not translated by default; tirage.toml's untranslated_styles can say otherwise)
    "pitchou-mail-saisine-cnpn.odt": {
        "les",
        "visées",
        "présente",
        "sont",
        "suivantes",
        "demandeur",
    },
}
# A link standing alone is not translated (nothing in it is language); nor is a note's
# citation, which LibreOffice's text export glues to the word before it ("Souriant" + "i").
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)
UNSEEN_ROLES = {"alt", "title", "subject", "description"}  # not printed on a page


@dataclass
class Converted:
    source_txt: dict[Path, Path]
    source_pdf: dict[Path, Path]
    edition_pdf: dict[Path, Path]
    editions: dict[Path, Path]
    copy_pdf: dict[Path, Path]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    root = tmp_path_factory.mktemp("office")
    editions: dict[Path, Path] = {}
    copies: dict[Path, Path] = {}
    (root / "editions").mkdir()
    for path in CORPUS:
        doc = read(path)
        editions[path] = edition = root / "editions" / path.name
        edition.write_bytes(render(doc, pseudo_translations(doc)))
        # Every unit written again with its own text: layout damage, without text growth.
        copies[path] = copy = root / "editions" / f"copy-{path.name}"
        copy.write_bytes(
            render(doc, Translations.from_dict({s.text: s.text for s in doc.segments()}))
        )
    source_txt = convert(CORPUS, "txt:Text (encoded):UTF8", root / "txt")
    source_pdf = convert(CORPUS, "pdf", root / "source-pdf")
    pdf = convert([*editions.values(), *copies.values()], "pdf", root / "edition-pdf")
    return Converted(
        source_txt,
        source_pdf,
        {path: pdf[editions[path]] for path in CORPUS},
        editions,
        {path: pdf[copies[path]] for path in CORPUS},
    )


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 12
    assert {p.suffix for p in CORPUS} == {".docx", ".odt"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_untranslated_edition_is_the_source(path: Path) -> None:
    assert render(read(path), Translations()) == path.read_bytes()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_no_visible_text_is_missing_from_the_catalog(path: Path, converted: Converted) -> None:
    shown = words(URL.sub(" ", converted.source_txt[path].read_text(encoding="utf-8-sig")))
    catalog = words(" ".join(visible(s.text) for s in read(path).segments()))
    citations = _note_citations(path)
    missing = {
        word
        for word in shown - catalog - NOT_TEXT.get(path.name, set())
        if not any(word.endswith(c) and word[: -len(c)] in catalog for c in citations)
    }
    assert missing == set()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_pseudo_edition_opens_with_the_same_layout(path: Path, converted: Converted) -> None:
    pdf = converted.edition_pdf[path]
    assert pdf.is_file(), f"LibreOffice could not open the edition of {path.name}"
    source_pages, pages = pdf_pages(converted.source_pdf[path]), pdf_pages(pdf)
    # The copy edition (each translation its msgid) has the source's text in rewritten
    # runs: any page it gains or loses is layout damage, so it must match (± 5 %).
    copy_pages = pdf_pages(converted.copy_pdf[path])
    assert abs(copy_pages - source_pages) <= round(0.05 * source_pages)
    # Pseudo text is about 30 % longer (more in narrow table cells): it may only grow so.
    assert source_pages <= pages <= 1.5 * source_pages + 1
    assert _structure(converted.editions[path]) == _structure(path)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_translated_sentence_is_on_the_page(path: Path, converted: Converted) -> None:
    doc = read(path)
    translations = pseudo_translations(doc)
    text = pdf_text(converted.edition_pdf[path])
    printed, run_on = words(text), re.sub(r"\s+", "", text).lower()
    for segment in doc.segments():
        if segment.role in UNSEEN_ROLES:
            continue
        msgstr = translations.choose(segment, include_fuzzy=True) or ""
        # A word cut by a line end in a narrow text box is still there, run on.
        missing = {w for w in words(visible(msgstr)) - printed if w not in run_on}
        assert not missing, segment.text


def _note_citations(path: Path) -> set[str]:
    """The citations of an ODT's notes that are letters ("i", "ii": Roman numerals)."""
    if path.suffix != ".odt":
        return set()
    with zipfile.ZipFile(path) as archive:
        tree = etree.parse(io.BytesIO(archive.read("content.xml")))
    found = tree.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}note-citation")
    return {c.text.lower() for c in found if c.text and c.text.isalpha()}


def _structure(path: Path) -> dict[str, int]:
    """Paragraphs, tables and images of a package's main parts."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or "/_rels/" in name:
                continue
            data = archive.read(name)
            if not data.strip():
                continue
            tree = etree.parse(io.BytesIO(data))
            for element in tree.iter():
                tag = element.tag if isinstance(element.tag, str) else ""
                local = tag.rsplit("}", 1)[-1]
                if local in ("p", "h", "tbl", "table", "drawing", "frame", "image", "blip"):
                    key = f"{name}:{local}"
                    counts[key] = counts.get(key, 0) + 1
    return counts
