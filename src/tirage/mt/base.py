"""The engine protocol: translate a batch of (masked) segments from one language to another.

An engine is opened for one language pair and translates whole batches at once, because
batching is most of the speed. Engines never print and never touch the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tirage.models import ModelInfo

ENGINES = ("argos", "apertium", "pseudo")

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


def open_engine(
    name: str,
    source: str,
    target: str,
    *,
    beam_size: int = 2,
    compute_type: str = "int8",
    batch_size: int = 0,
    device: str = "cpu",
    threads: int = 0,
    route: Sequence[ModelInfo] = (),
) -> Engine:
    """Open `name` for source→target; EngineError (one line, how to fix) if it cannot.

    `device`, `threads` (0: one per core) and `route` (packages shipped to a cluster node
    instead of the installed ones) apply to Argos; the other engines run on CPU."""
    from tirage.errors import EngineError

    if name == "argos":
        from tirage.mt.argos import ArgosEngine

        return ArgosEngine.open(
            source, target, beam_size=beam_size, compute_type=compute_type,
            batch_size=batch_size, device=device, threads=threads, route=route,
        )  # fmt: skip
    if name == "apertium":
        from tirage.mt.apertium import ApertiumEngine

        return ApertiumEngine.open(source, target)
    if name == "pseudo":
        from tirage.mt.pseudo import PseudoEngine

        return PseudoEngine(source, target)
    raise EngineError(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")
