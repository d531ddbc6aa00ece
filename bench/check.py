"""`tirage check` over the interview, and over 1,000 generated catalogs.

    .venv/bin/python bench/check.py [--catalogs 1000] [--engine apertium]

1. A temporary workspace with the interview: `tirage update`, then `tirage translate` with
   the given engine (apertium for es if it is installed, pseudo for en and de otherwise),
   then `tirage check` as a user runs it (a new process; the time includes start-up).
2. 1,000 generated catalogs: the translated interview catalogs copied under 1,000 document
   names (spread over the three languages), each with its entries shuffled and a third of
   them given a seeded fault (a changed number, a dropped URL, a doubled word, a space
   before "?"), then one `tirage check` over all of them.
Every run happens in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

from tirage.po.pofile import read_po, save_po

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = "interview-thierry-alvergnat"


def tirage(*args: str, check: bool = True) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tirage", *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if check and done.returncode not in (0, 1):
        raise SystemExit(f"tirage {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done


def fault(rng: random.Random, entry: polib.POEntry) -> None:
    kind = rng.randrange(4)
    text = entry.msgstr
    if kind == 0:
        entry.msgstr = f"{text} (42 %)"
    elif kind == 1:
        entry.msgstr = f"{text} https://example.org/{rng.randrange(1000)}"
    elif kind == 2:
        words = text.split(" ")
        entry.msgstr = " ".join([*words[:1], *words[:1], *words[1:]])
    else:
        entry.msgstr = text.rstrip(".?!") + " ?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ws = Path(folder) / "ws"
        (ws / "source").mkdir(parents=True)
        for name in ("tirage.toml", "glossary.csv"):
            shutil.copy(ROOT / name, ws / name)
        shutil.copy(ROOT / "source" / f"{INTERVIEW}.txt", ws / "source")
        tirage("update", "-q", "-w", str(ws))
        engines = {"es": "apertium" if shutil.which("apertium") else "pseudo"}
        for lang in ("en", "es", "de"):
            tirage(
                "translate",
                "-q",
                "-w",
                str(ws),
                "--to",
                lang,
                "--engine",
                engines.get(lang, "pseudo"),
            )
        catalogs = sorted((ws / "locales").glob("*/*.po"))
        entries = sum(len([e for e in read_po(p) if e.msgid]) for p in catalogs)
        times = []
        for _ in range(args.repeat):
            elapsed, done = tirage("check", "-w", str(ws))
            times.append(elapsed)
        findings = len(done.stdout.splitlines())
        engine_note = ", ".join(
            f"{lang}: {engines.get(lang, 'pseudo')}" for lang in ("en", "es", "de")
        )
        print(f"interview: {len(catalogs)} catalogs, {entries} entries ({engine_note})")
        print(
            f"  tirage check: best {min(times):.2f} s of {args.repeat}, {findings} findings, "
            f"exit {done.returncode}"
        )
        start_up = min(tirage("--version")[0] for _ in range(3))
        print(f"  process start-up alone (tirage --version): {start_up:.2f} s")

        rng = random.Random(1000)
        templates = {p.parent.name: read_po(p) for p in catalogs}
        langs = sorted(templates)
        start = time.perf_counter()
        total_entries = 0
        for n in range(args.catalogs):
            lang = langs[n % len(langs)]
            po = read_po(ws / "locales" / lang / f"{INTERVIEW}.po")
            body = [e for e in po if e.msgid]
            rng.shuffle(body)
            for entry in body:
                if entry.msgstr and rng.random() < 1 / 3:
                    fault(rng, entry)
            fresh = polib.POFile(wrapwidth=79)
            fresh.metadata = dict(po.metadata)
            for entry in body:
                fresh.append(entry)
            total_entries += len(body)
            save_po(ws / "locales" / lang / f"generated-{n:04d}.po", fresh)
        generated = time.perf_counter() - start
        times = []
        for _ in range(args.repeat):
            elapsed, done = tirage("check", "-w", str(ws), "--json")
            times.append(elapsed)
        findings = done.stdout.count('"check":')
        count = args.catalogs + len(catalogs)
        best = min(times)
        print(
            f"{count} catalogs ({args.catalogs} generated in {generated:.1f} s), "
            f"{total_entries + entries} entries"
        )
        print(
            f"  tirage check --json: best {best:.2f} s of {args.repeat}, {findings} findings, "
            f"{(total_entries + entries) / best:,.0f} entries/s, exit {done.returncode}"
        )


if __name__ == "__main__":
    main()
