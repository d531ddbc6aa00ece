"""Argos Translate packages: list, validate, install (from a file or the index), remove.

Only `argostranslate.package` and `argostranslate.settings` are used, so the data directory
and its environment settings (ARGOS_PACKAGES_DIR, XDG_DATA_HOME…) are honoured. We do not
call `argostranslate.package.install_from_path`: it extracts unchecked archives straight into
the data directory and then imports `argostranslate.translate` (torch, stanza, spacy). Our
installer validates the archive first, extracts it next to the data directory, and moves the
finished folder in with one rename, so a refused or interrupted install leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tirage import languages
from tirage.errors import EngineError, ModelPackageError
from tirage.tempfiles import make_temp_dir, remove_stale

PIVOT = "en"
# An Argos package is a few hundred MB; these limits stop a zip bomb before it is extracted.
MAX_UNCOMPRESSED = 4 << 30  # bytes, the whole package
MAX_RATIO = 100  # uncompressed / compressed, for any member larger than RATIO_FLOOR
RATIO_FLOOR = 1 << 20
INSTALL_HINT = "get the .argosmodel file elsewhere and run `tirage models install FILE.argosmodel`"
TOKENIZERS = ("sentencepiece.model", "bpe.model")


@dataclass(frozen=True)
class ModelInfo:
    """An Argos translation package, installed (path set) or in the index."""

    from_code: str
    to_code: str
    version: str
    from_name: str = ""
    to_name: str = ""
    path: Path | None = None

    @property
    def name(self) -> str:
        """The argospm name, e.g. translate-fr_en."""
        return f"translate-{self.from_code}_{self.to_code}"

    @property
    def tokenizer(self) -> Path | None:
        if self.path is None:
            return None
        for name in TOKENIZERS:
            if (self.path / name).is_file():
                return self.path / name
        return None


def _info(pkg: Any, path: Path | None = None) -> ModelInfo:
    return ModelInfo(
        from_code=str(pkg.from_code),
        to_code=str(pkg.to_code),
        version=str(pkg.package_version or ""),
        from_name=str(pkg.from_name or ""),
        to_name=str(pkg.to_name or ""),
        path=path,
    )


def data_dir() -> Path:
    """Where packages are installed (ARGOS_PACKAGES_DIR or argos's default)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def installed_models() -> list[ModelInfo]:
    """Installed translation packages, sorted by pair."""
    from argostranslate import package, settings

    try:
        pkgs = package.get_installed_packages()
    except (OSError, ValueError):
        # One broken folder makes argos's listing fail; skip it instead.
        pkgs = []
        for directory in settings.package_dirs:
            if not Path(directory).is_dir():
                continue
            for child in Path(directory).iterdir():
                with contextlib.suppress(OSError, ValueError):
                    if child.is_dir():
                        pkgs.append(package.Package(child))
    found = [
        _info(p, Path(p.package_path))
        for p in pkgs
        if getattr(p, "type", "translate") == "translate" and p.from_code and p.to_code
    ]
    return sorted(found, key=lambda m: (m.from_code, m.to_code))


def find_model(source: str, target: str) -> ModelInfo | None:
    for model in installed_models():
        if model.from_code == source and model.to_code == target:
            return model
    return None


def find_route(source: str, target: str) -> list[ModelInfo]:
    """The packages that take source to target: one directly, or two through English."""
    direct = find_model(source, target)
    if direct is not None:
        return [direct]
    if PIVOT not in (source, target):
        first, second = find_model(source, PIVOT), find_model(PIVOT, target)
        if first is not None and second is not None:
            return [first, second]
    via = f" (nor {source}→{PIVOT}→{target})" if PIVOT not in (source, target) else ""
    raise EngineError(
        f"no Argos package for {source}→{target}{via}; "
        "install one with `tirage models install FILE.argosmodel`"
    )


# --- validation -------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveCheck:
    top: str
    metadata: dict[str, Any]
    size: int  # uncompressed bytes


def validate_archive(path: Path) -> ArchiveCheck:
    """Check an .argosmodel without extracting it; ModelPackageError says what is wrong."""
    if not path.is_file():
        raise ModelPackageError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise ModelPackageError("not a zip archive (an .argosmodel is a zip)", path)
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_members(archive, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error) as exc:
        raise ModelPackageError(f"corrupt archive: {exc}", path) from None


def _check_members(archive: zipfile.ZipFile, path: Path) -> ArchiveCheck:
    infos = archive.infolist()
    if not infos:
        raise ModelPackageError("empty archive", path)
    tops: set[str] = set()
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        if (
            "\\" in name
            or name.startswith("/")
            or (len(name) > 1 and name[1] == ":")
            or any(part in ("..", ".") for part in parts)
            or not parts
        ):
            raise ModelPackageError(f"unsafe path in archive: {name!r}", path)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelPackageError(f"symbolic link in archive: {name!r}", path)
        if len(parts) == 1 and not info.is_dir():
            raise ModelPackageError(f"file outside the package folder: {name!r}", path)
        tops.add(parts[0])
    if len(tops) != 1:
        raise ModelPackageError(
            f"expected one top folder, found {len(tops)}: {', '.join(sorted(tops))}", path
        )
    top = tops.pop()
    names = {info.filename.rstrip("/") for info in infos}
    _check_sizes(infos, path)
    bad = archive.testzip()
    if bad is not None:
        raise ModelPackageError(f"corrupt archive: bad CRC for {bad}", path)
    if f"{top}/metadata.json" not in names:
        raise ModelPackageError(f"no {top}/metadata.json", path)
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelPackageError(f"{top}/metadata.json is not valid JSON: {exc}", path) from None
    if not isinstance(metadata, dict):
        raise ModelPackageError(f"{top}/metadata.json must hold an object", path)
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise ModelPackageError(f"{top}/metadata.json has no {key}", path)
        if languages.parse(metadata[key]) is None:
            raise ModelPackageError(
                f"{top}/metadata.json: {key} {metadata[key]!r} is not a language code", path
            )
    if metadata.get("type", "translate") != "translate":
        raise ModelPackageError(f"not a translation package (type {metadata['type']!r})", path)
    if f"{top}/model/model.bin" not in names:
        raise ModelPackageError(f"no CTranslate2 model ({top}/model/model.bin)", path)
    if not any(f"{top}/{tok}" in names for tok in TOKENIZERS):
        raise ModelPackageError(
            f"no tokenizer ({top}/sentencepiece.model or {top}/bpe.model)", path
        )
    size = sum(info.file_size for info in infos)
    return ArchiveCheck(top=top, metadata=metadata, size=size)


def _check_sizes(infos: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse what would extract to more than MAX_UNCOMPRESSED, or compresses suspiciously well.

    The sizes are the archive's own claims; `_extract` holds each member to its claim."""
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise ModelPackageError(
            f"would extract to {total} bytes, more than the limit of {MAX_UNCOMPRESSED}", path
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ModelPackageError(
                f"{info.filename} compresses {ratio:.0f}:1, more than the limit of "
                f"{MAX_RATIO}:1 (a zip bomb?)",
                path,
            )


# --- install and remove -----------------------------------------------------------------


def install_file(path: Path) -> ModelInfo:
    """Validate and install an .argosmodel; an installed package for the pair is replaced,
    a package of another pair never is."""
    check = validate_archive(path)
    target_dir = data_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(target_dir).free
    if check.size > free:
        raise ModelPackageError(f"needs {check.size} bytes, only {free} free", path)
    old = find_model(str(check.metadata["from_code"]), str(check.metadata["to_code"]))
    _refuse_other_pair(target_dir / check.top, check, path)
    # Extract beside the data directory (argos lists every folder inside it), then rename.
    remove_stale(target_dir.parent, depth=0)  # what a killed install left
    staging = make_temp_dir(target_dir.parent, "install")
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                _extract(archive, info, staging)
        final = target_dir / check.top
        backup: Path | None = None
        if final.exists():
            backup = staging / ".previous"
            os.replace(final, backup)
        try:
            os.replace(staging / check.top, final)
        except OSError:
            if backup is not None:
                os.replace(backup, final)
            raise
    except (OSError, zipfile.BadZipFile, zlib.error) as exc:
        raise ModelPackageError(f"cannot install: {exc}", path) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None and old.path is not None and old.path.resolve() != final.resolve():
        shutil.rmtree(old.path, ignore_errors=True)
    installed = find_model(str(check.metadata["from_code"]), str(check.metadata["to_code"]))
    if installed is None:  # pragma: no cover - the rename above succeeded
        raise ModelPackageError("installed package cannot be read back", final)
    return installed


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path) -> None:
    dest = (root / info.filename).resolve()
    if not dest.is_relative_to(root.resolve()):  # validated already; belt and braces
        raise ModelPackageError(f"unsafe path in archive: {info.filename!r}")
    if info.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as src, open(dest, "wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > info.file_size:  # zipfile stops at the claim; belt and braces
                raise ModelPackageError(
                    f"{info.filename} is larger than the archive says", archive.filename
                )
            out.write(chunk)


def _refuse_other_pair(folder: Path, check: ArchiveCheck, path: Path) -> None:
    """An installed folder of the same name holding another pair is never replaced."""
    if not folder.exists():
        return
    new = (check.metadata["from_code"], check.metadata["to_code"])
    pair: tuple[object, object] | None
    try:
        old = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        pair = (old.get("from_code"), old.get("to_code"))
    except (OSError, ValueError, AttributeError):
        pair = None
    if pair != new:
        have = f"{pair[0]}→{pair[1]}" if pair else "an unreadable package"
        raise ModelPackageError(
            f"would replace {folder.name} ({have}) with {new[0]}→{new[1]}; "
            "remove it first with `tirage models remove`",
            path,
        )


def remove(source: str, target: str) -> ModelInfo:
    model = find_model(source, target)
    if model is None or model.path is None:
        raise ModelPackageError(f"no installed package for {source}→{target}")
    # Move it out of the data directory first, so a crash leaves no half-removed package.
    trash = make_temp_dir(model.path.parent.parent, "remove")
    try:
        os.replace(model.path, trash / model.path.name)
    except OSError as exc:
        raise ModelPackageError(f"cannot remove: {exc}", model.path) from None
    finally:
        shutil.rmtree(trash, ignore_errors=True)
    return model


# --- the index (network) ----------------------------------------------------------------


@contextlib.contextmanager
def _quiet_argos() -> Iterator[None]:
    """argostranslate logs download failures itself; our error says it in one line."""
    logger = logging.getLogger("argostranslate.utils")
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


def available_models() -> list[ModelInfo]:
    """Packages in the Argos index (downloaded once, then read from argos's cache)."""
    from argostranslate import package, settings

    index = Path(settings.local_package_index)
    with _quiet_argos():
        if not index.is_file():
            package.update_package_index()
        if not index.is_file():
            raise ModelPackageError(
                f"cannot reach the Argos package index (offline?); {INSTALL_HINT}"
            )
        try:
            pkgs = package.get_available_packages()
        except (OSError, ValueError) as exc:
            raise ModelPackageError(f"unreadable package index: {exc}", index) from None
    found = [_info(p) for p in pkgs if p.type == "translate" and p.from_code and p.to_code]
    return sorted(found, key=lambda m: (m.from_code, m.to_code))


def install_pair(source: str, target: str) -> ModelInfo:
    """Download source→target from the Argos index and install it."""
    from argostranslate import package

    available_models()  # fails in one line when offline
    with _quiet_argos():
        for pkg in package.get_available_packages():
            if pkg.type == "translate" and (pkg.from_code, pkg.to_code) == (source, target):
                try:
                    downloaded = Path(pkg.download())
                except Exception:  # argos raises a bare Exception when the download fails
                    raise ModelPackageError(
                        f"cannot download translate-{source}_{target} (offline?); {INSTALL_HINT}"
                    ) from None
                try:
                    return install_file(downloaded)
                finally:
                    downloaded.unlink(missing_ok=True)
    raise ModelPackageError(f"the Argos index has no package for {source}→{target}")
