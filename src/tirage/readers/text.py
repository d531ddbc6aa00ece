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

READMEs, changelogs and transcripts: list items, headings, commands, code blocks and version
lines are found line by line (`text_lines.py`); only prose, items and headings are read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tirage.document import Block, Document, Span, line_of
from tirage.readers.segments import normalise, segment_pieces
from tirage.readers.text_lines import Unit, plain_paragraph, read_units

_BREADCRUMB = re.compile(r"\S.* [#›] \S")  # `›`: a trail as tirage's text editions write it
_FINAL = tuple('.!?…»"”:;)')
KICKER_MAX = 60
_UNIT_ROLES = {"item": "list_item", "heading": "heading", "code": "code", "version": "version"}
SYNTAX_ROLES = frozenset({"code", "version"})  # blocks shown in editions, never translated


# A block before segmentation: its role, source pieces, and whether it repeats an earlier one.
_Draft = tuple[str, list[Span], bool]


def read_text(path: Path, name: str, text: str, lang: str) -> Document:
    drafts: list[_Draft] = []
    units, paras = read_units(text)
    header = _header(text, paras)
    if header:
        _header_blocks(text, header, drafts)
        units = [u for u in units if u.first_line > paras[0][-1]]
    _body_blocks(text, _repair_breaks(text, units), drafts)
    blocks = []
    for role, pieces, repeat in drafts:
        span = (pieces[0][0], pieces[-1][1])
        segments = [] if role in SYNTAX_ROLES else segment_pieces(text, pieces, role, lang)
        block = Block(role, span, line_of(text, span[0]), segments)
        if repeat:
            block.attrs["repeat"] = "1"
        blocks.append(block)
    return Document(path=path, name=name, format="text", text=text, blocks=blocks)


def _header(text: str, paras: list[list[int]]) -> list[Span]:
    """The lines of the page's header: its first paragraph, when it is short lines of prose
    (a kicker, a title, breadcrumbs), not a sentence wrapped over several lines."""
    if not paras:
        return []
    lines = text.split("\n")
    first = [lines[i].removesuffix("\r") for i in paras[0]]
    if not plain_paragraph(first) or any(line.lstrip()[:1].islower() for line in first[1:]):
        return []
    if any(_wrapped(line) for line in first[:-1]):
        return []
    spans: list[Span] = []
    offset = sum(len(line) + 1 for line in lines[: paras[0][0]])
    for index, line in zip(paras[0], first, strict=True):
        spans.append((offset, offset + len(line)))
        offset += len(lines[index]) + 1
    return spans


def _wrapped(line: str) -> bool:
    """A line that fills the width with no closing punctuation: its sentence goes on."""
    line = line.rstrip()
    return len(line) > KICKER_MAX and not line.endswith(_FINAL)


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


def _body_blocks(text: str, units: list[Unit], drafts: list[_Draft]) -> None:
    def content(pieces: list[Span]) -> str:
        return normalise(" ".join(text[s:e] for s, e in pieces))

    has_title = any(role == "title" for role, _, _ in drafts)
    seen = {content(pieces): role for role, pieces, _ in drafts}
    seen_question = seen_prose = False
    for unit in units:
        pieces = unit.pieces
        if unit.kind in ("code", "version"):
            drafts.append((unit.kind, pieces, False))
            continue
        key = content(pieces)
        # A numbered question alone in its paragraph is an interview's question.
        question = unit.kind == "item" and unit.alone and key.endswith("?")
        if unit.kind != "prose" and not question:  # an item or a heading: never a repeat
            drafts.append((_UNIT_ROLES[unit.kind], pieces, False))
            seen_prose = True
            continue
        # A repeat is the same lines, marker included ("1. Oui ?" is not "2. Oui ?").
        whole = normalise(text[text.rfind("\n", 0, pieces[0][0]) + 1 : pieces[-1][1]])
        if whole in seen:
            drafts.append((seen[whole], pieces, True))
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
        seen[whole] = role
        drafts.append((role, pieces, False))


def _repair_breaks(text: str, units: list[Unit]) -> list[Unit]:
    """Join a paragraph cut in mid-sentence by a page break with its continuation."""
    result: list[Unit] = []
    for unit in units:
        if result and unit.kind == "prose" and result[-1].kind == "prose":
            last = result[-1].pieces[-1]
            previous = text[last[0] : last[1]].rstrip()
            first = text[unit.pieces[0][0] : unit.pieces[0][1]].lstrip()
            between = text[last[1] : unit.pieces[0][0]]
            if not previous.endswith(_FINAL) and first[:1].islower() and not between.strip():
                result[-1] = Unit("prose", result[-1].pieces + unit.pieces, result[-1].first_line)
                continue
        result.append(replace(unit, pieces=list(unit.pieces)))
    return result
