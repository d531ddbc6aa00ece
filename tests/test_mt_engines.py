"""The engines through their real paths: a tiny genuine Argos package, apertium, pseudo."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tirage.errors import EngineError
from tirage.mt import open_engine
from tirage.mt.apertium import find_mode

SENTENCES = [
    "La filière numérique en Rhône-Alpes a su se structurer.",
    "Bien sûr.",
    "",
    "En a-t-elle les moyens ?",
]


def test_argos_direct(argos_installed: dict[str, str]) -> None:
    engine = open_engine("argos", "fr", "en")
    assert (engine.model, engine.version) == ("translate-fr_en", "0.1")
    out = engine.translate(SENTENCES)
    assert len(out) == 4 and out[2].text == ""
    assert all(h.score is not None and h.score <= 0 for h in out)
    assert all(h.text for i, h in enumerate(out) if i != 2)
    # Batched and sorted internally, but each result stays in its place.
    assert [h.text for h in engine.translate(SENTENCES[::-1])] == [h.text for h in out][::-1]


def test_argos_pivot_through_english(argos_installed: dict[str, str]) -> None:
    engine = open_engine("argos", "fr", "es")
    assert engine.model == "translate-fr_en+translate-en_es"
    assert engine.version == "0.1+0.1"
    first = open_engine("argos", "fr", "en").translate(SENTENCES)
    second = open_engine("argos", "en", "es").translate([h.text for h in first])
    pivot = engine.translate(SENTENCES)
    assert [h.text for h in pivot] == [h.text for h in second]
    for p, a, b in zip(pivot, first, second, strict=True):  # scores add up over the legs
        assert p.score == pytest.approx((a.score or 0) + (b.score or 0), abs=1e-4)


def test_argos_missing_pair_says_how_to_install(argos_empty: dict[str, str]) -> None:
    with pytest.raises(EngineError) as caught:
        open_engine("argos", "fr", "de")
    message = caught.value.format()
    assert "tirage models install FILE.argosmodel" in message and "\n" not in message


def test_pseudo_expands_and_marks() -> None:
    out = open_engine("pseudo", "fr", "en").translate(["Bonjour le monde"])[0].text
    assert out.startswith("[") and out.endswith("]") and "ö" in out
    assert len(out) >= 1.3 * len("Bonjour le monde")


needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or find_mode("fr", "es") is None,
    reason="apertium with fr-es is not installed (apt install apertium apertium-fr-es)",
)


@needs_apertium
def test_apertium_gives_real_spanish_in_one_stream() -> None:
    engine = open_engine("apertium", "fr", "es")
    out = [h.text for h in engine.translate(SENTENCES)]
    assert out[0] == "La filière numérica en Ródano-Alpes ha sabido estructurarse."
    assert out[2] == "" and "medios" in out[3]


def test_apertium_unknown_pair() -> None:
    if shutil.which("apertium") is None:
        pytest.skip("apertium not installed")
    with pytest.raises(EngineError, match="no apertium pair for fr→xx"):
        open_engine("apertium", "fr", "xx")


def test_help_imports_no_torch_stanza_or_spacy() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tirage", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    assert not modules & {"torch", "stanza", "spacy", "ctranslate2", "argostranslate"}
    assert "translate" in done.stdout and "models" in done.stdout
    assert Path(sys.executable).exists()
