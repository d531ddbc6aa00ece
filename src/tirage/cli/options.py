"""Options shared by every command family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def workspace_option(command: F) -> F:
    """`--workspace DIR`, defaulting to the current directory."""
    return click.option(
        "--workspace",
        "-w",
        "workspace_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The workspace: a folder with tirage.toml.",
    )(command)


def quiet_option(command: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="Print only errors.")(command)


def _doc_names(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    # `interview.txt`, `source/interview.txt` and `interview` name the same document.
    return tuple(Path(name).stem for name in value)


def doc_option(command: F) -> F:
    """`--doc NAME`, repeatable, spelled and documented the same in every command."""
    return click.option(
        "--doc",
        "docs",
        multiple=True,
        metavar="NAME",
        callback=_doc_names,
        help="Only this document of source/, with or without its extension (repeatable).",
    )(command)
