"""The print edition's fonts, and whether they can set an edition's text.

Free fonts from Debian's packages: Noto Serif for the text and Noto Sans for the display
lines (`fonts-noto-core`), each followed by DejaVu (`fonts-dejavu-core`) for the symbols Noto
lacks. Between them they cover the Latin, Greek and Cyrillic scripts. Fontconfig, which the
PDF engine uses too, says which files they are; their cmap tables (read with fontTools) say
which characters they have. A character neither font of a stack has would be drawn by
whatever other font happens to be installed, or as an empty box: such an edition is refused,
naming the script.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from tirage.errors import EngineError

SERIF = ("Noto Serif", "DejaVu Serif")
SANS = ("Noto Sans", "DejaVu Sans")
PACKAGES = {"Noto": "fonts-noto-core", "DejaVu": "fonts-dejavu-core"}
# Characters that are never drawn: spaces, controls, format characters (soft hyphen, joiners).
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


@dataclass(frozen=True)
class Missing:
    """Characters of an edition that a font stack cannot draw, by script."""

    families: tuple[str, ...]
    scripts: dict[str, list[str]]

    def describe(self) -> str:
        # Punctuation and symbols (Common) are named only when no real script is missing.
        named = [name for name in self.scripts if name not in ("Common", "Inherited")]
        named = named or list(self.scripts)
        examples = ", ".join(f"{self.scripts[n][0]} U+{ord(self.scripts[n][0]):04X}" for n in named)
        scripts = ", ".join(named)
        return f"{' and '.join(self.families)} have no {scripts} characters (e.g. {examples})"


def font_stack_css(families: Iterable[str]) -> str:
    return ", ".join(f'"{family}"' for family in families)


def missing_characters(text: str, families: tuple[str, ...] = SERIF) -> Missing | None:
    """The characters of `text` that no font of `families` has, grouped by script."""
    covered = coverage(families)
    scripts: dict[str, list[str]] = {}
    for char in sorted(set(text)):
        if ord(char) in covered or unicodedata.category(char) in _INVISIBLE:
            continue
        scripts.setdefault(_script_name(char), []).append(char)
    return Missing(families, scripts) if scripts else None


def _script_name(char: str) -> str:
    from fontTools import unicodedata as fontunicode  # installed with the pdf extra

    return str(fontunicode.script_name(fontunicode.script(char)))


@lru_cache(maxsize=8)
def coverage(families: tuple[str, ...]) -> frozenset[int]:
    """Every code point the regular faces of `families` map to a glyph."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for family in families:
        with TTFont(font_file(family), lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


@lru_cache(maxsize=8)
def font_file(family: str) -> str:
    """The file fontconfig gives for the family's regular face."""
    found = face_file(family)
    if found is None:
        package = PACKAGES.get(family.split()[0], "a package with it")
        raise EngineError(
            f"font '{family}' is not installed: the print edition needs it "
            f"(Debian: apt install {package})"
        )
    return found


@lru_cache(maxsize=32)
def face_file(family: str, bold: bool = False, italic: bool = False) -> str | None:
    """The file fontconfig gives for one face of a family (None when it has none)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise EngineError("fc-list not found: install fontconfig (Debian: apt install fontconfig)")
    slant, weight = (100 if italic else 0), (200 if bold else 80)
    found = subprocess.run(
        [fc_list, "--format", "%{file}\n", f"{family}:slant={slant}:weight={weight}:width=100"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return sorted(found)[0] if found else None


class _TextParser(HTMLParser):
    """The text a reader sees in print: not <head> (title, style, JSON-LD), nor the language
    links (`nav.languages`, hidden in print, where other scripts' names may appear)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_until = ""  # the end tag that closes the element being skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if not self._hidden_until and (tag == "head" or (tag == "nav" and "languages" in classes)):
            self._hidden_until = tag  # neither <head> nor that <nav> holds another of its kind

    def handle_endtag(self, tag: str) -> None:
        if tag == self._hidden_until:
            self._hidden_until = ""

    def handle_data(self, data: str) -> None:
        if not self._hidden_until:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
