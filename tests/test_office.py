"""DOCX and ODT sources and editions: what the catalog holds, what an edition changes, and
what a hostile package gets (one line, exit 1, nothing written)."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from hostile import assert_refused
from office_corpus import CORPUS, OFFICE_DIR, pseudo_translations, read, render, source_lang
from tirage.cli import main
from tirage.editions.render import Translations

from golden import assert_golden

FRENCH = sorted((OFFICE_DIR / "fr").iterdir())
EXPECTED = OFFICE_DIR / "expected"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _catalog(path: Path, lang: str = "en") -> str:
    doc = read(path, lang)
    return "".join(f"{s.line} {s.role}: {s.text}\n" for s in doc.segments())


# -- the reader ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS + FRENCH, ids=lambda p: p.name)
def test_catalog_golden(path: Path) -> None:
    lang = "fr" if path.parent.name == "fr" else source_lang(path)
    assert_golden(_catalog(path, lang), EXPECTED / f"{path.name}.txt")


def test_inline_formatting_becomes_paired_codes() -> None:
    texts = [s.text for s in read(OFFICE_DIR / "pandoc-inline_formatting.docx").segments()]
    assert (
        "Above the line is <sup>superscript</sup> and below the line is <sub>subscript</sub>."
        in texts
    )
    assert "A line<x1/>break." in texts


def test_footnote_reference_is_a_placeholder_and_the_note_an_entry() -> None:
    segments = read(OFFICE_DIR / "pandoc-footnote.odt").segments()
    assert [(s.role, s.text) for s in segments] == [
        ("paragraph", "Some text<x1/> with a footnote."),
        ("footnote", "Footnote text"),
    ]


def test_code_style_is_not_translated_unless_the_settings_say_so(tmp_path: Path) -> None:
    source = OFFICE_DIR / "pandoc-codeblock.docx"
    assert not any("readDocx" in s.text for s in read(source).segments())
    (tmp_path / "source").mkdir()
    copy = tmp_path / "source" / source.name
    copy.write_bytes(source.read_bytes())
    (tmp_path / "tirage.toml").write_text(
        'source_language = "en"\ntarget_languages = ["de"]\n[office]\nuntranslated_styles = []\n'
    )
    from tirage.readers import read_document

    assert any("readDocx" in s.text for s in read_document(copy, tmp_path, "en").segments())


def test_headers_and_footers_are_one_entry_each() -> None:
    doc = read(OFFICE_DIR / "python-docx-hdr-header-footer.docx")
    roles = {s.role for s in doc.segments()}
    assert {"header", "footer"} <= roles


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_splitting_runs_does_not_change_the_catalog(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Word cuts runs anywhere (revision ids, spell-check marks): the POT must not move."""
    source = OFFICE_DIR / "pandoc-inline_formatting.docx"
    parts = _parts(source.read_bytes())
    tree = etree.fromstring(parts["word/document.xml"])
    runs = [
        r
        for r in tree.iter(W + "r")
        if len(r) == len(r.findall(W + "t")) + len(r.findall(W + "rPr"))
        and len(r.findall(W + "t")) == 1
        and len(r.find(W + "t").text or "") > 1
    ]
    for run in runs:
        text = run.find(W + "t")
        value = text.text or ""
        cut = data.draw(st.integers(0, len(value)))
        if cut in (0, len(value)):
            continue
        twin = etree.Element(W + "r", {W + "rsidR": "00ABCDEF"})
        if run.find(W + "rPr") is not None:
            twin.append(etree.fromstring(etree.tostring(run.find(W + "rPr"))))
        rest = etree.SubElement(twin, W + "t")
        text.text, rest.text = value[:cut], value[cut:]
        for t in (text, rest):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.addnext(twin)
        if data.draw(st.booleans()):  # a spell-check mark between the halves
            run.addnext(etree.Element(W + "proofErr", {W + "type": "spellStart"}))
    parts["word/document.xml"] = etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    folder = tmp_path_factory.mktemp("split")
    split = folder / source.name
    with zipfile.ZipFile(split, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert [(s.role, s.text) for s in read(split).segments()] == [
        (s.role, s.text) for s in read(source).segments()
    ]


# -- the edition -----------------------------------------------------------------------------

GERMAN = {
    "Regular text <i>italics </i><b>bold </b><g1>bold italics</g1>.": (
        "Normaler Text <g1>fett kursiv</g1>, <b>fett </b>und <i>kursiv</i>."
    ),
    "A line<x1/>break.": "Ein Zeilen<x1/>umbruch.",
}


def test_docx_edition_golden() -> None:
    doc = read(OFFICE_DIR / "pandoc-inline_formatting.docx")
    data = render(doc, Translations.from_dict(GERMAN))
    document = _parts(data)["word/document.xml"].decode("utf-8")
    assert_golden(document, EXPECTED / "pandoc-inline_formatting.de.document.xml")


def test_odt_edition_golden() -> None:
    doc = read(OFFICE_DIR / "pandoc-footnote.odt")
    german = {"Some text<x1/> with a footnote.": "Etwas Text<x1/> mit einer Fußnote."}
    data = render(doc, Translations.from_dict(german))
    content = _parts(data)["content.xml"].decode("utf-8")
    assert_golden(content, EXPECTED / "pandoc-footnote.de.content.xml")


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        (
            "pandoc-inline_formatting.docx",
            {"word/document.xml", "word/styles.xml", "docProps/core.xml"},
        ),
        ("pandoc-footnote.odt", {"content.xml", "styles.xml", "meta.xml"}),
    ],
)
def test_only_the_parts_that_hold_text_or_language_change(name: str, changed: set[str]) -> None:
    source = OFFICE_DIR / name
    doc = read(source)
    before, after = _parts(source.read_bytes()), _parts(render(doc, pseudo_translations(doc)))
    assert list(before) == list(after)
    assert {n for n in before if before[n] != after[n]} == changed


