"""A TMX <seg> back into text: which inline codes become markup again, and which are dropped.

TMX codes hold "native" data, but what CAT tools put there varies. tirage's own export (and
Okapi's) holds the markup itself (`<ph>&lt;br&gt;</ph>`); OmegaT holds its own shorthand
(`<ph>&lt;br2/&gt;</ph>`, `<bpt>&lt;f0&gt;</bpt>`), memoQ and Trados often a number. So:

1. When a segment tirage knows (a msgid of the workspace) has the same text around the same
   number of codes, the codes are that segment's markup, in order; the target's codes follow
   the source code they name (by `x`, or by holding the same data).
2. Otherwise a code holding real markup is put back as it is.
3. Anything else (a shorthand, an empty code) stands for no markup tirage knows: it is left
   out of the text and counted. It is never stored as literal text, where it would enter
   translations.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from tirage.interchange.codes import Code, markup_kind, split_codes
from tirage.po.pofile import read_po
from tirage.workspace import Workspace

CODE_TAGS = frozenset({"ph", "bpt", "ept", "it", "ut"})
# OmegaT: <br2/>, <f0>, </f0>, <a1>; memoQ and Trados: {1}, [2], <1/>, </1>.
_SHORTHAND = re.compile(r"</?[A-Za-z]{1,3}\d+\s*/?>|\{\d+\}|\[\d+\]|<\d+/?>|</\d+>")


@dataclass(frozen=True)
class TmxCode:
    data: str  # what the code holds
    x: str  # links a target's code to the source's (may be empty)


Item = str | TmxCode


def seg_items(seg: ET.Element) -> list[Item]:
    """A <seg> as text and codes, in order; <hi> is read through."""
    items: list[Item] = [seg.text or ""]
    for child in seg:
        if child.tag in CODE_TAGS:
            # A <sub> inside a code is the text of an attribute: part of the markup.
            items.append(TmxCode("".join(child.itertext()), child.get("x", "")))
        elif child.tag == "hi":
            items.extend(seg_items(child))
        items.append(child.tail or "")
    return items


def real_markup(data: str) -> bool:
    return bool(data.strip()) and _SHORTHAND.fullmatch(data.strip()) is None


class KnownSegments:
    """The workspace's msgids that hold markup, by their text without it."""

    def __init__(self, segments: Iterable[tuple[str, str]] = ()) -> None:
        self._by_text: dict[str, list[list[str | Code]]] = {}
        for msgid, kind in segments:
            pieces = split_codes(msgid, kind)
            if any(isinstance(p, Code) for p in pieces):
                text = "".join(p for p in pieces if isinstance(p, str))
                self._by_text.setdefault(text, []).append(pieces)

    def markup_for(self, items: list[Item]) -> list[str] | None:
        """The markup of each code of `items`, in order, from a known segment with the same
        text and as many codes; None when there is none."""
        codes = [item for item in items if isinstance(item, TmxCode)]
        text = "".join(item for item in items if isinstance(item, str))
        for pieces in self._by_text.get(text, []):
            markup = [p.data for p in pieces if isinstance(p, Code)]
            if len(markup) == len(codes):
                return markup
        return None


def workspace_segments(ws: Workspace) -> KnownSegments:
    """The msgids of the workspace's templates (locales/*.pot), with their documents' markup."""
    pairs: list[tuple[str, str]] = []
    for pot in sorted(ws.locales_dir.glob("*.pot")):
        for entry in read_po(pot):
            if entry.msgid and not entry.obsolete:
                where = entry.occurrences[0][0] if entry.occurrences else ""
                pairs.append((entry.msgid, markup_kind(where)))
    return KnownSegments(pairs)


def restore(
    source: list[Item], targets: dict[str, list[Item]], known: KnownSegments
) -> tuple[str, dict[str, str], int]:
    """The source's and each target's text, and how many codes were dropped."""
    source_codes = [item for item in source if isinstance(item, TmxCode)]
    found = known.markup_for(source)
    markup: list[str | None] = (
        list(found)
        if found is not None
        else [c.data if real_markup(c.data) else None for c in source_codes]
    )
    as_markup: list[tuple[TmxCode, str | None]] = list(zip(source_codes, markup, strict=True))
    dropped = 0

    def text_of(items: list[Item], pick: Iterable[str | None]) -> str:
        nonlocal dropped
        out: list[str] = []
        chosen = iter(pick)
        for item in items:
            if isinstance(item, str):
                out.append(item)
                continue
            value = next(chosen)
            if value is None:
                dropped += 1
            else:
                out.append(value)
        return "".join(out)

    texts: dict[str, str] = {}
    for lang, items in targets.items():
        unused = list(as_markup)
        pick: list[str | None] = []
        for code in (item for item in items if isinstance(item, TmxCode)):
            match = next((m for m in unused if code.x and m[0].x == code.x), None)
            match = match or next((m for m in unused if m[0].data == code.data), None)
            if match is not None:
                unused.remove(match)
                pick.append(match[1])
            else:
                pick.append(code.data if real_markup(code.data) else None)
        texts[lang] = text_of(items, pick)
    return text_of(source, markup), texts, dropped
