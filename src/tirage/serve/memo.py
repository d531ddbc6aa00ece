"""What the desk's pages would otherwise recompute on every request, kept while the files
they come from stay the same (inode, modification time, size):

- parsed catalogs, with the text they were parsed from, so that a save of one entry
  rewrites one block of that text (`review.apply_decision`'s `known`), and the next page
  parses nothing (`Memo.saved` keeps the catalog as the file now is);
- one `Row` per entry (its filters, its state, its place in the confidence order), from
  which every filter's list is derived; a save changes one row, not 20,000;
- check findings per (language, source, translation), kept while the glossary is;
- parsed source documents and dashboard rows.

Requests run in a thread pool: the memo's dictionaries are only ever replaced or filled
one key at a time, and a value computed twice by two requests is the same value.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import polib

from tirage.document import Document
from tirage.entry_view import Paragraph, paragraph_index, paragraph_of
from tirage.errors import TirageError
from tirage.po.locking import Stamp, file_stamp
from tirage.po.pofile import write_atomic
from tirage.provenance import get_provenance
from tirage.quality.checks import Context, check_entry
from tirage.readers import read_document
from tirage.review import (
    Catalog,
    Findings,
    Saved,
    catalog_paths,
    checks_context,
    confidence,
    errors_in,
    load_catalog,
    needs_review,
    order_key,
    source_changed,
)
from tirage.workspace import Workspace

FILTERS = {
    "todo": "to do",
    "review": "needs review",
    "untranslated": "untranslated",
    "errors": "with errors",
    "changed": "source changed",
    "all": "all",
}
ORDERS = {"document": "document order", "confidence": "least confident first"}

T = TypeVar("T")
MEMO_LIMIT = 200_000  # findings kept between requests; beyond, the memo starts afresh
KEPT = "desk-cache.json"  # the dashboard's numbers between runs of the desk, in .tirage/


def entry_state(entry: polib.POEntry) -> str:
    if not entry.msgstr and not any(entry.msgstr_plural.values()):
        return "untranslated"
    if source_changed(entry):
        return "changed"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    return "reviewed"


@dataclass(frozen=True)
class Row:
    """What the lists need to know about one entry."""

    filters: frozenset[str]
    state: str
    key: tuple[int, float, int, int, int]  # queue order (least confident first)
    # The lists it was in before a save in this sitting: it stays there, so that back and
    # forward still reach it and the list does not shift under the reviewer.
    sticky: frozenset[str] = frozenset()


@dataclass
class Rows:
    """Every entry's row, and each filter's entries in document order."""

    rows: list[Row]
    lists: dict[str, list[int]]
    counts: dict[str, int]  # the entries each filter holds now (saved ones not counted)
    reviewed: int  # rows in the reviewed state

    @classmethod
    def build(cls, rows: list[Row]) -> Rows:
        lists: dict[str, list[int]] = {name: [] for name in FILTERS}
        counts = dict.fromkeys(FILTERS, 0)
        for i, row in enumerate(rows):
            for name in row.filters | row.sticky:
                lists[name].append(i)
            for name in row.filters:
                counts[name] += 1
        lists["all"] = list(range(len(rows)))
        counts["all"] = len(rows)
        return cls(rows, lists, counts, sum(1 for row in rows if row.state == "reviewed"))

    def changed(self, position: int, row: Row) -> Rows:
        """These rows with one changed: the lists are copied and that position moved in or
        out of each (bisect), not rebuilt from 20,000 rows."""
        rows = list(self.rows)
        old, rows[position] = rows[position], row
        lists, counts = dict(self.lists), dict(self.counts)
        for name in FILTERS:
            was, now = name in old.filters | old.sticky, name in row.filters | row.sticky
            if was != now:
                positions = list(lists[name])
                if now:
                    bisect.insort(positions, position)
                else:
                    positions.remove(position)
                lists[name] = positions
            counts[name] += (name in row.filters) - (name in old.filters)
        counts["all"] = len(rows)
        reviewed = self.reviewed + (row.state == "reviewed") - (old.state == "reviewed")
        return Rows(rows, lists, counts, reviewed)

    def ordered(self, name: str, order: str) -> list[int]:
        positions = self.lists[name]
        if order == "confidence":
            return sorted(positions, key=lambda i: self.rows[i].key)
        return positions

    @property
    def reviewed_share(self) -> float:
        return 100.0 * self.reviewed / len(self.rows) if self.rows else 0.0


def make_row(entry: polib.POEntry, findings: Findings) -> Row:
    filters = set()
    state = entry_state(entry)
    # Plural entries too: the desk edits them form by form (the terminal queue does not).
    if needs_review(entry) or (entry.msgid_plural and state in ("fuzzy", "changed")):
        filters |= {"review", "todo"}
    if state == "untranslated":
        filters |= {"untranslated", "todo"}
    elif errors_in(findings):
        filters.add("errors")
    if source_changed(entry):
        filters.add("changed")
    key = order_key(confidence(get_provenance(entry)), findings, entry.msgid)
    return Row(frozenset(filters), state, key)


FINDINGS_KEPT = 250_000  # check findings kept: every entry of a dozen 20,000-entry catalogs


class Memo:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._files: dict[tuple[str, Path], tuple[Stamp, object]] = {}
        # Oldest first: past FINDINGS_KEPT the oldest go, so a long sitting (each save a new
        # translation to check) or catalogs edited all day do not grow the desk without end.
        self._findings: OrderedDict[tuple[str, str, str], Findings] = OrderedDict()
        self._contexts: dict[str, Context] = {}
        self._glossary: Stamp | None = None
        self._locks: dict[tuple[str, Path], threading.Lock] = {}
        # The dashboard's numbers per catalog, with the catalog's and its source's size and
        # modification time: a restart shows the dashboard without parsing what has not
        # changed. A cache only: anything unexpected in it is ignored.
        self._kept: dict[str, object] = {}
        self._kept_text = ""
        self._kept_lock = threading.Lock()
        try:
            loaded = json.loads((ws.state_dir / KEPT).read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._kept = loaded
        except (OSError, ValueError, RecursionError):
            pass

    @staticmethod
    def _stamp(path: Path) -> Stamp:
        try:
            return file_stamp(path.stat())
        except FileNotFoundError:
            return (0, 0, -1)

    def stamp_of(self, path: Path) -> Stamp:
        return self._stamp(path)

    def recall(self, key: str) -> object:
        with self._kept_lock:
            return self._kept.get(key)

    def remember(self, key: str, value: object) -> None:
        with self._kept_lock:
            self._kept[key] = value

    def keep(self) -> None:
        """Write the dashboard's numbers for the next run, when they changed."""
        with self._kept_lock:
            text = json.dumps(self._kept, ensure_ascii=False, sort_keys=True)
        if text != self._kept_text:
            try:
                write_atomic(self.ws.state_dir / KEPT, text)
            except (OSError, TirageError):
                return  # a cache: the next run counts again
            self._kept_text = text

    def file(self, kind: str, path: Path, make: Callable[[], T]) -> T:
        # One thread computes a value; another that needs it meanwhile (a first page while
        # the start-up warms the memo) waits for it rather than computing it again.
        with self._locks.setdefault((kind, path), threading.Lock()):
            stamp = self._stamp(path)
            kept = self._files.get((kind, path))
            if kept is not None and kept[0] == stamp:
                return cast(T, kept[1])
            value = make()
            self._files[(kind, path)] = (stamp, value)
            return value

    def fresh(self, kind: str, path: Path) -> object | None:
        """What `file` holds for (kind, path) while the file is unchanged, without making it."""
        kept = self._files.get((kind, path))
        return kept[1] if kept is not None and kept[0] == self._stamp(path) else None

    def glossary_stamp(self) -> Stamp:
        return self._stamp(self.ws.glossary_path)

    def context(self, lang: str) -> Context:
        stamp = self.glossary_stamp()
        if stamp != self._glossary or len(self._findings) > MEMO_LIMIT:
            self._glossary = stamp
            self._contexts.clear()
            self._findings.clear()
        if lang not in self._contexts:
            self._contexts[lang] = checks_context(self.ws, lang)
        return self._contexts[lang]

    def findings(self, lang: str, entry: polib.POEntry, context: Context | None = None) -> Findings:
        context = context or self.context(lang)
        if entry.msgid_plural or entry.obsolete:
            return check_entry(entry, context)
        key = (lang, entry.msgid, entry.msgstr)
        found = self._findings.get(key)
        if found is None:
            found = self._findings[key] = check_entry(entry, context)
            while len(self._findings) > FINDINGS_KEPT:
                try:
                    self._findings.popitem(last=False)
                except KeyError:  # emptied by another thread meanwhile
                    break
        return found

    def warm(self) -> None:
        """Parse every catalog and check every entry, so that no reviewer waits for it on a
        first page (a 2,000-entry catalog's checks take about a second)."""
        for lang in self.ws.targets:
            for path in catalog_paths(self.ws, lang):
                self.rows(lang, path)
                self.document(path.stem)

    def catalog(self, path: Path) -> Catalog:
        return self.file("catalog", path, partial(load_catalog, path))

    def _rows_kind(self) -> str:
        return f"rows {self.glossary_stamp()}"

    def rows(self, lang: str, path: Path) -> Rows:
        """Every entry's row; kept while the catalog and the glossary (which the checks
        read) stay the same."""
        catalog = self.catalog(path)

        def make() -> Rows:
            context = self.context(lang)
            return Rows.build(
                [make_row(e, self.findings(lang, e, context)) for e in catalog.active]
            )

        return self.file(self._rows_kind(), path, make)

    def saved(self, lang: str, path: Path, catalog: Catalog, saved: Saved | None) -> None:
        """After a save through `catalog` (`apply_decision`'s `known`): if the file is the
        one written as the catalog's text (the same inode, time and size), keep the catalog
        as its parse and change the saved entry's row alone; otherwise forget both, and the
        next page reads the file."""
        before = self._files.get(("catalog", path))
        stamp = self._stamp(path)
        if catalog.data is None or saved is None or saved.stamp != stamp:
            self._files.pop(("catalog", path), None)
            return
        self._files[("catalog", path)] = (stamp, catalog)
        kind = self._rows_kind()
        kept = self._files.get((kind, path))
        entry = saved.entry
        if before is None or kept is None or kept[0] != before[0]:
            return
        place = catalog.place(entry)
        if place is None:
            return
        rows = cast(Rows, kept[1])
        old = rows.rows[place]
        new = make_row(entry, self.findings(lang, entry))
        # Saved in this sitting: it keeps its lists and its place in them.
        new = replace(new, sticky=(old.filters | old.sticky) - new.filters, key=old.key)
        self._files[(kind, path)] = (stamp, rows.changed(place, new))

    def document(self, doc: str) -> Document | None:
        source = self.ws.source(doc)
        if source is None:
            return None
        return self.file(
            "document",
            source,
            lambda: read_document(source, self.ws.root, self.ws.source_lang, self.ws.markdown),
        )

    def paragraph(self, doc: str, msgid: str) -> Paragraph:
        """The (first) paragraph of the source that holds `msgid`, through an index kept
        with the document."""
        source, document = self.ws.source(doc), self.document(doc)
        if source is None or document is None:
            return [(msgid, True)]
        index = self.file("paragraphs", source, partial(paragraph_index, document))
        return paragraph_of(document, index, msgid)
