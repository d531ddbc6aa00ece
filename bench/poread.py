"""Reading a big PO file: tirage's reader (msgfmt's checks and polib's entries in one pass)
against polib alone and GNU msgfmt on the same file.

    .venv/bin/python bench/poread.py [--copies 40]

The file is the real catalogs of tests/data/pofile/real/ repeated `--copies` times with each
copy's msgids made distinct (about 20,000 messages at 40 copies): plural forms, msgctxt,
previous msgids, obsolete entries. Each reader runs three times; the best time counts.
- polib: `polib.pofile(text)`, which tirage used alone before the grammar check;
- tirage: `parse_po(text)`: line syntax, grammar, duplicates and the entries;
- msgfmt: `msgfmt -o /dev/null`, for scale (a C program that also compiles the catalog).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib

from tirage.po.pofile import parse_po

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "pofile" / "real"
_KEYWORD = re.compile(r'^((?:#~ )?)(msgctxt|msgid) "')


def with_context(body: str, tag: str) -> str:
    """Every message of `body` in a context of its own, `tag`: copies stay distinct."""
    lines: list[str] = []
    context = False
    for line in body.split("\n"):
        found = _KEYWORD.match(line)
        if found and found.group(2) == "msgctxt":
            line, context = f"{found.group(0)}{tag} {line[found.end() :]}", True
        elif found:
            if not context:
                lines.append(f'{found.group(1)}msgctxt "{tag}"')
            context = False
        lines.append(line)
    return "\n".join(lines)


def big_catalog(copies: int) -> str:
    header, parts = "", []
    for path in sorted(REAL.glob("*.po")):
        text = path.read_text(encoding="utf-8")
        cut = text.index("\n\n") + 2  # the header, once
        header = header or text[:cut]
        parts.extend(with_context(text[cut:], f"{path.stem}{copy}") for copy in range(copies))
    return header + "\n".join(parts)


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args()
    text = big_catalog(args.copies)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.po"
        path.write_text(text, encoding="utf-8")
        msgfmt = ["msgfmt", "-o", "/dev/null", str(path)]
        subprocess.run(msgfmt, check=True)
        messages = len(parse_po(text))
        timings = {
            "polib": best(lambda: polib.pofile(text)),
            "tirage": best(lambda: parse_po(text)),
            "msgfmt": best(lambda: subprocess.run(msgfmt, check=True)),
        }
    print(f"{messages} messages, {len(text) / 1e6:.1f} MB")
    for name, seconds in timings.items():
        print(f"{name:<7} {seconds:6.3f} s  {seconds / timings['polib']:.2f}× polib")


if __name__ == "__main__":
    main()
