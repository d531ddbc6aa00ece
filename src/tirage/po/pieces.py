"""Reading a big catalog a piece at a time, for a caller that needs each message once.

`parse_po` builds every message of a file before it returns, and holds several times the
file's size while it does; a catalog made from a 50 MB source is 80 MB of text. `update`
only looks at each old message once, to merge it, so it reads the file in pieces of about
`PIECE` characters, each parsed by `parse_po` alone, and keeps of each message only what the
merge needs (issue 22: `update` within 10× its source's size in memory).

A piece ends at a blank line that can only be between two messages: the line before it is
a string of a live or obsolete `msgstr`, the line after it opens a comment, a `msgctxt` or a
`msgid`. The messages of the pieces are then the messages of the file, and every refusal of
a piece is a refusal of the file. What a cut could still change is left to `parse_po` on the
whole text, which gives the file's own error, or its messages:
- a file whose first message is not a plain header (`msgid ""` first, after comments only):
  the header decides how polib reads the rest;
- a line boundary other than "\\n", or a backslash before one (gettext joins those lines);
- a piece `parse_po` refuses (the whole file names the right line, or reads fine after all);
- a msgctxt and msgid that two pieces share (a duplicate, which only the whole file sees).
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Iterator
from pathlib import Path

import polib

from tirage.errors import CatalogError
from tirage.po.pofile import EMPTY_HEADER, OTHER_BREAK_CHARS, parse_po

__all__ = ["PIECE", "read_pieces"]

PIECE = 1 << 19  # characters: a piece's messages take a few MB while they are parsed

# The file opens with its header: comments, then a plain `msgid ""` and its msgstr.
_HEADER_FIRST = re.compile(r'(?:#(?![~|])[^\n]*\n|[ \t]*\n)*msgid ""\nmsgstr')
# What only the whole file reads right: other line boundaries, a backslash-newline.
_WHOLE_ONLY = re.compile(f"[{OTHER_BREAK_CHARS}]|\\\\\n")
# The line before a cut: a string of a msgstr. The line after it: a comment, or the first
# line of a message (`msgctxt` or `msgid`, maybe obsolete, maybe previous).
_LAST_LINE = ('"', "msgstr", '#~ "', "#~ msgstr")
_FIRST_LINE = re.compile(r"#(?![~|])|(?:#~?\| |#~ )?(?:msgctxt|msgid)[ \t]")


def read_pieces(text: str, path: Path | None = None) -> Iterator[tuple[bool, polib.POFile]]:
    """The catalog `text` as `(again, piece)` pairs: each piece a `polib.POFile` of some of
    its messages, in file order, the first one with the header (metadata, comments). With
    `again` True, the piece is the whole file, parsed at once after all: forget what the
    pieces before it held. Errors are `parse_po`'s on the whole text."""
    cuts = list(_cuts(text)) if _HEADER_FIRST.match(text) and not _WHOLE_ONLY.search(text) else []
    if len(cuts) < 2:
        yield False, parse_po(text, path)
        return
    keys = array("q")  # the hash of each message's (msgctxt, msgid), for duplicates
    start = 0
    for number, end in enumerate(cuts):
        try:
            # After the first, a piece starts with an empty header: a plain `msgid ""` in
            # it is then a duplicate (as in the whole file), and its first message keeps
            # its comments.
            chunk = text[start:end] if number == 0 else EMPTY_HEADER + text[start:end]
            piece = parse_po(chunk, path)
            del chunk
        except CatalogError:
            yield True, parse_po(text, path)
            return
        keys.extend(hash((entry.msgctxt, entry.msgid)) for entry in piece)
        yield False, piece
        del piece
        start = end
    if _repeats(keys):
        yield True, parse_po(text, path)  # a duplicate: parse_po names both lines


def _cuts(text: str) -> Iterator[int]:
    """Where each piece ends: the last at the end of the text."""
    start = 0
    while start + PIECE < len(text):
        at = start + PIECE
        while True:
            blank = text.find("\n\n", at)
            if blank < 0:
                yield len(text)
                return
            if _between_messages(text, blank):
                start = blank + 2
                yield start
                break
            at = blank + 1
    yield len(text)


def _between_messages(text: str, blank: int) -> bool:
    """Whether the blank line after `blank` separates one message from the next."""
    line = text[text.rfind("\n", 0, blank) + 1 : blank].rstrip(" \t")
    return (
        line.endswith('"')
        and line.startswith(_LAST_LINE)
        and _FIRST_LINE.match(text, blank + 2) is not None
    )


def _repeats(keys: array[int]) -> bool:
    """Whether two hashes are equal (sorted, they are neighbours)."""
    ordered = sorted(keys)
    return any(a == b for a, b in itertools.pairwise(ordered))
