"""TMX 1.4b import and export for the translation memory, as plain functions at the edge.

The export is one <tu> per translation, readable by translate-toolkit's TMX reader (the
tests hold it to that); the import takes any TMX 1.4 with the workspace's languages, and
its units stay fuzzy when reused, since who reviewed them is unknown.

Each <tu> says how its translation was made, in `x-tirage-origin`: `human`, `mt-accepted`
(machine output a reviewer accepted unchanged) or `mt-post-edited`; `x-tirage-post-edited`
(1 only for the last) is kept for older readers.

Inline markup (HTML tags, Markdown marks, placeholders: what `interchange.codes` finds in
a segment of the unit's document) is written as TMX codes holding the markup itself:
`<ph>` alone, `<bpt>`/`<ept>` for a pair, `<it>` for one end of a pair, numbered by `x`
as the source segment numbers them, so the target's codes say which source code they
are. On import a code becomes the markup it stands for, or is dropped from the text and
counted, never stored as literal text (tmx_segments.py).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from tirage import __version__
from tirage.errors import CatalogError
from tirage.interchange.codes import END, PH, START, Code, Piece, split_codes
from tirage.interchange.tmx_segments import Item, KnownSegments, restore, seg_items
from tirage.interchange.xliff import map_target
from tirage.memory import TranslationMemory
from tirage.po.pofile import write_atomic

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# (post_edited, mt_accepted) → x-tirage-origin
_ORIGINS = {
    (False, False): "human",
    (False, True): "mt-accepted",
    (True, False): "mt-post-edited",
    (True, True): "mt-post-edited",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def tmx_lang(code: str) -> str:
    """tirage's `pt_BR` is TMX's (RFC 4646) `pt-BR`."""
    return code.replace("_", "-")


def _tmx_date(stamp: str) -> str:
    return stamp.replace("-", "").replace(":", "")  # 2024-05-01T10:00:00Z → 20240501T100000Z


def _iso_date(stamp: str | None) -> str | None:
    if not stamp or not re.fullmatch(r"\d{8}T\d{6}Z", stamp):
        return None
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}Z"


def export_tmx(
    memory: TranslationMemory,
    path: Path,
    src_lang: str,
    kinds: dict[str, str] | None = None,
    reviewers: dict[tuple[str, str], str] | None = None,
) -> int:
    """Write every unit from `src_lang` as TMX 1.4b, one <tu> per translation; the count.

    `kinds` gives each document's markup (text, markdown, html: which codes its segments
    hold); `reviewers` the Last-Translator of each (doc, language) catalog, written as the
    unit's creationid and changeid."""

    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "tirage",
            "creationtoolversion": __version__,
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": tmx_lang(src_lang),
            "o-tmf": "tirage",
        },
    )
    body = ET.SubElement(root, "body")
    count = 0
    for unit in memory.units(src_lang=src_lang):
        attributes = {
            "tuid": _tuid(unit.source, unit.tgt_lang, unit.target),
            "srclang": tmx_lang(unit.src_lang),
            "creationdate": _tmx_date(unit.created),
            "changedate": _tmx_date(unit.changed),
        }
        reviewer = (reviewers or {}).get((unit.doc, unit.tgt_lang), "")
        if reviewer:
            attributes["creationid"] = attributes["changeid"] = reviewer
        tu = ET.SubElement(body, "tu", attributes)
        ET.SubElement(tu, "prop", type="x-tirage-doc").text = unit.doc
        ET.SubElement(tu, "prop", type="x-tirage-origin").text = _ORIGINS[
            (unit.post_edited, unit.mt_accepted)
        ]
        ET.SubElement(tu, "prop", type="x-tirage-post-edited").text = str(int(unit.post_edited))
        kind = (kinds or {}).get(unit.doc, "text")
        source = split_codes(unit.source, kind)
        target = _target_codes(unit.target, source, kind)
        for lang, pieces in ((unit.src_lang, source), (unit.tgt_lang, target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: tmx_lang(lang)})
            _write_seg(ET.SubElement(tuv, "seg"), pieces)
        count += 1
    _indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    write_atomic(path, text)
    return count


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the structure, never inside <seg> or <prop>, where spaces are the text's."""
    children = list(element)
    if element.tag in ("seg", "prop", "note") or not children:
        return
    element.text = "\n" + "  " * (level + 1)
    for child in children:
        _indent(child, level + 1)
        child.tail = "\n" + "  " * (level + 1)
    children[-1].tail = "\n" + "  " * level


def _tuid(source: str, lang: str, target: str) -> str:
    """Stable across exports: the same translation gets the same id."""
    data = f"{source}\x00{lang}\x00{target}".encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


