"""Publishing commands: `export` writes the editions that pass the gate, `build` runs the
whole main job (update, machine translation where a model is available, export)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from tirage.cli.core import update
from tirage.cli.options import F, quiet_option, workspace_option
from tirage.cli.translate import translate_command
from tirage.errors import EngineError, ModelPackageError, TirageError
from tirage.quality.checks import ERROR, Context, check_files
from tirage.terminal import visible
from tirage.text.glossary import load_glossary
from tirage.workspace import Workspace, load_workspace


def _finite(_ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    # FloatRange lets nan through: every comparison with it is false.
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a number from 0 to 100")
    return value


def _export_options(command: F) -> F:
    for option in reversed(
        [
            click.option("--to", "to", metavar="LANG,...", help="Target languages (default: all)."),
            click.option(
                "--format",
                "formats",
                metavar="FMT,...",
                help="text, markdown, html, pdf, epub, docx, odt (default: text, markdown, html; "
                "text only for text sources; pdf, the print edition, and epub only when asked "
                "for; a DOCX or ODT source: its own format).",
            ),
            click.option(
                "--threshold",
                type=click.FloatRange(0, 100),
                callback=_finite,
                help="Reviewed share (%) a language needs (default: [publish] threshold).",
            ),
            click.option(
                "--include-fuzzy",
                is_flag=True,
                help="Count and use fuzzy (unreviewed) translations.",
            ),
            click.option(
                "--allow-untranslated",
                is_flag=True,
                help="Write an edition even when under half of it is translated (a preview).",
            ),
            click.option(
                "--strict",
                is_flag=True,
                help="Exit 1 when a language is held back; export nothing while `check` has "
                "an error on an entry it would publish.",
            ),
            quiet_option,
            workspace_option,
        ]
    ):
        command = option(command)
    return command


def _run_export(
    workspace_dir: Path,
    to: str | None,
    formats: str | None,
    threshold: float | None,
    include_fuzzy: bool,
    allow_untranslated: bool,
    strict: bool,
    quiet: bool,
) -> None:
    # The editions' writers (markdown-it, the HTML and EPUB writers) only for the command
    # that publishes: every other command would import them for nothing.
    from tirage.publish import describe, export_workspace, parse_formats, refuse_formats

    ws = load_workspace(workspace_dir)
    langs = ws.select_targets(to)
    if formats:
        refuse_formats(ws, parse_formats(formats))
    if strict:
        _refuse_errors(ws, langs, include_fuzzy)
    report = export_workspace(
        ws, langs, parse_formats(formats), threshold, include_fuzzy, allow_untranslated
    )
    if not quiet:
        for line in describe(report, langs, ws.root):
            click.echo(visible(line))
    if strict and report.held_back:
        held = ", ".join(report.held_back)
        raise TirageError(f"held back (--strict): {held}")


def _refuse_errors(ws: Workspace, langs: tuple[str, ...], include_fuzzy: bool) -> None:
    """--strict: nothing is exported while `tirage check` has an error-level finding on an
    entry the export would publish (reviewed ones; fuzzy ones too with --include-fuzzy)."""
    glossary = load_glossary(ws.glossary_path)
    errors = []
    for lang in langs:
        folder = ws.locales_dir / lang
        paths = [(path, ws.relative(path)) for path in sorted(folder.glob("*.po"))]
        context = Context(ws.source_lang, lang, tuple(glossary.keep), glossary.forced(lang))
        found = check_files(paths, context, reviewed_only=not include_fuzzy)
        errors += [finding for finding in found if finding.severity == ERROR]
    if errors:
        raise TirageError(
            f"--strict: {len(errors)} error-level finding{'s' if len(errors) > 1 else ''} in "
            f"entries this export would publish, nothing exported (see tirage check); the "
            f"first: {errors[0].format()}"
        )


@click.command("export")
@_export_options
def export_command(
    to: str | None,
    formats: str | None,
    threshold: float | None,
    include_fuzzy: bool,
    allow_untranslated: bool,
    strict: bool,
    quiet: bool,
    workspace_dir: Path,
) -> None:
    """Write editions/<lang>/<doc>.{txt,md,html,pdf,epub} for every language reviewed enough.

    A language that does not pass loses the editions an earlier export wrote, so editions/
    holds only what passes now. Passages left in the source language are marked."""
    _run_export(
        workspace_dir, to, formats, threshold, include_fuzzy, allow_untranslated, strict, quiet
    )


def _invoke(ctx: click.Context, command: click.Command, **values: Any) -> None:
    """Invoke a sibling with the values it has parameters for (the rest take defaults)."""
    names = {param.name for param in command.params}
    ctx.invoke(command, **{k: v for k, v in values.items() if k in names})


@click.command("build")
@_export_options
@click.pass_context
def build_command(
    ctx: click.Context,
    to: str | None,
    formats: str | None,
    threshold: float | None,
    include_fuzzy: bool,
    allow_untranslated: bool,
    strict: bool,
    quiet: bool,
    workspace_dir: Path,
) -> None:
    """The main job: update catalogs, machine-translate what is missing, export editions.

    A language without an engine or model is not machine-translated (one line says how to
    install one); what is already translated is still published. As with export, a
    language that does not pass the gate loses the editions an earlier export wrote.
    """

    ws = load_workspace(workspace_dir)
    langs = ws.select_targets(to)
    _invoke(ctx, update, workspace_dir=workspace_dir, quiet=quiet)
    for lang in langs:
        try:
            _invoke(ctx, translate_command, workspace_dir=workspace_dir, to=lang, quiet=quiet)
        except (EngineError, ModelPackageError) as exc:
            if not quiet:  # a notice, not an error: what is translated is still published
                click.echo(visible(f"{lang}: not machine-translated: {exc.format()}"))
    _run_export(
        workspace_dir, to, formats, threshold, include_fuzzy, allow_untranslated, strict, quiet
    )


COMMANDS: list[click.Command] = [export_command, build_command]
