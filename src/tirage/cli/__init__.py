"""The `tirage` command group. Command families live in sibling modules; this is the only
place that turns a TirageError into a message and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from tirage import __version__
from tirage.cli import core, models, quality, publish, translate
from tirage.errors import TirageError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tirage")
def group() -> None:
    """Localise long-form articles through gettext PO catalogs."""


for module in (core, translate, models, publish, quality):
    for command in module.COMMANDS:
        group.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    try:
        # standalone_mode=False lets our errors reach the handler below; ctx.exit(n) comes
        # back as the return value.
        result = group.main(args=argv, prog_name="tirage", standalone_mode=False)
    except TirageError as exc:
        click.echo(f"tirage: {exc.format()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    if isinstance(result, int) and result:
        sys.exit(result)
