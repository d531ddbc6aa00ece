"""A new template merged into an old catalog, with `msgmerge --previous`'s semantics.

Merge rules (those of msgmerge, checked against it in the tests):
- same msgid: translation, flags and translator comments (provenance) are kept;
- same msgid among obsolete entries: revived as it was;
- otherwise the most similar translated old entry (above 60 %, found as msgmerge finds it:
  `tirage.po.fuzzy`) lends its translation: fuzzy, with the old text as `#| msgid`;
- translated old entries nobody took become obsolete (`#~`); untranslated ones are dropped.

A `Merger` takes the old catalog one message at a time, so that `update` can read a big one
in pieces (`tirage.po.pieces`) and keep of it only what the merge needs: an untranslated old
message is a mark on the template's message it matches, a translated one a `KeptEntry`. A
template message that keeps nothing but its place (the usual case) is shared by the merged
catalog, not copied (issue 22's memory).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

import polib

from tirage.entries import (
    NO_FORMS,
    KeptEntry,
    MergedEntry,
    TemplateEntry,
    Texts,
    TranslatedEntry,
    Translations,
)
from tirage.po.fuzzy import FuzzyIndex
from tirage.po.pofile import inherit_header

__all__ = ["MergeReport", "Merger", "has_translation", "merge"]


@dataclass
class MergeReport:
    kept: int = 0
    added: int = 0
    fuzzy: int = 0
    revived: int = 0
    obsoleted: int = 0


def merge(old: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, MergeReport]:
    """msgmerge --previous: a new catalog with `template`'s entries and `old`'s translations."""
    merger = Merger(template)
    for entry in old:
        merger.take(entry)
    return merger.finish(old)


def has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


# An old message that gives the new one nothing but its place: no translation, comment,
# flags nor previous msgid.
_PLAIN = polib.POEntry()
_ACTIVE, _OBSOLETE = 1, 2  # marks of a plain old message, on its template message


class Merger:
    """`merge`, the old catalog given one message at a time (`take`), then `finish`."""

    def __init__(self, template: polib.POFile) -> None:
        self.template = template
        # Where a key is in the template: the hashes of the template's (msgctxt, msgid),
        # sorted, beside their places (a dict of a big template's msgids took 40 bytes an
        # entry more, and msgids a template keeps as bytes would be made again as keys).
        hashes = array("q", (hash((entry.msgctxt, entry.msgid)) for entry in template))
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.order = array("q", order)
        self.hashes = array("q", (hashes[index] for index in order))
        del hashes, order
        self.plain = bytearray(len(template))  # _ACTIVE and _OBSOLETE marks
        # The kept old messages: those with a translation, or that give their template
        # message more than their place. Numbered in file order; a translation and nothing
        # else (the usual one) is kept in `texts`, anything else as a KeptEntry in `rich`.
        self.texts = Texts()
        self.msgid_of = array("q")  # its template message's place, or ~its msgid in texts
        self.msgstr_of = array("q")  # its translation in texts; -1: in `rich`
        self.gone = bytearray()  # whether it was obsolete
        self.rich: dict[int, KeptEntry] = {}
        self.lenders = array("q")  # those with a translation, in file order
        # The kept message each template message takes as it was, or -1.
        self.active = array("q", [-1]) * len(template)
        self.buried = array("q", [-1]) * len(template)  # the same, from an obsolete one

    @property
    def translated(self) -> int:
        """Old messages holding a translation (obsolete ones too): what a merge must keep."""
        return len(self.lenders)

    def _find(self, entry: polib.POEntry) -> list[int]:
        msgctxt, msgid = entry.msgctxt, entry.msgid
        wanted = hash((msgctxt, msgid))
        at = bisect_left(self.hashes, wanted)
        found = []
        while at < len(self.hashes) and self.hashes[at] == wanted:
            index = self.order[at]
            new = self.template[index]
            if new.msgid == msgid and new.msgctxt == msgctxt:
                found.append(index)
            at += 1
        return found

    def take(self, entry: polib.POEntry) -> None:
        """One old message, in file order. As in a dict of the old catalog, a later message
        with the same key takes the place of an earlier one."""
        found = self._find(entry)
        translated = has_translation(entry)
        number = -1
        if translated or (found and not _plain(entry)):
            number = len(self.msgstr_of)
            if translated and _translation_only(entry):
                self.msgid_of.append(found[0] if found else ~self.texts.add(entry.msgid))
                self.msgstr_of.append(self.texts.add(entry.msgstr))
            else:
                msgid = self.template[found[0]].msgid if found else entry.msgid
                self.msgid_of.append(found[0] if found else -1)
                self.msgstr_of.append(-1)
                self.rich[number] = KeptEntry(entry, msgid, number)
            self.gone.append(bool(entry.obsolete))
            if translated:
                self.lenders.append(number)
        mark, donors = (_OBSOLETE, self.buried) if entry.obsolete else (_ACTIVE, self.active)
        for index in found:
            if number < 0:
                self.plain[index] |= mark
            else:
                self.plain[index] &= ~mark
            donors[index] = number

    def finish(self, old: polib.POFile) -> tuple[polib.POFile, MergeReport]:
        """The merged catalog, its header from `old` (only its header is read)."""
        report = MergeReport()
        merged = polib.POFile(wrapwidth=79, check_for_duplicates=False)
        merged.metadata = dict(old.metadata)
        inherit_header(old, merged)
        if "POT-Creation-Date" in self.template.metadata:
            merged.metadata["POT-Creation-Date"] = self.template.metadata["POT-Creation-Date"]
        merged.header = old.header
        merged.metadata_is_fuzzy = old.metadata_is_fuzzy
        self.order = self.hashes = array("q")

        used = bytearray(len(self.msgstr_of))
        unmatched: list[int] = []
        translations = None  # a remade template's, once a message takes a translation
        for index, new in enumerate(self.template):
            number, revived = self.active[index], False
            if number < 0 and not self.plain[index] & _ACTIVE:
                number, revived = self.buried[index], True
                if number < 0 and not self.plain[index] & _OBSOLETE:
                    unmatched.append(index)
                    merged.append(None)
                    continue
            report.revived += revived
            report.kept += not revived
            if number < 0:
                # what _carry would copy
                merged.append(new if type(new) is TemplateEntry else _carry(new, _PLAIN, None))
                continue
            used[number] = 1
            at = self.msgstr_of[number]
            book = new.book if type(new) is TemplateEntry else None
            if at >= 0 and isinstance(book, Texts):  # a remade template's message
                if translations is None or translations.book is not book:
                    translations = Translations(self.texts, book)
                translations.of[new.at] = at
                merged.append(TranslatedEntry(new, translations))
            else:
                merged.append(_carry(new, self._entry(number), fuzzy_from=None))

        # Fuzzy matches only for what found no exact match. As in msgmerge, any old entry
        # with a translation can lend it (fuzzy and obsolete ones, and those already matched
        # exactly, too), to several new entries at once (see tirage.po.fuzzy). The index
        # and its views of the old messages are freed before the fuzzy messages are made.
        donors = array("q")
        if unmatched:
            lender: type[_Lender] = type(
                "_Lender",
                (_Lender,),
                {
                    "__slots__": (),
                    "msgid_of": self.msgid_of,
                    "msgstr_of": self.msgstr_of,
                    "texts": self.texts,
                    "template": self.template,
                    "book": _book(self.template),
                },
            )
            rich = self.rich
            fuzzy = FuzzyIndex(
                [lender(number) if number not in rich else rich[number] for number in self.lenders]
            )
            for index in unmatched:
                new = self.template[index]
                found = fuzzy.search(new.msgctxt, new.msgid)
                donors.append(-1 if found is None else found.number)
            del fuzzy, found, new
            # (a class is freed by the collector only: it lets go of what it holds now)
            del lender.msgid_of, lender.msgstr_of, lender.texts, lender.template, lender.book
            del lender
        for index, number in zip(unmatched, donors, strict=True):
            new = self.template[index]
            if number < 0:
                report.added += 1
                merged[index] = new if type(new) is TemplateEntry else _copy(new)
            else:
                used[number] = 1
                report.fuzzy += 1
                donor = self._entry(number)
                merged[index] = _carry(new, donor, fuzzy_from=donor)

        for number in self.lenders:
            if used[number]:
                continue
            entry = self._entry(number)
            report.obsoleted += not entry.obsolete
            entry.obsolete = True  # msgmerge keeps only what a translator wrote
            merged.append(entry)
        self.lenders, self.rich = array("q"), {}
        self.active = self.buried = array("q")
        return merged, report

    def _msgid(self, number: int) -> str:
        at = self.msgid_of[number]
        return self.template[at].msgid if at >= 0 else self.texts[~at]

    def _entry(self, number: int) -> KeptEntry:
        """The kept message `number`, as a KeptEntry."""
        rich = self.rich.get(number)
        if rich is not None:
            return rich
        old = polib.POEntry(msgstr=self.texts[self.msgstr_of[number]], obsolete=self.gone[number])
        return KeptEntry(old, self._msgid(number), number)


class _Lender(int):
    """A kept translation and nothing else, as the fuzzy search reads it: its number among
    the kept messages, its texts read when asked for from the merge's (set on a class made
    for each merge). An int subclass: 32 bytes, no dict, not tracked by the collector."""

    __slots__ = ()

    # Set on a class made for each merge: the merger's kept messages, its template, and
    # the template's Texts when its message at each place has that number in it (a msgid
    # read for every candidate of every fuzzy search, straight from the bytes).
    msgid_of: array[int]
    msgstr_of: array[int]
    texts: Texts
    template: polib.POFile
    book: Texts | None
    msgid_plural = ""
    msgstr_plural: Mapping[int, str] = NO_FORMS
    msgctxt = None
    flags = ()
    previous_msgid = previous_msgctxt = None

    @property
    def number(self) -> int:
        return int(self)

    @property
    def msgid(self) -> str:
        at = self.msgid_of[self]
        if at < 0:
            return self.texts[~at]
        book = self.book
        return book[at] if book is not None else self.template[at].msgid

    @property
    def msgstr(self) -> str:
        return self.texts[self.msgstr_of[self]]


def _book(template: polib.POFile) -> Texts | None:
    """The Texts of a remade template's msgids, when its message at each place is the
    msgid of that number in it; None otherwise."""
    book = None
    for index, entry in enumerate(template):
        if type(entry) is not TemplateEntry or entry.at != index:
            return None
        if book is None:
            book = entry.book
        elif entry.book is not book:
            return None
    return book if isinstance(book, Texts) else None


def _translation_only(entry: polib.POEntry) -> bool:
    """Whether the old message gives nothing but its msgstr (kept in a Merger's texts)."""
    return (
        entry.msgctxt is None
        and not entry.msgid_plural
        and not entry.msgstr_plural
        and not entry.tcomment
        and not entry.flags
        and entry.previous_msgid is None
        and entry.previous_msgctxt is None
    )


def _plain(entry: polib.POEntry) -> bool:
    return (
        entry.msgstr == ""
        and not entry.msgstr_plural
        and not entry.tcomment
        and not entry.flags
        and entry.previous_msgid is None
        and entry.previous_msgctxt is None
    )


def _copy(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
        obsolete=entry.obsolete,
    )


def _carry(
    new: polib.POEntry, donor: polib.POEntry, fuzzy_from: polib.POEntry | None
) -> polib.POEntry:
    """The template's entry with the donor's translation, comments and flags."""
    flags = list(dict.fromkeys([*donor.flags, *new.flags]))
    previous = (donor.previous_msgid, donor.previous_msgctxt)
    if fuzzy_from is not None:
        if "fuzzy" not in flags:
            flags.insert(0, "fuzzy")
        if not fuzzy_from.fuzzy:  # a fuzzy donor passes on its own `#|`, even none
            previous = (fuzzy_from.msgid, fuzzy_from.msgctxt)
    elif "fuzzy" not in flags:
        previous = (None, None)
    if type(new) is TemplateEntry:
        return MergedEntry(new, donor, flags, previous)
    entry = _copy(new)
    entry.msgstr = donor.msgstr
    entry.msgstr_plural = dict(donor.msgstr_plural)
    entry.tcomment = donor.tcomment
    entry.flags = flags
    entry.previous_msgid, entry.previous_msgctxt = previous
    return entry
