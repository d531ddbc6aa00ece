"""Catalog entries lighter than polib's, for the big catalogs `update` makes.

A `polib.POEntry` takes about 500 bytes before its strings, with its lists and dict; a 50 MB
source makes 600,000 messages, and `update` holds a template and a merged catalog of them at
once (issue 22: `update` within 10× its source's size in memory). These entries are
`polib.POEntry`s to every reader and to the writer, but keep only what they set, in slots;
every other field is polib's default, read from the class. They are made to be written,
never edited: a template's entries are shared by the catalogs merged from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polib

__all__ = ["KeptEntry", "MergedEntry", "TemplateEntry"]

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
