"""Workspace commands: init, segment, update."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

import click

from tirage.catalog import update_documents
from tirage.cli.options import quiet_option, workspace_option
from tirage.errors import SourceError, UsageError
from tirage.memory import TranslationMemory
from tirage.readers import read_document
from tirage.readers.segments import normalise
from tirage.segment import segment_text
from tirage.workspace import CONFIG_NAME, check_language, load_workspace, render_config


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--source", "source_lang", required=True, help="Source language code, e.g. fr.")
@click.option("--targets", required=True, help="Target language codes, e.g. en,es,de.")
def init(directory: Path, source_lang: str, targets: str) -> None:
    """Create a workspace: tirage.toml, source/ and locales/."""
    langs = [code.strip() for code in targets.split(",") if code.strip()]
    if not langs:
        raise UsageError("--targets needs at least one language code")
    for code in [source_lang, *langs]:
        check_language(code)
    config = directory / CONFIG_NAME
    if config.exists():
        raise UsageError(f"{config} already exists; tirage init never overwrites a workspace")
    (directory / "source").mkdir(parents=True, exist_ok=True)
    (directory / "locales").mkdir(exist_ok=True)
    config.write_text(render_config(source_lang, langs), encoding="utf-8")
    click.echo(f"Created {config}: {source_lang} → {', '.join(langs)}. Put documents in source/.")


@click.command()
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--lang", help="Language of the text [default: the workspace's source, or fr].")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of strings.")
@workspace_option
def segment(file: BinaryIO, lang: str | None, as_json: bool, workspace_dir: Path) -> None:
    """Print the sentence segments of FILE (or standard input), one per line."""
    if lang is None:
        has_config = (workspace_dir / CONFIG_NAME).is_file()
        lang = load_workspace(workspace_dir).source_lang if has_config else "fr"
    check_language(lang)
    name = getattr(file, "name", "-")
    data = file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError("not UTF-8 text", name, line) from None
    sentences = [normalise(s) for s in segment_text(text, lang)]  # as msgids are written
    if as_json:
        click.echo(json.dumps(sentences, ensure_ascii=False, indent=2))
    else:
        for sentence in sentences:
            click.echo(sentence)


@click.command()
@workspace_option
@quiet_option
def update(workspace_dir: Path, quiet: bool) -> None:
    """Rebuild templates from source/ and merge them into every target's catalog."""
    ws = load_workspace(workspace_dir)
    sources = ws.sources()
    if not sources:
        raise SourceError("no documents in source/ (add .txt, .md or .html files)", ws.source_dir)
    docs = [read_document(path, ws.root, ws.source_lang) for path in sources]
    results = update_documents(ws, docs, ws.targets)
    with TranslationMemory.open(ws) as memory:  # every reviewed entry, for the next translate
        for result in results:
            if result.path.suffix == ".po":  # already parsed: no need to read it again
                memory.record_catalog(ws, result.path, result.path.parent.name, result.catalog)
        memory.refresh(ws)
    for result in results:
        if quiet:
            continue
        name = ws.relative(result.path)
        r = result.report
        state = "written" if result.written else "unchanged"
        if result.path.suffix == ".pot":
            click.echo(f"{name}: {len(result.catalog)} entries, {state}")
        else:
            click.echo(
                f"{name}: {r.kept} kept, {r.added} new, {r.fuzzy} fuzzy, "
                f"{r.revived} revived, {r.obsoleted} obsolete, {state}"
            )


COMMANDS: list[click.Command] = [init, segment, update]
