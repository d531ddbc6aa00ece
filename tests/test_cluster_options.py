"""`--ray` and `--device` where no cluster is needed: missing extra, bad settings, no GPU,
and Ray never imported by the commands that do not use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _python(
    code: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_without_ray_the_option_says_how_to_install(workspace: Path) -> None:
    # `import ray` fails in this interpreter as it does where the extra is not installed.
    code = """
        import sys
        sys.modules["ray"] = None
        from tirage.cli import main
        main(["translate", "--ray", "-w", "ws"])
    """
    done = _python(code, workspace.parent)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "tirage: Ray is not installed; install it with `pip install 'tirage[ray]'`\n"
    )


def test_commands_that_do_not_use_ray_never_import_it(
    workspace: Path, argos_installed: dict[str, str]
) -> None:
    code = """
        import json, sys
        from click.testing import CliRunner
        from tirage.cli import main
        codes = []
        for args in (["--help"], ["translate", "--help"], ["update", "-q", "-w", "ws"],
                     ["translate", "-q", "-w", "ws", "--to", "en", "--device", "cpu"],
                     ["translate", "-q", "-w", "ws", "--engine", "pseudo"],
                     ["stats", "-w", "ws"], ["check", "-w", "ws"], ["models", "list"]):
            codes.append(CliRunner().invoke(main, args).exit_code)
        print(json.dumps({"codes": codes, "ray": sorted(m for m in sys.modules
                                                         if m.split(".")[0] == "ray")}))
    """
    done = _python(code, workspace.parent, argos_installed)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"][:5] == [0, 0, 0, 0, 0]  # stats/check may report findings
    assert result["ray"] == []
    po = (workspace / "locales" / "en" / "interview-thierry-alvergnat.po").read_text("utf-8")
    assert "engine=argos" in po  # the local run did translate


def test_cuda_without_a_gpu_is_one_line(workspace: Path, argos_installed: dict[str, str]) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has a GPU")
    runner = CliRunner()
    assert runner.invoke(main, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    result = runner.invoke(
        main, ["translate", "-w", str(workspace), "--to", "en", "--device", "cuda"]
    )
    assert result.exit_code == 1
    # One line; the fallback engine (apertium, which has no fr→en) says why it cannot either.
    assert result.output.splitlines()[-1].startswith(
        "tirage: device 'cuda': CTranslate2 sees no CUDA GPU on this machine; use --device cpu; "
    )
    assert "tirage-mt" not in (workspace / "locales" / "en").joinpath(
        "interview-thierry-alvergnat.po"
    ).read_text("utf-8")
    # "auto" falls back to the CPU, and writes what "cpu" writes.
    auto = runner.invoke(main, ["translate", "-q", "-w", str(workspace), "--to", "en"])
    assert auto.exit_code == 0, auto.output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('device = "gpu"', "translate.device: must be one of cpu, cuda, auto, not 'gpu'"),
        (
            "actors_per_node = 0",
            "translate.actors_per_node: must be a whole number from 1 to 1024, not 0",
        ),
        ('ray = "head"', "translate.ray: must be \"auto\" or HOST:PORT, not 'head'"),
    ],
)
def test_bad_cluster_settings_name_the_line(workspace: Path, setting: str, message: str) -> None:
    config = workspace / "tirage.toml"
    text = config.read_text(encoding="utf-8").replace("[translate]\n", f"[translate]\n{setting}\n")
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index(setting) + 1
    result = CliRunner().invoke(main, ["translate", "-w", str(workspace)])
    assert result.exit_code == 1
    assert result.output == f"tirage: {config}:{line}: {message}\n"


def test_a_malformed_address_is_a_usage_error(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["translate", "-w", str(workspace), "--ray", "nowhere"])
    assert result.exit_code == 2
    assert result.output == "tirage: --ray: 'nowhere' is not a Ray address (HOST:PORT)\n"


def test_a_local_instance_needs_loopback(workspace: Path) -> None:
    """In a fresh network namespace (`unshare -n`) loopback is down: one line, at once."""
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("user namespaces are not allowed here")
    pytest.importorskip("ray")
    code = """
        from tirage.cli import main
        main(["translate", "--ray", "-w", "ws"])
    """
    done = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", textwrap.dedent(code)],
        cwd=workspace.parent, env={**os.environ, "PYTHONPATH": SRC},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        "tirage: cannot start a local Ray instance: 127.0.0.1 is unusable (Network is "
        "unreachable); bring the loopback interface up (`ip link set lo up`)\n"
    )


NOT_RAY = "what answers there is not a Ray cluster"


class NotRay:
    """A local TCP server that is not Ray: it accepts, then says `answer` (or nothing)."""

    def __init__(self, answer: bytes | None) -> None:
        self.answer = answer
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)  # kept open: a silent peer, not a closed one
            if self.answer is not None:
                conn.sendall(self.answer)

    def close(self) -> None:
        self.server.close()
        for conn in self.held:
            conn.close()


@pytest.mark.loopback
@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "nothing answered as a Ray cluster within 10 s"),
        (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", NOT_RAY),
        (b"\x00" * 64, NOT_RAY),
    ],
)  # fmt: skip
def test_an_address_that_is_not_ray_fails_within_seconds(
    workspace: Path, answer: bytes | None, reason: str
) -> None:
    pytest.importorskip("ray")
    fake = NotRay(answer)
    address = f"127.0.0.1:{fake.port}"
    try:
        started = time.monotonic()
        result = CliRunner().invoke(main, ["translate", "-w", str(workspace), "--ray", address])
        took = time.monotonic() - started
    finally:
        fake.close()
    assert result.exit_code == 1
    assert result.output == f"tirage: cannot reach the Ray cluster at {address}: {reason}\n"
    assert took < 20  # the bound is 10 s of waiting; the rest is importing Ray
