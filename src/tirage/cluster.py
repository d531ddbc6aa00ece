"""Archive scale: the engine on a Ray cluster, the fill/save loop on the driver.

`RayRunner` plugs into `tirage.translate` where the in-process engine would: the driver still
selects the pending entries, applies the translation memory, and fills and saves the catalogs
batch by batch (`translate.translate_language`). Only "translate these batches" moves to Ray
actors, and each actor runs tirage's own engine code: `open_engine` and `translate_protected`
(masks, the split-around-masks fallback, scores), so a cluster run writes what a local run
writes.

- Actors. `actors_per_node` per alive CPU node, each with `threads_per_actor` CTranslate2
  workers and as many Ray CPUs; with `device = "cuda"`, one actor per GPU, each asking Ray
  for that GPU. Each actor opens a language pair's model once and keeps it for the run.
- Models. The driver reads its installed Argos packages, puts each one in Ray's object store
  once (a tar archive), and actors unpack it into a node-local cache keyed by its SHA-256.
  No node needs the package installed, nor internet access.
- Failures. An actor that dies is restarted by Ray and its task retried (`RESTARTS`); a
  batch's results reach the catalogs once, through the driver's fill, which only fills what
  is still untranslated on disk. The driver owns the actors: if it is killed, they go too,
  and the next run resumes from the catalogs.

`ray` is imported only here, and only when `--ray` or `[translate] ray` asks for it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tirage.errors import EngineError, TirageError, UsageError
from tirage.models import ModelInfo, find_route
from tirage.mt import Engine, open_engine
from tirage.text.protect import Protected, translate_protected
from tirage.translate import engine_options, first_of
from tirage.workspace import Workspace

INSTALL_HINT = "Ray is not installed; install it with `pip install 'tirage[ray]'`"
RESTARTS = 3  # an actor is restarted, and its batch retried, this many times before we give up
CONNECT_TIMEOUT = 10.0  # seconds to reach a cluster's address before giving up
# The HTTP/2 client preface and an empty SETTINGS frame, which a gRPC server answers.
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
IN_FLIGHT = 2  # batches queued per actor: one running, one waiting, so no actor idles


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EngineError(INSTALL_HINT) from None
    return ray


@dataclass(frozen=True)
class Shipped:
    """An Argos package in the object store: its metadata and a reference to its tar bytes."""

    model: ModelInfo
    digest: str
    archive: Any  # ray.ObjectRef[bytes]


@dataclass(frozen=True)
class PairSpec:
    """Everything an actor needs to open an engine, even after a restart."""

    name: str
    options: dict[str, Any]
    route: tuple[Shipped, ...] = ()

    @property
    def key(self) -> str:
        digests = ",".join(s.digest for s in self.route)
        return f"{self.name}:{self.options['source']}>{self.options['target']}:{digests}"


class TranslatorActor:
    """A Ray actor: tirage's engine for the pairs it is given, opened once each."""

    def __init__(self, threads: int, device: str) -> None:
        self.threads = threads
        self.device = device
        self.engines: dict[str, Engine] = {}

    def ready(self) -> None:
        pass

    def describe(self, spec: PairSpec) -> tuple[str, str, str]:
        engine = self._engine(spec)
        return engine.name, engine.model, engine.version

    def translate(
        self, spec: PairSpec, texts: Sequence[str], keep: Sequence[str]
    ) -> list[Protected]:
        return translate_protected(self._engine(spec), texts, keep)

    def drop(self, key: str) -> None:
        engine = self.engines.pop(key, None)
        if engine is not None:
            engine.close()

    def _engine(self, spec: PairSpec) -> Engine:
        if spec.key not in self.engines:
            route = [unpack(shipped) for shipped in spec.route]
            options = {**spec.options, "device": self.device, "threads": self.threads}
            self.engines[spec.key] = open_engine(spec.name, **options, route=route)
        return self.engines[spec.key]


def pack(model: ModelInfo) -> bytes:
    """An installed package folder as an uncompressed tar (CTranslate2 weights barely
    compress; the object store moves bytes faster than gzip makes them)."""
    assert model.path is not None
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(model.path, arcname="package")
    return buffer.getvalue()


