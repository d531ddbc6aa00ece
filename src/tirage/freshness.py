"""What `tirage update` need not do again: documents whose catalogs are already merged.

An update is a pure function of its inputs: the source's bytes, the settings (tirage.toml,
glossary.csv), the code, and the template and catalogs as they are on disk. When a run
found nothing to write for a document, it records the digests of all of those in
`.tirage/update.json`; a later run that finds the very same digests knows the merge would
again write nothing, and skips reading, segmenting, parsing and merging that document.
Any change (a translator's save, an edited source or setting, a new target language, a new
tirage) changes a digest, and the document is merged as usual.

The file is a cache: a missing, unreadable or foreign one only means a full update.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tirage
from tirage.errors import TirageError
from tirage.po.pofile import write_atomic

if TYPE_CHECKING:
    from tirage.workspace import Workspace

__all__ = ["Freshness", "Record"]

_NAME = "update.json"
_MAX_BYTES = 16 << 20  # far more than any workspace's record; larger is not ours


@dataclass(frozen=True)
class Record:
    """A document whose merge found nothing to write, and what its report said."""

    digests: dict[str, str]  # workspace-relative path -> sha256 of its bytes
    entries: int  # the template's entries (every catalog kept them all)


class Freshness:
    """The records of one workspace, read once; `save` writes them back atomically."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.path = ws.state_dir / _NAME
        self.inputs = _inputs(ws)
        self.records: dict[str, Record] = {}
        self.changed = False
        data = _load(self.path)
        documents = data.get("documents")
        if data.get("inputs") == self.inputs and isinstance(documents, dict):
            for name, record in documents.items():
                try:
                    self.records[name] = Record(dict(record["digests"]), int(record["entries"]))
                except (KeyError, TypeError, ValueError):
                    continue

    def files(self, source: Path, stem: str) -> list[Path]:
        """The files whose bytes decide a document's update: its source, template, catalogs."""
        ws = self.ws
        return [source, ws.pot_path(stem)] + [ws.po_path(lang, stem) for lang in ws.targets]

    def fresh(self, source: Path, stem: str) -> Record | None:
        """The record of a document whose files are all as the last idle update left them."""
        record = self.records.get(self.ws.relative(source))
        if record is None:
            return None
        files = self.files(source, stem)
        if len(files) != len(record.digests):
            return None
        for path in files:
            if record.digests.get(self.ws.relative(path)) != _digest(path):
                return None
        return record

    def remember(self, source: Path, stem: str, entries: int) -> None:
        """Record a document whose update just wrote nothing."""
        digests: dict[str, str] = {}
        for path in self.files(source, stem):
            digest = _digest(path)
            if digest is None:
                return
            digests[self.ws.relative(path)] = digest
        self.records[self.ws.relative(source)] = Record(digests, entries)
        self.changed = True

    def forget(self, source: Path) -> None:
        if self.records.pop(self.ws.relative(source), None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        documents = {
            name: {"digests": record.digests, "entries": record.entries}
            for name, record in sorted(self.records.items())
        }
        text = json.dumps({"inputs": self.inputs, "documents": documents}, indent=1)
        # A cache that cannot be written only costs the next run its shortcut.
        with contextlib.suppress(TirageError):
            write_atomic(self.path, text + "\n")


def _inputs(ws: Workspace) -> dict[str, str | None]:
    """What every document's update depends on besides its own files."""
    package = Path(tirage.__file__).parent
    code = hashlib.sha256(tirage.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        found = path.stat()
        code.update(f"{path.relative_to(package)}:{found.st_size}:{found.st_mtime_ns}".encode())
    return {
        "code": code.hexdigest(),
        "settings": _digest(ws.root / "tirage.toml"),
        "glossary": _digest(ws.root / "glossary.csv"),
        "targets": ",".join(ws.targets),
    }


def _digest(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None for anything else (a FIFO is never waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _load(path: Path) -> dict[str, object]:
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
