"""Catalog entries lighter than polib's, for the big catalogs `update` makes.

A `polib.POEntry` takes about 500 bytes before its strings, with its lists and dict; a 50 MB
source makes 600,000 messages, and `update` holds a template and a merged catalog of them at
once (issue 22: `update` within 10× its source's size in memory). These entries are
`polib.POEntry`s to every reader and to the writer, but keep only what they set, in slots;
every other field is polib's default, read from the class. They are made to be written,
never edited: a template's entries are shared by the catalogs merged from it.

Their long strings (a template's msgids once `remake` made them again, a merged message's
translation) are kept as UTF-8 in one buffer (`Texts`) and decoded when read: a str has 73
bytes of header for text beyond ASCII (and takes 2 or 4 bytes a character beyond Latin-1),
its place in a `Texts` 8, and a buffer pins none of the small-object heap's arenas, which
the short-lived objects of reading a catalog in pieces would otherwise keep from going back
to the system.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from types import MappingProxyType

import polib

__all__ = [
    "KeptEntry",
    "MergedEntry",
    "TemplateEntry",
    "Texts",
    "TranslatedEntry",
    "Translations",
    "remake",
]

NO_FORMS: Mapping[int, str] = MappingProxyType({})


class Texts:
    """Strings kept as UTF-8 (surrogates too, so that each comes back as it was) in one
    buffer, each found by the number `add` gave it."""

    __slots__ = ("data", "ends", "name")

    def __init__(self, name: str = "") -> None:
        self.data = bytearray()
        self.ends = array("q")
        self.name = name  # a template's file name, for its references

    def add(self, text: str) -> int:
        self.data += text.encode("utf-8", "surrogatepass")
        self.ends.append(len(self.data))
        return len(self.ends) - 1

    def __getitem__(self, number: int) -> str:
        start = self.ends[number - 1] if number else 0
        return self.data[start : self.ends[number]].decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self.ends)


class _Unset:
    """polib's defaults for the fields a slotted entry does not store, read from the class
    and immutable (a value set on an entry is stored on that entry alone)."""

    __slots__ = ()

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


class TemplateEntry(_Unset, polib.POEntry):  # type: ignore[misc]  # polib has no types
    """A template's message in about a fifth of a `polib.POEntry`'s memory with its lists
    and dicts. It stores only what a template sets: the msgid, the extracted comment and the
    references, in slots. Every other field is polib's default, read from the class and
    immutable (a translation set on an entry is stored on that entry alone).

    Once `remake` made it again, its msgid is a number in the template's `Texts`."""

    __slots__ = ("at", "book", "comment", "lines")

    msgstr = ""

    def __init__(self, msgid: str, comment: str, name: str, line: int) -> None:
        self.at: str | int = msgid  # the msgid, or its number in `book`
        self.book: str | Texts = name  # the file's name, or the template's Texts
        self.comment = comment
        # The references, all in one file: the lines as numbers, made into polib's
        # (name, "line") pairs only when asked for (a pair is four objects).
        self.lines: int | tuple[int, ...] = line

    @property
    def msgid(self) -> str:
        at = self.at
        if isinstance(at, str):
            return at
        book: Texts = self.book  # type: ignore[assignment]  # set with `at` by remake
        return book[at]

    @property
    def name(self) -> str:
        book = self.book
        return book if isinstance(book, str) else book.name

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        name = self.name
        return [(name, str(line)) for line in lines]

    def add_line(self, line: int) -> None:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        if line not in lines:
            self.lines = (*lines, line)


