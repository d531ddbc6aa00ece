"""A tiny but genuine Argos Translate package, built from scratch, and a private data dir.

The recipe (DESIGN.md, "Offline MT facts"): a SentencePiece model trained on a few hundred
lines; a CTranslate2 Transformer with seeded random weights (a bias on `</s>` keeps the
gibberish short); `metadata.json`; all zipped under one top folder as `.argosmodel`.
Every line of the real loading and inference path runs on it.

Use as a pytest plugin (`pytest -p tests.argos_fixture`, or `pytest_plugins` in conftest),
or `from tests.argos_fixture import *` in a test module. Importing this module points Argos
at a temporary data directory, so tests never read or write the user's packages.
"""

from __future__ import annotations

import atexit
import importlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview-thierry-alvergnat.txt"
ENV_KEYS = ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")

WORDS = {
    "fr": "le la les un une des entreprise numérique région cluster marque label filière "
    "nous avons pouvons devons faire vivre travailler ensemble efficacement aujourd'hui "
    "depuis avec pour dans sur bien sûr province longueur avance profiter moyens acteurs",
    "en": "the a an company digital region cluster brand label sector we have can must "
    "make live work together efficiently today since with for in on of course province "
    "lead advance benefit means players",
    "es": "el la los las una empresa digital región marca etiqueta sector tenemos podemos "
    "debemos hacer vivir trabajar juntos eficazmente hoy desde con para en sobre claro "
    "provincia ventaja aprovechar medios actores",
}


def argos_env(home: Path) -> dict[str, str]:
    """Environment variables that point Argos (and XDG) into `home`."""
    return {
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def _reload_argos() -> None:
    """argostranslate.settings reads the environment at import: read it again."""
    if "argostranslate.settings" in sys.modules:
        importlib.reload(sys.modules["argostranslate.settings"])


@contextmanager
def argos_home(home: Path) -> Iterator[dict[str, str]]:
    """Point Argos at `home` for the duration (in this process and its children)."""
    old = {key: os.environ.get(key) for key in ENV_KEYS}
    env = argos_env(home)
    os.environ.update(env)
    _reload_argos()
    try:
        yield env
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _reload_argos()


# Never the user's data dir, even for code that imports argostranslate at collection time.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="tirage-argos-test-"))
atexit.register(shutil.rmtree, _SESSION_HOME, ignore_errors=True)
os.environ.update(argos_env(_SESSION_HOME / "default"))
_reload_argos()


# --- building a package -----------------------------------------------------------------


def training_lines(count: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    text = INTERVIEW.read_text(encoding="utf-8") if INTERVIEW.is_file() else ""
    lines = [ln.strip() for ln in text.replace(". ", ".\n").splitlines() if ln.strip()]
    vocab = [w for words in WORDS.values() for w in words.split()]
    while len(lines) < count:
        n = rng.randint(4, 14)
        lines.append(" ".join(rng.choice(vocab) for _ in range(n)).capitalize() + ".")
    lines += ["{user_name} %s %(count)d https://example.org/a_b user@example.com `code`"]
    return lines


def build_sentencepiece(vocab_size: int = 400) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()),
        model_writer=model,
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def build_model_dir(
    out: Path, sp_model: bytes, *, layers: int = 2, dim: int = 64, heads: int = 4,
    seed: int = 1, eos_bias: float = 3.0,
) -> None:  # fmt: skip
    """A CTranslate2 Transformer with seeded random weights, saved to `out`."""
    import numpy as np
    import sentencepiece
    from ctranslate2.specs import transformer_spec

    sp = sentencepiece.SentencePieceProcessor(model_proto=sp_model)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(layers, heads, pre_norm=True)
    ffn = dim * 4

    def rand(*shape: int) -> np.ndarray:  # type: ignore[type-arg]
        return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(dim, np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(dim, np.float32)  # type: ignore[attr-defined]

    def linear(layer: object, rows: int, cols: int) -> None:
        layer.weight = rand(rows, cols)  # type: ignore[attr-defined]
        layer.bias = np.zeros(rows, np.float32)  # type: ignore[attr-defined]

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = rand(len(vocab), dim)
    norm(enc.layer_norm)
    for layer in enc.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * dim, dim)
        linear(layer.self_attention.linear[1], dim, dim)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, dim)
        linear(layer.ffn.linear_1, dim, ffn)
    dec.embeddings.weight = rand(len(vocab), dim)
    norm(dec.layer_norm)
    for layer in dec.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * dim, dim)
        linear(layer.self_attention.linear[1], dim, dim)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], dim, dim)
        linear(layer.attention.linear[1], 2 * dim, dim)
        linear(layer.attention.linear[2], dim, dim)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, dim)
        linear(layer.ffn.linear_1, dim, ffn)
    dec.projection.weight = rand(len(vocab), dim)
    bias = np.zeros(len(vocab), np.float32)
    bias[vocab.index("</s>")] = eos_bias
    dec.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=None)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def build_package(
    dest: Path, source: str, target: str, *, layers: int = 2, dim: int = 64, heads: int = 4,
    seed: int = 1, version: str = "0.1", sp_model: bytes | None = None, eos_bias: float = 3.0,
) -> Path:  # fmt: skip
    """Write `translate-<source>_<target>.argosmodel` into `dest` and return its path."""
    top = f"translate-{source}_{target}-{version}"
    sp_model = sp_model if sp_model is not None else build_sentencepiece()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / top
        folder.mkdir()
        build_model_dir(
            folder / "model", sp_model, layers=layers, dim=dim, heads=heads, seed=seed,
            eos_bias=eos_bias,
        )  # fmt: skip
        (folder / "sentencepiece.model").write_bytes(sp_model)
        names = {"fr": "French", "en": "English", "es": "Spanish", "de": "German"}
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": source,
            "from_name": names.get(source, source),
            "to_code": target,
            "to_name": names.get(target, target),
            "type": "translate",
        }
        (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (folder / "README.md").write_text("Random weights, for tests only.\n", encoding="utf-8")
        dest.mkdir(parents=True, exist_ok=True)
        archive = dest / f"translate-{source}_{target}.argosmodel"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                zf.write(path, path.relative_to(tmp).as_posix())
    return archive


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def argos_archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three tiny packages: fr→en, en→es (a pivot pair) and fr→de."""
    dest = tmp_path_factory.mktemp("argosmodels")
    sp = build_sentencepiece()
    return {
        "fr_en": build_package(dest, "fr", "en", seed=1, sp_model=sp),
        "en_es": build_package(dest, "en", "es", seed=2, sp_model=sp),
        "fr_de": build_package(dest, "fr", "de", seed=3, sp_model=sp),
    }


@pytest.fixture(scope="session")
def argos_installed(argos_archives: dict[str, Path]) -> Iterator[dict[str, str]]:
    """fr→en and en→es installed in a private data dir; yields the environment to use."""
    from tirage.models import install_file

    home = _SESSION_HOME / "installed"
    with argos_home(home) as env:
        install_file(argos_archives["fr_en"])
        install_file(argos_archives["en_es"])
        yield env


@pytest.fixture
def argos_empty(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty private data dir for one test."""
    with argos_home(tmp_path / "argos") as env:
        yield env


__all__ = [
    "argos_archives",
    "argos_empty",
    "argos_env",
    "argos_home",
    "argos_installed",
    "build_package",
    "build_sentencepiece",
]
