"""Inline Markdown marks (`` ` ``, `*`, `**`, `_`, `__`, `[ ]`): how many a text holds, and
whether they pair up.

One reading for the Markdown reader (a sentence must not leave an emphasis open) and for the
checks (a translation must keep its source's marks).
"""

from __future__ import annotations

import re
from collections import Counter

from tirage.text.addresses import URL

MARKS = ("`", "**", "__", "*", "_")

_MARKDOWN_CHARS = re.compile(r"[`*_\[\]]")
_DOUBLE_UNDERSCORE = re.compile(r"(?<!\w)__|__(?!\w)")
# A star that touches a word on one side; "5 * 3" and "* " list markers are not emphasis.
_STAR = re.compile(r"(?<![\s*])\*|\*(?![\s*])")
# Intraword underscores (snake_case) are not emphasis in CommonMark.
_UNDERSCORE = re.compile(r"(?<!\w)_(?!_)(?=\S)|(?<=\S)(?<!_)_(?!\w)")
_ESCAPED = re.compile(r"\\[`*_\[\]\\]")


def markdown_marks(text: str) -> Counter[str]:
    """How many of each inline mark `text` holds (URLs and escaped marks left out)."""
    marks: Counter[str] = Counter()
    if not _MARKDOWN_CHARS.search(text):
        return marks
    text = _ESCAPED.sub(" ", URL.sub(" ", text))
    marks["`"] = text.count("`")
    marks["**"] = text.count("**")
    marks["__"] = len(_DOUBLE_UNDERSCORE.findall(text))
    marks["*"] = len(_STAR.findall(text.replace("**", "")))
    marks["_"] = len(_UNDERSCORE.findall(text.replace("__", "")))
    marks["["] = text.count("[")
    marks["]"] = text.count("]")
    return marks


def balanced(text: str) -> bool:
    """Every emphasis and code mark is paired, and as many `[` as `]`."""
    marks = markdown_marks(text)
    return all(marks[mark] % 2 == 0 for mark in MARKS) and marks["["] == marks["]"]
