"""`update` says when a save lost reviewed translations that the memory still holds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.po.pofile import format_po, read_po

from conftest import INTERVIEW


def invoke(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext is not installed")
def test_a_save_that_dropped_reviewed_translations_is_reported(workspace: Path) -> None:
    ws = str(workspace)
    invoke("update", "-w", ws)
    invoke("translate", "-w", ws, "--to", "en", "--engine", "pseudo", "-q")
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    reviewed = [e for e in po if e.msgstr][: len(po) // 2]
    for entry in reviewed:  # a reviewer accepts half of them
        entry.flags.remove("fuzzy")
    path.write_text(format_po(po), encoding="utf-8")
    assert invoke("update", "-w", ws)[1] == ""  # the memory learns them; nothing is missing
    # A translator's tool saves only the fuzzy entries (`msgattrib --only-fuzzy`).
    subprocess.run(["msgattrib", "--only-fuzzy", "-o", str(path), str(path)], check=True)
    out, err = invoke("update", "-w", ws, "-q")
    back = read_po(path)
    missing = [e for e in back if not e.msgstr and e.msgid in {r.msgid for r in reviewed}]
    assert len(missing) == len(reviewed) > 10
    assert (out, err) == (
        "",
        f"tirage: warning: {len(missing)} reviewed translations missing from "
        f"locales/en/{INTERVIEW}.po that the memory holds; `tirage translate` refills them\n",
    )
    # As it says: translate puts them back, and the next update has nothing to say.
    invoke("translate", "-w", ws, "--to", "en", "--engine", "pseudo", "-q")
    restored = read_po(path)
    assert all(restored.find(r.msgid).msgstr == r.msgstr for r in reviewed)
    assert not any(restored.find(r.msgid).fuzzy for r in reviewed)  # reviewed, as they were
    assert invoke("update", "-w", ws)[1] == ""
