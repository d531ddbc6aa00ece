"""Plain-text READMEs and changelogs, and pre-2010 HTML pages, written by others
(tests/data/legacy, origins and licences in its SOURCES.md). For every page:
- with no translations, the edition is the page, byte for byte;
- after `tirage translate --engine pseudo` and `tirage export`, the syntax is in the edition as
  written (the lines no segment touches, the tags and the protected spans of every msgid);
- no code or command line reaches the template, and every prose word does;
- no msgid is longer than 1,500 characters;
- `check` finds no error when each msgid is copied as its translation.
The oracles for code and prose are this file's own, simpler than the reader's rules.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_html_corpus import shown, structure
from tirage.catalog import build_template
from tirage.cli import main
from tirage.document import Document
from tirage.editions import Translations, render_text
from tirage.editions.render import translated_source
from tirage.po.pofile import format_po, read_po
from tirage.quality.checks import ERROR, Context, check_catalog
from tirage.readers import read_document
from tirage.readers.segments import translatable
from tirage.text.html_markup import fragment_tokens
from tirage.text.protect import find_protected

from conftest import DATA
from gettext_tools import assert_canonical, requires_gettext
from golden import assert_golden

LEGACY = DATA / "legacy"
TEXTS = sorted(LEGACY.glob("*.txt"))
PAGES = sorted(p for p in LEGACY.iterdir() if p.suffix in (".html", ".htm"))
ALL = TEXTS + PAGES
GOLDEN = ("grisbi-doc-manuel-compilation-fr.txt", "grisbi-2003-qif.html")
_WORD = re.compile(r"[^\W\d_]{2,}")
_ADDRESS = re.compile(r"\S+://\S+|\S+@\S+")  # URLs and e-mail addresses are not prose


def _doc(page: Path) -> Document:
    return read_document(page, LEGACY)


def test_the_corpus_is_large_enough_and_sourced() -> None:
    assert len(TEXTS) >= 6 and len(PAGES) >= 6
    sources = (LEGACY / "SOURCES.md").read_text(encoding="utf-8")
    for page in ALL:
        assert f"`{page.name}`" in sources, f"{page.name} has no origin in SOURCES.md"


@pytest.mark.parametrize("page", ALL, ids=lambda p: p.name)
def test_untranslated_round_trip_is_byte_exact(page: Path) -> None:
    doc = _doc(page)
    if doc.format == "text":
        assert render_text(doc, Translations(), "en") == page.read_bytes().decode("utf-8")
    else:
        codec = "cp1252" if doc.encoding == "windows-1252" else doc.encoding
        same = translated_source(doc, Translations(), False, lambda s, m: m)
        assert same.encode(codec) == page.read_bytes()


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_template(name: str) -> None:
    pot = format_po(build_template(_doc(LEGACY / name)))
    assert_golden(pot, LEGACY / f"{name}.expect.pot")


@requires_gettext
@pytest.mark.parametrize("name", GOLDEN)
def test_golden_templates_are_what_msgcat_writes(name: str) -> None:
    assert_canonical(LEGACY / f"{name}.expect.pot")


@pytest.mark.parametrize("page", ALL, ids=lambda p: p.name)
def test_no_msgid_is_longer_than_1500_characters(page: Path) -> None:
    longest = max(len(s.text) for s in _doc(page).segments())
    assert longest <= 1500


# -- plain text: what is code, what is prose (this test's own, plain rules) -------------------

_COMMAND = re.compile(r"\s*(?:\$ |\$>|% |# (?:[a-z][\w.+-]*)(?:$| .*[-/~=]))")
_VERSION = re.compile(r"\s*(?:[A-Z]\w* )?v?\d+(?:\.\d+)+\S*[\s\dxX/.:,()\[\]-]*$")


def _code_lines(text: str) -> list[str]:
    """Commands, version lines, and indented lines of an indented paragraph with code in it."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = paragraph.split("\n")
        indented = all(re.match(r"( {4}|\t)", line) for line in lines if line.strip())
        code = indented and any(re.search(r"[{}=;<>|\\]|^\s*[$#%]", ln) for ln in lines)
        for line in lines:
            if code or _COMMAND.match(line) or _VERSION.match(line):
                found.append(line.strip())
    return [line for line in found if line]


