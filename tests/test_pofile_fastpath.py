"""pofile's fast wrapping path against its general, character-by-character path.

`_wrap` wraps narrow text (one column a character, simple line-break classes) by jumping to
where each line overflows; everything else goes through `linebreak._possible_linebreaks` and
`linebreak._width_linebreaks`, the direct transcription of libunistring. These tests hold the fast
path to the general one; test_pofile.py holds both to real msgcat.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.errors import CatalogError
from tirage.po import linebreak, linebreak_table, pofile
from tirage.po.linebreak import _NARROW, _narrow_breaks, _width_linebreaks
from tirage.po.pofile import _wrap


def reference_wrap(prefix: str, name: str, value: str, wrap: bool = True) -> list[str]:
    """write-po.c's wrap(), character by character: the writer before the fast path."""
    lines: list[str] = []
    portions = value.split("\n")
    pieces = [p + "\n" for p in portions[:-1]]
    if portions[-1] or not pieces:
        pieces.append(portions[-1])
    first_line = True
    after_break = len(prefix) + 1
    for index, portion in enumerate(pieces):
        more = index < len(pieces) - 1
        chars: list[str] = []
        overrides: list[bool] = []
        for char in portion:
            escaped = pofile._ESCAPES.get(char)
            if escaped is None:
                chars.append(char)
                overrides.append(False)
            else:
                chars.extend(("\\", escaped))
                overrides.extend((False, True))
        if portion.endswith("\n"):
            overrides[-2] = True
        width = pofile.PAGE_WIDTH - 1 - after_break
        while True:
            start = len(prefix) + (len(name) + 1 if first_line else 0) + 1 - after_break
            breaks = (
                _width_linebreaks(chars, overrides, width, start) if wrap else [False] * len(chars)
            )
            too_wide = wrap and start > width
            if first_line and chars and (more or too_wide or any(breaks)):
                lines.append(f'{prefix}{name} ""')
                first_line = False
                continue
            break
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        current = [head, '"']
        for char, brk in zip(chars, breaks, strict=True):
            if brk:
                current.append('"')
                lines.append("".join(current))
                current = [prefix, '"']
            current.append(char)
        current.append('"')
        lines.append("".join(current))
    return lines


def narrow_chars() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if _NARROW.fullmatch(chr(c))]


def test_narrow_characters_are_simple() -> None:
    """What the fast path assumes: one column each, and no class with a special rule."""
    classes = {linebreak._lb_class(char) for char in narrow_chars()}
    assert classes.isdisjoint({"BK", "CM", "ZWJ", "ZW", "HL"})
    assert [char for char in narrow_chars() if linebreak._lb_class(char) == "SP"] == [" "]
    assert all(linebreak._char_width(char) == 1 for char in narrow_chars())
    assert set(linebreak._narrow_classes()) == set(narrow_chars())


# One character of each line-break class found in narrow text, with spaces weighted up.
NARROW_SAMPLE = [
    *sorted({linebreak._lb_class(c): c for c in narrow_chars()}.values()),
    *" " * 3,
    *"-ae\u00a0\u202f«»—–’/'\"",
]
LETTERS = st.sampled_from(["a", "bc", "def", "ghij", "klmnopq", "rstuvwxyzabcdefg"])
narrow_text = st.lists(st.one_of(st.sampled_from(NARROW_SAMPLE), LETTERS), max_size=120).map(
    "".join
)
any_text = st.text(
    st.one_of(
        st.sampled_from([*NARROW_SAMPLE, "\n", "\t", "\\", "\u0301", "\u200b", "\u200d", "\u2028"]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=200,
)


@settings(max_examples=3000, deadline=None)
@given(narrow_text, st.integers(1, 90), st.integers(-5, 100), st.data())
def test_narrow_breaks_match_the_general_path(
    text: str, width: int, start: int, data: st.DataObject
) -> None:
    forbidden = frozenset(
        data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)), max_size=6)) if text else ()
    )
    overrides = [i in forbidden for i in range(len(text))]
    general = _width_linebreaks(list(text), overrides, width, start)
    expected = [i for i, brk in enumerate(general) if brk]
    assert _narrow_breaks(text, forbidden, width, start) == expected


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(["", "#~ ", "#| ", "#~| "]),
    st.sampled_from(["msgid", "msgstr", "msgctxt", "msgstr[1]", "msgid_plural"]),
    st.one_of(narrow_text, any_text),
    st.booleans(),
)
def test_wrap_matches_the_reference(prefix: str, name: str, value: str, wrap: bool) -> None:
    assert list(_wrap(prefix, name, value, wrap)) == reference_wrap(prefix, name, value, wrap)


