"""`tirage update` on a 20k-entry catalog with 5% of the sentences edited, against
`msgmerge --previous` on the same files.

    .venv/bin/python bench/update.py [--entries 20000] [--edited 0.05]

Both sides start from the same old translated PO and the same new template:
- msgmerge: `msgmerge --previous old.po new.pot -o out.po` (read, merge, fuzzy search, write);
- tirage merge: read_po(old) + read_po(new.pot) + merge + save_po, in this process;
- tirage update_documents: what `tirage update` does after segmenting (template, read the old
  template and catalog, merge, write both), in this process;
- tirage update (CLI process): `python -m tirage update --quiet` in a new process, so start-up,
  reading and segmenting the source, and refreshing the translation memory are in too. The
  memory already knows the old catalog (as it does when the translations were made with
  tirage): what the refresh records is the change.
The writer's wrap cache is cleared before each in-process timing, so none of them profits
from lines wrapped by an earlier one.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tirage.catalog import merge, update_documents
from tirage.memory import TranslationMemory
from tirage.po.pofile import _wrapped, read_po, save_po
from tirage.readers import read_document
from tirage.workspace import load_workspace, render_config

REPO = Path(__file__).resolve().parent.parent


def vocabulary() -> list[str]:
    text = (REPO / "source" / "interview-thierry-alvergnat.txt").read_text(encoding="utf-8")
    return sorted({w.strip(".,;:!?«»()") for w in text.split() if w.isalpha() and len(w) > 2})


def sentences(count: int, rng: random.Random) -> list[str]:
    words = vocabulary()
    result: list[str] = []
    for index in range(count):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20)))
        result.append(f"{body.capitalize()} numéro {index}.")
    return result


def write_source(root: Path, lines: list[str]) -> None:
    # One paragraph per ten sentences: a long article, no questions.
    paragraphs = [" ".join(lines[i : i + 10]) for i in range(0, len(lines), 10)]
    (root / "source" / "long.txt").write_text("Titre\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")


def timed(label: str, func: object, *args: object, **kwargs: object) -> float:
    _wrapped.cache_clear()
    start = time.perf_counter()
    func(*args, **kwargs)  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed:8.2f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--edited", type=float, default=0.05)
    args = parser.parse_args()
    if shutil.which("msgmerge") is None:
        sys.exit("msgmerge is not installed (apt-get install gettext)")
    rng = random.Random(20261126)
    # One POT-Creation-Date for every template, so that all outputs can be compared.
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        (root / "tirage.toml").write_text(render_config("fr", ["en"]), encoding="utf-8")
        ws = load_workspace(root)
        lines = sentences(args.entries, rng)
        write_source(root, lines)
        update_documents(ws, [read_document(root / "source" / "long.txt", root)], ["en"])
        po_path = ws.po_path("en", "long")
        po = read_po(po_path)
        for entry in po:
            entry.msgstr = entry.msgid.upper()
        save_po(po_path, po)
        old = root / "old.po"
        shutil.copy(po_path, old)

        for index in rng.sample(range(len(lines)), int(len(lines) * args.edited)):
            words = lines[index].split()
            words[rng.randrange(len(words) - 2)] = "modifié"
            lines[index] = " ".join(words)
        write_source(root, lines)
        doc = read_document(root / "source" / "long.txt", root)
        print(f"{len(po)} entries, {int(len(lines) * args.edited)} sentences edited")

        # The new template, as `tirage update` writes it (and msgmerge reads it).
        from tirage.catalog import build_template

        pot = root / "new.pot"
        save_po(pot, build_template(doc))

        ref = timed(
            "msgmerge --previous",
            subprocess.run,
            ["msgmerge", "--previous", "-q", str(old), str(pot), "-o", str(root / "ref.po")],
        )

        def tirage_merge() -> None:
            merged, _ = merge(read_po(old), read_po(pot))
            save_po(root / "ours.po", merged)

        ours = timed("tirage merge (read+merge+write)", tirage_merge)
        old_pot = root / "old.pot"
        shutil.copy(ws.pot_path("long"), old_pot)

        shutil.copy(old, po_path)
        whole = timed("tirage update_documents", update_documents, ws, [doc], ["en"])
        same_update = po_path.read_bytes() == (root / "ref.po").read_bytes()

        shutil.copy(old, po_path)
        shutil.copy(old_pot, ws.pot_path("long"))
        with TranslationMemory.open(ws) as memory:  # steady state: the old catalog is known
            memory.refresh(ws)
        command = [sys.executable, "-m", "tirage", "update", "--workspace", str(root), "--quiet"]
        cli = timed("tirage update (CLI process)", subprocess.run, command, check=True)
        same_cli = po_path.read_bytes() == (root / "ref.po").read_bytes()

        same = (root / "ours.po").read_bytes() == (root / "ref.po").read_bytes()
        print(f"ratio msgmerge / tirage merge:            {ref / ours:5.2f}x")
        print(f"ratio msgmerge / tirage update_documents: {ref / whole:5.2f}x")
        print(f"ratio msgmerge / tirage update (CLI):     {ref / cli:5.2f}x")
        print(f"output identical to msgmerge's: {same and same_update and same_cli}")


if __name__ == "__main__":
    main()
