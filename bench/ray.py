"""Ray's overhead: `tirage translate` in process vs on a local Ray instance, same sentences.

    .venv/bin/python bench/ray.py                 # 2,000 sentences, best of 2
    .venv/bin/python bench/ray.py --count 500 --repeat 1

The model is bench/mt.py's (a 6-layer, 512-dim random Transformer that stops at realistic
lengths), the sentences its plain French ones, in one catalog of a bench workspace
(bench/.cache/ray/workspace). Each contender runs in a process of its own on a fresh copy of
the workspace and does the whole first pass, `translate.translate_workspace`: engine (or
actors) opened, every batch translated, fuzzy + provenance written, catalogs saved batch by
batch. Contenders:

- in-process: the engine in the driver (`inter_threads` = cores), as `tirage translate`;
- Ray, 1 actor: one actor with as many CTranslate2 workers as cores;
- Ray, 2 actors: two actors of one worker each (`actors_per_node = 2`).

Ray's start-up (a local instance started by `ray.init()`, actors created and ready) is timed
apart and not counted in sentences/s. Every run must fill every entry, with the in-process
run's text.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "ray"
# This file is named ray.py: its folder must not shadow the `ray` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]


def _load_mt_bench() -> Any:
    """bench/mt.py, for its package, sentences and workspace builder."""
    spec = importlib.util.spec_from_file_location("mt_bench", ROOT / "bench" / "mt.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mt_bench = _load_mt_bench()

CONTENDERS = {"in-process": 0, "Ray, 1 actor": 1, "Ray, 2 actors": 2}


def child(actors: int, ws_dir: str) -> None:
    from tirage.translate import Runner, translate_workspace
    from tirage.workspace import load_workspace

    ws = load_workspace(Path(ws_dir))
    ws = replace(ws, engine=replace(ws.engine, device="cpu", actors_per_node=max(1, actors)))
    runner: Runner | None = None
    startup = 0.0
    if actors:
        from tirage.cluster import RayRunner

        start = time.perf_counter()
        runner = RayRunner.connect("auto", ws)
        startup = time.perf_counter() - start
    try:
        start = time.perf_counter()
        report = translate_workspace(ws, ["en"], runner=runner)
        seconds = time.perf_counter() - start
    finally:
        if runner is not None:
            runner.close()
    (lr,) = report.languages
    print(json.dumps({"seconds": seconds, "startup": startup, "filled": lr.engine}))


def run_one(name: str, actors: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(mt_bench.WORKSPACE, ws)
        env = {**os.environ, **mt_bench.ENV, "PYTHONPATH": str(ROOT / "src")}
        env["RAY_USAGE_STATS_ENABLED"] = "0"
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(actors), str(ws)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        import polib

        (po_path,) = (ws / "locales" / "en").glob("*.po")
        result["texts"] = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.msgid}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="sentences")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best time counts")
    args = parser.parse_args()
    mt_bench.ensure_package()
    mt_bench.WORKSPACE = CACHE / "workspace"
    texts = mt_bench.ensure_workspace(args.count)
    n = len(texts)
    cores = len(os.sched_getaffinity(0))
    print(f"{n} sentences, 6-layer 512-dim model, beam {mt_bench.BEAM}, {cores} cores")
    print(f"load before: {os.getloadavg()[0]:.2f}")
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in CONTENDERS}
    for round_ in range(args.repeat):
        # Alternate the order: the shared machine's load drifts.
        names = list(CONTENDERS) if round_ % 2 == 0 else list(reversed(CONTENDERS))
        for name in names:
            r = run_one(name, CONTENDERS[name])
            results[name].append(r)
            print(
                f"  round {round_ + 1} {name:14} {r['seconds']:7.2f} s  "
                f"start-up {r['startup']:5.2f} s  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    reference = results["in-process"][0]["texts"]
    base = min(r["seconds"] for r in results["in-process"])
    print(f"\n{'':16} {'best s':>7} {'sent/s':>7} {'ratio':>6} {'start-up s':>10}  same text")
    for name, runs in results.items():
        best = min(r["seconds"] for r in runs)
        startup = min(r["startup"] for r in runs)
        differ = max(
            sum(1 for k, text in r["texts"].items() if text != reference.get(k)) for r in runs
        )
        filled = all(r["filled"] == n for r in runs)
        assert filled, f"{name}: not every entry filled"
        print(
            f"{name:16} {best:7.2f} {n / best:7.1f} {base / best:6.2f} "
            f"{startup:10.2f}  {'yes' if not differ else f'{differ} differ'}"
        )
        for run in runs:
            shown = [k for k, text in run["texts"].items() if text != reference.get(k)][:2]
            for key in shown:
                print(
                    f"    {key[:60]!r}: {reference.get(key, '')[:50]!r}"
                    f" / {run['texts'][key][:50]!r}"
                )
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3])
    else:
        main()
