"""Exchange commands: `xliff export` and `xliff import`, files for CAT tools."""

from __future__ import annotations

from pathlib import Path

import click

from tirage.cli.options import doc_option, workspace_option
from tirage.errors import UsageError
from tirage.terminal import visible
from tirage.workspace import load_workspace


@click.group()
def xliff() -> None:
    """XLIFF 2.1 or 1.2 files for CAT tools (Trados, memoQ, OmegaT, Okapi, Phrase)."""


@xliff.command("export")
@workspace_option
@click.option("--to", "to", metavar="LANG,...", help="Target languages (default: all).")
@doc_option
@click.option(
    "--version",
    "version",
    type=click.Choice(["2.1", "1.2"]),
    default="2.1",
    show_default=True,
    help="XLIFF version (1.2 for older tools).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write <lang>/<doc>.xlf into [default: xliff/ in the workspace].",
)
def export_command(
    workspace_dir: Path, to: str | None, docs: tuple[str, ...], version: str, out: Path | None
) -> None:
    """Write one XLIFF file per document and language from the PO catalogs."""
    from tirage.interchange.xliff import build_units, write_xliff
    from tirage.po.pofile import read_po, write_atomic

    ws = load_workspace(workspace_dir)
    folder = out if out is not None else ws.root / "xliff"
    written = 0
    for lang in ws.select_targets(to):
        paths = sorted((ws.locales_dir / lang).glob("*.po"))
        for path in paths:
            if docs and path.stem not in docs:
                continue
            units = build_units(read_po(path))
            text = write_xliff(
                units,
                version=version,
                src_lang=ws.source_lang,
                tgt_lang=lang,
                doc=path.stem,
                original=ws.relative(path),
            )
            target = folder / lang / f"{path.stem}.xlf"
            write_atomic(target, text)
            written += 1
            click.echo(visible(f"{target}: {len(units)} units (XLIFF {version})"))
    if docs and not written:
        raise UsageError(f"--doc: no catalog named {', '.join(docs)}")


@xliff.command("import")
@workspace_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def import_command(workspace_dir: Path, files: tuple[Path, ...]) -> None:
    """Write the targets of XLIFF FILES back into their PO catalogs.

    Each unit is judged alone: one whose source changed, whose codes do not match the
    source's, or whose entry was changed in the catalog since the export is refused and
    reported; the rest is saved as a review desk saves (lock, re-check, atomic write)."""
    from tirage.interchange.xliff_import import describe, import_xliff

    ws = load_workspace(workspace_dir)
    for path in files:
        report = import_xliff(ws, path)
        for line in describe(report, ws):
            click.echo(visible(line))


COMMANDS = [xliff]
