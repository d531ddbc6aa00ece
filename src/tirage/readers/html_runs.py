"""A run of inline content between two blocks of an HTML page, and its sentences.

The segmenter sees the run's text with character references decoded and tags left out
(`plain`, each character mapped back to its source offsets). Each sentence then becomes a
source span that starts and ends on visible text and takes in the tags it needs to be
balanced (`<em>mot.</em>`, not `<em>mot.`); one whose tags would still be unbalanced (a link
across a sentence end) is joined with the next sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from html import unescape

from tirage.document import Segment, line_of
from tirage.readers.segments import translatable
from tirage.text.html_markup import CHARREF, collapse, decode_text
from tirage.text.segment import split_sentences

_SPACES = str.maketrans("\t\n\r\f", "    ")
OPAQUE_CHAR = "X"  # what the segmenter sees for an inline never-translated element
_SENTENCE_END = tuple(".!?…") + tuple(f"{p}{q}" for p in ".!?…" for q in "»\"”')]")
_WORD = re.compile(r"[^\W_]")
_TAG = re.compile(r"<[^>]*>")


def _blank(source: str, token: Tok) -> bool:
    return token[0] == "text" and not source[token[1] : token[2]].strip()


def icon(raw: str, name: str) -> bool:
    """A never-translated element with no text of its own (an `<svg>` icon, an empty
    `<code></code>`): it sits in a sentence as a space, never as a word."""
    return name == "svg" or _WORD.search(unescape(_TAG.sub("", raw))) is None


# kind ("text", "start", "end", "void", "opaque", "icon"), span, name
Tok = tuple[str, int, int, str]


@dataclass
class Run:
    """Inline content between two blocks: tokens with their spans, and the text the segmenter
    sees (`plain`, with the source offsets of each of its characters)."""

    role: str
    level: str
    tokens: list[Tok] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)  # pieces of the text the segmenter sees
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add_text(self, source: str, start: int, end: int) -> None:
        self.tokens.append(("text", start, end, ""))
        position = start
        for found in CHARREF.finditer(source, start, end):
            self._chars(source[position : found.start()], position)
            for char in unescape(found.group(0)):
                self.plain.append(char)
                self.starts.append(found.start())
                self.ends.append(found.end())
            position = found.end()
        self._chars(source[position:end], position)

    def _chars(self, chunk: str, at: int) -> None:
        self.plain.append(chunk.translate(_SPACES))
        self.starts.extend(range(at, at + len(chunk)))
        self.ends.extend(range(at + 1, at + len(chunk) + 1))

    def add_markup(self, kind: str, start: int, end: int, name: str) -> None:
        self.tokens.append((kind, start, end, name))
        if kind in ("opaque", "icon") or name == "br":
            # An icon reads as a space: it never splits a sentence, nor starts or ends one.
            self.plain.append(OPAQUE_CHAR if kind == "opaque" else " ")
            self.starts.append(start)
            self.ends.append(end)

    def follows_link(self, source: str) -> bool:
        """Whether the run ends with an icon link (one holding an image, an icon or an empty
        element, like a share bar's), with nothing visible after it."""
        tokens = self.tokens
        index = len(tokens) - 1
        while index >= 0 and (tokens[index][0] == "icon" or _blank(source, tokens[index])):
            index -= 1
        if index < 0 or tokens[index][0] != "end" or tokens[index][3] != "a":
            return False
        for position in range(index - 1, -1, -1):
            kind, _, _, name = tokens[position]
            if kind == "start" and name == "a":
                return False
            if kind in ("icon", "void") and name != "br":
                return True
            if kind == "end" and tokens[position - 1][:4:3] == ("start", name):
                return True  # an empty element: <i class="fa-…"></i>
        return False

    def line_break_ends_segment(self, source: str) -> bool:
        """At a `<br>` just added: a second one in a row (spaces between) is a paragraph
        break, and one right after the end of a sentence ends that sentence's segment."""
        for kind, start, end, name in reversed(self.tokens[:-1]):
            if kind == "text" and not source[start:end].strip():
                continue
            if kind == "void" and name == "br":
                return True
            break
        tail = ""  # the run's last few visible characters (never the whole run: linear)
        for piece in reversed(self.plain):
            tail = piece + tail
            if len(tail.strip()) >= 3:
                break
        return tail.rstrip().endswith(_SENTENCE_END)


def attribute_segments(source: str, start: int, end: int, role: str, lang: str) -> list[Segment]:
    """Sentences of an attribute value (character references decoded in the msgid)."""
    run = Run(role, "")
    run.add_text(source, start, end)
    plain = "".join(run.plain)
    segments = []
    for p_start, p_end in split_sentences(plain, lang):
        a, b = run.starts[p_start], run.ends[p_end - 1]
        text = collapse(unescape(source[a:b]))
        if translatable(text):
            segments.append(Segment(text, role, line_of(source, a), ((a, b),)))
    return segments


def _pairs(tokens: list[Tok]) -> list[int]:
    """For each start/end token of a run, the index of its partner in the run (-1: none)."""
    partner = [-1] * len(tokens)
    open_at: dict[str, list[int]] = {}
    for index, (kind, _, _, name) in enumerate(tokens):
        if kind == "start":
            open_at.setdefault(name, []).append(index)
        elif kind == "end" and open_at.get(name):
            opened = open_at[name].pop()
            partner[opened], partner[index] = index, opened
    return partner


def run_segments(source: str, run: Run, lang: str) -> list[Segment]:
    """Sentences of a run as source spans: a sentence starts at its first visible character
    and takes the tags it needs to be balanced; one with a tag whose partner comes later (a
    link across a sentence end) is joined with the sentences up to that partner. A tag with
    no partner in the run (left open) cannot be balanced: it stays where it is."""
    tokens = run.tokens
    partner = _pairs(tokens)
    starts = [t[1] for t in tokens]
    plain = "".join(run.plain)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in split_sentences(plain, lang):
        spans.append((run.starts[p_start], run.ends[p_end - 1]))
    segments: list[Segment] = []
    index = 0
    while index < len(spans):
        a, b = spans[index]
        while True:
            a, b = _balance(source, tokens, partner, starts, a, b)
            needed = _furthest_partner(tokens, partner, starts, a, b)
            if needed < 0 or index + 1 >= len(spans):
                break
            while index + 1 < len(spans) and b < tokens[needed][2]:  # straight to it
                index += 1
                b = spans[index][1]
        index += 1
        text = _msgid(source, tokens, starts, a, b)
        if translatable(_visible(source, tokens, starts, a, b)):
            segments.append(Segment(text, run.role, line_of(source, a), ((a, b),)))
    return segments


def _inside(starts: list[int], tokens: list[Tok], a: int, b: int) -> range:
    """Tokens wholly inside [a, b)."""
    first = bisect_left(starts, a)
    last = first
    while last < len(tokens) and tokens[last][2] <= b:
        last += 1
    return range(first, last)


def _furthest_partner(
    tokens: list[Tok], partner: list[int], starts: list[int], a: int, b: int
) -> int:
    """The last token, after the span, that closes a tag opened inside it (-1: none)."""
    inside = _inside(starts, tokens, a, b)
    return max((partner[i] for i in inside if partner[i] >= inside.stop), default=-1)


_PASSED = ("text", "void", "icon")  # what may sit between a sentence and its tags


def _balance(
    source: str, tokens: list[Tok], partner: list[int], starts: list[int], a: int, b: int
) -> tuple[int, int]:
    """Take in the tags just outside the span (spaces, images and icons between allowed) that
    close or open a tag inside it: `<em>mot.</em>` rather than `<em>mot.`, and
    `<font><img>Étape 3</font>` rather than `<img>Étape 3</font>`."""
    while True:
        inside = _inside(starts, tokens, a, b)
        after = inside.stop
        while after < len(tokens) and tokens[after][0] in _PASSED:
            kind, t_start, t_end = tokens[after][:3]
            if kind == "text" and source[max(b, t_start) : t_end].strip():
                break
            after += 1
        if after < len(tokens) and tokens[after][0] == "end" and partner[after] in inside:
            b = tokens[after][2]
            continue
        before = bisect_left(starts, a) - 1
        while before >= 0 and tokens[before][0] in _PASSED:
            kind, t_start, t_end = tokens[before][:3]
            if kind == "text" and source[t_start : min(a, t_end)].strip():
                break
            before -= 1
        if before >= 0 and tokens[before][0] == "start" and partner[before] in inside:
            a = tokens[before][1]
            continue
        return a, b


def _msgid(source: str, tokens: list[Tok], starts: list[int], a: int, b: int) -> str:
    parts: list[str] = []
    position = a
    for index in _inside_any(starts, tokens, a, b):
        kind, t_start, t_end, _ = tokens[index]
        lo, hi = max(t_start, position), min(t_end, b)
        if lo >= hi:
            continue
        chunk = source[lo:hi]
        parts.append(decode_text(chunk) if kind == "text" else chunk)
        position = hi
    return collapse("".join(parts))


def _visible(source: str, tokens: list[Tok], starts: list[int], a: int, b: int) -> str:
    parts = []
    for index in _inside_any(starts, tokens, a, b):
        kind, t_start, t_end = tokens[index][:3]
        if kind == "text":
            parts.append(unescape(source[max(t_start, a) : min(t_end, b)]))
        else:
            parts.append(" ")
    return "".join(parts)


def _inside_any(starts: list[int], tokens: list[Tok], a: int, b: int) -> range:
    """Tokens that overlap [a, b) (a text token may be cut by a sentence end)."""
    first = max(bisect_right(starts, a) - 1, 0)
    last = first
    while last < len(tokens) and tokens[last][1] < b:
        last += 1
    return range(first, last)
