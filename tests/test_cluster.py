"""`tirage translate --ray` on a real Ray cluster, started once for this module.

The cluster (`ray start --head --block`, 2 CPUs, dashboard off) runs in a network namespace
of its own where only loopback exists, when the kernel allows one (`unshare -rn`); every
driver joins that namespace with `nsenter`. So nothing can reach beyond 127.0.0.1, two test
sessions on one machine never share ports, and the cluster goes when `ray start` is
stopped. Its nodes have no Argos package installed: the packages reach the actors through
Ray's object store, as they would on a real cluster.
"""

from __future__ import annotations

import filecmp
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from tirage.po.pofile import read_po, save_po
from tirage.provenance import get_provenance

from argos_fixture import argos_env

pytest.importorskip("ray", reason="the ray extra is part of the test extra")

# Token authentication, as Ray does by default, with a token of this session's own (never
# ~/.ray/auth_token); no usage reports.
RAY_ENV = {
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(32),
    "RAY_USAGE_STATS_ENABLED": "0",
}
PORT = 6390  # fixed: the cluster has a network namespace to itself
ADDRESS = f"127.0.0.1:{PORT}"
REPO = Path(__file__).resolve().parent.parent
DOCS = 3  # generated documents, besides the interview
SENTENCES = 400  # per generated document: a run lasts long enough to be killed midway


@dataclass
class Cluster:
    process: subprocess.Popen[bytes]
    prefix: list[str]  # runs a command inside the cluster's network namespace
    up: bool = False

    def wait(self) -> None:
        """Ray starts while the reference workspace is translated; wait on first use."""
        if not self.up:
            _wait_until_up(self.prefix, self.process)
            self.up = True

    def netns(self) -> str:
        return os.readlink(f"/proc/{self.process.pid}/ns/net")


def _netns_allowed() -> bool:
    unshare, ip = shutil.which("unshare"), shutil.which("ip")
    if unshare is None or ip is None or shutil.which("nsenter") is None:
        return False
    probe = subprocess.run([unshare, "-rn", ip, "link", "set", "lo", "up"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    home = tmp_path_factory.mktemp("ray")
    ray = str(Path(sys.executable).parent / "ray")
    start = [
        ray, "start", "--head", "--block", f"--port={PORT}", "--num-cpus=2", "--num-gpus=0",
        "--node-ip-address=127.0.0.1", "--include-dashboard=false",
        "--disable-usage-stats", f"--temp-dir={home / 'tmp'}",
    ]  # fmt: skip
    env = {
        **os.environ,
        **RAY_ENV,
        **argos_env(home / "no-packages"),  # the node has none: the driver ships them
    }
    if _netns_allowed():
        command = ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *start]
    else:  # no user namespaces here: the host's loopback
        command = start
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    prefix: list[str] = []
    if command[0] == "unshare":
        prefix = ["nsenter", "-t", str(process.pid), "-U", "-n", "--preserve-credentials"]
    try:
        yield Cluster(process, prefix)
    finally:
        process.send_signal(signal.SIGTERM)  # `--block`: ray start stops everything it began
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _wait_until_up(prefix: list[str], process: subprocess.Popen[bytes]) -> None:
    """Until `ray status` answers (the head's GCS and raylet are up)."""
    ray = str(Path(sys.executable).parent / "ray")
    env = {**os.environ, **RAY_ENV}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise AssertionError(f"ray start failed: {process.stderr.read().decode()[-2000:]}")
        status = [*prefix, ray, "status", f"--address={ADDRESS}"]
        try:
            done = subprocess.run(status, env=env, capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            continue
        if done.returncode == 0 and b"2.0 CPU" in done.stdout:
            return
        time.sleep(1)
    raise AssertionError("the Ray cluster did not come up")


# --- the workspace ------------------------------------------------------------------------


def _documents(root: Path) -> None:
    """Several documents: the interview and generated ones, sentences repeated across them
    (each distinct sentence is translated once) and some with protected spans."""
    import random

    rng = random.Random(11)
    words = "la filière numérique région marque acteurs entreprises moyens province label"
    vocab = words.split()
    for d in range(DOCS):
        lines = [f"Document {d}", ""]
        for i in range(SENTENCES):
            body = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 14)))
            extra = " Voir https://example.org/a_b." if i % 50 == 0 else ""
            lines += [f"Phrase {i % 400} : {body}.{extra}", ""]
        (root / "source" / f"doc{d}.txt").write_text("\n".join(lines), encoding="utf-8")


