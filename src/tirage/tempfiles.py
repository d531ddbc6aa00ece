"""Temporary files and folders named after the process that owns them, and the sweep that
removes those of a process that died (`kill -9` in the middle of a save or an install).

A name carries its owner's PID: `.<name>.<pid>.<random>.tmp` for a file written before its
atomic rename, `.tirage-install-<pid>-<random>` for a model being unpacked. The sweep removes
only what a dead process left; a live process's files (another tirage running beside this
one) are left alone. A PID reused by an unrelated live process only delays the removal to a
later run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["make_temp_dir", "make_temp_file", "pid_alive", "remove_stale"]

# `.doc.po.1234.k2j4_x9a.tmp` (mkstemp's random part) and `.tirage-install-1234-k2j4_x9a`.
_OWNED = re.compile(r"\..+\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp|\.tirage-[a-z]+-(?P<dir>\d+)-\w+")
# tirage 0.1.0 named temp files without their PID (`.doc.po.k2j4_x9a.tmp`): an hour
# old, no save of theirs can still be running.
_UNOWNED = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
UNOWNED_AGE = 3600.0


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def make_temp_file(path: Path) -> tuple[int, str]:
    """An open descriptor and the name of a new temporary file beside `path`."""
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def make_temp_dir(parent: Path, kind: str) -> Path:
    """A new folder `.tirage-<kind>-<pid>-<random>` inside `parent`."""
    return Path(tempfile.mkdtemp(prefix=f".tirage-{kind}-{os.getpid()}-", dir=parent))


def remove_stale(folder: Path, depth: int = 1) -> list[Path]:
    """Remove what dead processes left in `folder` (and its subfolders, `depth` levels down);
    the paths removed."""
    removed: list[Path] = []
    try:
        children = list(os.scandir(folder))
    except OSError:
        return removed
    for child in children:
        match = _OWNED.fullmatch(child.name)
        is_dir = child.is_dir(follow_symlinks=False)
        if match is None and not is_dir and _UNOWNED.fullmatch(child.name):
            if time.time() - child.stat(follow_symlinks=False).st_mtime > UNOWNED_AGE:
                Path(child.path).unlink(missing_ok=True)
                removed.append(Path(child.path))
        elif match is not None:
            pid = int(match.group("pid") or match.group("dir"))
            if pid_alive(pid):
                continue
            if is_dir:
                shutil.rmtree(child.path, ignore_errors=True)
            else:
                Path(child.path).unlink(missing_ok=True)
            removed.append(Path(child.path))
        elif is_dir and depth > 0 and not child.name.startswith("."):
            removed += remove_stale(Path(child.path), depth - 1)
    return removed
