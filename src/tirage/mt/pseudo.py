"""Pseudo-localisation: accented letters, about 30% longer, between bracket markers.

It tests layouts and the whole pipeline without a model: `[Ĉöɱɱêñţ ļéš… ~~~~~~]`.
Masks (`⟦0⟧`) pass through untouched, like any placeholder.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from tirage.mt.base import DEFAULT_MASK, Hypothesis

ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
EXPANSION = 0.3
OPEN, CLOSE, PAD = "[", "]", "~"


def pseudo(text: str, mask: re.Pattern[str] | None = None) -> str:
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for found in mask.finditer(text) if mask else ():
        pieces.append(text[last : found.start()].translate(ACCENTS))
        pieces.append(found.group(0))
        last = found.end()
    pieces.append(text[last:].translate(ACCENTS))
    padding = PAD * math.ceil(len(text) * EXPANSION)
    return f"{OPEN}{''.join(pieces)} {padding}{CLOSE}"


class PseudoEngine:
    name = "pseudo"
    model = "pseudo"
    version = "1"
    mask_template = DEFAULT_MASK

    def __init__(self, source: str = "", target: str = "") -> None:
        self.source, self.target = source, target
        head, _, tail = self.mask_template.partition("{}")
        self._mask = re.compile(re.escape(head) + r"\d+" + re.escape(tail))

    def translate(self, texts: Sequence[str]) -> list[Hypothesis]:
        return [Hypothesis(pseudo(text, self._mask)) for text in texts]

    def close(self) -> None:
        pass
