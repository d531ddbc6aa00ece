"""Links out of the workspace are refused; a killed process's leftovers are cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import assert_refused
from tirage.cli import main
from tirage.containment import holds
from tirage.errors import CatalogError
from tirage.models import data_dir, install_file
from tirage.tempfiles import pid_alive

from conftest import INTERVIEW, REPO


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("root:x:0:0:secret\n", encoding="utf-8")
    return folder


def test_linked_source_is_refused(runner: CliRunner, workspace: Path, outside: Path) -> None:
    (workspace / "source" / "passwd.txt").symlink_to(outside / "secret.txt")
    args = ["update", "-w", str(workspace)]
    result = assert_refused(workspace.parent, args, "passwd.txt", runner=runner)
    assert f"source/passwd.txt: a link to {outside}/secret.txt, outside" in result.output
    assert not (workspace / "locales").exists()


def test_linked_language_folder_is_refused(
    runner: CliRunner, workspace: Path, outside: Path
) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace), "-q"]).exit_code == 0
    shutil.rmtree(workspace / "locales" / "de")
    (workspace / "locales" / "de").symlink_to(outside, target_is_directory=True)
    for command in ("update", "translate"):
        args = [command, "-w", str(workspace)]
        assert_refused(workspace.parent, args, "locales/de: a link to ", runner=runner)


def test_linked_catalog_is_refused(runner: CliRunner, workspace: Path, outside: Path) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace), "-q"]).exit_code == 0
    po = workspace / "locales" / "es" / f"{INTERVIEW}.po"
    shutil.move(po, outside / po.name)
    po.symlink_to(outside / po.name)
    fragment = f"locales/es/{INTERVIEW}.po: a link to "
    assert_refused(workspace.parent, ["update", "-w", str(workspace)], fragment, runner=runner)


def test_linked_editions_refused_unless_allowed(
    runner: CliRunner, workspace: Path, outside: Path
) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace), "-q"]).exit_code == 0
    (workspace / "editions").symlink_to(outside, target_is_directory=True)
    args = ["export", "-w", str(workspace)]
    result = assert_refused(workspace.parent, args, "editions: a link to ", runner=runner)
    assert "allow_linked_editions = true" in result.output
    config = workspace / "tirage.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("threshold = 80", "threshold = 0")
    config.write_text(text.replace("[publish]", "[publish]\nallow_linked_editions = true"))
    # Nothing is translated: the source as it is, which an export writes only when asked.
    result = runner.invoke(main, ["export", "-w", str(workspace), "--allow-untranslated"])
    assert result.exit_code == 0, result.output
    assert (outside / "en" / f"{INTERVIEW}.txt").is_file(), result.output


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert not pid_alive(process.pid)
    return process.pid


def test_stale_temp_files_are_removed_and_live_ones_kept(
    runner: CliRunner, workspace: Path
) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace), "-q"]).exit_code == 0
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = dead_pid()
        (workspace / "editions" / "en").mkdir(parents=True)
        stale = [
            workspace / "locales" / "en" / f".tirage-tmp.{INTERVIEW}.po.{dead}.k2j4_x9a",
            workspace / "locales" / f".tirage-tmp.{INTERVIEW}.pot.{dead}.a1b2c3d4",
            workspace / "editions" / "en" / f".tirage-tmp.{INTERVIEW}.html.{dead}.zzzzzzzz",
        ]
        kept = [workspace / "locales" / "en" / f".tirage-tmp.{INTERVIEW}.po.{live.pid}.q1w2e3r4"]
        for path in stale + kept:
            path.write_text("half a save", encoding="utf-8")
        result = runner.invoke(main, ["stats", "-w", str(workspace)])
        assert result.exit_code == 0, result.output
        assert not any(path.exists() for path in stale)
        assert all(path.exists() for path in kept)
    finally:
        live.kill()
        live.wait()


# Files a person could have made, some shaped like a temp file of tirage 0.1.0 or round 2
# (`.<name>.<pid>.<random>.tmp`) or nearly like today's: none is tirage's to delete.
LOOK_ALIKES = [
    "locales/en/.glossary-notes.2023.draft.tmp",
    "locales/en/.glossary-notes.k2j4_x9a.tmp",
    "locales/en/notes.tmp",
    f"locales/en/.{INTERVIEW}.po.1.k2j4_x9a.tmp",
    f"locales/.{INTERVIEW}.pot.12345678.abcdefgh.tmp",
    "locales/en/.tirage-tmp.notes",  # no PID, no random part
    "locales/en/.tirage-tmp.notes.1.draft",  # 5 letters, not mkstemp's 8
    "locales/en/.tirage-tmp.notes.0.abcdefgh",  # PID 0 is nobody's
    "editions/en/.tirage-tmp.page.html.1.ABCDEFGH",  # upper case: not mkstemp's
    "editions/en/.tirage-install-1-abcdefgh.txt",
    "editions/.draft.99999.old.tmp",
]


def test_look_alike_human_files_survive_every_command(runner: CliRunner, workspace: Path) -> None:
    (workspace / "editions" / "en").mkdir(parents=True)
    (workspace / "locales" / "en").mkdir(parents=True)
    planted = {workspace / name: f"mine: {name}\n" for name in LOOK_ALIKES}
    for path, text in planted.items():
        path.write_text(text, encoding="utf-8")
    old = time.time() - 30 * 86400  # a month old: no age makes a file tirage's
    for path in planted:
        os.utime(path, (old, old))
    w = ["-w", str(workspace)]
    for args in (
        ["update", *w],
        ["stats", *w],
        ["check", *w],
        ["translate", *w, "--engine", "pseudo"],
        ["export", *w, "--allow-untranslated", "--threshold", "0"],
        ["build", *w, "--threshold", "0", "--allow-untranslated"],
        ["memory", "export", *w, str(workspace.parent / "tm.tmx")],
        ["memory", "import", *w, str(workspace.parent / "tm.tmx")],
        ["segment", *w, str(workspace / "source" / f"{INTERVIEW}.txt")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1), result.output  # check finds the untranslated
        for path, text in planted.items():
            assert path.read_text(encoding="utf-8") == text, (args, path)


def test_killed_install_staging_is_removed(
    argos_archives: dict[str, Path], argos_empty: dict[str, str]
) -> None:
    parent = data_dir().parent
    parent.mkdir(parents=True, exist_ok=True)
    stale = parent / f".tirage-install-{dead_pid()}-k2j4_x9a"
    (stale / "translate-fr_en" / "model").mkdir(parents=True)
    (stale / "translate-fr_en" / "model" / "model.bin").write_bytes(b"\0" * 1024)
    live = parent / f".tirage-install-{os.getpid()}-q1w2e3r4"
    live.mkdir()
    install_file(argos_archives["fr_en"])
    assert not stale.exists()
    assert live.exists()  # this very process is alive
    live.rmdir()


# --- every command, a link at every place tirage writes ------------------------------------

# Each place is where tirage reads or writes: a link there, to a folder or a file outside,
# must stop every command before it touches anything.
LINK_PLACES = [
    "editions",
    "editions/fr",  # the source language's edition (the original's HTML)
    "editions/en",
    f"editions/en/{INTERVIEW}.html",
    ".tirage",
    ".tirage/memory.sqlite",
    ".tirage/locks",
    ".tirage/locks/locales",
    "locales",
    "locales/en",
    f"locales/en/{INTERVIEW}.po",
    f"locales/{INTERVIEW}.pot",
    "xliff",
    "xliff/en",
]
COMMANDS = [
    ["update"],
    ["translate", "--engine", "pseudo", "--to", "en"],
    ["export", "--allow-untranslated", "--threshold", "0", "--format", "txt,md,html"],
    ["build", "--allow-untranslated", "--threshold", "0", "--to", "en"],
    ["stats"],
    ["check"],
    ["memory", "import", "{tmx}"],
    ["memory", "export", "{out}"],
]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` (folders as None, links not followed) with its bytes."""
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with catalogs, a memory, locks and editions, as a day's work leaves it."""
    root = tmp_path_factory.mktemp("prepared") / "ws"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "tirage.toml", root / "tirage.toml")
    shutil.copy(REPO / "source" / f"{INTERVIEW}.txt", root / "source" / f"{INTERVIEW}.txt")
    runner = CliRunner()
    export = ["memory", "export", str(root.parent / "tm.tmx")]
    for args in (*COMMANDS[:3], export):
        result = runner.invoke(main, [*args, "-w", str(root)])
        assert result.exit_code == 0, result.output
    (root / "xliff" / "en").mkdir(parents=True)
    assert (root / ".tirage" / "locks" / "locales").is_dir()
    return root


