"""Machine-translation throughput: tirage vs argostranslate's API vs raw CTranslate2.

    .venv/bin/python bench/mt.py            # builds bench/.cache/mt/ once (6 layers, 512 dims)
    .venv/bin/python bench/mt.py --count 100 --repeat 5

All contenders translate the *same* plain French sentences: the msgids of a bench workspace's
catalog (the interview's segments plus generated ones), with no glossary and nothing that
tirage would mask, so every contender does the same work. Each contender runs in a process of
its own (peak RSS is per process), loads its model once (load time reported apart), then
translates the whole list `--repeat` times; the best time counts. Same beam size and compute
type everywhere. Everything stays offline: Argos's data dir is bench/.cache/mt/argos, and its
API gets a sentence splitter that returns its input.

The random model must stop on its own at realistic lengths, or the benchmark only measures
how long outputs run to a length cap. A constant bias on `</s>` cannot do that (below about
2.5 a random decoder loops to the cap, above it stops after a token or two), so this package's
decoder gets a position ramp: one channel of its position encodings grows with the step, and
the `</s>` row of the output projection reads it. Outputs then end after 23-69 tokens,
like the inputs (about 43 SentencePiece tokens on average).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "mt"
HOME = CACHE / "argos"
ARCHIVE = CACHE / "translate-fr_en.argosmodel"
WORKSPACE = CACHE / "workspace"  # `tirage update` done, nothing translated: copied per run
ENV = {
    "ARGOS_PACKAGES_DIR": str(HOME / "packages"),
    "XDG_DATA_HOME": str(HOME / "data"),
    "XDG_CONFIG_HOME": str(HOME / "config"),
    "XDG_CACHE_HOME": str(HOME / "cache"),
}
BEAM, COMPUTE = 2, "int8"  # tirage's defaults ([translate] in tirage.toml)
RAMP, EOS_WEIGHT = 0.25, 1.0  # decoder position ramp and the </s> row's weight on it


# --- the package --------------------------------------------------------------------------


@contextmanager
def length_ramp() -> Iterator[None]:
    """While active, TransformerSpecs get the `</s>` position ramp just before validation."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    original = transformer_spec.TransformerSpec.validate

    def validate(spec: Any) -> None:
        dec = spec.decoder
        dim = dec.embeddings.weight.shape[1]
        steps = np.arange(1024, dtype=np.float32)[:, None]
        half = dim // 2
        inv = np.exp(-np.log(10000.0) * np.arange(half, dtype=np.float32) / (half - 1))
        encodings = np.concatenate([np.sin(steps * inv), np.cos(steps * inv)], axis=1)
        encodings[:, 0] = RAMP * steps[:, 0]
        dec.position_encodings.encodings = encodings.astype(np.float32)
        index = spec._vocabularies["target"][0].index("</s>")
        dec.projection.weight[index, :] = 0.0
        dec.projection.weight[index, 0] = EOS_WEIGHT
        dec.projection.bias[index] = 0.0
        original(spec)

    transformer_spec.TransformerSpec.validate = validate
    try:
        yield
    finally:
        transformer_spec.TransformerSpec.validate = original


def ensure_package() -> None:
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]
    # Importing the fixture points Argos at a temp dir, so point it at ours, here and in
    # the children.
    from argos_fixture import argos_home, build_package  # type: ignore[import-not-found]

    with argos_home(HOME):
        from tirage.models import find_model, install_file

        if find_model("fr", "en") is not None:
            return
        if not ARCHIVE.is_file():
            print("building a 6-layer, 512-dim random package (once)…", file=sys.stderr)
            with length_ramp():
                build_package(CACHE, "fr", "en", layers=6, dim=512, heads=8, seed=5)
        install_file(ARCHIVE)


# --- the inputs ---------------------------------------------------------------------------


def source_sentences(count: int) -> list[str]:
    from tirage.text.protect import find_protected
    from tirage.text.segment import segment_text

    text = (ROOT / "source" / "interview-thierry-alvergnat.txt").read_text(encoding="utf-8")
    found = [" ".join(s.split()) for s in segment_text(text, "fr")]
    rng = random.Random(3)
    words = [w for w in text.split() if w.isalpha()]
    while len(found) < 2 * count + 10:
        found.append(" ".join(rng.choice(words) for _ in range(rng.randint(6, 30))) + ".")
    plain = [s for s in dict.fromkeys(found) if not find_protected(s)]
    return plain[: count + 5]  # segmentation may merge a few; at least `count` msgids


