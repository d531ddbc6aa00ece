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
from tirage.po.pofile import read_po, save_po
from tirage.review import Reviewer
from tirage.serve.app import create_app
from tirage.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = "interview-thierry-alvergnat"
TOKEN = "bench"
PREFIX = "desk-bench"
FIRST = "Le rapport numéro 0 présente 0 résultats pour la rapport."
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
        app = create_app(ws, Reviewer("Bench <bench@example.org>", "bench"), TOKEN, PREFIX)
        print(
            f"desk start-up (memory refresh of every catalog): {time.perf_counter() - start:.2f} s"
        )
        web = TestClient(app, base_url=f"http://127.0.0.1:8470/{PREFIX}/")
        page = web.get(f"/?token={TOKEN}").text
        headers = {"X-Tirage-CSRF": page.split('name="csrf" content="')[1].split('"')[0]}
        rows: list[tuple[str, float, float, str]] = []
        cases = [
            (INTERVIEW, "filter=all&n=10", "Bien sûr.", args.runs),
            ("gen2000", "filter=review", FIRST, args.runs),
            ("gen20000", "filter=review", FIRST, max(3, args.runs // 5)),
        ]
        for doc, query, msgid, runs in cases:
            path = ws.po_path("en", doc)
            entries = sum(1 for e in read_po(path) if e.msgid)
            url = f"/review/en/{doc}?{query}"
            name = f"{doc} ({entries} entries)"
            start = time.perf_counter()
            assert web.get(url).status_code == 200
            first = time.perf_counter() - start
            parse = timed(runs, lambda: read_po(path))  # noqa: B023 - used at once
            rows.append((f"review page, first view, {name}", first, parse, "read_po"))
            again = timed(runs, lambda: web.get(url))  # noqa: B023
            rows.append((f"review page, seen before, {name}", again, parse, "read_po"))

            texts = [read_po(path).find(msgid).msgstr]
            texts.append(texts[0] + " (bis)")
            turn = [0]

            def decide() -> None:
                body = {
                    "lang": "en",
                    "doc": doc,  # noqa: B023
                    "msgid": msgid,  # noqa: B023
                    "msgstr": texts[(turn[0] + 1) % 2],  # noqa: B023
                    "base": texts[turn[0] % 2],  # noqa: B023
                }
                response = web.post("/api/decide", json=body, headers=headers)
                assert response.status_code == 200, response.text
                turn[0] += 1  # noqa: B023

            saved = timed(runs, decide)
            scratch = path.with_suffix(".scratch")

            def plain_save() -> None:  # the floor: read, change one entry, write atomically
                po = read_po(path)  # noqa: B023
                po.find(msgid).msgstr += "!"  # noqa: B023
                save_po(scratch, po)  # noqa: B023

            floor = timed(runs, plain_save)
            scratch.unlink()
            rows.append((f"save, {name}", saved, floor, "read_po + save_po"))

            def save_then_page() -> float:
                decide()
                start = time.perf_counter()
                web.get(url)  # noqa: B023
                return time.perf_counter() - start

            after = statistics.median(save_then_page() for _ in range(runs))
            rows.append((f"review page after a save, {name}", after, parse, "read_po"))
        board = timed(max(3, args.runs // 5), lambda: web.get("/"))
        rows.append(("dashboard, every catalog, seen before", board, 0.0, ""))

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