@pytest.mark.parametrize("page", TEXTS, ids=lambda p: p.name)
def test_no_code_line_reaches_the_template(page: Path) -> None:
    msgids = [s.text for s in _doc(page).segments()]
    for line in _code_lines(page.read_text(encoding="utf-8")):
        body = re.sub(r"^(?:\$>?|%|#)\s*", "", line)
        leaked = [m for m in msgids if body in m]
        assert not leaked, f"{line!r} reached {leaked[0]!r}"


@pytest.mark.parametrize("page", TEXTS, ids=lambda p: p.name)
def test_every_prose_word_reaches_the_template(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    code = set(_code_lines(text))
    words: Counter[str] = Counter()
    for line in text.split("\n"):
        if line.strip() not in code:
            words.update(_WORD.findall(_ADDRESS.sub(" ", line)))
    in_pot = {w for s in _doc(page).segments() for w in _WORD.findall(s.text)}
    missing = sorted(set(words) - in_pot)
    assert not missing, missing[:20]


# -- HTML: what a browser shows ----------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_visible_text_reaches_the_template_and_no_code(page: Path) -> None:
    doc = _doc(page)
    msgids = [s.text for s in doc.segments()]
    text_only = "".join(
        m[t.start : t.end] for m in msgids for t in fragment_tokens(m) if t.kind == "text"
    )
    prose = _squeeze(unescape(text_only))
    visible, attributes, never = shown(doc.text)
    missing = [t for t in visible + attributes if translatable(t) and _squeeze(t) not in prose]
    assert not missing, missing[:5]
    leaked = [t for t in never if len(t.strip()) >= 8 and _squeeze(t) in prose]
    assert not leaked, leaked[:3]


# -- through the CLI: update, pseudo, export, check ----------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("legacy") / "ws"
    (root / "source").mkdir(parents=True)
    for page in ALL:
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


def _edition(workspace: Path, page: Path, suffix: str) -> str:
    return (workspace / "editions" / "en" / (page.stem + suffix)).read_bytes().decode("utf-8")


@pytest.mark.parametrize("page", ALL, ids=lambda p: p.name)
def test_pseudo_export_keeps_the_syntax(workspace: Path, page: Path) -> None:
    doc = _doc(page)
    protected: Counter[str] = Counter()
    for segment in doc.segments():
        protected.update(segment.text[a:b] for a, b in find_protected(segment.text))
    tags: Counter[str] = Counter()
    if doc.format == "text":
        edition = _edition(workspace, page, ".txt")
        touched = {doc.text.count("\n", 0, a) for s in doc.segments() for a, _ in s.pieces}
        touched |= {doc.text.count("\n", 0, b) for s in doc.segments() for _, b in s.pieces}
        for number, line in enumerate(doc.text.split("\n")):
            if number not in touched and line.strip():
                assert line in edition.split("\n"), f"line {number + 1} {line!r} changed"
    else:
        edition = _edition(workspace, page, ".html")
        assert structure(edition) == structure(doc.text)
        tags.update(
            s.text[t.start : t.end]
            for s in doc.segments()
            for t in fragment_tokens(s.text)
            if t.kind != "text"
        )
    for wanted in (protected, tags):
        for value, count in wanted.items():
            assert edition.count(value) >= count, f"{value!r} lost or changed in the edition"


@pytest.mark.parametrize("page", ALL, ids=lambda p: p.name)
def test_check_finds_no_error_on_a_copied_translation(workspace: Path, page: Path) -> None:
    po = read_po(workspace / "locales" / "en" / f"{page.stem}.po")
    for entry in po:
        entry.msgstr = entry.msgid
        entry.flags = []
    found = check_catalog(po, page.name, Context("fr", "en"))
    errors = [f.format() for f in found if f.severity == ERROR]
    assert errors == []
