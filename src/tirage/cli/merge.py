"""`tirage merge-driver`: git's merge driver for PO catalogs (see tirage.po.merge_driver)."""

from __future__ import annotations

from pathlib import Path

import click

from tirage.errors import CatalogError, UsageError
from tirage.po.merge_driver import merge_as_text, merge_files
from tirage.terminal import visible


@click.command("merge-driver")
@click.argument("files", nargs=-1, metavar="BASE OURS THEIRS [PATH]")
@click.option(
    "--install",
    is_flag=True,
    help="Set merge.tirage.driver in the git repository of the current folder.",
)
@click.pass_context
def merge_driver(ctx: click.Context, files: tuple[str, ...], install: bool) -> None:
    """Merge three versions of a PO catalog entry by entry (git's %O %A %B %P).

    The result replaces OURS. Two different translations of one entry keep ours, fuzzy,
    with theirs in a `# tirage: merge conflict` comment, and the exit status is 1 so that
    git reports the conflict. `tirage init` writes the .gitattributes line that names this
    driver; `--install` tells git how to run it.
    """
    if install:
        if files:
            raise UsageError("merge-driver --install takes no files")
        from tirage.po.merge_driver import install as install_driver

        driver = install_driver(Path.cwd())
        click.echo(visible(f"git config merge.tirage.driver: {driver}"))
        return
    if len(files) not in (3, 4):
        raise UsageError("merge-driver needs BASE OURS THEIRS [PATH] (git's %O %A %B %P)")
    base, ours, theirs = (Path(name) for name in files[:3])
    name = files[3] if len(files) == 4 else str(ours)
    try:
        outcome = merge_files(base, ours, theirs, name)
    except CatalogError as error:
        # Not a catalog tirage can read: git's line merge, with markers, loses nothing.
        code = merge_as_text(base, ours, theirs, name)
        which = {str(base): "base", str(ours): "ours", str(theirs): "theirs"}
        where = which.get(str(error.path), "")
        if error.line is not None:
            where += f", line {error.line}"
        click.echo(
            visible(f"tirage: {name} ({where}): {error.message}; merged line by line"), err=True
        )
        ctx.exit(1 if code else 0)
    if outcome.conflicts:
        count = len(outcome.conflicts)
        click.echo(
            visible(
                f"tirage: {name}: {count} {'entry' if count == 1 else 'entries'} translated "
                "differently on both sides; ours kept as fuzzy, theirs in a "
                "'# tirage: merge conflict' comment"
            ),
            err=True,
        )
        ctx.exit(1)


COMMANDS: list[click.Command] = [merge_driver]
