"""Saves lost while a translator saves a catalog during `tirage translate`.

    .venv/bin/python bench/concurrency.py [--sizes 303,4000,20000] [--repeat 3]

For each size, a workspace with one document of that many distinct sentences (engine:
pseudo, target: de) is built with `tirage update`. Then, in each round, a translator
(`tests/translator_saves.py`, its own process, taking no lock) saves the catalog every
0.05–0.2 s, each time with one more entry translated by hand, while `tirage translate` fills
the catalog. At the end every entry must still hold the last translation the translator gave
it: the script prints the lost saves out of the saves made, and exits 1 if any was lost.

The peer is the same `translate` without the translator: the time ratio is what the retries
cost. (Fills the translator's tool overwrote, having no lock, are filled by a second run
before counting; it is not timed.)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from translator_saves import lost_saves, write_workspace  # noqa: E402


def tirage(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "tirage", *args, "-q"], check=True)


def translate_alone(built: Path, work: Path) -> float:
    root = work / "alone"
    shutil.copytree(built, root)
    start = time.perf_counter()
    tirage("translate", "-w", str(root))
    elapsed = time.perf_counter() - start
    shutil.rmtree(root)
    return elapsed


def translate_with_translator(built: Path, work: Path, seed: int) -> tuple[int, int, float]:
    root = work / "hammered"
    shutil.copytree(built, root)
    po = root / "locales" / "de" / "doc.po"
    log, stop = work / "saves.log", work / "stop"
    log.unlink(missing_ok=True)
    stop.unlink(missing_ok=True)
    script = str(TESTS / "translator_saves.py")
    translator = subprocess.Popen(
        [sys.executable, script, str(po), str(log), str(stop), "0.05", "0.2", str(seed)]
    )
    try:
        time.sleep(0.3)
        start = time.perf_counter()
        tirage("translate", "-w", str(root))
        elapsed = time.perf_counter() - start
    finally:
        stop.touch()
        translator.wait()
    tirage("translate", "-w", str(root))  # fills the translator's tool overwrote
    lost, saves = lost_saves(po, log)
    shutil.rmtree(root)
    return lost, saves, elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="303,4000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            built = work / f"ws{size}"
            write_workspace(built, size)
            tirage("update", "-w", str(built))
            alone = translate_alone(built, work)
            for round_ in range(args.repeat):
                lost, saves, elapsed = translate_with_translator(built, work, round_ + 1)
                failed |= lost > 0
                print(
                    f"{size:>6} entries, round {round_ + 1}: {lost} lost of {saves} saves; "
                    f"translate {elapsed:.1f} s vs {alone:.1f} s alone "
                    f"({elapsed / alone:.1f}x)",
                    flush=True,
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
