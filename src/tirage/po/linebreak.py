"""Where GNU gettext breaks a PO string line: libunistring 1.0's line breaking (what gettext
0.21 links against), reproduced on top of uniseg's Line_Break property (written out in
`linebreak_table`).

libunistring uses the pair-table form of UAX #14, which differs from uniseg's own breaking,
then wraps greedily by display width. Most text has none of the characters with special
rules (mandatory breaks, joiners), so it takes a fast path that only tests
break opportunities where a line overflows: European text one column a character, any other
(CJK, Hebrew…) by its characters' widths. `tests/test_pofile_fastpath.py` holds the paths to
each other.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, repeat

from tirage.po.linebreak_table import RUNS

__all__ = ["breaks", "fits", "plain_line"]

_PROHIBITED, _POSSIBLE, _MANDATORY = 1, 2, 3

# Row: class before the break, column: class after it. D = direct break, I = break only with
# spaces in between, P = never. Measured on libunistring 1.0's u8_possible_linebreaks.
_CLASSES = (
    "WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI ZWJ EB EM"
)
_INDEX = {name: i for i, name in enumerate(_CLASSES.split())}
_PAIRS = (
    "PIIIIIPPPIIIIPIIIPIIIIIIIIIIII",
    "PIIIIIPPPIIIIPIIIPIIIIIIIIIIII",
    "PIPIDIPPPIIDIPDDDPDDDDDDDDDIDD",
    "PDDIDIPPPIIDIPDDDPDDDDDDDDDIDD",
    "PIIIIIPPPIIIIPIIIPIIIIIIIIIIII",
    "PDDIDIPPPIIDIPIDDPDDDDDDDDDIDD",
    "PIDIDIPPPIPDIPDIIPDDDDDDDDDIDD",
    "PIDIDIPPPIIDIPIIIPIDDDDDDIDIDD",
    "PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD",
    "PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD",
    "PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPIPP",
    "PIIIIIPPPIIPIPIIIPIIIIIIIIIIII",
    "PIDIDIPPPIIDIPIDDPDDDDDDDDDIDD",
    "PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD",
    "PIDIDIPPPIIIIPIDDPIDDDDDDIDIDD",
    "PIDIDIPPPIIIIPIDDPIIIIIIIIDIII",
    "PIDIDIPPPIIDIPIDDPDDDDDDDIDIDD",
    "PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD",
    "PIDIDIPPPIIDIPDIDPDDDDDIIDDIDD",
    "PIDIDIPPPIIDIPDIDPDDDDDDIDDIDD",
    "PIDIDIPPPIIDIPDIDPDDDDDDDDDIDD",
    "PIDIDIPPPIIDIPDIDPDIIDIIDDDIDD",
    "PIDIDIPPPIIDIPDIDPDDDDDIIDDIDD",
    "PIDIDIPPPIIDIPDIDPDDDDDDIDDIDD",
    "PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD",
    "PIDIDIPPPIIDIPDDDPDDDDDDDDIIDD",
    "PIIIIIPPPIIIIPIIIPIIIIIIIIIIII",
    "PIDIDIPPPIIDIPDIDPDDDDDDDDDIDI",
    "PIDIDIPPPIIDIPDIDPDDDDDDDDDIDD",
)
_ALIASES = {
    "AI": "AL",
    "CB": "ID",
    "SA": "AL",
    "XX": "AL",
    "CJ": "NS",
    "SG": "AL",
    "AK": "AL",
    "AP": "AL",
    "AS": "AL",
    "VI": "AL",
    "VF": "AL",
    "CR": "BK",
    "LF": "BK",
    "NL": "BK",
}


_LB_CLASSES: dict[str, str] = {}
# linebreak_table's runs read so far, in two parts: the first third of the table (below
# U+3010: every script but CJK's, the presentation forms and the supplementary planes) at the
# first lookup, the rest at the first lookup of a code point beyond.
_RUN_STARTS: list[int] = []
_RUN_CLASSES: list[str] = []
_UNREAD = [RUNS]  # the table's text not read yet
_READ_BELOW = [0]  # the first code point whose run is not read yet


def _read_runs(code: int) -> None:
    """Read the runs as far as the one holding `code`."""
    if code < _READ_BELOW[0]:
        return
    text = _UNREAD[0]
    cut = text.find(" ", len(RUNS) // 3) if not _RUN_STARTS else -1
    part, rest = (text[:cut], text[cut:]) if cut >= 0 else (text, "")
    items = part.replace(":", " ").split()
    _RUN_STARTS.extend(map(int, items[::2], repeat(16)))
    _RUN_CLASSES.extend(items[1::2])
    _UNREAD[0] = rest
    _READ_BELOW[0] = int(rest.split(None, 1)[0].partition(":")[0], 16) if rest else 0x110000


def _lb_class(char: str) -> str:
    # A dict, not lru_cache: this runs for every character written, and a dict hit is cheaper.
    found = _LB_CLASSES.get(char)
    if found is None:
        _read_runs(ord(char))
        name = _RUN_CLASSES[bisect_right(_RUN_STARTS, ord(char)) - 1]
        found = _LB_CLASSES[char] = _ALIASES.get(name, name)
    return found


def _possible_linebreaks(chars: Sequence[str]) -> list[int]:
    """Break opportunity before each character, as libunistring's u8_possible_linebreaks."""
    result = [_PROHIBITED] * len(chars)
    last = prev = "BK"
    seen_space = False
    for i, char in enumerate(chars):
        prop = _lb_class(char)
        if prop == "BK":
            result[i] = _MANDATORY
            last = prev = "BK"
            seen_space = False
            continue
        if prop == "SP":
            seen_space = True
            continue
        if prop == "ZW":
            prev, last, seen_space = last, "ZW", False
            continue
        if prop in ("CM", "ZWJ"):
            becomes = "ZWJ" if prop == "ZWJ" else "AL"
            if last in ("ZW", "BK"):
                result[i] = _POSSIBLE if last == "ZW" else _PROHIBITED
                prev, last, seen_space = last, becomes, False
                continue
            if not seen_space:
                if prop == "ZWJ":
                    prev, last = last, "ZWJ"
                continue
            prop = becomes
        if last == "ZW":
            result[i] = _POSSIBLE
        elif last != "BK":
            rule = _PAIRS[_INDEX[last]][_INDEX[prop]]
            if rule == "D" or (rule == "I" and seen_space):
                result[i] = _POSSIBLE
            if not seen_space and prev == "HL" and last in ("HY", "BA"):
                result[i] = _PROHIBITED
        prev, last, seen_space = last, prop, False
    return result