def _humans(root: Path) -> dict[Path, dict[str, tuple[str, list[str]]]]:
    """A translator's work in every catalog: one reviewed entry, one fuzzy with a msgstr."""
    kept: dict[Path, dict[str, tuple[str, list[str]]]] = {}
    for path in sorted((root / "locales").glob("*/*.po")):
        po = read_po(path)
        picked = [e for e in po if e.msgid and not e.obsolete][2:4]
        picked[0].msgstr = "Traduction humaine relue."
        picked[1].msgstr = "Ancienne traduction humaine."
        picked[1].flags.append("fuzzy")
        save_po(path, po)
        kept[path.relative_to(root)] = {e.msgid: (e.msgstr, list(e.flags)) for e in picked}
    return kept


@dataclass
class Prepared:
    base: Path  # updated, nothing machine-translated: copy it for each run
    local: Path  # the same, translated by a local run: the reference
    humans: dict[Path, dict[str, tuple[str, list[str]]]]
    env: dict[str, str]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, argos_installed: dict[str, str]) -> Prepared:
    root = tmp_path_factory.mktemp("cluster-ws") / "base"
    (root / "source").mkdir(parents=True)
    config = (REPO / "tirage.toml").read_text(encoding="utf-8")
    targets = 'target_languages = ["en", "es"]'
    config = re.sub(r"^target_languages = .*$", targets, config, count=1, flags=re.M)
    assert targets in config
    (root / "tirage.toml").write_text(config, encoding="utf-8")
    shutil.copy(REPO / "glossary.csv", root / "glossary.csv")
    shutil.copy(REPO / "source" / "interview-thierry-alvergnat.txt", root / "source")
    _documents(root)
    env = {**os.environ, **argos_installed, **RAY_ENV}
    env["SOURCE_DATE_EPOCH"] = "1432800000"
    run = [sys.executable, "-m", "tirage"]
    subprocess.run([*run, "update", "-q", "-w", str(root)], env=env, check=True)
    humans = _humans(root)
    local = root.parent / "local"
    shutil.copytree(root, local)
    done = subprocess.run(
        [*run, "translate", "-w", str(local), "--device", "cpu"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return Prepared(root, local, humans, env)


def _copy(prepared: Prepared, dest: Path) -> Path:
    shutil.copytree(prepared.base, dest)
    return dest


def _ray_translate(
    cluster: Cluster, prepared: Prepared, ws: Path, *more: str
) -> subprocess.Popen[str]:
    cluster.wait()
    command = [*cluster.prefix, sys.executable, "-m", "tirage", "translate", "-w", str(ws)]
    return subprocess.Popen(
        [*command, *more],
        env=prepared.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _catalogs(ws: Path) -> list[Path]:
    return sorted(p.relative_to(ws) for p in (ws / "locales").glob("*/*.po"))


def _assert_same_as_local(prepared: Prepared, ws: Path) -> None:
    paths = _catalogs(ws)
    assert paths == _catalogs(prepared.local) and len(paths) == 2 * (DOCS + 1)
    different = [str(p) for p in paths if not filecmp.cmp(ws / p, prepared.local / p, False)]
    assert different == []


def _filled_count(ws: Path) -> int:
    return sum(1 for p in _catalogs(ws) for e in polib.pofile(str(ws / p)) if e.msgstr and e.msgid)


def _wait_for_first_save(ws: Path, process: subprocess.Popen[str]) -> None:
    """Until some machine translation is on disk (the run is under way)."""
    path = ws / "locales" / "en" / "doc0.po"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if b"tirage-mt: engine=argos" in path.read_bytes():
            return
        time.sleep(0.02)
    raise AssertionError("no batch was saved before the run ended")


# --- tests ------------------------------------------------------------------------------


def test_ray_run_fills_like_a_local_run(
    cluster: Cluster, prepared: Prepared, tmp_path: Path
) -> None:
    ws = _copy(prepared, tmp_path / "ws")
    process = _ray_translate(cluster, prepared, ws, "--ray", ADDRESS)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert "en: " in out and "by argos (translate-fr_en 0.1)" in out
    assert "es: " in out and "by argos (translate-fr_en+translate-en_es 0.1+0.1)" in out
    for rel in _catalogs(ws):
        entries = [e for e in read_po(ws / rel) if e.msgid and not e.obsolete]
        local = {e.msgid: e.msgstr for e in read_po(prepared.local / rel)}
        assert sum(1 for text in local.values() if not text) < len(local) // 20
        human = prepared.humans[rel]
        for entry in entries:
            if entry.msgid in human:  # a translator's work, untouched
                assert (entry.msgstr, list(entry.flags)) == human[entry.msgid]
                continue
            if not local[entry.msgid]:
                continue  # the random model gave nothing here, locally too (below)
            record = get_provenance(entry)
            assert entry.msgstr and "fuzzy" in entry.flags, entry.msgid
            assert record is not None and record.engine == "argos" and record.score is not None
    _assert_same_as_local(prepared, ws)


def test_interrupted_runs_resume(cluster: Cluster, prepared: Prepared, tmp_path: Path) -> None:
    """Ctrl+C saves what is done and stops; kill -9 loses at most the batches in flight;
    the next run resumes, and the end result is the local run's."""
    ws = _copy(prepared, tmp_path / "ws")
    # `ray = ADDRESS` in tirage.toml, this time.
    config = ws / "tirage.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[translate]\n", f'[translate]\nray = "{ADDRESS}"\n'), "utf-8")
    total = sum(
        1 for p in _catalogs(prepared.local) for e in read_po(prepared.local / p) if e.msgstr
    )
    process = _ray_translate(cluster, prepared, ws)
    _wait_for_first_save(ws, process)
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=120)[1]
    assert process.returncode == 1 and "Traceback" not in err, err
    after_interrupt = _filled_count(ws)
    assert 0 < after_interrupt < total

    process = _ray_translate(cluster, prepared, ws)
    path = ws / "locales" / "es" / "doc0.po"
    deadline = time.monotonic() + 120
    while b"tirage-mt: engine=argos" not in path.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    after_kill = _filled_count(ws)
    assert after_interrupt < after_kill < total

    process = _ray_translate(cluster, prepared, ws)
    err = process.communicate(timeout=600)[1]
    assert process.returncode == 0, err
    assert _filled_count(ws) == total
    _assert_same_as_local(prepared, ws)


