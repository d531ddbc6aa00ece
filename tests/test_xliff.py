"""XLIFF 2.1 and 1.2: golden exports, the OASIS schemas, other readers, and safe imports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tirage.cli import main
from tirage.interchange.xliff import build_units, write_xliff
from tirage.po.pofile import read_po

from golden import assert_golden

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "schemas"
INTERVIEW = "interview-thierry-alvergnat"
LANGS = ("en", "es", "de")


class _LocalXmlXsd(etree.Resolver):
    """XLIFF 1.2's schema imports xml.xsd from w3.org: the copy kept here, never the network."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url.endswith("xml.xsd"):
            local = SCHEMAS / "xliff-2.1/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"
            return self.resolve_filename(str(local), context)
        return None


def _schema(version: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlXsd())
    path = (
        SCHEMAS / "xliff-2.1/xliff_core_2.0.xsd"
        if version == "2.1"
        else SCHEMAS / "xliff-1.2/xliff-core-1.2-strict.xsd"
    )
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(text: str, version: str) -> None:
    schema = _schema(version)
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), str(schema.error_log)


@pytest.fixture
def interview(workspace: Path) -> Path:
    for lang in LANGS:
        (workspace / "locales" / lang).mkdir(parents=True)
        shutil.copy(REPO / "locales" / lang / f"{INTERVIEW}.po", workspace / "locales" / lang)
    return workspace


def _markup_workspace(workspace: Path) -> Path:
    (workspace / "locales" / "en").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "xliff" / "markup.po", workspace / "locales" / "en" / "markup.po")
    return workspace / "locales" / "en" / "markup.po"


def _export(po_path: Path, version: str, lang: str = "es") -> str:
    return write_xliff(
        build_units(read_po(po_path)),
        version=version,
        src_lang="fr",
        tgt_lang=lang,
        doc=po_path.stem,
        original=f"locales/{lang}/{po_path.name}",
    )


# -- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_interview_export_is_golden_and_valid(version: str) -> None:
    text = _export(REPO / "locales" / "es" / f"{INTERVIEW}.po", version)
    assert_golden(text, DATA / "xliff" / f"{INTERVIEW}.es.{version}.xlf")
    assert_valid(text, version)


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_markup_becomes_codes(version: str) -> None:
    text = _export(DATA / "xliff" / "markup.po", version, "en")
    assert_golden(text, DATA / "xliff" / f"markup.po.{version}.xlf")
    assert_valid(text, version)
    assert "Phrase disparue" not in text  # obsolete entries stay out
    if version == "2.1":
        for tag in ("<ph ", "<pc ", "<sc ", "<ec ", "<originalData>", 'isolated="yes"'):
            assert tag in text
    else:
        for tag in ("<x ", "<g ", "<bpt ", "<ept ", "<it "):
            assert tag in text


def test_cli_export_writes_one_file_per_doc_and_language(
    interview: Path, runner: CliRunner
) -> None:
    result = runner.invoke(main, ["xliff", "export", "-w", str(interview)])
    assert result.exit_code == 0, result.output
    for lang in LANGS:
        assert (interview / "xliff" / lang / f"{INTERVIEW}.xlf").is_file()
    out = interview / "old"
    result = runner.invoke(
        main,
        [
            *("xliff", "export", "-w", str(interview), "--to", "en", "--version", "1.2"),
            *("--doc", INTERVIEW, "--out", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlf")) == [
        f"en/{INTERVIEW}.xlf"
    ]
    assert 'version="1.2"' in (out / "en" / f"{INTERVIEW}.xlf").read_text(encoding="utf-8")


def test_init_ignores_the_xliff_folder(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "w"), "--source", "fr", "--targets", "en"])
    assert result.exit_code == 0, result.output
    assert "/xliff/" in (tmp_path / "w" / ".gitignore").read_text(encoding="utf-8").split("\n")


def test_translate_toolkit_reads_every_export(tmp_path: Path) -> None:
    from translate.storage import xliff, xliff2

    for version in ("2.1", "1.2"):
        for po_path in [REPO / "locales" / lang / f"{INTERVIEW}.po" for lang in LANGS] + [
            DATA / "xliff" / "markup.po"
        ]:
            text = _export(po_path, version).encode("utf-8")
            store = (xliff2.Xliff2File if version == "2.1" else xliff.xlifffile).parsestring(text)
            units = [u for u in store.units if not u.isheader()]
            assert len(units) == len(build_units(read_po(po_path)))
            assert all(u.source for u in units)


