"""The terminal review queue: fuzzy entries of one language, in document order (or least
confident first).

For each entry it shows the source between its neighbouring sentences, who wrote the text
(a machine's record, or a human), the old source and a word diff when the source changed,
memory matches and check findings, then waits for one key:

    a accept   e edit ($EDITOR, or inline without one)   i edit inline
    1-9 insert a memory match   s skip   b back   q quit

The decisions themselves are `tirage.review`'s, shared with the web desk.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import click

from tirage.entry_view import Direct, entry_view
from tirage.memory import Match, TranslationMemory
from tirage.quality.checks import check_entry
from tirage.review import (
    ACCEPTED,
    DELETED,
    EDITED,
    INSERTED,
    SKIPPED,
    Conflict,
    Decision,
    Item,
    Reviewer,
    apply_decision,
    build_queue,
    checks_context,
    describe_confidence,
    errors_in,
    reviewer_notice,
)
from tirage.terminal import visible
from tirage.workspace import Workspace

KEYS = "[a]ccept  [e]dit  [i]nline  [1-9] match  [s]kip  [b]ack  [q]uit"


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


class ReviewSession:
    """One pass through the queue. All terminal I/O goes through click."""

    def __init__(
        self,
        ws: Workspace,
        lang: str,
        items: list[Item],
        reviewer: Reviewer,
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
        self.context = checks_context(ws, lang)
        self.summary = Summary(total=len(items))
        self.matches: list[Match] = []
        self.lookups = Direct(ws)
        self.told_translator = False

    # -- showing ---------------------------------------------------------------------------

    def show(self, index: int) -> None:
        item = self.items[index]
        entry, catalog = item.entry, item.catalog
        view = entry_view(self.ws, self.lookups, self.lang, catalog, item.position, self.memory)
        where = f"{self.ws.relative(catalog.path)}:{entry.linenum}"
        role = f" ({view.role})" if view.role else ""
        state = f" [{item.decision}]" if item.decision else ""
        click.echo()
        click.secho(
            f"── {index + 1}/{len(self.items)}  {where}{role}  "
            f"{describe_confidence(item.confidence)}{state}",
            bold=True,
        )
        # In a terminal the source is shown between its neighbouring sentences.
        before = catalog.active[item.position - 1] if item.position > 0 else None
        after = (
            catalog.active[item.position + 1] if item.position + 1 < len(catalog.active) else None
        )
        if before is not None:
            click.secho(f"   {visible(before.msgid)}", dim=True)
        click.secho(f" ▶ {visible(entry.msgid)}", fg="cyan")
        if after is not None:
            click.secho(f"   {visible(after.msgid)}", dim=True)
        if view.diff:
            click.secho("Source changed; it was:", bold=True)
            click.echo(f"   {visible(entry.previous_msgid)}")
            click.echo(f"   {self.diff(view.diff)}")
        click.secho(f"Translation ({view.author}):", bold=True)
        click.echo(f"   {visible(entry.msgstr)}")
        for lang, text in view.others:
            click.echo(f"   {lang}: {visible(text)}")
        self.matches = view.matches
        if self.matches:
            click.secho("Memory:", bold=True)
            for number, match in enumerate(self.matches, 1):
                click.echo(
                    f"   {number}  {match.score:5.1f}%  {visible(match.target)}  [{match.doc}]"
                )
        if view.terms:
            click.secho("Glossary:", bold=True)
            for term, rule in view.terms:
                click.echo(f"   {visible(term)}: {rule}")
        if view.findings:
            click.secho("Checks:", bold=True)
            for check, evidence in view.findings:
                colour = "red" if check.severity == "error" else "yellow"
                click.secho(f"   [{check.severity}] {check.name}: {visible(evidence)}", fg=colour)
        if view.history:
            last = view.history[0]
            click.secho(f"Last decided by {last.reviewer}, {last.made}.", dim=True)
        click.echo(f"{KEYS} > ", nl=False)

    @staticmethod
    def diff(diff: list[tuple[str, str]]) -> str:
        """[-removed-]{+added+}, as `git diff --word-diff` writes it, in colour on a TTY."""
        parts = []
        for kind, text in diff:
            if kind == DELETED:
                parts.append(click.style(f"[-{visible(text)}-]", fg="red"))
            elif kind == INSERTED:
                parts.append(click.style(f"{{+{visible(text)}+}}", fg="green"))
            else:
                parts.append(visible(text))
        return "".join(parts)

    # -- deciding --------------------------------------------------------------------------

    def save(self, item: Item, decision: str) -> bool:
        """Apply the decision; False (and the entry reloaded) when it changed on disk."""
        entry = item.entry
        try:
            saved = apply_decision(
                self.ws,
                Decision(
                    item.catalog.path,
                    self.lang,
                    entry.msgid,
                    entry.msgctxt,
                    entry.msgstr,
                    item.base,
                    self.reviewer.name,
                ),
                self.memory,
            )
        except Conflict as conflict:
            click.echo()
            if conflict.disk is None:
                click.secho("This entry is gone from the catalog (was it updated?); not saved.")
                entry.msgstr = item.base
                return False
            click.secho("This entry changed on disk since it was shown; not saved.", fg="red")
            click.echo(f"   yours:   {visible(entry.msgstr)}")
            click.echo(f"   on disk: {visible(conflict.disk)}")
            click.echo("The version on disk is shown again: accept it, or edit it into yours.")
            entry.msgstr = item.base = conflict.disk
            item.findings = check_entry(entry, self.context)
            return False
        item.entry.flags = saved.entry.flags
        item.entry.previous_msgid = None
        item.base = entry.msgstr
        item.findings = check_entry(entry, self.context)
        if saved.translator_changed and not self.told_translator:
            click.echo(reviewer_notice(self.reviewer))
        self.told_translator = True
        if item.decision in (ACCEPTED, EDITED, SKIPPED):
            self.summary.decisions[item.decision] -= 1
        item.decision = decision
        self.summary.decisions[decision] += 1
        return True

    def confirm_errors(self, item: Item) -> bool:
        errors = errors_in(item.findings)
        if not errors:
            return True
        click.echo()
        for check, evidence in errors:
            click.secho(f"   [error] {check.name}: {visible(evidence)}", fg="red")
        click.echo("Accept it with this error? [y/N] ", nl=False)
        answer = self.read_key().lower()
        click.echo(answer if answer.isprintable() else "")
        return answer == "y"

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

    def edit(self, item: Item, key: str) -> str | None:
        use_editor = self.editor or os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if key == "e" and not use_editor:
            click.echo()
            click.echo("No $VISUAL or $EDITOR set (nor --editor): editing inline.")
        if key == "e" and use_editor:
            return self.edit_external(item.entry.msgstr)
        return self.edit_inline(item.entry.msgstr)

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
                if not self.confirm_errors(item):
                    click.echo("Not accepted.")
                elif self.save(item, ACCEPTED):
                    index += 1
            elif key in ("e", "i"):
                new = self.edit(item, key)
                if new is None:
                    click.echo("Unchanged.")
                    continue
                item.entry.msgstr = new
                if self.save(item, EDITED):
                    index += 1
            elif key.isdigit() and key != "0":
                number = int(key)
                if number > len(self.matches):
                    click.echo(f"No memory match {number}.")
                    continue
                item.entry.msgstr = self.matches[number - 1].target
                if self.save(item, EDITED):
                    click.echo(f"Memory match {number} inserted.")
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


def run_review(
    ws: Workspace,
    lang: str,
    reviewer: Reviewer,
    docs: tuple[str, ...] = (),
    editor: str | None = None,
    order: str = "document",
) -> Summary:
    """Refresh the memory, build the queue, run it in this terminal."""
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        items = build_queue(ws, lang, docs, order)
        return ReviewSession(ws, lang, items, reviewer, memory, editor).run()
