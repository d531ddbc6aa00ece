"""Word documents (DOCX, Office Open XML): the translatable places of the package.

Read, in this order: the main document part, its headers, footers, footnotes and endnotes
(found through the document's relationships, as Word does), each part's image and shape
alt text (DrawingML's `descr` and `title`, then legacy VML's `alt` and a picture's
`o:title`), and the core properties title, subject and description. A paragraph is one
unit; text boxes are paragraphs of their own (`w:txbxContent`), and so are the paragraphs
of a footnote.

Left out: field codes and their results (between `fldChar` begin and end, `fldSimple`),
hidden text (`w:vanish`), comments (another part, never read), content controls bound to
data (`w:dataBinding`: they show the bound value, a core property say), inline content
controls, equations, and the paragraph and character styles that tirage.toml lists as not
translated. A document with tracked changes is refused: its text is not settled.
"""

from __future__ import annotations

import posixpath
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tirage.document import Document
from tirage.errors import SourceError
from tirage.readers.office_inline import Item, Unit, is_alt_text, office_document
from tirage.readers.package import Package, open_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
V = "{urn:schemas-microsoft-com:vml}"
VO = "{urn:schemas-microsoft-com:office:office}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE_FIELDS = (
    (DC + "title", "title"),
    (DC + "subject", "subject"),
    (DC + "description", "description"),
)

PART_ROLES = {
    "header": "header",
    "footer": "footer",
    "footnotes": "footnote",
    "endnotes": "endnote",
}
TRACKED = frozenset(
    W + name
    for name in (
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
    )
)
MARKERS = frozenset(
    W + name
    for name in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "permStart",
        "permEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
    )
)
# Inline containers that show nothing themselves: their runs are read as the paragraph's (a
# translated paragraph is written without them; an untranslated one keeps them).
TRANSPARENT = frozenset({W + "smartTag", W + "customXml", W + "dir", W + "bdo", W + "sdt"})
DROPPED = frozenset({W + "proofErr", W + "lastRenderedPageBreak", W + "softHyphen"})
# Formatting nobody sees: language, spell-check and revision marks.
INVISIBLE = frozenset({W + "lang", W + "noProof", W + "webHidden", W + "specVanish", W + "rtl"})
LABELS = {
    W + "b": "b",
    W + "bCs": "b",
    W + "i": "i",
    W + "iCs": "i",
    W + "u": "u",
    W + "rStyle": "s",
}
STYLE_ROLES = {"title": "title", "subtitle": "subtitle", "quote": "quote", "intense quote": "quote"}


@dataclass
class Styles:
    """Style id → name (lowercase), base style, and whether it numbers its paragraphs."""

    names: dict[str, str] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    numbered: set[str] = field(default_factory=set)
    outline: dict[str, str] = field(default_factory=dict)

    def chain(self, style_id: str) -> list[str]:
        seen: list[str] = []
        while style_id and style_id not in seen and len(seen) < 20:
            seen.append(style_id)
            style_id = self.based_on.get(style_id, "")
        return seen


@dataclass
class _Field:
    """A complex field open at this point: its code so far, and whether its result began."""

    code: str = ""
    result: bool = False


@dataclass
class DocxText:
    """The walk of a package: its units, and the parsed parts they live in."""

    package: Package
    units: list[Unit]
    trees: dict[str, Any]
    styles_part: str = ""
    core_part: str = ""
    main_part: str = ""


def read_docx(
    path: Path, name: str, data: bytes, lang: str, untranslated: tuple[str, ...]
) -> Document:
    walk = walk_docx(open_package(path, data, "docx"), untranslated)
    return office_document(path, name, "docx", walk.units, lang)


