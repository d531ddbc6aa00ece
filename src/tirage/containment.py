"""What a workspace may reach: nothing outside its own folder, and only regular files.

A source linked to `/etc/passwd` would be copied into the template and every edition; a
`locales/de`, `editions/fr` or `.tirage` linked elsewhere would have tirage write outside
the workspace. Every command checks, before it reads or writes anything, every place it
writes: the source files, `locales/`, `editions/`, `xliff/` and everything under them, and
refuses the first link that resolves outside with one line naming it. `.tirage/` (the
memory, its locks, the catalogs' locks) is tirage's own: no link is legitimate there, not
even one that stays inside. A publisher who deploys through a linked `editions/` folder
says so in tirage.toml: `[publish] allow_linked_editions = true`.

Reads are bounded and never block: only a regular file is read (a FIFO, a socket or a
device such as `/dev/zero` is refused with one line), opened without waiting for a writer,
and never beyond a size limit. It also removes what a killed tirage left behind (see
`tirage.tempfiles`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tirage.errors import CatalogError, ConfigError, SourceError, TirageError
from tirage.tempfiles import remove_stale

# typing.TYPE_CHECKING without importing typing (a process reading a catalog starts sooner);
# mypy takes any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tirage.workspace import Workspace

__all__ = [
    "MAX_READ",
    "check_inside",
    "check_output",
    "holds",
    "kind_of",
    "read_regular",
    "regular_digest",
    "remove_leftovers",
    "same_content",
]

MAX_READ = 1 << 30  # 1 GiB: far beyond any article, catalog or memory export
# What tirage writes under locales/, editions/, xliff/ and .tirage/: a folder of such a
# name (`locales/en/doc.po/`) is where a file belongs.
_FILE_SUFFIXES = (
    ".po", ".pot", ".txt", ".md", ".html", ".htm", ".pdf", ".epub", ".docx", ".odt",
    ".xlf", ".xliff", ".lock", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".tmx",
)  # fmt: skip
_FOLDER_HINT = "move it out of the way"
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
}


def check_inside(ws: Workspace) -> None:
    """Refuse a link out of the workspace anywhere tirage reads or writes. Only what tirage
    reads or writes is looked at: a linked folder of images beside the sources is no
    concern of its."""
    root = ws.root.resolve()
    _check(root, ws.source_dir, SourceError)
    for path in ws.sources():
        _check(root, path, SourceError)
    _check_tree(root, ws.locales_dir, CatalogError)
    _check_tree(root, ws.root / "xliff", TirageError)
    _check_own(ws.state_dir)
    # glossary.csv is only read (a link to a team's shared glossary is fine), and only as a
    # file; tirage.toml itself was read as one already.
    try:
        mode = os.stat(ws.glossary_path).st_mode
    except OSError:
        mode = stat.S_IFREG  # absent, or a dangling link: reading it says so
    if not stat.S_ISREG(mode):
        raise ConfigError(
            f"{kind_of(mode)}, not a regular file; tirage reads only files", ws.glossary_path
        )
    if ws.allow_linked_editions:
        # editions/ itself may lead elsewhere; what is under it stays under it.
        _check_tree(ws.editions_dir.resolve(), ws.editions_dir, TirageError, top=False)
    else:
        _check_tree(root, ws.editions_dir, TirageError, hint=True)
    for folder in (ws.source_dir, ws.locales_dir, ws.editions_dir, ws.state_dir, ws.root / "xliff"):
        if os.path.lexists(folder) and not folder.is_dir():
            raise TirageError(f"a file where tirage keeps a folder; {_FOLDER_HINT}", folder)


def remove_leftovers(ws: Workspace) -> list[Path]:
    """Temporary files a dead tirage process left in locales/ and editions/."""
    return remove_stale(ws.locales_dir, depth=1) + remove_stale(ws.editions_dir, depth=1)


# ---------------------------------------------------------------------------------------------
# Reading and writing regular files only


def kind_of(mode: int) -> str:
    """'a FIFO', 'a device'… for a file that is not a regular one."""
    return _KINDS.get(stat.S_IFMT(mode), "a special file")


def _open_regular(path: Path, error: type[TirageError]) -> tuple[int, os.stat_result]:
    """A descriptor open on the regular file at `path`, and its stat taken on it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            raise error("a socket, not a regular file; tirage reads only files", path) from None
        raise error(f"cannot read: {exc.strerror or exc}", path) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise error(f"{kind_of(info.st_mode)}, not a regular file; tirage reads only files", path)
    return fd, info


