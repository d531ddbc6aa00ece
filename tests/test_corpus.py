"""Fidelity on real pages that nobody on the project wrote (tests/data/corpus, SOURCES.md).

The corpus is kept apart from the cases tirage was tuned on. For every page:
- with no translations, the edition is the page, byte for byte;
- the POT is what msgcat writes and `msgfmt -c` accepts it;
- after `tirage translate --engine pseudo` and `tirage export`, every protected span of every
  segment (macros, URLs, code, link targets, tags…) is in the edition as written;
- no word of the page's prose is missing from the POT;
- check finds no error on two correct translations: the msgid copied verbatim, and the pseudo
  translation (apart from the finding that says it is pseudo-localised).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from tirage.catalog import build_template
from tirage.cli import main
from tirage.document import Document
from tirage.editions import Translations, render_text
from tirage.editions.markdown import render_markdown_source
from tirage.po.pofile import format_po, read_po
from tirage.quality.checks import ERROR, Context, check_catalog
from tirage.readers import read_document
from tirage.readers.markdown import FRONT_MATTER_KEYS
from tirage.text.protect import find_protected

from conftest import DATA
from gettext_tools import assert_canonical, requires_gettext

CORPUS = DATA / "corpus"
PAGES = sorted(
    p for p in CORPUS.iterdir() if p.suffix in (".md", ".txt") and p.name != "SOURCES.md"
)
_WORD = re.compile(r"[^\W\d_]+")


def test_the_corpus_is_large_enough_and_sourced() -> None:
    assert len(PAGES) >= 25
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"`{page.name}`" in sources, f"{page.name} has no origin in SOURCES.md"


def _doc(page: Path) -> Document:
    return read_document(page, CORPUS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_untranslated_round_trip_is_byte_exact(page: Path) -> None:
    doc = _doc(page)
    render = render_markdown_source if doc.format == "markdown" else render_text
    assert render(doc, Translations(), "en") == page.read_text(encoding="utf-8")


@requires_gettext
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_template_is_canonical(page: Path, tmp_path: Path) -> None:
    pot = tmp_path / f"{page.stem}.pot"
    pot.write_text(format_po(build_template(_doc(page))), encoding="utf-8")
    assert_canonical(pot)


def prose_words(page: Path) -> Counter[str]:
    """The words a reader of the page sees as prose: not code, URLs, tags or front matter
    keys; HTML blocks are left to the HTML reader. Read with markdown-it, not with tirage."""
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".txt":
        return Counter(_WORD.findall(text))
    # Syntax of the generators: macros ({{HTTPSidebar}}) and a container's type (`::: tip`).
    text = re.sub(r"\{\{.*?\}\}", " ", text)
    text = re.sub(r"(?m)^([ \t]*:{3,}[ \t]*)[\w-]+", r"\1", text)
    env: dict[str, object] = {}
    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    words: Counter[str] = Counter()
    for token in parser.parse(text, env):
        if token.type == "front_matter":
            for line in token.content.splitlines():
                key, _, value = line.partition(":")
                if key.strip() in FRONT_MATTER_KEYS:
                    words.update(_WORD.findall(value))
        autolink = False  # <https://…>: the text of an autolink is its URL
        for child in token.children or []:
            if child.type == "link_open":
                autolink = child.markup == "autolink"
            elif child.type == "text" and not autolink:
                words.update(_WORD.findall(child.content))
    references = env.get("references")
    if isinstance(references, dict):
        for reference in references.values():
            words.update(_WORD.findall(reference.get("title") or ""))
    return words


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_prose_word_is_missing_from_the_template(page: Path) -> None:
    in_pot: set[str] = set()
    for segment in _doc(page).segments():
        in_pot.update(_WORD.findall(segment.text))
    missing = sorted(set(prose_words(page)) - in_pot)
    assert not missing, f"{page.name}: not in the POT: {missing[:20]}"


@pytest.fixture(scope="module")
def pseudo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus in one workspace, through the CLI: update, pseudo, export."""
    root = tmp_path_factory.mktemp("corpus") / "ws"
    (root / "source").mkdir(parents=True)
    for page in PAGES:
        shutil.copy(page, root / "source" / page.name)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    for args in (
        ["update", "-q"],
        ["translate", "--to", "en", "-q"],
        ["export", "--include-fuzzy", "--threshold", "0", "-q"],
    ):
        result = runner.invoke(main, [*args, "--workspace", str(root)])
        assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pseudo_export_keeps_every_protected_span(pseudo_workspace: Path, page: Path) -> None:
    doc = _doc(page)
    suffix = ".md" if doc.format == "markdown" else ".txt"
    edition = (pseudo_workspace / "editions" / "en" / (page.stem + suffix)).read_text("utf-8")
    po = read_po(pseudo_workspace / "locales" / "en" / f"{page.stem}.po")
    assert all(e.msgstr for e in po if e.msgid), "every entry is pseudo-translated"
    wanted: Counter[str] = Counter()
    for segment in doc.segments():
        wanted.update(segment.text[s:e] for s, e in find_protected(segment.text))
    for value, count in wanted.items():
        assert edition.count(value) >= count, f"{value!r} lost or changed in the edition"


def _findings(po: polib.POFile, translate: bool) -> list[str]:
    for entry in po:
        if entry.msgid and not translate:
            entry.msgstr = entry.msgid
    found = check_catalog(po, "page.po", Context("fr", "en"))
    return [f.format() for f in found if f.severity == ERROR and f.check != "leftovers"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_check_finds_no_error_on_correct_translations(pseudo_workspace: Path, page: Path) -> None:
    po = read_po(pseudo_workspace / "locales" / "en" / f"{page.stem}.po")
    assert _findings(po, translate=True) == []  # the pseudo translation
    assert _findings(po, translate=False) == []  # each msgid copied as its translation