def test_docx_languages_translated_and_left() -> None:
    doc = read(OFFICE_DIR / "pandoc-inline_formatting.docx")
    parts = _parts(render(doc, Translations.from_dict(GERMAN)))
    body = etree.fromstring(parts["word/document.xml"])
    paragraphs = list(body.iter(W + "p"))
    first = {e.get(W + "val") for e in paragraphs[0].iter(W + "lang")}
    assert first == {"de"}
    left = {e.get(W + "val") for p in paragraphs[1:3] for e in p.iter(W + "lang")}
    assert left == {"en"}
    styles = etree.fromstring(parts["word/styles.xml"])
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(W + "val") == "de"
    assert b"<dc:language>de</dc:language>" in parts["docProps/core.xml"]


def test_right_to_left_editions() -> None:
    doc = read(OFFICE_DIR / "pandoc-inline_formatting.docx")
    arabic = {k: "نص عادي." for k in GERMAN}
    body = etree.fromstring(
        _parts(render(doc, Translations.from_dict(arabic), "ar"))["word/document.xml"]
    )
    first = next(body.iter(W + "p"))
    assert first.find(f"{W}pPr/{W}bidi") is not None
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in first.iter(W + "r"))
    odt = read(OFFICE_DIR / "pandoc-footnote.odt")
    styles = etree.fromstring(_parts(render(odt, pseudo_translations(odt), "ar"))["styles.xml"])
    modes = {p.get(STYLE + "writing-mode") for p in styles.iter(STYLE + "paragraph-properties")}
    assert "rl-tb" in modes


def test_a_lost_placeholder_is_put_back() -> None:
    doc = read(OFFICE_DIR / "pandoc-footnote.odt")
    data = render(
        doc, Translations.from_dict({"Some text<x1/> with a footnote.": "Text ohne Note."})
    )
    content = _parts(data)["content.xml"].decode("utf-8")
    assert content.count("<text:note ") == 1


# -- the commands ----------------------------------------------------------------------------


def _workspace(root: Path, *sources: Path) -> Path:
    (root / "source").mkdir(parents=True)
    for source in sources:
        (root / "source" / source.name).write_bytes(source.read_bytes())
    (root / "tirage.toml").write_text('source_language = "fr"\ntarget_languages = ["es"]\n')
    return root


def test_update_translate_export_and_check(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, OFFICE_DIR / "fr" / "interview-thierry-alvergnat.docx")
    runner = CliRunner()
    for args in (["update"], ["translate", "--engine", "pseudo"]):
        result = runner.invoke(main, [*args, "--workspace", str(ws)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", "--include-fuzzy", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    assert (ws / "editions/es/interview-thierry-alvergnat.docx").is_file()
    assert not (ws / "editions/es/interview-thierry-alvergnat.html").exists()
    result = runner.invoke(
        main, ["export", "--include-fuzzy", "--format", "odt", "--workspace", str(ws)]
    )
    assert "a DOCX source has no odt edition" in result.output
    po = ws / "locales/es/interview-thierry-alvergnat.po"
    text = po.read_text(encoding="utf-8")
    assert "#: source/interview-thierry-alvergnat.docx:" in text
    # A translation that drops a code is reported, as for HTML pages.
    broken = re.sub(r'(msgid "[^"]*<b>[^"]*"\nmsgstr ")[^"]*"', r'\1Sin código."', text, count=1)
    if broken != text:
        po.write_text(broken, encoding="utf-8")
        result = runner.invoke(main, ["check", "--workspace", str(ws)])
        assert "html-tags" in result.output


def test_check_reports_a_moved_out_code(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, OFFICE_DIR / "pandoc-inline_formatting.docx")
    runner = CliRunner()
    assert runner.invoke(main, ["update", "--workspace", str(ws)]).exit_code == 0
    po = ws / "locales/es/pandoc-inline_formatting.po"
    text = po.read_text(encoding="utf-8").replace(
        'msgid "A line<x1/>break."\nmsgstr ""', 'msgid "A line<x1/>break."\nmsgstr "Una línea."'
    )
    po.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "--workspace", str(ws)])
    assert "html-tags: <x1> is missing or changed" in result.output


