"""XLIFF 2.1 and 1.2 back into the PO catalog, with the guarantees of a desk save.

Each unit is judged alone, against the catalog as it is on disk under its lock:
- its id must name an active entry, and its source (codes put back as the catalog's markup)
  must be that entry's msgid, or it is refused: the source changed;
- its target's codes must be the source's, each once, and a pair's start before its end:
  a code missing, duplicated or invented refuses the unit;
- a unit whose target and state are as exported is left alone (export then import changes
  nothing); an entry changed in the catalog since the export is a conflict: it is kept;
- `translated`, `reviewed` and `final` (1.2: translated, signed-off, final, approved) clear
  fuzzy; a unit still `initial` or needing review may fill an empty or fuzzy entry, as fuzzy,
  never replace a reviewed one.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import polib

from tirage.catalog import timestamp
from tirage.errors import CatalogError
from tirage.interchange.codes import END, PH, START, Code, Piece, codes_of, join, markup_kind
from tirage.interchange.codes import split_codes as split
from tirage.interchange.xliff import (
    BASE_PREFIX,
    TIRAGE,
    XLIFF1,
    XLIFF2,
    base_digest,
    entry_state,
    exportable,
    unit_id,
)
from tirage.po.locking import modify_po
from tirage.workspace import Workspace

Ref = tuple[str, str]  # (code id, ph|start|end) as the file has it
Inline = list[str | Ref]

# XLIFF 1.2 target states → XLIFF 2 names (what tirage decides on).
_STATES_1_2 = {
    "new": "initial",
    "needs-translation": "initial",
    "needs-adaptation": "initial",
    "needs-l10n": "initial",
    "needs-review-translation": "review",
    "needs-review-adaptation": "review",
    "needs-review-l10n": "review",
    "translated": "translated",
    "signed-off": "reviewed",
    "final": "final",
}
_CLEARS_FUZZY = {"translated", "reviewed", "final"}


@dataclass
class FileUnit:
    id: str
    source: Inline
    target: Inline | None
    state: str  # initial | review | translated | reviewed | final
    base: str | None


@dataclass
class XliffFile:
    path: Path
    version: str
    original: str
    tgt_lang: str
    units: list[FileUnit]


@dataclass
class ImportReport:
    """What one file did to its catalog."""

    path: Path
    catalog: Path
    imported: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # unchanged since the export
    refused: list[tuple[str, str]] = field(default_factory=list)  # (unit id, why)
    conflicts: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading


def read_xliff(path: Path) -> XliffFile:
    """Parse an XLIFF 2.x or 1.2 file; anything else is one CatalogError."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise CatalogError(f"not an XLIFF file: {exc.msg}", path, line) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path) from None
    if root.tag == f"{{{XLIFF2}}}xliff":
        return _read_2(root, path)
    if root.tag == f"{{{XLIFF1}}}xliff":
        return _read_1_2(root, path)
    raise CatalogError("not an XLIFF 1.2 or 2.x file", path)


def _files(root: ET.Element, namespace: str, path: Path) -> ET.Element:
    files = root.findall(f"{{{namespace}}}file")
    if len(files) != 1:
        raise CatalogError(f"expected one <file>, found {len(files)}", path)
    return files[0]


def _read_2(root: ET.Element, path: Path) -> XliffFile:
    x = f"{{{XLIFF2}}}"
    file = _files(root, XLIFF2, path)
    units = []
    for unit in file.iter(f"{x}unit"):
        segments = unit.findall(f"{x}segment")
        if len(segments) != 1:  # a tool that split the unit: tirage's units are one segment
            units.append(FileUnit(unit.get("id", ""), [], None, "invalid", None))
            continue
        segment = segments[0]
        source = segment.find(f"{x}source")
        target = segment.find(f"{x}target")
        units.append(
            FileUnit(
                unit.get("id", ""),
                _inline_2(source) if source is not None else [],
                _inline_2(target) if target is not None else None,
                segment.get("state", "initial"),
                unit.get(f"{{{TIRAGE}}}base"),
            )
        )
    return XliffFile(path, "2.1", file.get("original", ""), root.get("trgLang", ""), units)


