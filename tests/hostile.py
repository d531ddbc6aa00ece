"""One assertion for every refused input: one line, the exit code, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from tirage.cli import main


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file under `root` with its bytes, every folder, link and special file (None):
    links are not followed, special files not read."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        if path.is_file() and not path.is_symlink()
        else None
        for path in sorted(root.rglob("*"))
    }


def assert_refused(
    root: Path, args: list[str], fragment: str, code: int = 1, runner: CliRunner | None = None
) -> Result:
    """Run `tirage ARGS`: it must fail with one line holding `fragment`, and write nothing."""
    before = snapshot(root)
    result = (runner or CliRunner()).invoke(main, args)
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tirage: "), result.output
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert snapshot(root) == before, "something was written"
    return result


def assert_refused_apart(
    root: Path, args: list[str], fragment: str, code: int = 1, cwd: Path | None = None
) -> None:
    """`assert_refused` in a separate process, for input that could make tirage wait or read
    forever (a FIFO, /dev/zero): a hang fails the test after 60 s instead of hanging it."""
    before = snapshot(root)
    done = subprocess.run(
        [sys.executable, "-m", "tirage", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tirage: "), output
    assert fragment in lines[0], lines[0]
    assert snapshot(root) == before, "something was written"