# -- hostile packages ------------------------------------------------------------------------


def _docx_with(replace: dict[str, bytes], flag_bits: int = 0) -> bytes:
    out = io.BytesIO()
    parts = _parts((OFFICE_DIR / "pandoc-lists.docx").read_bytes())
    parts.update(replace)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    data = out.getvalue()
    if flag_bits:  # set the general-purpose flag of every header (an encrypted entry)
        data = data.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00")
        data = data.replace(
            b"PK\x01\x02\x14\x03\x14\x00\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01\x00"
        )
    return data


ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("notzip.docx", b"just text", "not a DOCX package"),
        ("renamed.docx", OLE + b"WordDocument".join([b"\0"] * 2), "Word 97"),
        ("locked.docx", OLE + "EncryptionInfo".encode("utf-16-le"), "encrypted"),
        ("bomb.docx", _docx_with({"word/media/zeros.bin": b"\0" * 3_000_000}), "zip bomb"),
        ("escape.docx", _docx_with({"../../evil.xml": b"<x/>"}), "outside the package"),
        ("entity.docx", _docx_with({"word/document.xml": ENTITY}), "declares a DTD"),
        (
            "broken.docx",
            _docx_with({"word/document.xml": b"<w:document"}),
            "broken XML in word/document.xml",
        ),
        ("flagged.docx", _docx_with({}, flag_bits=1), "encrypted"),
        ("notodt.odt", _docx_with({}), "not an ODT package"),
    ],
)
def test_hostile_packages_are_refused(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    _workspace(tmp_path, *())
    (tmp_path / "source" / name).write_bytes(content)
    assert_refused(tmp_path, ["update", "--workspace", str(tmp_path)], fragment)


def test_encrypted_odt_is_refused(tmp_path: Path) -> None:
    source = OFFICE_DIR / "pandoc-footnote.odt"
    parts = _parts(source.read_bytes())
    manifest = parts["META-INF/manifest.xml"]
    entry = b'manifest:full-path="content.xml"'
    assert entry in manifest
    start = manifest.rindex(b"<", 0, manifest.index(entry))
    end = manifest.index(b"/>", start)
    parts["META-INF/manifest.xml"] = (
        manifest[:start]
        + manifest[start:end]
        + b'><manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry>'
        + manifest[end + 2 :]
    )
    _workspace(tmp_path)
    with zipfile.ZipFile(tmp_path / "source" / "locked.odt", "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    assert_refused(tmp_path, ["update", "--workspace", str(tmp_path)], "encrypted")


@pytest.mark.parametrize("path", sorted((OFFICE_DIR / "tracked").iterdir()), ids=lambda p: p.name)
def test_tracked_changes_are_refused(tmp_path: Path, path: Path) -> None:
    _workspace(tmp_path, path)
    assert_refused(
        tmp_path,
        ["update", "--workspace", str(tmp_path)],
        "accept or reject them, then run update",
    )


def test_a_sentence_left_untranslated_keeps_the_source_language() -> None:
    doc = read(OFFICE_DIR / "pandoc-notes.docx")
    data = render(doc, Translations.from_dict({"Test footnote.": "Fußnote."}))
    body = etree.fromstring(_parts(data)["word/document.xml"])
    langs = {
        "".join(r.itertext()).strip(): r.find(f"{W}rPr/{W}lang").get(W + "val")
        for r in body.iter(W + "r")
        if "".join(r.itertext()).strip()
    }
    assert langs["Fußnote."] == "de"
    assert langs["Test endnote."] == "en"


def test_odt_languages() -> None:
    doc = read(OFFICE_DIR / "pandoc-footnote.odt")
    german = {"Some text<x1/> with a footnote.": "Etwas Text<x1/> mit einer Fußnote."}
    parts = _parts(render(doc, Translations.from_dict(german)))
    styles = etree.fromstring(parts["styles.xml"])
    defaults = [
        s.find(STYLE + "text-properties")
        for s in styles.iter(STYLE + "default-style")
        if s.get(STYLE + "family") == "paragraph"
    ]
    assert defaults[0].get(FO + "language") == "de"
    assert b"<dc:language>de</dc:language>" in parts["meta.xml"]
    content = parts["content.xml"].decode("utf-8")
    assert '<text:span text:style-name="TirageLanguage_en">Footnote text</text:span>' in content
    assert 'style:name="TirageLanguage_en"' in content


def test_reading_commands_do_not_load_lxml() -> None:
    import subprocess
    import sys

    code = "import sys, tirage.cli, tirage.publish; print('lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_damaged_entry_is_refused(tmp_path: Path) -> None:
    data = bytearray((OFFICE_DIR / "pandoc-lists.docx").read_bytes())
    at = data.index(b"word/document.xml") + len("word/document.xml") + 40
    data[at : at + 20] = b"\xff" * 20  # inside the compressed document part
    _workspace(tmp_path)
    (tmp_path / "source" / "damaged.docx").write_bytes(bytes(data))
    assert_refused(tmp_path, ["update", "--workspace", str(tmp_path)], "damaged.docx")


def test_odfpy_external_entity_document_is_refused(tmp_path: Path) -> None:
    """odfpy's own "nasty" test file: an external entity in content.xml."""
    _workspace(tmp_path, OFFICE_DIR / "hostile" / "odfpy-nasty.odt")
    assert_refused(tmp_path, ["update", "--workspace", str(tmp_path)], "declares a DTD")


TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_splitting_odt_text_into_revision_spans_does_not_change_the_catalog(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """LibreOffice wraps edited text in spans whose automatic style only records a revision
    id (`officeooo:rsid`): the POT must not move."""
    source = OFFICE_DIR / "fr" / "interview-thierry-alvergnat.odt"
    parts = _parts(source.read_bytes())
    tree = etree.fromstring(parts["content.xml"])
    automatic = tree.find(OFFICE_NS + "automatic-styles")
    style = etree.SubElement(
        automatic,
        STYLE + "style",
        {STYLE + "name": "Trevision", STYLE + "family": "text"},
    )
    etree.SubElement(
        style, STYLE + "text-properties", {"{http://openoffice.org/2009/office}rsid": "00abcdef"}
    )
    for paragraph in list(tree.iter(TEXT_NS + "p", TEXT_NS + "h")):
        value = paragraph.text or ""
        if len(value) < 2:
            continue
        cut = data.draw(st.integers(0, len(value)))
        if cut in (0, len(value)):
            continue
        span = etree.Element(TEXT_NS + "span", {TEXT_NS + "style-name": "Trevision"})
        paragraph.text, span.text = value[:cut], value[cut:]
        paragraph.insert(0, span)
    parts["content.xml"] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    split = tmp_path_factory.mktemp("split") / source.name
    with zipfile.ZipFile(split, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert [(s.role, s.text) for s in read(split, "fr").segments()] == _french_catalog()


@functools.cache
def _french_catalog() -> list[tuple[str, str]]:
    source = OFFICE_DIR / "fr" / "interview-thierry-alvergnat.odt"
    return [(s.role, s.text) for s in read(source, "fr").segments()]


def test_legacy_vml_alt_text_is_translated_with_the_drawing_s() -> None:
    # Word's résumé template (Apache POI's 60316.docx): a group with DrawingML `descr` and,
    # in its VML fallback, `alt`; both say "Contact Info", both are translated.
    doc = read(OFFICE_DIR / "poi-60316.docx")
    assert [s.text for s in doc.segments() if s.role == "alt"] == ["Contact Info"] * 2
    data = render(doc, Translations.from_dict({"Contact Info": "Kontaktdaten"}))
    document = _parts(data)["word/document.xml"].decode()
    assert 'descr="Kontaktdaten"' in document and 'alt="Kontaktdaten"' in document
    assert "Contact Info" not in document


def test_a_link_word_cut_in_pieces_is_one_link_and_file_names_are_not_alt_text() -> None:
    # A French ministry's guide: Word cut its portal link into three hyperlinks with the same
    # target ("https", "://", the host); its logo's alt text is the file name "marianne.gif".
    doc = read(OFFICE_DIR / "socialgouv-emjpm-guide-enquetes.docx")
    texts = [s.text for s in doc.segments()]
    sentence = "Vous pouvez vous connecter au portail via le site : "
    link = sentence + "<a1>https://emjpm.num.social.gouv.fr</a1>"
    assert link in texts
    assert [s.text for s in doc.segments() if s.role == "alt"] == ["logo dgcs"]
    german = "Sie können sich über die Website mit dem Portal verbinden: "
    data = render(doc, Translations.from_dict({link: german + link[len(sentence) :]}))
    body = etree.fromstring(_parts(data)["word/document.xml"]).find(W + "body")
    paragraph = next(p for p in body.iter(W + "p") if german.strip() in "".join(p.itertext()))
    links = paragraph.findall(W + "hyperlink")
    assert len(links) == 1
    assert "".join(links[0].itertext()) == "https://emjpm.num.social.gouv.fr"
