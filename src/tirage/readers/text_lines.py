"""What each line of a plain-text document is: prose, a list item, a heading, or syntax.

READMEs, changelogs and transcripts are plain text with conventions of their own. The
rules, in the order they are tried on a line (a paragraph is a run of non-blank lines):
- a paragraph whose lines are all indented (4 spaces or a tab) is a code block when one of its
  lines reads as code (see `_code_like`); an indented paragraph of plain sentences is prose;
- a shell command line is syntax: `$ make`, `$>./gate3 -p`, `% ls -l`, and `# ` followed by
  a command (a lower-case word, then options, paths or nothing);
- a line of repeated punctuation (`=====`, `-=-=-=`) is a rule; right under a single line of
  prose it underlines a heading (setext style), and `=== Titre ===` is a heading too;
- a changelog version line (`1.2.0 (2024-05-01)`, `Version 0.4.0 :`, `v2.1 - 12/03/2009`)
  is not prose;
- `# ` followed by words is a comment or a heading: a unit of its own, read without its `#`;
- a line that starts with a list marker (`-`, `--`, `*`, `+`, `•`, `1.`, `1)`, `a)`), or with
  a version number and a wide gap (a changelog's version column: `4.0     Ajout de…`), starts
  a list item, read without its marker; the lines after it, up to a blank line or the next
  item, continue it;
- anything else is prose, joined with the prose lines around it into a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeGuard

from tirage.document import Span

_INDENTED = re.compile(r"(?: {4}|\t)")
# A changelog's version column: "4.0       Adaptation des motifs…", "3.0-4.0   Marc L."
_VERSION_LABEL = re.compile(
    r"[ \t]*v?\d+(?:\.\d+)+(?:[-–]\d+(?:\.\d+)+)?[\w.+]*[ \t]{2,}(?=[^\W\d_])"
)
_ITEM = re.compile(r"[ \t]*(?:--|[-*+•]|\d{1,3}[.)]|[A-Za-z]\))[ \t]+(?=\S)")
# "-ajout de …": a dash glued to its word starts an item only where an item may start.
_GLUED_DASH = re.compile(r"[ \t]*-(?=[^\W\d_])")
_PROMPT = re.compile(r"[ \t]*(?:\$(?:>|[ \t]+)[ \t]*(?=[^\s\d])|%[ \t]+(?=[a-z./~]))")
_HASH_COMMAND = re.compile(r"[ \t]*#[ \t]+([a-z][\w.+-]*)(.*)$")
_ARGUMENT = re.compile(r"(?:^|\s)(?:-{1,2}\w|[./~$]|\w*[/=|<>])")
_HASH_PROSE = re.compile(r"[ \t]*#+[ \t]+(?=\S)")  # a comment or a heading: its words are prose
_RULE = re.compile(r"[ \t]*(?:[^\w\s]|_){3,}[ \t]*$")
_UNDERLINE = re.compile(r"[ \t]*(?:={3,}|-{3,}|~{3,}|\^{3,}|\*{3,}|\+{3,}|#{3,}|_{3,})[ \t]*$")
_DECORATED = re.compile(r"[ \t]*([=#*~-]{2,})[ \t]+(\S.*?)[ \t]+\1[ \t]*$")
_VERSION = re.compile(
    r"[ \t]*\[?(?P<word>[A-Z][^\W\d_]*[ \t]+)?v?(?P<number>\d+(?:\.\d+)+)[\w.+-]*\]?"
    r"(?P<rest>[\dxX/.:,()\[\] \t–—-]*)$"
)
_CODE_CHARS = re.compile(r"[{}=<>|\\]|\(\)|;\s*$")
_ODD_START = re.compile(r"[^\w\s'\"«“(]")


@dataclass
class Unit:
    """A block of a plain-text page before roles: its kind and its pieces (line spans, a
    list item's without its marker)."""

    kind: str  # "prose", "item", "heading"; "code" and "version" are syntax, never read
    pieces: list[Span] = field(default_factory=list)
    first_line: int = 0  # index of its first line in the page
    alone: bool = False  # the only unit of its paragraph


def command_line(line: str, previous: str = "") -> bool:
    """A shell command as READMEs show them: a prompt, or `# ` and a command."""
    if _PROMPT.match(line) and not (line.lstrip().startswith("%") and previous[-1:].isdigit()):
        return True
    found = _HASH_COMMAND.match(line)
    if found is None:
        return False
    rest = found.group(2).strip()
    return not rest or _ARGUMENT.search(rest) is not None


def version_line(line: str) -> bool:
    """A changelog's version line. After a word, the version has three parts or a date
    follows it: "Version 0.4.0 :", "Version 4.0 (2021-11-06)", but "Chapitre 2.1" is prose."""
    found = _VERSION.match(line)
    if found is None:
        return False
    if not found.group("word"):
        return True
    dated = re.search(r"\d", found.group("rest")) is not None
    return dated or found.group("number").count(".") >= 2


def _code_like(line: str) -> bool:
    """Reads as code: a command, code punctuation, an odd first character, one token."""
    if command_line(line):
        return True
    item = _ITEM.match(line)
    body = line[item.end() :] if item else line.strip()
    if _CODE_CHARS.search(body):
        return True
    return item is None and (_ODD_START.match(body) is not None or " " not in body)


def _lines(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _bare_lines(text: str) -> list[str]:
    """The lines of `text` without their line end (a CRLF's CR included)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def paragraphs(text: str) -> list[list[int]]:
    """Runs of non-blank lines, as line indices."""
    result: list[list[int]] = []
    current: list[int] = []
    for index, line in enumerate(text.split("\n")):
        if line.strip():
            current.append(index)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def code_block(lines: list[str]) -> bool:
    """An indented paragraph that holds code (one of its lines reads as code)."""
    return all(_INDENTED.match(line) for line in lines) and any(map(_code_like, lines))


def plain_paragraph(lines: list[str]) -> bool:
    """A paragraph of prose lines only: no item, command, rule, heading or version line."""
    previous = ""
    for line in lines:
        if (
            _ITEM.match(line)
            or command_line(line, previous)
            or _RULE.match(line)
            or _DECORATED.match(line)
            or version_line(line)
        ):
            return False
        previous = line.rstrip()
    return not code_block(lines)


def read_units(text: str) -> tuple[list[Unit], list[list[int]]]:
    """The page's prose units in order, and its paragraphs (line indices)."""
    spans = _lines(text)
    lines = _bare_lines(text)
    units: list[Unit] = []
    paras = paragraphs(text)
    for para in paras:
        if code_block([lines[i] for i in para]):
            first, last = spans[para[0]], spans[para[-1]]
            units.append(Unit("code", [(first[0], last[0] + len(lines[para[-1]]))], para[0]))
            continue
        current: Unit | None = None
        previous = ""
        count = len(units)
        for position, index in enumerate(para):
            line = lines[index]
            start, end = spans[index]
            end = start + len(line)  # without a CR
            if _UNDERLINE.match(line) and _one_line_before(current, index):
                current.kind = "heading"  # setext: one line of prose, underlined
                current = None
            elif _RULE.match(line):
                current = None
            elif command_line(line, previous):
                if current is not None and current.kind == "code":
                    current.pieces[-1] = (current.pieces[-1][0], end)
                else:
                    current = Unit("code", [(start, end)], index)
                    units.append(current)
            elif version_line(line):
                units.append(Unit("version", [(start + _indent(line), end)], index))
                current = None
            elif decorated := _DECORATED.match(line):
                units.append(
                    Unit("heading", [(start + decorated.start(2), start + decorated.end(2))], index)
                )
                current = None
            elif item := (
                _ITEM.match(line)
                or _VERSION_LABEL.match(line)
                or _glued_item(line, position, current)
            ):
                current = Unit("item", [(start + item.end(), end)], index)
                units.append(current)
            elif hashed := _HASH_PROSE.match(line):
                units.append(Unit("prose", [(start + hashed.end(), end)], index))
                current = None
            elif current is None or current.kind == "code":
                current = Unit("prose", [(start, end)], index)
                units.append(current)
            else:
                current.pieces.append((start, end))
            previous = line.rstrip()
        if len(units) == count + 1:
            units[-1].alone = True
    return units, paras


def _one_line_before(current: Unit | None, index: int) -> TypeGuard[Unit]:
    """A unit of one line of prose, on the line just before `index`."""
    return (
        current is not None
        and current.kind == "prose"
        and len(current.pieces) == 1
        and current.first_line == index - 1
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _glued_item(line: str, position: int, current: Unit | None) -> re.Match[str] | None:
    if position == 0 or (current is not None and current.kind == "item"):
        return _GLUED_DASH.match(line)
    return None
