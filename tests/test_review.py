"""The review queue, driven through a pseudo-terminal as a reviewer would use it."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.memory import TranslationMemory
from tirage.pofile import format_po, read_po, save_po
from tirage.provenance import Provenance, set_provenance
from tirage.review import ReviewSession, build_queue, confidence
from tirage.workspace import load_workspace

REVIEWER = "Rita Reviewer <rita@example.org>"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def entry(
    msgid: str, msgstr: str, line: int, provenance: Provenance | None = None, **kw: object
) -> polib.POEntry:
    made = polib.POEntry(
        msgid=msgid, msgstr=msgstr, occurrences=[("source/doc.txt", str(line))], **kw
    )
    made.comment = "paragraph"
    if provenance is not None:
        set_provenance(made, provenance)
    return made


def make_catalog(workspace: Path) -> Path:
    ws = load_workspace(workspace)
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "doc",
        "Last-Translator": "",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    argos = "translate-fr_en"
    po.append(entry("Lyon", "Lyon", 1))
    po.append(
        entry(
            "Bien sûr.", "Of course.", 3, Provenance("argos", argos, "1.9", -0.1), flags=["fuzzy"]
        )
    )
    po.append(
        entry(
            "En a-t-elle les moyens ?",
            "Does she have the means ?",
            5,
            Provenance("argos", argos, "1.9", -2.0),
            flags=["fuzzy"],
        )
    )
    po.append(
        entry(
            "Le label nous a poussés.",
            "The label pushed us.",
            7,
            Provenance("memory", "other", "", 80.0),
            flags=["fuzzy"],
        )
    )
    po.append(
        entry(
            "Depuis 2008, nous portons l'ambition.",
            "Since 2008 we carry the ambition.",
            9,
            flags=["fuzzy"],
            previous_msgid="En 2008, nous portions l'ambition.",
        )
    )
    po.append(entry("Au niveau international, c'est bien.", "", 11))
    path = ws.po_path("en", "doc")
    path.parent.mkdir(parents=True)
    save_po(path, po)
    other = polib.POFile(wrapwidth=79)
    other.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    other.append(entry("En a-t-il les moyens ?", "Does he have the means?", 1))
    save_po(ws.po_path("en", "other"), other)
    return path


class Terminal:
    """A child process on a pseudo-terminal: wait for text, then type."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = ""
        self.mark = 0

    def expect(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            screen = ANSI.sub("", self.seen[self.mark :])
            found = regex.search(screen)
            if found:
                self.mark = len(self.seen)
                return screen
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise AssertionError(f"waited for {pattern!r}; the screen shows:\n{screen}")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.seen += data.decode("utf-8", "replace")
        return True

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def finish(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        while self._read(0.1):
            pass
        os.close(self.master)
        return self.process.wait(timeout=5)


def start_review(workspace: Path, tmp_path: Path) -> Terminal:
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf 'The label pushed us forward.\\n' > \"$1\"\n")
    editor.chmod(0o755)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "EDITOR": str(editor),
        "SOURCE_DATE_EPOCH": "1432800000",
        "PYTHONPATH": os.pathsep.join(sys.path),
        "PYTHONFAULTHANDLER": "1",
    }
    argv = [sys.executable, "-m", "tirage", "review", "--to", "en", "-w", str(workspace)]
    return Terminal([*argv, "--reviewer", REVIEWER], env)


def test_confidence_orders_engines_on_one_scale() -> None:
    assert confidence(None) == 0.0
    assert confidence(Provenance("apertium")) == 0.0
    assert confidence(Provenance("argos", score=-2.0)) < confidence(Provenance("argos", score=-0.1))
    assert confidence(Provenance("memory", score=80.0)) == pytest.approx(0.8)


def test_queue_is_lowest_confidence_first(workspace: Path) -> None:
    make_catalog(workspace)
    queue = build_queue(load_workspace(workspace), "en")
    assert [item.entry.msgid for item in queue] == [
        "Depuis 2008, nous portons l'ambition.",
        "En a-t-elle les moyens ?",
        "Le label nous a poussés.",
        "Bien sûr.",
    ]


