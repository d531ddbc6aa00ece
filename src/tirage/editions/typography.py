"""Locale typography for translated text: quotation marks and the spaces around punctuation.

babel has no quotation-mark data, so the table lives here. It is applied to translated text
only (a source fallback keeps its own typography), before the text is escaped for a format.

What it does, for a target locale:
- double quotation marks, whatever style the translator or engine typed (`"x"`, `“x”`, `„x“`,
  `«x»`, `« x »`), become the locale's, with the locale's space inside; a quotation nested in
  another takes the locale's secondary marks;
- the space before `; : ! ?` becomes the locale's: a narrow no-break space in French, none in
  English, German, Spanish…; only where the mark ends a word (not in `10:30` or `http://`).

Single quotes are left alone: `'` and `’` are far more often apostrophes (Clust'R) than quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
    "ja": Typography(("「", "」"), ("『", "』")),
    "zh": Typography(("“", "”"), ("‘", "’")),
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
_HIGH_PUNCT = re.compile(rf"(?<=[\w\)\]»”“’…\"])[{_SPACE}]*([;:!?]+)(?=[\s»”“’›\)\]]|$)")
# Markup a translator may put in Markdown text, left as it is: code spans, autolinks and
# HTML tags, link destinations.
_PROTECTED = re.compile(r"`+[^`]*`+|<[^<>\s][^<>]*>|\]\([^)]*\)")


@lru_cache(maxsize=4096)  # one segment goes into three editions
def apply_typography(text: str, locale: str, markup: bool = False) -> str:
    """`text` with the quotation marks and punctuation spacing of `locale`.

    With `markup`, Markdown code spans, tags and link targets are left untouched.
    """
    rules = typography_for(locale)
    if rules is None or not text:
        return text
    if not markup:
        return _apply(text, rules)
    parts: list[str] = []
    last = 0
    for match in _PROTECTED.finditer(text):
        parts.append(_apply(text[last : match.start()], rules))
        parts.append(match.group())
        last = match.end()
    parts.append(_apply(text[last:], rules))
    return "".join(parts)


def _apply(text: str, rules: Typography) -> str:
    return _punctuation(_quotes(text, rules), rules)


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
