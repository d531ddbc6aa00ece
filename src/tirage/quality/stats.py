"""What is left to do: entry states and word counts per document and language.

States follow GNU gettext (`msgfmt --statistics`): the header and obsolete entries are not
messages; a message is *translated* when no msgstr is empty and it is not fuzzy, *fuzzy* when
it is flagged fuzzy and has a translation, and *untranslated* otherwise. tirage splits fuzzy
in two: fuzzy from a source change (a `#| msgid` previous text, or no provenance record) and
fuzzy from machine translation (a `tirage-mt:` record). A source change wins: a reviewed
machine translation whose sentence changed keeps its record, but what it needs is a look at
the new source, not a review of machine output.

Words are counted as translate-toolkit's `pocount` counts them (UAX #29 words that hold a
letter or digit, after its tag and number clean-ups), with the same segmenter, so the two
tools agree in every script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib
from unicode_segmentation_rs import unicode_words

from tirage.provenance import get_provenance

TRANSLATED = "translated"
FUZZY_MT = "fuzzy_mt"
FUZZY_SOURCE = "fuzzy_source"
UNTRANSLATED = "untranslated"
OBSOLETE = "obsolete"
STATES = (TRANSLATED, FUZZY_MT, FUZZY_SOURCE, UNTRANSLATED, OBSOLETE)

# The clean-ups pocount applies before counting (translate/tools/pocount.py).
_BR_TAG = re.compile(r"<br\s*?/?>")
_XML_TAG = re.compile(
    r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""",
)
_DOTTED = re.compile(r"\D\.\D")


def word_count(text: str) -> int:
    """Words in `text`, as pocount counts them: its clean-ups, then unicode-segmentation-rs's
    `unicode_words` (UAX #29 words holding a letter or a number), the segmenter pocount
    itself calls. It is Rust and linear, a few microseconds a sentence in every script."""
    if "<" in text:
        text = _BR_TAG.sub("\n", text)
        text = _XML_TAG.sub("", text)
    if "." in text:
        text = _DOTTED.sub(" ", text)
    return len(unicode_words(text))


def source_words(entry: polib.POEntry) -> int:
    count = word_count(entry.msgid)
    if entry.msgid_plural:
        count += word_count(entry.msgid_plural)
    return count


def is_translated(entry: polib.POEntry) -> bool:
    """A translation is there, whatever the fuzzy flag.

    As in gettext (and pocount), a plural entry counts as translated when its first form
    is filled, even if a later form is still empty.
    """
    if entry.msgid_plural:
        return bool(entry.msgstr_plural.get(0))
    return bool(entry.msgstr)


def entry_state(entry: polib.POEntry) -> str:
    if entry.obsolete:
        return OBSOLETE
    if not is_translated(entry):
        return UNTRANSLATED
    if "fuzzy" in entry.flags:
        if entry.previous_msgid is not None or get_provenance(entry) is None:
            return FUZZY_SOURCE
        return FUZZY_MT
    return TRANSLATED


@dataclass
class CatalogStats:
    doc: str
    lang: str
    path: Path
    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    target_words: int = 0  # words of reviewed translations, pocount's "translated target words"

    def add(self, entry: polib.POEntry, words: bool = True) -> None:
        if not entry.obsolete and entry.msgid == "":
            return  # the header is not a message
        state = entry_state(entry)
        self.segments[state] += 1
        if not words:
            return  # counting words is most of the time on big catalogs
        self.words[state] += source_words(entry)
        if state == TRANSLATED:
            if entry.msgid_plural:
                forms: Iterable[str] = entry.msgstr_plural.values()
            else:
                forms = [entry.msgstr]
            self.target_words += sum(word_count(form) for form in forms)

    @property
    def fuzzy(self) -> int:
        return self.segments[FUZZY_MT] + self.segments[FUZZY_SOURCE]

    @property
    def total(self) -> int:
        """Messages, as msgfmt counts them (obsolete entries excluded)."""
        return sum(n for state, n in self.segments.items() if state != OBSOLETE)

    @property
    def total_words(self) -> int:
        return sum(n for state, n in self.words.items() if state != OBSOLETE)

    @property
    def reviewed_share(self) -> float:
        """Reviewed (translated, not fuzzy) segments as a percentage of all messages."""
        return 100.0 * self.segments[TRANSLATED] / self.total if self.total else 0.0

    @property
    def reviewed_words_share(self) -> float:
        return 100.0 * self.words[TRANSLATED] / self.total_words if self.total_words else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "doc": self.doc,
            "lang": self.lang,
            "path": str(self.path),
            "translated": self.segments[TRANSLATED],
            "fuzzy": self.fuzzy,
            "fuzzy_mt": self.segments[FUZZY_MT],
            "fuzzy_source": self.segments[FUZZY_SOURCE],
            "untranslated": self.segments[UNTRANSLATED],
            "obsolete": self.segments[OBSOLETE],
            "total": self.total,
            "reviewed_share": round(self.reviewed_share, 2),
            "words": {
                "translated": self.words[TRANSLATED],
                "fuzzy": self.words[FUZZY_MT] + self.words[FUZZY_SOURCE],
                "fuzzy_mt": self.words[FUZZY_MT],
                "fuzzy_source": self.words[FUZZY_SOURCE],
                "untranslated": self.words[UNTRANSLATED],
                "obsolete": self.words[OBSOLETE],
                "total": self.total_words,
                "translated_target": self.target_words,
                "reviewed_share": round(self.reviewed_words_share, 2),
            },
        }


def catalog_stats(
    po: polib.POFile, doc: str, lang: str, path: Path, words: bool = True
) -> CatalogStats:
    """Segments (and, unless `words` is False, words) per state."""
    stats = CatalogStats(doc=doc, lang=lang, path=path)
    for entry in po:  # polib keeps obsolete entries in the same list
        stats.add(entry, words)
    return stats


@dataclass(frozen=True)
class PostEditSummary:
    """How much reviewers changed machine output: mean character edit ratio (0 = untouched)."""

    engine: str
    lang: str
    segments: int
    edit_ratio: float
    unchanged: int

    def to_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "lang": self.lang,
            "segments": self.segments,
            "edit_ratio": round(self.edit_ratio, 4),
            "unchanged": self.unchanged,
        }


def format_table(rows: list[CatalogStats]) -> str:
    """One line per document and language: segments, with source words in brackets."""
    headers = ["doc", "lang", "reviewed", "fuzzy-mt", "fuzzy-src", "untransl.", "obsolete", "done"]
    table: list[list[str]] = [headers]
    for row in rows:
        cells = [row.doc, row.lang]
        for state in STATES:
            cells.append(f"{row.segments[state]} ({row.words[state]}w)")
        cells.append(f"{row.reviewed_share:.1f}%")
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    lines = []
    for line in table:
        parts = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def format_post_edit(summaries: list[PostEditSummary]) -> str:
    if not summaries:
        return "post-edit distance: no reviewed machine translations yet"
    lines = ["post-edit distance (character edit ratio, 0 = accepted as is):"]
    for item in summaries:
        lines.append(
            f"  {item.engine:<10} {item.lang:<6} {item.segments:>6} segments  "
            f"ratio {item.edit_ratio:.3f}  unchanged {item.unchanged}"
        )
    return "\n".join(lines)
