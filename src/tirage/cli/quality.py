"""Review and quality commands: stats, check, review, memory import|export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tirage.cli.options import checked_reviewer, doc_option, workspace_option
from tirage.cli.review_queue import run_review
from tirage.errors import UsageError
from tirage.memory import FILENAME, TranslationMemory, check_export_path, check_input
from tirage.po.pofile import read_po
from tirage.quality.checks import Context, check_files, has_errors
from tirage.quality.stats import CatalogStats, catalog_stats, format_post_edit, format_table
from tirage.review import QUEUE_ORDERS, Reviewer, default_reviewer
from tirage.terminal import json_visible, visible
from tirage.text.glossary import load_glossary
from tirage.workspace import SOURCE_SUFFIXES, Workspace, load_workspace

langs_option = click.option(
    "--to", "to", metavar="LANG,...", default=None, help="Target languages (default: all)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _catalogs(ws: Workspace, langs: tuple[str, ...]) -> list[tuple[str, Path]]:
    found = []
    for lang in langs:
        folder = ws.locales_dir / lang
        if folder.is_dir():
            found += [(lang, path) for path in sorted(folder.glob("*.po"))]
    return found


@click.command()
@workspace_option
@langs_option
@json_option
def stats(workspace_dir: Path, to: str | None, as_json: bool) -> None:
    """Segments and words per state, document and language, and MT post-edit distance."""
    ws = load_workspace(workspace_dir)
    langs = ws.select_targets(to)
    parsed = [(lang, path, read_po(path)) for lang, path in _catalogs(ws, langs)]
    rows: list[CatalogStats] = [
        catalog_stats(po, path.stem, lang, Path(ws.relative(path))) for lang, path, po in parsed
    ]
    rows.sort(key=lambda row: (row.doc, langs.index(row.lang)))
    memory_path = ws.state_dir / FILENAME
    post_edits = []
    by_doc: dict[tuple[str, str], dict[str, object]] = {}
    if memory_path.is_file():
        with TranslationMemory.open(ws) as memory:
            for lang, path, po in parsed:  # parsed once: the refresh below skips them
                memory.record_catalog(ws, path, lang, po)
            memory.refresh(ws)
            post_edits = memory.post_edit_summary(langs)
            for row in rows:
                for item in memory.post_edit_summary((row.lang,), row.doc):
                    by_doc.setdefault((row.doc, row.lang), {})[item.engine] = {
                        "segments": item.segments,
                        "edit_ratio": round(item.edit_ratio, 4),
                    }
    if as_json:
        out = []
        for row in rows:
            data = row.to_json()
            data["post_edit"] = by_doc.get((row.doc, row.lang), {})
            out.append(data)
        click.echo(json_visible(json.dumps(out, ensure_ascii=False, indent=2)))
        return
    if not rows:
        click.echo("No catalogs yet: run `tirage update`.")
        return
    click.echo(visible(format_table(rows), newlines=True))
    click.echo()
    click.echo(visible(format_post_edit(post_edits), newlines=True))


@click.command()
@workspace_option
@langs_option
@json_option
@click.option("--reviewed-only", is_flag=True, help="Skip fuzzy entries.")
@click.pass_context
def check(
    ctx: click.Context, workspace_dir: Path, to: str | None, as_json: bool, reviewed_only: bool
) -> None:
    """Run the quality checks; exit 1 when an error-level finding exists."""
    ws = load_workspace(workspace_dir)
    glossary = load_glossary(ws.glossary_path)
    findings = []
    for lang in ws.select_targets(to):
        context = Context(ws.source_lang, lang, tuple(glossary.keep), glossary.forced(lang))
        paths = [(path, ws.relative(path)) for _, path in _catalogs(ws, (lang,))]
        findings += check_files(paths, context, reviewed_only=reviewed_only)
    if as_json:
        out = json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)
        click.echo(json_visible(out))
    else:
        for finding in findings:
            click.echo(visible(finding.format()))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{errors} errors, {len(findings) - errors} warnings", err=True)
    if has_errors(findings):
        ctx.exit(1)


@click.command()
@workspace_option
@click.option("--to", "to", metavar="LANG", required=True, help="The language to review.")
@doc_option
@click.option("--reviewer", default=None, help='Recorded as Last-Translator, "Name <email>".')
@click.option("--editor", default=None, help="Editor command (default: $VISUAL or $EDITOR).")
@click.option(
    "--order",
    type=click.Choice(QUEUE_ORDERS),
    default="document",
    show_default=True,
    help="Document order, or least confident first.",
)
def review(
    workspace_dir: Path,
    to: str,
    docs: tuple[str, ...],
    reviewer: str | None,
    editor: str | None,
    order: str,
) -> None:
    """Review fuzzy entries in document order: accept, edit, skip, back, quit."""

    ws = load_workspace(workspace_dir)
    if "," in to:
        raise UsageError("review one language at a time: --to LANG")
    lang = ws.select_targets(to)[0]
    who = checked_reviewer(Reviewer(reviewer, "--reviewer") if reviewer else default_reviewer(ws))
    if not sys.stdin.isatty():
        raise UsageError("tirage review is interactive: run it in a terminal")
    run_review(ws, lang, who, docs, editor, order)


@click.group()
def memory() -> None:
    """The translation memory (.tirage/memory.sqlite): TMX import and export."""


@memory.command("import")
@workspace_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "to", metavar="LANG,...", default=None, help="Target languages to take.")
def memory_import(workspace_dir: Path, file: Path, to: str | None) -> None:
    """Add the translations of a TMX 1.4b file."""
    from tirage.interchange.tmx import import_tmx_report
    from tirage.interchange.tmx_segments import workspace_segments

    ws = load_workspace(workspace_dir)
    check_input(file)  # a folder, a FIFO or /dev/zero: one line, before the memory opens
    with TranslationMemory.open(ws) as tm:
        known = workspace_segments(ws)
        report = import_tmx_report(tm, file, ws.source_lang, ws.select_targets(to), known)
        line = f"{file}: {report.added} units added ({len(tm)} in the memory)"
        if report.dropped_codes:
            line += (
                f"; {report.dropped_codes} inline codes that stand for no known markup "
                "left out of the text"
            )
        click.echo(visible(line))


@memory.command("export")
@workspace_option
@click.argument("file", type=click.Path(path_type=Path))
def memory_export(workspace_dir: Path, file: Path) -> None:
    """Write the memory (refreshed from the catalogs first) as TMX 1.4b."""
    from tirage.interchange.tmx import export_tmx

    ws = load_workspace(workspace_dir)
    check_export_path(ws, file)
    with TranslationMemory.open(ws) as tm:
        tm.refresh(ws)
        kinds = {
            path.stem: SOURCE_SUFFIXES.get(path.suffix.lower(), "text") for path in ws.sources()
        }
        reviewers = {
            (path.stem, lang): read_po(path).metadata.get("Last-Translator", "").strip()
            for lang, path in _catalogs(ws, ws.targets)
        }
        count = export_tmx(tm, file, ws.source_lang, kinds, reviewers)
    click.echo(visible(f"{file}: {count} units"))


COMMANDS: list[click.Command] = [stats, check, review, memory]
