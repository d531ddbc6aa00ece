"""Memory (max RSS) and time of big inputs: a 200 MB TMX import, `update` and `export` of a
50 MB source.

    .venv/bin/python bench/scale.py [--tmx-mb 200] [--source-mb 50] [--timeout 900]
                                    [--steps update,export]

Every command runs in its own process (`python -m tirage ...`); its peak resident memory is
the kernel's count for that process (`wait4`). Peers, in the same run:
- TMX: parsing the same file whole with `xml.etree.ElementTree.parse`, which is what the
  import did before it streamed;
- update and export: the same source at a tenth of the size, so the ratios show how time
  and memory grow with the input (10x is linear);
- reupdate (with `--steps update,reupdate`): a paragraph appended to the source, then `update`
  again, which merges into the template and catalog the first one wrote;
- edited (with `--steps update,edited`): every message of the catalog translated, the source
  edited (a paragraph in 100 removed, a word changed in one in 150), then `update`: exact,
  fuzzy and obsolete messages, as after a real revision;
- the base: `update` of a one-paragraph source, what the interpreter and tirage's imports
  take. Each run's peak above it is also given per MB of source (issue 22's target: 10x).
The TMX is generated: French-like sentences with English and German translations, one <tu>
per sentence, as `tirage memory export` writes them.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "chat",
    "maison",
    "livre",
    "rouge",
    "bleu",
    "mange",
    "regarde",
    "sous",
    "sur",
    "avec",
    "pour",
    "dans",
    "entre",
    "toujours",
    "jamais",
    "demain",
    "hier",
    "écrivain",
    "éditeur",
    "traduction",
    "phrase",
]


def sentence(rng: random.Random, number: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
    return f"{body.capitalize()} numéro {number}."


def write_tmx(path: Path, megabytes: int) -> int:
    rng = random.Random(1)
    units = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write('  <header srclang="fr" datatype="plaintext" segtype="sentence" ')
        out.write('adminlang="en" o-tmf="bench" creationtool="bench" creationtoolversion="1"/>\n')
        out.write("  <body>\n")
        while out.tell() < megabytes * 1_000_000:
            text = escape(sentence(rng, units))
            out.write(
                '    <tu creationdate="20260101T000000Z">\n'
                f'      <tuv xml:lang="fr"><seg>{text}</seg></tuv>\n'
                f'      <tuv xml:lang="en"><seg>EN {text}</seg></tuv>\n'
                f'      <tuv xml:lang="de"><seg>DE {text}</seg></tuv>\n'
                "    </tu>\n"
            )
            units += 1
        out.write("  </body>\n</tmx>\n")
    return units


def write_workspace(root: Path, megabytes: float) -> None:
    (root / "source").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["de"]\n[publish]\nthreshold = 0\n',
        encoding="utf-8",
    )
    rng = random.Random(2)
    size = 0
    number = 0
    with (root / "source" / "big.md").open("w", encoding="utf-8") as out:
        while size < megabytes * 1_000_000:
            paragraph = " ".join(sentence(rng, number + k) for k in range(5)) + "\n\n"
            number += 5
            size += len(paragraph.encode("utf-8"))
            out.write(paragraph)


def translate_and_edit(root: Path) -> None:
    """Every message of the catalog translated (its msgid copied as its msgstr), then the
    source edited: one paragraph in 100 removed, a word changed in one in 150."""
    catalog = root / "locales" / "de" / "big.po"
    text = catalog.read_text(encoding="utf-8")
    text = re.sub(r'(msgid ((?:"[^\n]*"\n)+))msgstr ""\n', r"\1msgstr \2", text)
    catalog.write_text(text, encoding="utf-8")
    source = root / "source" / "big.md"
    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    kept = []
    for number, paragraph in enumerate(paragraphs):
        if number % 100 == 0 and number:
            continue
        if number % 150 == 0:
            paragraph = paragraph.replace(" le ", " un ", 1).replace(" la ", " une ", 1)
        kept.append(paragraph)
    source.write_text("\n\n".join(kept), encoding="utf-8")


def measure(command: list[str], timeout: float) -> tuple[float, float, str, float]:
    """(seconds, max RSS in MB, outcome, CPU seconds) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    outcome = "ok"
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            outcome = f"killed after {timeout:g} s"
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if outcome == "ok" and os.waitstatus_to_exitcode(status) != 0:
        outcome = f"exit {os.waitstatus_to_exitcode(status)}"
    return elapsed, usage.ru_maxrss / 1024, outcome, usage.ru_utime + usage.ru_stime


