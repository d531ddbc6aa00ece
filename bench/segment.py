"""Sentence segmentation: tirage against pysbd and sentencex, accuracy and throughput.

Run from the repository root:  .venv/bin/python bench/segment.py [--sentences 10000]

Accuracy is the share of cases whose whole segmentation (stripped sentences) matches exactly:
- public golden rules (pySBD's French rules, LanguageTool's French tokenizer tests);
- tirage's own failure-mode cases (written with the segmenter, so biased in its favour);
- the long text: the share of its known sentences that come back exactly as one segment.

Throughput is measured on one long string of N sentences (default 10 000, about 0.8 MB).
pysbd is timed on smaller sizes and, in a child process with a timeout, on the full size; when it
times out its time is extrapolated from the smaller sizes, and the output says so.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing as mp
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import pysbd  # noqa: E402
import sentencex  # noqa: E402

from test_segment import Case, load_cases  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
from tirage.text.segment import segment_text  # noqa: E402

Segmenter = Callable[[str, str], list[str]]
SENTENCES = ROOT / "bench" / "data" / "segment" / "sentences.fr.txt"


def _clean(pieces: object) -> list[str]:
    return [s.strip() for s in pieces if s.strip()]  # type: ignore[attr-defined]


_PYSBD: dict[str, pysbd.Segmenter] = {}


def run_pysbd(text: str, lang: str) -> list[str]:
    if lang not in _PYSBD:
        _PYSBD[lang] = pysbd.Segmenter(language=lang, clean=False)
    return _clean(_PYSBD[lang].segment(text))


def run_sentencex(text: str, lang: str) -> list[str]:
    return _clean(sentencex.segment(lang, text))


def run_tirage(text: str, lang: str) -> list[str]:
    return segment_text(text, lang)


PEERS: dict[str, Segmenter] = {
    "tirage": run_tirage,
    "pysbd": run_pysbd,
    "sentencex": run_sentencex,
}


def exact_rate(segment: Segmenter, cases: list[Case]) -> tuple[int, int]:
    ok = 0
    for case in cases:
        with contextlib.suppress(Exception):  # a peer crashing on a case counts as a miss
            ok += segment(case.text, case.lang) == case.expected
    return ok, len(cases)


def sentence_pool() -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def long_text(n: int, seed: int = 7) -> tuple[str, list[str]]:
    pool = sentence_pool()
    rng = random.Random(seed)
    sentences = [rng.choice(pool) for _ in range(n)]
    return " ".join(sentences), sentences


def recovered(segment: Segmenter, text: str, truth: list[str]) -> float:
    """Share of true sentences returned exactly, as one segment at the right place."""
    got = segment(text, "fr")
    starts, pos = {}, 0
    for sentence in truth:
        pos = text.index(sentence, pos)
        starts[pos] = sentence
        pos += len(sentence)
    hits, pos = 0, 0
    for piece in got:
        pos = text.index(piece, pos)
        hits += starts.get(pos) == piece
        pos += len(piece)
    return hits / len(truth)


def timed(segment: Segmenter, text: str, repeat: int = 1) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        segment(text, "fr")
        best = min(best, time.perf_counter() - t0)
    return best


def _pysbd_child(text: str, out: mp.Queue) -> None:  # type: ignore[type-arg]
    out.put(timed(run_pysbd, text))


def pysbd_full(text: str, timeout: float) -> float | None:
    """pysbd's time on the full text in a child process, or None past `timeout` seconds."""
    out: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    child = mp.Process(target=_pysbd_child, args=(text, out))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return float(out.get())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--pysbd-timeout", type=float, default=120.0)
    args = parser.parse_args()

    golden = load_cases("fr_golden.tsv")
    ours = load_cases("failure_modes.tsv")
    sets = {
        "public golden (pysbd fr)": [c for c in golden if c.source == "pysbd"],
        "public golden (LanguageTool fr)": [c for c in golden if c.source == "lt"],
        "public golden, all": golden,
        "tirage failure modes (fr+en, ours)": ours,
    }
    print("## Accuracy: exact match per case")
    print(f"{'set':38} " + " ".join(f"{name:>14}" for name in PEERS))
    for label, cases in sets.items():
        cells = []
        for segment in PEERS.values():
            ok, total = exact_rate(segment, cases)
            cells.append(f"{ok:>3}/{total:<3} {100 * ok / total:5.1f}%")
        print(f"{label:38} " + " ".join(f"{c:>14}" for c in cells))

    n = args.sentences
    text, truth = long_text(n)
    small_n = min(n, 1_000)
    small_text, small_truth = long_text(small_n)
    print(f"\n## Long text: {n} sentences, {len(text.encode()) / 1e6:.2f} MB as one string")
    print("sentences recovered exactly:")
    for name, segment in PEERS.items():
        if name == "pysbd":
            share = recovered(segment, small_text, small_truth)
            print(f"  {name:10} {100 * share:5.1f}%  (on the first {small_n} sentences: too slow)")
        else:
            print(f"  {name:10} {100 * recovered(segment, text, truth):5.1f}%")

    mb = len(text.encode()) / 1e6
    t_tirage = timed(run_tirage, text, repeat=3)
    t_sentencex = timed(run_sentencex, text, repeat=3)
    print("\n## Throughput (one long string)")
    print(f"  tirage     {t_tirage:8.3f} s  {mb / t_tirage:7.2f} MB/s")
    print(f"  sentencex  {t_sentencex:8.3f} s  {mb / t_sentencex:7.2f} MB/s")

    sizes = [s for s in (250, 500, 1_000, 2_000) if s < n]
    points = []
    for size in sizes:
        sub, _ = long_text(size)
        t = timed(run_pysbd, sub)
        points.append((size, t))
        rate = len(sub.encode()) / 1e6 / t
        print(f"  pysbd      {t:8.3f} s  {rate:7.2f} MB/s  ({size} sentences)")
    exponent = None
    if len(points) >= 2:
        (n1, t1), (n2, t2) = points[-2], points[-1]
        exponent = math.log(t2 / t1) / math.log(n2 / n1)
        print(f"  pysbd time grows as n^{exponent:.2f} between {n1} and {n2} sentences")
    t_pysbd = pysbd_full(text, args.pysbd_timeout)
    if t_pysbd is not None:
        how = "measured"
        print(f"  pysbd      {t_pysbd:8.3f} s  {mb / t_pysbd:7.2f} MB/s  ({n} sentences, measured)")
    elif exponent is not None:
        n2, t2 = points[-1]
        t_pysbd = t2 * (n / n2) ** exponent
        how = f"extrapolated: timed out after {args.pysbd_timeout:.0f} s"
        print(f"  pysbd      {t_pysbd:8.3f} s  {mb / t_pysbd:7.2f} MB/s  ({n} sentences, {how})")
    else:
        how = "timed out, no estimate"
    print("\n## Ratios (same run)")
    print(f"  tirage is {t_sentencex / t_tirage:.2f}x the speed of sentencex")
    if t_pysbd is not None:
        print(f"  tirage is {t_pysbd / t_tirage:.0f}x the speed of pysbd ({how})")


if __name__ == "__main__":
    main()
