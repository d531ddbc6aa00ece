"""CommonMark documents, parsed with markdown-it-py (plus tables and YAML front matter).

markdown-it-py gives line maps, not character offsets, so each inline run is located in the
source by searching its lines in order from a cursor: container markers ("> ", "- ",
indentation) are outside the located pieces and survive reassembly untouched.
Inline markup stays in the msgid as written, so the translator can move it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tirage.document import Block, Document, Segment, Span, line_of
from tirage.errors import SourceError
from tirage.readers.html import read_fragment
from tirage.readers.segments import segment_pieces

FRONT_MATTER_KEYS = ("title", "description")
_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list_item",
    "th_open": "table_cell",
    "td_open": "table_cell",
}
_SKIPPED = {"fence": "code", "code_block": "code", "html_block": "html"}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def read_markdown(path: Path, name: str, text: str, lang: str) -> Document:
    tokens = _parser().parse(text)
    line_starts = _line_starts(text)
    blocks: list[Block] = []
    stack: list[str] = []
    heading_level = ""
    cursor = 0
    for token in tokens:
        if token.type in _CONTAINERS:
            stack.append(_CONTAINERS[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _CONTAINERS:
            stack.pop()
        elif token.type == "heading_open":
            heading_level = token.tag[1:]
        elif token.type == "heading_close":
            heading_level = ""
        elif token.type == "front_matter":
            blocks.extend(_front_matter(path, text, token, line_starts))
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
            block = Block(
                role, span, line_of(text, span[0]), segment_pieces(text, pieces, role, lang)
            )
            if heading_level:
                block.attrs["level"] = heading_level
            blocks.append(block)
    return Document(path=path, name=name, format="markdown", text=text, blocks=blocks)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    starts.append(len(text) + 1)  # one past the end, so map[1] of the last block resolves
    return starts


def _locate(text: str, token: Token, line_starts: list[int], cursor: int) -> tuple[list[Span], int]:
    """Find each line of an inline token's content in the source, in order."""
    assert token.map is not None
    cursor = max(cursor, line_starts[token.map[0]])
    limit = min(line_starts[token.map[1]], len(text))
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


def _front_matter(path: Path, text: str, token: Token, line_starts: list[int]) -> list[Block]:
    """`title` and `description` are translatable; every other key is data."""
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
        if key not in FRONT_MATTER_KEYS or not isinstance(value, str) or not value.strip():
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
