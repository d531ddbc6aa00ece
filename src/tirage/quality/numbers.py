"""Numbers in a sentence and its translation, compared the way each language writes them.

A number token is read from the text without knowing its language first: digits, with
separators between digit groups (`1.1`, `2 209`, `3,5`, `10:30`, `28/05/2015`, `2010–2015`).
A source token and a translation token are the same number when
- they have the same value, each read in its own language (`3,5` ≡ `3.5`, `2 209` ≡ `2,209`),
  or the source's token read in the translation's language (`2.5` in a French source);
- or they are written alike and the translation's reader cannot misread it: `HTTP/1.1`,
  `2 209` or a phone number copied as they are; but `3,5` copied into English is not `3.5`;
- or, for dates, times and ranges, they hold the same numbers in another order
  (`28/05/2015` ≡ `05/28/2015` ≡ `2015-05-28`, `10:30` ≡ `10.30`).
Ordinals keep their digits (`1er` ≡ `1st`). Numbers inside protected spans (URLs, code,
macros, placeholders, masks) are left to the checks of those spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from tirage.text.protect import between, find_protected

SPACES = " \u00a0\u202f\u2009"
_SPACE_CLASS = f"[{SPACES}]"
# Space-grouped thousands (1 to 3 digits, then groups of 3) or digit groups joined by . , : /
# - –. Not after a letter, a digit or a separator: "mp3", "v2" and "x.5" are not numbers.
TOKEN = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:{_SPACE_CLASS}\d{{3}})+(?![\d])(?:[.,]\d+)?"
    rf"|\d+(?:[.,:/\-–]\d+)*)(?!\d)"
)
_DATE_LIKE = re.compile(r"[:/\-–]|\d[.,]\d+[.,]\d")
_GROUPS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_RANGE = re.compile(r"[\-–]")
_MASK = re.compile(r"⟦\d*⟧|[\ue000-\uf8ff]")


@cache
def symbols(lang: str) -> tuple[str, str]:
    """The decimal and group symbols of `lang` (babel.numbers)."""
    try:
        return get_decimal_symbol(lang), get_group_symbol(lang)
    except (ValueError, TypeError):
        return ".", ","


@cache
def _strict(lang: str) -> re.Pattern[str]:
    decimal, group = symbols(lang)
    groups = set(SPACES) | {group} if group in SPACES else {group}
    g = "[" + re.escape("".join(sorted(groups))) + "]"
    d = re.escape(decimal)
    return re.compile(rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d+(?:{d}\d+)?")


@cache
def value_in(token: str, lang: str) -> Decimal | None:
    """The value of `token` as `lang` writes numbers, or None if `lang` would not write it so."""
    if not _strict(lang).fullmatch(token):
        return None
    decimal, _ = symbols(lang)
    digits = "".join(ch for ch in token if ch.isdigit() or ch == decimal)
    try:
        return Decimal(digits.replace(decimal, ".")).normalize()
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Number:
    raw: str  # as written, spaces unified
    lang: str

    @property
    def value(self) -> Decimal | None:
        return value_in(self.raw, self.lang)

    @property
    def groups(self) -> tuple[int, ...]:
        return tuple(sorted(int(g) for g in _GROUPS.findall(self.raw)))

    def show(self) -> str:
        value = self.value
        return format(value, "f") if value is not None else self.raw


def numbers(text: str, lang: str) -> list[Number]:
    """The number tokens of `text`, outside protected spans."""
    if not _DIGIT.search(text):
        return []
    text = " ".join(between(text, find_protected(text)))
    text = _MASK.sub(" ", text)
    return [Number(re.sub(_SPACE_CLASS, " ", m.group()), lang) for m in TOKEN.finditer(text)]


def same_number(source: Number, target: Number) -> bool:
    """Whether `target` writes the number `source` writes (see the module notes)."""
    value = target.value
    if value is not None and value in (source.value, value_in(source.raw, target.lang)):
        return True
    if source.raw == target.raw:
        src_decimal = symbols(source.lang)[0]
        return src_decimal == symbols(target.lang)[0] or src_decimal not in source.raw
    if _DATE_LIKE.search(source.raw) or _DATE_LIKE.search(target.raw):
        return len(source.groups) > 1 and source.groups == target.groups
    return False


def compare(source: list[Number], target: list[Number]) -> tuple[list[Number], list[Number]]:
    """(source numbers the translation lacks, translation numbers the source lacks).

    What is left unmatched is tried again with ranges cut at their dash: "de 2010 à 2015"
    is "2010–2015"."""
    missing, extra = _match(source, target)
    if missing and extra:
        missing, extra = _match(_cut_ranges(missing), _cut_ranges(extra))
    return missing, extra


def _cut_ranges(found: list[Number]) -> list[Number]:
    out: list[Number] = []
    for number in found:
        parts = _RANGE.split(number.raw)
        out.extend(Number(part, number.lang) for part in parts if part)
    return out


def _match(source: list[Number], target: list[Number]) -> tuple[list[Number], list[Number]]:
    unmatched = list(target)
    missing: list[Number] = []
    for number in source:
        found = next((t for t in unmatched if same_number(number, t)), None)
        if found is None:
            missing.append(number)
        else:
            unmatched.remove(found)
    return missing, unmatched
