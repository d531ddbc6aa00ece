"""Translation-memory lookup latency at 10k and 100k units.

    .venv/bin/python bench/memory.py [--sizes 10000,100000] [--queries 300]

Units are generated French-like sentences: 6–30 words drawn with a Zipf-like law from the
interview's own vocabulary (so common words such as "de", "la", "les" have long posting
lists, as in real text). Each size is timed on four kinds of query:
- exact: a stored sentence (the exact-match path);
- fuzzy: a stored sentence with one or two words changed (a hit at 75–99 %);
- near-miss: a stored sentence with about half its words changed (scored, usually refused);
- novel: a sentence made of new draws (index candidates, all refused).
The database lives in a temporary folder and is deleted afterwards.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from tirage.memory import TranslationMemory

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "interview-thierry-alvergnat.txt"


def vocabulary() -> tuple[list[str], list[float]]:
    words = re.findall(r"[\w'’-]+", SOURCE.read_text(encoding="utf-8").lower())
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: -counts[w])
    # Stretch the interview's ~700 words into a 20k-word lexicon: rarer inflections.
    lexicon = ranked + [f"{w}{i}" for i in range(1, 30) for w in ranked]
    weights = [1.0 / (rank + 1) for rank in range(len(lexicon))]
    return lexicon, weights


def sentence(rng: random.Random, lexicon: list[str], weights: list[float]) -> str:
    words = rng.choices(lexicon, weights, k=rng.randint(6, 30))
    return " ".join(words).capitalize() + "."


def mutate(rng: random.Random, text: str, lexicon: list[str], share: float) -> str:
    words = text[:-1].split(" ")
    count = max(1, round(len(words) * share))
    for index in rng.sample(range(len(words)), min(count, len(words))):
        words[index] = rng.choice(lexicon)
    return " ".join(words) + "."


def timed(memory: TranslationMemory, queries: list[str]) -> tuple[list[float], int]:
    latencies, hits = [], 0
    for query in queries:
        start = time.perf_counter()
        match = memory.lookup(query, "fr", "en")
        latencies.append((time.perf_counter() - start) * 1000)
        hits += match is not None
    return latencies, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    lexicon, weights = vocabulary()
    print(f"lexicon: {len(lexicon)} words; {args.queries} queries of each kind")
    print("| units | build | db size | query | median ms | p95 ms | max ms | hits |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        rng = random.Random(size)
        sources = list(dict.fromkeys(sentence(rng, lexicon, weights) for _ in range(size)))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "memory.sqlite"
            memory = TranslationMemory.open_path(path)
            start = time.perf_counter()
            for n, text in enumerate(sources):
                memory.add(text, f"Translation {n}.", "fr", "en", f"doc{n % 500}")
            memory.commit()
            build = time.perf_counter() - start
            picks = rng.sample(sources, args.queries)
            kinds = {
                "exact": picks,
                "fuzzy (1-2 words changed)": [
                    mutate(rng, t, lexicon, 0.0)
                    if len(t.split()) < 12
                    else mutate(rng, t, lexicon, 0.1)
                    for t in picks
                ],
                "near-miss (half changed)": [mutate(rng, t, lexicon, 0.5) for t in picks],
                "novel": [sentence(rng, lexicon, weights) for _ in picks],
            }
            mb = path.stat().st_size / 1e6
            for kind, queries in kinds.items():
                latencies, hits = timed(memory, queries)
                p95 = statistics.quantiles(latencies, n=20)[-1]
                print(
                    f"| {len(sources):,} | {build:.1f} s | {mb:.0f} MB | {kind} | "
                    f"{statistics.median(latencies):.2f} | {p95:.2f} | {max(latencies):.2f} | "
                    f"{hits}/{len(queries)} |"
                )
            memory.close()


if __name__ == "__main__":
    main()
