"""Argos Translate packages run directly through CTranslate2 and SentencePiece.

`argostranslate.translate` is never imported (it pulls in torch, stanza and spacy, and its
sentence splitter downloads models). We segment text ourselves, so each input here is one
sentence; all of a batch goes to one `translate_batch` call, sorted by length so that the
padded batches stay dense. A pair with no package is pivoted through English, each leg
batched.

Threads and batches come from a `Plan` (`batching.py`): measured once per model and machine
and cached, unless `[translate] batch_size` gives the batch size. On the 2-core bench machine
the calibrated plan for a 512-dim model is one single-threaded worker per core fed small
sorted batches, about 2x faster than one batch of 32 with `intra_threads=2` (bench/mt.py,
bench/README.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tirage.errors import EngineError
from tirage.models import ModelInfo, find_route
from tirage.mt.base import DEFAULT_MASK, Hypothesis
from tirage.mt.batching import (
    Plan,
    cache_key,
    cached_plan,
    calibrate,
    default_plan,
    sample_sentences,
    store_plan,
)

DEVICES = ("cpu", "cuda", "auto")


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_device(device: str) -> str:
    """The device to run on: for "auto", "cuda" when CTranslate2 sees a GPU, else "cpu";
    "cuda" without one is an error."""
    if device not in DEVICES:
        raise EngineError(f"unknown device '{device}' (choose from {', '.join(DEVICES)})")
    if device == "cpu":
        return "cpu"
    import ctranslate2

    try:
        gpus = ctranslate2.get_cuda_device_count()
    except RuntimeError:  # a CTranslate2 built without CUDA
        gpus = 0
    if gpus:
        return "cuda"
    if device == "cuda":
        raise EngineError(
            "device 'cuda': CTranslate2 sees no CUDA GPU on this machine; use --device cpu"
        )
    return "cpu"


@dataclass
class _Leg:
    model: ModelInfo
    translator: Any  # ctranslate2.Translator
    tokenizer: Any  # sentencepiece.SentencePieceProcessor
    target_prefix: str
    plan: Plan


@dataclass(frozen=True)
class _Decoding:
    compute_type: str
    device: str
    cores: int
    beam_size: int
    batch_size: int  # 0: calibrated


def _open_leg(model: ModelInfo, decoding: _Decoding) -> _Leg:
    import ctranslate2
    import sentencepiece

    assert model.path is not None
    tokenizer_path = model.tokenizer
    if tokenizer_path is None or tokenizer_path.name != "sentencepiece.model":
        raise EngineError(
            f"{model.name}: only SentencePiece packages are supported (no sentencepiece.model)",
            model.path,
        )
    model_dir = str(model.path / "model")

    def open_translator(inter: int, intra: int) -> Any:
        return ctranslate2.Translator(
            model_dir,
            device=decoding.device,
            compute_type=decoding.compute_type,
            inter_threads=inter,
            intra_threads=intra,
        )

    try:
        processor = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer_path))
        plan = _plan(model, processor, open_translator, decoding)
        translator = open_translator(plan.inter_threads, plan.intra_threads)
    except (RuntimeError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EngineError(f"cannot load {model.name}: {message}", model.path) from None
    prefix = ""
    metadata = model.path / "metadata.json"
    if metadata.is_file():
        import json

        try:
            prefix = str(json.loads(metadata.read_text(encoding="utf-8")).get("target_prefix", ""))
        except (ValueError, OSError):
            prefix = ""
    return _Leg(model, translator, processor, prefix, plan)


def _plan(model: ModelInfo, processor: Any, open_translator: Any, decoding: _Decoding) -> Plan:
    """The cached plan for this model here, else a calibration (CPU, no explicit batch)."""
    if decoding.device == "cuda" or decoding.batch_size:
        return default_plan(decoding.cores, decoding.batch_size, decoding.device)
    assert model.path is not None
    name = f"{model.name}-{model.version or '?'}"
    key = cache_key(
        name, model.path / "model", decoding.cores, decoding.compute_type, decoding.beam_size
    )
    plan = cached_plan(key)
    if plan is None:
        vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        plan = calibrate(
            open_translator, sample_sentences(vocabulary), decoding.cores, decoding.beam_size
        )
        store_plan(key, plan)
    return plan


class ArgosEngine:
    name = "argos"
    mask_template = DEFAULT_MASK

    def __init__(
        self, legs: list[_Leg], beam_size: int, batch_size: int, device: str = "cpu"
    ) -> None:
        self.legs = legs
        self.device = device
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.model = "+".join(leg.model.name for leg in legs)
        self.version = "+".join(leg.model.version or "?" for leg in legs)

    @classmethod
    def open(
        cls,
        source: str,
        target: str,
        *,
        beam_size: int = 2,
        compute_type: str = "int8",
        batch_size: int = 0,
        device: str = "cpu",
        threads: int = 0,
        route: Sequence[ModelInfo] = (),
    ) -> ArgosEngine:
        """Open the package(s) for source→target: `route` if given (models shipped to a
        cluster node), else the installed ones. `threads` 0 means one per core; `batch_size`
        0 means the calibrated plan (`batching.py`)."""
        device = resolve_device(device)
        decoding = _Decoding(compute_type, device, threads or cpu_count(), beam_size, batch_size)
        legs = [_open_leg(m, decoding) for m in (route or find_route(source, target))]
        return cls(legs, beam_size, batch_size, device)

    def translate(self, texts: Sequence[str]) -> list[Hypothesis]:
        current = list(texts)
        scores = [0.0] * len(current)
        for leg in self.legs:
            outputs = self._translate_leg(leg, current)
            current = [text for text, _ in outputs]
            scores = [total + score for total, (_, score) in zip(scores, outputs, strict=True)]
        return [Hypothesis(text, score) for text, score in zip(current, scores, strict=True)]

    def _translate_leg(self, leg: _Leg, texts: list[str]) -> list[tuple[str, float]]:
        results: list[tuple[str, float]] = [("", 0.0)] * len(texts)
        work = [i for i, text in enumerate(texts) if text.strip()]
        if not work:
            return results
        tokens = leg.tokenizer.encode([texts[i] for i in work], out_type=str)
        order = sorted(range(len(work)), key=lambda k: len(tokens[k]))
        batch = [tokens[k] for k in order]
        prefix = [[leg.target_prefix] for _ in batch] if leg.target_prefix else None
        try:
            outputs = leg.translator.translate_batch(
                batch,
                target_prefix=prefix,
                max_batch_size=leg.plan.batch_size,
                batch_type=leg.plan.batch_type,
                beam_size=self.beam_size,
                num_hypotheses=1,
                return_scores=True,
                replace_unknowns=True,
                max_decoding_length=max(16, 2 * max(len(t) for t in batch) + 10),
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{leg.model.name}: translation failed: {exc}") from None
        for k, output in zip(order, outputs, strict=True):
            pieces = list(output.hypotheses[0])
            if leg.target_prefix and pieces[:1] == [leg.target_prefix]:
                pieces = pieces[1:]
            text = leg.tokenizer.decode_pieces(pieces) if pieces else ""
            score = float(output.scores[0]) if output.scores else 0.0
            results[work[k]] = (text.strip(), score)
        return results

    def plans(self) -> list[Plan]:
        return [leg.plan for leg in self.legs]

    def close(self) -> None:
        for leg in self.legs:
            leg.translator = None
        self.legs = []
