"""Read-modify-write of a catalog that never loses anybody's save: `modify_po`.

Every tirage command that changes a PO file (translate's fills, update's merge, a review
decision, the web desk, the Ray runner) goes through `modify_po`. It does two things:

1. It holds an inter-process lock, `.tirage/locks/<catalog path>.lock` (flock through the
   filelock library), for the whole read-modify-write, so tirage processes take turns on a
   catalog. One that waits longer than `LOCK_WAIT` stops with one line.
2. A translator's tool does not take our lock (Poedit, a script, an editor). So just before
   the atomic rename, the file is compared with the bytes the change was computed from. If
   they differ, the change is applied again to the fresh file, and the save is tried again.
   The rename itself is an atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`): the file it
   displaces is compared once more, and if a save slipped in during the last microseconds
   it is put back and the loop goes round. Nothing anybody saved is ever overwritten.

Re-applying a change to a big catalog (20,000 entries: seconds to parse and format) would
never catch up with a tool saving several times a second. A change that only looks at one
entry at a time (`entrywise=True`: a fill, a review decision) is therefore re-applied block
by block: the file is split into its entries, those only the other writer changed are taken
from the file as it is now, those only we changed from our output, and an entry both
changed is parsed alone and given to `change` again. Anything else (a different number of
entries, the header) falls back to a full re-read.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import filelock
import polib

from tirage.containment import holds, read_regular, regular_digest
from tirage.errors import CatalogError
from tirage.notices import converted, notify
from tirage.po.charsets import decode_catalog
from tirage.po.pofile import (
    EMPTY_HEADER,
    format_entry,
    format_pieces,
    format_po,
    parse_po,
)
from tirage.tempfiles import make_temp_file
from tirage.workspace import Workspace

__all__ = [
    "LOCK_WAIT",
    "Change",
    "Planned",
    "Splice",
    "Stamp",
    "catalog_lock",
    "file_stamp",
    "modify_po",
]

Change = Callable[[polib.POFile | None], polib.POFile | None]
"""Given the catalog as it is on disk (None: no such file), edit it in place (or build a new
one) and return what to write, or None to leave the file as it is. It may be called several
times, each time on a fresher catalog, so it must decide from what it is given only."""

LOCK_WAIT = 120.0  # seconds to wait for another tirage process to finish with a catalog
SAVE_WAIT = 120.0  # seconds to keep trying while another writer keeps changing the file
_SEPARATOR = "\n\n"  # between two entries in gettext's output; never inside one
# A catalog bigger than this is compared, and once displaced removed, by other threads:
# reading a 6 MB catalog and freeing its blocks take milliseconds a save need not wait for.
_BIG = 1 << 20

# The clock file times are taken from: Linux stamps a write with its coarse real-time clock,
# which may lag the precise one by a tick (the constant is missing from Python's time module).
_FILE_CLOCK = 5 if sys.platform.startswith("linux") else time.CLOCK_REALTIME

Stamp: TypeAlias = tuple[int, int, int]
"""A file's version: (inode, modification time in ns, size). Atomic saves (tirage's, most
editors') make a new inode; an in-place write changes the size or the modification time."""


def file_stamp(info: os.stat_result) -> Stamp:
    return (info.st_ino, info.st_mtime_ns, info.st_size)


@dataclass(frozen=True)
class Known:
    """A file's bytes known by their SHA-256 and their number: what a big catalog is
    checked against, without a copy of it in memory."""

    digest: bytes
    size: int


@dataclass
class Planned:
    """A catalog made from a UTF-8 file the caller read, whose bytes were `read`: written
    while the file still has them, without reading its text again.

    `unchanged` says the catalog holds the very messages the file held (their
    `pofile.messages_digest` is the same): the file is then left as it is, like
    `msgmerge --update` leaves a file whose merge changed nothing, whatever its layout."""

    read: Known
    catalog: polib.POFile
    unchanged: bool = False


@dataclass
class Splice:
    """A change made on a file's bytes, never decoded: `after` is written while the file
    still holds `before`. Once it is written as planned, `stamp` is the new file's."""

    before: bytes
    after: bytes
    stamp: Stamp | None = None


def lock_path(ws: Workspace, path: Path) -> Path:
    """Where the lock for the catalog at `path` lives: under `.tirage/locks/`."""
    try:
        relative = path.resolve().relative_to(ws.root.resolve())
    except ValueError:
        raise CatalogError("catalog outside the workspace", path) from None
    return ws.state_dir / "locks" / relative.parent / f"{relative.name}.lock"


