"""Notices: one line for the user that is neither an error nor a command's report (a catalog
tirage converted to UTF-8 as it wrote it). Code anywhere calls `notify`; the CLI, the only
place that prints, decides where notices go (`listen`). A listener hears each notice once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

__all__ = ["converted", "listen", "notify"]

_LISTENERS: list[tuple[Callable[[str], None], set[str]]] = []


def notify(message: str) -> None:
    """Pass `message` to whoever listens, unless they heard it already."""
    for listener, heard in _LISTENERS:
        if message not in heard:
            heard.add(message)
            listener(message)


@contextlib.contextmanager
def listen(listener: Callable[[str], None]) -> Iterator[None]:
    """Give every notice to `listener` while the block runs."""
    entry = (listener, set[str]())
    _LISTENERS.append(entry)
    try:
        yield
    finally:
        _LISTENERS.remove(entry)


def converted(path: str, charset: str) -> str:
    """The notice for a catalog read in a legacy charset and written as UTF-8."""
    return f"{path}: was {charset}; written as UTF-8 (its header now says charset=UTF-8)"
