"""A real browser renders the English HTML edition: Debian's chromium, headless, offline.

The screenshot is kept in artifacts/ (git-ignored) for reviewers to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_editions import _real_en, pseudo_catalog
from tirage.editions import Translations, render_html
from tirage.editions.credit import credit_from_po, credit_line
from tirage.readers import read_document

from conftest import INTERVIEW, REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def english_edition(tmp_path: Path) -> Path:
    doc = read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)
    po = _real_en()
    translations = Translations.from_po(po) if po else pseudo_catalog(doc)
    credit = credit_line(credit_from_po(po, "fr", False), "en")
    html = render_html(doc, translations, "en", "fr", credit=credit)
    path = tmp_path / "editions" / "en" / f"{INTERVIEW}.html"
    path.parent.mkdir(parents=True)
    path.write_text(html, encoding="utf-8")
    return path


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_chromium_renders_the_english_edition(tmp_path: Path) -> None:
    page = english_edition(tmp_path)
    dumped = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert re.search(r'<html lang="en" dir="ltr">', dom)
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and "Thierry Alvergnat" in title.group(1)
    questions = re.findall(r'<h2 class="question">(.*?)</h2>', dom, re.S)
    assert len(questions) == 6
    assert all(q.strip() for q in questions)
    assert "<script" not in dom

    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "edition-en.png"
    shot.unlink(missing_ok=True)
    taken = chromium(
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1000,2400",
        "--hide-scrollbars",
        page.as_uri(),
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000
