"""The fuzzy donor `msgmerge` finds for a new msgid, found the same way.

GNU gettext (msgmerge.c, msgl-fsearch.c, fstrcmp.c) searches every old message with a
translation, obsolete, fuzzy and already-matched ones too: an old "Il sourit." that keeps
its own translation still lends it to a new "Mikaël sourit.". Its similarity is fstrcmp:
the share of bytes two UTF-8 strings keep in a shortest edit script of insertions and
deletions, the normalised Indel similarity of rapidfuzz. A donor must score above 0.6; a
donor without context, or with the same one, gets 0.00001 more. Ties go to the first
candidate in msgmerge's order of trial:

- a msgid of four characters or more tries the messages sharing a 4-gram of characters
  with it, most shared 4-grams first, then in file order;
- a shorter one tries the messages whose msgid has a byte length that could reach 0.6,
  shortest first, then in file order.

A message sharing no 4-gram is never tried, even when it would score above 0.6; this
module follows msgmerge there too, as the differential test against it requires.
"""

from __future__ import annotations

import math
from collections import defaultdict

import polib
from rapidfuzz.distance import Indel

__all__ = ["FUZZY_THRESHOLD", "FuzzyIndex"]

FUZZY_THRESHOLD = 0.6
_BONUS = 0.00001
_GRAM = 4
# Short msgids are compared with short messages only: those whose length can still reach
# the threshold (fstrcmp ≤ 2·l1 / (l1 + l2)), with l counted in bytes.
_SPREAD = 2 / FUZZY_THRESHOLD - 1
_SHORT_MAX = int((_GRAM - 1) * 4 * _SPREAD)


def _lends(entry: polib.POEntry) -> bool:
    """Whether msgmerge indexes the entry: its (first) msgstr is not empty."""
    if entry.msgid_plural:
        forms = {int(k): v for k, v in entry.msgstr_plural.items()}
        return bool(forms.get(0))
    return bool(entry.msgstr)


class FuzzyIndex:
    """The old catalog's translated messages, searchable as msgmerge searches them."""

    def __init__(self, old: list[polib.POEntry]) -> None:
        self.entries = [e for e in old if _lends(e) and not (e.msgid == "" and e.msgctxt is None)]
        self.encoded = [e.msgid.encode("utf-8") for e in self.entries]
        self.grams: dict[str, list[int]] = defaultdict(list)
        self.short: dict[int, list[int]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            text = entry.msgid
            for gram in dict.fromkeys(text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)):
                self.grams[gram].append(index)
            size = len(self.encoded[index])
            if size <= _SHORT_MAX:
                self.short[size].append(index)

    def _order(self, msgid: str, encoded: bytes) -> list[int]:
        if len(msgid) >= _GRAM:
            counts: dict[int, int] = defaultdict(int)
            for i in range(len(msgid) - _GRAM + 1):
                for index in self.grams.get(msgid[i : i + _GRAM], ()):
                    counts[index] += 1
            return sorted(counts, key=lambda index: (-counts[index], index))
        size = len(encoded)
        low, high = math.ceil(size / _SPREAD), int(size * _SPREAD)
        return [index for length in range(low, high + 1) for index in self.short.get(length, ())]

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        """The donor msgmerge would take for a new (msgctxt, msgid), or None."""
        encoded = msgid.encode("utf-8")
        best: polib.POEntry | None = None
        best_weight = FUZZY_THRESHOLD
        for index in self._order(msgid, encoded):
            entry = self.entries[index]
            same_context = entry.msgctxt is None or entry.msgctxt == msgctxt
            bonus = _BONUS if same_context else 0.0
            lower = best_weight - bonus * 1.01 if same_context else best_weight
            other = self.encoded[index]
            total = len(encoded) + len(other)
            weight = (total - Indel.distance(encoded, other)) / total if total else 1.0
            if weight > lower and weight + bonus > best_weight:
                best, best_weight = entry, weight + bonus
        return best
