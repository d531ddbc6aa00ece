"""Odd sources and crafted model packages: refused in one line, with nothing written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import assert_refused, snapshot
from tirage import models
from tirage.cli import main
from tirage.models import install_file, installed_models
from tirage.po.pofile import read_po, save_po

from conftest import INTERVIEW

# --- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A NUL after the first 8 KiB (the binary sniff) on line 201.
        ("Une phrase assez longue pour remplir le fichier.\n" * 200 + "Fin\x00.\n",
         "bad.txt:201: control character \\x00 in the text"),
        ("Titre\n\nIl a dit\x1b[2J oui.\n", "bad.txt:3: control character \\x1b in the text"),
        ("Titre\n\nUn saut\x0cde page.\n", "bad.txt:3: control character \\x0c"),
        ("Titre\n\nUn C1\x85 ici.\n", "bad.txt:3: control character \\x85"),
        ("Titre\r\rUn retour seul.\n", "bad.txt:1: control character \\x0d"),
    ],
)  # fmt: skip
def test_control_characters_in_sources_are_refused(
    workspace: Path, text: str, message: str
) -> None:
    (workspace / "source" / "bad.txt").write_text(text, encoding="utf-8", newline="")
    assert_refused(workspace, ["update", "-w", str(workspace)], message)


def test_control_characters_in_file_names_are_refused(workspace: Path) -> None:
    (workspace / "source" / "two\nlines.txt").write_text("Titre\n\nBien sûr.\n")
    assert_refused(
        workspace,
        ["update", "-w", str(workspace)],
        "source/two\\x0alines.txt: control character \\x0a in the file name",
    )


def test_a_bad_last_source_leaves_the_others_unwritten(workspace: Path) -> None:
    # update reads each source only when it plans it (memory): the documents before the bad
    # one are planned by then, and must still not be written.
    (workspace / "source" / "zz-last.txt").write_text("Titre\n\nIl a dit\x1b[2J oui.\n")
    assert_refused(workspace, ["update", "-w", str(workspace)], "zz-last.txt:3: control")


def test_tabs_and_crlf_sources_are_text(runner: CliRunner, workspace: Path) -> None:
    source = workspace / "source" / f"{INTERVIEW}.txt"
    source.write_bytes(b"Titre\r\n\r\nIl a dit\toui.\r\n")
    result = runner.invoke(main, ["update", "-w", str(workspace)])
    assert result.exit_code == 0, result.output


# --- model packages ------------------------------------------------------------------------


def rezip(src: Path, dest: Path, *, top: str | None = None, **metadata: str) -> Path:
    """A copy of a genuine package with its metadata changed (and its folder renamed)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        old_top = zin.namelist()[0].split("/")[0]
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **metadata}).encode()
            zout.writestr(item.filename.replace(old_top, top or old_top, 1), data)
    return dest


def refuse_install(archive: Path, argos: dict[str, str], message: str) -> None:
    home = Path(argos["ARGOS_PACKAGES_DIR"]).parent
    assert_refused(home, ["models", "install", str(archive)], message)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"from_code": "../../x"}, "from_code '../../x' is not a language code"),
        ({"to_code": "/etc"}, "to_code '/etc' is not a language code"),
        ({"to_code": "english"}, "to_code 'english' is not a language code"),
        ({"from_code": "zz"}, "from_code 'zz' is not a language code"),
    ],
)
def test_package_language_codes_are_real_codes(
    argos_archives: dict[str, Path],
    argos_empty: dict[str, str],
    tmp_path: Path,
    metadata: dict[str, str],
    message: str,
) -> None:
    archive = rezip(argos_archives["fr_en"], tmp_path / "crafted.argosmodel", **metadata)
    refuse_install(archive, argos_empty, message)
    assert installed_models() == []


def test_install_never_replaces_another_pair(
    argos_archives: dict[str, Path], argos_empty: dict[str, str], tmp_path: Path
) -> None:
    install_file(argos_archives["fr_en"])
    before = installed_models()
    top = before[0].path.name if before[0].path else ""
    # Same folder name as the installed fr→en package, but it says fr→de.
    archive = rezip(argos_archives["fr_en"], tmp_path / "other.argosmodel", top=top, to_code="de")
    refuse_install(archive, argos_empty, f"would replace {top} (fr→en) with fr→de")
    assert installed_models() == before


def test_a_package_that_extracts_too_large_is_refused(
    argos_archives: dict[str, Path],
    argos_empty: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    size = sum(i.file_size for i in zipfile.ZipFile(argos_archives["fr_en"]).infolist())
    monkeypatch.setattr(models, "MAX_UNCOMPRESSED", size - 1)  # the limit, not a huge file
    refuse_install(
        argos_archives["fr_en"], argos_empty, f"would extract to {size} bytes, more than the limit"
    )


def test_a_zip_bomb_is_refused_before_extraction(
    argos_archives: dict[str, Path], argos_empty: dict[str, str], tmp_path: Path
) -> None:
    bomb = rezip(argos_archives["fr_en"], tmp_path / "bomb.argosmodel")
    top = zipfile.ZipFile(bomb).namelist()[0].split("/")[0]
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr(f"{top}/padding.bin", bytes(64 << 20))  # 64 MB of zeros, ~64 KB stored
    home = Path(argos_empty["ARGOS_PACKAGES_DIR"]).parent
    refuse_install(bomb, argos_empty, "more than the limit of 100:1 (a zip bomb?)")
    assert sum(len(data) for data in snapshot(home).values()) < 1 << 20


# --- a translator's markup -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("added", "finding"),
    [
        ("<script>alert(1)</script>", "[error] markup: HTML <script> is not in the source"),
        ("[here](javascript:alert(1))", "[error] markup: link scheme javascript: is not in"),
    ],
)
def test_check_flags_markup_a_translator_added(
    runner: CliRunner, workspace: Path, added: str, finding: str
) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace)]).exit_code == 0
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    entry = po.find("Bien sûr.")
    entry.msgstr = f"Of course. {added}"
    save_po(path, po)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en"])
    assert result.exit_code == 1
    assert finding in result.output