def _inline_2(element: ET.Element) -> Inline:
    x = f"{{{XLIFF2}}}"
    out: Inline = [element.text or ""]
    for child in element:
        tag = child.tag
        code_id = child.get("id", "")
        if tag == f"{x}ph":
            out.append((code_id, PH))
        elif tag == f"{x}pc":
            out.append((code_id, START))
            out.extend(_inline_2(child))
            out.append((code_id, END))
        elif tag == f"{x}sc":
            out.append((code_id, START))
        elif tag == f"{x}ec":
            out.append((child.get("startRef") or code_id, END))
        elif tag == f"{x}cp":
            out.append(chr(int(child.get("hex", "0"), 16)))
        elif tag in (f"{x}mrk", f"{x}sm", f"{x}em"):  # annotations: their text only
            out.extend(_inline_2(child) if tag == f"{x}mrk" else [])
        else:
            out.append(("?" + tag, PH))  # unknown: refused as an invented code
        out.append(child.tail or "")
    return out


def _read_1_2(root: ET.Element, path: Path) -> XliffFile:
    x = f"{{{XLIFF1}}}"
    file = _files(root, XLIFF1, path)
    units = []
    for unit in file.iter(f"{x}trans-unit"):
        source = unit.find(f"{x}source")
        target = unit.find(f"{x}target")
        state = "initial"
        if target is not None:
            state = _STATES_1_2.get(target.get("state", ""), "")
            if not state:
                state = "translated" if "".join(target.itertext()) else "initial"
        if unit.get("approved") == "yes" and state != "initial":
            state = "final" if state == "final" else "reviewed"
        extradata = unit.get("extradata") or ""
        base = extradata[len(BASE_PREFIX) :] if extradata.startswith(BASE_PREFIX) else None
        units.append(
            FileUnit(
                unit.get("id", ""),
                _inline_1_2(source) if source is not None else [],
                _inline_1_2(target) if target is not None else None,
                state,
                base,
            )
        )
    return XliffFile(path, "1.2", file.get("original", ""), file.get("target-language", ""), units)


def _inline_1_2(element: ET.Element) -> Inline:
    x = f"{{{XLIFF1}}}"
    out: Inline = [element.text or ""]
    for child in element:
        tag = child.tag
        code_id = child.get("id", "")
        if tag in (f"{x}x", f"{x}ph"):
            out.append((code_id, PH))
        elif tag == f"{x}g":
            out.append((code_id, START))
            out.extend(_inline_1_2(child))
            out.append((code_id, END))
        elif tag in (f"{x}bpt", f"{x}bx"):
            out.append((child.get("rid") or code_id, START))
        elif tag in (f"{x}ept", f"{x}ex"):
            out.append((child.get("rid") or code_id, END))
        elif tag == f"{x}it":
            out.append((code_id, START if child.get("pos") == "open" else END))
        elif tag == f"{x}mrk":
            out.extend(_inline_1_2(child))
        else:
            out.append(("?" + tag, PH))
        out.append(child.tail or "")
    return out


# ---------------------------------------------------------------------------------------------
# Checking one unit against its entry


class Refused(Exception):
    """A unit that cannot come back; the message says why."""


def resolve(
    inline: Inline, codes: dict[tuple[str, str], Code], what: str, whole: bool = True
) -> list[Piece]:
    """The file's text and code references as the catalog's text and markup; `whole`:
    every code of `codes` must be there."""
    out: list[Piece] = []
    seen: set[Ref] = set()
    for item in inline:
        if isinstance(item, str):
            out.append(item)
            continue
        code = codes.get(item)
        if code is None:
            raise Refused(f"{what} has a code the source does not: {_name(item)}")
        if item in seen:
            raise Refused(f"{what} has code {_name(item)} twice")
        if item[1] == END and (item[0], START) in codes and (item[0], START) not in seen:
            raise Refused(f"{what} closes code {item[0]} before opening it")
        seen.add(item)
        out.append(code)
    missing = sorted(set(codes) - seen)
    if missing and whole:
        raise Refused(f"{what} lacks code {', '.join(_name(ref) for ref in missing)}")
    return out


def _name(ref: Ref) -> str:
    return ref[0] if ref[1] == PH else f"{ref[0]} ({ref[1]})"


def _escape_html_text(pieces: list[Piece]) -> str:
    """Text typed in a CAT tool is text: in an HTML document its & < > are escaped, as the
    msgids read from a page have them (markup is only ever a code)."""
    out = []
    for piece in pieces:
        out.append(piece.data if isinstance(piece, Code) else html.escape(piece, quote=False))
    return "".join(out)