@contextlib.contextmanager
def catalog_lock(ws: Workspace, path: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the catalog's inter-process lock. Do not nest two for one catalog."""
    lock_file = lock_path(ws, path)
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(lock_file, timeout=wait)
        lock.acquire()
    except filelock.Timeout:
        raise CatalogError(
            f"another tirage process has held this catalog for {wait:g} s; try again later",
            path,
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot lock: {exc.strerror or exc}", lock_file) from None
    try:
        yield
    finally:
        lock.release()


def modify_po(
    ws: Workspace,
    path: Path,
    change: Change,
    *,
    entrywise: bool = False,
    planned: Planned | Splice | None = None,
) -> bool:
    """Apply `change` to the catalog at `path` and save it, without losing a save made by
    anyone meanwhile; True if the file was written.

    `entrywise=True` promises that `change` edits each entry from that entry alone (and
    leaves the header alone), which lets a retry on a big catalog take milliseconds.
    `planned` is what `change` makes of the file as the caller read it: while the file is
    still that, it is written without parsing the file again, nor decoding it. Given as a
    `Splice` of bytes, a save then costs little more than writing the bytes.
    """
    with catalog_lock(ws, path):
        deadline = time.monotonic() + SAVE_WAIT
        # The file is compared by its bytes (a memcmp), and decoded only when the change
        # must see it: decoding and encoding a big catalog is most of a save's time.
        splice = planned if isinstance(planned, Splice) else None
        # A plan that changes the file is taken as read while the file has its size:
        # `_install` checks the file just before the exchange anyway, and reading a big
        # catalog once more would cost as much again. A plan that changes nothing is
        # checked here (it is not written).
        if splice and splice.after != splice.before and _size(path) == len(splice.before):
            raw: bytes | None = splice.before
        elif isinstance(planned, Planned):
            raw = None  # a big catalog's bytes are hashed as read, never held
        else:
            raw = _read_raw(path)
        expected: bytes | Known | None = raw
        base: str | None = None
        charset = None
        if splice is not None and splice.before == raw:
            ours: Text | None = splice.after
        elif isinstance(planned, Planned) and (
            (not planned.unchanged and _size(path) == planned.read.size)
            or _known(path) == planned.read
        ):
            if planned.unchanged:
                return False
            # Its messages differ from the file's (`unchanged`), so its text does too.
            ours, expected = planned.catalog, planned.read
        else:
            raw = expected = _read_raw(path) if raw is None else raw
            if raw is not None:
                base, charset = decode_catalog(raw, path)
            ours = _apply(change, base, path, entrywise)
        while True:
            if ours is None or _same(ours, raw, base):
                return False
            stamp = _install(path, ours, expected)
            if stamp is not None:
                if charset is not None:
                    notify(converted(ws.relative(path), charset))
                if splice is not None and ours is splice.after:
                    splice.stamp = stamp
                return True
            if time.monotonic() > deadline:
                raise CatalogError(
                    f"the file kept changing while tirage saved it, for {SAVE_WAIT:g} s; "
                    "nothing was written, try again",
                    path,
                )
            if base is None and raw is not None:
                base = decode_catalog(raw, path)[0]
            raw = expected = _read_raw(path)
            theirs = None if raw is None else decode_catalog(raw, path)[0]
            merged = None
            if entrywise and base is not None and theirs is not None:
                merged = _merge(
                    base, _joined(ours), theirs, lambda block: _redo(change, block, path)
                )
            base = theirs
            ours = merged if merged is not None else _apply(change, theirs, path, entrywise)


# ---------------------------------------------------------------------------------------------


def _read_raw(path: Path | str) -> bytes | None:
    return read_regular(Path(path), CatalogError) if os.path.lexists(path) else None


def _holds(path: Path | str, expected: bytes | Known) -> bool:
    return os.path.lexists(path) and _matches(path, expected)[1]


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return -1


# What a change makes: the new text, its UTF-8 bytes, or a catalog standing for
# `format_po`'s text of it. A catalog is compared and written piece by piece
# (`format_pieces`): the text of a big one is never all in memory at once, nor its bytes.
Text: TypeAlias = str | bytes | polib.POFile


def _joined(text: Text) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8")
    return text if isinstance(text, str) else format_po(text)


def _same(text: Text, raw: bytes | None, other: str | None) -> bool:
    """Whether `text` is what the file holds: `raw`, its bytes, decoded as `other` (None:
    not decoded, so the file is UTF-8 and `raw` is compared). A catalog's pieces are
    compared as they are made, up to the first that differs."""
    if raw is None:
        return False
    if isinstance(text, bytes):
        return text == raw
    if other is None:  # compared as bytes, a piece at a time: the file is not decoded
        if isinstance(text, str):
            return text.encode("utf-8") == raw
        position = 0
        for piece in format_pieces(text):
            data = piece.encode("utf-8")
            if not raw.startswith(data, position):
                return False
            position += len(data)
        return position == len(raw)
    if isinstance(text, str):
        return text == other  # (never `==` on a catalog: polib formats both sides to compare)
    position = 0
    for piece in format_pieces(text):
        if not other.startswith(piece, position):
            return False
        position += len(piece)
    return position == len(other)


def _apply(change: Change, text: str | None, path: Path, entrywise: bool) -> Text | None:
    if text is None:
        return change(None)
    po = parse_po(text, path)
    if not entrywise:
        return change(po)
    entries = list(po)
    before = [_state(entry) for entry in entries]
    result = change(po)
    if result is None:
        return None
    if result is not po or list(map(id, po)) != list(map(id, entries)):
        return result
    touched = [i for i, entry in enumerate(entries) if _state(entry) != before[i]]
    return _splice(text, entries, touched) or result


def _state(entry: polib.POEntry) -> tuple[object, ...]:
    return (
        entry.msgstr,
        dict(entry.msgstr_plural),
        list(entry.flags),
        entry.tcomment,
        entry.comment,
        list(entry.occurrences),
        entry.previous_msgid,
        entry.previous_msgctxt,
        entry.previous_msgid_plural,
        entry.obsolete,
    )


def _splice(text: str, entries: list[polib.POEntry], touched: list[int]) -> str | None:
    """`text` with only the touched entries written again: formatting the whole of a big
    catalog takes seconds (its line breaking), this takes milliseconds. None when the
    file's entries are not one to a block, where polib says they start."""
    blocks = text.split(_SEPARATOR)
    offset = len(blocks) - len(entries)  # 1 with a header block
    if offset not in (0, 1):
        return None
    starts = [1]
    for block in blocks:
        starts.append(starts[-1] + block.count("\n") + 2)
    for index in touched:
        if entries[index].linenum != starts[index + offset]:
            return None
        block = blocks[index + offset]
        new = format_entry(entries[index])
        blocks[index + offset] = new if block.endswith("\n") else new.rstrip("\n")
    return _SEPARATOR.join(blocks)


def _merge(base: str, ours: str, theirs: str, redo: Callable[[str], str | None]) -> str | None:
    """Three-way merge, entry by entry; None when the entries do not line up."""
    b, o, t = base.split(_SEPARATOR), ours.split(_SEPARATOR), theirs.split(_SEPARATOR)
    if not len(b) == len(o) == len(t):
        return None
    merged: list[str] = []
    for mine, old, new in zip(o, b, t, strict=True):
        if new in (old, mine):
            merged.append(mine)
        elif mine == old:
            merged.append(new)
        else:
            again = redo(new)
            if again is None:
                return None
            merged.append(again)
    return _SEPARATOR.join(merged)


def _redo(change: Change, block: str, path: Path) -> str | None:
    """`change` applied to one entry's text alone; None when that is not one plain entry."""
    text = EMPTY_HEADER + block + ("" if block.endswith("\n") else "\n")
    try:
        po = parse_po(text, path)
    except CatalogError:
        return None
    if len(po) != 1 or po.metadata or po.header or (po[0].msgid == "" and not po[0].msgctxt):
        return None  # the header, or several entries not separated as gettext does
    result = change(po)
    if result is None:
        return block
    text = format_po(result)
    if result.metadata or _SEPARATOR in text.rstrip("\n"):
        return None
    return text if block.endswith("\n") else text.rstrip("\n")


def _install(path: Path, text: Text, expected: bytes | Known | None) -> Stamp | None:
    """Put `text` at `path` if the file still holds the bytes `expected` (None: does not
    exist); the new file's stamp, or None when the file had changed. The file is compared
    by its bytes before the exchange, and what the exchange displaced is checked after it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = make_temp_file(path)
        displaced = 0
        # A big file is read and compared while ours is written and synced (which wait on
        # the disk); checked again by its stat just before the exchange.
        aside = None
        if expected is not None and _length(expected) > _BIG:
            aside = _executor().submit(_look, path, expected)
        try:
            with os.fdopen(fd, "wb") as handle:
                if isinstance(text, bytes):
                    handle.write(text)
                else:
                    for piece in [text] if isinstance(text, str) else format_pieces(text):
                        handle.write(piece.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
                stamp = file_stamp(os.fstat(handle.fileno()))
            if expected is None:
                return stamp if _create(temp, path) else None
            try:
                os.chmod(temp, path.stat().st_mode & 0o7777)
            except FileNotFoundError:
                return None  # removed meanwhile: start again from nothing
            clock, seen, same = _look(path, expected) if aside is None else aside.result()
            if seen and same and aside and not _unchanged(str(path), seen, clock):
                clock, seen, same = _look(path, expected)  # written meanwhile, or just before
            if seen is None or not same:
                return None
            if not _exchange(temp, path):
                os.replace(temp, path)  # no atomic exchange here: the check above must do
                return stamp
            displaced = _length(expected)
            if _unchanged(temp, seen, clock) or _holds(temp, expected):
                return stamp
            # Somebody saved between our check and our exchange: theirs goes back in place
            # (and should a second save have come in that instant, the newer one stays).
            _exchange(temp, path)
            if not _same(text, _read_raw(temp), None):
                os.replace(temp, path)
            return None
        finally:
            _discard(temp, displaced)
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path) from None


def _look(path: Path, expected: bytes | Known) -> tuple[int, os.stat_result | None, bool]:
    """The clock, then the file's stat and whether it holds `expected` (None, False: gone)."""
    clock = time.clock_gettime_ns(_FILE_CLOCK)
    if not os.path.lexists(path):
        return clock, None, False
    seen, same = _matches(path, expected)
    return clock, seen, same


def _matches(path: Path | str, expected: bytes | Known) -> tuple[os.stat_result, bool]:
    if isinstance(expected, bytes):
        return holds(Path(path), expected, CatalogError)
    seen, digest = regular_digest(Path(path), CatalogError)
    return seen, (seen.st_size, digest) == (expected.size, expected.digest)


def _length(expected: bytes | Known) -> int:
    return len(expected) if isinstance(expected, bytes) else expected.size


def _known(path: Path) -> Known | None:
    """The file's digest and size, read a megabyte at a time (None: no such file)."""
    if not os.path.lexists(path):
        return None
    seen, digest = regular_digest(path, CatalogError)
    return Known(digest, seen.st_size)


_EXECUTOR: list[ThreadPoolExecutor] = []


def _executor() -> ThreadPoolExecutor:
    if not _EXECUTOR:
        _EXECUTOR.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="tirage-look"))
    return _EXECUTOR[0]


