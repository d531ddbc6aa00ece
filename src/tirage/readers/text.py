"""Raw text articles, as newspapers' systems export them (the seed is one).

Layout recognised:
- a header of short lines before the first blank line: an optional kicker (the rubric,
  e.g. "Lyon"), the title, and breadcrumbs ("Lyon # Réseaux d'accompagnement", or with `›`);
- the standfirst: the first prose paragraph after the header;
- then paragraphs; one ending with "?" is the interviewer's question, and the paragraphs
  after it are the answer.
A paragraph that stops without final punctuation and whose next paragraph starts in lower
case was cut by a page break: both are one block. A block repeated verbatim keeps the role
of its first copy and is marked `repeat`, so the catalog gives it one entry.
"""

from __future__ import annotations

import re
from pathlib import Path

from tirage.document import Block, Document, Span, line_of
from tirage.readers.segments import normalise, segment_pieces

_BREADCRUMB = re.compile(r"\S.* [#›] \S")  # `›`: a trail as tirage's text editions write it
_FINAL = tuple('.!?…»"”:;)')
KICKER_MAX = 60


# A block before segmentation: its role, source pieces, and whether it repeats an earlier one.
_Draft = tuple[str, list[Span], bool]


def read_text(path: Path, name: str, text: str, lang: str) -> Document:
    drafts: list[_Draft] = []
    paragraphs = _paragraphs(text)
    if paragraphs:
        _header_blocks(text, paragraphs[0], drafts)
        _body_blocks(text, _repair_breaks(text, paragraphs[1:]), drafts)
    blocks = []
    for role, pieces, repeat in drafts:
        span = (pieces[0][0], pieces[-1][1])
        block = Block(role, span, line_of(text, span[0]), segment_pieces(text, pieces, role, lang))
        if repeat:
            block.attrs["repeat"] = "1"
        blocks.append(block)
    return Document(path=path, name=name, format="text", text=text, blocks=blocks)


def _paragraphs(text: str) -> list[list[Span]]:
    """Runs of non-blank lines, as lists of line spans (without the newline)."""
    result: list[list[Span]] = []
    current: list[Span] = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            current.append((start, start + len(line)))
        elif current:
            result.append(current)
            current = []
        start += len(line) + 1
    if current:
        result.append(current)
    return result


def _header_blocks(text: str, lines: list[Span], drafts: list[_Draft]) -> None:
    if len(lines) == 1:
        drafts.append(("title", lines, False))
        return
    titled = False
    for index, span in enumerate(lines):
        line = text[span[0] : span[1]].strip()
        if _BREADCRUMB.match(line):
            role = "breadcrumb"
        elif index == 0 and len(line) <= KICKER_MAX and not line.endswith(_FINAL):
            role = "kicker"
        elif not titled:
            role, titled = "title", True
        else:
            role = "paragraph"
        drafts.append((role, [span], False))


def _body_blocks(text: str, paragraphs: list[list[Span]], drafts: list[_Draft]) -> None:
    def content(pieces: list[Span]) -> str:
        return normalise(" ".join(text[s:e] for s, e in pieces))

    has_title = any(role == "title" for role, _, _ in drafts)
    seen = {content(pieces): role for role, pieces, _ in drafts}
    seen_question = seen_prose = False
    for pieces in paragraphs:
        key = content(pieces)
        if key in seen:
            drafts.append((seen[key], pieces, True))
            continue
        if _BREADCRUMB.match(key) and len(pieces) == 1:
            role = "breadcrumb"
        elif key.endswith("?"):
            role, seen_question = "question", True
        elif seen_question:
            role = "answer"
        elif has_title and not seen_prose:
            role = "standfirst"
        else:
            role = "paragraph"
        seen_prose = seen_prose or role != "breadcrumb"
        seen[key] = role
        drafts.append((role, pieces, False))


def _repair_breaks(text: str, paragraphs: list[list[Span]]) -> list[list[Span]]:
    """Join a paragraph cut in mid-sentence by a page break with its continuation."""
    result: list[list[Span]] = []
    for pieces in paragraphs:
        if result:
            previous = text[result[-1][-1][0] : result[-1][-1][1]].rstrip()
            first = text[pieces[0][0] : pieces[0][1]].lstrip()
            if not previous.endswith(_FINAL) and first[:1].islower():
                result[-1] = result[-1] + pieces
                continue
        result.append(list(pieces))
    return result
