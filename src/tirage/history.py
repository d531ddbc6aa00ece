"""Every review decision, whoever made it (the web desk or the terminal queue): who, when,
and the entry's text before and after. Kept in the workspace's own SQLite file,
`.tirage/history.sqlite`, which `review.apply_decision` writes once the catalog is saved;
the desk shows an entry's history and lets a reviewer bring an earlier version back (a
revert is one more decision, recorded like any other).

It also remembers the warnings a reviewer chose to ignore for one entry (never an error).

The catalog stays the truth: a lost or deleted history loses the record, never a
translation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tirage.errors import TirageError
from tirage.workspace import Workspace

FILENAME = "history.sqlite"
BUSY_WAIT = 10.0  # seconds another process may hold the file
_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    made TEXT NOT NULL,         -- gettext's date format, UTC
    reviewer TEXT NOT NULL,
    lang TEXT NOT NULL,
    doc TEXT NOT NULL,
    msgctxt TEXT NOT NULL,      -- '' for none
    msgid TEXT NOT NULL,
    before TEXT NOT NULL,
    before_state TEXT NOT NULL, -- untranslated | needs review | reviewed
    after TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_entry ON decisions (lang, doc, msgid, msgctxt);
CREATE TABLE IF NOT EXISTS ignored (  -- a warning a reviewer chose to ignore for one entry
    lang TEXT NOT NULL,
    doc TEXT NOT NULL,
    msgctxt TEXT NOT NULL,
    msgid TEXT NOT NULL,
    check_name TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    made TEXT NOT NULL,
    PRIMARY KEY (lang, doc, msgctxt, msgid, check_name)
);
"""


@dataclass(frozen=True)
class Change:
    made: str
    reviewer: str
    lang: str
    doc: str
    msgctxt: str | None
    msgid: str
    before: str
    before_state: str
    after: str


class History:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    def open(cls, ws: Workspace) -> History:
        path = ws.state_dir / FILENAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_WAIT)
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise TirageError(f"cannot open the review history: {exc}", path) from None
        except OSError as exc:
            raise TirageError(f"cannot create the review history: {exc.strerror}", path) from None
        return cls(db)

    @staticmethod
    def exists(ws: Workspace) -> bool:
        return Path(ws.state_dir / FILENAME).is_file()

    def record(self, change: Change) -> None:
        self.db.execute(
            "INSERT INTO decisions (made, reviewer, lang, doc, msgctxt, msgid, before, "
            "before_state, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.made, change.reviewer, change.lang, change.doc, change.msgctxt or "",
                change.msgid, change.before, change.before_state, change.after,
            ),
        )  # fmt: skip
        self.db.commit()

    def of(
        self, lang: str, doc: str, msgid: str, msgctxt: str | None, limit: int = -1
    ) -> list[Change]:
        """The entry's decisions, the latest first; at most `limit` of them (-1: all)."""
        rows = self.db.execute(
            "SELECT made, reviewer, lang, doc, msgctxt, msgid, before, before_state, after "
            "FROM decisions WHERE lang = ? AND doc = ? AND msgid = ? AND msgctxt = ? "
            "ORDER BY id DESC LIMIT ?",
            (lang, doc, msgid, msgctxt or "", limit),
        ).fetchall()
        return [Change(r[0], r[1], r[2], r[3], r[4] or None, *r[5:]) for r in rows]

    def ignore(
        self, lang: str, doc: str, msgid: str, msgctxt: str | None, check: str, who: str, made: str
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO ignored VALUES (?, ?, ?, ?, ?, ?, ?)",
            (lang, doc, msgctxt or "", msgid, check, who, made),
        )
        self.db.commit()

    def ignored(self, lang: str, doc: str, msgid: str, msgctxt: str | None) -> set[str]:
        """The checks whose warnings are ignored for this entry."""
        rows = self.db.execute(
            "SELECT check_name FROM ignored WHERE lang = ? AND doc = ? AND msgid = ? "
            "AND msgctxt = ?",
            (lang, doc, msgid, msgctxt or ""),
        )
        return {row[0] for row in rows}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
