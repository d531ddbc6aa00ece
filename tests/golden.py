"""Golden-file comparison: `TIRAGE_REGEN_GOLDEN=1 pytest` rewrites the expected files."""

from __future__ import annotations

import os
from pathlib import Path


def assert_golden(actual: str, expected_path: Path) -> None:
    if os.environ.get("TIRAGE_REGEN_GOLDEN"):
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), (
        f"missing golden file {expected_path}; run with TIRAGE_REGEN_GOLDEN=1"
    )
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, f"{expected_path} differs from the output"
