"""Reassembly: the source text with each segment's span replaced by its translation.

This is the po4a way: the edition is rebuilt from the source's own bytes, never from a
re-rendered tree, so an edition with no translations is the source, byte for byte, and every
byte outside a segment survives.

A segment cut in two by a page or line break (several `pieces`) has one msgid and one
translation. The translation goes in the first piece's place; each later piece is deleted,
together with the gap before it when that gap is only whitespace or Markdown quote markers
(`\\n\\n`, `\\n> `). A gap holding anything else (a running header, say) is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise

import polib

from tirage.document import Block, Document, Segment, Span
from tirage.errors import UsageError

# Around a source fallback in text handed to a writer that marks it (HTML's lang="fr").
# Unicode noncharacters: they do not occur in interchanged text, and escaping leaves them be.
FALLBACK_START = "\ufdd0"
FALLBACK_END = "\ufdd1"

# Text that ends up in an attribute (a link's title), where no element can mark a language.
UNMARKED_ROLES = {"link_title"}
_DROPPABLE_GAP = re.compile(r"[\s>]*")
_SPACES = re.compile(r"[ \t\r\n]+")  # not \s: it would eat no-break spaces
# A newspaper system's breadcrumb separator (`Lyon # Réseaux`), or the trail's own.
_TRAIL_SEPARATOR = re.compile(r"\s+[#›]\s+")
TRAIL_JOIN = " › "


@dataclass(frozen=True)
class Entry:
    """What a catalog holds for one msgid."""

    msgstr: str
    fuzzy: bool

    @property
    def reviewed(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy


class Translations:
    """The catalog of one document and language, looked up by segment.

    When the catalog disambiguates a msgid with msgctxt, the context named after the
    segment's role wins, then the entry without a context, then the only entry there is.
    """

    def __init__(self, entries: Mapping[tuple[str | None, str], Entry] | None = None) -> None:
        self._entries: dict[tuple[str | None, str], Entry] = dict(entries or {})
        self._by_msgid: dict[str, list[Entry]] = {}
        for (_, msgid), entry in self._entries.items():
            self._by_msgid.setdefault(msgid, []).append(entry)

    @classmethod
    def from_po(cls, po: polib.POFile) -> Translations:
        entries: dict[tuple[str | None, str], Entry] = {}
        for item in po:
            if item.obsolete or item.msgid_plural:
                continue
            entries[(item.msgctxt or None, item.msgid)] = Entry(
                msgstr=item.msgstr, fuzzy="fuzzy" in item.flags
            )
        return cls(entries)

    @classmethod
    def from_dict(cls, mapping: Mapping[str, str], fuzzy: bool = False) -> Translations:
        """msgid → msgstr; handy for tests and benches."""
        return cls({(None, k): Entry(v, fuzzy) for k, v in mapping.items()})

    def entry(self, segment: Segment) -> Entry | None:
        found = self._entries.get((segment.role, segment.text))
        if found is None:
            found = self._entries.get((None, segment.text))
        if found is None:
            candidates = self._by_msgid.get(segment.text, [])
            found = candidates[0] if len(candidates) == 1 else None
        return found

    def choose(self, segment: Segment, include_fuzzy: bool) -> str | None:
        """The translation an edition uses, or None when the source text stays."""
        entry = self.entry(segment)
        if entry is None or not entry.msgstr:
            return None
        if entry.fuzzy and not include_fuzzy:
            return None
        return entry.msgstr


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


def segment_edits(source: str, segment: Segment, replacement: str) -> list[Edit]:
    """The edits that put `replacement` in place of a segment (see the module notes)."""
    pieces = segment.pieces
    edits = [Edit(pieces[0][0], pieces[0][1], replacement)]
    for previous, piece in pairwise(pieces):
        gap = source[previous[1] : piece[0]]
        start = previous[1] if _DROPPABLE_GAP.fullmatch(gap) else piece[0]
        edits.append(Edit(start, piece[1], ""))
    return edits


class SortedEdits(list[Edit]):
    """Edits sorted once, so that each block's window finds its own by bisection: a writer
    that asks for every block's text stays linear in the document's size."""

    def __init__(self, edits: Iterable[Edit]) -> None:
        super().__init__(sorted(edits, key=lambda e: (e.start, e.end)))
        # Edits do not overlap, so their ends are sorted too.
        self.ends = [edit.end for edit in self]

    def from_window(self, lo: int) -> Iterator[Edit]:
        """The edits from the first one that ends at `lo` or after (an insertion at `lo`)."""
        for index in range(bisect_left(self.ends, lo), len(self)):
            yield self[index]


def apply_edits(text: str, edits: Iterable[Edit], window: Span | None = None) -> str:
    """`text` (or its `window`) with the edits made. Edits must not overlap.

    An edit that reaches outside the window is clipped to it; its replacement text is kept
    only in the window where the edit starts.
    """
    lo, hi = window if window is not None else (0, len(text))
    ordered = edits if isinstance(edits, SortedEdits) else SortedEdits(edits)
    parts: list[str] = []
    position = lo
    for edit in ordered.from_window(lo):
        if edit.start >= hi:
            break
        start, end = max(edit.start, lo), min(edit.end, hi)
        ends_before = edit.end < lo or (edit.end == lo and edit.start < lo)
        if start > end or ends_before or edit.start >= hi:  # an insertion at lo is kept
            continue
        if start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        parts.append(text[position:start])
        if lo <= edit.start < hi:
            parts.append(edit.text)
        position = end
    parts.append(text[position:hi])
    return "".join(parts)


Transform = Callable[[Segment, str], str]
# The visible marker put before a passage left in the source language ("" for none).
Label = Callable[[Segment], str]


def fallback_label(source_lang: str) -> str:
    """How text and Markdown editions mark a passage left in the source language: `[fr] `.
    (HTML says it with `lang`.)"""
    return f"[{source_lang}] "


def translated_source(
    doc: Document,
    translations: Translations,
    include_fuzzy: bool,
    transform: Transform,
    label: Label | None = None,
) -> str:
    """The same-format edition: the source with each translated segment replaced.

    `transform(segment, msgstr)` prepares a translation for the format (typography,
    escaping). Untranslated segments keep their source bytes, after `label(segment)`.
    """
    edits: list[Edit] = []
    for segment in doc.segments():
        msgstr = translations.choose(segment, include_fuzzy)
        if msgstr is not None:
            edits.extend(segment_edits(doc.text, segment, transform(segment, msgstr)))
        elif label is not None and (mark := label(segment)):
            start = segment.pieces[0][0]
            edits.append(Edit(start, start, mark))
    return apply_edits(doc.text, edits)


def with_credit(text: str, credit: str, rule: str) -> str:
    """`text` with the credit after it, set apart by a blank line and `rule`."""
    if not credit:
        return text
    return text + ("" if text.endswith("\n") or not text else "\n") + f"\n{rule}\n\n{credit}\n"


def marked_edits(
    doc: Document,
    translations: Translations,
    include_fuzzy: bool,
    transform: Transform,
) -> SortedEdits:
    """Edits for writers that mark fallbacks: every segment is replaced, a translated one
    by its transformed translation, an untranslated one by its own source text between
    FALLBACK_START and FALLBACK_END."""
    edits: list[Edit] = []
    for segment in doc.segments():
        msgstr = translations.choose(segment, include_fuzzy)
        if msgstr is None and segment.role in UNMARKED_ROLES:
            continue
        if msgstr is None:
            original = " ".join(doc.text[s:e] for s, e in segment.pieces)
            replacement = FALLBACK_START + original + FALLBACK_END
        else:
            replacement = transform(segment, msgstr)
        edits.extend(segment_edits(doc.text, segment, replacement))
    return SortedEdits(edits)


def block_text(doc: Document, block: Block, edits: list[Edit]) -> str:
    """A block's text after the edits, on one line (for writers that reflow text)."""
    return _SPACES.sub(" ", apply_edits(doc.text, edits, block.span)).strip()


def refuse_html_source(doc: Document, fmt: str) -> None:
    """An HTML page has HTML editions only: its layout cannot be carried into other formats."""
    if doc.format == "html":
        raise UsageError(f"{doc.name}: no {fmt} edition of an HTML source (HTML only)")


def strip_marks(text: str) -> str:
    return text.replace(FALLBACK_START, "").replace(FALLBACK_END, "")


def trail_text(text: str) -> str:
    """A breadcrumb trail on one line, as a reader sees it: `Lyon # Réseaux` → `Lyon › Réseaux`."""
    return _TRAIL_SEPARATOR.sub(TRAIL_JOIN, text)


def trail(text: str) -> list[str]:
    """The items of a breadcrumb trail: `Lyon # Réseaux` → ["Lyon", "Réseaux"]. A fallback
    mark pair cut by a separator is closed and reopened, so each item is balanced."""
    items: list[str] = []
    inside = False
    for raw in _TRAIL_SEPARATOR.split(text.strip()):
        item = (FALLBACK_START if inside else "") + raw
        for char in raw:
            if char in (FALLBACK_START, FALLBACK_END):
                inside = char == FALLBACK_START
        item += FALLBACK_END if inside else ""
        if strip_marks(item).strip():
            items.append(item)
    return items