def _actor_pids(cluster: Cluster) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            netns = os.readlink(proc / "ns" / "net")
        except OSError:
            continue
        if cmdline.startswith(b"ray::TranslatorActor") and netns == cluster.netns():
            pids.append(int(proc.name))
    return pids


def test_killing_an_actor_loses_nothing(
    cluster: Cluster, prepared: Prepared, tmp_path: Path
) -> None:
    ws = _copy(prepared, tmp_path / "ws")
    process = _ray_translate(cluster, prepared, ws, "--ray", ADDRESS)
    _wait_for_first_save(ws, process)
    pids = _actor_pids(cluster)
    assert len(pids) == 1 or len(pids) == 2, pids
    os.kill(pids[0], signal.SIGKILL)
    assert process.poll() is None, "the run ended before an actor could be killed"
    err = process.communicate(timeout=600)[1]
    assert process.returncode == 0, err
    _assert_same_as_local(prepared, ws)


def test_unreachable_cluster_is_one_line(
    cluster: Cluster, prepared: Prepared, tmp_path: Path
) -> None:
    ws = _copy(prepared, tmp_path / "ws")
    nobody = f"127.0.0.1:{PORT + 1}"  # nothing listens there in the cluster's namespace
    process = _ray_translate(cluster, prepared, ws, "--ray", nobody)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert err == f"tirage: cannot reach the Ray cluster at {nobody}: Connection refused\n"
    assert out == ""


def test_cuda_on_a_cluster_without_gpus_is_one_line(
    cluster: Cluster, prepared: Prepared, tmp_path: Path
) -> None:
    ws = _copy(prepared, tmp_path / "ws")
    process = _ray_translate(cluster, prepared, ws, "--ray", ADDRESS, "--device", "cuda")
    err = process.communicate(timeout=120)[1]
    assert process.returncode == 1
    # Ray's core may log a warning first (it looks for a route to 8.8.8.8 to find the node's
    # address, and there is none in this namespace); ours is the last line, alone.
    assert err.splitlines()[-1] == (
        f"tirage: device 'cuda': the Ray cluster at {ADDRESS} has no GPU; use --device cpu"
    )
    assert "Traceback" not in err
    assert _filled_count(ws) == _filled_count(prepared.base)
