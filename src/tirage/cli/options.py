"""Options shared by every command family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from tirage.errors import ConfigError, UsageError
from tirage.settings import Invalid, header_value

if TYPE_CHECKING:  # the review module is imported by the commands that review, not by all
    from tirage.review import Reviewer

F = TypeVar("F", bound=Callable[..., object])


def workspace_option(command: F) -> F:
    """`--workspace DIR`, defaulting to the current directory."""
    return click.option(
        "--workspace",
        "-w",
        "workspace_dir",
        type=click.Path(path_type=Path),  # a file here is one line from load_workspace
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


def checked_reviewer(who: Reviewer) -> Reviewer:
    """The reviewer, whose name becomes a PO header line (Last-Translator): one line, no
    control characters, bounded. A bad --reviewer is a usage error; a bad name from git
    or the login is a plain one, naming where it came from."""
    from tirage.review import Reviewer

    try:
        header_value(who.name.strip())
    except Invalid as exc:
        if who.origin == "--reviewer":
            raise UsageError(f"--reviewer {exc}") from None
        raise ConfigError(f"the reviewer's name (from {who.origin}) {exc}") from None
    return Reviewer(who.name.strip(), who.origin)
