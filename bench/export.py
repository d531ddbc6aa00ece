"""Export time for 1,000 generated documents × 3 languages (text, Markdown and HTML editions).

    .venv/bin/python bench/export.py [--docs 1000]

Builds a throwaway workspace in a temporary folder: generated interview-like text sources and,
per language, a fully reviewed catalog (pseudo translations), then times `export_workspace`
twice: a cold run (all editions written) and a warm run (nothing changed, nothing rewritten).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from tirage.po.pofile import save_po
from tirage.publish import export_workspace
from tirage.readers import read_document
from tirage.workspace import load_workspace

LANGS = ("en", "es", "de")
WORDS = [
    "la",
    "filière",
    "numérique",
    "région",
    "entreprises",
    "label",
    "marque",
    "territoire",
    "cluster",
    "réseau",
]


def sentence(rng: random.Random, end: str = ".") -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + end


def article(rng: random.Random) -> str:
    parts = ["Lyon", f"Titre : « {sentence(rng, '')} »", "Lyon # Réseaux", ""]
    parts += [" ".join(sentence(rng) for _ in range(3)), ""]
    for _ in range(6):
        parts += [sentence(rng, " ?"), "", " ".join(sentence(rng) for _ in range(5)), ""]
    return "\n".join(parts)


def build(root: Path, docs: int) -> None:
    rng = random.Random(1432800000)
    (root / "source").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en", "es", "de"]\n', encoding="utf-8"
    )
    for n in range(docs):
        path = root / "source" / f"doc{n:04d}.txt"
        path.write_text(article(rng), encoding="utf-8")
        doc = read_document(path, root)
        for lang in LANGS:
            po = polib.POFile()
            po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
            for msgid in dict.fromkeys(s.text for s in doc.segments()):
                po.append(polib.POEntry(msgid=msgid, msgstr=f'[{lang}] "{msgid}"'))
            save_po(root / "locales" / lang / f"{path.stem}.po", po)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        build(root, args.docs)
        print(
            f"workspace: {args.docs} documents × {len(LANGS)} catalogs in "
            f"{time.perf_counter() - started:.1f} s"
        )
        ws = load_workspace(root)
        for label in ("cold", "warm"):
            started = time.perf_counter()
            report = export_workspace(ws, LANGS, ("text", "markdown", "html"))
            elapsed = time.perf_counter() - started
            written = sum(len(r.written) for r in report.results)
            files = sum(len(r.written) + len(r.unchanged) for r in report.results)
            print(
                f"export {label}: {elapsed:.1f} s, {files} editions ({written} written), "
                f"{1000 * elapsed / files:.2f} ms per edition"
            )


if __name__ == "__main__":
    main()
