"""The document model shared by readers, the catalog and the edition writers.

A Document keeps the exact source text; every Block and Segment points into it by span,
so that an edition is the source with each segment span replaced (as po4a does).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

Span = tuple[int, int]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)  # slots: a big source has a million of them
class Segment:
    """One translatable sentence.

    `text` is the normalised msgid; `pieces` are the source spans it was joined from
    (more than one when a page break or a line break cut the sentence). An edition replaces
    the whole `span`, first piece to last, with the translation: the break goes with it.
    """

    text: str
    role: str
    line: int
    pieces: tuple[Span, ...]

    @property
    def span(self) -> Span:
        return (self.pieces[0][0], self.pieces[-1][1])


@dataclass(slots=True)
class Block:
    """A unit of editorial structure: title, kicker, question, answer, paragraph…"""

    role: str
    span: Span
    line: int
    segments: list[Segment] = field(default_factory=list)
    # Extra facts a writer may need (heading level, list ordinal, front matter key…).
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    path: Path
    name: str  # path relative to the workspace, e.g. "source/interview.txt"
    format: str  # "text", "markdown" or "html"
    text: str
    blocks: list[Block]
    # HTML sources: the charset the page was read in, and places in it an edition edits
    # (the <html> tag, the charset declaration, the end of the head…).
    encoding: str = "utf-8"
    marks: dict[str, Span] = field(default_factory=dict)
    # What the reader read one way where a setting could make it read another: (line, what).
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem

    def segments(self) -> list[Segment]:
        return [seg for block in self.blocks for seg in block.segments]


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return bisect_right(_newlines(text), offset - 1) + 1


def forget_lines() -> None:
    """Drop the line indexes `line_of` keeps, and with them the texts they were made of."""
    _newlines.cache_clear()


def drain(items: list[T]) -> Iterator[T]:
    """The items of `items` in order, each dropped from the list as it is taken: a reader
    frees its parser's tokens while it builds the Document."""
    items.reverse()
    while items:
        yield items.pop()


@lru_cache(maxsize=8)
def _newlines(text: str) -> array[int]:
    # Readers ask for the line of every segment: counting from the start each time would be
    # quadratic on long documents. (A str caches its hash, so the lookup is cheap.) An array,
    # not a list: a 50 MB source has hundreds of thousands of lines, and as many int
    # objects among the Document's would keep its memory from going back once it is freed.
    return array("q", (match.start() for match in re.finditer("\n", text)))
