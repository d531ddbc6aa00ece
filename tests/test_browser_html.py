"""A real browser opens the pseudo-localised edition of a real page (an Apache manual page in
ISO-8859-1): Debian's chromium, headless, offline. The screenshot is kept in artifacts/."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_browser import CHROMIUM, chromium
from test_html_corpus import pseudo_translations
from tirage.editions import render_html
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.readers import read_document

from conftest import DATA, REPO

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
PAGE = DATA / "corpus" / "html" / "apache-dns-caveats.fr.html"


class _Dom(HTMLParser):
    """Elements and links of a DOM that chromium serialised."""

    def __init__(self) -> None:
        super().__init__()
        self.elements = 0
        self.hrefs: list[str] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if tag == "html":
            self.html_attrs = dict(attrs)
        self.hrefs.extend(v or "" for k, v in attrs if k == "href" and tag != "link")

    handle_startendtag = handle_starttag


def dump(tmp_path: Path, page: Path) -> _Dom:
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def test_chromium_opens_the_pseudo_edition_of_a_page(tmp_path: Path) -> None:
    doc = read_document(PAGE, PAGE.parent)
    links = Links.build(Publication(), "fr", ["en"], "dns")
    context = EditionContext(links)
    edition = render_html(doc, pseudo_translations(doc), "en", "fr", context=context)
    path = tmp_path / "en" / "dns.html"
    path.parent.mkdir()
    path.write_text(edition, encoding="utf-8")
    source = tmp_path / "fr.html"
    source.write_bytes(PAGE.read_bytes())

    before, after = dump(tmp_path, source), dump(tmp_path, path)
    assert after.html_attrs.get("lang") == "en" and after.html_attrs.get("dir") == "ltr"
    # The edition adds a <meta charset> and the <link rel="alternate">s, nothing else.
    assert after.elements == before.elements + 1 + len(links.alternates())
    assert after.hrefs == before.hrefs
    assert re.search(r"Ƥ|Ş|ŕ", edition)  # pseudo-localised text is what the page shows

    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "edition-html-source-en.png"
    shot.unlink(missing_ok=True)
    taken = chromium(
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1000,1400",
        "--hide-scrollbars",
        path.as_uri(),
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000
