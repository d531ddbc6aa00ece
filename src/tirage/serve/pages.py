"""What the desk's pages show, computed from the workspace with tirage's own modules:
statistics from `stats`, the publish gate from `publish`, checks from `checks`, memory
matches and post-edit distances from `memory`, queue order and authorship from `review`.

Nothing here knows about HTTP; the app turns these models into responses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import polib

from tirage.document import Document
from tirage.editions.render import Translations
from tirage.memory import FILENAME, Match, TranslationMemory
from tirage.po.pofile import read_po
from tirage.provenance import get_provenance
from tirage.publish import Coverage, coverage, passes
from tirage.quality.checks import Context, check_entry
from tirage.quality.stats import STATES, CatalogStats, PostEditSummary, catalog_stats
from tirage.readers import read_document
from tirage.review import (
    Catalog,
    Findings,
    author,
    catalog_paths,
    checks_context,
    confidence,
    describe_confidence,
    errors_in,
    load_catalog,
    memory_matches,
    needs_review,
    queue_items,
    queue_key,
    source_changed,
    word_diff,
)
from tirage.workspace import Workspace

FILTERS = {
    "review": "needs review",
    "untranslated": "untranslated",
    "errors": "with errors",
    "changed": "source changed",
    "all": "all",
}


T = TypeVar("T")
WINDOW = 300  # entries listed in the sidebar around the current one
MEMO_LIMIT = 200_000  # findings kept between requests; beyond, the memo starts afresh


class Memo:
    """What pages would otherwise recompute on every request: parsed source documents and
    dashboard rows, kept while their files' modification time and size stay the same, and
    check findings per (language, source, translation), kept while the glossary is."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._files: dict[tuple[str, Path], tuple[tuple[int, int, int], object]] = {}
        self._findings: dict[tuple[str, str, str], Findings] = {}
        self._contexts: dict[str, Context] = {}
        self._glossary: tuple[int, int, int] | None = None

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int, int]:
        """A file's version: atomic saves (ours, most editors') make a new inode, and an
        in-place write changes the size or the modification time."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return (0, 0, -1)
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def file(self, kind: str, path: Path, make: Callable[[], T]) -> T:
        stamp = self._stamp(path)
        kept = self._files.get((kind, path))
        if kept is not None and kept[0] == stamp:
            return cast(T, kept[1])
        value = make()
        self._files[(kind, path)] = (stamp, value)
        return value

    def glossary_stamp(self) -> tuple[int, int, int]:
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

    def findings(self, lang: str, entry: polib.POEntry) -> Findings:
        context = self.context(lang)
        if entry.msgid_plural or entry.obsolete:
            return check_entry(entry, context)
        key = (lang, entry.msgid, entry.msgstr)
        found = self._findings.get(key)
        if found is None:
            found = self._findings[key] = check_entry(entry, context)
        return found

    def warm(self) -> None:
        """Parse every catalog and check every entry now, at start-up, so that no reviewer
        waits for it on a first page (a 2,000-entry catalog's checks take about a second)."""
        for lang in self.ws.targets:
            for path in catalog_paths(self.ws, lang):
                self.lists(lang, path)
                self.document(path.stem)

    def catalog(self, path: Path) -> Catalog:
        return self.file("catalog", path, partial(load_catalog, path))

    def lists(self, lang: str, path: Path) -> dict[str, list[int]]:
        """The entries of each filter, as positions; kept while the catalog and the glossary
        (which the checks read) stay the same."""
        make = partial(_filtered, self.catalog(path), lang, self)
        return self.file(f"lists {self.glossary_stamp()}", path, make)

    def document(self, doc: str) -> Document | None:
        found = [path for path in self.ws.sources() if path.stem == doc]
        if not found:
            return None
        source = found[0]
        ws = self.ws
        return self.file(
            "document", source, lambda: read_document(source, ws.root, ws.source_lang, ws.markdown)
        )


def catalog_path(ws: Workspace, lang: str, doc: str) -> Path | None:
    """The catalog of `doc` in `lang`, only if the workspace has it: a request names a
    catalog, it never builds a path."""
    for path in catalog_paths(ws, lang):
        if path.stem == doc:
            return path
    return None


# -- dashboard -------------------------------------------------------------------------------


@dataclass
class Row:
    stats: CatalogStats
    coverage: Coverage | None  # None when the source document is gone
    published: bool
    post_edit: list[PostEditSummary]

    def bar(self, words: bool) -> list[tuple[str, float, int]]:
        """(state, percent, count) of the progress bar, in segments or in words."""
        counts = self.stats.words if words else self.stats.segments
        total = self.stats.total_words if words else self.stats.total
        return [
            (state, 100.0 * counts[state] / total if total else 0.0, counts[state])
            for state in STATES[:-1]
        ]

    def counts(self, words: bool) -> list[tuple[str, int]]:
        """The states that hold something, with their counts."""
        return [(state, count) for state, _, count in self.bar(words) if count]


def _measure(
    ws: Workspace, memo: Memo, lang: str, path: Path
) -> tuple[CatalogStats, Coverage | None]:
    """`tirage stats`'s counts of one catalog, and what the publish gate counts."""
    po = read_po(path)
    stats = catalog_stats(po, path.stem, lang, Path(ws.relative(path)))
    doc = memo.document(path.stem)
    return stats, coverage(doc, Translations.from_po(po)) if doc else None


@dataclass
class Dashboard:
    rows: list[Row]
    languages: list[tuple[str, bool]]  # (lang, every document passes the gate)
    post_edit: list[PostEditSummary]
    threshold: float


def dashboard(ws: Workspace, memo: Memo) -> Dashboard:
    rows: list[Row] = []
    memory = None
    if (ws.state_dir / FILENAME).is_file():
        memory = TranslationMemory.open(ws)
    try:
        for lang in ws.targets:
            for path in catalog_paths(ws, lang):
                stats, cov = memo.file("dashboard", path, partial(_measure, ws, memo, lang, path))
                gate = cov is not None and passes(cov, ws.threshold, False)
                edits = memory.post_edit_summary((lang,), path.stem) if memory else []
                rows.append(Row(stats, cov, gate, edits))
        post_edit = memory.post_edit_summary(ws.targets) if memory else []
    finally:
        if memory is not None:
            memory.close()
    rows.sort(key=lambda row: (row.stats.doc, ws.targets.index(row.stats.lang)))
    languages = []
    for lang in ws.targets:
        mine = [row.published for row in rows if row.stats.lang == lang]
        languages.append((lang, bool(mine) and all(mine)))
    return Dashboard(rows, languages, post_edit, ws.threshold)


# -- review page -----------------------------------------------------------------------------


@dataclass
class Listed:
    position: int
    msgid: str
    state: str


@dataclass
class Current:
    position: int
    entry: polib.POEntry
    author: str
    confidence: str
    findings: Findings
    matches: list[Match]
    diff: list[tuple[str, str]]
    context: list[tuple[str, bool]]  # the paragraph's sentences, (text, is this one)
    role: str
    line: str


@dataclass
class ReviewPage:
    lang: str
    doc: str
    filter: str
    query: str
    counts: dict[str, int]
    listed: list[Listed]
    current: Current | None
    previous: int | None
    next: int | None
    stats: CatalogStats
    total: int  # entries in the filtered list, of which `listed` is a window
    offset: int  # the window's first index in the filtered list


def entry_state(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return "untranslated"
    if source_changed(entry):
        return "changed"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    return "reviewed"


def _filtered(catalog: Catalog, lang: str, memo: Memo) -> dict[str, list[int]]:
    active = catalog.active

    def check(entry: polib.POEntry) -> Findings:
        return memo.findings(lang, entry)

    queue = sorted(queue_items(catalog, check), key=queue_key)
    errors = [i for i, e in enumerate(active) if e.msgstr and errors_in(check(e))]
    return {
        "review": [item.position for item in queue],
        "untranslated": [i for i, e in enumerate(active) if not e.msgstr],
        "errors": errors,
        "changed": [i for i, e in enumerate(active) if source_changed(e)],
        "all": list(range(len(active))),
    }


def _paragraph(doc: Document | None, msgid: str) -> list[tuple[str, bool]]:
    if doc is None:
        return [(msgid, True)]
    for block in doc.blocks:
        if any(segment.text == msgid for segment in block.segments):
            return [(segment.text, segment.text == msgid) for segment in block.segments]
    return [(msgid, True)]


def review_page(
    ws: Workspace,
    memo: Memo,
    lang: str,
    path: Path,
    filter_name: str,
    query: str,
    wanted: int | None,
) -> ReviewPage:
    catalog = memo.catalog(path)
    lists = memo.lists(lang, path)
    chosen = filter_name if filter_name in FILTERS else "review"
    positions = lists[chosen]
    if query:
        needle = query.casefold()
        positions = [
            i
            for i in positions
            if needle in catalog.active[i].msgid.casefold()
            or needle in catalog.active[i].msgstr.casefold()
        ]
    # The sidebar shows a window of the list around the current entry: a page of a
    # 20,000-entry catalog would otherwise be mostly 20,000 links.
    here = positions.index(wanted) if wanted in positions else 0
    low = max(0, here - WINDOW // 3)
    listed = [
        Listed(i, catalog.active[i].msgid, entry_state(catalog.active[i]))
        for i in positions[low : low + WINDOW]
    ]
    stats = catalog_stats(catalog.po, catalog.doc, lang, Path(ws.relative(path)), words=False)
    position = wanted if wanted is not None and 0 <= wanted < len(catalog.active) else None
    if position is None and positions:
        position = positions[0]
    page = ReviewPage(
        lang,
        catalog.doc,
        chosen,
        query,
        {name: len(found) for name, found in lists.items()},
        listed,
        None,
        None,
        None,
        stats,
        len(positions),
        low,
    )
    if position is None:
        return page
    if position in positions:
        index = positions.index(position)
        page.previous = positions[index - 1] if index > 0 else None
        page.next = positions[index + 1] if index + 1 < len(positions) else None
    else:  # asked for by number, outside the filter: move on to the filter's first
        page.next = positions[0] if positions else None
    page.current = current_entry(ws, memo, lang, catalog, position)
    return page


def current_entry(ws: Workspace, memo: Memo, lang: str, catalog: Catalog, position: int) -> Current:
    entry = catalog.active[position]
    matches: list[Match] = []
    raw = None
    if (ws.state_dir / FILENAME).is_file():
        with TranslationMemory.open(ws) as memory:
            matches = memory_matches(memory, entry, ws.source_lang, lang)
            raw = memory.raw_output(
                entry.msgid, ws.source_lang, lang, catalog.doc, entry.msgctxt or ""
            )
    who = author(entry, raw) if entry.msgstr else "untranslated"
    score = describe_confidence(confidence(get_provenance(entry))) if needs_review(entry) else ""
    diff = word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else []
    line = ", ".join(f"{name}:{number}" if number else name for name, number in entry.occurrences)
    return Current(
        position,
        entry,
        who,
        score,
        memo.findings(lang, entry),
        matches,
        diff,
        _paragraph(memo.document(catalog.doc), entry.msgid),
        entry.comment or "",
        line,
    )