def walk_docx(package: Package, untranslated: tuple[str, ...] = ()) -> DocxText:
    main = _main_part(package)
    relations = _relations(package, main)
    parts = [(main, "")]
    for kind in ("header", "footer", "footnotes", "endnotes"):
        parts.extend((target, PART_ROLES[kind]) for target, k in relations if k == kind)
    styles_part = next((t for t, k in relations if k == "styles"), "")
    styles = _styles(package, styles_part)
    skip = {s.lower() for s in untranslated}
    trees: dict[str, Any] = {}
    units: list[Unit] = []
    tracked = 0
    for part, role in parts:
        if not package.has(part) or part in trees:
            continue
        tree = package.xml(part)
        if not tree.getroot().tag.startswith(W):
            raise SourceError(
                f"{part} is not WordprocessingML (Strict Open XML?): save it as a Word "
                "document (.docx)",
                package.path,
            )
        trees[part] = tree
        tracked += sum(1 for el in tree.iter() if el.tag in TRACKED)
        walker = _PartWalker(part, role, styles, skip, _link_targets(package, part))
        for paragraph in tree.iter(W + "p"):
            unit = walker.paragraph(paragraph)
            if unit is not None:
                units.append(unit)
        units.extend(_alt_units(part, tree))
    if tracked:
        raise SourceError(
            f"{tracked} tracked change(s) not accepted or rejected: accept or reject them, "
            "then run update",
            package.path,
        )
    core = _core_part(package)
    if core:
        tree = package.xml(core)
        trees[core] = tree
        for tag, role in CORE_FIELDS:
            element = tree.getroot().find(tag)
            if element is not None and (element.text or "").strip():
                units.append(_plain_unit(core, role, element, None, element.text or ""))
    return DocxText(package, units, trees, styles_part, core, main)


def _plain_unit(part: str, role: str, element: Any, attribute: str | None, text: str) -> Unit:
    unit = Unit(part, role, element, attribute, plain=True)
    unit.items.append(Item("text", text))
    return unit


def _alt_units(part: str, tree: Any) -> list[Unit]:
    """DrawingML's `descr` and `title`, then legacy VML's: a shape's `alt` (Word writes it
    in the VML fallback of a drawing too, so both say the same) and a picture's `o:title`."""
    units = []
    for element in tree.iter(WP + "docPr", PIC + "cNvPr"):
        for attribute in ("title", "descr"):
            value = element.get(attribute)
            if value and is_alt_text(value):
                units.append(_plain_unit(part, "alt", element, attribute, value))
    for element in tree.iter(V + "*"):
        # o:title names a texture on v:fill: only a picture's (v:imagedata) is its title.
        for attribute in ("alt", VO + "title") if element.tag == V + "imagedata" else ("alt",):
            value = element.get(attribute)
            if value and is_alt_text(value):
                units.append(_plain_unit(part, "alt", element, attribute, value))
    return units


def _bound(element: Any) -> bool:
    """A content control bound to data (a core property, custom XML): what it holds is a
    copy of a value kept elsewhere, and Word and LibreOffice show that value instead."""
    return element.tag == W + "sdt" and element.find(f"{W}sdtPr/{W}dataBinding") is not None


