"""The CLI forgives a new user's mistakes: sub-folders, language names, quiet builds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import assert_refused
from tirage.cli import main
from tirage.po.pofile import read_po
from tirage.text.glossary import load_glossary
from tirage.workspace import load_workspace

from conftest import INTERVIEW
from gettext_tools import msgfmt_check, requires_gettext


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_workspace_is_found_from_a_sub_folder(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "locales" / "en").mkdir(parents=True)
    monkeypatch.chdir(workspace / "locales" / "en")
    ok(runner, "update")  # as git finds its repository
    assert (workspace / "locales" / "en" / f"{INTERVIEW}.po").is_file()
    assert load_workspace(workspace / "source").root == workspace
    out = ok(runner, "stats", "-w", str(workspace / "source"))
    assert INTERVIEW in out


def test_no_workspace_anywhere_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path / "notes")
    assert_refused(tmp_path, ["update"], "no tirage.toml here or in any parent folder")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["translate", "--to", "english"],
         "--to: 'english' is not a language code (targets: en, es, de); did you mean en?"),
        (["stats", "--to", "en,german"], "--to: 'german' is not a language code"),
        (["check", "--to", "it"], "--to: 'it' is not a target language (targets: en, es, de)"),
        (["export", "--to", "Spanish"], "did you mean es?"),
        (["review", "--to", "anglais"], "--to: 'anglais' is not a language code"),
        (["segment", "--lang", "french", "-"],
         "--lang: unknown language code 'french'; did you mean fr?"),
    ],
)  # fmt: skip
def test_language_codes_are_usage_errors_of_their_option(
    workspace: Path, args: list[str], message: str
) -> None:
    result = assert_refused(workspace, [*args, "-w", str(workspace)], message, code=2)
    assert "tirage.toml" not in result.output


def test_language_codes_are_case_insensitive(runner: CliRunner, workspace: Path) -> None:
    ok(runner, "update", "-w", str(workspace))
    out = ok(runner, "translate", "-w", str(workspace), "--to", "EN", "--engine", "pseudo")
    assert out.startswith("en: ")
    assert (workspace / "locales" / "en" / f"{INTERVIEW}.po").is_file()
    assert not (workspace / "locales" / "EN").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "french", "--targets", "en"],
         "--source: unknown language code 'french'; did you mean fr?"),
        (["--source", "fr", "--targets", "en,English"],
         "--targets: unknown language code 'English'; did you mean en?"),
        (["--source", "fr", "--targets", "en,FR"], "--targets: 'fr' is the source language"),
        (["--source", "fr", "--targets", " , "], "--targets needs at least one language code"),
    ],
)  # fmt: skip
def test_init_refuses_bad_languages(tmp_path: Path, args: list[str], message: str) -> None:
    assert_refused(tmp_path, ["init", str(tmp_path / "new"), *args], message, code=2)
    assert not (tmp_path / "new").exists()


def test_init_creates_the_layout_the_readme_lists(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "new"
    ok(runner, "init", str(root), "--source", "FR", "--targets", "en,pt-br")
    ws = load_workspace(root)
    assert (ws.source_lang, ws.targets) == ("fr", ("en", "pt-BR"))
    with (root / "glossary.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["term", "action", "en", "pt-BR", "note"]
    assert load_glossary(root / "glossary.csv").terms == ()
    ignored = (root / ".gitignore").read_text().splitlines()
    assert "/editions/" in ignored and ".tirage/" in ignored


@requires_gettext
def test_pt_br_is_written_pt_underscore_br_in_po_headers(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "new"
    ok(runner, "init", str(root), "--source", "fr", "--targets", "pt-BR")
    (root / "source" / "a.txt").write_text("Titre\n\nBien sûr.\n", encoding="utf-8")
    ok(runner, "update", "-w", str(root))
    path = root / "locales" / "pt-BR" / "a.po"
    assert read_po(path).metadata["Language"] == "pt_BR"
    assert "Language: pt_BR\\n" in path.read_text(encoding="utf-8")
    msgfmt_check(path)


MARKDOWN = """\
---
title: Le pôle numérique
layout: post
---

# Un titre

- Premier point. Deuxième phrase.
- Second point

> Une citation.

```
code ignoré.
```
"""


def test_segment_reads_markdown_as_update_does(runner: CliRunner, workspace: Path) -> None:
    (workspace / "source" / f"{INTERVIEW}.txt").unlink()
    source = workspace / "source" / "article.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    out = ok(runner, "segment", str(source)).splitlines()
    assert out == [
        "Le pôle numérique",
        "Un titre",
        "Premier point.",
        "Deuxième phrase.",
        "Second point",
        "Une citation.",
    ]
    ok(runner, "update", "-w", str(workspace))
    assert out == [e.msgid for e in read_po(workspace / "locales" / "article.pot")]


def test_build_quiet_prints_nothing(
    runner: CliRunner, workspace: Path, argos_empty: dict[str, str]
) -> None:
    result = runner.invoke(main, ["build", "-q", "-w", str(workspace), "--threshold", "0"])
    assert result.exit_code == 0 and result.output == ""
    assert (workspace / "locales" / "en" / f"{INTERVIEW}.po").is_file()
    out = ok(runner, "build", "-w", str(workspace))
    assert "not machine-translated" in out  # what -q leaves out is a notice, not an error


def test_translate_summary_says_what_happened(runner: CliRunner, workspace: Path) -> None:
    ok(runner, "update", "-w", str(workspace))
    out = ok(runner, "translate", "-w", str(workspace), "--to", "en", "--engine", "pseudo")
    assert out == (
        "en: 48 untranslated entries: 48 machine-translated by pseudo (fuzzy, for review); "
        "0 left untranslated\n"
    )
    out = ok(runner, "translate", "-w", str(workspace), "--to", "en", "--engine", "pseudo")
    assert out == "en: nothing to translate (no untranslated entries)\n"


def test_doc_is_one_option_everywhere(runner: CliRunner, workspace: Path) -> None:
    helps = {}
    for command in ("translate", "review"):
        text = ok(runner, command, "--help")
        line = next(line for line in text.splitlines() if "--doc" in line)
        helps[command] = " ".join(text[text.index(line) :].split("\n  -")[0].split())
    assert helps["translate"] == helps["review"]
    assert "--doc NAME" in helps["translate"] and "repeatable" in helps["translate"]
    ok(runner, "update", "-w", str(workspace))
    for name in (f"{INTERVIEW}.txt", f"source/{INTERVIEW}.txt", INTERVIEW):
        out = ok(runner, "translate", "-w", str(workspace), "--to", "de", "--doc", name,
                 "--engine", "pseudo")  # fmt: skip
        assert out.startswith("de: ")


def test_a_missing_workspace_folder_is_not_searched_upwards(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    assert_refused(workspace, ["update", "-w", "sorce"], "sorce: no such folder")


def test_export_threshold_nan_is_a_usage_error(runner: CliRunner, workspace: Path) -> None:
    result = runner.invoke(main, ["export", "-w", str(workspace), "--threshold", "nan"])
    assert result.exit_code == 2 and "nan is not a number from 0 to 100" in result.output
