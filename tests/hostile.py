"""One assertion for every refused input: one line, the exit code, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from tirage.cli import main


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symlinks not followed) with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
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
