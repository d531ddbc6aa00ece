"""Large real catalogs (tests/data/pofile/large/, see SOURCES.md there): msgfmt accepts
each, and tirage reads it and writes it back byte for byte as `msgcat` writes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tirage.po.pofile import format_po, read_po

LARGE = Path(__file__).parent / "data" / "pofile" / "large"
CATALOGS = sorted(LARGE.glob("*.po"))
ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
needs_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (msgcat, msgfmt) is not installed",
)


def test_every_catalog_has_its_origin() -> None:
    sources = (LARGE / "SOURCES.md").read_text(encoding="utf-8")
    assert len(CATALOGS) >= 3
    for path in CATALOGS:
        assert f"`{path.name}`" in sources, f"{path.name} has no origin in SOURCES.md"


@needs_gettext
@pytest.mark.parametrize("path", CATALOGS, ids=[path.name for path in CATALOGS])
def test_large_catalog_is_written_as_msgcat_writes_it(path: Path) -> None:
    checked = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, env=ENV)
    assert checked.returncode == 0, checked.stderr
    written = subprocess.run(["msgcat", str(path)], capture_output=True, env=ENV, check=True)
    assert format_po(read_po(path)) == written.stdout.decode("utf-8")
