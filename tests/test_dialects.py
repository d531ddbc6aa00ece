"""Markdown dialects on real pages by others (tests/data/dialects/<dialect>/, SOURCES.md).

Each folder is read with `[markdown] dialect` set to its name. For every page:
- with no translations, the edition is the page, byte for byte;
- every construct of the generators' syntax is in the pseudo-translated edition as written;
- no line of code reaches the POT, and every word of prose does;
- no msgid is longer than 1,500 characters;
- check finds no error on the pseudo translation, nor when each msgid is copied as its
  translation.
One page of each dialect has a golden POT beside it.

The oracles here read the page with regular expressions of their own, not with tirage.
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

from tirage.catalog import build_template
from tirage.cli import main
from tirage.document import Document
from tirage.editions import Translations
from tirage.editions.markdown import render_markdown_source
from tirage.po.pofile import format_po, read_po
from tirage.quality.checks import ERROR, Context, check_catalog
from tirage.readers import read_document
from tirage.readers.markdown_dialects import FRONT_MATTER_KEYS, MarkdownOptions

from conftest import DATA
from golden import assert_golden

ROOT = DATA / "dialects"
DIALECTS = ("mkdocs", "hugo", "jekyll", "docusaurus", "pandoc")
PAGES = sorted(p for d in DIALECTS for p in (ROOT / d).iterdir() if p.suffix in (".md", ".mdx"))
GOLDEN = {
    "mkdocs": "infocornouaille-3_sql.md",
    "hugo": "jgazeau-tab-container.md",
    "jekyll": "jekyll-includes.md",
    "docusaurus": "leon-ai-http-api.md",
    "pandoc": "InseeFrLab-Fiche_se_documenter.md",
}
_WORD = re.compile(r"[^\W\d_]{2,}")

# The generators' syntax, as a reader of the page sees it (prose titles left out).
SYNTAX = {
    "admonition": re.compile(r"(?m)^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*"),
    "tab": re.compile(r'(?m)^[ \t]*===[!+]?[ \t]+"'),
    "directive": re.compile(r"(?m)^[ \t]*:{3,}[ \t]*(?:\{[^}\n]*\}|[\w-]*)"),
    "shortcode": re.compile(r"\{\{[<%].*?[>%]\}\}"),
    "liquid": re.compile(r"\{%.*?%\}|\{\{(?![<%]).*?\}\}"),
    "attributes": re.compile(r"\{:[^{}\n]*\}|\{[ \t]*[.#][\w-][^{}\n]*\}"),
    "abbreviation": re.compile(r"(?m)^\*\[[^\]\n]+\]:"),
    "emoji": re.compile(r"(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w:/])"),
    "citation": re.compile(r"\[-?@[^\[\]\n]+\]"),
    "footnote": re.compile(r"\[\^[^\]\s]+\]:?"),
    "definition": re.compile(r"(?m)^[ \t]*:[ \t]+"),
    "task": re.compile(r"(?m)^[ \t]*[-*+][ \t]+\[[ xX]\]"),
    "alert": re.compile(r"(?m)^[ \t]*>[ \t]*\[![A-Za-z]+\]"),
    "mdx": re.compile(r"(?m)^(?:import|export)[ \t].*$"),
    "table rule": re.compile(
        r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?$"
    ),
    "fence": re.compile(r"(?m)^[ \t]*(?:`{3,}|~{3,}).*$"),
}


_PROSE_PARAMETER = re.compile(
    r'(?<![\w-])((?:title|caption|alt|label|description|summary)=)"[^"\n]*"'
)


def _skeleton(construct: str) -> str:
    """A construct without the values of its prose parameters (`title="…"`), which are
    translated."""
    return _PROSE_PARAMETER.sub(r'\1""', construct) if "{{" in construct else construct


def _dialect(page: Path) -> str:
    return page.parent.name


def _options(page: Path) -> MarkdownOptions:
    """As the workspaces below are set: the folder's dialect, shadocs's code shortcode."""
    return MarkdownOptions(_dialect(page), code_shortcodes=("highlight", "snippet", "intro"))


def _doc(page: Path) -> Document:
    return read_document(page, ROOT, "fr", _options(page))


def test_every_dialect_has_six_sourced_pages() -> None:
    sources = (ROOT / "SOURCES.md").read_text(encoding="utf-8")
    for dialect in DIALECTS:
        assert sum(_dialect(p) == dialect for p in PAGES) >= 6, dialect
    for page in PAGES:
        assert f"`{_dialect(page)}/{page.name}`" in sources, f"{page.name} has no origin"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_untranslated_round_trip_is_byte_exact(page: Path) -> None:
    assert render_markdown_source(_doc(page), Translations(), "en") == page.read_text("utf-8")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_msgid_is_longer_than_1500_characters(page: Path) -> None:
    longest = max((len(s.text) for s in _doc(page).segments()), default=0)
    assert longest <= 1500


def code_lines(text: str) -> set[int]:
    """The numbers of the lines inside fenced code, `{% highlight %}` and the `highlight`
    and `snippet` shortcodes."""
    lines: set[int] = set()
    closing: re.Pattern[str] | None = None
    front = re.match(r"(?s)\A(---|\+\+\+)\n.*?\n\1\n", text)
    skip = front.group(0).count("\n") if front else 0
    for number, line in enumerate(text.splitlines()):
        if number < skip:
            continue
        if closing is not None:
            if closing.match(line):
                closing = None
            else:
                lines.add(number)
            continue
        fence = re.match(r"^[ \t]*(`{3,}|~{3,})", line)
        if fence:
            mark = fence.group(1)
            closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
        elif re.search(r"\{%-?\s*highlight\b", line) and "endhighlight" not in line:
            closing = re.compile(r".*\{%-?\s*endhighlight")
        elif re.search(r"\{\{<\s*(highlight|snippet|intro)\b", line) and "/>}}" not in line:
            name = re.search(r"\{\{<\s*(\w+)", line).group(1)  # type: ignore[union-attr]
            closing = re.compile(rf".*\{{\{{<\s*/{name}")
    return lines


def _admonition_bodies_dedented(text: str) -> str:
    """MkDocs: the body of each admonition moved left by 4 columns, as Python-Markdown
    reads it (tabs are 4 columns), so that what is left indented is code."""
    out: list[str] = []
    bodies: list[int] = []  # the body column of each open admonition
    for line in text.expandtabs(4).split("\n"):
        lead = len(line) - len(line.lstrip(" "))
        if line.strip():
            while bodies and lead < bodies[-1]:
                bodies.pop()
        out.append(line[min(lead, 4 * len(bodies)) :])
        if re.match(r"^[ \t]*(?:!!!|\?\?\?\+?|===)", line):
            bodies.append(lead + 4)
    return "\n".join(out)


_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_code_line_reaches_the_template(page: Path) -> None:
    """A line of code is in no msgid, outside code spans (a documentation page may also show
    the same line as prose: such lines are left out)."""
    text = page.read_text("utf-8")
    msgids = [_CODE_SPAN.sub(" ", s.text) for s in _doc(page).segments()]
    lines = text.splitlines()
    numbers = code_lines(text)
    code = [lines[n].strip() for n in sorted(numbers) if len(lines[n].strip()) >= 8]
    prose = "\n".join(line for n, line in enumerate(lines) if n not in numbers)
    leaked = [c for c in code if c not in prose and any(c in msgid for msgid in msgids)]
    assert not leaked, f"{page.name}: code in the POT: {leaked[:5]}"


_NOT_PROSE = [
    re.compile(r"(?s)<!--.*?-->"),
    re.compile(r"`[^`\n]+`"),
    re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)"),  # link targets
    re.compile(r"(?m)^[ \t]*\[[^\]\n]+\]:[ \t]+\S+.*$"),  # reference definitions
    re.compile(r"https?://\S+|www\.\S+"),
    re.compile(r"</?[A-Za-z][^<>]*>"),  # tags, JSX ones over several lines (text stays)
    re.compile(r"(?m)^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*"),
    re.compile(r"(?m)^([ \t]*:{3,}[ \t]*)[\w-]+"),
    re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}"),
    re.compile(r"(?m)^[ \t]*\{\{(?![<%])[^}\n]*$"),  # a macro call over several lines
    re.compile(r"\{:[^{}\n]*\}|\{[ \t]*[.#][\w-][^{}\n]*\}|\{[^{}\n]*=[^{}\n]*\}"),
    re.compile(r"(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w:/])"),
    re.compile(r"\[-?@[^\[\]\n]+\]|(?<![\w@])@[\w:-]+"),
    re.compile(r"(?m)^(?:import|export)[ \t].*$"),
    re.compile(r"(?m)^\*\[[^\]\n]+\]:"),
    re.compile(r"\[![A-Za-z]+\]"),
]


def prose_words(page: Path) -> set[str]:
    """The words a reader sees as prose: no code, syntax, URLs, tags or front matter keys."""
    text = page.read_text("utf-8")
    words: set[str] = set()
    front = re.match(r"(?s)\A(---|\+\+\+)\n(.*?)\n\1\n", text)
    if front:
        for line in front.group(2).splitlines():
            found = re.match(r"^([\w-]+)[ \t]*[:=][ \t]*(.*)$", line)
            if found and found.group(1) in FRONT_MATTER_KEYS:
                words.update(_WORD.findall(found.group(2)))
        text = text[front.end() :]
    if _dialect(page) == "mkdocs":
        text = _admonition_bodies_dedented(text)
    code = code_lines(text)
    for token in MarkdownIt("commonmark").parse(text):  # indented code blocks
        if token.type == "code_block" and token.map:
            code.update(range(token.map[0], token.map[1]))
    text = "\n".join(line for n, line in enumerate(text.splitlines()) if n not in code)
    text = re.sub(r"(?is)<(style|script|title)\b.*?</\1>", " ", text)  # never shown
    text = re.sub(r"(?m)^[ \t]*(?:`{3,}|~{3,}).*$", " ", text)  # fences and their info
    text = re.sub(r"(?s)\{\{[<%].*?[>%]\}\}", " ", text)  # shortcodes over several lines
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    words.update(_WORD.findall(text))
    return words


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_prose_word_reaches_the_template(page: Path) -> None:
    in_pot: set[str] = set()
    for segment in _doc(page).segments():
        in_pot.update(_WORD.findall(segment.text))
    missing = sorted(prose_words(page) - in_pot)
    assert not missing, f"{page.name}: not in the POT: {missing[:20]}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_template(dialect: str) -> None:
    page = ROOT / dialect / GOLDEN[dialect]
    assert_golden(format_po(build_template(_doc(page))), page.with_suffix(".pot"))


@pytest.fixture(scope="module")
def pseudo_workspaces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace per dialect, through the CLI: update, pseudo, export."""
    base = tmp_path_factory.mktemp("dialects")
    runner = CliRunner()
    for dialect in DIALECTS:
        root = base / dialect
        (root / "source").mkdir(parents=True)
        for page in PAGES:
            if _dialect(page) == dialect:
                shutil.copy(page, root / "source" / page.name)
        (root / "tirage.toml").write_text(
            'source_language = "fr"\ntarget_languages = ["en"]\n\n[translate]\n'
            f'engine = "pseudo"\n\n[markdown]\ndialect = "{dialect}"\n'
            # the shortcodes of this corpus's Hugo theme (shadocs) that hold code or data
            'code_shortcodes = ["highlight", "snippet", "intro"]\n',
            encoding="utf-8",
        )
        for args in (
            ["update", "-q"],
            ["translate", "--to", "en", "-q"],
            ["export", "--include-fuzzy", "--threshold", "0", "-q", "--format", "md"],
        ):
            result = runner.invoke(main, [*args, "--workspace", str(root)])
            assert result.exit_code == 0, result.output
    return base


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_construct_survives_pseudo_translation(pseudo_workspaces: Path, page: Path) -> None:
    root = pseudo_workspaces / _dialect(page)
    edition = (root / "editions" / "en" / f"{page.stem}.md").read_text("utf-8")
    source = page.read_text("utf-8")
    for kind, pattern in SYNTAX.items():
        wanted = Counter(_skeleton(found.group(0)) for found in pattern.finditer(source))
        got = Counter(_skeleton(found.group(0)) for found in pattern.finditer(edition))
        lost = wanted - got
        assert not lost, f"{page.name}: {kind} changed in the edition: {list(lost)[:5]}"


def _findings(po: polib.POFile, copy: bool) -> list[str]:
    for entry in po:
        if entry.msgid and copy:
            entry.msgstr = entry.msgid
    found = check_catalog(po, "page.po", Context("fr", "en"))
    return [f.format() for f in found if f.severity == ERROR and f.check != "leftovers"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_check_finds_no_error_on_correct_translations(pseudo_workspaces: Path, page: Path) -> None:
    po = read_po(pseudo_workspaces / _dialect(page) / "locales" / "en" / f"{page.stem}.po")
    assert _findings(po, copy=False) == []  # the pseudo translation
    assert _findings(po, copy=True) == []  # each msgid copied as its translation
