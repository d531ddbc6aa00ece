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

from dataclasses import dataclass

import polib

from tirage.entries import KeptEntry, MergedEntry, TemplateEntry
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
        # Where a key is in the template: a msgid without context by itself; any other key
        # (or a key the template repeats) with every position it has.
        self.position: dict[str, int] = {}
        self.positions: dict[tuple[str | None, str], list[int]] = {}
        for index, entry in enumerate(template):
            key = (entry.msgctxt, entry.msgid)
            if key in self.positions:
                self.positions[key].append(index)
            elif entry.msgctxt is not None:
                self.positions[key] = [index]
            elif entry.msgid in self.position:
                self.positions[key] = [self.position.pop(entry.msgid), index]
            else:
                self.position[entry.msgid] = index
        self.plain = bytearray(len(template))  # _ACTIVE and _OBSOLETE marks
        self.active: dict[int, KeptEntry] = {}  # donors that give more than their place
        self.buried: dict[int, KeptEntry] = {}  # the same, obsolete
        self.lenders: list[KeptEntry] = []  # every translated old message, in file order

    @property
    def translated(self) -> int:
        """Old messages holding a translation (obsolete ones too): what a merge must keep."""
        return len(self.lenders)

    def _find(self, entry: polib.POEntry) -> list[int]:
        if self.positions:
            found = self.positions.get((entry.msgctxt, entry.msgid))
            if found is not None:
                return found
        if entry.msgctxt is None:
            index = self.position.get(entry.msgid)
            if index is not None:
                return [index]
        return []

    def take(self, entry: polib.POEntry) -> None:
        """One old message, in file order. As in a dict of the old catalog, a later message
        with the same key takes the place of an earlier one."""
        found = self._find(entry)
        translated = has_translation(entry)
        kept = None
        if translated or (found and not _plain(entry)):
            kept = KeptEntry(entry, self.template[found[0]].msgid if found else entry.msgid)
            if translated:
                self.lenders.append(kept)
        mark, donors = (_OBSOLETE, self.buried) if entry.obsolete else (_ACTIVE, self.active)
        for index in found:
            if kept is None:
                self.plain[index] |= mark
                donors.pop(index, None)
            else:
                self.plain[index] &= ~mark
                donors[index] = kept

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

        used: set[int] = set()
        unmatched: list[int] = []
        for index, new in enumerate(self.template):
            donor = self._donor(index, self.active, _ACTIVE)
            revived = donor is None
            donor = donor or self._donor(index, self.buried, _OBSOLETE)
            if donor is None:
                unmatched.append(index)
                merged.append(None)
                continue
            report.revived += revived
            report.kept += not revived
            if donor is _PLAIN and type(new) is TemplateEntry:
                merged.append(new)  # what _carry would copy
                continue
            used.add(id(donor))
            merged.append(_carry(new, donor, fuzzy_from=None))

        # Fuzzy matches only for what found no exact match. As in msgmerge, any old entry
        # with a translation can lend it (fuzzy and obsolete ones, and those already matched
        # exactly, too), to several new entries at once (see tirage.po.fuzzy).
        fuzzy = FuzzyIndex(self.lenders) if unmatched else None
        for index in unmatched:
            new = self.template[index]
            found = fuzzy.search(new.msgctxt, new.msgid) if fuzzy is not None else None
            if found is None:
                report.added += 1
                merged[index] = new if type(new) is TemplateEntry else _copy(new)
            else:
                used.add(id(found))
                report.fuzzy += 1
                merged[index] = _carry(new, found, fuzzy_from=found)
        del fuzzy

        for entry in self.lenders:
            if id(entry) in used:
                continue
            report.obsoleted += not entry.obsolete
            entry.obsolete = True  # msgmerge keeps only what a translator wrote
            merged.append(entry)
        self.lenders, self.active, self.buried = [], {}, {}
        return merged, report

    def _donor(self, index: int, donors: dict[int, KeptEntry], mark: int) -> polib.POEntry | None:
        found = donors.get(index) if donors else None
        if found is None and self.plain[index] & mark:
            return _PLAIN
        return found


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
