"""Catalog entries lighter than polib's, for the big catalogs `update` makes.

A `polib.POEntry` takes about 500 bytes before its strings, with its lists and dict; a 50 MB
source makes 600,000 messages, and `update` holds a template and a merged catalog of them at
once (issue 22: `update` within 10× its source's size in memory). These entries are
`polib.POEntry`s to every reader and to the writer, but keep only what they set, in slots;
every other field is polib's default, read from the class. They are made to be written,
never edited: a template's entries are shared by the catalogs merged from it.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from types import MappingProxyType

import polib

__all__ = ["KeptEntry", "MergedEntry", "TemplateEntry", "remake"]

NO_FORMS: Mapping[int, str] = MappingProxyType({})


class TemplateEntry(polib.POEntry):  # type: ignore[misc]  # polib has no types
    """A template's message in about a fifth of a `polib.POEntry`'s memory with its lists
    and dicts. It stores only what a template sets: the msgid, the extracted comment and the
    references, in slots. Every other field is polib's default, read from the class and
    immutable (a translation set on an entry is stored on that entry alone)."""

    __slots__ = ("comment", "lines", "msgid", "name")

    msgstr = ""
    msgid_plural = ""
    msgstr_plural: Mapping[int, str] = NO_FORMS
    msgctxt = None
    obsolete = False
    encoding = "utf-8"
    tcomment = ""
    flags: list[str] | tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural = None
    linenum = None

    def __init__(self, msgid: str, comment: str, name: str, line: int) -> None:
        self.msgid = msgid
        self.comment = comment
        self.name = name
        # The references, all in one file: the lines as numbers, made into polib's
        # (name, "line") pairs only when asked for (a pair is four objects).
        self.lines: int | tuple[int, ...] = line

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        return [(self.name, str(line)) for line in lines]

    def add_line(self, line: int) -> None:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        if line not in lines:
            self.lines = (*lines, line)


def remake(entries: list[TemplateEntry]) -> None:
    """Make `entries` again, in place, the same: from a copy of their fields kept outside
    Python's small-object heap while the old entries are freed.

    A template's msgids and line numbers are made while its source is read, among the
    Document's own small objects; once the Document is freed, they keep most of the 1 MB
    arenas it filled from going back to the system (on a 50 MB source, 360 MB stay held for
    a template of 150 MB). Made again once nothing else is left, they fill new arenas of
    their own (194 MB held)."""
    if not entries:
        return
    # Every msgid, then every distinct comment, then the file's name, as UTF-8 (surrogates
    # too, so that each string comes back as it was).
    text = bytearray()
    ends = array("q")
    comment_at: dict[str, int] = {}
    comments = array("q")  # each entry's comment, as its place among the distinct ones
    counts = array("q")  # each entry's number of lines
    lines = array("q")  # every entry's lines, one after the other
    for entry in entries:
        text += entry.msgid.encode("utf-8", "surrogatepass")
        ends.append(len(text))
        comments.append(comment_at.setdefault(entry.comment, len(comment_at)))
        own = (entry.lines,) if isinstance(entry.lines, int) else entry.lines
        counts.append(len(own))
        lines.extend(own)
    for comment in comment_at:
        text += comment.encode("utf-8", "surrogatepass")
        ends.append(len(text))
    text += entries[0].name.encode("utf-8", "surrogatepass")
    ends.append(len(text))
    del entry, own, comment_at
    total = len(entries)
    entries.clear()  # the old entries, their msgids and line numbers are freed here

    def string(index: int) -> str:
        start = ends[index - 1] if index else 0
        return text[start : ends[index]].decode("utf-8", "surrogatepass")

    name = string(len(ends) - 1)
    distinct = [string(index) for index in range(total, len(ends) - 1)]
    at = 0
    line: int | tuple[int, ...] = -1
    for index in range(total):
        count = counts[index]
        if count > 1:
            line = tuple(lines[at : at + count])
        elif line != lines[at]:
            line = lines[at]  # one int object for the sentences of a line, as before
        entry = TemplateEntry(string(index), distinct[comments[index]], name, 0)
        entry.lines = line
        entries.append(entry)
        at += count


class MergedEntry(TemplateEntry):
    """A template's message with what an old catalog gives it: a translation, a translator's
    comment, flags, the previous msgid. The template's own fields are shared, not copied."""

    __slots__ = (
        "flags",
        "msgstr",
        "msgstr_plural",
        "previous_msgctxt",
        "previous_msgid",
        "tcomment",
    )

    def __init__(
        self,
        new: TemplateEntry,
        donor: polib.POEntry,
        flags: list[str],
        previous: tuple[str | None, str | None],
    ) -> None:
        self.msgid, self.comment, self.name, self.lines = (
            new.msgid,
            new.comment,
            new.name,
            new.lines,
        )
        self.msgstr = donor.msgstr
        self.msgstr_plural = dict(donor.msgstr_plural) if donor.msgstr_plural else NO_FORMS
        self.tcomment = donor.tcomment
        self.flags = flags or ()
        self.previous_msgid, self.previous_msgctxt = previous


class KeptEntry(polib.POEntry):  # type: ignore[misc]  # polib has no types
    """What a merge keeps of an old message: what it can lend to a new one (its translation,
    translator's comment, flags, previous msgid), and what it becomes if nobody takes it (an
    obsolete message has no references nor extracted comment). `obsolete` is the old
    message's own, until the merge makes it obsolete."""

    __slots__ = (
        "flags",
        "msgctxt",
        "msgid",
        "msgid_plural",
        "msgstr",
        "msgstr_plural",
        "obsolete",
        "previous_msgctxt",
        "previous_msgid",
        "tcomment",
    )

    comment = ""
    encoding = "utf-8"
    previous_msgid_plural = None
    linenum = None

    def __init__(self, entry: polib.POEntry, msgid: str) -> None:
        self.msgid = msgid  # the entry's own, or an equal one to share
        self.msgctxt = entry.msgctxt
        self.msgstr = entry.msgstr
        self.msgid_plural = entry.msgid_plural
        self.msgstr_plural = dict(entry.msgstr_plural) if entry.msgstr_plural else NO_FORMS
        self.tcomment = entry.tcomment
        self.flags: list[str] | tuple[str, ...] = list(entry.flags) if entry.flags else ()
        self.previous_msgid = entry.previous_msgid
        self.previous_msgctxt = entry.previous_msgctxt
        self.obsolete = entry.obsolete

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        return []
