"""Every command on one long document: is each linear in the document's size?

    .venv/bin/python bench/linear.py [--sizes 2000,20000]

For each size, a throwaway workspace holds one generated French article of that many sentences
(ten to a paragraph, as bench/update.py makes them) and one target language, then runs, each in
a new `python -m tirage` process (start-up included), as a user would:
update, translate --engine pseudo, stats, check, export (text, Markdown and HTML editions of
the fuzzy pseudo translations). Review's queue building (`review.build_queue`) runs in this
process, since `tirage review` needs a terminal.
Peer: `msgfmt --statistics` on the same catalog, next to stats.
Each figure is wall-clock time, then CPU time (user + system) in brackets: on a shared machine
the CPU time is the steadier. The last column is the CPU time at the largest size over the
CPU time at the smallest: a linear command grows by the size ratio (10× from 2k to 20k),
start-up making it a little less.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from update import sentences, write_source

from tirage.review import build_queue
from tirage.workspace import load_workspace

COMMANDS = {
    "update": ["update", "-q"],
    "translate (pseudo)": ["translate", "--to", "en", "-q"],
    "stats": ["stats"],
    # The first stats after translate records the raw machine output of every entry in the
    # memory (for post-edit distances); the second finds the catalog unchanged.
    "stats, again": ["stats"],
    "check": ["check"],
    "export": ["export", "--include-fuzzy", "--threshold", "0", "-q"],
}


Times = tuple[float, float]  # wall-clock seconds, CPU seconds (user + system)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func: Callable[[], object]) -> Times:
    """Wall-clock and CPU time of `func`: on a shared machine the CPU time is the steadier."""
    start, cpu = time.perf_counter(), _cpu()
    func()
    return time.perf_counter() - start, _cpu() - cpu


def run(root: Path, args: list[str]) -> Times:
    return timed(
        lambda: subprocess.run(
            [sys.executable, "-m", "tirage", *args, "--workspace", str(root)],
            capture_output=True,
            check=args[0] != "check",  # check exits 1: pseudo text is an error finding
        )
    )


def statistics(root: Path) -> None:
    po = root / "locales" / "en" / "long.po"
    subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True)


def queue(root: Path) -> None:
    ws = load_workspace(root)
    items = build_queue(ws, "en")
    assert items, "the pseudo translations are fuzzy: the queue is full"


def measure(size: int) -> dict[str, Times]:
    times: dict[str, Times] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        write_source(root, sentences(size, random.Random(size)))
        (root / "tirage.toml").write_text(
            'source_language = "fr"\ntarget_languages = ["en"]\n\n[translate]\nengine = "pseudo"\n',
            encoding="utf-8",
        )
        for name, args in COMMANDS.items():
            times[name] = run(root, args)
            if name == "stats":
                times["msgfmt --statistics (peer)"] = timed(lambda: statistics(root))
        times["review queue (in-process)"] = timed(lambda: queue(root))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    results = {size: measure(size) for size in sizes}
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    head = " | ".join(f"{size:,} sentences: wall (CPU)" for size in sizes)
    print(f"| command | {head} | {sizes[-1] // sizes[0]}× size: CPU time ratio |")
    print("| --- |" + " --- |" * (len(sizes) + 1))
    for name in results[sizes[0]]:
        cells = " | ".join(
            f"{results[size][name][0]:.2f} s ({results[size][name][1]:.2f} s)" for size in sizes
        )
        ratio = results[sizes[-1]][name][1] / max(results[sizes[0]][name][1], 1e-3)
        print(f"| {name} | {cells} | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