_WIDTHS: dict[str, int] = {}
# Characters one column wide, with no line-break surprises: most of any European text. Their
# line-break classes are all "simple" (no BK, CM, ZWJ, ZW or HL; the only SP is U+0020), which
# `_narrow_breaks` relies on; tests/test_pofile.py checks it over the whole range.
# Latin (Vietnamese and pseudo-localised text included), Greek and Cyrillic letters, and
# general punctuation; the gaps are unassigned code points, combining marks and the soft hyphen.
_NARROW_RANGES = (
    "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c"
    "\u038e-\u03a1\u03a3-\u03ff\u0400-\u0482\u048a-\u052f\u1e00-\u1eff\u2010-\u2027"
    "\u202f-\u205e"
)
_NARROW = re.compile(f"[{_NARROW_RANGES}]*")
_HARD_BREAKS = {"\x85", "\u2028", "\u2029"}  # line-break class BK, left unescaped


def _char_width(char: str) -> int:
    """Columns of one character, as libunistring's uc_width (controls count 0 here)."""
    found = _WIDTHS.get(char)
    if found is None:
        zero = unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc") or char == "\u200b"
        if zero or 0x1160 <= ord(char) <= 0x11FF:  # 0x1160–0x11FF: Hangul jamo, combined
            found = 0
        else:
            found = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        _WIDTHS[char] = found
    return found


# Characters at most one column wide that are not a mandatory break and that a PO string
# does not escape: those assigned in Unicode 14 (Python 3.11's, the oldest tirage runs on)
# below U+0800 but U+0085 and \a \b \t \n \v \f \r " \\, in Latin Extended Additional, and
# from General Punctuation to Mathematical Operators but U+2028 and U+2029. Latin, Greek,
# Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana and N'Ko text with the punctuation,
# marks and symbols it uses is no wider than its length: a value of them is written as it
# is, and fits on a line as long as it. tests/test_porw.py checks every one.
_PLAIN_RANGES = (
    r"\x00-\x06\x0e-\x21\x23-\x5b\x5d-\x84"
    "\x86-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u052f\u0531-\u0556"
    "\u0559-\u058a\u058d-\u058f\u0591-\u05c7\u05d0-\u05ea\u05ef-\u05f4\u0600-\u070d"
    "\u070f-\u074a\u074d-\u07b1\u07c0-\u07fa\u07fd-\u07ff\u1e00-\u1eff\u2000-\u2027"
    "\u202a-\u2064\u2066-\u2071\u2074-\u208e\u2090-\u209c\u20a0-\u20c0\u20d0-\u20f0"
    "\u2100-\u218b\u2190-\u22ff"
)
plain_line = re.compile(f"[{_PLAIN_RANGES}]*").fullmatch


