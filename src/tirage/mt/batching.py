"""How CTranslate2 is fed on this machine: batch type and size, inter and intra threads.

The best layout depends on the model (a 512-dim model's matrices are too small for two
threads to share; a 1024-dim one's are not), on the cores and on sentence lengths, so it is
measured rather than guessed: the first time a model is opened on CPU without `[translate]
batch_size`, `calibrate` times a small grid on sentences of news-like lengths made of the
model's own vocabulary, and the winner is cached per model, machine and decoding settings
(`$XDG_CACHE_HOME/tirage/mt-plans.json`). Later runs read it back at no cost.

The grid: one single-threaded worker per core (`inter_threads=cores`) or one worker using
every core (`intra_threads=cores`), each with batches of 4-32 sentences or 512-1024 tokens.
Each candidate's time is the best of two interleaved rounds on half the sample; a layout's
two fastest, and the default plan (one worker per core, 8 sentences), run twice more on the
whole sample, and the fastest wins, unless the default is within 10 % of it: on a shared
machine a smaller gap is noise. About 480 sentence translations, once per model and
machine (20-30 s for the 6-layer bench model on 2 cores). Only one model is loaded at a
time. Decoding length is capped at the input's, so every candidate does the same work even
on a model whose outputs would run on.

An explicit `batch_size` skips calibration: batches of that many sentences, one worker per
core. A GPU gets one big padded batch (`GPU_BATCH`), which keeps it busy; threads do not help.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

WORKER_BATCH = 8  # sentences per batch when nothing better is known
GPU_BATCH = 64
SAMPLE = 24  # calibration sentences (the first half for the first round)
LENGTHS = (8, 60)  # SentencePiece tokens per calibration sentence (news-like)
EXAMPLES = (4, 8, 16, 32)
TOKENS = (512, 1024)
FINALISTS = 2  # per layout, run again on the whole sample (with the default plan)
ROUNDS = 2  # each timing is the best of this many runs
MARGIN = 1.1  # another plan must beat the default (one worker per core, 8 sentences) by 10 %
CACHE_NAME = "mt-plans.json"


@dataclass(frozen=True)
class Plan:
    batch_type: str  # "examples" or "tokens"
    batch_size: int
    inter_threads: int
    intra_threads: int
    calibrated: bool = False
    seconds: float = 0.0  # the winner's time on the calibration sample

    def describe(self) -> str:
        how = "calibrated" if self.calibrated else "default"
        return (
            f"{self.batch_type} {self.batch_size}, inter {self.inter_threads}, "
            f"intra {self.intra_threads} ({how})"
        )


def default_plan(cores: int, batch_size: int, device: str) -> Plan:
    """Without calibration: an explicit batch size, one worker per core; on a GPU one
    worker and big batches."""
    if device == "cuda":
        return Plan("examples", max(batch_size, GPU_BATCH), 1, 1)
    return Plan("examples", batch_size or WORKER_BATCH, max(1, cores), 1)


def cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tirage" / CACHE_NAME


def cache_key(name: str, model_dir: Path, cores: int, compute_type: str, beam_size: int) -> str:
    """A model is known by its package's name and version and its weights' size (not their
    date: installing the same package again must not cost a calibration)."""
    import ctranslate2

    weights = model_dir / "model.bin"
    size = weights.stat().st_size if weights.is_file() else 0
    return (
        f"{name}|{size}|cores={cores}|{compute_type}|beam={beam_size}|ct2={ctranslate2.__version__}"
    )


def cached_plan(key: str) -> Plan | None:
    try:
        found = json.loads(cache_path().read_text(encoding="utf-8")).get(key)
        return Plan(**found) if isinstance(found, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def store_plan(key: str, plan: Plan) -> None:
    """Best effort, atomically: a cache that cannot be written only costs a calibration."""
    path = cache_path()
    try:
        plans = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(plans, dict):
            plans = {}
    except (OSError, ValueError):
        plans = {}
    plans[key] = asdict(plan)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_text(json.dumps(plans, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass


def sample_sentences(vocabulary: list[str], seed: int = 29) -> list[list[str]]:
    """SAMPLE token lists of news-like lengths, drawn from the model's vocabulary."""
    rng = random.Random(seed)
    words = [piece for piece in vocabulary if piece.strip("▁").isalpha()] or vocabulary
    return [
        [rng.choice(words) for _ in range(rng.randint(*LENGTHS))] + ["."] for _ in range(SAMPLE)
    ]


def layouts(cores: int) -> list[tuple[int, int]]:
    """(inter, intra) thread layouts worth trying on `cores` cores."""
    if cores <= 1:
        return [(1, 1)]
    return [(cores, 1), (1, cores)]


def calibrate(
    open_translator: Callable[[int, int], Any],
    sentences: list[list[str]],
    cores: int,
    beam_size: int,
) -> Plan:
    """Time the grid (module docstring) and return the fastest plan. One translator is open
    at a time: a layout's candidates all run before the next layout's model is loaded."""
    short = sentences[: max(8, len(sentences) // 2)]
    default = default_plan(cores, 0, "cpu")
    found: dict[Plan, float] = {}
    for inter, intra in layouts(cores):
        translator = open_translator(inter, intra)
        _run(translator, short[:2], "examples", 2, beam_size)  # warm-up: first-call costs
        grid = [
            (t, size) for t, sizes in (("examples", EXAMPLES), ("tokens", TOKENS)) for size in sizes
        ]
        timings = {candidate: float("inf") for candidate in grid}
        for _round in range(ROUNDS):  # interleaved rounds: a pause hits one run, not a size
            for candidate in grid:
                seconds = _run(translator, short, *candidate, beam_size)
                timings[candidate] = min(timings[candidate], seconds)
        finalists = sorted(timings, key=timings.__getitem__)[:FINALISTS]
        if (inter, intra) == (default.inter_threads, default.intra_threads):
            finalists.append((default.batch_type, default.batch_size))
        for batch_type, size in dict.fromkeys(finalists):
            seconds = min(
                _run(translator, sentences, batch_type, size, beam_size) for _ in range(ROUNDS)
            )
            found[Plan(batch_type, size, inter, intra, True)] = seconds
        del translator  # its memory, before the next layout's model is loaded
    best = min(found, key=found.__getitem__)
    calibrated_default = Plan(
        default.batch_type, default.batch_size, default.inter_threads, 1, True
    )
    if calibrated_default in found and found[calibrated_default] <= found[best] * MARGIN:
        best = calibrated_default  # within the noise of a shared machine: the known layout
    return Plan(
        best.batch_type, best.batch_size, best.inter_threads, best.intra_threads, True,
        round(found[best], 4),
    )  # fmt: skip


def _run(translator: Any, batch: list[list[str]], batch_type: str, size: int, beam: int) -> float:
    order = sorted(batch, key=len)  # as the engine sorts its input
    start = time.perf_counter()
    translator.translate_batch(
        order,
        max_batch_size=size,
        batch_type=batch_type,
        beam_size=beam,
        max_decoding_length=max(len(tokens) for tokens in order) + 4,
    )
    return time.perf_counter() - start
