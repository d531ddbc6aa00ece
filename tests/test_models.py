"""Argos package management: install from a file, list, remove, and refusing bad archives."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main as group
from tirage.errors import ModelPackageError
from tirage.models import data_dir, install_file, installed_models, remove, validate_archive


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) if root.exists() else []


def _rezip(src: Path, dest: Path, rename: dict[str, str] | None = None, drop: str = "") -> Path:
    """A copy of an archive with members renamed or dropped."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            if drop and info.filename.endswith(drop):
                continue
            name = info.filename
            for old, new in (rename or {}).items():
                name = name.replace(old, new)
            zout.writestr(name, zin.read(info.filename))
    return dest


def test_install_list_remove(argos_archives: dict[str, Path], argos_empty: dict[str, str]) -> None:
    model = install_file(argos_archives["fr_en"])
    assert (model.from_code, model.to_code, model.version) == ("fr", "en", "0.1")
    assert model.path is not None and model.path.parent == Path(argos_empty["ARGOS_PACKAGES_DIR"])
    assert [m.name for m in installed_models()] == ["translate-fr_en"]
    again = install_file(argos_archives["fr_en"])  # reinstall replaces
    assert again.path == model.path and len(installed_models()) == 1
    remove("fr", "en")
    assert installed_models() == []
    assert _listing(data_dir()) == []
    leftovers = [p.name for p in data_dir().parent.iterdir() if p.name.startswith(".tirage")]
    assert leftovers == []


def test_cli_models(argos_archives: dict[str, Path], argos_empty: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(group, ["models", "list"])
    assert result.exit_code == 0 and "no packages" in result.output
    result = runner.invoke(group, ["models", "install", str(argos_archives["en_es"])])
    assert result.exit_code == 0, result.output
    assert "installed translate-en_es 0.1" in result.output
    result = runner.invoke(group, ["models", "list"])
    assert "en → es\ttranslate-en_es\t0.1" in result.output
    result = runner.invoke(group, ["models", "remove", "en", "es"])
    assert result.exit_code == 0 and "removed translate-en_es" in result.output


def _bad_archives(src: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    truncated = tmp / "truncated.argosmodel"
    truncated.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    flipped = tmp / "crc.argosmodel"
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.endswith("model.bin")))
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    data[start] ^= 0xFF
    flipped.write_bytes(bytes(data))
    slip = tmp / "slip.argosmodel"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(slip, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("translate-fr_en-0.1/../../evil.txt", "pwned")
    absolute = tmp / "absolute.argosmodel"
    with zipfile.ZipFile(absolute, "w") as zout:
        zout.writestr("/tmp/evil/metadata.json", "{}")
    text = tmp / "text.argosmodel"
    text.write_text("not a zip")
    return {
        "truncated": (truncated, "zip"),
        "crc": (flipped, "corrupt"),
        "slip": (slip, "unsafe path"),
        "absolute": (absolute, "unsafe path"),
        "text": (text, "not a zip"),
        "two tops": (_rezip(src, tmp / "two.argosmodel", {"model/config.json": "x"}), ""),
        "no metadata": (_rezip(src, tmp / "nometa.argosmodel", drop="metadata.json"), "metadata"),
        "no tokenizer": (
            _rezip(src, tmp / "notok.argosmodel", drop="sentencepiece.model"),
            "tokenizer",
        ),
        "no model": (_rezip(src, tmp / "nomodel.argosmodel", drop="model.bin"), "model.bin"),
        "root file": (
            _rezip(src, tmp / "root.argosmodel", {"translate-fr_en-0.1/README.md": "README.md"}),
            "outside",
        ),
    }


@pytest.mark.parametrize(
    "kind",
    ["truncated", "crc", "slip", "absolute", "text", "no metadata", "no tokenizer", "no model",
     "root file"],
)  # fmt: skip
def test_bad_archive_refused_and_nothing_installed(
    kind: str, argos_archives: dict[str, Path], argos_empty: dict[str, str], tmp_path: Path
) -> None:
    path, words = _bad_archives(argos_archives["fr_en"], tmp_path)[kind]
    home = Path(argos_empty["ARGOS_PACKAGES_DIR"]).parent
    before = _listing(home)
    with pytest.raises(ModelPackageError, match=words) as caught:
        install_file(path)
    assert "\n" not in caught.value.format() and str(path) in caught.value.format()
    assert _listing(home) == before
    assert not (tmp_path.parent / "evil.txt").exists() and not Path("/tmp/evil").exists()
    result = CliRunner().invoke(group, ["models", "install", str(path)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("tirage: ")


def test_validate_reads_metadata(argos_archives: dict[str, Path]) -> None:
    check = validate_archive(argos_archives["en_es"])
    assert check.top == "translate-en_es-0.1"
    assert (check.metadata["from_code"], check.metadata["to_code"]) == ("en", "es")


def test_offline_install_by_pair_says_how_to_install_a_file(argos_empty: dict[str, str]) -> None:
    result = CliRunner().invoke(group, ["models", "install", "fr", "en"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "tirage models install FILE.argosmodel" in result.output
    assert "Traceback" not in result.output


def test_remove_missing_pair_is_one_line(argos_empty: dict[str, str]) -> None:
    result = CliRunner().invoke(group, ["models", "remove", "fr", "xx"])
    assert result.exit_code == 1 and result.output == "tirage: no installed package for fr→xx\n"


def test_broken_folder_in_data_dir_does_not_break_listing(
    argos_archives: dict[str, Path], argos_empty: dict[str, str]
) -> None:
    install_file(argos_archives["fr_en"])
    (data_dir() / "junk").mkdir()
    assert [m.name for m in installed_models()] == ["translate-fr_en"]
    shutil.rmtree(data_dir() / "junk")