def apply_unit(unit: FileUnit, entry: polib.POEntry, report: ImportReport) -> bool:
    """Judge one unit against its entry and apply it; True if the entry changed."""
    kind = markup_kind(entry.occurrences[0][0]) if entry.occurrences else "text"
    codes = codes_of(split(entry.msgid, kind))
    try:
        if unit.state == "invalid":
            raise Refused("not one segment: merge the segments back in the CAT tool")
        if unit.base is None:
            raise Refused("no tirage:base: export the file again with tirage xliff export")
        source = resolve(unit.source, codes, "source")
        if join(source) != entry.msgid:
            raise Refused("source no longer matches the catalog")
        target_pieces = resolve(unit.target, codes, "target", False) if unit.target else []
        raw = join(target_pieces)
        if base_digest(raw, unit.state) == unit.base:
            report.kept.append(unit.id)  # as exported
            return False
        if target_pieces:
            resolve(unit.target or [], codes, "target")
    except Refused as why:
        report.refused.append((unit.id, str(why)))
        return False
    text = _escape_html_text(target_pieces) if kind == "html" else raw
    clears = unit.state in _CLEARS_FUZZY
    fuzzy = "fuzzy" in entry.flags
    if entry.msgstr == text and not (clears and fuzzy):
        report.kept.append(unit.id)  # the catalog already says so
        return False
    if base_digest(entry.msgstr, entry_state(entry)) != unit.base:
        report.conflicts.append(unit.id)
        return False
    if not text:
        if entry.msgstr:
            report.refused.append((unit.id, "empty target: the catalog's translation is kept"))
        else:
            report.kept.append(unit.id)
        return False
    if not clears and entry.msgstr and not fuzzy:
        report.refused.append(
            (unit.id, f"state {unit.state} would replace a reviewed translation: kept")
        )
        return False
    entry.msgstr = text
    if clears:
        if fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        entry.previous_msgid_plural = None
    elif not fuzzy:
        entry.flags.append("fuzzy")
    report.imported.append(unit.id)
    return True


# ---------------------------------------------------------------------------------------------
# Importing


def catalog_path(ws: Workspace, file: XliffFile) -> Path:
    """The PO file a file came from: its `original`, which must be a catalog of this
    workspace's locales/."""
    original = file.original
    candidate = (ws.root / original).resolve() if original else None
    locales = ws.locales_dir.resolve()
    if (
        candidate is None
        or candidate.suffix != ".po"
        or not candidate.is_relative_to(locales)
        or not candidate.is_file()
    ):
        raise CatalogError(
            f"original={original!r} is not a catalog of this workspace's locales/", file.path
        )
    return ws.locales_dir / candidate.relative_to(locales)


def import_xliff(ws: Workspace, path: Path) -> ImportReport:
    """Write one XLIFF file's targets back into its catalog (lock, re-check, atomic write)."""
    file = read_xliff(path)
    po_path = catalog_path(ws, file)
    report = ImportReport(path, po_path)

    def change(po: polib.POFile | None) -> polib.POFile | None:
        nonlocal report
        report = ImportReport(path, po_path)  # computed afresh on each try
        if po is None:
            raise CatalogError("no such catalog file", po_path)
        entries = {unit_id(entry): entry for entry in po if exportable(entry)}
        changed = False
        for unit in file.units:
            entry = entries.get(unit.id)
            if entry is None:
                report.refused.append((unit.id, "source no longer in the catalog"))
                continue
            changed |= apply_unit(unit, entry, report)
        if not changed:
            return None
        po.metadata["PO-Revision-Date"] = timestamp()
        return po

    modify_po(ws, po_path, change)
    return report


def describe(report: ImportReport, ws: Workspace) -> list[str]:
    """The report as lines for the terminal: totals, then each refusal and conflict."""
    lines = [
        f"{report.path}: {len(report.imported)} imported, {len(report.kept)} kept, "
        f"{len(report.refused)} refused, {len(report.conflicts)} conflicts "
        f"→ {ws.relative(report.catalog)}"
    ]
    lines += [f"  refused {uid}: {why}" for uid, why in report.refused]
    lines += [
        f"  conflict {uid}: the catalog changed since the export; its version is kept"
        for uid in report.conflicts
    ]
    return lines