def test_wrap_long_unbroken_and_escaped() -> None:
    for value in [
        "x" * 300,
        "a " * 100,
        " " * 90 + "a",
        "mot-" * 40,
        '"' * 100,
        "\\" * 100,
        ("phrase avec « guillemets » et\tune tabulation " * 5) + "\n",
        "https://example.org/" + "a/" * 60,
    ]:
        for prefix in ("", "#~ "):
            assert list(_wrap(prefix, "msgid", value)) == reference_wrap(prefix, "msgid", value)


# --- syntax check: one regex over the text against the line-by-line loop ------------------

PO_LINES = [
    'msgid "a"',
    'msgstr "b \\" c"',
    'msgstr[0] "x"',
    'msgid_plural "y"',
    'msgctxt "z"',
    '"continued \\\\"',
    '  "indented"  ',
    "\t",
    "",
    "#, fuzzy",
    "# comment",
    "#: source/a.txt:3",
    '#~ msgid "old"',
    '#~| msgid "older"',
    "#~",
    "#~ ",
    '#| msgid "prev"',
    'msgid "unterminated',
    'msgstr "a" extra',
    "nonsense",
    'msgstr[x] "bad"',
    "\u00a0",
    '"tab\tinside"',
    'msgid  \t "spaced"',
    '"trailing backslash\\"',
    "#~ garbage",
]


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PO_LINES), st.text(max_size=12)), max_size=12),
    st.sampled_from(["\n", "\r\n", "\n\n"]),
    st.booleans(),
)
def test_syntax_regex_matches_the_loop(lines: list[str], newline: str, final: bool) -> None:
    text = newline.join(lines) + (newline if final else "")

    def line_of_error(check: Callable[[str, Path | None], None]) -> int | None:
        try:
            check(text, None)
        except CatalogError as error:
            return error.line or -1
        return None

    assert line_of_error(pofile._check_syntax) == line_of_error(pofile._check_lines)


def uniseg_runs() -> list[str]:
    """Line_Break of every code point from uniseg, as `linebreak_table.RUNS` writes it."""
    from uniseg.linebreak import line_break

    runs: list[str] = []
    last = None
    for code in range(sys.maxunicode + 1):
        value = line_break(chr(code))
        name = str(getattr(value, "value", value))
        if name != last:
            runs.append(f"{code:X}:{name}")
            last = name
    return runs


def test_line_break_table_is_uniseg_s() -> None:
    """The classes are written out (the writer does not import uniseg); they must be what
    uniseg says of every code point. When uniseg changes, `python
    tests/test_pofile_fastpath.py > src/tirage/po/linebreak_table.py` writes them anew."""
    assert linebreak_table.RUNS.split() == uniseg_runs()


# Wide and right-to-left text with the punctuation it uses, and characters the simple path
# must leave to the general one (combining marks, joiners, zero-width ones).
WIDE_SAMPLE = [
    *"あいうかきっャー漢字日本語「」、。・…！？（）〜々",
    *"אבגדהוזחטיכלמנסעפצקרשת־׳״",
    *"abc def-/12,.;:!?\"'()«»—–%$€¿",
    *" " * 6,
    *"\u00ad\u2060\u200e\u05b0\u0301\u200b\u200d\u3000\uff01\u1160가각ㄱ",
]
wide_text = st.lists(st.sampled_from(WIDE_SAMPLE), max_size=150).map("".join)


@settings(max_examples=3000, deadline=None)
@given(wide_text, st.integers(1, 90), st.integers(-5, 100), st.data())
def test_simple_breaks_match_the_general_path(
    text: str, width: int, start: int, data: st.DataObject
) -> None:
    layout = linebreak._simple_layout(text)
    if layout is None:
        return  # a class with rules of its own: the general path's alone
    forbidden = frozenset(
        data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)), max_size=6)) if text else ()
    )
    overrides = [i in forbidden for i in range(len(text))]
    general = _width_linebreaks(list(text), overrides, width, start)
    expected = [i for i, brk in enumerate(general) if brk]
    found = (
        []
        if start + layout[-1] <= width
        else linebreak._simple_breaks(text, layout, forbidden, width, start)
    )
    assert found == expected


def table_module() -> str:
    """`linebreak_table`'s source, for the uniseg installed."""
    import textwrap

    import uniseg

    docstring = textwrap.fill(
        f"Unicode's Line_Break property of every code point, as uniseg {uniseg.__version__} "
        f"gives it (Unicode {uniseg.unidata_version}): `linebreak` looks characters up here "
        "instead of importing uniseg, whose import is a third of a process that writes a PO "
        "file. Each item is the first code point of a run (hex) and the class of the run. "
        "`tests/test_pofile_fastpath.py` checks every code point against uniseg and prints "
        "this module anew when uniseg changes (`python tests/test_pofile_fastpath.py`).",
        95,
    )
    runs = "\n".join(textwrap.wrap(" ".join(uniseg_runs()), 95))
    return f'"""{docstring}\n"""\n\nRUNS = """\n{runs}\n"""\n'


if __name__ == "__main__":
    print(table_module(), end="")