# -- import -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_export_then_import_leaves_every_catalog_byte_identical(
    interview: Path, runner: CliRunner, version: str
) -> None:
    before = {p: p.read_bytes() for p in (interview / "locales").rglob("*.po")}
    markup = _markup_workspace(interview)
    before[markup] = markup.read_bytes()
    args = ["xliff", "export", "-w", str(interview), "--version", version]
    assert runner.invoke(main, args).exit_code == 0
    files = sorted(str(p) for p in (interview / "xliff").rglob("*.xlf"))
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), *files])
    assert result.exit_code == 0, result.output
    assert "0 imported" in result.output and "refused" in result.output
    assert " 0 refused, 0 conflicts" in result.output
    assert {p: p.read_bytes() for p in before} == before


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _export_es(interview: Path, runner: CliRunner, version: str = "2.1") -> Path:
    args = ["xliff", "export", "-w", str(interview), "--to", "es", "--version", version]
    assert runner.invoke(main, args).exit_code == 0
    return interview / "xliff" / "es" / f"{INTERVIEW}.xlf"


def test_import_takes_edits_clears_fuzzy_and_refuses_changed_sources(
    interview: Path, runner: CliRunner
) -> None:
    xlf = _export_es(interview, runner)
    _edit(xlf, "Lyon # Coberturas de acompañamiento", "Lyon # Redes de acompañamiento")
    _edit(xlf, "a su se structurer.</source>", "a su se structurer !</source>")
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(xlf)])
    assert result.exit_code == 0, result.output
    assert "1 imported, 46 kept, 1 refused, 0 conflicts" in result.output
    assert "refused u99c8ec2989aa: source no longer matches the catalog" in result.output
    po = read_po(interview / "locales" / "es" / f"{INTERVIEW}.po")
    entry = po.find("Lyon # Réseaux d'accompagnement")
    assert entry.msgstr == "Lyon # Redes de acompañamiento"
    assert "fuzzy" not in entry.flags
    assert "tirage-mt:" in entry.tcomment  # post-edited machine output stays counted as such
    assert "fuzzy" in po.find("La filière numérique en Rhône-Alpes a su se structurer.").flags


def test_an_entry_changed_since_the_export_is_a_conflict(
    interview: Path, runner: CliRunner
) -> None:
    xlf = _export_es(interview, runner)
    po_path = interview / "locales" / "es" / f"{INTERVIEW}.po"
    _edit(po_path, 'msgstr "Lyon # Coberturas de acompañamiento"', 'msgstr "Lyon # Redes"')
    _edit(xlf, "Lyon # Coberturas de acompañamiento", "Lyon # Redes de acompañamiento")
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(xlf)])
    assert result.exit_code == 0, result.output
    assert "0 imported, 47 kept, 0 refused, 1 conflicts" in result.output
    assert "conflict u3be96e633931" in result.output
    assert read_po(po_path).find("Lyon # Réseaux d'accompagnement").msgstr == "Lyon # Redes"


def test_an_unconfirmed_unit_never_replaces_a_reviewed_translation(
    interview: Path, runner: CliRunner
) -> None:
    args = ["xliff", "export", "-w", str(interview), "--to", "en"]
    assert runner.invoke(main, args).exit_code == 0
    xlf = interview / "xliff" / "en" / f"{INTERVIEW}.xlf"
    before = (interview / "locales" / "en" / f"{INTERVIEW}.po").read_bytes()
    _edit(
        xlf,
        '<segment state="final">\n        <source xml:space="preserve">Lyon</source>\n'
        '        <target xml:space="preserve">Lyon</target>',
        '<segment state="initial">\n        <source xml:space="preserve">Lyon</source>\n'
        '        <target xml:space="preserve">Lyons</target>',
    )
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(xlf)])
    assert "would replace a reviewed translation" in result.output
    assert (interview / "locales" / "en" / f"{INTERVIEW}.po").read_bytes() == before