class _PartWalker:
    def __init__(
        self, part: str, role: str, styles: Styles, skip: set[str], targets: dict[str, str]
    ) -> None:
        self.part = part
        self.role = role
        self.styles = styles
        self.skip = skip
        self.targets = targets  # relationship id → hyperlink target
        self.fields: list[_Field] = []  # complex fields run across runs and paragraphs
        self.field_item: Item | None = None

    def paragraph(self, paragraph: Any) -> Unit | None:
        ppr = paragraph.find(W + "pPr")
        style_id = _val(ppr, W + "pStyle")
        chain = self.styles.chain(style_id)
        if any(
            self.styles.names.get(s, s).lower() in self.skip or s.lower() in self.skip
            for s in chain
        ):
            return None
        if any(a.tag == W + "sdt" and _bound(a) for a in paragraph.iterancestors()):
            return None
        role, level = self._role(paragraph, ppr, chain)
        unit = Unit(self.part, role, paragraph, level=level, labeler=_label)
        self.field_item = None
        self._inline(unit, paragraph, -1)
        return unit

    def _inline(self, unit: Unit, container: Any, link: int) -> None:
        """The runs of a paragraph, a hyperlink, or a container that shows nothing itself
        (smart tags, custom XML, bidi embeddings, an inline content control's content)."""
        previous: tuple[str, ...] | None = None  # the hyperlink just read, if any
        for child in container:
            tag = child.tag
            if tag == W + "pPr" or tag in DROPPED or tag == W + "sdtPr":
                continue
            if tag == W + "hyperlink" and not self.in_field and link < 0:
                # Word cuts a link into several with the same target (a spell-check mark,
                # an edit): those that follow each other are one link to a translator.
                key = self._link_key(child)
                if key != previous:
                    unit.links.append(child)
                self._inline(unit, child, len(unit.links) - 1)
                previous = key
                continue
            if tag not in MARKERS:
                previous = None
            if tag in MARKERS:
                has_text = any(i.kind == "text" and i.text.strip() for i in unit.items)
                (unit.trail if has_text or unit.trail else unit.lead).append(child)
            elif tag == W + "r":
                self.field_item = self._run(unit, child, link, self.field_item)
            elif tag in TRANSPARENT and not self.in_field and not _bound(child):
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    self._inline(unit, content, link)
            else:
                self.field_item = None
                unit.items.append(Item("placeholder", link=link, data=[(None, [child])]))

    def _link_key(self, link: Any) -> tuple[str, ...]:
        rid = link.get(f"{{{R_NS}}}id", "")
        target = self.targets.get(rid, rid) if rid else ""
        return (target, *(link.get(W + name, "") for name in ("anchor", "tgtFrame", "docLocation")))

    def _role(self, paragraph: Any, ppr: Any, chain: list[str]) -> tuple[str, str]:
        if self.role:
            return self.role, ""
        ancestors = {a.tag for a in paragraph.iterancestors()}
        if W + "txbxContent" in ancestors:
            return "text_box", ""
        if W + "tc" in ancestors:
            return "table_cell", ""
        for style_id in chain:
            name = self.styles.names.get(style_id, "")
            if name in STYLE_ROLES:
                return STYLE_ROLES[name], ""
            if name.startswith("heading ") and name[8:].isdigit():
                return "heading", name[8:]
        outline = _val(ppr, W + "outlineLvl")
        if outline.isdigit() and int(outline) < 9:
            return "heading", str(int(outline) + 1)
        if ppr is not None and ppr.find(W + "numPr") is not None:
            return "list_item", ""
        if any(s in self.styles.numbered for s in chain):
            return "list_item", ""
        return "paragraph", ""

    @property
    def in_field(self) -> bool:
        """Inside a field's code or result; a HYPERLINK field's result is link text, read."""
        return any(
            not (f.result and f.code.lstrip().upper().startswith("HYPERLINK")) for f in self.fields
        )

    def _run(self, unit: Unit, run: Any, link: int, field_item: Item | None) -> Item | None:
        rpr = run.find(W + "rPr")
        style_id = _val(rpr, W + "rStyle")
        hidden = rpr is not None and _on(rpr.find(W + "vanish"))
        style_name = self.styles.names.get(style_id, style_id).lower()
        if not self.in_field and (
            hidden or (style_id and (style_name in self.skip or style_id.lower() in self.skip))
        ):
            unit.items.append(Item("placeholder", link=link, data=[(None, [run])]))
            return None
        key = _key(rpr)
        for child in run:
            tag = child.tag
            if tag == W + "rPr" or tag in DROPPED:
                continue
            structure = tag in (W + "fldChar", W + "instrText")
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].result = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == W + "instrText" and self.fields:
                self.fields[-1].code += child.text or ""
            if structure or self.in_field:
                if field_item is None or not unit.items or unit.items[-1] is not field_item:
                    field_item = Item("placeholder", link=link, data=[])
                    unit.items.append(field_item)
                field_item.data.append((rpr, [child]))
                continue
            field_item = None
            if tag == W + "t":
                unit.items.append(Item("text", child.text or "", key, rpr, link=link))
            elif tag == W + "noBreakHyphen":
                unit.items.append(Item("text", "\u2011", key, rpr, link=link))
            else:  # a tab, a break, a note reference, a drawing, a symbol: kept as they are
                unit.items.append(Item("placeholder", link=link, data=[(rpr, [child])]))
        return field_item if self.fields else None


