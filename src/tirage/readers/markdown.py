"""Markdown documents, parsed with markdown-it-py: CommonMark plus tables, footnotes,
definition lists and YAML or TOML front matter, after the dialect pass of
`markdown_dialects` (admonitions, directives, shortcodes, Liquid, attribute lists…).

markdown-it-py gives line maps, not character offsets, so each inline run is located in the
source by searching its lines in order from a cursor: container markers ("> ", "- ",
indentation) are outside the located pieces and survive reassembly untouched.
Inline markup stays in the msgid as written, so the translator can move it, with three
exceptions that keep segments whole and markup balanced (`_inline_segments`):
- a paragraph wholly in emphasis (`*…*`, `**…**`) is cut into sentences inside its marks,
  which stay outside the segments;
- a sentence that would leave an emphasis, code span or bracket open is joined with the next;
- a first line that is only a term in emphasis (`_[Cache](…)_`, then its definition on the next
  line) is a segment of its own.
A footnote's text is translated without its `[^1]:` marker, and the title of a link reference
definition (`[label]: url "title"`) is a segment of its own; its URL stays as written.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from tirage.document import Block, Document, Segment, Span, drain, line_of
from tirage.errors import SourceError
from tirage.readers.html import read_fragment
from tirage.readers.markdown_dialects import (
    FRONT_MATTER_KEYS,
    MarkdownOptions,
    has_prose,
    make_view,
)
from tirage.readers.segments import normalise, segment_pieces
from tirage.text.markdown_marks import balanced

__all__ = [
    "FRONT_MATTER_KEYS",
    "MAX_DEPTH",
    "MAX_NESTING",
    "deep_recursion",
    "markdown_parser",
    "read_markdown",
]

_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list_item",
    "th_open": "table_cell",
    "td_open": "table_cell",
    "dt_open": "term",
    "dd_open": "definition",
    "footnote_reference_open": "footnote",
}
_SKIPPED = {"fence": "code", "code_block": "code", "html_block": "html"}
# Blockquotes and lists are read this deep; a deeper page is refused at the line where the
# limit is passed. markdown-it's own limit (20 in its CommonMark preset) drops the rest of
# the page in silence, so it is raised and watched (`_WatchedBlocks`).
MAX_DEPTH = 1000
MAX_NESTING = 2 * MAX_DEPTH + 8  # a list level opens two tokens (the list, its item)


class TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _WatchedBlocks(ParserBlock):
    """markdown-it's block parser, failing where it would skip the rest of a nested block."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(startLine)
            if line < endLine:
                raise TooDeep(line)
        super().tokenize(state, startLine, endLine)


def markdown_parser() -> MarkdownIt:
    """The parser the reader and the HTML edition share, with its nesting watched."""
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    watched = _WatchedBlocks()
    watched.ruler = parser.block.ruler
    parser.block = watched
    parser.enable("table").use(front_matter_plugin).use(deflist_plugin)
    parser.use(footnote_plugin, inline=False, move_to_end=False)
    # Inline runs are kept as written, so their inline parse is not needed (it is half of
    # markdown-it's time): `_inside_wrapping_emphasis` parses the few runs that need it.
    parser.disable("inline")
    return parser


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Room on Python's stack for markdown-it's recursion at MAX_DEPTH."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, 20 * MAX_NESTING))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def parse(path: Path, parser: MarkdownIt, text: str, env: dict[str, object]) -> list[Token]:
    """markdown-it's tokens, or one SourceError at the line nested too deep."""
    try:
        with deep_recursion():
            return parser.parse(text, env)
    except TooDeep as deep:
        raise SourceError(
            f"blockquotes or lists nested more than {MAX_DEPTH:,} deep (tirage reads "
            f"{MAX_DEPTH:,} levels)",
            path,
            deep.line + 1,
        ) from None


