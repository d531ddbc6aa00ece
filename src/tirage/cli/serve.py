"""`tirage serve`: the local web review desk, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path

import click

from tirage.cli.options import checked_reviewer, workspace_option
from tirage.errors import TirageError, UsageError
from tirage.review import Reviewer, default_reviewer
from tirage.workspace import load_workspace

DEFAULT_PORT = 8470
PORT_TRIES = 10  # without --port, the next free port is taken, as Jupyter does
WILDCARDS = ("0.0.0.0", "::")


def machine_names() -> set[str]:
    """The names and addresses this machine is reached by, for `--host 0.0.0.0`: the Host
    header of a request must be one of them (or loopback)."""
    names = {socket.gethostname()}
    try:
        names.add(socket.getfqdn())
        for info in socket.getaddrinfo(socket.gethostname(), None):
            names.add(str(info[4][0]))
    except OSError:
        pass  # no resolver: the host name alone
    return {name.lower() for name in names if name}


def bind(host: str, port: int | None) -> socket.socket:
    """A listening socket: on `port`, or the first free one from DEFAULT_PORT."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES)
    error: OSError | None = None
    for number in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, number))
        except OSError as exc:
            sock.close()
            error = exc
            continue
        sock.listen(64)
        sock.set_inheritable(True)
        return sock
    where = f"port {port}" if port is not None else f"ports {DEFAULT_PORT}–{candidates[-1]}"
    reason = error.strerror if error is not None else "unavailable"
    raise TirageError(f"cannot listen on {host} {where}: {reason}; choose one with --port")


@click.command()
@workspace_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Default: 8470 or the next free one.",
)
@click.option(
    "--host", default=None, help="Address to bind (default 127.0.0.1); others can then connect."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the desk in the web browser.")
@click.option("--reviewer", default=None, help='Recorded as Last-Translator, "Name <email>".')
def serve(
    workspace_dir: Path,
    port: int | None,
    host: str | None,
    open_browser: bool,
    reviewer: str | None,
) -> None:
    """The review desk in your browser: dashboard, review pages, preview. Ctrl+C stops it."""
    try:
        import uvicorn

        from tirage.serve.app import create_app
        from tirage.serve.guard import LOOPBACK
    except ImportError as exc:
        raise UsageError(
            f"tirage serve needs the serve extra: pip install 'tirage[serve]' "
            f"({exc.name} is missing)"
        ) from None
    ws = load_workspace(workspace_dir)
    who = checked_reviewer(Reviewer(reviewer, "--reviewer") if reviewer else default_reviewer(ws))
    address = host or "127.0.0.1"
    hosts = set(LOOPBACK)
    shown_host = address
    if host is not None and host not in LOOPBACK:
        names = machine_names() if host in WILDCARDS else {host}
        click.secho(
            f"warning: listening on {host}: anyone who can reach it and has the address "
            "below can change your catalogs",
            fg="yellow",
            err=True,
        )
        hosts |= names
        if host in WILDCARDS:
            shown_host = socket.gethostname()
            click.echo(f"It answers to: {', '.join(sorted(hosts))}.", err=True)
    sock = bind(address, port)
    # The desk lives under a secret path, where its cookie stays (see serve/guard.py).
    token, prefix = secrets.token_urlsafe(32), "desk-" + secrets.token_urlsafe(16)
    bound = sock.getsockname()[1]
    shown = f"[{shown_host}]" if ":" in shown_host else shown_host
    url = f"http://{shown}:{bound}/{prefix}/?token={token}"
    app = create_app(ws, who, token, prefix, hosts)
    click.echo(f"tirage serve: the review desk of {ws.root.resolve()}")
    click.echo(f"Decisions are signed Last-Translator: {who.name} (from {who.origin}).")
    click.echo("Open this address (it carries your access token); Ctrl+C stops the server:")
    click.echo(f"    {url}", color=False)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shut down gracefully, then re-raised the Ctrl+C it caught
    finally:
        sock.close()
    click.echo("tirage serve: stopped.")


COMMANDS: list[click.Command] = [serve]
