"""The code itself: ruff and mypy (strict, configured in pyproject.toml) stay clean."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

TOOLS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "src", "tests", "bench"],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench"],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("tool", TOOLS)
def test_clean(tool: str) -> None:
    done = subprocess.run(TOOLS[tool], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
