"""`tirage serve`: server time of a save, of the next entry after a save, and of a review
page, at 48 (the interview), 2,000 and 20,000 entries; and the desk's start-up.

    .venv/bin/python bench/serve.py [--runs 15] [--keep DIR]

A temporary workspace (or DIR, made once and reused) holds the interview (its committed
catalogs) and two generated Markdown articles of 2,000 and 20,000 distinct sentences,
`tirage update`d and pseudo-translated into English (every entry fuzzy, with provenance,
as after a first pass). Requests go through Starlette's TestClient: the time is the
server's (the guard, routing, catalog, queue order, checks, memory, template), without a
network.

- save: POST /api/decide of one entry (the lock, the re-check, the atomic rename, the memory);
- next: that save, then the next entry's page, as Ctrl+Enter does;
- page: a review page seen before.

The ratios that matter are the 20,000-entry times over the 2,000-entry ones (issue 21: each
within 2×). The peer, in the same run, is what any tool pays for a catalog of that size:
reading it with `read_po`.
"""

from __future__ import annotations

import argparse
import resource
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
from tirage.po.pofile import read_po
from tirage.review import Reviewer
from tirage.serve.app import create_app
from tirage.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = "interview-thierry-alvergnat"
TOKEN = "bench"
PREFIX = "desk-bench"
SIZES = (2_000, 20_000)
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


def rss_mb() -> float:
    """The process's resident memory now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(runs: int, action: Callable[[], object], pause: float = 0.0) -> float:
    """Median wall time of `action`, in seconds, after one warm-up call; `pause` seconds
    between two calls, untimed."""
    action()
    times = []
    for _ in range(runs):
        time.sleep(pause)
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepare(root: Path) -> None:
    (root / "source").mkdir(parents=True)
    for name in ("tirage.toml", "glossary.csv"):
        shutil.copy(ROOT / name, root / name)
    shutil.copy(ROOT / "source" / f"{INTERVIEW}.txt", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    for size in SIZES:
        (root / "source" / f"gen{size}.md").write_text(article(size), encoding="utf-8")
    runner = CliRunner()
    start = time.perf_counter()
    for argv in (["update"], ["translate", "--engine", "pseudo", "--to", "en"]):
        done = runner.invoke(cli, [*argv, "-q", "-w", str(root)])
        if done.exit_code != 0:
            raise SystemExit(done.output)
    print(f"set-up (update + pseudo pass): {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sitting", type=int, default=100, help="saves in the memory check")
    parser.add_argument("--keep", type=Path, help="make the workspace here once, and reuse it")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.1,
        help="seconds between two timed saves, as a reviewer reads the next entry (0: back "
        "to back; a save within 20 ms of the last then also reads the file it displaced)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "ws"
        if not (root / "tirage.toml").is_file():
            prepare(root)
        ws = load_workspace(root)
        (ws.state_dir / "desk-cache.json").unlink(missing_ok=True)  # a first run
        start = time.perf_counter()
        app = create_app(ws, Reviewer("Bench <bench@example.org>", "bench"), TOKEN, PREFIX)
        started = time.perf_counter() - start
        web = TestClient(app, base_url=f"http://127.0.0.1:8470/{PREFIX}/")
        page = web.get(f"/?token={TOKEN}").text
        answered = time.perf_counter() - start
        pending = page.split('data-pending="')[1].split('"')[0]
        assert app.counted is not None
        app.counted.wait()
        counted = time.perf_counter() - start
        assert app.warmed is not None
        app.warmed.wait()
        warm = time.perf_counter() - start
        print(f"start-up: {started:.2f} s to listen, {answered:.2f} s to the first dashboard")
        print(f"  ({pending} catalogs still being counted on it; every one counted after ", end="")
        print(f"{counted:.1f} s);")
        print(f"  every catalog read, checked and in the memory after {warm:.1f} s (background)")
        # A restart: the dashboard's numbers come from .tirage/desk-cache.json.
        start = time.perf_counter()
        other = create_app(ws, Reviewer("Bench <bench@example.org>", "bench"), TOKEN, PREFIX)
        again = TestClient(other, base_url=f"http://127.0.0.1:8470/{PREFIX}/")
        assert again.get(f"/?token={TOKEN}").status_code == 200
        print(f"  after a restart, the first dashboard in {time.perf_counter() - start:.2f} s")
        assert other.warmed is not None
        other.warmed.wait()
        headers = {"X-Tirage-CSRF": page.split('name="csrf" content="')[1].split('"')[0]}
        results: dict[str, dict[str, float]] = {}
        # The generated articles' entry halfway through: the desk finds its block in the
        # file's bytes, and a search from the start would favour the first entry.
        cases = [
            (INTERVIEW, "Bien sûr.", args.runs),
            ("gen2000", None, args.runs),
            ("gen20000", None, args.runs),
        ]
        for doc, middle, runs in cases:
            msgid = middle
            path = ws.po_path("en", doc)
            po = read_po(path)
            entries = sum(1 for e in po if e.msgid)
            live = [e.msgid for e in po if e.msgid and not e.obsolete]
            msgid = msgid or live[len(live) // 2]
            position = live.index(msgid)
            url = f"/review/en/{doc}?filter=all&n={position}"
            following = f"/review/en/{doc}?filter=all&n={position + 1}"
            texts = [po.find(msgid).msgstr]
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

            def save_and_next() -> None:
                decide()
                assert web.get(following).status_code == 200  # noqa: B023

            results[str(entries)] = {
                "page": timed(runs, lambda: web.get(url)),  # noqa: B023
                "save": timed(runs, decide, args.pause),
                "next": timed(runs, save_and_next, args.pause),
                "read_po": timed(max(3, runs // 3), lambda: read_po(path)),  # noqa: B023
            }
        board = timed(max(3, args.runs // 3), lambda: web.get("/"))
        # Memory: a sitting of saves on the 20,000-entry catalog, RSS after 1× and 2× as many.
        sitting = [rss_mb()]
        for _ in range(2):
            for _ in range(args.sitting):
                save_and_next()
            sitting.append(rss_mb())

        sizes = list(results)
        print()
        print("| server time (median) | " + " | ".join(f"{n} entries" for n in sizes), end="")
        print(f" | {sizes[2]} ÷ {sizes[1]} |")
        print("| --- " * (len(sizes) + 2) + "|")
        for name in ("save", "next", "page", "read_po"):
            cells = [f"{results[n][name] * 1000:.1f} ms" for n in sizes]
            ratio = results[sizes[2]][name] / results[sizes[1]][name]
            label = "peer: read_po of the catalog" if name == "read_po" else name
            print(f"| {label} | " + " | ".join(cells) + f" | {ratio:.2f}× |")
        print(f"\ndashboard, every catalog, seen before: {board * 1000:.1f} ms")
        print(
            f"RSS of the desk (bench process): {sitting[0]:.0f} MB after the runs above, "
            f"{sitting[1]:.0f} MB after {args.sitting} more saves and pages on "
            f"{sizes[2]} entries, {sitting[2]:.0f} MB after {2 * args.sitting}"
            f" (peak {peak_mb():.0f} MB)"
        )
    print(f"Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
