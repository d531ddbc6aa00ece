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
from tirage.cli.review_queue import ReviewSession
from tirage.memory import TranslationMemory
from tirage.po.pofile import format_po, read_po, save_po
from tirage.provenance import Provenance, set_provenance
from tirage.review import Reviewer, build_queue, confidence, default_reviewer
from tirage.workspace import load_workspace

REVIEWER = "Rita Reviewer <rita@example.org>"
RITA = Reviewer(REVIEWER, "--reviewer")
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
    argv += ["--order", "confidence"]
    return Terminal([*argv, "--reviewer", REVIEWER], env)


def test_confidence_orders_engines_on_one_scale() -> None:
    assert confidence(None) is None
    assert confidence(Provenance("apertium")) is None
    assert confidence(Provenance("argos", score=-2.0)) < confidence(Provenance("argos", score=-0.1))
    assert confidence(Provenance("memory", score=80.0)) == pytest.approx(0.8)


def test_queue_is_in_document_order_unless_asked(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalog(workspace)
    queue = build_queue(load_workspace(workspace), "en")
    assert [item.position for item in queue] == sorted(item.position for item in queue)
    assert len(queue) == 4
    keys = iter(["s", "s", "q"])
    ws = load_workspace(workspace)
    ReviewSession(ws, "en", queue, RITA, None, read_key=lambda: next(keys)).run()
    shown = capsys.readouterr().out
    assert shown.index("▶ Bien sûr.") < shown.index("▶ En a-t-elle les moyens ?")


def test_queue_is_lowest_confidence_first(workspace: Path) -> None:
    make_catalog(workspace)
    queue = build_queue(load_workspace(workspace), "en", order="confidence")
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
    assert re.search(r"Source changed; it was:\r?\n   En 2008, nous portions l'ambition\.", screen)
    assert "[-En-]{+Depuis+} 2008, nous [-portions-]{+portons+} l'ambition." in screen
    term.send("s")
    # 2: the weakest machine output, with a memory match and a check finding; edit inline.
    screen = term.expect(r"2/4(.*\n)*.*\[q\]uit > ")
    assert "machine translation: Argos fr→en 1.9, score −2.00" in screen
    assert "Does she have the means ?" in screen
    assert re.search(r"Memory:\s*\n\s*1 +\d+\.\d%  Does he have the means\?  \[other\]", screen)
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
    queue = build_queue(ws, "en", order="confidence")
    first = queue[0].entry.msgid  # the least confident: "En a-t-elle les moyens ?"
    po = read_po(path)
    other = po.find("Bien sûr.")
    other.msgstr, other.flags = "Sure.", []
    save_po(path, po)
    keys = iter(["a", "q"])
    session = ReviewSession(
        ws,
        "en",
        queue,
        Reviewer("Rita <rita@example.org>", "--reviewer"),
        None,
        read_key=lambda: next(keys),
    )
    session.run()
    after = read_po(path)
    assert after.find("Bien sûr.").msgstr == "Sure." and not after.find("Bien sûr.").fuzzy
    assert not after.find(first).fuzzy
    assert after.metadata["Last-Translator"] == "Rita <rita@example.org>"


# -- the queue's decisions, driven with scripted keys ------------------------------------------


def scripted(
    workspace: Path,
    keys: list[str],
    memory: TranslationMemory | None = None,
    reviewer: Reviewer = RITA,
) -> ReviewSession:
    ws = load_workspace(workspace)
    typed = iter(keys)
    session = ReviewSession(
        ws,
        "en",
        build_queue(ws, "en", order="confidence"),
        reviewer,
        memory,
        read_key=lambda: next(typed),
    )
    session.run()
    return session


def test_a_digit_inserts_a_memory_match(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalog(workspace)
    ws = load_workspace(workspace)
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        # skip the first entry, insert match 1 into "En a-t-elle les moyens ?", come back
        scripted(workspace, ["s", "1", "b", "q"], memory)
    out = capsys.readouterr().out
    assert "Memory match 1 inserted." in out
    saved = read_po(path).find("En a-t-elle les moyens ?")
    assert saved.msgstr == "Does he have the means?" and not saved.fuzzy
    # Back on it: the text is now a human's choice, not the engine's.
    shown_again = out.rsplit("── 2/4", 1)[1]
    assert "Translation (post-edited by a person from Argos fr→en 1.9, score −2.00):" in shown_again
    assert "Translation (machine" not in shown_again
    # The same view as the desk's: the entry's history is there too.
    assert f"Last decided by {RITA.name}, " in shown_again
    assert "Last decided by" not in out.rsplit("── 2/4", 1)[0]


def test_machine_and_human_text_are_labelled(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalog(workspace)
    ws = load_workspace(workspace)
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        scripted(workspace, ["s", "q"], memory)
    out = capsys.readouterr().out
    assert "Translation (written by a person):\n   Since 2008 we carry the ambition." in out
    assert "Translation (machine translation: Argos fr→en 1.9, score −2.00):" in out


def write_catalog(workspace: Path, entries: list[polib.POEntry]) -> Path:
    ws = load_workspace(workspace)
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    for item in entries:
        po.append(item)
    path = ws.po_path("en", "doc")
    path.parent.mkdir(parents=True, exist_ok=True)
    save_po(path, po)
    return path


def test_an_error_finding_asks_before_accepting(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apertium = Provenance("apertium", "fr-en")
    path = write_catalog(
        workspace, [entry("Il a 35 ans.", "He is 53.", 1, apertium, flags=["fuzzy"])]
    )
    scripted(workspace, ["a", "n", "q"])
    out = capsys.readouterr().out
    assert "[error] numbers: 35 in the source, not in the translation" in out
    assert "Accept it with this error? [y/N]" in out and "Not accepted." in out
    assert read_po(path).find("Il a 35 ans.").fuzzy
    scripted(workspace, ["a", "y"])
    assert not read_po(path).find("Il a 35 ans.").fuzzy


def test_entries_without_a_score_say_so_and_go_by_findings_then_length(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apertium = Provenance("apertium", "fr-es")
    argos = Provenance("argos", "translate-fr_en", "1.9", -0.3)
    write_catalog(
        workspace,
        [
            entry("Oui.", "Yes.", 1, apertium, flags=["fuzzy"]),
            entry("Il est venu hier soir.", "He came last night.", 2, apertium, flags=["fuzzy"]),
            entry("Bien.", "Good.", 3, argos, flags=["fuzzy"]),
            entry("Voir https://a.fr/x.", "See the site.", 4, apertium, flags=["fuzzy"]),
        ],
    )
    queue = build_queue(load_workspace(workspace), "en", order="confidence")
    assert [item.entry.msgid for item in queue] == [
        "Voir https://a.fr/x.",  # an error finding (the URL is lost)
        "Il est venu hier soir.",  # then the longer
        "Oui.",
        "Bien.",  # scored entries after those that nothing vouches for
    ]
    scripted(workspace, ["q"])
    out = capsys.readouterr().out
    assert "1/4  locales/en/doc.po:" in out and "no score" in out
    assert "confidence 0%" not in out


def test_the_entrys_own_text_is_not_offered_as_a_match(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalog(workspace)
    ws = load_workspace(workspace)
    other = read_po(ws.po_path("en", "other"))
    other.append(entry("Bien sûr.", "Of course.", 3))
    other.append(entry("Bien sûr !", "Sure!", 4))
    save_po(ws.po_path("en", "other"), other)
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        assert memory.lookup("Bien sûr.", "fr", "en") is not None  # the memory has it
        scripted(workspace, ["s", "s", "s", "q"], memory)
    last = capsys.readouterr().out.rsplit("── 4/4", 1)[1]
    assert "▶ Bien sûr." in last
    assert "Of course.  [other]" not in last
    assert re.search(r"1 +\d+\.\d%  Sure!  \[other\]", last)


def test_last_translator_says_where_it_came_from_once(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalog(workspace)
    git = Reviewer("Gil Git <gil@example.org>", "your git identity (git config user.name)")
    scripted(workspace, ["s", "a", "a", "q"], reviewer=git)
    out = capsys.readouterr().out
    assert out.count("Last-Translator: Gil Git <gil@example.org> (from your git identity") == 1
    assert "set [team] translator in tirage.toml" in out
    assert read_po(path).metadata["Last-Translator"] == "Gil Git <gil@example.org>"
    scripted(workspace, ["a", "q"], reviewer=git)  # already the Last-Translator: nothing said
    assert "Last-Translator:" not in capsys.readouterr().out


def test_the_reviewer_comes_from_tirage_toml_else_git(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Gil Git\n\temail = gil@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    found = default_reviewer(load_workspace(workspace))
    assert found == Reviewer("Gil Git <gil@example.org>", found.origin)
    assert "git" in found.origin
    config = workspace / "tirage.toml"
    config.write_text(
        config.read_text() + '\n[team]\ntranslator = "Tess Toml <tess@example.org>"\n'
    )
    found = default_reviewer(load_workspace(workspace))
    assert found.name == "Tess Toml <tess@example.org>"
    assert found.origin == "[team] translator in tirage.toml"


def test_e_without_an_editor_says_it_edits_inline(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_catalog(workspace)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": "Since 2008 we have the ambition.")
    scripted(workspace, ["e", "q"])
    out = capsys.readouterr().out
    assert "No $VISUAL or $EDITOR set (nor --editor): editing inline." in out
    saved = read_po(load_workspace(workspace).po_path("en", "doc"))
    assert saved.find("Depuis 2008, nous portons l'ambition.").msgstr == (
        "Since 2008 we have the ambition."
    )


def test_an_entry_changed_on_disk_is_not_overwritten(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalog(workspace)
    ws = load_workspace(workspace)
    queue = build_queue(ws, "en", order="confidence")
    po = read_po(path)
    po.find("Depuis 2008, nous portons l'ambition.").msgstr = "Since 2008, Poedit's text."
    save_po(path, po)
    keys = iter(["a", "a", "q"])
    ReviewSession(
        ws, "en", queue, Reviewer(REVIEWER, "--reviewer"), None, read_key=lambda: next(keys)
    ).run()
    out = capsys.readouterr().out
    assert "This entry changed on disk since it was shown; not saved." in out
    assert "on disk: Since 2008, Poedit's text." in out
    after = read_po(path).find("Depuis 2008, nous portons l'ambition.")
    # The second `a` accepted the version on disk, which was shown again.
    assert after.msgstr == "Since 2008, Poedit's text." and not after.fuzzy