def ensure_workspace(count: int) -> list[str]:
    """The bench workspace (made once per count) and its pending msgids, in catalog order."""
    import polib

    marker = WORKSPACE / "count"
    if not (marker.is_file() and marker.read_text() == str(count)):
        shutil.rmtree(WORKSPACE, ignore_errors=True)
        (WORKSPACE / "source").mkdir(parents=True)
        (WORKSPACE / "tirage.toml").write_text(
            f'source_language = "fr"\ntarget_languages = ["en"]\n[translate]\n'
            f'beam_size = {BEAM}\ncompute_type = "{COMPUTE}"\n',
            encoding="utf-8",
        )
        paragraphs = "\n\n".join(source_sentences(count))
        (WORKSPACE / "source" / "bench.txt").write_text(paragraphs + "\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "tirage", "update", "-q", "-w", str(WORKSPACE)]
        subprocess.run(command, check=True, env=env)
        marker.write_text(str(count))
    (po_path,) = (WORKSPACE / "locales" / "en").glob("*.po")
    return [e.msgid for e in polib.pofile(str(po_path)) if e.msgid and not e.msgstr]


# --- contenders (each in its own process) ---------------------------------------------------


def timed_runs(repeat: int, run: Callable[[], list[str]]) -> dict[str, Any]:
    times: list[float] = []
    outputs: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = run()
        times.append(time.perf_counter() - start)
    return {"times": times, "outputs": outputs}


def run_raw(texts: list[str], repeat: int, config: str) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece

    from tirage.models import find_model

    batch_type, size, intra, inter = config.split(":")
    model = find_model("fr", "en")
    assert model is not None and model.path is not None
    start = time.perf_counter()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(model.path / "model"), device="cpu", compute_type=COMPUTE,
        inter_threads=int(inter), intra_threads=int(intra),
    )  # fmt: skip
    load = time.perf_counter() - start

    def run() -> list[str]:
        tokens = sp.encode(texts, out_type=str)
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        out = translator.translate_batch(
            [tokens[i] for i in order], max_batch_size=int(size), batch_type=batch_type,
            beam_size=BEAM, return_scores=True,
            max_decoding_length=max(16, 2 * max(map(len, tokens)) + 10),
        )  # fmt: skip
        result = [""] * len(texts)
        for i, o in zip(order, out, strict=True):
            result[i] = sp.decode_pieces(list(o.hypotheses[0]))
        return result

    return {"load": load, **timed_runs(repeat, run)}


def run_engine(texts: list[str], repeat: int, batch_size: str = "") -> dict[str, Any]:
    """tirage's engine layer: what `tirage translate` calls for a language pair. With
    `batch_size`, that setting (as `[translate] batch_size`); else the workspace's (none: the
    plan calibrated for this model and machine, cached in bench/.cache/mt/argos/cache)."""
    from tirage.mt import open_engine
    from tirage.mt.argos import ArgosEngine
    from tirage.mt.batching import cache_path
    from tirage.workspace import load_workspace

    settings = load_workspace(WORKSPACE).engine
    cached = cache_path().is_file()
    start = time.perf_counter()
    engine = open_engine(
        "argos", "fr", "en", beam_size=settings.beam_size,
        compute_type=settings.compute_type, batch_size=int(batch_size or settings.batch_size),
    )  # fmt: skip
    load = time.perf_counter() - start
    assert isinstance(engine, ArgosEngine)
    plan = "; ".join(p.describe() for p in engine.plans())
    if not batch_size:
        plan += ", read from the cache" if cached else f", measured in this run ({load:.1f} s)"
    result = timed_runs(repeat, lambda: [h.text for h in engine.translate(texts)])
    engine.close()
    return {"load": load, "plan": plan, **result}


def run_argos(texts: list[str], repeat: int) -> dict[str, Any]:
    from argostranslate import sbd, translate

    class Identity(sbd.ISentenceBoundaryDetectionModel):  # type: ignore[misc]
        def __init__(self, pkg: object) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    translate.MiniSBDSentencizer = Identity
    translate.StanzaSentencizer = Identity
    start = time.perf_counter()
    translation = translate.get_translation_from_codes("fr", "en")
    translation.translate("Bonjour.")  # the model loads on first use
    load = time.perf_counter() - start
    return {"load": load, **timed_runs(repeat, lambda: [translation.translate(t) for t in texts])}