def _unchanged(path: str, seen: os.stat_result, clock: int) -> bool:
    """Whether the file at `path` is the one `seen` by a stat taken after `clock` (the
    coarse real-time clock), unwritten since. Any write after `clock` stamps the file with
    a modification time at or after it (less the file system's granularity), so a file
    last modified well before `clock` shows any later write; one modified just before
    (within the same tick, or the same second where times are whole seconds) is read again
    instead, as git does with its racily clean files."""
    margin = 2_000_000_000 if seen.st_mtime_ns % 1_000_000_000 == 0 else 20_000_000
    if seen.st_mtime_ns >= clock - margin:
        return False
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) == (
        seen.st_ino,
        seen.st_dev,
        seen.st_size,
        seen.st_mtime_ns,
    )


def _discard(temp: str, size: int) -> None:
    """Remove a temporary file; a big displaced catalog by a thread of its own (not a
    daemon: the process waits for it before it exits)."""
    if size > _BIG and os.path.lexists(temp):
        threading.Thread(target=_unlink, args=(temp,), name="tirage-discard").start()
    else:
        _unlink(temp)


def _unlink(temp: str) -> None:
    with contextlib.suppress(OSError):  # a file left behind is swept by a later command
        os.unlink(temp)


def _create(temp: str, path: Path) -> bool:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        os.link(temp, path)  # unlike a rename, fails if somebody created the file meanwhile
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(path):  # no hard links on this file system: check, then rename
            return False
        os.replace(temp, path)
    return True


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


_LIBC: list[ctypes.CDLL] = []


def _libc() -> ctypes.CDLL:
    if not _LIBC:
        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]