def read_regular(
    path: Path, error: type[TirageError] = SourceError, limit: int = MAX_READ
) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; anything else (a
    FIFO, a device, a socket, a folder, a bigger file) is one `error` naming it. Opening
    does not wait for a FIFO's writer, and the kind is checked on the open file itself."""
    fd, info = _open_regular(path, error)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise error(f"{info.st_size} bytes, more than the limit of {limit}", path)
        try:
            # Sized by the file, not the limit: asking for `limit + 1` bytes at once has
            # Python allocate that much (a gigabyte) for every read.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # grown since: read on, up to the limit
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise error(f"more than the limit of {limit} bytes", path)
    return data


def check_output(path: Path, error: type[TirageError] = CatalogError) -> os.stat_result | None:
    """Refuse to write over anything but a regular file (`/dev/full`, a FIFO, a folder) or
    over a link (`/dev/stdout`: renaming a file over it would replace the link itself); its
    stat, or None when there is no file."""
    if os.path.islink(path):
        raise error(
            f"a link to {Path(path).resolve()}; tirage writes only regular files, never "
            "over or through a link",
            path,
        )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(f"cannot write: {exc.strerror or exc}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{kind_of(info.st_mode)}, not a regular file; tirage writes only files", path)
    return info


def same_content(path: Path, info: os.stat_result, payload: bytes) -> bool:
    """Whether the regular file at `path` (of stat `info`) holds exactly `payload`: read
    only when its size says it might, and never more than that size."""
    if info.st_size != len(payload):
        return False
    try:
        return holds(path, payload, CatalogError)[1]
    except CatalogError:
        return False  # changed meanwhile: not the same


_CHUNK = 1 << 20


def regular_digest(
    path: Path, error: type[TirageError] = SourceError
) -> tuple[os.stat_result, bytes]:
    """The stat of the regular file at `path` (taken on the open file) and the SHA-256 of
    its bytes, read a megabyte at a time."""
    import hashlib  # here: loading OpenSSL costs every reader of a file otherwise

    fd, info = _open_regular(path, error)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            return info, hashlib.file_digest(handle, "sha256").digest()
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror or exc}", path) from None


def holds(
    path: Path, expected: bytes, error: type[TirageError] = SourceError
) -> tuple[os.stat_result, bool]:
    """The stat of the regular file at `path` (taken on the open file), and whether it holds
    exactly `expected`: compared a megabyte at a time, so that checking a big catalog does
    not hold a second copy of it."""
    fd, info = _open_regular(path, error)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        if info.st_size != len(expected):
            return info, False
        view, position = memoryview(expected), 0
        try:
            while True:
                chunk = handle.read(_CHUNK)
                if not chunk:
                    return info, position == len(expected)
                if view[position : position + len(chunk)] != chunk:
                    return info, False
                position += len(chunk)
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror or exc}", path) from None


# ---------------------------------------------------------------------------------------------
# Links


def _check_tree(
    root: Path, folder: Path, error: type[TirageError], hint: bool = False, top: bool = True
) -> None:
    """`folder` and everything under it, links not followed: each link must resolve inside."""
    if top:
        _check(root, folder, error, hint)
    if not folder.is_dir():
        return
    for parent, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            path = Path(parent, name)
            if path.is_symlink():
                _check(root, path, error, hint)
        for name in dirs:
            if name.lower().endswith(_FILE_SUFFIXES) and not os.path.islink(Path(parent, name)):
                raise error(
                    f"a folder where tirage writes a file; {_FOLDER_HINT}", Path(parent, name)
                )


def _check(root: Path, path: Path, error: type[TirageError], hint: bool = False) -> None:
    if not os.path.islink(path):
        return
    target = path.resolve()
    if target == root or target.is_relative_to(root):
        return
    message = f"a link to {target}, outside the workspace; tirage does not follow it"
    if hint:
        message += " (set [publish] allow_linked_editions = true in tirage.toml to allow it)"
    raise error(message, path)


def _check_own(folder: Path) -> None:
    """`.tirage/` holds only what tirage made there: a link anywhere in it is refused."""
    if os.path.islink(folder):
        raise TirageError(
            f"a link to {folder.resolve()}; tirage keeps its memory and locks only in a "
            "real folder inside the workspace",
            folder,
        )
    if not folder.is_dir():
        return
    for parent, dirs, files in os.walk(folder):
        for name in dirs:
            if name.lower().endswith(_FILE_SUFFIXES) and not os.path.islink(Path(parent, name)):
                raise TirageError(
                    f"a folder where tirage keeps a file; {_FOLDER_HINT}", Path(parent, name)
                )
        for name in (*dirs, *files):
            path = Path(parent, name)
            if path.is_symlink():
                raise TirageError(
                    f"a link to {path.resolve()}; tirage does not follow links in .tirage/",
                    path,
                )