def fits(text: str, room: int) -> bool:
    """Whether `breaks` leaves `text` whole with `room` columns left: it is no wider, and has
    no mandatory break."""
    if len(text) <= room:
        if _NARROW.fullmatch(text) is not None:
            return True
        # An escape's backslash and letter are one column each, a quote too.
        if plain_line(text.replace("\\", "").replace('"', "")) is not None:
            return True
        if 2 * len(text) <= room and not any(char in text for char in _HARD_BREAKS):
            return True  # no character is more than two columns wide
    elif _NARROW.fullmatch(text) is not None:
        return False
    layout = _layout(text)
    if layout is not None:
        return layout[-1] <= room
    return _HARD_BREAKS.isdisjoint(text) and _text_width(text) <= room


def _text_width(chars: Sequence[str]) -> int:
    text = "".join(chars)
    if _NARROW.fullmatch(text):
        return len(text)
    return sum(map(_char_width, chars))


def _width_linebreaks(
    chars: Sequence[str], overrides: Sequence[bool], width: int, start_column: int
) -> list[bool]:
    """Where to break (before index i), as libunistring's u8_width_linebreaks."""
    if start_column + _text_width(chars) <= width and not _HARD_BREAKS & set(chars):
        return [False] * len(chars)  # it all fits: no break is needed (the common case)
    possible = _possible_linebreaks(chars)
    breaks = [False] * len(chars)
    last_p: int | None = None
    last_column = start_column
    piece_width = 0
    for i, char in enumerate(chars):
        kind = _PROHIBITED if overrides[i] else possible[i]
        ends_piece = kind in (_POSSIBLE, _MANDATORY) and last_p is not None
        if ends_piece and last_column + piece_width > width:
            assert last_p is not None
            breaks[last_p] = True
            last_column = 0
        if kind == _MANDATORY:
            last_p = None
            last_column = 0
            piece_width = 0
            continue
        if kind == _POSSIBLE:
            last_p = i
            last_column += piece_width
            piece_width = 0
        piece_width += _char_width(char)
    if last_p is not None and last_column + piece_width > width:
        breaks[last_p] = True
    return breaks


# The fast path. For narrow text, the break opportunity before character i depends only on
# i's class, the class of the last non-space character before it and whether spaces came in
# between (the CM/ZWJ/ZW/BK/HL branches of `_possible_linebreaks` never fire), and every
# column is one character. So the greedy wrapping can jump straight to where each line
# overflows and look at the few characters around that point instead of every character.
_SPACE = -1
Search = Callable[[str, int], "re.Match[str] | None"]
_RULES = [[{"P": 0, "I": 1, "D": 2}[rule] for rule in row] for row in _PAIRS]
_NARROW_CLASS: dict[str, int] = {}


def _narrow_spans() -> list[tuple[int, int, int]]:
    """The narrow characters as runs of one class: (first code point, end, class)."""
    _read_runs(ord(_NARROW_RANGES[-1]))
    spans = []
    at = 0
    while at < len(_NARROW_RANGES):
        lo = hi = ord(_NARROW_RANGES[at])
        if _NARROW_RANGES[at + 1 : at + 2] == "-":
            hi = ord(_NARROW_RANGES[at + 2])
            at += 2
        at, hi = at + 1, hi + 1
        run = bisect_right(_RUN_STARTS, lo) - 1
        while lo < hi:
            end = min(hi, _RUN_STARTS[run + 1] if run + 1 < len(_RUN_STARTS) else _READ_BELOW[0])
            name = _ALIASES.get(_RUN_CLASSES[run], _RUN_CLASSES[run])
            spans.append((lo, end, _SPACE if name == "SP" else _INDEX[name]))
            lo, run = end, run + 1
    return spans


def _narrow_classes() -> dict[str, int]:
    """Every narrow character's class, as `_narrow_breaks` looks them up one by one."""
    if not _NARROW_CLASS:
        for lo, end, code in _narrow_spans():
            _NARROW_CLASS.update(dict.fromkeys(map(chr, range(lo, end)), code))
    return _NARROW_CLASS


