"""Shared fixtures: the CLI runner, a copy of the repository's workspace, and a network guard."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

# CI runs the same examples every time (a failure there is reproducible, never a fluke of
# the draw); a developer's run explores new ones.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Tiny genuine Argos packages, built once per session, in a private Argos data dir.
pytest_plugins = ["argos_fixture"]

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
INTERVIEW = "interview-thierry-alvergnat"


LOOPBACK = ("127.0.0.1", "::1")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "loopback: the test talks to servers it started on 127.0.0.1 (tirage serve)"
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Any attempt to reach another host fails the test: tirage works offline. Tests marked
    `loopback` may reach this machine's loopback address, and nothing else."""
    real_connect = socket.socket.connect
    loopback = request.node.get_closest_marker("loopback") is not None

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        if loopback and isinstance(address, tuple) and address[0] in LOOPBACK:
            return real_connect(self, address)
        raise AssertionError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def reproducible_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1432800000")  # 2015-05-28, the interview's month


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A fresh workspace holding the interview, with no catalogs yet."""
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "tirage.toml", root / "tirage.toml")
    shutil.copy(REPO / "glossary.csv", root / "glossary.csv")
    shutil.copy(REPO / "source" / f"{INTERVIEW}.txt", root / "source" / f"{INTERVIEW}.txt")
    yield root
