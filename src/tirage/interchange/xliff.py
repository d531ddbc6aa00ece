"""XLIFF 2.1 and 1.2 export of a PO catalog: one unit per active entry, inline markup as codes.

A unit carries what a translator in a CAT tool needs to see (role, references, comments,
where a machine translation came from, the previous source) and what tirage needs to take
it back safely: its id (from msgctxt and msgid, so stable across runs) and `base`, a digest
of the entry's translation and state as exported. On import, a unit whose target and state
still give `base` was left alone; an entry whose own digest is no longer `base` was changed
in the catalog meanwhile (see xliff_import.py).

States. XLIFF 2.1: `initial` (untranslated), `translated` (fuzzy: machine output or a
changed source), `reviewed` (machine output a human reviewed), `final` (a human's own
translation). XLIFF 1.2: `new`, `needs-review-translation`, then `translated` and `final`,
both `approved="yes"`.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import polib

from tirage.interchange.codes import END, PH, START, Code, Piece, markup_kind, split_codes
from tirage.provenance import PREFIX as PROVENANCE_PREFIX
from tirage.provenance import get_provenance

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
TIRAGE = "urn:tirage:xliff"  # our one extension attribute in XLIFF 2.1: tirage:base
XML_NS = "http://www.w3.org/XML/1998/namespace"
VERSIONS = ("2.1", "1.2")
BASE_PREFIX = "tirage-base:"  # XLIFF 1.2 strict allows no foreign attribute: extradata
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CP = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_ROLE = re.compile(r"[a-z][a-z -]*(?:, [a-z][a-z -]*)*")

ET.register_namespace("tirage", TIRAGE)


def unit_id(entry: polib.POEntry) -> str:
    """Stable across runs and catalogs: the same msgctxt and msgid give the same id."""
    key = f"{entry.msgctxt or ''}\x04{entry.msgid}".encode()
    return "u" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


def entry_state(entry: polib.POEntry) -> str:
    """initial | translated | reviewed | final (XLIFF 2 names) of a PO entry."""
    if not entry.msgstr:
        return "initial"
    if "fuzzy" in entry.flags:
        return "translated"
    return "reviewed" if get_provenance(entry) is not None else "final"


STATE_1_2 = {
    "initial": ("new", ""),
    "translated": ("needs-review-translation", ""),
    "reviewed": ("translated", "yes"),
    "final": ("final", "yes"),
}


def base_digest(msgstr: str, state: str) -> str:
    """What a unit's target and state were when exported (state in XLIFF 2 names)."""
    data = f"{state}\x00{msgstr}".encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


def exportable(entry: polib.POEntry) -> bool:
    return not entry.obsolete and bool(entry.msgid) and not entry.msgid_plural


@dataclass
class Unit:
    id: str
    entry: polib.POEntry
    source: list[Piece]
    target: list[Piece]
    state: str
    base: str
    notes: list[tuple[str, str]] = field(default_factory=list)


def build_units(po: polib.POFile) -> list[Unit]:
    """The catalog's active, singular entries as units (plural entries stay in PO editors)."""
    units: list[Unit] = []
    seen: set[str] = set()
    for entry in po:
        if not exportable(entry):
            continue
        uid = unit_id(entry)
        if uid in seen:  # never in practice (48 bits); keep ids unique regardless
            continue
        seen.add(uid)
        kind = markup_kind(entry.occurrences[0][0]) if entry.occurrences else "text"
        source = split_codes(entry.msgid, kind)
        target = map_target(entry.msgstr, source, kind) if entry.msgstr else []
        state = entry_state(entry)
        units.append(
            Unit(uid, entry, source, target, state, base_digest(entry.msgstr, state), _notes(entry))
        )
    return units


def _notes(entry: polib.POEntry) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    if entry.msgctxt is not None:
        notes.append(("context", entry.msgctxt))
    if entry.comment:
        notes.append(("role" if _ROLE.fullmatch(entry.comment) else "extracted", entry.comment))
    for path, line in entry.occurrences:
        notes.append(("location", f"{path}:{line}" if line else path))
    translator = [
        line
        for line in (entry.tcomment or "").split("\n")
        if not line.startswith(PROVENANCE_PREFIX)
    ]
    if any(translator):
        notes.append(("translator", "\n".join(translator)))
    provenance = get_provenance(entry)
    if provenance is not None:
        notes.append(("provenance", provenance.to_comment().partition(" ")[2]))
    if entry.previous_msgid is not None and "fuzzy" in entry.flags:
        notes.append(("previous-source", entry.previous_msgid))
    return notes


