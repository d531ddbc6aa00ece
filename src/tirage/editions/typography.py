"""Locale typography for translated text: quotation marks and the spaces around punctuation.

babel has no quotation-mark data, so the table lives here. It is applied to translated text
only (a source fallback keeps its own typography), before the text is escaped for a format.

What it does, for a target locale:
- double quotation marks, whatever style the translator or engine typed (`"x"`, `“x”`, `„x“`,
  `«x»`, `« x »`), become the locale's, with the locale's space inside; a quotation nested in
  another takes the locale's secondary marks;
- the space before `; : ! ?` becomes the locale's: a narrow no-break space in French, none in
  English, German, Spanish…; only where the mark ends a word (not in `10:30` or `http://`);
- a straight apostrophe between two letters (`l'art`, `Lyon's`) becomes the locale's (’).

Only prose is touched. What `tirage.text.protect` masks before machine translation (code spans,
template syntax, URLs, e-mail addresses, link targets and reference labels, HTML tags,
placeholders, and the glossary's do-not-translate names such as `Clust'R`) comes out byte for
byte: each such span stands as one placeholder character while the rules run, so quotation
marks around it still pair up. Single quotes used as quotation marks are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tirage.text.protect import between, find_protected

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space


@dataclass(frozen=True)
class Typography:
    primary: tuple[str, str]
    secondary: tuple[str, str]
    inner_space: str = ""  # between a primary quotation mark and the quoted text
    secondary_space: str = ""  # the same for a nested quotation
    before_punct: str = ""  # before ; : ! ?
    alternatives: str = ""  # other marks a text in this language may rightly use
    apostrophe: str = "’"  # "" where the script has none

    @property
    def allowed(self) -> str:
        return "".join(self.primary + self.secondary) + self.alternatives


# Keyed by language, or language_TERRITORY where a territory differs from its language.
TABLE: dict[str, Typography] = {
    "en": Typography(("“", "”"), ("‘", "’")),
    "fr": Typography(
        ("«", "»"), ("“", "”"), inner_space=NBSP, before_punct=NNBSP, alternatives="‹›"
    ),
    "fr_CH": Typography(("«", "»"), ("‹", "›")),
    "de": Typography(("„", "“"), ("‚", "‘"), alternatives="»«›‹"),
    "de_CH": Typography(("«", "»"), ("‹", "›")),
    "es": Typography(("«", "»"), ("“", "”"), alternatives="‘’"),
    "it": Typography(("«", "»"), ("“", "”"), alternatives="‘’"),
    "pt": Typography(("«", "»"), ("“", "”"), alternatives="‘’"),
    "pt_BR": Typography(("“", "”"), ("‘", "’")),
    "nl": Typography(("“", "”"), ("‘", "’"), alternatives="„"),
    "pl": Typography(("„", "”"), ("«", "»")),
    "cs": Typography(("„", "“"), ("‚", "‘")),
    "ru": Typography(("«", "»"), ("„", "“")),
    "uk": Typography(("«", "»"), ("„", "“")),
    "sv": Typography(("”", "”"), ("’", "’")),
    "da": Typography(("»", "«"), ("›", "‹")),
    "ja": Typography(("「", "」"), ("『", "』"), apostrophe=""),
    "zh": Typography(("“", "”"), ("‘", "’"), apostrophe=""),
}


def typography_for(locale: str) -> Typography | None:
    """The table entry for `pt_BR`, `pt-BR` or `pt`; None for a locale we know nothing of."""
    code = locale.replace("-", "_")
    if code in TABLE:
        return TABLE[code]
    return TABLE.get(code.split("_")[0])


# Double quotation marks we recognise in translated text. « and » say which side they are;
# the others are read from context (what is on their left).
_QUOTES = '"“”„«»'
_SPACE = f" {NBSP}{NNBSP}\u2009"
# Stands for one protected span while the rules run: a noncharacter, like the fallback marks.
_SPAN = "\ufdd2"
_HIGH_PUNCT = re.compile(rf"(?<=[\w\)\]»”“’…\"{_SPAN}])[{_SPACE}]*([;:!?]+)(?=[\s»”“’›\)\]]|$)")
_APOSTROPHE = re.compile(rf"(?<=[^\W\d_]|{_SPAN})'(?=[*_]{{0,3}}[^\W\d_])")  # l'*art*


def apply_typography(text: str, locale: str, keep: Sequence[str] = ()) -> str:
    """`text` with the quotation marks, punctuation spacing and apostrophes of `locale`,
    in prose only: protected spans (see the module notes) and the `keep` terms are left as
    they are."""
    return _typography(text, locale, tuple(keep))


@lru_cache(maxsize=65536)  # one segment goes into three editions, one after the other
def _typography(text: str, locale: str, keep: tuple[str, ...]) -> str:
    rules = typography_for(locale)
    if rules is None or not text:
        return text
    spans = find_protected(text, keep)
    if not spans:
        return _apply(text, rules)
    if _SPAN in text:  # cannot stand in for spans: treat each stretch of prose alone
        parts = [_apply(piece, rules) for piece in between(text, spans)]
    else:
        prose = _SPAN.join(between(text, spans))
        parts = _apply(prose, rules).split(_SPAN)
    out = [parts[0]]
    for (start, end), part in zip(spans, parts[1:], strict=True):
        out.append(text[start:end])
        out.append(part)
    return "".join(out)


def _apply(text: str, rules: Typography) -> str:
    text = _punctuation(_quotes(text, rules), rules)
    if rules.apostrophe and "'" in text:
        text = _APOSTROPHE.sub(rules.apostrophe, text)
    return text


def _punctuation(text: str, rules: Typography) -> str:
    return _HIGH_PUNCT.sub(lambda m: rules.before_punct + m.group(1), text)


def _quotes(text: str, rules: Typography) -> str:
    if not any(q in text for q in _QUOTES):
        return text
    out: list[str] = []
    opened: list[int] = []  # len(out) just after each open quotation's opening mark
    i = 0
    while i < len(text):
        char = text[i]
        i += 1
        if char not in _QUOTES:
            out.append(char)
        elif _is_opening(text, i - 1, len(opened)):
            marks, space = _marks(rules, len(opened))
            out.append(marks[0] + space)
            opened.append(len(out))
            while i < len(text) and text[i] in _SPACE:  # the locale decides the inner space
                i += 1
        else:
            floor = opened.pop() if opened else 0
            marks, space = _marks(rules, len(opened))
            while len(out) > floor and out[-1] in _SPACE:
                out.pop()
            out.append(space + marks[1])
    return "".join(out)


def _marks(rules: Typography, depth: int) -> tuple[tuple[str, str], str]:
    if depth == 0:
        return rules.primary, rules.inner_space
    return rules.secondary, rules.secondary_space


def _is_opening(text: str, index: int, depth: int) -> bool:
    """« opens and » closes. Other marks are read from context: a mark opens at a word's
    start and closes at its end; where the context says nothing (spaces or letters on both
    sides) „ opens, and a straight or curly mark opens unless a quotation is open."""
    char = text[index]
    if char in "«»":
        return char == "«"
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    space_before = before == "" or before.isspace() or before in "([{—–-/" + _QUOTES
    space_after = after == "" or after.isspace()
    if space_before != space_after:
        return space_before
    if char == "„":
        return True
    return depth == 0