def _edit_first_target(xlf: Path, pattern: str, new: str) -> None:
    text = xlf.read_text(encoding="utf-8")
    start = text.index("<target")
    end = text.index("</target>", start)
    edited = re.sub(pattern, new, text[start:end], count=1)
    assert edited != text[start:end]
    xlf.write_text(text[:start] + edited + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    ("pattern", "new", "why"),
    [
        ('<pc id="1" ', '<pc id="9" ', "target has a code the source does not: 9"),
        (r'<pc id="2"[^>]*>300</pc>', "300", "target lacks code 2 (end), 2 (start)"),
        (r'(<pc id="2"[^>]*>300</pc>)', r"\1 \1", "target has code 2 (start) twice"),
    ],
    ids=["invented", "missing", "duplicated"],
)
def test_units_with_wrong_codes_are_refused_alone(
    workspace: Path, runner: CliRunner, pattern: str, new: str, why: str
) -> None:
    po_path = _markup_workspace(workspace)
    before = po_path.read_bytes()
    assert runner.invoke(main, ["xliff", "export", "-w", str(workspace)]).exit_code == 0
    xlf = workspace / "xliff" / "en" / "markup.xlf"
    _edit_first_target(xlf, pattern, new)
    result = runner.invoke(main, ["xliff", "import", "-w", str(workspace), str(xlf)])
    assert result.exit_code == 0, result.output
    assert "0 imported, 5 kept, 1 refused" in result.output
    assert f"refused ua5f498a388aa: {why}" in result.output
    assert po_path.read_bytes() == before


def test_edited_codes_come_back_as_the_catalogs_markup(workspace: Path, runner: CliRunner) -> None:
    po_path = _markup_workspace(workspace)
    assert runner.invoke(main, ["xliff", "export", "-w", str(workspace)]).exit_code == 0
    xlf = workspace / "xliff" / "en" / "markup.xlf"
    # A translator edits around the codes and types an ampersand: the markup comes from the
    # catalog, the ampersand is escaped as the page's text needs.
    _edit_first_target(xlf, "brings", "&amp; co. bring")
    _edit_first_target(xlf, r'(<pc id="2"[^>]*>)300</pc>', r"\1trois cents</pc>")
    result = runner.invoke(main, ["xliff", "import", "-w", str(workspace), str(xlf)])
    assert "1 imported" in result.output, result.output
    entry = read_po(po_path)[0]
    assert entry.msgstr == (
        '<a href="https://example.org/clust-r">Clust\'R</a> &amp; co. bring '
        "<em>trois cents</em> companies together."
    )
    assert "fuzzy" not in entry.flags


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_a_unit_translated_by_translate_toolkit_imports_cleanly(
    interview: Path, runner: CliRunner, version: str
) -> None:
    from translate.storage import xliff, xliff2

    xlf = _export_es(interview, runner, version)
    store = (xliff2.Xliff2File if version == "2.1" else xliff.xlifffile).parsefile(str(xlf))
    unit = next(u for u in store.units if u.source == "Lyon # Réseaux d'accompagnement")
    unit.target = "Lyon # Redes de acompañamiento"
    unit.markfuzzy(False)
    store.savefile(str(xlf))
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(xlf)])
    assert result.exit_code == 0, result.output
    assert "1 imported, 47 kept, 0 refused, 0 conflicts" in result.output
    entry = read_po(interview / "locales" / "es" / f"{INTERVIEW}.po").find(unit.source)
    assert entry.msgstr == "Lyon # Redes de acompañamiento"
    assert "fuzzy" not in entry.flags


def test_bad_files_are_one_line_errors(interview: Path, runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff", encoding="utf-8")
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith(f"tirage: {broken}:1: not an XLIFF file")
    stray = tmp_path / "stray.xlf"
    stray.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="fr">'
        '<file id="f" original="../etc/passwd.po"><unit id="u"><segment><source/></segment>'
        "</unit></file></xliff>",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["xliff", "import", "-w", str(interview), str(stray)])
    assert result.exit_code == 1
    assert "is not a catalog of this workspace's locales/" in result.output


def test_translate_toolkit_copying_codes_imports_the_markup(
    workspace: Path, runner: CliRunner
) -> None:
    """Weblate and other translate-toolkit tools edit XLIFF 2 targets as rich text: the
    codes they copy from the source come back as the catalog's markup."""
    from translate.storage import xliff2

    po_path = _markup_workspace(workspace)
    assert runner.invoke(main, ["xliff", "export", "-w", str(workspace)]).exit_code == 0
    xlf = workspace / "xliff" / "en" / "markup.xlf"
    store = xliff2.Xliff2File.parsefile(str(xlf))
    unit = next(u for u in store.units if "Clust'R fédère" in u.source)
    unit.rich_target = unit.rich_source
    unit.markapproved(True)
    store.savefile(str(xlf))
    result = runner.invoke(main, ["xliff", "import", "-w", str(workspace), str(xlf)])
    assert "1 imported, 5 kept, 0 refused, 0 conflicts" in result.output, result.output
    entry = read_po(po_path)[0]
    assert entry.msgstr == entry.msgid