def map_target(
    msgstr: str, source: list[Piece], kind: str, keep_unmatched: bool = False
) -> list[Piece]:
    """The translation's markup as the source's codes (same markup, same id); markup the
    source lacks stays text (a code with no id with `keep_unmatched`)."""
    unused: dict[tuple[str, str], list[Code]] = {}
    for piece in source:
        if isinstance(piece, Code):
            unused.setdefault((piece.kind, piece.data), []).append(piece)
    out: list[Piece] = []
    open_ids: list[str] = []
    for piece in split_codes(msgstr, kind):
        if not isinstance(piece, Code):
            out.append(piece)
            continue
        candidates = unused.get((piece.kind, piece.data), [])
        chosen = None
        if piece.kind == END:  # the end of the pair most recently opened, if it is one
            chosen = next((c for i in reversed(open_ids) for c in candidates if c.id == i), None)
        if chosen is None and candidates:
            chosen = candidates[0]
        if chosen is None:
            out.append(Code("", piece.kind, piece.data) if keep_unmatched else piece.data)
            continue
        candidates.remove(chosen)
        if chosen.kind == START:
            open_ids.append(chosen.id)
        out.append(chosen)
    return _merge_text(out)


def _merge_text(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return out


def paired(pieces: list[Piece]) -> set[str]:
    """Ids of the pairs that nest properly in this text: <pc>/<g>, the others <sc>/<ec>."""
    stack: list[str] = []
    good: set[str] = set()
    crossed: set[str] = set()
    starts = {p.id for p in pieces if isinstance(p, Code) and p.kind == START}
    for piece in pieces:
        if not isinstance(piece, Code) or piece.kind == PH:
            continue
        if piece.kind == START:
            stack.append(piece.id)
        elif piece.id in starts and piece.id in stack:
            if stack[-1] == piece.id:
                good.add(piece.id)
            else:
                crossed.update(stack[stack.index(piece.id) :])
            stack.remove(piece.id)
    return good - crossed


# ---------------------------------------------------------------------------------------------
# Writing


def write_xliff(
    units: list[Unit], *, version: str, src_lang: str, tgt_lang: str, doc: str, original: str
) -> str:
    """The XLIFF document for one catalog, as text."""
    if version == "1.2":
        root = _xliff_1_2(units, src_lang, tgt_lang, original)
    else:
        root = _xliff_2_1(units, src_lang, tgt_lang, doc, original)
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _xliff_2_1(units: list[Unit], src: str, tgt: str, doc: str, original: str) -> ET.Element:
    x = XLIFF2
    ET.register_namespace("", x)
    root = ET.Element(_q(x, "xliff"), version="2.1", srcLang=_bcp47(src), trgLang=_bcp47(tgt))
    file = ET.SubElement(root, _q(x, "file"), id=_nmtoken(doc), original=original)
    for unit in units:
        element = ET.SubElement(file, _q(x, "unit"), {"id": unit.id, _q(TIRAGE, "base"): unit.base})
        if unit.notes:
            notes = ET.SubElement(element, _q(x, "notes"))
            for category, text in unit.notes:
                ET.SubElement(notes, _q(x, "note"), category=category).text = _xml_safe(text)
        data = _original_data(unit)
        if data:
            original_data = ET.SubElement(element, _q(x, "originalData"))
            for ref, value in data:
                item = ET.SubElement(original_data, _q(x, "data"), id=ref)
                _text_2_1(item, value)
        segment = ET.SubElement(element, _q(x, "segment"), state=unit.state)
        source = ET.SubElement(segment, _q(x, "source"), {_q(XML_NS, "space"): "preserve"})
        _inline_2_1(source, unit.source)
        if unit.target:
            target = ET.SubElement(segment, _q(x, "target"), {_q(XML_NS, "space"): "preserve"})
            _inline_2_1(target, unit.target)
    return root


def _original_data(unit: Unit) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for piece in unit.source + unit.target:
        if isinstance(piece, Code):
            found.setdefault(_data_ref(piece), piece.data)
    return sorted(found.items(), key=lambda item: _ref_order(item[0]))


def _data_ref(code: Code) -> str:
    return f"d{code.id}" + {PH: "", START: "s", END: "e"}[code.kind]


def _ref_order(ref: str) -> tuple[int, str]:
    digits = re.match(r"d(\d+)(\w?)", ref)
    return (
        (int(digits.group(1)), "0" if digits.group(2) == "s" else digits.group(2))
        if digits
        else (0, ref)
    )


def _inline_2_1(parent: ET.Element, pieces: list[Piece]) -> None:
    x = XLIFF2
    nested = paired(pieces)
    stack = [parent]
    for piece in pieces:
        here = stack[-1]
        if isinstance(piece, str):
            _text_2_1(here, piece)
            continue
        kind = "fmt" if piece.data[:1] in "<&*_`[]" else "other"
        kind = "link" if piece.kind_of == "link" else kind
        disp = _display(piece.data)
        if piece.kind == PH:
            ET.SubElement(
                here,
                _q(x, "ph"),
                {"id": piece.id, "dataRef": _data_ref(piece), "disp": disp, "type": kind},
            )
        elif piece.kind == START and piece.id in nested:
            pc = ET.SubElement(
                here,
                _q(x, "pc"),
                {
                    "id": piece.id,
                    "dataRefStart": _data_ref(piece),
                    "dispStart": disp,
                    "type": kind,
                },
            )
            stack.append(pc)
        elif piece.kind == END and piece.id in nested:
            if len(stack) > 1:
                pc = stack.pop()
                pc.set("dataRefEnd", _data_ref(piece))
                pc.set("dispEnd", disp)
        elif piece.kind == START:
            attrs = {"id": piece.id, "dataRef": _data_ref(piece), "disp": disp, "type": kind}
            if _isolated(piece, pieces):
                attrs["isolated"] = "yes"
            ET.SubElement(here, _q(x, "sc"), attrs)
        else:
            attrs = {"dataRef": _data_ref(piece), "disp": disp, "type": kind}
            if _isolated(piece, pieces):
                attrs = {"id": piece.id, "isolated": "yes", **attrs}
            else:
                attrs = {"startRef": piece.id, **attrs}
            ET.SubElement(here, _q(x, "ec"), attrs)


def _isolated(code: Code, pieces: list[Piece]) -> bool:
    other = START if code.kind == END else END
    return not any(isinstance(p, Code) and p.id == code.id and p.kind == other for p in pieces)


def _text_2_1(parent: ET.Element, text: str) -> None:
    """Text, with a <cp/> for each character XML cannot hold (and for a carriage return,
    which every XML reader turns into a line feed)."""
    last = 0
    for found in _CP.finditer(text):
        _append(parent, text[last : found.start()])
        ET.SubElement(parent, _q(XLIFF2, "cp"), hex=f"{ord(found.group()):04X}")
        last = found.end()
    _append(parent, text[last:])


def _append(parent: ET.Element, text: str) -> None:
    if not text:
        return
    children = list(parent)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _xliff_1_2(units: list[Unit], src: str, tgt: str, original: str) -> ET.Element:
    x = XLIFF1
    ET.register_namespace("", x)
    root = ET.Element(_q(x, "xliff"), version="1.2")
    file = ET.SubElement(
        root,
        _q(x, "file"),
        {
            "original": original,
            "source-language": _bcp47(src),
            "target-language": _bcp47(tgt),
            "datatype": "po",
        },
    )
    body = ET.SubElement(file, _q(x, "body"))
    for unit in units:
        state, approved = STATE_1_2[unit.state]
        attrs = {"id": unit.id, "extradata": BASE_PREFIX + unit.base}
        if approved:
            attrs["approved"] = approved
        attrs[_q(XML_NS, "space")] = "preserve"
        element = ET.SubElement(body, _q(x, "trans-unit"), attrs)
        _inline_1_2(ET.SubElement(element, _q(x, "source")), unit.source)
        target = ET.SubElement(element, _q(x, "target"), state=state)
        _inline_1_2(target, unit.target)
        for category, text in unit.notes:
            note = ET.SubElement(element, _q(x, "note"), {"from": category})
            note.text = _xml_safe(text)
    return root


def _inline_1_2(parent: ET.Element, pieces: list[Piece]) -> None:
    x = XLIFF1
    nested = paired(pieces)
    stack = [parent]
    for piece in pieces:
        here = stack[-1]
        if isinstance(piece, str):
            _append(here, _xml_safe(piece))
            continue
        if piece.kind == PH:
            ET.SubElement(here, _q(x, "x"), {"id": piece.id, "equiv-text": _xml_safe(piece.data)})
        elif piece.kind == START and piece.id in nested:
            g = ET.SubElement(
                here, _q(x, "g"), {"id": piece.id, "equiv-text": _xml_safe(piece.data)}
            )
            if piece.kind_of == "link":
                g.set("ctype", "link")
            stack.append(g)
        elif piece.kind == END and piece.id in nested:
            if len(stack) > 1:
                stack.pop()
        elif _isolated(piece, pieces):
            pos = "open" if piece.kind == START else "close"
            ET.SubElement(here, _q(x, "it"), {"id": piece.id, "pos": pos}).text = _xml_safe(
                piece.data
            )
        else:
            tag = "bpt" if piece.kind == START else "ept"
            element = ET.SubElement(here, _q(x, tag), {"id": piece.id, "rid": piece.id})
            element.text = _xml_safe(piece.data)


def _display(data: str) -> str:
    if data.startswith("&") and data.endswith(";"):
        return _xml_safe(html.unescape(data))  # a character reference: show the character
    data = _xml_safe(" ".join(data.split()))
    return data if len(data) <= 40 else data[:39] + "…"


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _bcp47(code: str) -> str:
    return code.replace("_", "-")


def _nmtoken(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name) or "doc"


_CONTENT = {
    _q(ns, tag) for ns in (XLIFF2, XLIFF1) for tag in ("source", "target", "note", "data", "seg")
}


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the structure only: inside <source>, <target>, <note> and <data> every space
    is the text's own (ElementTree's indent would change it)."""
    children = list(element)
    if element.tag in _CONTENT or not children:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        _indent(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level
