"""`tirage serve`: server time of a review page and of a save, on the interview and on
generated catalogs of 2,000 and 20,000 entries.

    .venv/bin/python bench/serve.py [--runs 15]

A temporary workspace holds the interview (its committed catalogs) and two generated
Markdown articles of 2,000 and 20,000 distinct sentences, `tirage update`d and
pseudo-translated into English (every entry fuzzy, with provenance, as after a first pass).
Requests go through Starlette's TestClient: the time is the server's (routing, the guard,
reading the catalog, queue order, checks, memory lookups, template), without a network.

Peers in the same run, to read the figures as ratios on a shared machine: for a page,
reading the same catalog with `read_po` (the parse every page needs); for a save, reading
the catalog, changing one entry and writing it atomically with `save_po` (what any save
needs, without the lock, the re-check and the memory).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from starlette.testclient import TestClient

from tirage.cli import main as cli
from tirage.pofile import read_po, save_po
from tirage.review import Reviewer
from tirage.serve.app import create_app, csrf_token
from tirage.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = "interview-thierry-alvergnat"
TOKEN = "bench"
WORDS = ("rapport", "réseau", "province", "ville", "projet", "équipe", "label", "région")


def article(count: int) -> str:
    """`count` distinct French sentences, five to a paragraph."""
    lines = [f"# Article de {count} phrases", ""]
    for i in range(count):
        word, other = WORDS[i % len(WORDS)], WORDS[(i // 7) % len(WORDS)]
        lines.append(f"Le {word} numéro {i} présente {i % 97} résultats pour la {other}.")
        if i % 5 == 4:
            lines.append("")
    return "\n".join(lines)


def timed(runs: int, action: Callable[[], object]) -> float:
    """Median wall time of `action`, in seconds, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        (root / "source").mkdir(parents=True)
        for name in ("tirage.toml", "glossary.csv"):
            shutil.copy(ROOT / name, root / name)
        shutil.copy(ROOT / "source" / f"{INTERVIEW}.txt", root / "source")
        shutil.copytree(ROOT / "locales", root / "locales")
        sizes = (2_000, 20_000)
        for size in sizes:
            (root / "source" / f"gen{size}.md").write_text(article(size), encoding="utf-8")
        runner = CliRunner()
        start = time.perf_counter()
        for argv in (["update"], ["translate", "--engine", "pseudo", "--to", "en"]):
            done = runner.invoke(cli, [*argv, "-q", "-w", str(root)])
            if done.exit_code != 0:
                raise SystemExit(done.output)
        print(f"set-up (update + pseudo pass): {time.perf_counter() - start:.1f} s")
        ws = load_workspace(root)
        start = time.perf_counter()
        app = create_app(ws, Reviewer("Bench <bench@example.org>", "bench"), TOKEN)
        print(
            f"desk start-up (memory refresh of every catalog): {time.perf_counter() - start:.2f} s"
        )
        web = TestClient(app, base_url="http://127.0.0.1:8470")
        web.get(f"/?token={TOKEN}")
        headers = {"X-Tirage-CSRF": csrf_token(TOKEN)}

        rows: list[tuple[str, float, float, str]] = []

        def page(doc: str, query: str, runs: int) -> None:
            path = ws.po_path("en", doc)
            entries = sum(1 for e in read_po(path) if e.msgid)
            url = f"/review/en/{doc}?{query}"
            assert web.get(url).status_code == 200
            served = timed(runs, lambda: web.get(url))
            parse = timed(runs, lambda: read_po(path))
            rows.append((f"review page, {doc} ({entries} entries)", served, parse, "read_po"))

        page(INTERVIEW, "filter=all&n=10", args.runs)
        page("gen2000", "filter=review", args.runs)
        page("gen20000", "filter=review", max(3, args.runs // 5))
        dashboard = timed(max(3, args.runs // 5), lambda: web.get("/"))
        rows.append(("dashboard, all catalogs", dashboard, 0.0, ""))

        def save(doc: str, msgid: str, runs: int) -> None:
            path = ws.po_path("en", doc)
            texts = [read_po(path).find(msgid).msgstr]
            texts.append(texts[0] + " (bis)")
            state = {"n": 0}

            def decide() -> None:
                n = state["n"]
                body = {
                    "lang": "en",
                    "doc": doc,
                    "msgid": msgid,
                    "msgstr": texts[(n + 1) % 2],
                    "base": texts[n % 2],
                }
                response = web.post("/api/decide", json=body, headers=headers)
                assert response.status_code == 200, response.text
                state["n"] = n + 1

            served = timed(runs, decide)
            scratch = path.with_suffix(".scratch")

            def plain_save() -> None:  # the floor: read, change one entry, write atomically
                po = read_po(path)
                po.find(msgid).msgstr += "!"
                save_po(scratch, po)

            floor = timed(runs, plain_save)
            scratch.unlink()
            rows.append((f"save, {doc}", served, floor, "read_po + save_po"))

        save(INTERVIEW, "Bien sûr.", args.runs)
        save("gen2000", "Le rapport numéro 0 présente 0 résultats pour la rapport.", args.runs)
        save(
            "gen20000",
            "Le rapport numéro 0 présente 0 résultats pour la rapport.",
            max(3, args.runs // 5),
        )

        print()
        print("| request | server time (median) | peer | ratio |")
        print("| --- | --- | --- | --- |")
        for name, served, peer, peer_name in rows:
            ratio = f"{served / peer:.1f}×" if peer else "–"
            peer_text = f"{peer * 1000:.1f} ms ({peer_name})" if peer else "–"
            print(f"| {name} | {served * 1000:.1f} ms | {peer_text} | {ratio} |")
    print(f"\nPython {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