def read_markdown(
    path: Path, name: str, text: str, lang: str, options: MarkdownOptions | None = None
) -> Document:
    options = options or MarkdownOptions(mdx=path.suffix.lower() == ".mdx")
    view = make_view(text, options, lang)
    env: dict[str, object] = {}
    tokens = parse(path, markdown_parser(), view.text, env)
    line_starts = _line_starts(text)
    blocks: list[Block] = list(view.blocks)
    for start, end in view.html:
        blocks.extend(read_fragment(text, start, end, lang))
    blocks.extend(_toml_front_matter(path, text, options.front_matter))
    stack: list[str] = []
    heading_level = ""
    cursor = 0
    for token in drain(tokens):
        if token.type in _CONTAINERS:
            stack.append(_CONTAINERS[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _CONTAINERS:
            stack.pop()
        elif token.type == "heading_open":
            heading_level = token.tag[1:]
        elif token.type == "heading_close":
            heading_level = ""
        elif token.type == "front_matter":
            blocks.extend(_front_matter(path, text, token, line_starts, options.front_matter))
        elif token.type == "html_block" and token.map:  # the HTML reader's rules apply
            end = min(line_starts[token.map[1]], len(text))
            blocks.extend(read_fragment(text, line_starts[token.map[0]], end, lang))
        elif token.type in _SKIPPED and token.map:
            start, end = line_starts[token.map[0]], line_starts[token.map[1]]
            blocks.append(Block(_SKIPPED[token.type], (start, end), token.map[0] + 1))
        elif token.type == "inline" and token.map:
            role = "heading" if heading_level else (stack[-1] if stack else "paragraph")
            pieces, cursor = _locate(text, token, line_starts, cursor)
            if not pieces:
                continue
            span = (pieces[0][0], pieces[-1][1])
            segments = _inline_segments(text, token, pieces, role, lang)
            block = Block(role, span, line_of(text, span[0]), segments)
            if heading_level:
                block.attrs["level"] = heading_level
            blocks.append(block)
    blocks.extend(_reference_titles(text, env, line_starts, lang))
    blocks.sort(key=lambda b: b.span[0])
    doc = Document(path=path, name=name, format="markdown", text=text, blocks=blocks)
    doc.notes = view.notes
    return doc


_FOOTNOTE_MARKER = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")
_TERM_LINE = re.compile(r"(\*\*|__|\*|_)(?=\S).*\S\1|(\*\*|__|\*|_)\S\2")
_ENDS_SENTENCE = re.compile(r"[.!?…:;]\W*$")


def _inline_segments(
    text: str, token: Token, pieces: list[Span], role: str, lang: str
) -> list[Segment]:
    """The sentences of one inline run, with the exceptions of the module notes."""
    first_start, first_end = pieces[0]
    marker = _FOOTNOTE_MARKER.match(text, first_start, first_end)
    if marker:
        if marker.end() >= first_end:
            pieces = pieces[1:]
        else:
            pieces = [(marker.end(), first_end), *pieces[1:]]
        if not pieces:
            return []
    pieces = _inside_wrapping_emphasis(text, token, pieces)
    groups = [pieces]
    head = text[pieces[0][0] : pieces[0][1]]
    if (
        len(pieces) > 1
        and _TERM_LINE.fullmatch(head)
        and not _ENDS_SENTENCE.search(head)
        and not text[pieces[1][0]].islower()  # a lowercase next line continues the sentence
    ):
        groups = [pieces[:1], pieces[1:]]
    segments: list[Segment] = []
    for group in groups:
        segments.extend(_balanced(text, segment_pieces(text, group, role, lang)))
    return [segment for segment in segments if has_prose(segment.text)]


def _inside_wrapping_emphasis(text: str, token: Token, pieces: list[Span]) -> list[Span]:
    """The pieces without the marks of an emphasis that wraps the whole run, if one does."""
    content = token.content
    if content[:1] not in ("*", "_") or content[-1:] not in ("*", "_"):
        return pieces  # cannot be wrapped in emphasis: no inline parse needed
    children = _inline_parser().parseInline(content)[0].children or []
    if len(children) < 3 or children[0].type not in ("em_open", "strong_open"):
        return pieces
    opening = children[0]
    closing = opening.type.replace("_open", "_close")
    depth = 0
    for index, child in enumerate(children):
        if child.type == opening.type:
            depth += 1
        elif child.type == closing:
            depth -= 1
            if depth == 0 and index != len(children) - 1:
                return pieces  # the emphasis closes before the end: it does not wrap the run
    mark = opening.markup
    (start, first_end), (last_start, end) = pieces[0], pieces[-1]
    if not (text.startswith(mark, start) and text.endswith(mark, 0, end)):
        return pieces
    if len(pieces) == 1:
        inner = (start + len(mark), end - len(mark))
        return [inner] if inner[0] < inner[1] else pieces
    return [(start + len(mark), first_end), *pieces[1:-1], (last_start, end - len(mark))]


def _balanced(text: str, segments: list[Segment]) -> list[Segment]:
    """Join a sentence that leaves inline markup open with the ones after it, until it closes."""
    out: list[Segment] = []
    for segment in segments:
        if out and not balanced(out[-1].text):
            previous = out.pop()
            pieces = list(previous.pieces)
            gap = text[pieces[-1][1] : segment.pieces[0][0]]
            if "\n" not in gap:  # the same line: one piece
                pieces[-1] = (pieces[-1][0], segment.pieces[0][1])
                pieces.extend(segment.pieces[1:])
            else:
                pieces.extend(segment.pieces)
            joined = normalise(previous.text + " " + segment.text)
            segment = Segment(joined, previous.role, previous.line, tuple(pieces))
        out.append(segment)
    return out


_TITLE_QUOTES = {'"': '"', "'": "'", "(": ")"}


def _reference_titles(
    text: str, env: dict[str, object], line_starts: list[int], lang: str
) -> list[Block]:
    """A segment for the title of each link reference definition; the URL stays as is."""
    references = env.get("references")
    if not isinstance(references, dict):
        return []
    blocks: list[Block] = []
    for reference in references.values():
        title, where = reference.get("title"), reference.get("map")
        if not title or not where:
            continue
        start, end = line_starts[where[0]], min(line_starts[where[1]], len(text))
        for opening, closing in _TITLE_QUOTES.items():
            found = text.rfind(opening + title + closing, start, end)
            if found >= 0:
                span = (found + 1, found + 1 + len(title))
                segments = segment_pieces(text, [span], "link_title", lang)
                if segments:
                    blocks.append(Block("link_title", span, line_of(text, span[0]), segments))
                break
    return blocks


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    starts.append(len(text) + 1)  # one past the end, so map[1] of the last block resolves
    return starts


def _locate(text: str, token: Token, line_starts: list[int], cursor: int) -> tuple[list[Span], int]:
    """Find each line of an inline token's content in the source, in order."""
    assert token.map is not None
    cursor = max(cursor, line_starts[token.map[0]])
    last = max(token.map[1], token.map[0] + 1)  # a definition list's term maps to [n, n]
    limit = min(line_starts[last], len(text))
    pieces: list[Span] = []
    for line in token.content.split("\n"):
        line = line.strip()
        if not line:
            continue
        found = text.find(line, cursor, limit)
        if found < 0:
            continue  # tab-expanded container content: leave that line untranslated
        pieces.append((found, found + len(line)))
        cursor = found + len(line)
    return pieces, cursor


_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]*(?P<value>\S.*?)[ \t]*$", re.M)


def _front_matter(
    path: Path, text: str, token: Token, line_starts: list[int], keys: tuple[str, ...]
) -> list[Block]:
    """The values of `keys` (`[markdown] front_matter`) are prose; every other key is data."""
    assert token.map is not None
    try:
        data = yaml.safe_load(token.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else token.map[0] + 1
        raise SourceError(
            f"invalid YAML front matter: {getattr(exc, 'problem', exc)}", path, line
        ) from None
    if not isinstance(data, dict):
        return []
    start = line_starts[token.map[0]]
    end = line_starts[token.map[1]] - 1
    blocks = []
    for match in _KEY_LINE.finditer(text, start, end):
        key, raw = match.group("key"), match.group("value")
        value = data.get(key)
        if key not in keys or not isinstance(value, str) or not has_prose(value):
            continue
        if _scalar(raw) != value:
            continue  # a block or multi-line scalar: left as it is
        quote = raw[0] if raw[0] in "\"'" and raw.endswith(raw[0]) and len(raw) > 1 else ""
        v_start = match.start("value") + len(quote)
        v_end = match.end("value") - len(quote)
        line = line_of(text, v_start)
        segment = Segment(value.strip(), "front_matter", line, ((v_start, v_end),))
        attrs = {"key": key, "quote": quote}
        blocks.append(Block("front_matter", (v_start, v_end), line, [segment], attrs))
    return blocks


def _scalar(raw: str) -> object:
    try:
        return yaml.safe_load(f"v: {raw}").get("v")
    except (yaml.YAMLError, AttributeError):
        return None


_TOML_LINE = re.compile(
    r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*=[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*')[ \t]*$", re.M
)


def _toml_front_matter(path: Path, text: str, keys: tuple[str, ...]) -> list[Block]:
    """Hugo's TOML front matter (`+++`): one-line string values of `keys` are prose."""
    if not text.startswith("+++"):
        return []
    end = text.find("\n+++", 3)
    if end < 0:
        return []
    head = text[text.index("\n") + 1 : end + 1]
    try:
        data = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"invalid TOML front matter: {exc}", path, 2) from None
    blocks = []
    for match in _TOML_LINE.finditer(text, 0, end):
        key, raw = match.group("key"), match.group("value")
        value = data.get(key)
        if key not in keys or not isinstance(value, str) or not has_prose(value):
            continue
        if "\\" in raw or value != raw[1:-1]:
            continue  # escapes: left as written
        v_start, v_end = match.start("value") + 1, match.end("value") - 1
        line = line_of(text, v_start)
        segment = Segment(normalise(value), "front_matter", line, ((v_start, v_end),))
        attrs = {"key": key, "quote": raw[0]}
        blocks.append(Block("front_matter", (v_start, v_end), line, [segment], attrs))
    return blocks
