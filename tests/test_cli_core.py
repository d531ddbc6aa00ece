"""init, segment and update, run through the CLI as a user would."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.po.pofile import read_po

from conftest import INTERVIEW
from gettext_tools import assert_canonical, msgmerge, requires_gettext


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, result.output + (result.stderr if result.stderr_bytes else "")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


def po_path(ws: Path, lang: str = "en") -> Path:
    return ws / "locales" / lang / f"{INTERVIEW}.po"


def test_init_creates_a_workspace(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new"
    run(runner, "init", str(target), "--source", "fr", "--targets", "en,es")
    config = (target / "tirage.toml").read_text(encoding="utf-8")
    assert 'source_language = "fr"' in config and '["en", "es"]' in config
    assert (target / "source").is_dir() and (target / "locales").is_dir()
    out = run(runner, "init", str(target), "--source", "fr", "--targets", "en", code=2)
    assert "already exists" in out


def test_init_refuses_unknown_language(runner: CliRunner, tmp_path: Path) -> None:
    out = run(runner, "init", str(tmp_path / "x"), "--source", "fr", "--targets", "xx", code=2)
    assert "--targets: unknown language code 'xx'" in out


def test_segment_prints_sentences_and_json(runner: CliRunner, tmp_path: Path) -> None:
    text = "M. Dupont est arrivé. Il a dit « Vraiment ? » et il est parti. C'est fini."
    out = runner.invoke(main, ["segment", "--lang", "fr", "-"], input=text).output
    assert out.splitlines() == [
        "M. Dupont est arrivé.",
        "Il a dit « Vraiment ? » et il est parti.",
        "C'est fini.",
    ]
    out = runner.invoke(main, ["segment", "--json", "-"], input=text).output
    assert json.loads(out)[0] == "M. Dupont est arrivé."


@requires_gettext
def test_update_builds_canonical_catalogs(runner: CliRunner, workspace: Path) -> None:
    run(runner, "update", "--workspace", str(workspace))
    pot = workspace / "locales" / f"{INTERVIEW}.pot"
    assert_canonical(pot)
    for lang in ("en", "es", "de"):
        path = po_path(workspace, lang)
        assert_canonical(path)
        po = read_po(path)
        assert po.metadata["Language"] == lang
        assert po.metadata["Plural-Forms"].startswith("nplurals=")
        assert po.metadata["X-Generator"] == "tirage"
        first = po[0]
        assert first.occurrences == [(f"source/{INTERVIEW}.txt", "1")]
        assert first.comment == "kicker"


def test_second_update_rewrites_nothing(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(runner, "update", "-w", str(workspace))
    files = sorted((workspace / "locales").rglob("*.po*"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # time has passed
    out = run(runner, "update", "-w", str(workspace))
    assert out.count("unchanged") == 4
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_idle_update_is_skipped_until_an_input_changes(runner: CliRunner, workspace: Path) -> None:
    """An update that wrote nothing is recorded; the next one with the same files says the
    same without merging again, and any changed input (a translator's save, the source, a
    setting) brings the real merge back."""
    ws = str(workspace)
    run(runner, "update", "-w", ws)
    idle = run(runner, "update", "-w", ws)  # the fixed point: recorded
    record = workspace / ".tirage" / "update.json"
    assert record.is_file()
    assert run(runner, "update", "-w", ws) == idle  # skipped: the same report
    (workspace / ".tirage" / "update.json").unlink()
    assert run(runner, "update", "-w", ws) == idle  # the real merge agrees

    # A translator saves with another tool's wrapping: the merge runs again, changes no
    # message, and leaves the file as that tool laid it out (as `msgmerge --update` does).
    path = po_path(workspace)
    po = read_po(path)
    po.find("Bien sûr.").msgstr = "Of course."
    po.save(str(path))  # polib's own wrapping, not msgcat's
    polib_bytes = path.read_bytes()
    assert "en/" + f"{INTERVIEW}.po: " in run(runner, "update", "-w", ws)
    assert path.read_bytes() == polib_bytes
    digests = json.loads(record.read_text(encoding="utf-8"))["documents"]
    recorded = next(iter(digests.values()))["digests"][f"locales/en/{INTERVIEW}.po"]
    assert recorded == hashlib.sha256(polib_bytes).hexdigest()  # the file as it is, recorded

    # The source changes: the new sentence reaches the template at once.
    run(runner, "update", "-w", ws)
    source = workspace / "source" / f"{INTERVIEW}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nUne phrase de plus.\n")
    out = run(runner, "update", "-w", ws)
    assert "1 new" in out and read_po(path).find("Une phrase de plus.") is not None

    # A setting changes: no record of the old settings is trusted.
    run(runner, "update", "-w", ws)
    config = workspace / "tirage.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"de"', '"de", "it"'))
    out = run(runner, "update", "-w", ws)
    assert (workspace / "locales" / "it" / f"{INTERVIEW}.po").is_file(), out


@requires_gettext
def test_update_follows_source_edits_like_msgmerge(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(runner, "update", "-w", str(workspace))
    path = po_path(workspace)
    po = read_po(path)
    po.find("Bien sûr.").msgstr = "Of course."
    po.find("En a-t-elle les moyens ?").msgstr = "Does it have the means?"
    po.find("Tout dépend d'elles.").msgstr = "It all depends on them."
    po.save(str(path))
    old_copy = path.with_suffix(".old")
    old_copy.write_bytes(path.read_bytes())

    source = workspace / "source" / f"{INTERVIEW}.txt"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("En a-t-elle les moyens ?", "En a-t-elle vraiment les moyens ?")
    edited = edited.replace("Tout dépend d'elles. ", "")
    source.write_text(edited, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1432900000")
    run(runner, "update", "-w", str(workspace))

    po = read_po(path)
    assert po.find("Bien sûr.").msgstr == "Of course."
    changed = po.find("En a-t-elle vraiment les moyens ?")
    assert changed.fuzzy and changed.msgstr == "Does it have the means?"
    assert changed.previous_msgid == "En a-t-elle les moyens ?"
    gone = po.find("Tout dépend d'elles.", include_obsolete_entries=True)
    assert gone.obsolete and gone.msgstr == "It all depends on them."
    assert_canonical(path)
    # The same result as msgmerge --previous on the same files.
    assert path.read_text(encoding="utf-8") == msgmerge(
        old_copy, workspace / "locales" / f"{INTERVIEW}.pot"
    )

    source.write_text(text, encoding="utf-8")  # the sentence comes back
    run(runner, "update", "-w", str(workspace))
    back = read_po(path).find("Tout dépend d'elles.")
    assert back is not None and back.msgstr == "It all depends on them." and not back.fuzzy


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("bad_po", ":3: syntax error"),
        ("unterminated", ":4: syntax error"),
        ("bad_lang", "unknown language code 'zz'"),
        ("latin1", "not UTF-8 text"),
        ("unknown_ext", "unknown source format '.rtf'"),
        ("no_config", "no tirage.toml here"),
    ],
)
def test_bad_input_is_one_line_exit_1(
    runner: CliRunner, workspace: Path, setup: str, message: str
) -> None:
    if setup == "bad_po":
        po_path(workspace).parent.mkdir(parents=True)
        po_path(workspace).write_text('msgid "a"\nmsgstr "b"\nmsgid x\n', encoding="utf-8")
    elif setup == "unterminated":  # polib alone would drop this entry without a word
        po_path(workspace).parent.mkdir(parents=True)
        text = 'msgid ""\nmsgstr ""\n\nmsgid "Bien sûr.\nmsgstr "Of course."\n'
        po_path(workspace).write_text(text, encoding="utf-8")
    elif setup == "bad_lang":
        config = workspace / "tirage.toml"
        config.write_text(config.read_text().replace('"de"', '"zz"'), encoding="utf-8")
    elif setup == "latin1":
        (workspace / "source" / "old.txt").write_bytes("Café.\n".encode("latin-1"))
    elif setup == "unknown_ext":
        (workspace / "source" / "notes.rtf").write_text("{\\rtf1}", encoding="utf-8")
    elif setup == "no_config":
        (workspace / "tirage.toml").unlink()
    result = runner.invoke(main, ["update", "-w", str(workspace)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tirage: ") and message in lines[0]
    assert "Traceback" not in result.output


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(main, ["update", "--bogus"]).exit_code == 2


def test_segment_takes_the_workspace_source_language(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "init", str(tmp_path / "w"), "--source", "en", "--targets", "fr")
    text = "It is approx. ten metres. He left."  # French rules would cut after "approx."
    out = runner.invoke(main, ["segment", "-w", str(tmp_path / "w"), "-"], input=text).output
    assert out.splitlines() == ["It is approx. ten metres.", "He left."]
    out = runner.invoke(main, ["segment", "-"], input=text).output  # no workspace here: fr
    assert out.splitlines()[0] == "It is approx."


@requires_gettext
def test_update_leaves_another_layout_as_msgmerge_update_does(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog and template that another tool laid out (here `msgcat --no-wrap`) are left
    as they are by an update that changes no message, as `msgmerge --update` leaves them;
    an update that changes one writes the file gettext's way, as `msgmerge` does."""
    ws = str(workspace)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1432900000")
    run(runner, "update", "-w", ws)
    path, pot = po_path(workspace), workspace / "locales" / f"{INTERVIEW}.pot"
    po = read_po(path)
    po.find("Bien sûr.").msgstr = "Of course."
    po.save(str(path))
    for file in (path, pot):
        subprocess.run(["msgcat", "--no-wrap", "-o", str(file), str(file)], check=True)
    unwrapped, unwrapped_pot = path.read_bytes(), pot.read_bytes()
    assert b"\n" + b'msgid ""\n"' not in unwrapped  # one line a string: not gettext's layout

    reference = workspace / "reference.po"  # gettext's own behaviour, on a copy
    reference.write_bytes(unwrapped)
    subprocess.run(["msgmerge", "-U", "-q", "--backup=none", str(reference), str(pot)], check=True)
    assert reference.read_bytes() == unwrapped

    run(runner, "update", "-w", ws)
    assert path.read_bytes() == unwrapped and pot.read_bytes() == unwrapped_pot

    source = workspace / "source" / f"{INTERVIEW}.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Bien sûr.", "Bien sûr !"), encoding="utf-8")
    old_copy = workspace / "old.po"
    old_copy.write_bytes(unwrapped)
    run(runner, "update", "-w", ws)
    assert_canonical(pot)
    assert path.read_text(encoding="utf-8") == msgmerge(old_copy, pot)
    assert read_po(path).find("Bien sûr !").msgstr == "Of course."


def test_the_cli_loads_each_format_s_reader_and_writer_when_used() -> None:
    """Every command starts by importing the CLI: the Markdown and HTML readers, YAML and
    the editions' writers wait for a command that reads or writes those formats."""
    code = (
        "import sys, tirage.cli, tirage.quality.checks, tirage.readers; "
        "print(sorted(m for m in ('markdown_it', 'yaml', 'tirage.editions.html', "
        "'tirage.readers.markdown', 'tirage.readers.html', 'tirage.publish') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
