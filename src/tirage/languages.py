"""Language codes as users type them: checked with babel, matched without regard to case,
with a suggestion for a language's name ("english" → en) and the spelling gettext expects."""

from __future__ import annotations

import difflib
import re
from functools import cache

from babel import Locale, UnknownLocaleError

# A code is letters, digits, `_` and `-` (fr, pt-BR, sr_Latn): never a path.
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def parse(code: str) -> Locale | None:
    """babel's Locale for a code, or None when babel does not know it."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return None
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def same(a: str, b: str) -> bool:
    """`pt-BR`, `pt_br` and `PT-BR` are one language."""
    return a.replace("-", "_").lower() == b.replace("-", "_").lower()


def canonical(code: str) -> str | None:
    """The code in babel's case (`EN` → `en`, `pt-br` → `pt-BR`), keeping the separator."""
    locale = parse(code)
    if locale is None:
        return None
    text = str(locale)
    return text.replace("_", "-") if "-" in code else text


def gettext_code(code: str) -> str:
    """The spelling of PO headers' Language: `pt_BR`, not `pt-BR`."""
    return code.replace("-", "_")


@cache
def _names() -> dict[str, str]:
    """Lower-case English names of languages → code ("french" → fr)."""
    english = Locale("en")
    names: dict[str, str] = {}
    for code, name in english.languages.items():
        if "_" not in code and len(code) <= 3:
            names.setdefault(name.lower(), code)
    return names


def suggest(word: str, among: tuple[str, ...] = ()) -> str | None:
    """The code a user probably meant: a language's name, or a close code among `among`."""
    lowered = word.strip().lower()
    names = _names()
    if lowered in names:
        return names[lowered]
    for code in among:
        if same(code, word):
            return code
    close = difflib.get_close_matches(lowered, list(names), n=1, cutoff=0.8)
    if close:
        return names[close[0]]
    close = difflib.get_close_matches(lowered, [c.lower() for c in among], n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, among: tuple[str, ...] = ()) -> str:
    """'; did you mean en?' or ''."""
    guess = suggest(word, among)
    return f"; did you mean {guess}?" if guess else ""


def text_direction(lang: str) -> str:
    """ "rtl" for a language written right to left (babel's character order), else "ltr"."""
    locale = parse(lang)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"