def remake(entries: list[TemplateEntry]) -> None:
    """Make `entries` again, in place, the same: their msgids kept in one `Texts`, the rest
    from a copy kept outside Python's small-object heap while the old entries are freed.

    A template's msgids and line numbers are made while its source is read, among the
    Document's own small objects; once the Document is freed, they keep most of the 1 MB
    arenas it filled from going back to the system (on a 50 MB source, 360 MB stay held for
    a template of 150 MB). Made again once nothing else is left, the entries fill new arenas
    of their own, and their msgids none."""
    if not entries:
        return
    book = Texts(entries[0].name)
    comment_at: dict[str, int] = {}
    comments = array("q")  # each entry's comment, as its place among the distinct ones
    counts = array("q")  # each entry's number of lines
    lines = array("q")  # every entry's lines, one after the other
    for entry in entries:
        book.add(entry.msgid)
        comments.append(comment_at.setdefault(entry.comment, len(comment_at)))
        own = (entry.lines,) if isinstance(entry.lines, int) else entry.lines
        counts.append(len(own))
        lines.extend(own)
    # The distinct comments, kept as bytes while the old entries are freed.
    kept = Texts()
    for comment in comment_at:
        kept.add(comment)
    del entry, own, comment_at
    total = len(entries)
    entries.clear()  # the old entries, their msgids and line numbers are freed here

    distinct = [kept[index] for index in range(len(kept))]
    del kept
    at = 0
    line: int | tuple[int, ...] = -1
    for index in range(total):
        count = counts[index]
        if count > 1:
            line = tuple(lines[at : at + count])
        elif line != lines[at]:
            line = lines[at]  # one int object for the sentences of a line, as before
        entry = TemplateEntry.__new__(TemplateEntry)
        entry.at, entry.book, entry.comment, entry.lines = (
            index,
            book,
            distinct[comments[index]],
            line,
        )
        entries.append(entry)
        at += count


class Translations:
    """A merge's translations: their texts, and which one each message of a remade template
    takes (by the number of its msgid in the template's `Texts`, -1: none)."""

    __slots__ = ("book", "of", "texts")

    def __init__(self, texts: Texts, book: Texts) -> None:
        self.texts, self.book = texts, book
        self.of = array("q", [-1]) * len(book)


class TranslatedEntry(_Unset, polib.POEntry):  # type: ignore[misc]  # polib has no types
    """A remade template's message with a translation and nothing else from the old catalog
    (the usual merged message): the template's entry, shared, and the merge's
    `Translations`, which holds the translation under the template message's number (no
    number of its own: an int is 32 bytes more an entry)."""

    __slots__ = ("new", "translations")

    def __init__(self, new: TemplateEntry, translations: Translations) -> None:
        self.new, self.translations = new, translations

    @property
    def msgstr(self) -> str:
        translations = self.translations
        at: int = self.new.at  # type: ignore[assignment]  # a remade template's: a number
        return translations.texts[translations.of[at]]

    @property
    def msgid(self) -> str:
        return self.new.msgid

    @property
    def comment(self) -> str:
        return self.new.comment

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        return self.new.occurrences


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
        self.at, self.book, self.comment, self.lines = new.at, new.book, new.comment, new.lines
        self.msgstr = donor.msgstr
        self.msgstr_plural = dict(donor.msgstr_plural) if donor.msgstr_plural else NO_FORMS
        self.tcomment = donor.tcomment
        self.flags = flags or ()
        self.previous_msgid, self.previous_msgctxt = previous


class KeptEntry(polib.POEntry):  # type: ignore[misc]  # polib has no types
    """What a merge keeps of an old message: what it can lend to a new one (its translation,
    translator's comment, flags, previous msgid), and what it becomes if nobody takes it (an
    obsolete message has no references nor extracted comment). `obsolete` is the old
    message's own, until the merge makes it obsolete; `number` is its place among the old
    messages the merge keeps."""

    __slots__ = (
        "flags",
        "msgctxt",
        "msgid",
        "msgid_plural",
        "msgstr",
        "msgstr_plural",
        "number",
        "obsolete",
        "previous_msgctxt",
        "previous_msgid",
        "tcomment",
    )

    comment = ""
    encoding = "utf-8"
    previous_msgid_plural = None
    linenum = None

    def __init__(self, entry: polib.POEntry, msgid: str, number: int = -1) -> None:
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
        self.number = number

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        return []