def unpack(shipped: Shipped) -> ModelInfo:
    """The shipped package in this node's cache, unpacked once for all actors of the node."""
    import ray

    cache = Path(tempfile.gettempdir()) / "tirage-models"
    folder = cache / shipped.digest
    if not (folder / "package").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".unpack-", dir=cache))
        data: bytes = ray.get(shipped.archive)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            # Our own archive; the "data" filter (Python ≥ 3.11.4) refuses links out anyway.
            if hasattr(tarfile, "data_filter"):
                tar.extractall(work, filter="data")
            else:  # pragma: no cover - older Python 3.11
                tar.extractall(work)
        try:
            os.rename(work, folder)  # atomic: another actor may have won the race
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    return replace(shipped.model, path=folder / "package")


@dataclass
class RayRunner:
    """Actors on the cluster at `address` ("auto": start or join a local Ray instance)."""

    ray: Any
    address: str
    actors: list[Any]
    device: str
    shipped: dict[Path, Shipped] = field(default_factory=dict)

    @classmethod
    def connect(cls, address: str, ws: Workspace) -> RayRunner:
        where = "a local Ray instance" if address == "auto" else f"the Ray cluster at {address}"
        ray = import_ray()
        if address != "auto":
            reach(address, where)
        else:
            loopback(where)
        # Ray asks by default whether it may report usage; tirage never reaches the network.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            ray.init(
                address=None if address == "auto" else address,
                include_dashboard=False,
                log_to_driver=False,
                logging_level="ERROR",
                configure_logging=True,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(f"cannot reach {where}: {reason}") from None
        try:
            device, placements = plan_actors(ray, ws, where)
            remote = ray.remote(TranslatorActor)
            actors = [
                remote.options(
                    max_restarts=RESTARTS,
                    max_task_retries=RESTARTS,
                    num_cpus=threads,
                    num_gpus=1 if device == "cuda" else 0,
                    scheduling_strategy=node_affinity(node),
                ).remote(threads, device)
                for node, threads in placements
            ]
            runner = cls(ray, address, actors, device)
            # Started and importing tirage on their nodes, or an error now rather than later.
            runner.wait([actor.ready.remote() for actor in actors])
        except BaseException:
            ray.shutdown()
            raise
        return runner

    def open(self, ws: Workspace, names: Sequence[str], lang: str) -> RayBatches:
        def attempt(name: str) -> RayBatches:
            options = engine_options(ws, lang)
            models = find_route(ws.source_lang, lang) if name == "argos" else []
            spec = PairSpec(name, options, tuple(self.ship(m) for m in models))
            # Every actor opens the pair now, so a model that cannot load is an error here,
            # where the next engine in `names` can take over, not in the middle of the run.
            described = self.wait([actor.describe.remote(spec) for actor in self.actors])
            engine_name, model, version = described[0]
            return RayBatches(self, spec, engine_name, model, version)

        return first_of(names, attempt)

    def ship(self, model: ModelInfo) -> Shipped:
        assert model.path is not None
        if model.path not in self.shipped:
            data = pack(model)
            digest = hashlib.sha256(data).hexdigest()[:32]
            ref = self.ray.put(data)
            self.shipped[model.path] = Shipped(replace(model, path=None), digest, ref)
        return self.shipped[model.path]

    def wait(self, refs: list[Any]) -> list[Any]:
        """ray.get, with an actor's failure turned into one line."""
        try:
            return list(self.ray.get(refs))
        except self.ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, TirageError):
                raise EngineError(exc.cause.message, exc.cause.path, exc.cause.line) from None
            raise EngineError(f"a Ray actor failed: {first_line(exc.cause)}") from None
        except self.ray.exceptions.RayActorError as exc:
            raise EngineError(
                f"a Ray actor died {RESTARTS + 1} times; what was translated is saved, run "
                f"again to resume ({first_line(exc)})"
            ) from None

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        self.ray.shutdown()


