"""No lost save: a translator saving while tirage works, two tirage processes at once."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest

from tirage.po import locking
from tirage.po.locking import Known, Planned, modify_po
from tirage.po.pofile import format_po, read_po
from tirage.workspace import Workspace, load_workspace
from translator_saves import lost_saves, save_once, write_workspace

HAMMER = Path(__file__).with_name("translator_saves.py")


def tirage(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tirage", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert err == "", err
    return out


def built(factory: pytest.TempPathFactory, entries: int) -> Path:
    root = factory.mktemp("ws") / "ws"
    write_workspace(root, entries)
    finish(tirage("update", "-w", str(root), "-q"))
    return root


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with one 20,000-entry catalog, built once, copied by each test."""
    return built(tmp_path_factory, 20_000)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 entries: two processes at once (bench/concurrency.py goes up to 20,000)."""
    return built(tmp_path_factory, 4_000)


def copy(src: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(src, root)
    return root


def untranslated(po_path: Path) -> int:
    return sum(1 for e in read_po(po_path) if e.msgid and not e.obsolete and not e.msgstr)


def test_translator_saves_while_translate_runs_are_never_lost(big: Path, tmp_path: Path) -> None:
    root = copy(big, tmp_path)
    po = root / "locales" / "de" / "doc.po"
    log, stop = tmp_path / "saves.log", tmp_path / "stop"
    translate = tirage("translate", "-w", str(root), "-q")
    # The translator starts with the first save (the lock file appears): earlier, its
    # translations would only slow down translate's memory lookups, which are not at stake.
    first_save = root / ".tirage" / "locks" / "locales" / "de" / "doc.po.lock"
    while not first_save.exists() and translate.poll() is None:
        time.sleep(0.01)
    translator = subprocess.Popen(
        [sys.executable, str(HAMMER), str(po), str(log), str(stop), "0.05", "0.2"]
    )
    try:
        finish(translate)
    finally:
        stop.touch()
        translator.wait(timeout=30)
    lost, saves = lost_saves(po, log)
    assert saves >= 10  # the translator did save while the batch ran
    assert (lost, saves) == (0, saves)
    # The translator's tool takes no lock: it may overwrite fills (never the other way
    # round). The next run fills what it did.
    finish(tirage("translate", "-w", str(root), "-q"))
    assert untranslated(po) == 0
    assert lost_saves(po, log) == (0, saves)
    assert not [p for p in po.parent.iterdir() if p.name != "doc.po"]  # no temp file left


def test_update_beside_translate_never_undoes_a_fill(medium: Path, tmp_path: Path) -> None:
    root = copy(medium, tmp_path)
    po = root / "locales" / "de" / "doc.po"
    translate = tirage("translate", "-w", str(root), "-q")
    updates = 0
    while translate.poll() is None or updates == 0:
        finish(tirage("update", "-w", str(root), "-q"))
        updates += 1
    finish(translate)
    finish(tirage("update", "-w", str(root), "-q"))
    assert untranslated(po) == 0


def test_two_translate_runs_at_once(medium: Path, tmp_path: Path) -> None:
    root = copy(medium, tmp_path)
    shutil.rmtree(root / ".tirage")  # a fresh memory: both runs create it at once
    po = root / "locales" / "de" / "doc.po"
    runs = [tirage("translate", "-w", str(root)) for _ in range(2)]
    for run in runs:
        finish(run)  # both complete: no "database is locked", no error at all
    entries = [e for e in read_po(po) if e.msgid]
    assert len(entries) == 4_000
    assert all(e.msgstr and "fuzzy" in e.flags for e in entries)


# -- modify_po, with a save landing inside its read-modify-write -----------------------------


def fill_all(po: polib.POFile | None) -> polib.POFile | None:
    assert po is not None
    for entry in po:
        if entry.msgid and not entry.msgstr:
            entry.msgstr = "machine"
            entry.flags.append("fuzzy")
    return po


def _catalog(tmp_path: Path, count: int, pattern: str = "Phrase {}.") -> tuple[Path, Path]:
    """A workspace and its German catalog of `count` untranslated entries."""
    root = tmp_path / "ws"
    write_workspace(root, 1)
    po = root / "locales" / "de" / "doc.po"
    po.parent.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Language": "de"}
    catalog.extend(polib.POEntry(msgid=pattern.format(n)) for n in range(count))
    po.write_text(format_po(catalog), encoding="utf-8")
    return root, po


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename"])
@pytest.mark.parametrize("entrywise", [True, False])
def test_a_save_during_the_change_is_merged_not_overwritten(
    tmp_path: Path, entrywise: bool, exchange: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not exchange:  # a file system without an atomic exchange: the check alone
        monkeypatch.setattr(locking, "_exchange", lambda a, b: False)
    root, po = _catalog(tmp_path, 50)
    ws = load_workspace(root)
    log = tmp_path / "saves.log"
    calls = 0

    def change(catalog: polib.POFile | None) -> polib.POFile | None:
        nonlocal calls
        calls += 1
        if calls <= 3:  # a translator saves while tirage is working, three times
            entry = save_once(po, calls, random.Random(calls))
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{calls}\t{entry}\n")
        return fill_all(catalog)

    assert modify_po(ws, po, change, entrywise=entrywise)
    lost, saves = lost_saves(po, log)
    assert (lost, saves) == (0, 3)
    texts = [e.msgstr for e in read_po(po) if e.msgid]
    assert texts.count("machine") == 47
    assert os.listdir(po.parent) == ["doc.po"]


def _plan(po: Path) -> Planned:
    """`fill_all` planned as `update` plans: on the file as it is now."""
    data = po.read_bytes()
    return Planned(Known(hashlib.sha256(data).digest(), len(data)), fill_all(read_po(po)))


def _save(ws: Workspace, po: Path, planned: bool) -> bool:
    """`fill_all` saved as a change (read under the lock), or as `update` saves: planned
    beforehand, then checked by the file's digest, the file never read whole."""
    if not planned:
        return modify_po(ws, po, fill_all, entrywise=True)
    return modify_po(ws, po, fill_all, planned=_plan(po))