class _NarrowCodes(dict[str, int]):
    """The narrow characters' classes met so far, each looked up when first met: a text
    holds a few dozen of the 1,462."""

    def __missing__(self, char: str) -> int:
        name = _lb_class(char)
        code = self[char] = _SPACE if name == "SP" else _INDEX[name]
        return code


_NARROW_CODES = _NarrowCodes()


_CANDIDATES: list[tuple[Search, Search]] = []


def _narrow_candidates() -> tuple[Search, Search]:
    """Searches for the characters of a narrow text that may follow a break opportunity:
    forward in the text, and backward (in the text reversed)."""
    if not _CANDIDATES:
        letter_classes = (_INDEX["AL"], _INDEX["NU"])
        spans: list[list[int]] = []
        for lo, end, code in _narrow_spans():
            if code in letter_classes:
                if spans and spans[-1][1] == lo:
                    spans[-1][1] = end
                else:
                    spans.append([lo, end])
        letters = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in spans)
        ahead = re.compile(f"(?<![{letters}])[^ ]|[^ {letters}]")
        behind = re.compile(f"[^ ](?![{letters}])|[^ {letters}]")
        _CANDIDATES.append((ahead.search, behind.search))
    return _CANDIDATES[0]


def _narrow_breaks(
    text: str, forbidden: frozenset[int], width: int, start_column: int, first: bool = False
) -> list[int]:
    """`_width_linebreaks` for narrow text, as the sorted indices where a line starts anew.

    `forbidden` holds the indices where `_width_linebreaks` gets an override."""
    classes = _NARROW_CODES
    rules = _RULES
    size = len(text)
    ahead, behind = _narrow_candidates()
    reverse: list[str] = []  # the text reversed, made when first needed

    def opportunity(i: int) -> bool:
        this = classes[text[i]]
        if this == _SPACE or i in forbidden:
            return False
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0:
            return False  # only spaces before: still at the start of the text
        rule = rules[classes[text[j]]][this]
        return rule == 2 or (rule == 1 and j < i - 1)

    breaks: list[int] = []
    line, column = 0, start_column  # the current line starts at text[line], at this column
    while True:
        # The first opportunity (or the end) past the width decides; the line breaks at the
        # last opportunity before it, or, when the line holds a single over-long piece, there.
        end = max(line + width - column + 1, line + 1)
        if end > size:
            return breaks
        # Only a candidate can be an opportunity: a character after one that is not a letter
        # or digit, or one that is not itself (AL and NU have no "direct" pair between
        # them). The searches jump from one to the next: forward in the text, backward in it
        # reversed.
        while True:
            found = ahead(text, end)
            if found is None:
                end = size
                break
            end = found.start()
            if opportunity(end):
                break
            end += 1
        cut = end - 1
        while cut > line:
            if not reverse:
                reverse.append(text[::-1])
            found = behind(reverse[0], size - 1 - cut)
            cut = -1 if found is None else size - 1 - found.start()
            if cut <= line or opportunity(cut):
                break
            cut -= 1
        cut = max(cut, line)
        if cut == line:
            if end == size:
                return breaks
            cut = end
        breaks.append(cut)
        if first:
            return breaks
        line, column = cut, 0


# The same jumps for any text without the classes that have rules of their own (BK, ZWJ, ZW;
# SP is only U+0020): columns come from the characters' widths, added up once, and the
# rules that look further back are tested where they can apply: a combining mark (CM) joins
# the character before it, or after a space is a letter (LB9, LB10), and there is no break
# after HL then HY or BA (LB21a).
_NOT_SIMPLE = -2
_CM = -3
_SIMPLE_CODES: dict[str, int] = {}
_AL = _INDEX["AL"]
_HL = _INDEX["HL"]
_HY_BA = frozenset((_INDEX["HY"], _INDEX["BA"]))


def _simple_code(char: str) -> int:
    name = _lb_class(char)
    if name == "SP":
        return _SPACE if char == " " else _NOT_SIMPLE
    if name == "CM":
        return _CM
    if name in ("BK", "ZWJ", "ZW") or name not in _INDEX:
        return _NOT_SIMPLE
    return _INDEX[name]


# The widths of the characters seen so far that `_simple_code` takes, and the others.
_SIMPLE_WIDTHS: dict[str, int] = {}
_NOT_SIMPLE_CHARS: set[str] = set()