def _val(parent: Any, tag: str) -> str:
    if parent is None:
        return ""
    element = parent.find(tag)
    return "" if element is None else element.get(W + "val", "")


def _on(element: Any) -> bool:
    return element is not None and element.get(W + "val", "true") not in ("0", "false", "off")


def _key(rpr: Any) -> Hashable:
    if rpr is None:
        return frozenset()
    found = set()
    for child in rpr:
        if child.tag in INVISIBLE or not isinstance(child.tag, str):
            continue
        attrs = tuple(sorted((k, v) for k, v in child.attrib.items() if not k.endswith("}hint")))
        found.add((child.tag, attrs))
    return frozenset(found)


def _label(key: Hashable, home: Hashable) -> str:
    """The code's name for a run's formatting, from what it adds to its home formatting."""
    added = set(key) - set(home or ())  # type: ignore[call-overload]
    removed = set(home or ()) - set(key)  # type: ignore[call-overload]
    labels = set()
    for tag, attrs in added:
        value = dict(attrs).get(W + "val", "")
        if tag == W + "vertAlign" and value in ("superscript", "subscript"):
            labels.add("sup" if value == "superscript" else "sub")
        elif tag in LABELS and value not in ("0", "false", "none"):
            labels.add(LABELS[tag])
        else:
            labels.add("g")
    return labels.pop() if len(labels) == 1 and not removed else "g"


# -- the package's relationships ------------------------------------------------------------


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _targets(package: Package, part: str) -> list[tuple[str, str]]:
    """(target part, relationship kind) of a part's internal relationships."""
    rels = _rels_path(part)
    if not package.has(rels):
        return []
    found = []
    folder = posixpath.dirname(part)
    for rel in package.xml(rels).getroot().iter(PKG_REL + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.append((posixpath.normpath(path), kind))
    return found


def _link_targets(package: Package, part: str) -> dict[str, str]:
    """Relationship id → target of a part's hyperlinks."""
    rels = _rels_path(part)
    if not package.has(rels):
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in package.xml(rels).getroot().iter(PKG_REL + "Relationship")
        if rel.get("Type", "").endswith("/hyperlink")
    }


def _main_part(package: Package) -> str:
    for target, kind in _targets(package, ""):
        if kind == "officeDocument" and package.has(target):
            return target
    if package.has("word/document.xml"):
        return "word/document.xml"
    raise SourceError("not a DOCX package (no main document part)", package.path)


def _core_part(package: Package) -> str:
    for target, kind in _targets(package, ""):
        if kind == "core-properties" and package.has(target):
            return target
    return ""


def _relations(package: Package, main: str) -> list[tuple[str, str]]:
    return _targets(package, main)


def _styles(package: Package, part: str) -> Styles:
    styles = Styles()
    if not part or not package.has(part):
        return styles
    for style in package.xml(part).getroot().iter(W + "style"):
        style_id = style.get(W + "styleId", "")
        styles.names[style_id] = _val(style, W + "name").lower() or style_id.lower()
        based = _val(style, W + "basedOn")
        if based:
            styles.based_on[style_id] = based
        ppr = style.find(W + "pPr")
        if ppr is not None and ppr.find(W + "numPr") is not None:
            styles.numbered.add(style_id)
    return styles
