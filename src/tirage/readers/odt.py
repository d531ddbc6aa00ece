"""OpenDocument text (ODT): the translatable places of the package.

Read, in this order: the body of content.xml (paragraphs and headings, wherever they sit:
lists, tables, notes, text boxes), the headers and footers of the master pages in
styles.xml, the title and description of frames and shapes (`svg:title`, `svg:desc`),
and the title, subject and description of meta.xml.

Inline, a `text:span` is formatting: two spans whose automatic styles differ only in what
nobody sees (LibreOffice's revision ids `officeooo:rsid`, the language) are one run. Fields,
notes, frames, tabs and line breaks are placeholders; bookmarks and index marks stay out of
the msgid. Left out: the generated body of tables of contents and indexes, comments
(`office:annotation`), hidden text, and the styles tirage.toml lists as not translated. A
document with tracked changes is refused.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tirage.document import Document
from tirage.errors import SourceError
from tirage.readers.office_inline import Item, Unit, is_alt_text, office_document
from tirage.readers.package import Package, open_package

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
OFFICEOOO = "{http://openoffice.org/2009/office}"

MARKERS = frozenset(
    TEXT + name
    for name in (
        "bookmark",
        "bookmark-start",
        "bookmark-end",
        "reference-mark",
        "reference-mark-start",
        "reference-mark-end",
        "toc-mark",
        "toc-mark-start",
        "toc-mark-end",
        "alphabetical-index-mark",
        "alphabetical-index-mark-start",
        "alphabetical-index-mark-end",
        "user-index-mark",
        "user-index-mark-start",
        "user-index-mark-end",
    )
) | {OFFICE + "annotation-end"}
DROPPED = frozenset({TEXT + "soft-page-break"})
# Paragraphs that are not the author's running text: generated indexes (their title aside),
# comments, deletions.
SKIPPED_IN = frozenset({TEXT + "index-body", OFFICE + "annotation", TEXT + "tracked-changes"})
INVISIBLE = frozenset(
    {
        OFFICEOOO + "rsid",
        OFFICEOOO + "paragraph-rsid",
        FO + "language",
        FO + "country",
        FO + "script",
        STYLE + "language-asian",
        STYLE + "country-asian",
        STYLE + "language-complex",
        STYLE + "country-complex",
        STYLE + "rfc-language-tag",
        STYLE + "rfc-language-tag-asian",
        STYLE + "rfc-language-tag-complex",
    }
)
STYLE_ROLES = {"title": "title", "subtitle": "subtitle", "quotations": "quote", "quote": "quote"}
HEADER_FOOTER = {
    STYLE + name: ("header" if name.startswith("header") else "footer")
    for name in ("header", "header-left", "header-first", "footer", "footer-left", "footer-first")
}


@dataclass
class OdtStyles:
    """Style name → its text properties (what is visible), parent, display name."""

    props: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    automatic: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)

    def add(self, root: Any, automatic: bool) -> None:
        for style in root.iter(STYLE + "style"):
            name = style.get(STYLE + "name", "")
            self.parent[name] = style.get(STYLE + "parent-style-name", "")
            display = style.get(STYLE + "display-name") or name.replace("_20_", " ")
            self.display[name] = display.lower()
            if automatic:
                self.automatic.add(name)
            found: set[tuple[str, str]] = set()
            for props in style.iter(STYLE + "text-properties"):
                for key, value in props.attrib.items():
                    if key == TEXT + "display" and value == "none":
                        self.hidden.add(name)
                    if key not in INVISIBLE:
                        found.add((key, value))
            self.props[name] = frozenset(found)

    def chain(self, name: str) -> list[str]:
        seen: list[str] = []
        while name and name not in seen and len(seen) < 20:
            seen.append(name)
            name = self.parent.get(name, "")
        return seen

    def key(self, name: str) -> Hashable:
        """A span style's visible formatting: an automatic style is its properties and its
        named parent; a named style is itself."""
        if name in self.automatic:
            parent = self.parent.get(name, "")
            return self.props.get(name, frozenset()) | ({("parent", parent)} if parent else set())
        return frozenset({("parent", name)}) if name else frozenset()


@dataclass
class OdtText:
    package: Package
    units: list[Unit]
    trees: dict[str, Any]


def read_odt(
    path: Path, name: str, data: bytes, lang: str, untranslated: tuple[str, ...]
) -> Document:
    walk = walk_odt(open_package(path, data, "odt"), untranslated)
    return office_document(path, name, "odt", walk.units, lang)


def walk_odt(package: Package, untranslated: tuple[str, ...] = ()) -> OdtText:
    content = package.xml("content.xml")
    trees: dict[str, Any] = {"content.xml": content}
    styles_tree = package.xml("styles.xml") if package.has("styles.xml") else None
    tracked = sum(1 for _ in content.iter(TEXT + "changed-region"))
    if tracked:
        raise SourceError(
            f"{tracked} tracked change(s) not accepted or rejected: accept or reject them, "
            "then run update",
            package.path,
        )
    named = OdtStyles()
    if styles_tree is not None:
        trees["styles.xml"] = styles_tree
        named.add(_child(styles_tree.getroot(), OFFICE + "styles"), automatic=False)
    skip = {s.lower() for s in untranslated}
    units: list[Unit] = []
    body = _child(content.getroot(), OFFICE + "body")
    units.extend(_part_units("content.xml", content.getroot(), body, named, skip))
    if styles_tree is not None:
        masters = _child(styles_tree.getroot(), OFFICE + "master-styles")
        units.extend(_part_units("styles.xml", styles_tree.getroot(), masters, named, skip))
    if package.has("meta.xml"):
        meta = package.xml("meta.xml")
        trees["meta.xml"] = meta
        holder = _child(meta.getroot(), OFFICE + "meta")
        for tag, role in (
            (DC + "title", "title"),
            (DC + "subject", "subject"),
            (DC + "description", "description"),
        ):
            element = holder.find(tag) if holder is not None else None
            if element is not None and (element.text or "").strip():
                units.append(_plain("meta.xml", role, element, element.text or ""))
    return OdtText(package, units, trees)


def _child(root: Any, tag: str) -> Any:
    return root.find(tag) if root is not None else None


def _plain(part: str, role: str, element: Any, text: str) -> Unit:
    unit = Unit(part, role, element, None, plain=True)
    unit.items.append(Item("text", text))
    return unit


def _part_units(part: str, root: Any, holder: Any, named: OdtStyles, skip: set[str]) -> list[Unit]:
    if holder is None:
        return []
    styles = OdtStyles(
        dict(named.props), dict(named.parent), dict(named.display), set(), set(named.hidden)
    )
    automatic = _child(root, OFFICE + "automatic-styles")
    if automatic is not None:
        styles.add(automatic, automatic=True)
    walker = _Walker(part, styles, skip)
    units: list[Unit] = []
    alts: list[Unit] = []
    for element in holder.iter(TEXT + "p", TEXT + "h", SVG + "title", SVG + "desc"):
        if _skipped(element):
            continue
        if element.tag in (SVG + "title", SVG + "desc"):
            if is_alt_text(element.text):
                alts.append(_plain(part, "alt", element, element.text or ""))
            continue
        unit = walker.paragraph(element)
        if unit is not None:
            units.append(unit)
    return units + alts


def _skipped(element: Any) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag == TEXT + "index-title":  # "Table des matières": the author's words
            return False
        if ancestor.tag in SKIPPED_IN:
            return True
    return False


class _Walker:
    def __init__(self, part: str, styles: OdtStyles, skip: set[str]) -> None:
        self.part = part
        self.styles = styles
        self.skip = skip

    def _skipped(self, style: str) -> bool:
        return any(
            self.styles.display.get(s, s.lower()) in self.skip
            or s.lower() in self.skip
            or s in self.styles.hidden
            for s in self.styles.chain(style)
        )

    def paragraph(self, paragraph: Any) -> Unit | None:
        style = paragraph.get(TEXT + "style-name", "")
        if self._skipped(style):
            return None
        role, level = self._role(paragraph, style)
        unit = Unit(self.part, role, paragraph, level=level, labeler=_label)
        unit.base = None
        self._content(unit, paragraph, (), -1)
        return unit

    def _role(self, paragraph: Any, style: str) -> tuple[str, str]:
        for ancestor in paragraph.iterancestors():
            tag = ancestor.tag
            if tag in HEADER_FOOTER:
                return HEADER_FOOTER[tag], ""
            if tag == TEXT + "note":
                return (
                    "endnote" if ancestor.get(TEXT + "note-class") == "endnote" else "footnote"
                ), ""
            if tag == DRAW + "text-box":
                return "text_box", ""
            if tag == TABLE + "table-cell":
                return "table_cell", ""
            if tag in (TEXT + "list-item", TEXT + "list-header") and paragraph.tag != TEXT + "h":
                return "list_item", ""
        if paragraph.tag == TEXT + "h":
            return "heading", paragraph.get(TEXT + "outline-level", "1")
        for name in self.styles.chain(style):
            display = self.styles.display.get(name, name.lower())
            if display in STYLE_ROLES:
                return STYLE_ROLES[display], ""
            if display.startswith("heading ") and display[8:].isdigit():
                return "heading", display[8:]
        return "paragraph", ""

    def _content(self, unit: Unit, element: Any, spans: tuple[str, ...], link: int) -> None:
        """The text and children of `element`, inside the spans `spans` (outer first)."""
        key = self._key(spans)
        self._text(unit, element.text, key, spans, link)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):  # a comment or processing instruction
                pass
            elif tag == TEXT + "span":
                style = child.get(TEXT + "style-name", "")
                if style in self.styles.hidden or self._skipped(style):
                    unit.items.append(Item("placeholder", link=link, data=child))
                else:
                    self._content(unit, child, (*spans, style), link)
            elif tag == TEXT + "a" and link < 0:
                unit.links.append(child)
                self._content(unit, child, spans, len(unit.links) - 1)
            elif tag == TEXT + "s":
                count = child.get(TEXT + "c", "1")
                self._text(unit, " " * (int(count) if count.isdigit() else 1), key, spans, link)
            elif tag in MARKERS:
                has_text = any(i.kind == "text" and i.text.strip() for i in unit.items)
                (unit.trail if has_text else unit.lead).append(child)
            elif tag not in DROPPED:
                unit.items.append(Item("placeholder", link=link, data=child))
            self._text(unit, child.tail, key, spans, link)

    def _text(
        self, unit: Unit, text: str | None, key: Hashable, spans: tuple[str, ...], link: int
    ) -> None:
        if text:
            unit.items.append(Item("text", text, key, spans or None, link=link))

    def _key(self, spans: tuple[str, ...]) -> Hashable:
        found: dict[str, str] = {}
        for style in spans:
            for name, value in self.styles.key(style):  # type: ignore[attr-defined]
                found[name] = value
        return frozenset(found.items())


def _label(key: Hashable, home: Hashable) -> str:
    added = set(key) - set(home or ())  # type: ignore[call-overload]
    removed = set(home or ()) - set(key)  # type: ignore[call-overload]
    labels = set()
    for name, value in added:
        if name == FO + "font-weight" and value == "bold":
            labels.add("b")
        elif name == FO + "font-style" and value == "italic":
            labels.add("i")
        elif name.startswith(STYLE + "text-underline") and value != "none":
            labels.add("u")
        elif name == STYLE + "text-position" and value != "0%":
            labels.add("sub" if value.startswith("-") or value.startswith("sub") else "sup")
        elif name == "parent":
            labels.add("s")
        elif name.endswith("-asian") or name.endswith("-complex"):
            continue  # the same change for other scripts
        else:
            labels.add("g")
    return labels.pop() if len(labels) == 1 and not removed else "g"
