"""What the desk's pages show, computed from the workspace with tirage's own modules:
statistics from `stats`, the publish gate from `publish`, checks from `checks`, memory
matches and post-edit distances from `memory`, queue order and authorship from `review`.

Nothing here knows about HTTP; the app turns these models into responses.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from tirage.editions.render import Translations
from tirage.entry_view import EntryView, entry_view, memory_if_any
from tirage.memory import FILENAME, TranslationMemory
from tirage.publish import Coverage, coverage, passes
from tirage.quality.stats import STATES, CatalogStats, PostEditSummary, catalog_stats
from tirage.review import Catalog, catalog_paths
from tirage.serve.memo import FILTERS, ORDERS, Memo
from tirage.workspace import Workspace

WINDOW = 300  # entries listed in the sidebar around the current one


# -- dashboard -------------------------------------------------------------------------------


@dataclass
class Row:
    stats: CatalogStats
    coverage: Coverage | None  # None when the source document is gone
    published: bool
    post_edit: list[PostEditSummary]
    pending: bool = False  # not counted yet: the start-up is counting it

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
    """`tirage stats`'s counts of one catalog, and what the publish gate counts; from the
    desk's cache on disk while the catalog and its source are the files they were."""
    key = ws.relative(path)
    stamp = _files_stamp(ws, memo, path)
    recalled = _recalled(ws, memo, lang, path, stamp)
    if recalled is not None:
        return recalled
    po = memo.catalog(path).po
    stats = catalog_stats(po, path.stem, lang, Path(key))
    doc = memo.document(path.stem)
    cov = coverage(doc, Translations.from_po(po)) if doc else None
    memo.remember(
        key,
        {
            "stamp": stamp,
            "segments": stats.segments,
            "words": stats.words,
            "target_words": stats.target_words,
            "coverage": None if cov is None else [cov.total, cov.reviewed, cov.fuzzy],
        },
    )
    return stats, cov


Measured = tuple[CatalogStats, Coverage | None]


def _files_stamp(ws: Workspace, memo: Memo, path: Path) -> list[list[int]]:
    """The modification time and size of a catalog and of its source, as the cache keeps them."""
    source = ws.source(path.stem)
    return [list(memo.stamp_of(p)[1:]) for p in (path, *([source] if source else []))]


def _recalled(
    ws: Workspace, memo: Memo, lang: str, path: Path, stamp: list[list[int]] | None = None
) -> Measured | None:
    """`_measure`'s numbers from the desk's cache on disk, if they are those of the files
    (`stamp`, when the caller has it)."""
    key = ws.relative(path)
    kept = memo.recall(key)
    if stamp is None:
        stamp = _files_stamp(ws, memo, path)
    if isinstance(kept, dict) and kept.get("stamp") == stamp:
        try:
            return _revived(kept, path.stem, lang, key)
        except (KeyError, TypeError, ValueError):
            pass  # not what this version wrote: counted again
    return None


def _revived(
    kept: dict[str, object], doc: str, lang: str, key: str
) -> tuple[CatalogStats, Coverage | None]:
    segments, words, target, cov = (
        kept[k] for k in ("segments", "words", "target_words", "coverage")
    )
    if not (isinstance(segments, dict) and isinstance(words, dict) and isinstance(target, int)):
        raise TypeError(key)
    stats = CatalogStats(doc, lang, Path(key), dict(segments), dict(words), target)
    if cov is None:
        return stats, None
    if not (isinstance(cov, list) and len(cov) == 3 and all(isinstance(n, int) for n in cov)):
        raise TypeError(key)
    return stats, Coverage(*cov)


@dataclass
class Dashboard:
    rows: list[Row]
    languages: list[tuple[str, bool]]  # (lang, every document passes the gate)
    post_edit: list[PostEditSummary]
    threshold: float
    pending: int = 0  # rows not counted yet


