"""The translation memory: every reviewed sentence of every catalog, in `.tirage/memory.sqlite`.

Sources are stored once per language and indexed by an FTS5 full-text table. A fuzzy lookup
asks the index for the sentences that share the query's rarest words (a handful of short
posting lists, never a scan), then scores those candidates with rapidfuzz's normalised
Indel similarity, the same 0–100 ratio translators know from CAT tools.

The memory also keeps each raw machine translation it has seen (an entry that is fuzzy and
carries a `tirage-mt:` record). When that entry is later reviewed, the character edit ratio
between the raw output and the reviewed text is stored: the post-edit distance that
`tirage stats` reports per engine and language. A reviewed unit says how it was made: a
human's translation, machine output a reviewer accepted unchanged (`mt_accepted`), or machine
output a reviewer changed (`post_edited`).

TMX 1.4b import and export sit at the edge, in `tirage.interchange.tmx`.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import filelock
import polib
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from tirage.containment import check_output, kind_of, regular_digest
from tirage.errors import CatalogError, TirageError
from tirage.po.pofile import read_po
from tirage.provenance import Provenance, get_provenance
from tirage.quality.stats import PostEditSummary
from tirage.workspace import Workspace

FILENAME = "memory.sqlite"
BUSY_WAIT = 120.0  # seconds to wait while another tirage process writes to the memory
BUSY = f"the translation memory was busy with another tirage process for {BUSY_WAIT:g} s"
CANDIDATES = 48  # sentences fetched from the index per fuzzy lookup, then scored
QUERY_TERMS = 8  # rarest words of the query whose postings are read

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (lang, text)
);
CREATE VIRTUAL TABLE IF NOT EXISTS sources_fts USING fts5 (
    text, content='sources', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS terms (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    tgt_lang TEXT NOT NULL,
    target TEXT NOT NULL,
    doc TEXT NOT NULL,
    created TEXT NOT NULL,
    changed TEXT NOT NULL,
    post_edited INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'catalog',
    mt_accepted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, tgt_lang, target)
);
CREATE INDEX IF NOT EXISTS units_by_source ON units (source_id, tgt_lang);
CREATE TABLE IF NOT EXISTS mt_raw (
    source_id INTEGER NOT NULL REFERENCES sources (id),
    tgt_lang TEXT NOT NULL,
    doc TEXT NOT NULL,
    context TEXT NOT NULL,
    raw TEXT NOT NULL,
    engine TEXT NOT NULL,
    record TEXT NOT NULL,
    seen TEXT NOT NULL,
    PRIMARY KEY (source_id, tgt_lang, doc, context)
);
CREATE TABLE IF NOT EXISTS post_edits (
    source_id INTEGER NOT NULL REFERENCES sources (id),
    tgt_lang TEXT NOT NULL,
    doc TEXT NOT NULL,
    context TEXT NOT NULL,
    engine TEXT NOT NULL,
    raw TEXT NOT NULL,
    final TEXT NOT NULL,
    ratio REAL NOT NULL,
    reviewed TEXT NOT NULL,
    PRIMARY KEY (source_id, tgt_lang, doc, context)
);
CREATE TABLE IF NOT EXISTS catalogs (
    path TEXT PRIMARY KEY,
    digest TEXT NOT NULL
) WITHOUT ROWID;
"""

_WORD = re.compile(r"[^\W_]+")
SCHEMA_VERSION = 3  # 2: units.mt_accepted; 3: only sentences with a unit are indexed
POSTINGS_BUDGET = 3_000  # rowids read from the index per fuzzy lookup, beyond the 2 rarest words


@dataclass(frozen=True)
class Match:
    source: str
    target: str
    score: float  # 0–100; 100 only for the identical sentence
    doc: str
    post_edited: bool = False
    origin: str = "catalog"  # "catalog": reviewed in one of ours; "tmx": imported
    mt_accepted: bool = False  # machine output accepted unchanged in review


@dataclass(frozen=True)
class Unit:
    source: str
    target: str
    src_lang: str
    tgt_lang: str
    doc: str
    created: str
    changed: str
    post_edited: bool
    origin: str
    mt_accepted: bool = False


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def edit_ratio(raw: str, final: str) -> float:
    """Character edits (Levenshtein) over the longer text: 0 unchanged, 1 rewritten."""
    return float(Levenshtein.normalized_distance(raw, final))


