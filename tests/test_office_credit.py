"""The credit line of DOCX and ODT editions, read back through LibreOffice's text export."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from office_corpus import OFFICE_DIR, SOFFICE, convert, pseudo_translations, read
from tirage.cli import main
from tirage.editions.docx import render_docx
from tirage.editions.odt import render_odt
from tirage.editions.render import Translations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CREDIT = "Übersetzt aus dem Französischen von Jane Doe, 26. November 2026."
SOURCES = [
    OFFICE_DIR / "socialgouv-rupture_commun_accord_du_cdd.docx",  # a table, then a final w:sectPr
    OFFICE_DIR / "pitchou-mail-saisine-cnpn.odt",
    OFFICE_DIR / "fr" / "interview-thierry-alvergnat.docx",
    OFFICE_DIR / "fr" / "interview-thierry-alvergnat.odt",
]


def _edition(path: Path, translations: Translations, credit: str) -> bytes:
    doc = read(path, "fr")
    if path.suffix == ".docx":
        return render_docx(doc, translations, "de", "fr", credit=credit)
    return render_odt(doc, translations, "de", "fr", credit=credit)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_credit_is_the_last_paragraph_of_the_body(tmp_path: Path) -> None:
    editions = []
    for path in SOURCES:
        edition = tmp_path / "editions" / f"{path.stem}-{path.suffix[1:]}{path.suffix}"
        edition.parent.mkdir(exist_ok=True)
        edition.write_bytes(_edition(path, pseudo_translations(read(path, "fr")), CREDIT))
        editions.append(edition)
    texts = convert(editions, "txt:Text (encoded):UTF8", tmp_path / "txt")
    for edition in editions:
        lines = [x for x in texts[edition].read_text(encoding="utf-8-sig").splitlines() if x]
        assert lines[-1].strip() == CREDIT, edition.name
        assert sum(CREDIT in line for line in lines) == 1


def test_docx_credit_sits_before_the_section_and_says_its_language() -> None:
    path = SOURCES[0]
    data = _edition(path, pseudo_translations(read(path, "fr")), CREDIT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(W + "body")
    assert body[-1].tag == W + "sectPr"
    credit = body[-2]
    assert "".join(credit.itertext()) == CREDIT
    assert credit.find(f"{W}r/{W}rPr/{W}lang").get(W + "val") == "de"
    assert credit.find(f"{W}pPr/{W}sectPr") is None and credit.find(f"{W}pPr/{W}numPr") is None


def test_nothing_translated_is_the_source_even_with_a_credit() -> None:
    for path in SOURCES[:2]:
        assert _edition(path, Translations(), CREDIT) == path.read_bytes()


def test_export_writes_the_credit_from_the_catalog(tmp_path: Path) -> None:
    ws = tmp_path
    (ws / "source").mkdir()
    for path in SOURCES[2:]:
        (ws / "source" / f"{path.stem}-{path.suffix[1:]}{path.suffix}").write_bytes(
            path.read_bytes()
        )
    (ws / "tirage.toml").write_text('source_language = "fr"\ntarget_languages = ["de"]\n')
    runner = CliRunner()
    for args in (["update"], ["translate", "--engine", "pseudo"]):
        result = runner.invoke(main, [*args, "--workspace", str(ws)])
        assert result.exit_code == 0, result.output
    for po in (ws / "locales" / "de").glob("*.po"):
        text = po.read_text(encoding="utf-8")
        text = re.sub(
            r'"Last-Translator: [^"]*"', r'"Last-Translator: Jane Doe <j@d.org>\\n"', text
        )
        po.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["export", "--include-fuzzy", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    docx = ws / "editions/de/interview-thierry-alvergnat-docx.docx"
    odt = ws / "editions/de/interview-thierry-alvergnat-odt.odt"
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode()
    with zipfile.ZipFile(odt) as archive:
        content = archive.read("content.xml").decode()
    expected = "Übersetzt aus dem Französischen von Jane Doe"
    for text in (document, content):
        assert expected in text
        assert "Einige Passagen sind noch nicht geprüft." in text