def reach(address: str, where: str) -> None:
    """Fail within CONNECT_TIMEOUT, with one line, where Ray would retry an unreachable
    address for minutes, or wait for ever on something that is not Ray.

    A Ray cluster's address is its GCS, a gRPC server: it answers the HTTP/2 client
    preface with a SETTINGS frame at once. A port that accepts and stays silent, closes,
    or answers anything else is not a Ray cluster."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--ray: '{address}' is not a Ray address (HOST:PORT)")
    deadline = time.monotonic() + CONNECT_TIMEOUT
    answer = b""
    try:
        peer = (host.strip("[]"), int(port))
        with socket.create_connection(peer, timeout=CONNECT_TIMEOUT) as sock:
            sock.sendall(HTTP2_PREFACE)
            while len(answer) < 9:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(9 - len(answer))
                if not chunk:
                    break
                answer += chunk
    except TimeoutError:
        raise EngineError(
            f"cannot reach {where}: nothing answered as a Ray cluster within {CONNECT_TIMEOUT:g} s"
        ) from None
    except OSError as exc:
        raise EngineError(f"cannot reach {where}: {exc.strerror or first_line(exc)}") from None
    # A frame header: 3 bytes of length, type 4 (SETTINGS), flags, stream 0.
    if len(answer) < 9 or answer[3] != 4 or answer[5:9] != bytes(4):
        raise EngineError(f"cannot reach {where}: what answers there is not a Ray cluster")


def loopback(where: str) -> None:
    """A local instance talks over 127.0.0.1: fail at once where it is down (a fresh
    `unshare -n` namespace), where Ray would wait for its own servers for minutes."""
    try:
        with socket.create_server(("127.0.0.1", 0)) as server:
            socket.create_connection(server.getsockname(), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise EngineError(
            f"cannot start {where}: 127.0.0.1 is unusable ({exc.strerror or first_line(exc)}); "
            "bring the loopback interface up (`ip link set lo up`)"
        ) from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass
class RayBatches:
    """One language pair on the runner's actors; results stream back as they are done."""

    runner: RayRunner
    spec: PairSpec
    name: str
    model: str
    version: str

    def run(
        self, batches: Sequence[Sequence[str]], keep: Sequence[str]
    ) -> Iterator[tuple[int, list[Protected]]]:
        ray, actors = self.runner.ray, self.runner.actors
        keep_ref = ray.put(list(keep))
        todo = list(reversed(range(len(batches))))
        running: dict[Any, tuple[int, int]] = {}  # ref → (batch index, actor index)
        load = [0] * len(actors)
        try:
            while todo or running:
                while todo and min(load) < IN_FLIGHT:
                    slot = load.index(min(load))
                    index = todo.pop()
                    ref = actors[slot].translate.remote(self.spec, list(batches[index]), keep_ref)
                    running[ref] = (index, slot)
                    load[slot] += 1
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    index, slot = running.pop(ref)
                    load[slot] -= 1
                    (results,) = self.runner.wait([ref])
                    yield index, results
        finally:
            for ref in running:
                ray.cancel(ref)

    def close(self) -> None:
        self.runner.ray.get([actor.drop.remote(self.spec.key) for actor in self.runner.actors])


def plan_actors(ray: Any, ws: Workspace, where: str) -> tuple[str, list[tuple[str, int]]]:
    """The device, and (node id, CTranslate2 threads) for each actor to start."""
    settings = ws.engine
    nodes = [node for node in ray.nodes() if node.get("Alive")]
    gpus = sum(int(node["Resources"].get("GPU", 0)) for node in nodes)
    device = settings.device
    if device == "auto":
        device = "cuda" if gpus else "cpu"
    if device == "cuda" and not gpus:
        raise EngineError(f"device 'cuda': {where} has no GPU; use --device cpu")
    placements: list[tuple[str, int]] = []
    for node in nodes:
        resources = node["Resources"]
        if device == "cuda":
            placements += [(node["NodeID"], 1)] * int(resources.get("GPU", 0))
            continue
        cpus = int(resources.get("CPU", 0))
        threads = settings.threads_per_actor or max(1, cpus // settings.actors_per_node)
        placements += [(node["NodeID"], threads)] * min(settings.actors_per_node, cpus // threads)
    if not placements:
        need = settings.threads_per_actor or 1
        raise EngineError(f"{where} has no node with {need} CPUs for an actor")
    return device, placements


def node_affinity(node_id: str) -> Any:
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    # Soft: if the node is lost, Ray may restart the actor elsewhere.
    return NodeAffinitySchedulingStrategy(node_id, soft=True)