def tirage(*args: str) -> list[str]:
    return [sys.executable, "-m", "tirage", *args]


def report(label: str, result: tuple[float, float, str, float]) -> None:
    elapsed, rss, outcome, cpu = result
    print(f"{label:<44} {elapsed:8.1f} s {cpu:8.1f} s CPU {rss:8.0f} MB  {outcome}", flush=True)


def tmx_import(work: Path, megabytes: int, timeout: float) -> None:
    tmx = work / "big.tmx"
    units = write_tmx(tmx, megabytes)
    print(f"TMX: {tmx.stat().st_size / 1e6:.0f} MB, {units} units", flush=True)
    ws = work / "tmxws"
    write_workspace(ws, 0)
    parse = [sys.executable, "-c", f"import xml.etree.ElementTree as E; E.parse({str(tmx)!r})"]
    imported = measure(tirage("memory", "import", "-w", str(ws), str(tmx)), timeout)
    whole = measure(parse, timeout)
    report("tirage memory import (streamed)", imported)
    report("peer: ElementTree.parse, whole file", whole)
    print(f"  memory ratio peer/tirage: {whole[1] / imported[1]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tmx-mb", type=int, default=200, help="0: no TMX import")
    parser.add_argument("--source-mb", type=float, default=50)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--steps",
        default="update,export",
        help="which commands to run, in order: update, reupdate (a paragraph appended to the "
        "source, then update again), edited (every message translated, then the source "
        "edited: a paragraph in 100 removed, a word changed in one in 150; then update), "
        "export",
    )
    args = parser.parse_args()
    steps = args.steps.split(",")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.tmx_mb:
            tmx_import(work, args.tmx_mb, args.timeout)
        results = {}
        # What the interpreter and tirage's imports take: `update` of a one-paragraph source.
        write_workspace(work / "tiny", 0.0001)
        base = measure(tirage("update", "-w", str(work / "tiny")), args.timeout)
        report("update of a one-paragraph source (base)", base)
        for megabytes in (args.source_mb / 10, args.source_mb):
            root = work / f"ws{megabytes:g}"
            write_workspace(root, megabytes)
            size = (root / "source" / "big.md").stat().st_size / 1e6
            for step in steps:
                extra = ["--format", "html"] if step == "export" else []
                command = step
                if step == "reupdate":  # the source edited, its template and catalog there
                    with (root / "source" / "big.md").open("a", encoding="utf-8") as out:
                        out.write("Une phrase nouvelle à la fin.\n\n")
                    command = "update"
                elif step == "edited":
                    translate_and_edit(root)
                    command = "update"
                result = measure(tirage(command, "-w", str(root), *extra), args.timeout)
                results[(step, megabytes)] = result
                report(f"{step} of a {size:.1f} MB source", result)
                if step == "export":
                    continue
                above = result[1] - base[1]
                print(f"  above the base: {above:.0f} MB, {above / size:.1f}x the source's size")
        for step in steps:
            small, big = results[(step, args.source_mb / 10)], results[(step, args.source_mb)]
            print(
                f"  {step}: 10x the source took {big[0] / small[0]:.1f}x the time, "
                f"{big[1] / small[1]:.1f}x the memory"
            )
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