def _index_terms(text: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer would index: folded case, no diacritics."""
    folded = unicodedata.normalize("NFKD", text.lower())
    # Each distinct character tested once, not each character: a fresh memory indexes a
    # whole catalog.
    marks = dict.fromkeys(ord(ch) for ch in set(folded) if unicodedata.combining(ch))
    plain = folded.translate(marks) if marks else folded
    return list(dict.fromkeys(_WORD.findall(plain)))


def check_input(path: Path) -> None:
    """Refuse, in one line, a file to import that is not a regular file (a folder, a FIFO,
    `/dev/zero`): the XML reader would wait or read forever."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise TirageError(f"cannot read: {exc.strerror or exc}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise TirageError(
            f"{kind_of(info.st_mode)}, not a regular file; tirage reads only files", path
        )


def check_export_path(workspace: Workspace, path: Path) -> None:
    """Refuse an export path tirage should not write: in a folder that does not exist (no
    folder is ever created for it), over anything but a regular file, or over the
    workspace's own files (the memory itself, a catalog, a source, the settings)."""
    parent = path.absolute().parent
    if not parent.is_dir():
        raise TirageError(f"no such folder {parent}; tirage creates no folder for an export", path)
    check_output(path, TirageError)
    target = path.resolve()
    own = [workspace.state_dir, workspace.locales_dir, workspace.source_dir]
    files = [workspace.config_path, workspace.glossary_path]
    if any(target.is_relative_to(p.resolve()) for p in own) or target in (
        f.resolve() for f in files
    ):
        raise TirageError("one of the workspace's own files; export the memory elsewhere", path)


class TranslationMemory:
    """An open memory; use `TranslationMemory.open(workspace)`, ideally as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = connection
        # Index terms of the sources added while a catalog is recorded, written once at its
        # end: one upsert a distinct term, not one a term of every sentence.
        self._pending_terms: Counter[str] | None = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, workspace: Workspace) -> TranslationMemory:
        return cls.open_path(workspace.state_dir / FILENAME)

    @classmethod
    def open_path(cls, path: Path) -> TranslationMemory:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_WAIT)
            # Several tirage processes may open a new memory at once: one creates it.
            with filelock.FileLock(path.with_name(path.name + ".lock"), timeout=BUSY_WAIT):
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                db.executescript(_SCHEMA)
                if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    _add_mt_accepted(db)
                    _index_translated(db)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    db.commit()
        except filelock.Timeout:
            raise TirageError(BUSY, path) from None
        except sqlite3.DatabaseError as exc:
            raise TirageError(f"cannot open the translation memory: {exc}", path) from None
        except OSError as exc:
            raise TirageError(
                f"cannot create the translation memory: {exc.strerror}", path
            ) from None
        return cls(path, db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.db.commit()
        else:
            self.db.rollback()
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def _write(self) -> None:
        """Take the write lock before reading what a write depends on, and keep it until
        `commit`: another process cannot slip a row in between (a unique-key error), and a
        read snapshot never has to be upgraded (SQLite's "database is locked" in WAL mode,
        which no busy timeout retries)."""
        if self.db.in_transaction:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            raise TirageError(BUSY, self.path) from None

    def _source_id(self, lang: str, text: str) -> tuple[int, bool]:
        """The sentence's id, stored if it was not, and whether it was just stored (then
        nothing refers to it yet: no unit, no raw output)."""
        self._write()
        row = self.db.execute(
            "SELECT id FROM sources WHERE lang = ? AND text = ?", (lang, text)
        ).fetchone()
        if row:
            return int(row[0]), False
        cursor = self.db.execute("INSERT INTO sources (lang, text) VALUES (?, ?)", (lang, text))
        assert cursor.lastrowid is not None
        return cursor.lastrowid, True

    def _index(self, source_id: int, text: str) -> None:
        """Make a sentence findable by fuzzy lookups, once it has its first unit. A sentence
        known only for its raw machine output has nothing to lend: indexed, it would cost a
        fresh memory most of its time and take lookups' candidate places."""
        self.db.execute("INSERT INTO sources_fts (rowid, text) VALUES (?, ?)", (source_id, text))
        terms = Counter(_index_terms(text))
        if self._pending_terms is None:
            self._add_terms(terms)
        else:
            self._pending_terms.update(terms)

    def _add_terms(self, counts: Counter[str]) -> None:
        self.db.executemany(
            "INSERT INTO terms (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            counts.items(),
        )

    def add(
        self,
        source: str,
        target: str,
        src_lang: str,
        tgt_lang: str,
        doc: str,
        *,
        post_edited: bool = False,
        origin: str = "catalog",
        when: str | None = None,
        mt_accepted: bool = False,
    ) -> bool:
        """Record one reviewed translation; True when it was new or changed."""
        if not source.strip() or not target.strip():
            return False
        self._write()
        # The common case on a refresh: the unit is known and unchanged. One indexed join.
        row = self.db.execute(
            "SELECT u.id, u.doc, u.post_edited, u.mt_accepted FROM sources s "
            "JOIN units u ON u.source_id = s.id "
            "WHERE s.lang = ? AND s.text = ? AND u.tgt_lang = ? AND u.target = ?",
            (src_lang, source, tgt_lang, target),
        ).fetchone()
        stamp = when or now()
        if row is None:
            source_id, new = self._source_id(src_lang, source)
            first = (
                new
                or not self.db.execute(
                    "SELECT 1 FROM units WHERE source_id = ? LIMIT 1", (source_id,)
                ).fetchone()
            )
            if first:
                self._index(source_id, source)
            self.db.execute(
                "INSERT INTO units (source_id, tgt_lang, target, doc, created, changed, "
                "post_edited, origin, mt_accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source_id,
                    tgt_lang,
                    target,
                    doc,
                    stamp,
                    stamp,
                    int(post_edited),
                    origin,
                    int(mt_accepted),
                ),
            )
            return True
        if row[1] == doc and bool(row[2]) == post_edited and bool(row[3]) == mt_accepted:
            return False
        self.db.execute(
            "UPDATE units SET doc = ?, post_edited = ?, mt_accepted = ?, changed = ? WHERE id = ?",
            (doc, int(post_edited), int(mt_accepted), stamp, row[0]),
        )
        return True

    def record_mt(
        self,
        source: str,
        raw: str,
        src_lang: str,
        tgt_lang: str,
        doc: str,
        provenance: Provenance,
        context: str = "",
    ) -> None:
        """Keep a raw machine translation, unless the same output is already kept.

        A reviewer may edit the text before clearing the fuzzy flag; the record (engine,
        model, score) stays the same, so the first text seen with a record is the raw one.
        """
        source_id, new = self._source_id(src_lang, source)
        record = provenance.to_comment()
        row = None
        if not new:
            row = self.db.execute(
                "SELECT record FROM mt_raw WHERE source_id = ? AND tgt_lang = ? AND doc = ? "
                "AND context = ?",
                (source_id, tgt_lang, doc, context),
            ).fetchone()
        if row is not None and row[0] == record:
            return
        self.db.execute(
            "INSERT OR REPLACE INTO mt_raw (source_id, tgt_lang, doc, context, raw, engine, "
            "record, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (source_id, tgt_lang, doc, context, raw, provenance.engine, record, now()),
        )

    def raw_output(
        self, source: str, src_lang: str, tgt_lang: str, doc: str, context: str = ""
    ) -> str | None:
        """The raw machine output kept for one entry, if any (see `record_mt`)."""
        row = self.db.execute(
            "SELECT m.raw FROM sources s JOIN mt_raw m ON m.source_id = s.id "
            "WHERE s.lang = ? AND s.text = ? AND m.tgt_lang = ? AND m.doc = ? AND m.context = ?",
            (src_lang, source, tgt_lang, doc, context),
        ).fetchone()
        return None if row is None else str(row[0])

    def record_review(
        self,
        source: str,
        final: str,
        src_lang: str,
        tgt_lang: str,
        doc: str,
        context: str = "",
    ) -> float | None:
        """Compare a reviewed machine translation with its kept raw output; the edit ratio."""
        source_id, new = self._source_id(src_lang, source)
        if new:
            return None  # no raw output can be kept for a sentence stored just now
        row = self.db.execute(
            "SELECT raw, engine FROM mt_raw WHERE source_id = ? AND tgt_lang = ? AND doc = ? "
            "AND context = ?",
            (source_id, tgt_lang, doc, context),
        ).fetchone()
        if row is None:
            return None
        raw, engine = str(row[0]), str(row[1])
        ratio = edit_ratio(raw, final)
        old = self.db.execute(
            "SELECT final, raw FROM post_edits WHERE source_id = ? AND tgt_lang = ? AND doc = ? "
            "AND context = ?",
            (source_id, tgt_lang, doc, context),
        ).fetchone()
        if old is None or old[0] != final or old[1] != raw:
            self.db.execute(
                "INSERT OR REPLACE INTO post_edits (source_id, tgt_lang, doc, context, engine, "
                "raw, final, ratio, reviewed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, tgt_lang, doc, context, engine, raw, final, ratio, now()),
            )
        return ratio

    def record_entry(self, entry: polib.POEntry, src_lang: str, tgt_lang: str, doc: str) -> bool:
        """Record what one catalog entry teaches: a reviewed unit, or a raw MT output."""
        if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
            return False
        provenance = get_provenance(entry)
        context = entry.msgctxt or ""
        if "fuzzy" in entry.flags:
            # Raw output only: after a source change the text may be a reviewer's.
            if provenance is not None and entry.previous_msgid is None:
                self.record_mt(
                    entry.msgid, entry.msgstr, src_lang, tgt_lang, doc, provenance, context
                )
            return False
        ratio = None
        if provenance is not None:
            ratio = self.record_review(entry.msgid, entry.msgstr, src_lang, tgt_lang, doc, context)
        # Machine output a reviewer accepted as it was is not post-edited (nor a human's).
        accepted = ratio == 0.0 and provenance is not None and provenance.engine != "memory"
        return self.add(
            entry.msgid,
            entry.msgstr,
            src_lang,
            tgt_lang,
            doc,
            post_edited=provenance is not None and not accepted,
            mt_accepted=accepted,
        )

    def refresh(self, workspace: Workspace) -> int:
        """Read every catalog of every target language; the number of new or changed units."""
        changed = 0
        for lang in workspace.targets:
            folder = workspace.locales_dir / lang
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.po")):
                changed += self.record_catalog(workspace, path, lang)
        self.db.commit()
        return changed

    def record_catalog(
        self, workspace: Workspace, path: Path, lang: str, po: polib.POFile | None = None
    ) -> int:
        """Record one catalog (`po`, when the caller has it parsed already, is what `path`
        holds). A catalog unchanged since it was last recorded has nothing new to teach."""
        self._write()
        digest = regular_digest(path, CatalogError)[1].hex()  # read a megabyte at a time
        key = workspace.relative(path)
        seen = self.db.execute("SELECT digest FROM catalogs WHERE path = ?", (key,))
        if seen.fetchone() == (digest,):
            return 0
        changed = 0
        self._pending_terms = Counter()
        try:
            for entry in po if po is not None else read_po(path):
                changed += self.record_entry(entry, workspace.source_lang, lang, path.stem)
        finally:
            pending, self._pending_terms = self._pending_terms, None
            self._add_terms(pending)
        self.db.execute(
            "INSERT OR REPLACE INTO catalogs (path, digest) VALUES (?, ?)", (key, digest)
        )
        return changed

    def commit(self) -> None:
        self.db.commit()

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM units").fetchone()[0])

    def lookup(
        self, source_text: str, src_lang: str, tgt_lang: str, min_score: float = 75.0
    ) -> Match | None:
        """The best match at or above `min_score`: the identical sentence first."""
        found = self.search(source_text, src_lang, tgt_lang, min_score, limit=1)
        return found[0] if found else None

    def search(
        self,
        source_text: str,
        src_lang: str,
        tgt_lang: str,
        min_score: float = 75.0,
        limit: int = 3,
    ) -> list[Match]:
        """Matches, best first: exact ones (score 100), then similar sentences."""
        matches = [
            Match(source_text, str(target), 100.0, str(doc), bool(edited), str(origin), bool(mt))
            for target, doc, edited, origin, mt in self.db.execute(
                "SELECT u.target, u.doc, u.post_edited, u.origin, u.mt_accepted FROM sources s "
                "JOIN units u ON u.source_id = s.id "
                "WHERE s.lang = ? AND s.text = ? AND u.tgt_lang = ? "
                "ORDER BY u.changed DESC, u.id DESC",
                (src_lang, source_text, tgt_lang),
            )
        ]
        if len(matches) >= limit:
            return matches[:limit]
        fuzzy: list[Match] = []
        for source_id, text in self._candidates(source_text, src_lang):
            if text == source_text:
                continue
            score = float(fuzz.ratio(source_text, text))
            if score < min_score:
                continue
            score = min(score, 99.9)
            for target, doc, post_edited, origin in self.db.execute(
                "SELECT target, doc, post_edited, origin FROM units "
                "WHERE source_id = ? AND tgt_lang = ? ORDER BY changed DESC, id DESC LIMIT ?",
                (source_id, tgt_lang, limit),
            ):
                fuzzy.append(
                    Match(text, str(target), score, str(doc), bool(post_edited), str(origin))
                )
        fuzzy.sort(key=lambda m: -m.score)
        return (matches + fuzzy)[:limit]

    def _candidates(self, text: str, lang: str) -> list[tuple[int, str]]:
        """Sentences sharing the most of the query's rarest words.

        The words are taken rarest first (document frequencies kept in `terms`) until their
        posting lists would exceed POSTINGS_BUDGET; each list is read from the FTS5 index
        and the sentences that appear in most of them are scored. Nothing is scanned.
        """
        terms = _index_terms(text)
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        counts = dict(self.db.execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", terms))
        chosen: list[str] = []
        budget = 0
        for term in sorted((t for t in terms if t in counts), key=lambda t: counts[t]):
            if len(chosen) >= 2 and budget + counts[term] > POSTINGS_BUDGET:
                break
            chosen.append(term)
            budget += counts[term]
            if len(chosen) >= QUERY_TERMS:
                break
        shared: Counter[int] = Counter()
        for term in chosen:
            shared.update(
                row[0]
                for row in self.db.execute(
                    "SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?", (f'"{term}"',)
                )
            )
        best = [source_id for source_id, _ in shared.most_common(CANDIDATES)]
        if not best:
            return []
        # Only lengths that can still reach a useful score: Indel similarity is at most
        # 2·min/(a+b), so a sentence under a third or over three times as long is hopeless.
        low, high = len(text) / 3, len(text) * 3
        marks = ",".join("?" * len(best))
        return [
            (int(row[0]), str(row[1]))
            for row in self.db.execute(
                # `+lang`: look the ids up by rowid, not through the (lang, text) index.
                f"SELECT id, text FROM sources WHERE id IN ({marks}) AND +lang = ? "
                "AND length(text) BETWEEN ? AND ?",
                (*best, lang, low, high),
            )
        ]

    def units(self, src_lang: str | None = None, tgt_lang: str | None = None) -> Iterator[Unit]:
        query = (
            "SELECT s.text, u.target, s.lang, u.tgt_lang, u.doc, u.created, u.changed, "
            "u.post_edited, u.origin, u.mt_accepted FROM units u "
            "JOIN sources s ON s.id = u.source_id "
            "WHERE (? IS NULL OR s.lang = ?) AND (? IS NULL OR u.tgt_lang = ?) ORDER BY u.id"
        )
        for row in self.db.execute(query, (src_lang, src_lang, tgt_lang, tgt_lang)):
            yield Unit(
                source=str(row[0]),
                target=str(row[1]),
                src_lang=str(row[2]),
                tgt_lang=str(row[3]),
                doc=str(row[4]),
                created=str(row[5]),
                changed=str(row[6]),
                post_edited=bool(row[7]),
                origin=str(row[8]),
                mt_accepted=bool(row[9]),
            )

    def post_edit_summary(
        self, langs: tuple[str, ...] | None = None, doc: str | None = None
    ) -> list[PostEditSummary]:
        """Mean character edit ratio of reviewed machine output, per engine and language."""
        rows = self.db.execute(
            "SELECT engine, tgt_lang, count(*), avg(ratio), sum(ratio = 0) FROM post_edits "
            "WHERE (? IS NULL OR doc = ?) GROUP BY engine, tgt_lang ORDER BY engine, tgt_lang",
            (doc, doc),
        ).fetchall()
        return [
            PostEditSummary(str(e), str(lang), int(n), float(avg), int(same))
            for e, lang, n, avg, same in rows
            if langs is None or lang in langs
        ]


def _add_mt_accepted(db: sqlite3.Connection) -> None:
    """Version 2 tells accepted machine output apart: add the column to an older memory and
    forget the catalogs' digests, so the next refresh records every unit again."""
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(units)")}
    if "mt_accepted" not in columns:
        db.execute("ALTER TABLE units ADD COLUMN mt_accepted INTEGER NOT NULL DEFAULT 0")
        db.execute("DELETE FROM catalogs")


def _index_translated(db: sqlite3.Connection) -> None:
    """Version 3 indexes only the sentences that have a unit: older memories indexed every
    sentence as it was stored, a trigger's work."""
    db.execute("DROP TRIGGER IF EXISTS sources_ai")
    db.execute("INSERT INTO sources_fts (sources_fts) VALUES ('delete-all')")
    db.execute(
        "INSERT INTO sources_fts (rowid, text) "
        "SELECT id, text FROM sources WHERE id IN (SELECT source_id FROM units)"
    )
    _count_terms(db)


def _count_terms(db: sqlite3.Connection) -> None:
    """Rebuild the document frequencies of the index terms from the indexed sentences."""
    counts: Counter[str] = Counter()
    for (text,) in db.execute("SELECT text FROM sources WHERE id IN (SELECT source_id FROM units)"):
        counts.update(_index_terms(str(text)))
    db.execute("DELETE FROM terms")
    db.executemany("INSERT INTO terms (term, df) VALUES (?, ?)", counts.items())
