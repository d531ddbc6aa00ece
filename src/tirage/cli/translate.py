"""`tirage translate`: the machine-translation first pass. Heavy imports happen inside."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from tirage.cli.options import doc_option, quiet_option, workspace_option
from tirage.mt import ENGINES
from tirage.terminal import visible

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from tirage.translate import LanguageReport


@click.command("translate")
@click.option("--to", "to", metavar="LANG,...", help="Target languages (default: all).")
@doc_option
@click.option("--engine", type=click.Choice(ENGINES), help="Default: [translate] engine.")
@click.option(
    "--redo",
    type=click.Choice([*ENGINES, "memory", "all"]),
    help="Also translate again what this engine (or any: all) wrote that no human touched.",
)
@click.option(
    "--device",
    type=click.Choice(("cpu", "cuda", "auto")),
    help="Where CTranslate2 runs (default: [translate] device, auto).",
)
@click.option(
    "--ray",
    "ray_address",
    is_flag=False,
    flag_value="auto",
    metavar="[ADDRESS]",
    help="Translate on a Ray cluster (tirage[ray]); no address: start or join a local one.",
)
@quiet_option
@workspace_option
def translate_command(
    to: str | None,
    docs: tuple[str, ...],
    engine: str | None,
    redo: str | None,
    device: str | None,
    ray_address: str | None,
    quiet: bool,
    workspace_dir: Path,
) -> None:
    """Fill untranslated entries with machine translations (fuzzy, with provenance).

    With --redo, entries whose only content is earlier machine output (fuzzy, with a
    provenance record, text unchanged since) are translated again; reviewed entries and
    any text a human edited are never touched."""
    from dataclasses import replace

    from tirage.translate import Runner, translate_workspace
    from tirage.workspace import load_workspace

    ws = load_workspace(workspace_dir)
    if device:
        ws = replace(ws, engine=replace(ws.engine, device=device))
    langs = ws.select_targets(to)
    address = ray_address or ws.engine.ray
    runner: Runner | None = None
    if address:
        from tirage.cluster import RayRunner

        runner = RayRunner.connect(address, ws)
    bars: dict[str, Any] = {}
    show = not quiet and sys.stderr.isatty()

    def progress(lang: str, done: int, total: int) -> None:
        if not show:
            return
        if lang not in bars:
            bar = progress_bar(lang, total, sys.stderr)
            bar.__enter__()
            bars[lang] = [bar, 0]
        bar, seen = bars[lang]
        bar.update(done - seen)
        bars[lang][1] = done
        if done >= total:
            bar.__exit__(None, None, None)

    try:
        report = translate_workspace(
            ws, langs, docs=docs, engine=engine, progress=progress, redo=redo, runner=runner
        )
    finally:
        for bar, _ in bars.values():
            bar.render_finish()
        if runner is not None:
            runner.close()
    if not quiet:
        for lr in report.languages:
            click.echo(describe(lr))
            for place in lr.fallback:
                click.echo(visible(f"  masks lost, translated between them: {place}"))
    errors = report.errors
    if errors:
        raise errors[0]


def progress_bar(lang: str, total: int, file: TextIO) -> ProgressBar[str]:
    """One language's bar, in segments, with throughput and an ETA: the same for a local run
    and a Ray run, whose batches come back through the same progress callback."""
    bar: ProgressBar[str] = click.progressbar(
        length=total,
        label=lang,
        file=file,
        item_show_func=lambda _: throughput(bar.time_per_iteration),
    )
    return bar


def throughput(per_segment: float) -> str | None:
    """ "12.5 segments/s" from click's smoothed seconds per segment (the figure its ETA uses);
    None until a first measure."""
    if per_segment <= 0:
        return None
    rate = 1 / per_segment
    return f"{rate:.1f} segments/s" if rate < 100 else f"{rate:.0f} segments/s"


def describe(lr: LanguageReport) -> str:
    """What a run did for one language, in words: "en: 33 untranslated entries: 33
    machine-translated by pseudo (fuzzy, for review); 0 left untranslated"."""
    if not lr.pending and not lr.redo:
        return f"{lr.lang}: nothing to translate (no untranslated entries)"
    parts = []
    if lr.memory:
        parts.append(f"{lr.memory} filled from the translation memory")
    if lr.engine:
        by = lr.engine_name
        if lr.model and lr.model != lr.engine_name:
            by += f" ({lr.model} {lr.version})".replace(" )", ")")
        parts.append(f"{lr.engine} machine-translated by {by} (fuzzy, for review)")
    if lr.kept:
        parts.append(f"{lr.kept} translated by someone else meanwhile, kept")
    if lr.empty:
        parts.append(f"{lr.empty} left empty by the engine")
    done = ", ".join(parts) + "; " if parts else ""
    what = _entries(lr.pending)
    if lr.redo:  # --redo
        what += f", {lr.redo} machine translation{'' if lr.redo == 1 else 's'} to redo"
    return f"{lr.lang}: {what}: {done}{lr.left} left untranslated"


def _entries(count: int) -> str:
    return f"{count} untranslated entr{'y' if count == 1 else 'ies'}"


COMMANDS: list[click.Command] = [translate_command]
