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
Ordinals keep their digits (`1er` ≡ `1st`, `2e` ≡ `2nd`). Numbers inside protected spans (URLs,
code, macros, placeholders, masks) are left to the checks of those spans.

Times are read as times, in the forms languages write them: `5h45`, `5 h 45`, `17h`,
`17 h 30`, `17:30`, `5:45 am`, `5 pm`. A time matches another with the same minutes and the
same hour on a 12- or 24-hour clock (`17h` ≡ `5 pm` ≡ `17:00`), or a bare number that is its
hour when it has no minutes (`17 h` ≡ `5 o'clock`).
A Roman ordinal (`XIXe siècle`, `XIXth century`) counts as its number when the translation
writes it in digits (`19th century`); a translation that spells it out is not wrong.
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
# 5h45, 5 h 45, 17h, 17 h 30, 5:45 am, 5 p.m. (17:30 alone stays a token: it may be a score).
_TIME = re.compile(
    r"(?<![\w.,:])(\d{1,2})(?:[ \u00a0\u202f]?[hH][ \u00a0\u202f]?(\d{2})?(?!\w)"
    r"|(?::(\d{2}))?[ \u00a0\u202f]?([aApP])\.?[mM]\b\.?)"
)
_CLOCK = re.compile(r"(\d{1,2})[:.h](\d{2})")
# Two numerals at least, or I, V, X alone: "Ce", "De", "Le" and "Me" are words.
_ROMAN = re.compile(r"\b([IVXLCDM]{2,7}|[IVX])(?:e|er|re|ème|è|eme|th|st|nd|rd)\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


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
    kind: str = ""  # "time" (raw is H:MM) or "roman" (raw is its value in digits)

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
    romans = [_roman(m.group(1), lang) for m in _ROMAN.finditer(text)]
    found = [n for n in romans if n is not None]
    if not _DIGIT.search(text):
        return found
    text = " ".join(between(text, find_protected(text)))
    text = _MASK.sub(" ", text)
    for match in _TIME.finditer(text):
        hour, minutes = int(match.group(1)), match.group(2) or match.group(3) or "00"
        if match.group(4) and match.group(4).lower() == "p" and hour < 12:
            hour += 12
        if hour <= 24 and int(minutes) < 60:
            found.append(Number(f"{hour}:{minutes}", lang, "time"))
    text = _TIME.sub(lambda m: " " * len(m.group()), text)
    tokens = TOKEN.finditer(text)
    return found + [Number(re.sub(_SPACE_CLASS, " ", m.group()), lang) for m in tokens]


def _roman(numeral: str, lang: str) -> Number | None:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return Number(str(total), lang, "roman") if 0 < total < 4000 else None


def _clock(number: Number) -> tuple[int, int] | None:
    """(hour, minutes) of a time, of a clock-like token (5:45, 5.45), or of a whole number."""
    found = _CLOCK.fullmatch(number.raw)
    if found:
        return int(found.group(1)), int(found.group(2))
    return (int(number.raw), 0) if number.raw.isdigit() else None


def _same_time(source: Number, target: Number) -> bool:
    a, b = _clock(source), _clock(target)
    if a is None or b is None or a[1] != b[1]:
        return False
    return a[0] % 12 == b[0] % 12


def same_number(source: Number, target: Number) -> bool:
    """Whether `target` writes the number `source` writes (see the module notes)."""
    if "time" in (source.kind, target.kind):
        return _same_time(source, target)
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
    missing = [n for n in missing if n.kind != "roman"]  # spelled out, or kept as a numeral
    extra = [n for n in extra if n.kind != "roman"]
    return missing, extra


def _cut_ranges(found: list[Number]) -> list[Number]:
    out: list[Number] = []
    for number in found:
        if number.kind:
            out.append(number)
            continue
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
