"""tirage.toml and glossary.csv: every mistake is one line with file, line and key, exit 1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import assert_refused
from tirage.cli import main
from tirage.cli.review_queue import ReviewSession
from tirage.po.pofile import read_po
from tirage.review import build_queue, default_reviewer
from tirage.text.glossary import load_glossary
from tirage.workspace import load_workspace

from conftest import INTERVIEW
from gettext_tools import msgfmt_check, requires_gettext

CONFIG = """\
source_language = "fr"
target_languages = ["en", "es"]

[publish]
threshold = 80

[translate]
engine = "pseudo"
fallback = ["apertium"]
beam_size = 2
"""


def write_config(workspace: Path, text: str) -> None:
    (workspace / "tirage.toml").write_text(text, encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert old in CONFIG
    return CONFIG.replace(old, new)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        # A value where a table belongs.
        ("publish = 5\n" + CONFIG.replace("[publish]\nthreshold = 80\n", ""),
         ":1: publish: must be a table ([publish]), not int 5"),
        ('translate = "argos"\n' + CONFIG.split("[translate]")[0],
         ":1: translate: must be a table ([translate]), not the text 'argos'"),
        ('team = "x"\n' + CONFIG, ":1: team: must be a table ([team])"),
        # Wrong types and impossible values, with their key and line.
        (edit("threshold = 80", 'threshold = "eighty"'),
         ":5: publish.threshold: must be a number from 0 to 100, not the text 'eighty'"),
        (edit("threshold = 80", "threshold = nan"), ":5: publish.threshold: must be a number"),
        (edit("threshold = 80", "threshold = -5"), ":5: publish.threshold: must be a number"),
        (edit("threshold = 80", "threshold = 100.5"), ":5: publish.threshold"),
        (edit("threshold = 80", "threshold = true"), ":5: publish.threshold"),
        (edit("beam_size = 2", "beam_size = 0"), ":10: translate.beam_size: must be a whole"),
        (edit("beam_size = 2", "beam_size = 2.5"), ":10: translate.beam_size"),
        (edit('engine = "pseudo"', 'engine = "deepl"'),
         ":8: translate.engine: unknown engine 'deepl' (engines: argos, apertium, pseudo)"),
        (edit('fallback = ["apertium"]', 'fallback = ["apertium", 5]'), ":9: translate.fallback"),
        (CONFIG + '\n[team]\ntranslator = 5\n', ":13: team.translator: must be a string"),
        # Values that become a line of a file: one line, no controls, bounded.
        (CONFIG + '\n[team]\ntranslator = "Zoë\\nLanguage: xx\\nPlural-Forms: nplurals=9;"\n',
         ":13: team.translator: must be one line with no control characters; it has a line "
         "break (U+000A)"),
        (CONFIG + '\n[team]\ntranslator = "Zoë\\u001b[2J"\n', ":13: team.translator: must be one "
         "line with no control characters; it has a control (U+001B)"),
        (CONFIG + '\n[team]\ntranslator = "Zoë\\u2028x"\n', ":13: team.translator: must be one"),
        (CONFIG + '\n[team]\ntranslator = "Zoë\\u202ex"\n', ":13: team.translator: must be one"),
        (CONFIG + f'\n[team]\ntranslator = "{"z" * 201}"\n',
         ":13: team.translator: must be at most 200 characters, not 201"),
        (CONFIG + '\n[team]\ntranslator = "Zoë <zoe at example>"\n',
         ":13: team.translator: '<zoe at example>' is not an e-mail address"),
        (CONFIG + '\n[team]\ntranslator = "Zoë <zoe@example.org"\n',
         ":13: team.translator: has an unbalanced '<' or '>'"),
        (CONFIG + '\n[team]\nname = "Desk\\r\\nLanguage: de"\n',
         ":13: team.name: must be one line"),
        (edit("threshold = 80", 'threshold = 80\nname = "Weekly\\u0000"'),
         ":6: publish.name: must be one line with no control characters"),
        (edit("threshold = 80", 'threshold = 80\nbase_url = "https://a.org/\\u0085x"'),
         ":6: publish.base_url: must be one line"),
        # Page sizes: positive, in a sane range, refused at once however long the number.
        (edit("threshold = 80", 'threshold = 80\npage = "210mm 0mm"'),
         ":6: publish.page: '210mm 0mm': a height of 0 mm; each side of a page is 50 to 2000 mm"),
        (edit("threshold = 80", 'threshold = 80\npage = "210mm 5000mm"'),
         ":6: publish.page: '210mm 5000mm': a height of 5000 mm"),
        (edit("threshold = 80", f'threshold = 80\npage = "{"9" * 20}mm 297mm"'),
         ":6: publish.page: '99999999999999999999mm 297mm' is not a page size"),
        (edit("threshold = 80", f'threshold = 80\npage = "210mm {"1" * 20}.5mm"'),
         ":6: publish.page:"),
        # Unknown keys, with the closest known one.
        (edit("threshold = 80", "treshold = 80"),
         ":5: publish.treshold: unknown setting; did you mean threshold?"),
        ("threshold = 80\n" + CONFIG,
         ":1: threshold: unknown setting; did you mean publish.threshold?"),
        (CONFIG + "\n[pubish]\nthreshold = 80\n",
         ":12: pubish: unknown setting; did you mean publish?"),
        # Languages.
        (edit('["en", "es"]', '["fr", "en"]'),
         ":2: target_languages: 'fr' is the source language"),
        (edit('["en", "es"]', "[]"), ":2: target_languages: must list at least one language"),
        (edit('["en", "es"]', '"en"'), ":2: target_languages: must be a list"),
        (edit('["en", "es"]', '["en", "EN"]'), ":2: target_languages: lists 'en' twice"),
        (edit('"fr"', '"../../x"'), ":1: source_language: unknown language code '../../x'"),
        (edit('"fr"', '"french"'),
         ":1: source_language: unknown language code 'french'; did you mean fr?"),
        (CONFIG.replace('source_language = "fr"\n', ""), ": source_language is missing"),
        # TOML syntax, with its line.
        (edit("threshold = 80", "threshold = "), ":5: invalid TOML"),
        (edit("beam_size = 2", "beam_size = 2\nbeam_size = 3"), ":11: invalid TOML"),
    ],
)  # fmt: skip
def test_bad_setting_is_one_line(workspace: Path, config: str, message: str) -> None:
    write_config(workspace, config)
    assert_refused(workspace, ["update", "-w", str(workspace)], f"tirage.toml{message}")


def test_fallback_as_a_string_is_a_one_engine_list(workspace: Path) -> None:
    write_config(workspace, edit('fallback = ["apertium"]', 'fallback = "apertium"'))
    assert load_workspace(workspace).engine.fallback == ("apertium",)


def test_settings_are_read_with_their_kinds(workspace: Path) -> None:
    write_config(workspace, edit('"fr"', '"FR"') + '\n[team]\nname = "Lyon desk"\n')
    ws = load_workspace(workspace)
    assert (ws.source_lang, ws.targets, ws.threshold) == ("fr", ("en", "es"), 80.0)
    assert (ws.engine.engine, ws.engine.beam_size, ws.team) == ("pseudo", 2, "Lyon desk")


HEADER = "term,action,en,es,note\n"


@pytest.mark.parametrize(
    ("glossary", "message"),
    [
        # The quote opened on line 3 closes on line 5: line 4's rule would be swallowed.
        (HEADER + "Lyon,keep,,,\nGRILOG,keep,,,\"Grenoble\nFrenchTech,keep,,,label\nX,keep,,,y\"\n",
         "glossary.csv:3: column 'note': a quoted field runs on to line 5: unbalanced quote?"),
        # Never closed, with a long tail: csv's own limit would be a crash.
        (HEADER + "GRILOG,keep,,,\"Grenoble\n" + "FrenchTech,keep,,,label\n" * 8000,
         "glossary.csv:2: a quote opened on this line is never closed"),
        (HEADER + "GRILOG,keep,,,\"Grenoble\n", "glossary.csv:2: a quote opened on this line"),
        (HEADER + "Lyon,keep,,,\n" + "x" * 1001 + ",keep,,,\n",
         "glossary.csv:3: column 'term': longer than 1000 characters"),
        (HEADER + "GRILOG,keep,,,note,extra\n",
         "glossary.csv:2: 6 fields, but the header has 5 columns"),
        ("term,action,english,note\n", "glossary.csv:1: column 'english' is neither term, action, "
         "note nor a language code; did you mean en?"),
        ("term,acton,en\n", "glossary.csv:1: column 'acton' is neither"),
        ("term,action,en,en\n", "glossary.csv:1: column 'en' appears twice"),
        ("action,term\n", "glossary.csv:1: the first line must be a header"),
        (HEADER + "Lyon,hide,,,\n", "glossary.csv:2: action must be keep or translate"),
        (HEADER + "Lyon,\"keep\"x,,,\n", "glossary.csv:2: CSV syntax error"),
    ],
)  # fmt: skip
def test_bad_glossary_is_one_line(
    runner: CliRunner, workspace: Path, glossary: str, message: str
) -> None:
    write_config(workspace, CONFIG)
    assert runner.invoke(main, ["update", "-w", str(workspace)]).exit_code == 0
    (workspace / "glossary.csv").write_text(glossary, encoding="utf-8")
    args = ["translate", "-w", str(workspace), "--engine", "pseudo"]
    assert_refused(workspace, args, message, runner=runner)


def test_glossary_not_utf8_names_its_line(runner: CliRunner, workspace: Path) -> None:
    write_config(workspace, CONFIG)
    (workspace / "glossary.csv").write_bytes(
        (HEADER + "Lyon,keep,,,\nCafé,keep,,,\n").encode("latin-1")
    )
    args = ["translate", "-w", str(workspace), "--engine", "pseudo"]
    assert_refused(workspace, args, "glossary.csv:3: not UTF-8 text", runner=runner)


def test_glossary_reads_quoted_fields_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(HEADER + '"Clust\'R, Numérique",keep,,,"a, b"\n\nPôle,translate,cluster,,\n')
    glossary = load_glossary(path)
    assert glossary.keep == ["Clust'R, Numérique"]
    assert glossary.forced("en") == {"Pôle": "cluster"}


def test_a_page_of_twenty_digits_is_refused_at_once(workspace: Path) -> None:
    write_config(workspace, edit("threshold = 80", f'threshold = 80\npage = "{"9" * 20}mm 9mm"'))
    start = time.perf_counter()
    assert_refused(workspace, ["update", "-w", str(workspace)], "publish.page:")
    assert time.perf_counter() - start < 5  # 16 s before the check


def test_a_bad_reviewer_option_is_a_usage_error(workspace: Path) -> None:
    args = ["review", "--to", "en", "-w", str(workspace), "--reviewer", "Zoë\nLanguage: xx"]
    assert_refused(workspace, args, "--reviewer must be one line with no control", code=2)


@requires_gettext
def test_the_translator_setting_keeps_the_po_header_valid(
    runner: CliRunner, workspace: Path
) -> None:
    """A decision writes [team] translator into Last-Translator; msgfmt -c accepts it."""
    write_config(workspace, CONFIG + '\n[team]\ntranslator = "Zoë Lefèvre <zoe@example.org>"\n')
    w = ["-w", str(workspace)]
    assert runner.invoke(main, ["update", *w, "-q"]).exit_code == 0
    assert runner.invoke(main, ["translate", *w, "-q", "--to", "en"]).exit_code == 0
    ws = load_workspace(workspace)
    keys = iter(["a"])
    session = ReviewSession(
        ws, "en", build_queue(ws, "en"), default_reviewer(ws), None,
        read_key=lambda: next(keys, "q"),
    )  # fmt: skip
    session.run()
    path = ws.po_path("en", INTERVIEW)
    assert read_po(path).metadata["Last-Translator"] == "Zoë Lefèvre <zoe@example.org>"
    msgfmt_check(path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Lyon,keep,,,\nGRILOG,keep,,,\nLyon,translate,Lyons,,\n",
         "glossary.csv:4: 'Lyon' is listed twice with different actions: keep on line 2, "
         "translate here"),
        ("Pôle,translate,cluster,,\nPôle,translate,hub,,\n",
         "glossary.csv:3: 'Pôle' is listed twice with different en translations: 'cluster' "
         "on line 2, 'hub' here"),
    ],
)  # fmt: skip
def test_a_term_listed_twice_with_conflicting_rules(
    runner: CliRunner, workspace: Path, rows: str, message: str
) -> None:
    write_config(workspace, CONFIG)
    assert runner.invoke(main, ["update", "-w", str(workspace)]).exit_code == 0
    (workspace / "glossary.csv").write_text(HEADER + rows, encoding="utf-8")
    args = ["translate", "-w", str(workspace), "--engine", "pseudo"]
    assert_refused(workspace, args, message, runner=runner)


def test_a_term_listed_twice_alike_is_one_term(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    rows = "Pôle,translate,cluster,,\nLyon,keep,,,\nPôle,translate,,polo,\nLyon,keep,,,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.keep == ["Lyon"]
    assert (glossary.forced("en"), glossary.forced("es")) == ({"Pôle": "cluster"}, {"Pôle": "polo"})