def _simple_layout(text: str) -> list[int] | None:
    """The column before each character of `text` (and one after the last), or None for
    text with a character of a class with rules of its own (BK, ZWJ, ZW, SP but U+0020)."""
    try:
        return [0, *accumulate(map(_SIMPLE_WIDTHS.__getitem__, text))]
    except KeyError:  # a character not seen yet
        pass
    if not _NOT_SIMPLE_CHARS.isdisjoint(text):
        return None
    for char in set(text).difference(_SIMPLE_WIDTHS):
        code = _SIMPLE_CODES.get(char)
        if code is None:
            code = _SIMPLE_CODES[char] = _simple_code(char)
        if code == _NOT_SIMPLE:
            _NOT_SIMPLE_CHARS.add(char)
            return None
        _SIMPLE_WIDTHS[char] = _char_width(char)
    return [0, *accumulate(map(_SIMPLE_WIDTHS.__getitem__, text))]


def _simple_breaks(
    text: str,
    columns: list[int],
    forbidden: frozenset[int],
    width: int,
    start_column: int,
    first: bool = False,
) -> list[int]:
    """`_narrow_breaks` for text that `_simple_layout` took, by its columns."""
    rules = _RULES
    size = len(text)
    codes = _SIMPLE_CODES

    def code(i: int) -> int:
        found = codes.get(text[i])
        if found is None:
            found = codes[text[i]] = _simple_code(text[i])
        return found

    def settled(j: int) -> tuple[int, int]:
        """The class in force after text[j] (not a space), and the index of the character
        that gave it (-1 for a combining mark after a space or at the start: a letter)."""
        k = j
        while code(k) == _CM:
            k -= 1
            if k < 0 or text[k] == " ":
                return _AL, -1
        return code(k), k

    def opportunity(i: int) -> bool:
        this = code(i)
        if this == _SPACE or i in forbidden:
            return False
        if this == _CM:
            if i > 0 and text[i - 1] != " ":
                return False  # it joins the character before it
            this = _AL
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0:
            return False  # only spaces before: still at the start of the text
        before, k = code(j), j
        if before == _CM:
            before, k = settled(j)
        rule = rules[before][this]
        if j == i - 1 and before in _HY_BA:  # no break after HL and HY or BA (LB21a)
            k -= 1
            while k >= 0 and text[k] == " ":
                k -= 1
            if k >= 0 and settled(k)[0] == _HL:
                return False
        return rule == 2 or (rule == 1 and j < i - 1)

    breaks: list[int] = []
    line, column = 0, start_column  # the current line starts at index `line`, at `column`
    while True:
        # The first index whose character no longer fits on the line.
        end = max(bisect_right(columns, width - column + columns[line], line), line + 1)
        if end > size:
            return breaks
        while end < size and not opportunity(end):
            end += 1
        cut = end - 1
        while cut > line and not opportunity(cut):
            cut -= 1
        if cut == line:
            if end == size:
                return breaks
            cut = end
        breaks.append(cut)
        if first:
            return breaks
        line, column = cut, 0


_LAST_LAYOUT: list[tuple[str, list[int] | None]] = [("", None)]


def _layout(text: str) -> list[int] | None:
    """`_simple_layout`, kept for the last text: a string too long for its first line comes
    again at once."""
    last = _LAST_LAYOUT[0]
    if last[0] == text:
        return last[1]
    layout = _simple_layout(text)
    _LAST_LAYOUT[0] = (text, layout)
    return layout


_ESCAPE_PAIR = re.compile(r"\\.", re.S)


def breaks(
    text: str, newline: bool, width: int, start_column: int, first: bool = False
) -> list[int]:
    """Where write-po.c breaks the escaped `text` (a portion ending in "\\n" if `newline`);
    with `first`, at most the first break (enough to learn whether the text fits)."""
    if fits(text, width - start_column):
        return []  # it all fits (the common case)
    forbidden: set[int] = set()
    if "\\" in text:
        # A line may end before an escape sequence, never inside it, nor before the final \n.
        forbidden.update(match.start() + 1 for match in _ESCAPE_PAIR.finditer(text))
        if newline:
            forbidden.add(len(text) - 2)
    if _NARROW.fullmatch(text) is not None:
        return _narrow_breaks(text, frozenset(forbidden), width, start_column, first)
    layout = _layout(text)
    if layout is not None:
        return _simple_breaks(text, layout, frozenset(forbidden), width, start_column, first)
    chars = list(text)
    overrides = [i in forbidden for i in range(len(chars))]
    flags = _width_linebreaks(chars, overrides, width, start_column)
    return [i for i, brk in enumerate(flags) if brk]
