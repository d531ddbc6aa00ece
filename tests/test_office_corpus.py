"""The office corpus (tests/data/office, documents by others) against LibreOffice itself.

For every file: the untranslated edition is the source byte for byte; no word LibreOffice's
own text export shows is missing from the catalog; a pseudo-translated edition opens in
LibreOffice, shows every translated sentence in its PDF, has the same number of pages
(± 20 %, at least one page of slack) and the same paragraphs, tables and images as the
source. LibreOffice runs three times for the whole corpus (a few seconds a run).
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
}
UNSEEN_ROLES = {"alt", "title", "subject", "description"}  # not printed on a page


@dataclass
class Converted:
    source_txt: dict[Path, Path]
    source_pdf: dict[Path, Path]
    edition_pdf: dict[Path, Path]
    editions: dict[Path, Path]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    root = tmp_path_factory.mktemp("office")
    editions: dict[Path, Path] = {}
    (root / "editions").mkdir()
    for path in CORPUS:
        doc = read(path)
        edition = root / "editions" / path.name
        edition.write_bytes(render(doc, pseudo_translations(doc)))
        editions[path] = edition
    source_txt = convert(CORPUS, "txt:Text (encoded):UTF8", root / "txt")
    source_pdf = convert(CORPUS, "pdf", root / "source-pdf")
    edition_pdf = convert(list(editions.values()), "pdf", root / "edition-pdf")
    return Converted(
        source_txt,
        source_pdf,
        {path: edition_pdf[editions[path]] for path in CORPUS},
        editions,
    )


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 12
    assert {p.suffix for p in CORPUS} == {".docx", ".odt"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_untranslated_edition_is_the_source(path: Path) -> None:
    assert render(read(path), Translations()) == path.read_bytes()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_no_visible_text_is_missing_from_the_catalog(path: Path, converted: Converted) -> None:
    shown = words(converted.source_txt[path].read_text(encoding="utf-8-sig"))
    catalog = words(" ".join(visible(s.text) for s in read(path).segments()))
    assert shown - catalog - NOT_TEXT.get(path.name, set()) == set()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_pseudo_edition_opens_with_the_same_layout(path: Path, converted: Converted) -> None:
    pdf = converted.edition_pdf[path]
    assert pdf.is_file(), f"LibreOffice could not open the edition of {path.name}"
    source_pages, pages = pdf_pages(converted.source_pdf[path]), pdf_pages(pdf)
    assert abs(pages - source_pages) <= max(1, round(0.2 * source_pages))
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
