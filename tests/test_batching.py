"""MT batches sized to the machine: the plan is measured once per model, cached, and
`[translate] batch_size` overrides it. On the tests' tiny genuine Argos packages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tirage.mt import batching, open_engine
from tirage.mt.argos import ArgosEngine, cpu_count
from tirage.mt.batching import Plan, cache_path
from tirage.workspace import load_workspace

SENTENCES = ["La filière numérique a su se structurer.", "Bien sûr.", "En a-t-elle les moyens ?"]


@pytest.fixture
def fresh_cache(
    argos_installed: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_path()


def engine_plans(**options: object) -> list[Plan]:
    engine = open_engine("argos", "fr", "en", **options)  # type: ignore[arg-type]
    assert isinstance(engine, ArgosEngine)
    assert all(h.text for h in engine.translate(SENTENCES))
    plans = engine.plans()
    engine.close()
    return plans


def test_calibrated_once_per_model_then_read_back(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (plan,) = engine_plans()
    assert plan.calibrated and plan.seconds > 0
    assert plan.batch_type in ("examples", "tokens")
    assert (plan.inter_threads, plan.intra_threads) in batching.layouts(cpu_count())
    stored = json.loads(fresh_cache.read_text(encoding="utf-8"))
    (key,) = stored
    assert key.startswith("translate-fr_en-0.1|") and f"cores={cpu_count()}" in key

    def no_calibration(*args: object) -> Plan:
        raise AssertionError("calibrated again")

    monkeypatch.setattr(batching, "calibrate", no_calibration)
    monkeypatch.setattr("tirage.mt.argos.calibrate", no_calibration)
    assert engine_plans() == [plan]


def test_batch_size_setting_overrides_the_plan(
    fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    (ws / "source").mkdir(parents=True)
    (ws / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n[translate]\nbatch_size = 12\n',
        encoding="utf-8",
    )
    settings = load_workspace(ws).engine
    assert settings.batch_size == 12
    (plan,) = engine_plans(batch_size=settings.batch_size)
    assert plan == Plan("examples", 12, cpu_count(), 1)
    assert not fresh_cache.exists()  # nothing measured, nothing cached


def test_one_core_has_one_layout(fresh_cache: Path) -> None:
    (plan,) = engine_plans(threads=1)
    assert (plan.inter_threads, plan.intra_threads) == (1, 1)
    assert "cores=1|" in next(iter(json.loads(fresh_cache.read_text(encoding="utf-8"))))


def test_a_damaged_cache_costs_only_a_calibration(fresh_cache: Path) -> None:
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_text("{not json", encoding="utf-8")
    (plan,) = engine_plans()
    assert plan.calibrated
    assert json.loads(fresh_cache.read_text(encoding="utf-8"))  # rewritten whole


def test_pivot_legs_each_have_a_plan(fresh_cache: Path) -> None:
    engine = open_engine("argos", "fr", "es")
    assert isinstance(engine, ArgosEngine)
    assert [p.calibrated for p in engine.plans()] == [True, True]
    assert len(json.loads(fresh_cache.read_text(encoding="utf-8"))) == 2
    engine.close()


def test_unwritable_cache_still_translates(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() == 0:
        monkeypatch.setenv("XDG_CACHE_HOME", "/proc/tirage-no-such-dir")
    else:
        fresh_cache.parent.parent.mkdir(parents=True)
        fresh_cache.parent.parent.chmod(0o500)
    (plan,) = engine_plans()
    assert plan.calibrated
