"""The terminal review queue: fuzzy entries of one language, least confident first.

For each entry it shows the source between its neighbouring sentences, the machine output
and its provenance, memory matches and check findings, then waits for one key:

    a accept   e edit ($EDITOR, or inline without one)   i edit inline
    s skip     b back   q quit

Every decision is saved at once (an atomic rewrite of that catalog), with the reviewer in
the header's Last-Translator, and recorded in the translation memory together with the
post-edit distance from the raw machine output.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
import polib

from tirage.catalog import timestamp
from tirage.checks import Context, check_entry
from tirage.errors import TirageError
from tirage.glossary import load_glossary
from tirage.locking import modify_po
from tirage.memory import TranslationMemory
from tirage.pofile import read_po
from tirage.provenance import Provenance, get_provenance
from tirage.terminal import visible
from tirage.workspace import Workspace

KEYS = "[a]ccept  [e]dit  [i]nline  [s]kip  [b]ack  [q]uit"
ACCEPTED, EDITED, SKIPPED = "accepted", "edited", "skipped"


def confidence(provenance: Provenance | None) -> float:
    """0–1, comparable across engines: memory similarity, or exp(mean log-probability).

    Entries with no score (fuzzy from a source change, or an engine that gives none) come
    first: nothing vouches for them.
    """
    if provenance is None or provenance.score is None:
        return 0.0
    score = provenance.score
    if provenance.engine == "memory" or score > 1:
        return max(0.0, min(1.0, score / 100))
    if score <= 0:
        return math.exp(score)
    return score


@dataclass
class Catalog:
    doc: str
    path: Path
    po: polib.POFile
    active: list[polib.POEntry]


@dataclass
class Item:
    catalog: Catalog
    entry: polib.POEntry
    position: int  # index in catalog.active
    confidence: float
    raw: str  # the msgstr when the queue was built
    decision: str = ""


@dataclass
class Summary:
    decisions: dict[str, int] = field(default_factory=lambda: {ACCEPTED: 0, EDITED: 0, SKIPPED: 0})
    total: int = 0
    quit_early: bool = False

    def format(self) -> str:
        d = self.decisions
        return (
            f"{d[ACCEPTED]} accepted, {d[EDITED]} edited, {d[SKIPPED]} skipped "
            f"of {self.total} fuzzy entries"
        )


def build_queue(ws: Workspace, lang: str, docs: tuple[str, ...] = ()) -> list[Item]:
    """Every fuzzy entry with a translation, lowest confidence first, then catalog order."""
    items: list[Item] = []
    folder = ws.locales_dir / lang
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    for path in paths:
        if docs and path.stem not in docs:
            continue
        po = read_po(path)
        active = [e for e in po if not e.obsolete and e.msgid]
        catalog = Catalog(path.stem, path, po, active)
        for position, entry in enumerate(active):
            if "fuzzy" in entry.flags and entry.msgstr and not entry.msgid_plural:
                items.append(
                    Item(catalog, entry, position, confidence(get_provenance(entry)), entry.msgstr)
                )
    items.sort(key=lambda item: item.confidence)  # stable: catalog order within a score
    return items


def read_key_from_terminal() -> str:
    """One key press, without waiting for Enter.

    Unlike `click.getchar`, this keeps keys typed ahead: the terminal's mode is changed
    with TCSANOW, not TCSAFLUSH, so a reviewer can press `a a a` as fast as they like.
    """
    fd = sys.stdin.fileno()
    if not os.isatty(fd):
        return sys.stdin.read(1)
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        data = os.read(fd, 1)
        if data and data[0] >= 0xC0:  # the lead byte of a multi-byte UTF-8 character
            data += os.read(fd, 3 if data[0] >= 0xF0 else 2 if data[0] >= 0xE0 else 1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    if not data:
        return "\x04"  # end of input: quit
    return data.decode("utf-8", "replace")


def default_reviewer(ws: Workspace) -> str:
    """tirage.toml's translator, else git's user, else the login name."""
    if ws.translator:
        return ws.translator
    if shutil.which("git"):
        try:
            name, email = (
                subprocess.run(
                    ["git", "config", key], capture_output=True, text=True, cwd=ws.root, check=False
                ).stdout.strip()
                for key in ("user.name", "user.email")
            )
        except OSError:
            name = email = ""
        if name:
            return f"{name} <{email}>" if email else name
    try:
        import getpass

        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _reviewed(entry: polib.POEntry) -> None:
    """A human has looked: no longer fuzzy, and the old source text has served its purpose."""
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


class ReviewSession:
    """One pass through the queue. All terminal I/O goes through click."""

    def __init__(
        self,
        ws: Workspace,
        lang: str,
        items: list[Item],
        reviewer: str,
        memory: TranslationMemory | None,
        editor: str | None = None,
        read_key: Callable[[], str] | None = None,
    ):
        self.ws = ws
        self.lang = lang
        self.items = items
        self.reviewer = reviewer
        self.memory = memory
        self.editor = editor
        self.read_key = read_key or read_key_from_terminal
        glossary = load_glossary(ws.glossary_path)
        self.context = Context(ws.source_lang, lang, tuple(glossary.keep), glossary.forced(lang))
        self.summary = Summary(total=len(items))

    # -- showing ---------------------------------------------------------------------------

    def show(self, index: int) -> None:
        item = self.items[index]
        entry, catalog = item.entry, item.catalog
        where = f"{self.ws.relative(catalog.path)}:{entry.linenum}"
        role = f" ({entry.comment})" if entry.comment else ""
        state = f" [{item.decision}]" if item.decision else ""
        click.echo()
        click.secho(
            f"── {index + 1}/{len(self.items)}  {where}{role}  "
            f"confidence {item.confidence:.0%}{state}",
            bold=True,
        )
        before = catalog.active[item.position - 1] if item.position > 0 else None
        after = (
            catalog.active[item.position + 1] if item.position + 1 < len(catalog.active) else None
        )
        if before is not None:
            click.secho(f"   {visible(before.msgid)}", dim=True)
        click.secho(f" ▶ {visible(entry.msgid)}", fg="cyan")
        if after is not None:
            click.secho(f"   {visible(after.msgid)}", dim=True)
        provenance = get_provenance(entry)
        if provenance is not None:
            label = provenance.to_comment().partition(" ")[2]
        elif entry.previous_msgid:
            label = f"source changed; was: {entry.previous_msgid}"
        else:
            label = "fuzzy"
        click.secho(f"Translation ({visible(label)}):", bold=True)
        click.echo(f"   {visible(entry.msgstr)}")
        if self.memory is not None:
            matches = self.memory.search(entry.msgid, self.ws.source_lang, self.lang, 60.0, 3)
            if matches:
                click.secho("Memory:", bold=True)
                for match in matches:
                    click.echo(visible(f"   {match.score:5.1f}%  {match.target}  [{match.doc}]"))
        findings = check_entry(entry, self.context)
        if findings:
            click.secho("Checks:", bold=True)
            for check, evidence in findings:
                colour = "red" if check.severity == "error" else "yellow"
                click.secho(visible(f"   [{check.severity}] {check.name}: {evidence}"), fg=colour)
        click.echo(f"{KEYS} > ", nl=False)

    # -- deciding --------------------------------------------------------------------------

    def save(self, item: Item, decision: str) -> None:
        entry, catalog = item.entry, item.catalog
        if self.memory is not None and get_provenance(entry) is not None:
            # Make sure the raw output is on record before the reviewed one replaces it.
            provenance = get_provenance(entry)
            assert provenance is not None
            self.memory.record_mt(
                entry.msgid,
                item.raw,
                self.ws.source_lang,
                self.lang,
                catalog.doc,
                provenance,
                entry.msgctxt or "",
            )
        _reviewed(entry)

        # The decision goes into the catalog as it is on disk now, not as it was when the
        # queue was built: what a translator saved meanwhile in another tool stays.
        def decide(fresh: polib.POFile | None) -> polib.POFile:
            target = None if fresh is None else fresh.find(entry.msgid, msgctxt=entry.msgctxt)
            if fresh is None or target is None:
                raise TirageError(
                    "entry gone from the catalog (was it updated?); not saved", catalog.path
                )
            target.msgstr = entry.msgstr
            _reviewed(target)
            fresh.metadata["Last-Translator"] = self.reviewer
            fresh.metadata["PO-Revision-Date"] = timestamp()
            return fresh

        modify_po(self.ws, catalog.path, decide)
        if self.memory is not None:
            self.memory.record_entry(entry, self.ws.source_lang, self.lang, catalog.doc)
            self.memory.commit()
        if item.decision in (ACCEPTED, EDITED):
            self.summary.decisions[item.decision] -= 1
        elif item.decision == SKIPPED:
            self.summary.decisions[SKIPPED] -= 1
        item.decision = decision
        self.summary.decisions[decision] += 1

    def edit_external(self, text: str) -> str | None:
        edited = click.edit(text + "\n", editor=self.editor, extension=".txt", require_save=False)
        if edited is None:
            return None
        joined = " ".join(line.strip() for line in edited.splitlines() if line.strip())
        return joined if joined and joined != text else None

    def edit_inline(self, text: str) -> str | None:
        click.echo()
        click.echo("Edit the translation (Enter to save, an empty line to cancel):")
        try:
            import readline

            readline.set_startup_hook(lambda: readline.insert_text(text))
            try:
                line = input("> ")
            finally:
                readline.set_startup_hook()
        except ImportError:
            click.echo(f"   {visible(text)}")
            line = input("> ")
        except EOFError:
            return None
        line = line.strip()
        return line if line and line != text else None

    def run(self) -> Summary:
        if not self.items:
            click.echo(f"Nothing to review in {self.lang}: no fuzzy entries.")
            return self.summary
        index = 0
        while 0 <= index < len(self.items):
            self.show(index)
            key = self.read_key().lower()
            click.echo(key if key.isprintable() else "")
            item = self.items[index]
            if key == "a":
                self.save(item, ACCEPTED)
                index += 1
            elif key in ("e", "i"):
                use_editor = key == "e" and (
                    self.editor or os.environ.get("VISUAL") or os.environ.get("EDITOR")
                )
                new = (
                    self.edit_external(item.entry.msgstr)
                    if use_editor
                    else self.edit_inline(item.entry.msgstr)
                )
                if new is None:
                    click.echo("Unchanged.")
                    continue
                item.entry.msgstr = new
                self.save(item, EDITED)
                index += 1
            elif key in ("s", " ", "n"):
                if not item.decision:
                    item.decision = SKIPPED
                    self.summary.decisions[SKIPPED] += 1
                index += 1
            elif key in ("b", "p"):
                if index == 0:
                    click.echo("This is the first entry.")
                index = max(0, index - 1)
            elif key in ("q", "\x03", "\x04"):
                self.summary.quit_early = index < len(self.items)
                break
            else:
                click.echo(f"Keys: {KEYS}")
        click.echo()
        click.echo(self.summary.format())
        return self.summary


def review(
    ws: Workspace,
    lang: str,
    reviewer: str | None = None,
    docs: tuple[str, ...] = (),
    editor: str | None = None,
) -> Summary:
    """Refresh the memory, build the queue, run it in this terminal."""
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        items = build_queue(ws, lang, docs)
        session = ReviewSession(ws, lang, items, reviewer or default_reviewer(ws), memory, editor)
        return session.run()


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
