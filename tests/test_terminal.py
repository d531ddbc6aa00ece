"""User text reaches terminals and pipes with its control characters escaped, never obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.cli.review_queue import ReviewSession
from tirage.po.pofile import save_po
from tirage.provenance import Provenance, set_provenance
from tirage.review import Reviewer, build_queue
from tirage.terminal import json_visible, visible
from tirage.workspace import load_workspace

# Clears the screen, sets the window title, and reverses what follows.
HOSTILE = "Bien\x1b[2J dit\x1b]0;pwned\x07 \u202eiht\x9b."
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def assert_escaped(output: str) -> None:
    for char in RAW:
        assert char not in output, repr(output)
    assert "\\x1b" in output and "\\u202e" in output


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("\u202edlrow", "\\u202edlrow"),
        ("C1\x85 and DEL\x7f", "C1\\x85 and DEL\\x7f"),
        ("tab\tkept, newline\nnot", "tab\tkept, newline\\x0anot"),
        ("isolates \u2066x\u2069, marks \u200e\u200f",
         "isolates \\u2066x\\u2069, marks \\u200e\\u200f"),
        ("« Bien sûr », 日本語, emoji 🙂", "« Bien sûr », 日本語, emoji 🙂"),
    ],
)  # fmt: skip
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_json_visible_decodes_to_the_same_data() -> None:
    data = [HOSTILE, {"k": "\u2067x"}]
    text = json_visible(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not any(char in text for char in RAW)


def _catalog(workspace: Path) -> Path:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    first = polib.POEntry(msgid="Bonjour.", msgstr="Hello.", occurrences=[("source/d.txt", "1")])
    hostile = polib.POEntry(
        msgid="Il a dit « oui ».",
        msgstr=f'He said "yes". {HOSTILE}',
        occurrences=[("source/d.txt", "2")],
        flags=["fuzzy"],
    )
    set_provenance(hostile, Provenance("argos", "translate-fr_en", "1.9", -0.5))
    po.extend([first, hostile])
    path = workspace / "locales" / "en" / "d.po"
    path.parent.mkdir(parents=True)
    save_po(path, po)
    return path


def test_check_escapes_user_text(runner: CliRunner, workspace: Path) -> None:
    _catalog(workspace)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en"])
    assert "quotes" in result.output
    assert_escaped(result.output)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en", "--json"])
    assert not any(char in result.output for char in RAW)
    found = json.loads(result.output)
    assert any("\x1b" in finding["evidence"] for finding in found), found  # data intact


def test_review_escapes_user_text(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _catalog(workspace)
    ws = load_workspace(workspace)
    queue = build_queue(ws, "en")
    keys = iter(["q"])
    rita = Reviewer("Rita", "--reviewer")
    ReviewSession(ws, "en", queue, rita, None, read_key=lambda: next(keys)).run()
    out = capsys.readouterr().out
    assert "He said" in out
    assert_escaped(out)


def test_segment_escapes_user_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["segment", "--lang", "fr", "-"], input=HOSTILE)
    assert result.exit_code == 0
    assert_escaped(result.output)
    result = runner.invoke(main, ["segment", "--json", "--lang", "fr", "-"], input=HOSTILE)
    assert not any(char in result.output for char in RAW)
    assert "".join(json.loads(result.output)).replace(" ", "") == HOSTILE.replace(" ", "")


def test_stats_escapes_document_names(runner: CliRunner, workspace: Path) -> None:
    path = _catalog(workspace)
    path.rename(path.with_name("d\x1b]0;pwned\x07.po"))
    result = runner.invoke(main, ["stats", "-w", str(workspace)])
    assert result.exit_code == 0 and "d\\x1b]0;pwned\\x07" in result.output
    assert not any(char in result.output for char in RAW)


def test_errors_escape_what_they_quote(runner: CliRunner, workspace: Path) -> None:
    config = workspace / "tirage.toml"
    config.write_text('"\\u001b]0;x\\u0007" = 1\n' + config.read_text())  # TOML escapes
    result = runner.invoke(main, ["update", "-w", str(workspace)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "unknown setting" in result.output and "\\x1b]0;x\\x07" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