@pytest.mark.parametrize("to", ["folder", "file"])
@pytest.mark.parametrize("place", LINK_PLACES)
def test_no_command_writes_through_a_link(
    prepared: Path, tmp_path: Path, place: str, to: str
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(prepared, root, symlinks=True)
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "kept.txt").write_text("theirs\n", encoding="utf-8")
    (outside / "file").write_text("theirs\n", encoding="utf-8")
    link = root / place
    if link.is_dir():
        shutil.rmtree(link)
    else:
        link.unlink(missing_ok=True)
    link.symlink_to(outside / to, target_is_directory=to == "folder")
    tmx = prepared.parent / "tm.tmx"
    runner = CliRunner()
    for command in COMMANDS:
        args = [arg.format(tmx=tmx, out=tmp_path / "out.tmx") for arg in command]
        before = tree(outside)
        result = assert_refused(
            root, [*args, "-w", str(root)], f"{place}: a link to ", runner=runner
        )
        assert tree(outside) == before, (command, result.output)
        assert not (tmp_path / "out.tmx").exists()


@pytest.mark.parametrize("place", ["glossary.csv", ".gitignore", "tirage.toml", "source"])
def test_init_never_writes_through_a_link(tmp_path: Path, place: str) -> None:
    root, outside = tmp_path / "ws", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / place).symlink_to(outside / "made-by-init")  # dangling: init would create it
    args = ["init", str(root), "--source", "fr", "--targets", "en"]
    code = 2 if place == "tirage.toml" else 1
    assert_refused(tmp_path, args, place, code=code)
    assert list(outside.iterdir()) == []


def test_holds_compares_a_file_a_megabyte_at_a_time(tmp_path: Path) -> None:
    """What a save checks a catalog against: the exact bytes, the last chunk's last byte
    and the size included; anything but a regular file is refused."""
    data = os.urandom((1 << 20) * 2 + 5)
    path = tmp_path / "big.po"
    path.write_bytes(data)
    info, same = holds(path, data, CatalogError)
    assert same and info.st_size == len(data)
    assert not holds(path, data[:-1] + bytes([data[-1] ^ 1]), CatalogError)[1]
    assert not holds(path, data[: 1 << 20] + b"x" + data[(1 << 20) + 1 :], CatalogError)[1]
    assert not holds(path, data + b"\n", CatalogError)[1]
    assert not holds(path, data[:-1], CatalogError)[1]
    path.write_bytes(b"")
    assert holds(path, b"", CatalogError)[1]
    fifo = tmp_path / "fifo.po"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="not a regular file"):
        holds(fifo, b"", CatalogError)
