"""The shortcuts that make reading and writing a PO file cheap (bench/porw.py) against the
paths they skip: `linebreak.fits` against the general line breaking, and the runs the narrow
classes are read from against a lookup per character."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.po import linebreak


def thin_chars() -> list[str]:
    thin = re.compile(f"[{linebreak._THIN_RANGES}]")
    return [chr(c) for c in range(sys.maxunicode + 1) if thin.fullmatch(chr(c))]


def test_thin_characters_are_at_most_one_column() -> None:
    """What `fits` assumes: text of them is no wider than its length, and none is a break
    that the writer keeps (U+0085, U+2028, U+2029)."""
    chars = thin_chars()
    assert all(linebreak._char_width(char) <= 1 for char in chars)
    assert linebreak._HARD_BREAKS.isdisjoint(chars)
    # Every narrow character is thin: `fits` needs no second test for them.
    assert set(chars).issuperset(
        chr(c) for c in range(0x2100) if linebreak._NARROW.fullmatch(chr(c))
    )


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
@given(any_text, st.integers(1, 90), st.integers(-5, 100), st.booleans())
def test_what_fits_is_not_broken(text: str, width: int, start: int, newline: bool) -> None:
    """Where `fits` says a text fits, the general path finds no break in it either; where it
    says nothing, `breaks` still finds what the general path finds."""
    general = linebreak._width_linebreaks(list(text), [False] * len(text), width, start)
    if linebreak.fits(text, width - start):
        assert not any(general)
    if "\\" not in text:  # (a backslash starts an escape there: no break after it)
        found = linebreak.breaks(text, False, width, start)
        assert found == [i for i, brk in enumerate(general) if brk]


def test_narrow_classes_read_from_the_runs() -> None:
    for char, code in linebreak._narrow_classes().items():
        name = linebreak._lb_class(char)
        assert code == (linebreak._SPACE if name == "SP" else linebreak._INDEX[name])
