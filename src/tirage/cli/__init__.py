"""The `tirage` command group. Command families live in sibling modules; this is the only
place where a TirageError becomes a message and an exit code."""

from __future__ import annotations

import errno
import sqlite3
from typing import IO, Any

import click

from tirage import __version__
from tirage.cli import core, interchange, merge, models, publish, quality, serve, translate
from tirage.errors import TirageError
from tirage.memory import FILENAME as MEMORY_FILE
from tirage.notices import listen
from tirage.terminal import visible


class UserError(click.ClickException):
    """A TirageError on its way out: one line on stderr, exit 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"tirage: {visible(self.format_message())}", err=True)


class UserUsageError(UserError):
    exit_code = 2


def _notice(message: str) -> None:
    click.echo(f"tirage: {visible(message)}", err=True)


class TirageGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            with listen(_notice):
                return super().invoke(ctx)
        except TirageError as exc:
            kind = UserUsageError if exc.exit_code == 2 else UserError
            raise kind(exc.format()) from None
        except sqlite3.DatabaseError as exc:  # the memory's disk filled up, say
            full = "full" in str(exc)
            raise UserError(
                f".tirage/{MEMORY_FILE}: the translation memory could not be written ({exc}); "
                "its last transaction was undone"
                + (", free some space and run the command again" if full else "")
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise UserError(f"{where}cannot write: {exc.strerror}") from None


@click.group(cls=TirageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tirage")
def main() -> None:
    """Localise long-form articles through gettext PO catalogs."""


for module in (core, translate, models, publish, quality, serve, interchange, merge):
    for command in module.COMMANDS:
        main.add_command(command)
