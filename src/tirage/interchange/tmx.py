"""TMX 1.4b import and export for the translation memory, as plain functions at the edge.

The export is one <tu> per translation, readable by translate-toolkit's TMX reader (the
tests hold it to that); the import takes any TMX 1.4 with the workspace's languages, and
its units stay fuzzy when reused, since who reviewed them is unknown.

Each <tu> says how its translation was made, in `x-tirage-origin`: `human`, `mt-accepted`
(machine output a reviewer accepted unchanged) or `mt-post-edited`; `x-tirage-post-edited`
(1 only for the last) is kept for older readers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tirage import __version__
from tirage.errors import CatalogError
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


def export_tmx(memory: TranslationMemory, path: Path, src_lang: str) -> int:
    """Write every unit from `src_lang` as TMX 1.4b, one <tu> per translation; the count."""

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
        tu = ET.SubElement(
            body,
            "tu",
            creationdate=_tmx_date(unit.created),
            changedate=_tmx_date(unit.changed),
        )
        ET.SubElement(tu, "prop", type="x-tirage-doc").text = unit.doc
        ET.SubElement(tu, "prop", type="x-tirage-origin").text = _ORIGINS[
            (unit.post_edited, unit.mt_accepted)
        ]
        ET.SubElement(tu, "prop", type="x-tirage-post-edited").text = str(int(unit.post_edited))
        for lang, text in ((unit.src_lang, unit.source), (unit.tgt_lang, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: tmx_lang(lang)})
            ET.SubElement(tuv, "seg").text = _XML_INVALID.sub("", text)
        count += 1
    ET.indent(root, space="  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    write_atomic(path, text)
    return count


def _lang_of(tuv: ET.Element) -> str:
    return (tuv.get(XML_LANG) or tuv.get("lang") or "").replace("-", "_")


def _same_lang(code: str, wanted: str) -> bool:
    code, wanted = code.casefold(), wanted.casefold()
    return code == wanted or code.split("_")[0] == wanted


def import_tmx(
    memory: TranslationMemory, path: Path, src_lang: str, targets: tuple[str, ...]
) -> int:
    """Add every translation from `src_lang` into one of `targets`; the number added.

    The file is streamed, one <tu> at a time, each dropped once recorded: memory stays flat
    whatever the size of the file. A file that turns out broken halfway adds nothing."""
    try:
        added = _import_units(memory, path, src_lang, targets)
    except BaseException:
        memory.db.rollback()
        raise
    memory.commit()
    return added


def _import_units(
    memory: TranslationMemory, path: Path, src_lang: str, targets: tuple[str, ...]
) -> int:
    added = 0
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
                added += _import_unit(memory, element, path, src_lang, targets)
                body.clear()  # the units read so far: nothing keeps them any longer
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise CatalogError(f"not a TMX file: {exc.msg}", path, line) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    if body is None:
        raise CatalogError("not a TMX file: no <tmx><body>", path)
    return added


def _import_unit(
    memory: TranslationMemory,
    tu: ET.Element,
    path: Path,
    src_lang: str,
    targets: tuple[str, ...],
) -> int:
    props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
    doc = props.get("x-tirage-doc") or path.stem
    post_edited = props.get("x-tirage-post-edited") == "1"
    mt_accepted = props.get("x-tirage-origin") == "mt-accepted"
    when = _iso_date(tu.get("changedate") or tu.get("creationdate"))
    texts: dict[str, str] = {}
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        if seg is not None:
            texts[_lang_of(tuv)] = "".join(seg.itertext())
    source = next((t for code, t in texts.items() if _same_lang(code, src_lang)), None)
    if source is None:
        return 0
    added = 0
    for lang in targets:
        target = next((t for code, t in texts.items() if _same_lang(code, lang)), None)
        if target is not None:
            added += memory.add(
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
    return added
