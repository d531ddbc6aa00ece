"""GNU gettext as the reference: run msgcat/msgfmt/msgmerge on our files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

requires_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="GNU gettext is not installed (CI installs it)"
)


def msgcat(path: Path) -> str:
    out = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def msgfmt_check(path: Path) -> None:
    subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, check=True, text=True
    )


def msgmerge(old: Path, template: Path) -> str:
    out = subprocess.run(
        ["msgmerge", "--previous", "-q", str(old), str(template), "-o", "-"],
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")


def assert_canonical(path: Path) -> None:
    """The file is a fixed point of msgcat and msgfmt -c accepts it."""
    assert msgcat(path) == path.read_text(encoding="utf-8"), f"{path} is not msgcat's form"
    msgfmt_check(path)