def dashboard(ws: Workspace, memo: Memo, wait: bool = True) -> Dashboard:
    """Every catalog's row; `wait=False` counts none, and marks `pending` the rows whose
    numbers are neither in the memo nor in the desk's cache on disk."""
    rows: list[Row] = []
    memory = None
    if (ws.state_dir / FILENAME).is_file():
        memory = TranslationMemory.open(ws)
    try:
        for lang in ws.targets:
            for path in catalog_paths(ws, lang):
                measure = partial(_measure, ws, memo, lang, path)
                known = cast(Measured | None, memo.fresh("dashboard", path))
                if known is None and not wait:
                    known = _recalled(ws, memo, lang, path)
                edits = memory.post_edit_summary((lang,), path.stem) if memory else []
                if not wait and known is None:  # being counted in the background
                    stats = CatalogStats(path.stem, lang, Path(ws.relative(path)))
                    rows.append(Row(stats, None, False, edits, pending=True))
                    continue
                make = measure if known is None else partial(lambda kept: kept, known)
                stats, cov = memo.file("dashboard", path, make)
                gate = cov is not None and passes(cov, ws.threshold, False)
                rows.append(Row(stats, cov, gate, edits))
        post_edit = memory.post_edit_summary(ws.targets) if memory else []
    finally:
        if memory is not None:
            memory.close()
    memo.keep()
    rows.sort(key=lambda row: (row.stats.doc, ws.targets.index(row.stats.lang)))
    languages = []
    for lang in ws.targets:
        mine = [row.published for row in rows if row.stats.lang == lang]
        languages.append((lang, bool(mine) and all(mine)))
    pending = sum(row.pending for row in rows)
    return Dashboard(rows, languages, post_edit, ws.threshold, pending)


# -- review page -----------------------------------------------------------------------------


@dataclass
class Listed:
    position: int
    msgid: str
    state: str


@dataclass
class ReviewPage:
    lang: str
    doc: str
    filter: str
    order: str
    query: str
    counts: dict[str, int]
    listed: list[Listed]
    current: EntryView | None
    previous: int | None
    next: int | None
    reviewed_share: float
    entries: int  # in the catalog
    total: int  # entries in the filtered list (or search hits), of which `listed` is a window
    offset: int  # the window's first index in that list
    index: int | None  # the current entry's place in that list


def _place(positions: list[int], wanted: int | None, sorted_: bool) -> int | None:
    """Where `wanted` is in `positions` (bisected when they are in document order)."""
    if wanted is None:
        return None
    if not sorted_:
        return positions.index(wanted) if wanted in positions else None
    at = bisect.bisect_left(positions, wanted)
    return at if at < len(positions) and positions[at] == wanted else None


def search(catalog: Catalog, query: str) -> list[int]:
    """The whole catalog's entries whose source, translation, comments or context hold
    `query` (case folded), in document order: a search is not limited to a filter."""
    needle = query.casefold()
    found = []
    for i, entry in enumerate(catalog.active):
        fields = (
            entry.msgid,
            entry.msgstr,
            entry.msgid_plural or "",
            *entry.msgstr_plural.values(),
            entry.comment or "",
            entry.tcomment or "",
            entry.msgctxt or "",
        )
        if any(needle in text.casefold() for text in fields if text):
            found.append(i)
    return found


def review_page(
    ws: Workspace,
    memo: Memo,
    lang: str,
    path: Path,
    filter_name: str,
    order: str,
    query: str,
    wanted: int | None,
) -> ReviewPage:
    catalog = memo.catalog(path)
    rows = memo.rows(lang, path)
    chosen = filter_name if filter_name in FILTERS else "todo"
    order = order if order in ORDERS else "document"
    positions = search(catalog, query) if query else rows.ordered(chosen, order)
    here = _place(positions, wanted, sorted_=order == "document" and not query)
    position = wanted if wanted is not None and 0 <= wanted < len(catalog.active) else None
    if position is None and positions:
        position, here = positions[0], 0
    # The sidebar shows a window of the list around the current entry: a page of a
    # 20,000-entry catalog would otherwise be mostly 20,000 links.
    low = max(0, (here or 0) - WINDOW // 3)
    listed = [
        Listed(i, catalog.active[i].msgid, rows.rows[i].state)
        for i in positions[low : low + WINDOW]
    ]
    page = ReviewPage(
        lang, catalog.doc, chosen, order, query, rows.counts, listed, None, None, None,
        rows.reviewed_share, len(catalog.active), len(positions), low, here,
    )  # fmt: skip
    if position is None:
        return page
    if here is not None:
        page.previous = positions[here - 1] if here > 0 else None
        page.next = positions[here + 1] if here + 1 < len(positions) else None
    else:  # asked for by number, outside the list: back and forward by document order
        page.previous = max((i for i in positions if i < position), default=None)
        page.next = min((i for i in positions if i > position), default=None)
    with memory_if_any(ws) as memory:
        page.current = entry_view(ws, memo, lang, catalog, position, memory)
    return page