def _target_codes(target: str, source: list[Piece], kind: str) -> list[Piece]:
    """The target's markup numbered as the source's; markup the source lacks gets numbers
    of its own, after the source's."""
    numbers = [int(p.id) for p in source if isinstance(p, Code) and p.id.isdigit()]
    last = max(numbers, default=0)
    out: list[Piece] = []
    for piece in map_target(target, source, kind, keep_unmatched=True):
        if isinstance(piece, Code) and not piece.id:
            last += 1
            piece = Code(str(last), piece.kind, piece.data)
        out.append(piece)
    return out


def _write_seg(seg: ET.Element, pieces: list[Piece]) -> None:
    last: ET.Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            text = _XML_INVALID.sub("", piece)
            if last is None:
                seg.text = (seg.text or "") + text
            else:
                last.tail = (last.tail or "") + text
            continue
        if piece.kind == PH:
            last = ET.SubElement(seg, "ph", x=piece.id)
        elif _has_both_ends(piece, pieces):
            if piece.kind == START:
                last = ET.SubElement(seg, "bpt", i=piece.id, x=piece.id)
            else:
                last = ET.SubElement(seg, "ept", i=piece.id)
        else:
            pos = "begin" if piece.kind == START else "end"
            last = ET.SubElement(seg, "it", pos=pos, x=piece.id)
        last.text = _XML_INVALID.sub("", piece.data)


def _has_both_ends(code: Code, pieces: list[Piece]) -> bool:
    other = END if code.kind == START else START
    return any(isinstance(p, Code) and p.id == code.id and p.kind == other for p in pieces)


def _lang_of(tuv: ET.Element) -> str:
    return (tuv.get(XML_LANG) or tuv.get("lang") or "").replace("-", "_")


def _same_lang(code: str, wanted: str) -> bool:
    code, wanted = code.casefold(), wanted.casefold()
    return code == wanted or code.split("_")[0] == wanted


@dataclass
class TmxImport:
    """What `memory import` did: units added, and inline codes left out of the text."""

    added: int = 0
    dropped_codes: int = 0


def import_tmx(
    memory: TranslationMemory, path: Path, src_lang: str, targets: tuple[str, ...]
) -> int:
    """Add every translation from `src_lang` into one of `targets`; the number added."""
    return import_tmx_report(memory, path, src_lang, targets).added


def import_tmx_report(
    memory: TranslationMemory,
    path: Path,
    src_lang: str,
    targets: tuple[str, ...],
    known: KnownSegments | None = None,
) -> TmxImport:
    """Add every translation from `src_lang` into one of `targets`; `known`: the workspace's
    segments, whose markup a code of the same segment stands for (tmx_segments.py).

    The file is streamed, one <tu> at a time, each dropped once recorded: memory stays flat
    whatever the size of the file. A file that turns out broken halfway adds nothing."""
    report = TmxImport()
    try:
        _import_units(memory, path, src_lang, targets, known or KnownSegments(), report)
    except BaseException:
        memory.db.rollback()
        raise
    memory.commit()
    return report


def _import_units(
    memory: TranslationMemory,
    path: Path,
    src_lang: str,
    targets: tuple[str, ...],
    known: KnownSegments,
    report: TmxImport,
) -> None:
    body: ET.Element | None = None
    try:
        events = ET.iterparse(path, events=("start", "end"))
        _, root = next(events)
        if root.tag != "tmx":
            raise CatalogError("not a TMX file: no <tmx><body>", path)
        for event, element in events:
            if event == "start":
                if element.tag == "body" and body is None:
                    body = element
                continue
            if element.tag == "tu" and body is not None:
                _import_unit(memory, element, path, src_lang, targets, known, report)
                body.clear()  # the units read so far: nothing keeps them any longer
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise CatalogError(f"not a TMX file: {exc.msg}", path, line) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    if body is None:
        raise CatalogError("not a TMX file: no <tmx><body>", path)


def _import_unit(
    memory: TranslationMemory,
    tu: ET.Element,
    path: Path,
    src_lang: str,
    targets: tuple[str, ...],
    known: KnownSegments,
    report: TmxImport,
) -> None:
    props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
    doc = props.get("x-tirage-doc") or path.stem
    post_edited = props.get("x-tirage-post-edited") == "1"
    mt_accepted = props.get("x-tirage-origin") == "mt-accepted"
    when = _iso_date(tu.get("changedate") or tu.get("creationdate"))
    segments: dict[str, list[Item]] = {}
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        if seg is not None:
            segments[_lang_of(tuv)] = seg_items(seg)
    source_items = next((t for c, t in segments.items() if _same_lang(c, src_lang)), None)
    if source_items is None:
        return
    wanted: dict[str, list[Item]] = {}
    for lang in targets:
        items = next((t for c, t in segments.items() if _same_lang(c, lang)), None)
        if items is not None:
            wanted[lang] = items
    source, texts, dropped = restore(source_items, wanted, known)
    report.dropped_codes += dropped
    for lang, target in texts.items():
        report.added += memory.add(
            source,
            target,
            src_lang,
            lang,
            doc,
            post_edited=post_edited,
            mt_accepted=mt_accepted,
            origin="tmx",
            when=when,
        )
