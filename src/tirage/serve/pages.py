"""What the desk's pages show, computed from the workspace with tirage's own modules:
statistics from `stats`, the publish gate from `publish`, checks from `checks`, memory
matches and post-edit distances from `memory`, queue order and authorship from `review`.

Nothing here knows about HTTP; the app turns these models into responses.
"""

from __future__ import annotations

import bisect
import gettext
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

import polib

from tirage import languages
from tirage.editions.render import Translations
from tirage.history import Change, History
from tirage.memory import FILENAME, Match, TranslationMemory
from tirage.provenance import get_provenance
from tirage.publish import Coverage, coverage, passes
from tirage.quality.checks import ERROR, Check, Context
from tirage.quality.stats import STATES, CatalogStats, PostEditSummary, catalog_stats
from tirage.review import (
    Catalog,
    Findings,
    author_words,
    catalog_paths,
    confidence,
    describe_confidence,
    memory_matches,
    needs_review,
    plural_forms,
    word_diff,
)
from tirage.serve.memo import FILTERS, ORDERS, Memo
from tirage.workspace import Workspace

WINDOW = 300  # entries listed in the sidebar around the current one


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
    sources = [p for p in ws.sources() if p.stem == path.stem]
    key = ws.relative(path)
    stamp = [list(memo.stamp_of(p)[1:]) for p in (path, *sources[:1])]
    recalled = _recalled(ws, memo, lang, path)
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


def _recalled(ws: Workspace, memo: Memo, lang: str, path: Path) -> Measured | None:
    """`_measure`'s numbers from the desk's cache on disk, if they are those of the files."""
    sources = [p for p in ws.sources() if p.stem == path.stem]
    key = ws.relative(path)
    stamp = [list(memo.stamp_of(p)[1:]) for p in (path, *sources[:1])]
    kept = memo.recall(key)
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


HISTORY_SHOWN = 20  # decisions listed on an entry's page, the latest


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
    history: list[Change]  # the decisions made on it, the latest first
    forms: list[tuple[str, str]]  # a plural entry's (label, translation) per form
    others: list[tuple[str, str]]  # (language, reviewed translation) in the other targets
    terms: list[tuple[str, str]]  # glossary terms in the source, (term, what to do)
    ignored: list[str]  # the checks whose warnings are ignored for this entry
    history_more: bool = False  # earlier decisions than `history` holds


@dataclass
class ReviewPage:
    lang: str
    doc: str
    filter: str
    order: str
    query: str
    counts: dict[str, int]
    listed: list[Listed]
    current: Current | None
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


def ignorable(check: Check, ignored: set[str]) -> bool:
    """A warning the reviewer ignored for this entry (an error is never ignored)."""
    return check.severity != ERROR and check.name in ignored


def others_of(
    ws: Workspace, memo: Memo, lang: str, doc: str, entry: polib.POEntry
) -> list[tuple[str, str]]:
    """The entry's reviewed translations in the workspace's other target languages."""
    found = []
    for other in ws.targets:
        path = catalog_path(ws, other, doc) if other != lang else None
        if path is None:
            continue
        twin = memo.catalog(path).entry(entry.msgid, entry.msgctxt)
        if twin is not None and twin.msgstr and "fuzzy" not in twin.flags:
            found.append((other, twin.msgstr))
    return found


def terms_in(context: Context, msgid: str) -> list[tuple[str, str]]:
    """The glossary's terms found in the source text, with what the glossary asks."""
    terms = [(term, "keep as written") for term in context.keep if term in msgid]
    terms += [(term, f"translate as “{target}”") for term, target in context.forced.items()
              if term in msgid]  # fmt: skip
    return terms


CANDIDATES = [*range(1000), 10**6, 2 * 10**6, 10**7]  # numbers to find each form's examples


def plural_labels(po: polib.POFile, lang: str, count: int) -> list[str]:
    """A label per plural form, from the catalog's Plural-Forms and the language's plural
    rules (babel's CLDR categories): "one (1, 21, 31…)", "other (0, 2, 3…)"."""
    found = re.search(r"plural\s*=\s*([^;]+)", po.metadata.get("Plural-Forms", ""))
    try:
        rule = gettext.c2py(found.group(1)) if found else None
    except (ValueError, SyntaxError, RecursionError):
        rule = None
    locale = languages.parse(lang)
    labels = []
    for index in range(count):
        examples = [n for n in CANDIDATES if rule is not None and rule(n) == index][:3]
        if not examples:
            labels.append(f"form {index + 1}")
            continue
        category = locale.plural_form(examples[0]) if locale is not None else f"form {index + 1}"
        more = "…" if len(examples) == 3 else ""
        labels.append(f"{category} ({', '.join(map(str, examples))}{more})")
    return labels


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
    who = author_words(entry, raw, ws.source_lang, lang)
    forms: list[tuple[str, str]] = []
    if entry.msgid_plural:
        texts = plural_forms(entry)
        forms = list(zip(plural_labels(catalog.po, lang, len(texts)), texts, strict=True))
    history: list[Change] = []
    ignored: set[str] = set()
    if History.exists(ws):
        with History.open(ws) as kept:
            # The latest only: an entry saved all day must not make its page ever longer.
            history = kept.of(lang, catalog.doc, entry.msgid, entry.msgctxt, HISTORY_SHOWN + 1)
            ignored = kept.ignored(lang, catalog.doc, entry.msgid, entry.msgctxt)
    findings = [(c, e) for c, e in memo.findings(lang, entry) if not ignorable(c, ignored)]
    score = describe_confidence(confidence(get_provenance(entry))) if needs_review(entry) else ""
    diff = word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else []
    line = ", ".join(f"{name}:{number}" if number else name for name, number in entry.occurrences)
    return Current(
        position,
        entry,
        who,
        score,
        findings,
        matches,
        diff,
        memo.paragraph(catalog.doc, entry.msgid),
        entry.comment or "",
        line,
        history[:HISTORY_SHOWN],
        forms,
        others_of(ws, memo, lang, catalog.doc, entry),
        terms_in(memo.context(lang), entry.msgid),
        sorted(ignored),
        len(history) > HISTORY_SHOWN,
    )
