"""The shortcuts that make reading and writing a PO file cheap (bench/porw.py) against the
paths they skip: `linebreak.fits` and the simple path's combining marks against the general
line breaking, the line-break runs read in parts and the narrow classes read by runs
against the whole table, and the scan (one pattern for live and obsolete messages, escapes,
backslash-newlines) against the line-by-line reader."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_poscan import assert_scan_agrees, messages
from tirage.errors import CatalogError
from tirage.po import linebreak, linebreak_table, pofile


def plain_chars() -> list[str]:
    plain = re.compile(f"[{linebreak._PLAIN_RANGES}]")
    return [chr(c) for c in range(sys.maxunicode + 1) if plain.fullmatch(chr(c))]


def test_plain_characters_are_at_most_one_column() -> None:
    """What `plain_line` and `fits` assume: text of them (and of an escape's backslash and
    letter) is no wider than its length, and none is a break that the writer keeps (U+0085,
    U+2028, U+2029) or a character that it escapes."""
    chars = plain_chars()
    assert all(linebreak._char_width(char) <= 1 for char in [*chars, "\\", '"'])
    assert linebreak._HARD_BREAKS.isdisjoint(chars)
    assert set(pofile._ESCAPES).isdisjoint(chars)
    assert set(pofile._ESCAPES.values()) - {"\\", '"'} <= set(chars)
    # Almost every narrow character is plain: `fits` needs no second test for them.
    narrow = [chr(c) for c in range(0x2100) if linebreak._NARROW.fullmatch(chr(c))]
    assert set(narrow) - set(chars) == {"\\", '"'}


SAMPLE = [
    *"abc def-/12,.;:!?\"'()«»—–%$€¿\\",
    *"אבגדהוזחטיכלמנסעפצקרשת־׳״",
    *"абвгд ابتثج ԱԲԳ",
    *"あいう漢字、。「」！",
    *" " * 6,
    *"\u00ad\u2060\u200e\u200f\u202b\u05b0\u0301\u200b\u200d\u3000\u0085\u2028\u2029\u1160",
]
any_text = st.text(
    st.one_of(st.sampled_from(SAMPLE), st.characters(codec="utf-8", exclude_categories=("Cs",))),
    max_size=90,
)


@settings(max_examples=2000, deadline=None)
@given(any_text, st.integers(1, 90), st.integers(-5, 100))
def test_what_fits_is_not_broken(text: str, width: int, start: int) -> None:
    """`fits` says what the general path says: no wider than the room left and no mandatory
    break, no break; and `breaks` finds what the general path finds."""
    general = linebreak._width_linebreaks(list(text), [False] * len(text), width, start)
    wide = start + sum(map(linebreak._char_width, text)) > width
    hard = not linebreak._HARD_BREAKS.isdisjoint(text)
    assert linebreak.fits(text, width - start) is not (wide or hard)
    if linebreak.fits(text, width - start):
        assert not any(general)
    if "\\" not in text:  # (a backslash starts an escape there: no break after it)
        found = linebreak.breaks(text, False, width, start)
        assert found == [i for i, brk in enumerate(general) if brk]


def test_line_break_classes_read_in_two_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runs read in two parts (the second when first needed) give every code point the
    class the whole table gives it."""
    for name, empty in [("_RUN_STARTS", []), ("_RUN_CLASSES", []), ("_LB_CLASSES", {})]:
        monkeypatch.setattr(linebreak, name, empty)
    monkeypatch.setattr(linebreak, "_UNREAD", [linebreak_table.RUNS])
    monkeypatch.setattr(linebreak, "_READ_BELOW", [0])
    items = linebreak_table.RUNS.replace(":", " ").split()
    starts = [int(start, 16) for start in items[::2]]
    codes = [*range(0, sys.maxunicode + 1, 61), *starts, *(start - 1 for start in starts[1:])]
    for code in sorted(codes):
        name = items[1::2][bisect_right(starts, code) - 1]
        assert linebreak._lb_class(chr(code)) == linebreak._ALIASES.get(name, name)
        if code < 0x2000:
            assert len(linebreak._RUN_STARTS) < len(starts)  # the first part only, so far
    assert starts == linebreak._RUN_STARTS


def test_narrow_classes_read_from_the_runs() -> None:
    """The narrow classes read run by run are those looked up character by character."""
    looked_up = linebreak._NarrowCodes()
    for char, code in linebreak._narrow_classes().items():
        name = linebreak._lb_class(char)
        assert code == (linebreak._SPACE if name == "SP" else linebreak._INDEX[name])
        assert looked_up[char] == code


