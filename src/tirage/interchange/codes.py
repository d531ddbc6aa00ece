"""Inline codes: a msgid cut into text and the markup it carries, for XLIFF and TMX.

What counts as markup is what machine translation masks (`text.protect`): HTML tags,
character references, code spans, URLs, placeholders, formats, templates. In a Markdown
document, emphasis marks and the brackets of a link are markup too. An opening HTML tag and
its closing tag, or two emphasis marks, or `[` and `](target)`, make a pair; anything else
stands alone.

The catalog is the authority on what a code stands for: a file coming back names its codes
by id only, and each id is looked up in the msgid's own codes. A CAT tool can move, nest or
drop codes in its editor, never change what they stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tirage.text.html_markup import VOID
from tirage.text.protect import find_protected

_OPEN_TAG = re.compile(r"<([A-Za-z][\w:-]*)(?:\s[^<>]*)?>", re.DOTALL)
_CLOSE_TAG = re.compile(r"</([A-Za-z][\w:-]*)\s*>")
# Emphasis as CommonMark mostly reads it: a mark that opens before a non-space and closes
# after one; underscores never inside a word.
_EMPHASIS = (
    re.compile(r"(?<![\\*])(\*\*)(?=\S)(.+?)(?<=\S)\*\*(?!\*)"),
    re.compile(r"(?<![\w\\_])(__)(?=\S)(.+?)(?<=\S)__(?![\w_])"),
    re.compile(r"(?<![\\*])(\*)(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?!\*)"),
    re.compile(r"(?<![\w\\_])(_)(?=[^\s_])(.+?)(?<=[^\s_\\])_(?![\w_])"),
)

PH, START, END = "ph", "start", "end"


@dataclass(frozen=True)
class Code:
    """One piece of markup: alone (`ph`), or one end of a pair that shares its id."""

    id: str
    kind: str  # ph | start | end
    data: str  # the markup as the msgid has it
    kind_of: str = "fmt"  # fmt | link: an <a> tag or a Markdown link's brackets

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.kind)


Piece = str | Code


def markup_kind(reference: str) -> str:
    """text | markdown | html, from a `#:` reference's file name."""
    name = reference.rsplit(":", 1)[0].lower() if ":" in reference else reference.lower()
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    return "text"


def split_codes(text: str, kind: str = "text") -> list[Piece]:
    """`text` as text pieces and codes, in order; joining every piece's text gives `text`."""
    protected = find_protected(text)
    if kind == "text":  # tags and character references are HTML's, not plain text's
        protected = [(s, e) for s, e in protected if text[s] not in "<&"]
    spans = _tag_spans(text, protected)
    if kind == "markdown":
        spans = _markdown_spans(text, spans)
    spans.sort()
    pieces: list[Piece] = []
    last = 0
    for (start, end, role, _), code_id in zip(spans, _number(spans), strict=True):
        if start > last:
            pieces.append(text[last:start])
        data = text[start:end]
        link = role != PH and data.startswith(("[", "](", "][", "<a ", "<a>", "</a"))
        pieces.append(Code(code_id, role, data, "link" if link else "fmt"))
        last = end
    if last < len(text):
        pieces.append(text[last:])
    return pieces


# (start, end, role, group): a start and an end pair up when their groups are the same.
Span = tuple[int, int, str, str]


def _tag_spans(text: str, protected: list[tuple[int, int]]) -> list[Span]:
    out: list[Span] = []
    for start, end in protected:
        raw = text[start:end]
        opening = _OPEN_TAG.fullmatch(raw)
        closing = _CLOSE_TAG.fullmatch(raw)
        if closing:
            out.append((start, end, END, closing.group(1).lower()))
        elif opening and not raw.endswith("/>") and opening.group(1).lower() not in VOID:
            out.append((start, end, START, opening.group(1).lower()))
        else:
            out.append((start, end, PH, ""))
    return out


def _markdown_spans(text: str, spans: list[Span]) -> list[Span]:
    taken = [(s, e) for s, e, _, _ in spans]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    out = list(spans)
    # A link: `[` … `](target)` or `][label]`; protect's span starts after the `]`.
    for index, (start, end, role, _) in enumerate(spans):
        if role == PH and start > 0 and text[start - 1] == "]" and text[start] in "([":
            opening = text.rfind("[", 0, start - 1)
            if opening >= 0 and free(opening, opening + 1) and free(start - 1, start):
                out[index] = (start - 1, end, END, "[")
                out.append((opening, opening + 1, START, "["))
                taken.extend([(opening, opening + 1), (start - 1, start)])
    for pattern in _EMPHASIS:
        for found in pattern.finditer(text):
            mark = found.group(1)
            head = (found.start(), found.start() + len(mark))
            tail = (found.end() - len(mark), found.end())
            if free(*head) and free(*tail):
                out.extend([(*head, START, mark), (*tail, END, mark)])
                taken.extend([head, tail])
    return out


def _number(spans: list[Span]) -> list[str]:
    """Each code's id, in order of appearance; an end takes the id of the nearest open
    start of its group (the same tag, the same emphasis mark, a link's `[`)."""
    ids: list[str] = []
    open_starts: list[int] = []  # indexes into spans
    for index, (_, _, role, group) in enumerate(spans):
        match = None
        if role == END:
            match = next((i for i in reversed(open_starts) if spans[i][3] == group), None)
        if match is None:
            ids.append(str(len(set(ids)) + 1))
            if role == START:
                open_starts.append(index)
        else:
            open_starts.remove(match)
            ids.append(ids[match])
    return ids


def codes_of(pieces: list[Piece]) -> dict[tuple[str, str], Code]:
    """The codes of a text by (id, kind): what a returning file's codes are looked up in."""
    return {piece.key: piece for piece in pieces if isinstance(piece, Code)}


def join(pieces: list[Piece]) -> str:
    return "".join(piece.data if isinstance(piece, Code) else piece for piece in pieces)
