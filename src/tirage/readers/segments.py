"""Shared by the readers: cut a block's source pieces into sentence Segments."""

from __future__ import annotations

import re

from tirage.document import Segment, Span, line_of
from tirage.text.addresses import without_addresses
from tirage.text.segment import split_sentences

_LETTER = re.compile(r"[^\W\d_]")


def normalise(text: str) -> str:
    """The msgid form of source text: whitespace runs (line breaks included) become one space."""
    return " ".join(text.split())  # str.split's whitespace is the same as the regex `\s`


def translatable(text: str) -> bool:
    """Whether text has words to translate: not only links, addresses, numbers, punctuation."""
    return _LETTER.search(without_addresses(text)) is not None


def segment_pieces(source: str, pieces: list[Span], role: str, lang: str) -> list[Segment]:
    """Split the text of `pieces`, read as one run joined by spaces, into sentences.

    A sentence that crosses from one piece into the next (a line or page break inside it)
    becomes one segment with several pieces.
    """
    joined = " ".join(source[start:end] for start, end in pieces)
    # offsets[i] is where piece i starts inside `joined`.
    offsets: list[int] = []
    position = 0
    for start, end in pieces:
        offsets.append(position)
        position += end - start + 1
    segments: list[Segment] = []
    for v_start, v_end in split_sentences(joined, lang):
        parts: list[Span] = []
        for (p_start, p_end), offset in zip(pieces, offsets, strict=True):
            lo = max(v_start, offset)
            hi = min(v_end, offset + p_end - p_start)
            if lo >= hi:
                continue
            s, e = p_start + lo - offset, p_start + hi - offset
            while s < e and source[s].isspace():
                s += 1
            while e > s and source[e - 1].isspace():
                e -= 1
            if s < e:
                parts.append((s, e))
        text = normalise(joined[v_start:v_end])
        if parts and translatable(text):
            segments.append(Segment(text, role, line_of(source, parts[0][0]), tuple(parts)))
    return segments
