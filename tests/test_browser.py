"""A real browser renders the English HTML edition: Debian's chromium, headless, offline.

The screenshot is kept in artifacts/ (git-ignored) for reviewers to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from test_editions import _real_en, pseudo_catalog
from tirage.editions import Translations, render_html
from tirage.editions.credit import credit_from_po, credit_line
from tirage.editions.metadata import EditionContext, Links, Publication
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


def test_json_ld_and_language_links_in_chromium(tmp_path: Path) -> None:
    """The JSON-LD is data under the page's strict CSP: Chromium reports no violation (it
    does for an inline script, the control), and the language links take the palette."""
    doc = read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)
    context = EditionContext(Links.build(Publication(), "fr", ["en", "es"], doc.stem))
    html = render_html(doc, pseudo_catalog(doc), "en", "fr", context=context)
    pages = {"edition": html, "control": html.replace("</main>", "<script>1</script></main>")}
    reports = {}
    for name, text in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        run = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri())
        assert run.returncode == 0, run.stderr[-2000:]
        reports[name] = [line for line in run.stderr.splitlines() if "Content Security" in line]
        if name == "edition":
            assert len(re.findall(r"<script", run.stdout)) == 1
            assert '<script type="application/ld+json">' in run.stdout
    assert reports["edition"] == []
    assert reports["control"], "the control's inline script should have been refused"

    shot = tmp_path / "nav.png"
    path = tmp_path / "edition.html"
    taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=800,160", path.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = [colour for _, colour in image.getcolors(maxcolors=1 << 16) or []]
    # Chromium's default link blue (#0000EE) and visited purple (#551A8B) are absent; the
    # edition's rust (#8a3b12, as in the kicker) is there.
    assert not [c for c in colours if c[2] > 150 and c[0] < 110 and c[1] < 80]
    assert [c for c in colours if c[0] > 110 and c[1] < 80 and c[2] < 50]