def test_review_through_a_pty(workspace: Path, tmp_path: Path) -> None:
    path = make_catalog(workspace)
    term = start_review(workspace, tmp_path)
    # 1: fuzzy from a source change, shown between its neighbouring sentences; skip it.
    screen = term.expect(r"1/4.*\n(.*\n)*.*\[q\]uit > ")
    assert "Le label nous a poussés." in screen  # the sentence before
    assert "▶ Depuis 2008, nous portons l'ambition." in screen
    assert "Au niveau international, c'est bien." in screen  # the sentence after
    assert "source changed; was: En 2008, nous portions l'ambition." in screen
    term.send("s")
    # 2: the weakest machine output, with a memory match and a check finding; edit inline.
    screen = term.expect(r"2/4(.*\n)*.*\[q\]uit > ")
    assert "engine=argos; model=translate-fr_en; version=1.9; score=-2" in screen
    assert "Does she have the means ?" in screen
    assert re.search(r"Memory:\s*\n\s*\d+\.\d%  Does he have the means\?  \[other\]", screen)
    assert "[warning] punctuation-spacing: no space before '?'" in screen
    term.send("i")
    term.expect(r"> Does she have the means \?")  # the line editor shows the text to edit
    term.send("\x15Does it have the means?\r")
    # 3: go back, see the saved edit, accept it as it is now.
    term.expect(r"3/4(.*\n)*.*\[q\]uit > ")
    saved = read_po(path)
    assert (
        next(e for e in saved if e.msgid.startswith("En a-t")).msgstr == "Does it have the means?"
    )
    term.send("b")
    screen = term.expect(r"2/4(.*\n)*.*\[q\]uit > ")
    assert "[edited]" in screen and "Does it have the means?" in screen
    term.send("a")
    # 3 again: edit in $EDITOR.
    term.expect(r"3/4(.*\n)*.*\[q\]uit > ")
    term.send("e")
    # 4: accept.
    term.expect(r"4/4(.*\n)*.*\[q\]uit > ")
    term.send("a")
    screen = term.expect(r"2 accepted, 1 edited, 1 skipped of 4 fuzzy entries")
    assert term.finish() == 0

    po = read_po(path)
    by_id = {e.msgid: e for e in po}
    assert po.metadata["Last-Translator"] == REVIEWER
    assert po.metadata["PO-Revision-Date"] == "2015-05-28 08:00+0000"
    assert "fuzzy" in by_id["Depuis 2008, nous portons l'ambition."].flags  # skipped
    assert by_id["Depuis 2008, nous portons l'ambition."].previous_msgid
    for msgid, text in [
        ("En a-t-elle les moyens ?", "Does it have the means?"),
        ("Le label nous a poussés.", "The label pushed us forward."),
        ("Bien sûr.", "Of course."),
    ]:
        assert "fuzzy" not in by_id[msgid].flags
        assert by_id[msgid].msgstr == text
        assert "tirage-mt:" in by_id[msgid].tcomment  # provenance stays: post-edited MT
    assert path.read_text(encoding="utf-8") == format_po(po)  # saved in gettext's format

    ws = load_workspace(workspace)
    with TranslationMemory.open(ws) as memory:
        summary = {(s.engine, s.lang): s for s in memory.post_edit_summary()}
        assert summary[("argos", "en")].segments == 2
        assert summary[("argos", "en")].unchanged == 1  # "Of course." accepted as is
        assert summary[("memory", "en")].edit_ratio > 0
        match = memory.lookup("Bien sûr.", "fr", "en")
        # Accepted unchanged: machine output a reviewer accepted, not a post-edit.
        assert match is not None and match.mt_accepted and not match.post_edited
        edited = memory.lookup("Le label nous a poussés.", "fr", "en")
        assert edited is not None and edited.post_edited and not edited.mt_accepted

    # A second session: only the skipped entry is left; quit at once.
    term = start_review(workspace, tmp_path)
    term.expect(r"1/1(.*\n)*.*\[q\]uit > ")
    term.send("q")
    term.expect(r"0 accepted, 0 edited, 0 skipped of 1 fuzzy entries")
    assert term.finish() == 0
    assert read_po(path).metadata == po.metadata


def test_review_needs_a_terminal(workspace: Path, runner: CliRunner) -> None:
    make_catalog(workspace)
    result = runner.invoke(main, ["review", "--to", "en", "-w", str(workspace)])
    assert result.exit_code == 2
    assert "interactive" in result.output
    result = runner.invoke(main, ["review", "--to", "en,de", "-w", str(workspace)])
    assert result.exit_code == 2


def test_a_decision_keeps_what_a_translator_saved_meanwhile(workspace: Path) -> None:
    """The queue is built, then someone edits another entry in Poedit; accepting an entry
    must not bring the old text of that other entry back."""
    path = make_catalog(workspace)
    ws = load_workspace(workspace)
    queue = build_queue(ws, "en")
    first = queue[0].entry.msgid  # the least confident: "En a-t-elle les moyens ?"
    po = read_po(path)
    other = po.find("Bien sûr.")
    other.msgstr, other.flags = "Sure.", []
    save_po(path, po)
    keys = iter(["a", "q"])
    session = ReviewSession(
        ws, "en", queue, "Rita <rita@example.org>", None, read_key=lambda: next(keys)
    )
    session.run()
    after = read_po(path)
    assert after.find("Bien sûr.").msgstr == "Sure." and not after.find("Bien sûr.").fuzzy
    assert not after.find(first).fuzzy
    assert after.metadata["Last-Translator"] == "Rita <rita@example.org>"
