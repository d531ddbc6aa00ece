"""TMX 1.4b with inline codes: export as <ph>/<bpt>/<ept>/<it>, the DTD, and imports that
never turn a code into literal text."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from tirage.cli import main
from tirage.interchange.tmx import export_tmx, import_tmx_report
from tirage.memory import TranslationMemory

from golden import assert_golden

DATA = Path(__file__).parent / "data"
DTD = DATA / "schemas" / "tmx-1.4b" / "tmx14.dtd"
WHEN = "2025-03-01T10:15:00Z"
UNITS = [
    (
        'Le <a href="https://example.org">Clust\'R</a> fédère <em>300</em> entreprises.',
        '<a href="https://example.org">Clust\'R</a> brings <em>300</em> companies together.',
        "page",
    ),
    ("Ligne un<br>ligne deux.", "Line one<br>line two.", "page"),
    ("Fin</em> puis <strong>début", "End</em> then <strong>start", "page"),
    (
        "Voir **le rapport** et [le site](https://example.org) : {name}.",
        "See **the report** and [the site](https://example.org): {name}.",
        "notes",
    ),
    ("Sans balise <b>ici</b>.", "No tag here, but <i>added</i>.", "page"),
]


def _memory(path: Path) -> TranslationMemory:
    memory = TranslationMemory.open_path(path)
    for source, target, doc in UNITS:
        memory.add(source, target, "fr", "en", doc, when=WHEN)
    memory.commit()
    return memory


def test_export_writes_codes_and_validates_against_the_dtd(tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    with _memory(tmp_path / "tm.sqlite") as memory:
        count = export_tmx(
            memory,
            out,
            "fr",
            kinds={"page": "html", "notes": "markdown"},
            reviewers={("page", "en"): "Marie Curie <marie@example.org>"},
        )
    assert count == len(UNITS)
    text = out.read_text(encoding="utf-8")
    assert_golden(
        text.replace(text.split('creationtoolversion="')[1].split('"')[0], "X"),
        DATA / "tmx" / "markup.tmx",
    )
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(etree.parse(str(out))), str(dtd.error_log)
    for needle in (
        "<ph x=",
        "<bpt i=",
        "<ept i=",
        '<it pos="end"',
        'tuid="',
        'srclang="fr"',
        'creationid="Marie Curie',
        'changeid="Marie Curie',
        'changedate="20250301T',
    ):
        assert needle in text
    assert "&lt;em&gt;</bpt>" in text and "&lt;/em&gt;</ept>" in text


def test_own_export_comes_back_with_its_markup(tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    with _memory(tmp_path / "tm.sqlite") as memory:
        export_tmx(memory, out, "fr", kinds={"page": "html", "notes": "markdown"})
    with TranslationMemory.open_path(tmp_path / "other.sqlite") as other:
        report = import_tmx_report(other, out, "fr", ("en",))
        assert report.added == len(UNITS)
        assert report.dropped_codes == 0
        assert sorted((u.source, u.target) for u in other.units()) == sorted(
            (s, t) for s, t, _ in UNITS
        )


def test_tool_shorthand_codes_are_dropped_and_counted_never_literal(tmp_path: Path) -> None:
    with TranslationMemory.open_path(tmp_path / "tm.sqlite") as memory:
        report = import_tmx_report(memory, DATA / "tmx" / "omegat.tmx", "fr", ("en",))
        units = {u.source: u.target for u in memory.units()}
    assert units == {
        "Ligne unligne deux.": "Line oneline two.",
        "Le rapport est <em>prêt</em>.": "The report is <em>ready</em> <br>.",
    }
    # <br2/> twice, <f0> and </f0> on both sides: OmegaT's names, not the markup.
    assert report.dropped_codes == 6
    assert report.added == 2


def test_memory_import_reports_dropped_codes(workspace: Path, runner: CliRunner) -> None:
    tmx = DATA / "tmx" / "omegat.tmx"
    result = runner.invoke(main, ["memory", "import", str(tmx), "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "2 units added" in result.output
    assert "6 inline codes that stand for no known markup left out of the text" in result.output


def test_shorthand_codes_take_the_markup_of_the_workspaces_segment(
    workspace: Path, runner: CliRunner
) -> None:
    """OmegaT's <br2/> and <f0> stand for the <br> and <b> of a page tirage knows: they come
    back as that markup, in source and target alike."""
    (workspace / "locales").mkdir()
    (workspace / "locales" / "page.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: source/page.html:3\nmsgid "Ligne un<br>ligne deux."\nmsgstr ""\n\n'
        '#: source/page.html:4\nmsgid "Le <b>rapport</b> est <em>prêt</em>."\nmsgstr ""\n',
        encoding="utf-8",
    )
    tmx = DATA / "tmx" / "omegat.tmx"
    result = runner.invoke(main, ["memory", "import", str(tmx), "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "2 units added" in result.output
    assert "inline codes" not in result.output  # every code stood for known markup
    with TranslationMemory.open_path(workspace / ".tirage" / "memory.sqlite") as memory:
        units = {u.source: u.target for u in memory.units()}
    assert units == {
        "Ligne un<br>ligne deux.": "Line one<br>line two.",
        "Le <b>rapport</b> est <em>prêt</em>.": "The <b>report</b> is <em>ready</em> <br>.",
    }
