"""Temporary files and folders named after the process that owns them, and the sweep that
removes those of a process that died (`kill -9` in the middle of a save or an install).

A name carries tirage's prefix, its owner's PID and a random part, in a form no person
would choose: `.tirage-tmp.<name>.<pid>.<random>` for a file written before its atomic
rename, `.tirage-install-<pid>-<random>` (or `-remove-`) for a model being unpacked or
removed. The sweep removes only names of exactly that form whose PID is dead; anything
else is somebody's file, whatever it looks like (`.notes.2023.draft.tmp` is a person's
draft, not a save of process 2023). A live process's files (another tirage running beside
this one) are left alone, and a PID reused by an unrelated live process only delays the
removal to a later run.

Names from earlier tirage (`.doc.po.k2j4_x9a.tmp`, then `.doc.po.1234.k2j4_x9a.tmp`)
are no longer removed: both forms are ones a person could choose, and a leftover costs a
few bytes where a wrong guess costs somebody's file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["PREFIX", "is_ours", "make_temp_dir", "make_temp_file", "pid_alive", "remove_stale"]

PREFIX = ".tirage-tmp."
# mkstemp's and mkdtemp's random part: 8 characters of this alphabet.
_RANDOM = r"[a-z0-9_]{8}"
_PID = r"[1-9][0-9]{0,9}"
_OWNED_FILE = re.compile(rf"\.tirage-tmp\..+\.(?P<pid>{_PID})\.{_RANDOM}", re.DOTALL)
_OWNED_DIR = re.compile(rf"\.tirage-(?:install|remove)-(?P<pid>{_PID})-{_RANDOM}")


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
    except OverflowError:
        return False
    return True


def is_ours(name: str) -> bool:
    """Whether a file or folder name is one tirage gives its temporary files."""
    return bool(_OWNED_FILE.fullmatch(name) or _OWNED_DIR.fullmatch(name))


def make_temp_file(path: Path) -> tuple[int, str]:
    """An open descriptor and the name of a new temporary file beside `path`."""
    import tempfile  # here, as in the two below: a process that only reads starts sooner

    prefix = f"{PREFIX}{path.name}.{os.getpid()}."
    return tempfile.mkstemp(prefix=prefix, dir=path.parent)


def make_temp_dir(parent: Path, kind: str) -> Path:
    """A new folder `.tirage-<kind>-<pid>-<random>` inside `parent`."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=f".tirage-{kind}-{os.getpid()}-", dir=parent))


def remove_stale(folder: Path, depth: int = 1) -> list[Path]:
    """Remove what dead processes left in `folder` (and its subfolders, `depth` levels down,
    never through a link); the paths removed."""
    removed: list[Path] = []
    try:
        children = list(os.scandir(folder))
    except OSError:
        return removed
    for child in children:
        is_dir = child.is_dir(follow_symlinks=False)
        match = (_OWNED_DIR if is_dir else _OWNED_FILE).fullmatch(child.name)
        if match is not None and (is_dir or child.is_file(follow_symlinks=False)):
            if pid_alive(int(match.group("pid"))):
                continue
            if is_dir:
                import shutil

                shutil.rmtree(child.path, ignore_errors=True)
            else:
                Path(child.path).unlink(missing_ok=True)
            removed.append(Path(child.path))
        elif is_dir and depth > 0 and not child.name.startswith("."):
            removed += remove_stale(Path(child.path), depth - 1)
    return removed
