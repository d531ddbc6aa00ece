"""Reading and writing PO files: tirage's `parse_po` + `format_po` against GNU `msgcat`.

    .venv/bin/python bench/porw.py [--copies 40] [--repeat 5] [more.po ...]

The files: each real catalog of tests/data/pofile/real/ and tests/data/pofile/large/ (see
their SOURCES.md), the two of real/ repeated `--copies` times with each copy's msgids in a
context of their own (about 20,000 messages at 40 copies; see bench/poread.py), and any
catalog named on the command line (catalogs not in this repository). For each file, best of
`--repeat`:
- tirage: `format_po(parse_po(text))` in this process, the text already decoded (CPU time);
- tirage, whole process: `python -c` reading the file, parsing and formatting it (CPU time
  of the child, interpreter start and imports included, modules' bytecode cached);
- msgcat: `msgcat -o out.po file.po`, the whole process (CPU time of the child).
Both outputs are compared byte for byte first. CPU time, not wall time, because the
machine is shared: another process's load changes the wall clock far more than the CPU.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from poread import REAL, big_catalog

from tirage.po.pofile import format_po, parse_po

LARGE = REAL.parent / "large"


# The children keep Python's bytecode cache, as an installed tirage has it: with
# PYTHONDONTWRITEBYTECODE set (as on the machine these figures come from), every run would
# compile tirage's modules from source first.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def child_cpu(command: list[str]) -> float:
    """User + system CPU seconds of one process run to its end."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=CHILD_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def measure(path: Path, out: Path, repeat: int) -> tuple[int, float, float, float]:
    """(messages, tirage in-process, tirage whole process, msgcat) in CPU seconds."""
    text = path.read_text(encoding="utf-8")
    msgcat = ["msgcat", "-o", str(out), str(path)]
    subprocess.run(msgcat, check=True)
    po = parse_po(text)
    if format_po(po) != out.read_text(encoding="utf-8"):
        raise SystemExit(f"{path.name}: tirage's output differs from msgcat's")
    script = (
        "import sys; from pathlib import Path; from tirage.po.pofile import parse_po, format_po; "
        "Path(sys.argv[2]).write_text(format_po(parse_po(Path(sys.argv[1]).read_text('utf-8'))),"
        " 'utf-8')"
    )
    process = [sys.executable, "-c", script, str(path), str(out)]
    inside = best(lambda: format_po(parse_po(text)), repeat)
    child_cpu(process)  # writes the bytecode cache, if not there yet
    whole = min(child_cpu(process) for _ in range(repeat))
    peer = min(child_cpu(msgcat) for _ in range(repeat))
    return len(po), inside, whole, peer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("more", nargs="*", type=Path, help="more catalogs to measure")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"{'file':<28} {'messages':>8} {'MB':>5} {'tirage':>8} {'process':>8} {'msgcat':>8}"
        f" {'ratio':>6} {'process':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        files = [*sorted(REAL.glob("*.po")), *sorted(LARGE.glob("*.po"))]
        big = Path(tmp) / f"real-x{args.copies}.po"
        big.write_text(big_catalog(args.copies), encoding="utf-8")
        for path in [*files, big, *args.more]:
            messages, inside, whole, peer = measure(path, Path(tmp) / "out.po", args.repeat)
            print(
                f"{path.name:<28} {messages:>8} {path.stat().st_size / 1e6:5.2f} "
                f"{inside:7.3f}s {whole:7.3f}s {peer:7.3f}s {inside / peer:5.2f}x "
                f"{whole / peer:7.2f}x",
                flush=True,
            )
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("ratio: tirage's parse + format in process / msgcat's whole process (CPU time);")
    print("process: tirage's whole process (interpreter start and imports included) / msgcat's")


if __name__ == "__main__":
    main()
