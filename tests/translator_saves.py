"""A translator saving a PO file over and over while tirage works on it, without tirage's lock.

Run as a process: `python translator_saves.py CATALOG LOG STOP [MIN MAX [SEED]]`. Until the
file STOP appears, it waits MIN–MAX seconds, then saves CATALOG the way an editor does (the
whole text written to a temporary file, renamed over the catalog) with one entry changed:
a random live entry gets the translation `human N` and loses its fuzzy flag. Each save is
appended to LOG as `N<TAB>entry`. `lost_saves` then counts the entries that no longer hold
the last translation the translator gave them.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

WORDS = [
    "le",
    "chat",
    "la",
    "maison",
    "un",
    "livre",
    "rouge",
    "bleu",
    "mange",
    "lit",
    "regarde",
    "sous",
    "sur",
    "avec",
]


def write_workspace(root: Path, sentences: int) -> None:
    """A workspace (pseudo engine, one target: de) whose one document has `sentences`
    distinct sentences, one paragraph each."""
    (root / "source").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["de"]\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    rnd = random.Random(sentences)
    paragraphs = [
        f"Phrase {n} : " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 16))) + "."
        for n in range(sentences)
    ]
    (root / "source" / "doc.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def entry_of(lines: list[str]) -> str:
    """An entry's identity: its msgctxt and msgid lines."""
    start = next(i for i, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid ")))
    end = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
    return " ".join(lines[start:end])


def msgstr_of(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("msgstr"))


def save_once(catalog: Path, number: int, rnd: random.Random) -> str | None:
    """Translate one random live entry of `catalog` as `human <number>`; its identity.

    Like an editor that notices the file changed on disk, it saves only over the file it
    read (same inode, size and time, checked just before its rename). Without the lock it
    can still, rarely, overwrite a save of tirage's that lands between check and rename:
    machine fills, which the next `translate` makes again."""
    pick = rnd.random()
    while True:
        seen = _stamp(catalog)
        text = catalog.read_text(encoding="utf-8")
        blocks = text.split("\n\n")
        live = [i for i, b in enumerate(blocks) if i > 0 and "msgid " in b and "#~" not in b]
        if not live:
            return None
        index = live[int(pick * len(live))]
        msgid = _translate_block(blocks, index, number)
        temp = catalog.with_name(f".{catalog.name}.editor")
        temp.write_text("\n\n".join(blocks), encoding="utf-8")
        if _stamp(catalog) == seen:
            os.replace(temp, catalog)
            return msgid


def _stamp(path: Path) -> tuple[int, int, int]:
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns


def _translate_block(blocks: list[str], index: int, number: int) -> str:
    lines = blocks[index].rstrip("\n").split("\n")
    kept: list[str] = []
    in_msgstr = False
    for line in lines:
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if f != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        if line.startswith("msgstr "):
            in_msgstr = True
            kept.append(f'msgstr "human {number}"')
            continue
        if in_msgstr and line.startswith('"'):
            continue
        in_msgstr = False
        kept.append(line)
    ending = "\n" if blocks[index].endswith("\n") else ""
    blocks[index] = "\n".join(kept) + ending
    return entry_of(kept)


def lost_saves(catalog: Path, log: Path) -> tuple[int, int]:
    """(entries whose last human translation is gone, saves made)."""
    last: dict[str, str] = {}
    saves = 0
    for line in log.read_text(encoding="utf-8").splitlines():
        number, _, entry = line.partition("\t")
        last[entry] = f'msgstr "human {number}"'
        saves += 1
    now: dict[str, str] = {}
    for block in catalog.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.rstrip("\n").split("\n")
        if "#~" not in block:
            now[entry_of(lines)] = msgstr_of(lines)
    return sum(1 for entry, text in last.items() if now.get(entry) != text), saves


def main(argv: list[str]) -> None:
    catalog, log, stop = Path(argv[1]), Path(argv[2]), Path(argv[3])
    low = float(argv[4]) if len(argv) > 4 else 0.05
    high = float(argv[5]) if len(argv) > 5 else 0.2
    rnd = random.Random(int(argv[6]) if len(argv) > 6 else 1)
    number = 0
    with log.open("a", encoding="utf-8") as out:
        while not stop.exists():
            time.sleep(rnd.uniform(low, high))
            number += 1
            msgid = save_once(catalog, number, rnd)
            if msgid is not None:
                out.write(f"{number}\t{msgid}\n")
                out.flush()


if __name__ == "__main__":
    main(sys.argv)
