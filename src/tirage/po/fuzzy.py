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
from rapidfuzz import process
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
        self.short: dict[int, list[int]] = defaultdict(list)
        for index, size in enumerate(map(len, self.encoded)):
            if size <= _SHORT_MAX:
                self.short[size].append(index)

    def grams(self, index: int) -> frozenset[str]:
        return frozenset(_grams(self.entries[index].msgid))

    def shares_gram(self, index: int, wanted: frozenset[str]) -> bool:
        """Whether the message at `index` shares a 4-gram with `wanted`. Not from a set of
        its 4-grams kept for the next search: on a big catalog of similar sentences, those
        sets took many times the catalog's own memory."""
        text = self.entries[index].msgid
        return any(text[i : i + _GRAM] in wanted for i in range(len(text) - _GRAM + 1))

    def _value(self, index: int, msgctxt: str | None, encoded: bytes, best: float) -> float:
        """fuzzy_search_goal_function: fstrcmp, plus the bonus for a matching context; 0.0
        when not above `best`."""
        entry = self.entries[index]
        same_context = entry.msgctxt is None or entry.msgctxt == msgctxt
        bonus = _BONUS if same_context else 0.0
        lower = best - bonus * 1.01 if same_context else best
        other = self.encoded[index]
        total = len(encoded) + len(other)
        weight = (total - Indel.distance(encoded, other)) / total if total else 1.0
        return weight + bonus if weight > lower else 0.0

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        """The donor msgmerge would take for a new (msgctxt, msgid), or None."""
        encoded = msgid.encode("utf-8")
        if len(msgid) < _GRAM:
            return self._search_short(msgctxt, encoded)
        # msgmerge tries every message sharing a 4-gram, most shared first, and keeps the
        # first of the best. The same result, faster: score everything in rapidfuzz, keep
        # what passes the threshold and shares a 4-gram, and count shared 4-grams only to
        # break a tie.
        near = process.extract(
            encoded,
            self.encoded,
            scorer=Indel.normalized_similarity,
            score_cutoff=FUZZY_THRESHOLD - 0.01,
            limit=None,
        )
        if not near:
            return None
        query = _grams(msgid)
        wanted = frozenset(query)
        values: dict[int, float] = {}
        for _, _, index in near:
            value = self._value(index, msgctxt, encoded, FUZZY_THRESHOLD)
            if value > FUZZY_THRESHOLD and self.shares_gram(index, wanted):
                values[index] = value
        if not values:
            return None
        top = max(values.values())
        tied = [index for index, value in values.items() if value == top]

        def shared(index: int) -> int:
            grams = self.grams(index)
            return sum(gram in grams for gram in query)

        return self.entries[min(tied, key=lambda index: (-shared(index), index))]

    def _search_short(self, msgctxt: str | None, encoded: bytes) -> polib.POEntry | None:
        """Fewer than four characters: the short messages of a length that can reach the
        threshold, shortest first, each in file order."""
        size = len(encoded)
        low, high = math.ceil(size / _SPREAD), int(size * _SPREAD)
        best: polib.POEntry | None = None
        best_value = FUZZY_THRESHOLD
        for length in range(low, high + 1):
            for index in self.short.get(length, ()):
                value = self._value(index, msgctxt, encoded, best_value)
                if value > best_value:
                    best, best_value = self.entries[index], value
        return best


def _grams(text: str) -> list[str]:
    """The 4-grams of characters of `text`, one per position."""
    return [text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)]
