"""French-aware sentence segmentation.

Written by hand on purpose: pysbd is right on abbreviations and quotes but quadratic on one long
string, sentencex splits after "M.", ICU splits inside « … ? … ». This module makes one linear
pass with compiled regexes:

1. regions where punctuation never ends a sentence: inline code, Markdown link targets, URLs,
   e-mail addresses;
2. brackets and quotation marks paired with a stack; short pairs are protected, so that
   « Vraiment ? » or (Christopher ?) do not split the sentence around them;
3. candidate boundaries: a run of . ! ? … with its closing quotes and brackets, then whitespace.
   Each is kept or dropped from the word before it (abbreviation tables) and the character
   after it (a lowercase letter usually means the sentence goes on);
4. blank lines and list items are hard boundaries.

The text is cut at the chosen positions and each piece is stripped, so the gaps between spans
are whitespace by construction and the spans reconstitute the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tirage.text.addresses import EMAIL, URL

Span = tuple[int, int]

__all__ = ["Span", "segment_text", "split_sentences"]


@dataclass(frozen=True)
class Abbreviations:
    """The language-specific data: words that take a final period without ending a sentence."""

    # Case-sensitive titles before a name: "M. Dupont", "Mrs. America". Never a boundary.
    titles: frozenset[str]
    # Compared lowercased; always followed by more text ("cf. p. 12", "p. ex. le"): never a
    # boundary.
    never: frozenset[str]
    # Compared lowercased; may close a sentence, so a boundary only before a capital
    # ("etc. Puis").
    may_end: frozenset[str]
    # Titles as they are also written, in lowercase ("que m. Trucmuche", "mme. Durand"): never
    # a boundary, unless a number comes before ("à 5 m. Puis": metres).
    lower_titles: frozenset[str] = frozenset()


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


FRENCH = Abbreviations(
    titles=_words("M MM Mme Mmes Mlle Mlles Me Mgr Dr Pr St Ste Sts Stes Mr Mrs Ms"),
    never=_words(
        "cf p pp ex av apr bd boul art chap fig vol coll env réf tél tel c.-à-d n no nos ill vs"
    ),
    may_end=_words(
        "etc j.-c cie inc ltd co corp ibid id cit op sq resp hab éd min max "
        "janv févr avr juil sept oct nov déc mrd md mio"
    ),
    lower_titles=_words("m mm mme mmes mlle mlles mgr"),
)

ENGLISH = Abbreviations(
    titles=_words("Mr Mrs Ms Mx Dr Prof St Mt Rev Gen Col Sgt Capt Lt Sen Rep Gov Hon Messrs"),
    never=_words("e.g i.e cf vs viz fig figs pp vol ch approx"),
    may_end=_words(
        "etc al inc ltd co corp jr sr bros jan feb mar apr jun jul aug sep sept oct nov dec"
    ),
)

# Other languages get both tables: the function is also run on text in languages we have no
# table for, and French and English abbreviations are the ones most often borrowed.
GENERIC = Abbreviations(
    titles=FRENCH.titles | ENGLISH.titles,
    never=FRENCH.never | ENGLISH.never,
    may_end=FRENCH.may_end | ENGLISH.may_end,
    lower_titles=FRENCH.lower_titles,
)

ABBREVIATIONS: dict[str, Abbreviations] = {"fr": FRENCH, "en": ENGLISH}

# A pair of brackets or quotes longer than this is not protected: an unclosed « in a long
# quoted answer must not swallow every boundary until the end of the paragraph.
MAX_PROTECTED_PAIR = 400

_HSPACE = " \t\u00a0\u202f"  # French puts a (narrow) no-break space before ? ! and inside « »

# A run of terminators, then closing quotes or brackets (» and ” may be French-spaced), then
# whitespace or the end. The closers are bounded by what they match, so this never backtracks
# more than the length of one whitespace run.
_CANDIDATE = re.compile(rf"(?P<run>[.!?…]+)(?:[{_HSPACE}]*[»”]|[\"'’)\]*_])*(?=\s|\Z)")

_OPENERS = {"«": "»", "“": "”", "(": ")", "[": "]"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_BRACKET = re.compile(r'[«»“”()\[\]"]|\n[ \t]*\n')

# Protected regions, each only searched when its trigger occurs in the text (the e-mail
# pattern is the costly one). Lengths are bounded so that an unmatched backtick or a long word
# costs a constant, not a rescan of the rest of the text.
_CODE = re.compile(r"`[^`\n]{1,500}`")
_LINK_TARGET = re.compile(r"(?<=\])\([^()\s]{1,2000}\)")

# A blank line, or a line that starts a list item or a Markdown heading.
_HARD = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*+•–—]|\d{1,3}[.)]|#{1,6})[ \t])")

# "LL.AA.II.RR", "P.A", "Ph.D", "U.S": dotted acronyms, which may end a sentence.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.-?)+[^\W\d_]{1,4}")
# "J.-P" (Sartre): hyphenated initials, which never end one.
_HYPHEN_INITIALS = re.compile(r"(?:[^\W\d_]\.-)+[^\W\d_]")

# French elided articles and conjunctions glued to the next word: l’, d’, qu’, jusqu’…
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_LEADING_OPENERS = "([{«“\"'‘¿¡"
_SKIP_AFTER = set(_HSPACE + "\n\r\f\v«“\"'‘([{¿¡—–-*_")
_CONTINUATION = set(",;:)]}»”")


def _table(lang: str) -> Abbreviations:
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    return ABBREVIATIONS.get(primary, GENERIC)


def _regions(text: str) -> list[Span]:
    """Sorted spans where no terminator may end a sentence."""
    found: list[Span] = []
    for triggers, pattern in (
        (("`",), _CODE),
        (("](",), _LINK_TARGET),
        (("//", "www."), URL),
        (("@",), EMAIL),
    ):
        if any(t in text for t in triggers):
            found.extend(m.span() for m in pattern.finditer(text))
    found = sorted(set(found))
    merged: list[Span] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _protected_pairs(text: str, regions: list[Span]) -> list[Span]:
    """Outermost short bracket and quote pairs, as (opening index, closing index), sorted."""
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}
    pairs: list[Span] = []
    r = 0
    for m in _BRACKET.finditer(text):
        i = m.start()
        while r < len(regions) and regions[r][1] <= i:
            r += 1
        if r < len(regions) and regions[r][0] <= i:
            continue  # a bracket inside a URL or code span
        ch = m.group()
        if ch[0] == "\n":  # quotes do not run across paragraphs
            stack.clear()
            open_count.clear()
            continue
        if ch == '"':  # straight quotes toggle: closing if one is open
            opening = '"' if open_count.get('"', 0) else None
            if opening is None:
                stack.append((ch, i))
                open_count['"'] = 1
                continue
        elif ch in _OPENERS:
            stack.append((ch, i))
            open_count[ch] = open_count.get(ch, 0) + 1
            continue
        else:
            opening = _CLOSERS[ch]
            if not open_count.get(opening):
                continue  # a stray closer: "a) premier point", ":)"
        while stack:  # pop unclosed openers up to the matching one
            top, j = stack.pop()
            open_count[top] -= 1
            if top == opening:
                if i - j <= MAX_PROTECTED_PAIR:
                    pairs.append((j, i))
                break
    pairs.sort()
    outermost: list[Span] = []
    for pair in pairs:
        if not outermost or pair[0] > outermost[-1][1]:
            outermost.append(pair)
    return outermost


def _next_char(text: str, pos: int) -> str:
    """The first letter or sign after `pos`, past whitespace, opening quotes and dashes."""
    end = min(len(text), pos + 16)
    while pos < end and text[pos] in _SKIP_AFTER:
        pos += 1
    return text[pos] if pos < len(text) else ""


def _word_before(text: str, pos: int) -> tuple[str, int]:
    """The non-space run ending at `pos` (at most 40 characters) and where it starts."""
    start = pos
    limit = max(0, pos - 40)
    while start > limit and not text[start - 1].isspace():
        start -= 1
    while start < pos and text[start] in _LEADING_OPENERS:
        start += 1
    return text[start:pos], start


def _at_line_start(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and pos - i < 8 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n"


def _is_boundary(
    text: str, run: str, run_start: int, after: int, closed: bool, table: Abbreviations
) -> bool:
    """Whether the terminator `run` at `run_start` ends a sentence. `after` is where the
    whitespace after it starts; `closed` says whether closing quotes or brackets came between."""
    nxt = _next_char(text, after)
    if not nxt:
        return True
    upper_like = nxt.isalpha() and not nxt.islower()  # capitals, and scripts without case
    if nxt in _CONTINUATION:
        return False
    if "?" in run or "!" in run:
        # French "« Qui ? » demanda-t-il": a lowercase word carries the sentence on.
        return not nxt.islower()
    if run_start > 0 and text[run_start - 1] in "([":
        return False  # "(...)" and "[…]" mark elided text, not an ending
    if len(run) > 1 or run == "…":
        return upper_like  # "cajoler... ça ne donnera rien"
    if closed and nxt.islower():
        return False  # a quoted sentence inside another: « Non. » et il est parti.
    word, word_start = _word_before(text, run_start)
    word = _ELISION.sub("", word)  # "l’art." is "art."
    if not word:
        return True
    if word in table.titles:
        return False
    if word in table.lower_titles:
        previous, _ = _word_before(text, word_start - 1) if word_start > 0 else ("", 0)
        return previous.isdigit() and upper_like
    folded = word.lower()
    if folded in table.never:
        return False
    if folded in table.may_end:
        return upper_like  # "etc. et" goes on; "etc. Puis", "av. J.-C. Auguste" end
    if len(word) == 1 and word.isalpha():
        # A capital is an initial ("J. R. R. Tolkien"); a small letter is a unit or a short
        # form that may close the sentence ("à 18 h. Tél.", "IIe s. av. J.-C.").
        return word.islower() and upper_like
    if _HYPHEN_INITIALS.fullmatch(word) and word[0].isupper():
        return False  # "J.-P. Sartre"
    if _DOTTED.fullmatch(word):
        return upper_like  # "P.A. et", "LL.AA.II.RR. » pour" go on
    if word.isdigit():
        if _at_line_start(text, word_start):
            return False  # "1. " numbering a list item
        if len(word) <= 3 and nxt.islower():
            return False  # "trois points : 1. le premier ; 2. le second"
    return True


def _candidate_cuts(text: str, table: Abbreviations) -> Iterator[int]:
    regions = _regions(text)
    pairs = _protected_pairs(text, regions)
    r = p = 0
    for m in _CANDIDATE.finditer(text):
        run_start, after = m.start(), m.end()
        while r < len(regions) and regions[r][1] <= run_start:
            r += 1
        if r < len(regions) and regions[r][0] <= run_start:
            continue
        while p < len(pairs) and pairs[p][1] < after:
            p += 1
        if p < len(pairs) and pairs[p][0] < after:
            continue  # inside « … » or ( … ), and not closing it
        run = m.group("run")
        closed = m.end("run") < after  # a closing quote or bracket follows the run
        if _is_boundary(text, run, run_start, after, closed, table):
            yield after


def _hard_cuts(text: str) -> Iterator[int]:
    for m in _HARD.finditer(text):
        if m.group().count("\n") >= 2 and _page_break(text, m.start(), m.end()):
            continue
        yield m.start()


def _page_break(text: str, start: int, end: int) -> bool:
    """A blank line inside a sentence ("L'enjeu\\n\\nde la mondialisation"), as left by a page
    or column break: the line before ends on a letter and the next one starts in lowercase."""
    return start > 0 and end < len(text) and text[end].islower() and text[start - 1].isalnum()


def split_sentences(text: str, lang: str = "fr") -> list[Span]:
    """Sentence spans in `text`. Each span is stripped of surrounding whitespace; the text between
    consecutive spans (and before the first / after the last) is whitespace only. Concatenating
    text[prev_end:start] + text[start:end] for all spans + the tail reconstitutes `text` exactly."""
    table = _table(lang)
    cuts = sorted({*_candidate_cuts(text, table), *_hard_cuts(text), len(text)})
    spans: list[Span] = []
    start = 0
    for cut in cuts:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start = cut
    return spans


def segment_text(text: str, lang: str = "fr") -> list[str]:
    """The sentences of `text`, stripped (the texts of `split_sentences`)."""
    return [text[start:end] for start, end in split_sentences(text, lang)]
