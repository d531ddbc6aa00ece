"""Machine-translation engines behind one small protocol (`base.py`), and the registry that
opens them by name.

Importing this package is cheap: each engine's module, and ctranslate2 and sentencepiece
with Argos, load only when that engine is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tirage.mt.base import Engine, Hypothesis

if TYPE_CHECKING:
    from tirage.models import ModelInfo

__all__ = ["ENGINES", "Engine", "Hypothesis", "open_engine"]

ENGINES = ("argos", "apertium", "pseudo")


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
