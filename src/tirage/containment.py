"""What a workspace may reach: nothing outside its own folder.

A source linked to `/etc/passwd` would be copied into the template and every edition; a
`locales/de` or `editions/` linked elsewhere would have tirage write outside the workspace.
Every command checks, before it reads or writes anything, that the workspace's folders and
files resolve inside it, and refuses the first link that does not with one line naming it.
A publisher who deploys through a linked `editions/` folder says so in tirage.toml:
`[publish] allow_linked_editions = true`.

It also removes what a killed tirage left behind there (see `tirage.tempfiles`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tirage.errors import CatalogError, SourceError, TirageError
from tirage.tempfiles import remove_stale

if TYPE_CHECKING:
    from tirage.workspace import Workspace

__all__ = ["check_inside", "remove_leftovers"]


def check_inside(ws: Workspace) -> None:
    """Refuse a source, catalog or editions folder that resolves outside the workspace.
    Only what tirage reads or writes is looked at: a linked folder of images beside the
    sources is no concern of its."""
    root = ws.root.resolve()
    _check(root, ws.source_dir, SourceError)
    for path in ws.sources():
        _check(root, path, SourceError)
    _check(root, ws.locales_dir, CatalogError)
    for path in _children(ws.locales_dir, ".pot"):
        _check(root, path, CatalogError)
    for lang in ws.targets:
        _check(root, ws.locales_dir / lang, CatalogError)
        for path in _children(ws.locales_dir / lang, ".po"):
            _check(root, path, CatalogError)
    if ws.allow_linked_editions:
        return
    _check(root, ws.editions_dir, TirageError, hint=True)
    for lang in ws.targets:
        _check(root, ws.editions_dir / lang, TirageError, hint=True)


def remove_leftovers(ws: Workspace) -> list[Path]:
    """Temporary files a dead tirage process left in locales/ and editions/."""
    return remove_stale(ws.locales_dir, depth=1) + remove_stale(ws.editions_dir, depth=1)


def _children(folder: Path, suffix: str) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder) if entry.name.endswith(suffix)]
    except OSError:
        return []


def _check(root: Path, path: Path, error: type[TirageError], hint: bool = False) -> None:
    if not os.path.lexists(path):
        return
    target = path.resolve()
    if target == root or target.is_relative_to(root):
        return
    message = f"a link to {target}, outside the workspace; tirage does not follow it"
    if hint:
        message += " (set [publish] allow_linked_editions = true in tirage.toml to allow it)"
    raise error(message, path)
