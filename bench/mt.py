"""Machine-translation throughput: tirage vs argostranslate's API vs raw CTranslate2.

    .venv/bin/python bench/mt.py            # builds bench/.cache/ once (6 layers, 512 dims)

Each contender runs in its own process (peak RSS is per process) on the same 100 French
sentences: the interview's segments plus generated ones. Everything stays offline: Argos's
data dir is bench/.cache/argos, and its API gets a sentence splitter that returns its input.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
HOME = CACHE / "argos"
ENV = {
    "ARGOS_PACKAGES_DIR": str(HOME / "packages"),
    "XDG_DATA_HOME": str(HOME / "data"),
    "XDG_CONFIG_HOME": str(HOME / "config"),
    "XDG_CACHE_HOME": str(HOME / "cache"),
}
COUNT = 100
BEAM, COMPUTE = 2, "int8"  # tirage's defaults ([translate] in tirage.toml)


def sentences() -> list[str]:
    sys.path[:0] = [str(ROOT / "src")]
    from tirage.segment import segment_text

    text = (ROOT / "source" / "interview-thierry-alvergnat.txt").read_text(encoding="utf-8")
    found = [" ".join(s.split()) for s in segment_text(text, "fr")]
    rng = random.Random(3)
    words = text.split()
    while len(found) < COUNT:
        found.append(" ".join(rng.choice(words) for _ in range(rng.randint(6, 30))) + ".")
    return list(dict.fromkeys(found))[:COUNT]


def ensure_package() -> None:
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]
    from argos_fixture import argos_home, build_package  # points Argos at a temp dir...

    with argos_home(HOME):  # ...so point it at ours, here and in the children
        _ensure_package(build_package)


def _ensure_package(build_package: Any) -> None:
    from tirage.models import find_model, install_file

    if find_model("fr", "en") is not None:
        return

    archive = CACHE / "translate-fr_en.argosmodel"
    if not archive.is_file():
        print("building a 6-layer, 512-dim random package (once)…", file=sys.stderr)
        build_package(CACHE, "fr", "en", layers=6, dim=512, heads=8, seed=5, eos_bias=2.0)
    install_file(archive)


def run_tirage(texts: list[str]) -> float:
    from tirage.translate import translate_workspace
    from tirage.workspace import load_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws_dir = Path(tmp)
        (ws_dir / "source").mkdir()
        (ws_dir / "tirage.toml").write_text(
            f'source_language = "fr"\ntarget_languages = ["en"]\n[translate]\n'
            f'beam_size = {BEAM}\ncompute_type = "{COMPUTE}"\n',
            encoding="utf-8",
        )
        (ws_dir / "source" / "bench.txt").write_text(
            "Bench\n\n" + "\n\n".join(texts) + "\n", encoding="utf-8"
        )
        subprocess.run(
            [sys.executable, "-m", "tirage", "update", "-q", "-w", str(ws_dir)], check=True
        )
        ws = load_workspace(ws_dir)
        start = time.perf_counter()
        report = translate_workspace(ws, ["en"])
        elapsed = time.perf_counter() - start
        assert report.languages[0].engine >= len(texts), report
    return elapsed


def run_argos(texts: list[str]) -> float:
    from argostranslate import sbd, translate

    class Identity(sbd.ISentenceBoundaryDetectionModel):
        def __init__(self, pkg: object) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    translate.MiniSBDSentencizer = Identity  # type: ignore[misc,assignment]
    translate.StanzaSentencizer = Identity  # type: ignore[misc,assignment]
    start = time.perf_counter()
    translation = translate.get_translation_from_codes("fr", "en")
    for text in texts:
        translation.translate(text)
    return time.perf_counter() - start


def run_raw(texts: list[str], batch: int, threads: int) -> float:
    import ctranslate2
    import sentencepiece

    from tirage.models import find_model

    model = find_model("fr", "en")
    assert model is not None and model.path is not None
    start = time.perf_counter()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(model.path / "model"), device="cpu", compute_type=COMPUTE,
        inter_threads=1, intra_threads=threads,
    )  # fmt: skip
    tokens = sorted(sp.encode(texts, out_type=str), key=len)
    out = translator.translate_batch(
        tokens, max_batch_size=batch, beam_size=BEAM, return_scores=True,
        max_decoding_length=max(16, 2 * max(map(len, tokens)) + 10),
    )  # fmt: skip
    [sp.decode_pieces(list(o.hypotheses[0])) for o in out]
    return time.perf_counter() - start


def child(kind: str, *args: str) -> None:
    os.environ.update(ENV)
    sys.path[:0] = [str(ROOT / "src")]
    texts = sentences()
    if kind == "tirage":
        elapsed = run_tirage(texts)
    elif kind == "argos":
        elapsed = run_argos(texts)
    else:
        elapsed = run_raw(texts, int(args[0]), int(args[1]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "n": len(texts)}))


def measure(*args: str) -> dict[str, float]:
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ensure_package()
    cores = len(os.sched_getaffinity(0))
    texts = sentences()
    print(f"{len(texts)} sentences, 6-layer 512-dim model, beam {BEAM}, {COMPUTE}, {cores} cores")
    raw: dict[tuple[int, int], dict[str, float]] = {}
    for batch in (8, 16, 32, 64, COUNT):
        for threads in sorted({1, cores}):
            raw[(batch, threads)] = measure("raw", str(batch), str(threads))
            r = raw[(batch, threads)]
            label = f"max_batch_size={batch:<3} intra_threads={threads}"
            print(f"  raw CT2 {label}: {r['seconds']:.2f} s")
    best_key = min(raw, key=lambda k: raw[k]["seconds"])
    best = raw[best_key]
    tirage = min((measure("tirage") for _ in range(2)), key=lambda r: r["seconds"])
    argos = measure("argos")
    n = len(texts)
    rows = [
        ("tirage translate", tirage),
        ("argostranslate API", argos),
        (f"raw CT2 (batch {best_key[0]}, intra {best_key[1]})", best),
    ]
    print(f"\n{'':36} {'seconds':>8} {'sent/s':>8} {'peak MB':>8}")
    for name, r in rows:
        print(f"{name:36} {r['seconds']:8.2f} {n / r['seconds']:8.1f} {r['peak_mb']:8.0f}")
    print(f"\ntirage vs argos API: {argos['seconds'] / tirage['seconds']:.1f}× (goal ≥ 10×)")
    print(f"tirage vs best raw CT2: {best['seconds'] / tirage['seconds']:.2f}× (goal ≥ 0.9×)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
