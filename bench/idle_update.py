"""`tirage update` with nothing to do, against `msgmerge --previous` on the same catalog.

    .venv/bin/python bench/idle_update.py [--entries 20000]

A throwaway workspace holds one generated French article (bench/update.py's sentences) and
its English catalog filled by the pseudo engine. Then, each in a new process, CPU time
(user + system, the steadier figure on a shared machine; best of three):
- msgmerge: `msgmerge --previous -q old.po new.pot -o out.po` (the peer: its whole job);
- tirage update, full: the first update after a change, which reads, segments, parses,
  merges and finds nothing to write (and records that);
- tirage update, idle: the next one, which finds every file as that run left it;
- tirage update, fresh clone: the first update with no `.tirage/` at all, as on a fresh
  clone: the full update, plus building the translation memory from the catalog (every
  machine translation in it recorded with its provenance).
Python's bytecode cache is kept for tirage's processes, as an installed tirage has it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from update import sentences, write_source

# tirage's processes keep Python's bytecode cache, as an installed tirage has it: with
# PYTHONDONTWRITEBYTECODE set (as on the machine these figures come from), every run would
# compile tirage's modules from source first (about 0.08 s).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cpu_of(command: list[str], cwd: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=CHILD_ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    tirage = [sys.executable, "-m", "tirage"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        write_source(root, sentences(args.entries, random.Random(args.entries)))
        (root / "tirage.toml").write_text(
            'source_language = "fr"\ntarget_languages = ["en"]\n\n[translate]\nengine = "pseudo"\n',
            encoding="utf-8",
        )
        subprocess.run([*tirage, "update", "-q"], cwd=root, check=True)
        subprocess.run([*tirage, "translate", "--to", "en", "-q"], cwd=root, check=True)
        po, pot = root / "locales" / "en" / "long.po", root / "locales" / "long.pot"
        record = root / ".tirage" / "update.json"
        peer = [
            "msgmerge", "--previous", "-q", str(po), str(pot), "-o", str(root / "out.po")
        ]  # fmt: skip
        names = ("msgmerge --previous", "tirage update, full", "tirage update, idle")
        times: dict[str, list[float]] = {
            name: [] for name in (*names, "tirage update, fresh clone")
        }
        for _ in range(3):
            times["msgmerge --previous"].append(cpu_of(peer, root))
            record.unlink(missing_ok=True)
            times["tirage update, full"].append(cpu_of([*tirage, "update", "-q"], root))
            times["tirage update, idle"].append(cpu_of([*tirage, "update", "-q"], root))
            shutil.rmtree(root / ".tirage")
            times["tirage update, fresh clone"].append(cpu_of([*tirage, "update", "-q"], root))
    best = {name: min(values) for name, values in times.items()}
    peer_time = best["msgmerge --previous"]
    print(f"{args.entries} entries, CPU seconds (best of 3)")
    for name, seconds in best.items():
        print(f"{name:<27} {seconds:6.2f} s  {seconds / peer_time:5.2f}× msgmerge")


if __name__ == "__main__":
    main()