def child(kind: str, repeat: str, *args: str) -> None:
    os.environ.update(ENV)
    sys.path[:0] = [str(ROOT / "src")]
    texts = json.loads(sys.stdin.read())
    if kind == "raw":
        result = run_raw(texts, int(repeat), args[0])
    elif kind == "engine":
        result = run_engine(texts, int(repeat), *args)
    else:
        result = run_argos(texts, int(repeat))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(texts: list[str], *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env, input=json.dumps(texts), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["best"] = min(result["times"])
    return result


def measure_command(texts: list[str], repeat: int) -> dict[str, Any]:
    """`tirage translate --to en` end to end, as a user runs it, on a fresh copy each time."""
    import polib

    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT / "src")}
    times: list[float] = []
    peak = 0.0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp) / "ws"
            shutil.copytree(WORKSPACE, ws)
            command = [sys.executable, "-m", "tirage", "translate", "--to", "en", "-q"]
            start = time.perf_counter()
            process = subprocess.Popen([*command, "-w", str(ws)], env=env)
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                raise SystemExit(f"tirage translate failed ({process.returncode})")
            peak = max(peak, usage.ru_maxrss / 1024)
            (po_path,) = (ws / "locales" / "en").glob("*.po")
            entries = [e for e in polib.pofile(str(po_path)) if e.msgid]
            filled = [e for e in entries if e.msgstr and "fuzzy" in e.flags]
            assert len(filled) == len(texts), (len(filled), len(texts))
    return {"times": times, "best": min(times), "peak_mb": peak, "load": float("nan")}


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="sentences (at least 60)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; best counts")
    parser.add_argument("--quick", action="store_true", help="a smaller raw CT2 grid")
    parser.add_argument("--skip-argos", action="store_true", help="no argostranslate API runs")
    args = parser.parse_args()
    ensure_package()
    sys.path[:0] = [str(ROOT / "src")]
    texts = ensure_workspace(args.count)
    import sentencepiece

    from tirage.models import find_model

    from argos_fixture import argos_home

    with argos_home(HOME):
        model = find_model("fr", "en")
    assert model is not None and model.path is not None
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))

    def tokens(lines: list[str]) -> int:
        return sum(map(len, sp.encode(lines, out_type=str)))

    n, cores, repeat = len(texts), len(os.sched_getaffinity(0)), args.repeat
    print(
        f"{n} sentences ({tokens(texts)} source tokens), 6-layer 512-dim random model, "
        f"beam {BEAM}, {COMPUTE}, {cores} cores, best of {repeat}"
    )

    # batch type : max_batch_size : intra_threads : inter_threads
    configs = [f"examples:{size}:{cores}:1" for size in (8, 16, 32, 64)]
    configs += [f"tokens:{size}:{cores}:1" for size in (1024, 2048, 4096)]
    configs += [f"examples:{size}:1:{cores}" for size in (4, 8, 16, 32)]
    configs += [f"tokens:{size}:1:{cores}" for size in (256, 512)]
    if args.quick:
        configs = [f"examples:32:{cores}:1", f"examples:8:1:{cores}"]
    raw: dict[str, dict[str, Any]] = {}
    for config in configs:
        raw[config] = r = measure(texts, "raw", str(repeat), config)
        batch_type, size, intra, inter = config.split(":")
        label = f"{batch_type}={size} intra={intra} inter={inter}"
        runs = " ".join(f"{t:.2f}" for t in r["times"])
        print(f"  raw CT2 {label:34} best {r['best']:6.2f} s  (runs {runs})", flush=True)
    best_config = min(raw, key=lambda k: raw[k]["best"])
    best = raw[best_config]

    engine = measure(texts, "engine", str(repeat))
    fixed = measure(texts, "engine", str(repeat), "8")  # the plan before calibration
    command = measure_command(texts, repeat)
    skipped = {"best": float("nan"), "load": float("nan"), "peak_mb": float("nan")}
    argos, argos_own = skipped, skipped
    if not args.skip_argos:
        argos = measure(texts, "argos", str(repeat), env={
            "ARGOS_BEAM_SIZE": str(BEAM), "ARGOS_COMPUTE_TYPE": COMPUTE,
        })  # fmt: skip
        argos_own = measure(texts, "argos", str(repeat))  # its defaults: beam 4, "auto"

    batch_type, size, intra, inter = best_config.split(":")
    rows = [
        ("tirage engine (tirage.mt.argos)", engine),
        ("tirage engine, batch_size = 8 (former)", fixed),
        ("tirage translate (command, e2e)", command),
        (f"argostranslate API (beam {BEAM}, {COMPUTE})", argos),
        ("argostranslate API (its defaults, beam 4)", argos_own),
        (f"raw CT2 best ({batch_type} {size}, {intra}/{inter})", best),
    ]
    print(f"\n{'':40} {'best s':>7} {'sent/s':>7} {'load s':>7} {'peak MB':>8} {'out tok':>8}")
    for name, r in rows:
        out = tokens(r["outputs"]) if "outputs" in r else float("nan")
        print(
            f"{name:40} {r['best']:7.2f} {n / r['best']:7.1f} {r['load']:7.2f} "
            f"{r['peak_mb']:8.0f} {out:8.0f}"
        )
    lengths = [len(x) for x in sp.encode(engine["outputs"], out_type=str)]
    print(
        f"\noutput tokens per sentence (engine): mean {statistics.mean(lengths):.1f}, "
        f"min {min(lengths)}, max {max(lengths)}"
    )
    same = sum(a == b for a, b in zip(engine["outputs"], best["outputs"], strict=True))
    print(f"engine outputs identical to raw CT2's: {same}/{n}")
    print(f"tirage engine vs argos API: {argos['best'] / engine['best']:.1f}× (goal ≥ 10×)")
    print(f"  (vs argos at its own defaults: {argos_own['best'] / engine['best']:.1f}×)")
    print(f"tirage engine plan: {engine['plan']}")
    print(f"tirage engine vs best raw CT2: {best['best'] / engine['best']:.2f}× (goal ≥ 0.9×)")
    print(
        f"  (former fixed plan, examples 8, vs best raw CT2: {best['best'] / fixed['best']:.2f}×)"
    )
    print(f"tirage translate (e2e) vs argos API: {argos['best'] / command['best']:.1f}×")
    print(f"tirage translate (e2e) vs raw CT2 + its load: "
          f"{(best['best'] + best['load']) / command['best']:.2f}×")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
