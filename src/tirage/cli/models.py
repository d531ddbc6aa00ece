"""`tirage models`: Argos packages (list, install, remove, available)."""

from __future__ import annotations

from pathlib import Path

import click

from tirage.errors import UsageError
from tirage.models import (
    available_models,
    data_dir,
    install_file,
    install_pair,
    installed_models,
    remove,
)
from tirage.terminal import visible


@click.group("models")
def models_group() -> None:
    """Manage Argos Translate packages (offline installs from .argosmodel files)."""


@models_group.command("list")
def list_command() -> None:
    """Installed language pairs, with package version."""

    found = installed_models()
    if not found:
        click.echo(
            f"no packages in {data_dir()}; install one with `tirage models install FILE.argosmodel`"
        )
        return
    for model in found:
        click.echo(visible(f"{model.from_code} → {model.to_code}\t{model.name}\t{model.version}"))


@models_group.command("install")
@click.argument("what", nargs=-1, required=True, metavar="FILE.argosmodel | FROM TO")
def install_command(what: tuple[str, ...]) -> None:
    """Install a package from a file (offline), or FROM TO from the Argos index."""

    if len(what) == 1:
        model = install_file(Path(what[0]))
    elif len(what) == 2:
        model = install_pair(what[0], what[1])
    else:
        raise UsageError("give FILE.argosmodel, or two language codes (e.g. `fr en`)")
    pair = f"{model.from_code} → {model.to_code}"
    click.echo(visible(f"installed {model.name} {model.version} ({pair})"))


@models_group.command("remove")
@click.argument("source")
@click.argument("target")
def remove_command(source: str, target: str) -> None:
    """Remove the installed package for SOURCE → TARGET."""

    model = remove(source, target)
    click.echo(visible(f"removed {model.name} {model.version}"))


@models_group.command("available")
def available_command() -> None:
    """Packages in the Argos index (needs the network once)."""

    have = {(m.from_code, m.to_code) for m in installed_models()}
    for model in available_models():
        mark = "installed" if (model.from_code, model.to_code) in have else ""
        line = f"{model.from_code} → {model.to_code}\t{model.name}\t{model.version}\t{mark}"
        click.echo(visible(line))


COMMANDS: list[click.Command] = [models_group]
