"""The engine protocol: translate a batch of (masked) segments from one language to another.

An engine is opened for one language pair and translates whole batches at once, because
batching is most of the speed. Engines never print and never touch the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# How a masked span is written in the text sent to an engine; `{}` is the mask's number.
DEFAULT_MASK = "⟦{}⟧"


@dataclass(frozen=True)
class Hypothesis:
    """One translation and the engine's score for it (log-probability; None if it has none)."""

    text: str
    score: float | None = None


class Engine(Protocol):
    """One language pair of one engine, ready to translate."""

    name: str  # "argos" | "apertium" | "pseudo"
    model: str  # package name or pivot chain, recorded as provenance
    version: str
    mask_template: str  # e.g. "⟦{}⟧": a form this engine tends to copy through

    def translate(self, texts: Sequence[str]) -> list[Hypothesis]:
        """Translate every text; the result has one hypothesis per text, in order."""
        ...

    def close(self) -> None:
        """Release models or processes."""
        ...