# Messages whose lines are live or obsolete one by one: the scan reads a message as obsolete
# or live by its first line, and must give up on any other line of the other kind.
@st.composite
def mixed_message(draw: st.DrawFn) -> str:
    def prefix(previous: bool) -> str:
        if previous:
            return draw(st.sampled_from(["#| ", "#~| "]))
        return draw(st.sampled_from(["", "#~ "]))

    def strings(first: str, previous: bool = False) -> str:
        items = draw(st.lists(st.sampled_from(['""', '"a"', '"b\\n"']), min_size=1, max_size=2))
        return "\n".join(
            first + item if index == 0 else prefix(previous) + item
            for index, item in enumerate(items)
        )

    lines = draw(st.lists(st.sampled_from(["# t", "#: a.c:1", "#, fuzzy"]), max_size=2))
    if draw(st.booleans()):
        lines.append(strings(prefix(True) + "msgid ", True))
    if draw(st.booleans()):
        lines.append(strings(prefix(False) + "msgctxt "))
    lines.append(strings(prefix(False) + "msgid "))
    if draw(st.booleans()):
        lines.append(strings(prefix(False) + "msgid_plural "))
        lines.append(strings(prefix(False) + "msgstr[0] "))
    else:
        lines.append(strings(prefix(False) + "msgstr "))
    return "\n".join(lines)


@settings(max_examples=600, deadline=None)
@given(st.lists(mixed_message(), min_size=1, max_size=4))
def test_scan_reads_mixed_prefixes_as_the_reader(messages: list[str]) -> None:
    text = 'msgid ""\nmsgstr ""\n\n' + "\n\n".join(messages) + "\n"
    assert_scan_agrees(text)


# Hebrew with its points, marks of direction and the hyphens of LB21a, densely: the simple
# path now takes combining marks (CM) too.
MARKED = [*"אבג-־ ab", *"\u05b0\u05b8\u0301\u200e\u200f\u202b\u0308", *"  "]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(MARKED), max_size=60).map("".join),
    st.integers(1, 40),
    st.integers(-5, 40),
)
def test_simple_breaks_with_combining_marks(text: str, width: int, start: int) -> None:
    layout = linebreak._simple_layout(text)
    assert layout is not None
    general = linebreak._width_linebreaks(list(text), [False] * len(text), width, start)
    expected = [i for i, brk in enumerate(general) if brk]
    found = (
        []
        if start + layout[-1] <= width
        else linebreak._simple_breaks(text, layout, frozenset(), width, start)
    )
    assert found == expected


def read(text: str) -> object:
    """What parse_po makes of a text: its entries, metadata and output, or its refusal."""
    try:
        po = pofile.parse_po(text)
    except CatalogError as error:
        return str(error)
    return [vars(entry) for entry in po], po.metadata, po.header, pofile.format_po(po)


@settings(max_examples=400, deadline=None)
@given(st.lists(messages(), min_size=1, max_size=4), st.data())
def test_backslash_newlines_are_joined_before_reading(
    parts: list[str], data: st.DataObject
) -> None:
    """The scan gives up on a backslash before a newline (it does not join them): the text
    is read, joined, line by line, to what the joined text reads to."""
    text = "\n\n".join(parts) + "\n"
    cuts = data.draw(st.sets(st.integers(0, len(text)), max_size=3))
    for cut in sorted(cuts, reverse=True):
        text = text[:cut] + "\\\n" + text[cut:]
    comment = data.draw(st.sampled_from(["", "# a\\\n", "#: b.c:1 \\\n", "#. x\\\n"]))
    text = comment + text
    assert read(text) == read(text.replace("\\\n", ""))


ESCAPE_PIECES = ["a", "é", "\\n", "\\t", "\\a", "\\q", "\\x", "\\x4", "\\xg", "\\8", "\\7", "\\07"]
ESCAPE_PIECES += ["\\377", "\\\\", '\\"', "\\ ", "\\u00e9", "\\e"]
literal = st.lists(st.sampled_from(ESCAPE_PIECES), max_size=5).map(lambda ps: f'"{"".join(ps)}"')


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(literal, literal, literal), min_size=1, max_size=3))
def test_scan_reads_escapes_as_the_reader(messages: list[tuple[str, str, str]]) -> None:
    """Good and bad escapes, in a msgid, a continued msgstr and a previous msgid."""
    text = 'msgid ""\nmsgstr ""\n\n' + "".join(
        f'#| msgid "p{index}"\n#| {previous}\nmsgid "m{index}"\n{msgid}\nmsgstr ""\n{msgstr}\n\n'
        for index, (previous, msgid, msgstr) in enumerate(messages)
    )
    assert_scan_agrees(text)
