"""Office packages (DOCX, ODT): a zip of XML parts, opened with the care a hostile file needs.

Refused, each with one line: a file that is not a zip, a Word 97–2003 `.doc` (an OLE
compound file) renamed `.docx`, an encrypted document (OOXML's `EncryptionInfo` in an OLE
container, ODF's `manifest:encryption-data`, an encrypted zip entry), a zip bomb (too many
entries, too many bytes once inflated, or a compression ratio no document has), an entry
name outside the package (`../`, absolute, a drive), and XML with a DTD (a DOCTYPE can
declare entities; none is ever resolved, none is fetched).

lxml is imported here only, so that commands without office files never load it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tirage.errors import SourceError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Limits no real document comes near: a 300-page report inflates to about 10 MB.
MAX_ENTRIES = 10_000
MAX_TOTAL = 512 * 1024 * 1024  # bytes, all parts inflated
MAX_RATIO = 200  # an XML part compresses about 5–20 times; a bomb, thousands
RATIO_FLOOR = 1024 * 1024  # small parts may compress well: the ratio counts above this


@dataclass
class Package:
    """The entries of an office package, read lazily and bounded in size."""

    path: Path
    kind: str  # "docx" or "odt"
    archive: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    _cache: dict[str, bytes] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def has(self, name: str) -> bool:
        return any(info.filename == name for info in self.infos)

    def read(self, name: str) -> bytes:
        if name not in self._cache:
            info = self.archive.getinfo(name)
            try:
                with self.archive.open(info) as stream:
                    data = stream.read(info.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
                raise SourceError(f"damaged package: entry {name}: {exc}", self.path) from None
            if len(data) != info.file_size:  # a header that lies about the size
                raise SourceError(
                    f"damaged package: entry {name} is not the size it says", self.path
                )
            self._cache[name] = data
        return self._cache[name]

    def xml(self, name: str) -> Any:
        return parse_xml(self.read(name), self.path, name)


def open_package(path: Path, data: bytes, kind: str) -> Package:
    """A checked package of `kind` ("docx" or "odt"), or a one-line SourceError."""
    label = kind.upper()
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise SourceError(
                "encrypted (password-protected) document: save it without a password", path
            )
        raise SourceError(
            f"a Word 97–2003 .doc file, not a {label} package: save it as .{kind}", path
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SourceError(f"not a {label} package (not a zip archive)", path) from None
    if len(infos) > MAX_ENTRIES:
        raise SourceError(f"refused: {len(infos)} entries in the package (a zip bomb?)", path)
    total = 0
    for info in infos:
        _check_name(info.filename, path)
        if info.flag_bits & 0x1:
            raise SourceError(
                "encrypted (password-protected) document: save it without a password", path
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_TOTAL or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise SourceError(
                f"refused: entry {info.filename} inflates too far (a zip bomb?)", path
            )
    package = Package(path, kind, archive, infos)
    if kind == "odt":
        _check_odt(package)
    else:
        _check_docx(package)
    return package


def _check_name(name: str, path: Path) -> None:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise SourceError(f"refused: entry '{name}' points outside the package", path)


def _check_odt(package: Package) -> None:
    path = package.path
    if not package.has("mimetype") or not package.has("content.xml"):
        raise SourceError("not an ODT package (no mimetype or content.xml)", path)
    mimetype = package.read("mimetype").strip()
    if mimetype != ODT_MIMETYPE:
        shown = mimetype[:60].decode("ascii", "replace")
        raise SourceError(f"not an ODF text document (mimetype {shown})", path)
    if package.has("META-INF/manifest.xml"):
        manifest = package.read("META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise SourceError(
                "encrypted (password-protected) document: save it without a password", path
            )


def _check_docx(package: Package) -> None:
    if not package.has("[Content_Types].xml"):
        raise SourceError("not a DOCX package (no [Content_Types].xml)", package.path)
    if package.has("EncryptionInfo") or package.has("EncryptedPackage"):
        raise SourceError(
            "encrypted (password-protected) document: save it without a password", package.path
        )


def parse_xml(data: bytes, path: Path, part: str) -> Any:
    """One XML part, parsed without DTD loading, entity resolution or network; a part with a
    DOCTYPE is refused (office formats never use one, and it is where entity bombs live)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        where = f" line {line}" if line else ""
        raise SourceError(f"broken XML in {part}{where}: {exc.msg}", path) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SourceError(f"refused: {part} declares a DTD (entities are never resolved)", path)
    return tree


def write_package(package: Package, replaced: dict[str, bytes]) -> bytes:
    """The package again, entry by entry in the same order with the same names, dates and
    compression; the entries in `replaced` with their new bytes, every other one as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in package.infos:
            data = replaced.get(info.filename)
            if data is None:
                data = package.read(info.filename)
            clone = zipfile.ZipInfo(info.filename, info.date_time)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            clone.create_system = info.create_system
            clone.comment = info.comment
            target.writestr(clone, data)
    return out.getvalue()