def test_a_plan_is_merged_again_on_a_file_changed_at_the_same_size(tmp_path: Path) -> None:
    """A plan is taken as read while the file keeps its size; a translator's save in place,
    at the same size, between the plan and the save, is still seen (by the file's digest,
    just before the exchange) and kept: the change is made again on that file."""
    root, po = _catalog(tmp_path, 50)
    ws = load_workspace(root)
    plan = _plan(po)
    data = po.read_bytes()
    with open(po, "r+b") as handle:  # in place: the same inode and size
        handle.write(data.replace(b'"Phrase 3."', b'"Phrase Z."'))
    assert po.stat().st_size == plan.read.size
    assert modify_po(ws, po, fill_all, planned=plan)
    entries = {e.msgid: e.msgstr for e in read_po(po) if e.msgid}
    assert "Phrase 3." not in entries and entries["Phrase Z."] == "machine"
    assert len(entries) == 50 and set(entries.values()) == {"machine"}


@pytest.mark.parametrize("planned", [False, True], ids=["change", "planned"])
def test_a_save_in_the_last_instant_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned: bool
) -> None:
    """A save landing between tirage's last check and its rename: the exchange hands the
    displaced file back, tirage sees it is not what it read, and swaps it back in place."""
    root, po = _catalog(tmp_path, 20)
    ws = load_workspace(root)
    real = locking._exchange
    saved: list[str | None] = []

    def late(a: str | Path, b: str | Path) -> bool:
        if not saved:
            saved.append(save_once(po, 1, random.Random(5)))
        return real(a, b)

    monkeypatch.setattr(locking, "_exchange", late)
    assert _save(ws, po, planned)
    entries = [e for e in read_po(po) if e.msgid]
    assert [e.msgstr for e in entries].count("human 1") == 1
    assert [e.msgstr for e in entries].count("machine") == 19
    assert os.listdir(po.parent) == ["doc.po"]


@pytest.mark.parametrize("planned", [False, True], ids=["change", "planned"])
@pytest.mark.parametrize("kept_for", [3600.0, 0.0])
def test_a_same_size_save_in_place_in_the_last_instant_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept_for: float, planned: bool
) -> None:
    """What the exchange displaced is compared by its stat only when the file was last
    written well before tirage read it. An editor writing in place (same inode, same size)
    in the instant before the exchange changes its time; on a file written just before, a
    coarse clock could give it the same time, so it is read and compared again. Either way
    the editor's save stays: here it renames a msgid, which tirage then translates too."""
    root, po = _catalog(tmp_path, 50)
    ws = load_workspace(root)
    then = time.time() - kept_for
    os.utime(po, (then, then))
    seen = po.stat()
    real = locking._exchange
    done: list[bool] = []

    def late(a: str | Path, b: str | Path) -> bool:
        if not done:
            done.append(True)
            with open(po, "r+b") as handle:  # in place: the same inode and size
                data = handle.read().replace(b'"Phrase 3."', b'"Phrase Z."')
                handle.seek(0)
                handle.write(data)
            if not kept_for:  # a clock too coarse to tell the two writes apart
                os.utime(po, ns=(seen.st_atime_ns, seen.st_mtime_ns))
            assert po.stat().st_size == seen.st_size and po.stat().st_ino == seen.st_ino
        return real(a, b)

    monkeypatch.setattr(locking, "_exchange", late)
    assert _save(ws, po, planned)
    entries = {e.msgid: e.msgstr for e in read_po(po) if e.msgid}
    assert "Phrase 3." not in entries and entries["Phrase Z."] == "machine"
    assert len(entries) == 50 and set(entries.values()) == {"machine"}
    assert os.listdir(po.parent) == ["doc.po"]


def test_a_big_displaced_catalog_is_removed_after_the_save(tmp_path: Path) -> None:
    """Freeing a big catalog's blocks is left to a thread of its own; the file goes all the
    same, and the process waits for it before it exits."""
    root, po = _catalog(tmp_path, 30_000, "Phrase numéro {}, assez longue.")
    ws = load_workspace(root)
    assert po.stat().st_size > locking._BIG
    assert modify_po(ws, po, fill_all, entrywise=True)
    for thread in threading.enumerate():
        if thread.name == "tirage-discard":
            assert not thread.daemon
            thread.join()
    assert os.listdir(po.parent) == ["doc.po"]
    assert {e.msgstr for e in read_po(po) if e.msgid} == {"machine"}


def test_a_big_catalog_removed_while_it_is_saved_stays_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other thread's read finds the file gone: the save starts again from nothing,
    and a change that makes nothing of nothing writes nothing."""
    root, po = _catalog(tmp_path, 30_000, "Phrase numéro {}, assez longue.")
    ws = load_workspace(root)
    then = time.time() - 3600  # an old file: the stat alone would tell it is unchanged
    os.utime(po, (then, then))
    real = os.chmod

    def removed(path: str | Path, mode: int) -> None:
        real(path, mode)  # the new file's mode, taken from the old: then the old goes
        po.unlink(missing_ok=True)

    monkeypatch.setattr(locking.os, "chmod", removed)
    assert not modify_po(ws, po, lambda catalog: catalog and fill_all(catalog), entrywise=True)
    for thread in threading.enumerate():
        if thread.name == "tirage-discard":
            thread.join()
    assert os.listdir(po.parent) == []
