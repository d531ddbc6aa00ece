"""The ODT edition: the source package, with only the translated paragraphs written again.

As for DOCX (editions/docx.py): the package is walked again, and only the units with a
translated segment change. A paragraph keeps its style, its bookmarks (at its start or end)
and each placeholder element as it was (a note with its body, a frame, a field); its text
becomes spans again, with the automatic style the source used for that formatting.

The language: when anything is translated, the default styles (and each style that named the
source language) say the edition's language, meta.xml gets `dc:language`; each passage left
in the source language, and each paragraph left as it was, sits in a span of an automatic
style that says the source language (`fo:language`, `fo:country`). A translated passage whose
own automatic style names a language gets the edition's. A right-to-left language gets
`style:writing-mode="rl-tb"` in the default paragraph style.
"""

from __future__ import annotations

import re
from typing import Any

from tirage.document import Document
from tirage.editions.office import (
    Piece,
    language_parts,
    parse_unit,
    plain_text,
    reopen,
    serialize,
    unit_texts,
)
from tirage.editions.render import Translations
from tirage.languages import text_direction
from tirage.readers.odt import DC, FO, OFFICE, STYLE, TEXT, walk_odt
from tirage.readers.office_inline import Unit
from tirage.readers.package import write_package

_SPACES = re.compile(r"  +")
STYLE_PREFIX = "TirageLanguage_"


def render_odt(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool = False,
    keep: tuple[str, ...] = (),
    credit: str = "",
) -> bytes:
    data, package, walk = reopen(doc, "odt", walk_odt)
    texts = unit_texts(doc, translations, lang, include_fuzzy, keep)
    if not texts:  # nothing translated: the edition is the source, byte for byte
        return data
    languages = {
        part: _Languages(tree.getroot(), lang, source_lang) for part, tree in walk.trees.items()
    }
    changed: set[str] = set()
    readable = {int(block.attrs["unit"]) for block in doc.blocks}
    for index, unit in enumerate(walk.units):
        if unit.plain:
            if index in texts:
                unit.element.text = plain_text(texts[index])
                changed.add(unit.part)
            continue
        marks = languages[unit.part]
        if index in texts:
            _rebuild(unit, parse_unit(unit, texts[index]), marks)
            changed.add(unit.part)
        elif index in readable:  # text left in the source language
            _wrap(unit.element, marks.source_style())
            changed.add(unit.part)
    if credit:
        content = walk.trees["content.xml"].getroot()
        _add_credit(content, credit, languages["content.xml"])
        changed.add("content.xml")
    if "styles.xml" in walk.trees:
        _style_languages(
            walk.trees["styles.xml"].getroot(), lang, source_lang, text_direction(lang) == "rtl"
        )
        changed.add("styles.xml")
    if "meta.xml" in walk.trees:
        _meta_language(walk.trees["meta.xml"].getroot(), lang)
        changed.add("meta.xml")
    return write_package(package, {part: serialize(walk.trees[part]) for part in changed})


class _Languages:
    """The automatic styles of one part that mark a language, made when first needed."""

    def __init__(self, root: Any, lang: str, source_lang: str) -> None:
        self.root = root
        self.lang = lang
        self.source_lang = source_lang
        self.made: dict[str, str] = {}
        self.with_language: set[str] = set()
        holder = root.find(OFFICE + "automatic-styles")
        for style in holder.iter(STYLE + "style") if holder is not None else ():
            props = style.find(STYLE + "text-properties")
            if props is not None and props.get(FO + "language"):
                self.with_language.add(style.get(STYLE + "name", ""))

    def source_style(self) -> str:
        return self._style(self.source_lang)

    def target_style(self) -> str:
        return self._style(self.lang)

    def _style(self, lang: str) -> str:
        if lang in self.made:
            return self.made[lang]
        holder = self.root.find(OFFICE + "automatic-styles")
        if holder is None:
            holder = self.root.makeelement(OFFICE + "automatic-styles", {})
            body = self.root.find(OFFICE + "body")
            master = self.root.find(OFFICE + "master-styles")
            anchor = body if body is not None else master
            if anchor is not None:
                anchor.addprevious(holder)
            else:
                self.root.append(holder)
        name = STYLE_PREFIX + lang.replace("-", "_")
        style = holder.makeelement(
            STYLE + "style", {STYLE + "name": name, STYLE + "family": "text"}
        )
        props = style.makeelement(STYLE + "text-properties", {})
        code, region = language_parts(lang)
        props.set(FO + "language", code)
        props.set(FO + "country", region or "none")
        style.append(props)
        holder.append(style)
        self.made[lang] = name
        return name


def _rebuild(unit: Unit, pieces: list[Piece], marks: _Languages) -> None:
    paragraph = unit.element
    for child in list(paragraph):
        paragraph.remove(child)
    paragraph.text = None
    for marker in unit.lead:
        marker.tail = None
        paragraph.append(marker)
    own_language = paragraph.get(TEXT + "style-name", "") in marks.with_language
    container, open_link = paragraph, -1
    for piece in pieces:
        if piece.link != open_link:
            open_link = piece.link
            container = paragraph
            if open_link >= 0:
                original = unit.links[open_link]
                container = paragraph.makeelement(original.tag, dict(original.attrib))
                paragraph.append(container)
        if piece.kind == "placeholder":
            piece.data.tail = None
            container.append(piece.data)
            continue
        spans = piece.fmt
        if spans is None:
            spans = unit.link_base.get(piece.link) if piece.link >= 0 else unit.base
        names = list(spans or ())
        if piece.source_lang:
            names.append(marks.source_style())
        elif own_language or any(name in marks.with_language for name in names):
            names.append(marks.target_style())
        holder = container
        for name in names:
            span = holder.makeelement(TEXT + "span", {TEXT + "style-name": name})
            holder.append(span)
            holder = span
        _add_text(
            holder,
            piece.text,
            at_start=holder is paragraph and len(paragraph) == 0 and not paragraph.text,
        )
    for marker in unit.trail:
        marker.tail = None
        paragraph.append(marker)


def _add_text(holder: Any, text: str, at_start: bool) -> None:
    """Text with its runs of spaces kept (ODF collapses them): `text:s` for each extra one."""
    if at_start and text.startswith(" "):
        text = text.lstrip(" ")
    position = 0
    for found in _SPACES.finditer(text):
        _append(holder, text[position : found.start() + 1])
        space = holder.makeelement(TEXT + "s", {})
        extra = len(found.group(0)) - 1
        if extra > 1:
            space.set(TEXT + "c", str(extra))
        holder.append(space)
        position = found.end()
    _append(holder, text[position:])


def _append(holder: Any, text: str) -> None:
    if not text:
        return
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + text
    else:
        holder.text = (holder.text or "") + text


def _add_credit(root: Any, credit: str, marks: _Languages) -> None:
    """The credit line, a new last paragraph of office:text, in the style of its last
    paragraph (or that style's parent, when the style starts a page) and in a span that says
    the edition's language."""
    text = root.find(f"{OFFICE}body/{OFFICE}text")
    if text is None:
        return
    paragraph = text.makeelement(TEXT + "p", {})
    last = next((child for child in reversed(text) if child.tag == TEXT + "p"), None)
    style = _unbroken_style(root, last.get(TEXT + "style-name", "")) if last is not None else ""
    if style:
        paragraph.set(TEXT + "style-name", style)
    span = paragraph.makeelement(TEXT + "span", {TEXT + "style-name": marks.target_style()})
    paragraph.append(span)
    _add_text(span, credit, at_start=True)
    text.append(paragraph)


def _unbroken_style(root: Any, name: str) -> str:
    """An automatic paragraph style that starts a page or column (a master page, a break
    before) gives way to the style it is based on."""
    holder = root.find(OFFICE + "automatic-styles")
    for style in holder.iter(STYLE + "style") if holder is not None else ():
        if style.get(STYLE + "name") != name:
            continue
        props = style.find(STYLE + "paragraph-properties")
        breaks = props is not None and props.get(FO + "break-before") in ("page", "column")
        if style.get(STYLE + "master-page-name") or breaks:
            return str(style.get(STYLE + "parent-style-name", ""))
    return name


def _wrap(paragraph: Any, style: str) -> None:
    """A paragraph left as it was, in a span that says the source language."""
    if not paragraph.text and not len(paragraph):
        return
    span = paragraph.makeelement(TEXT + "span", {TEXT + "style-name": style})
    span.text, paragraph.text = paragraph.text, None
    for child in list(paragraph):
        span.append(child)  # its tail comes with it
    paragraph.append(span)


def _style_languages(root: Any, lang: str, source_lang: str, rtl: bool) -> None:
    code, region = language_parts(lang)
    source_code = language_parts(source_lang)[0]
    styles = root.find(OFFICE + "styles")
    if styles is None:
        return
    defaults = [
        s for s in styles.iter(STYLE + "default-style") if s.get(STYLE + "family") == "paragraph"
    ]
    if not defaults:
        default = styles.makeelement(STYLE + "default-style", {STYLE + "family": "paragraph"})
        styles.insert(0, default)
        defaults = [default]
    for default in defaults:
        props = default.find(STYLE + "text-properties")
        if props is None:
            props = default.makeelement(STYLE + "text-properties", {})
            default.append(props)
        props.set(FO + "language", code)
        props.set(FO + "country", region or "none")
        if rtl:
            paragraph = default.find(STYLE + "paragraph-properties")
            if paragraph is None:
                paragraph = default.makeelement(STYLE + "paragraph-properties", {})
                default.insert(0, paragraph)
            paragraph.set(STYLE + "writing-mode", "rl-tb")
    for props in root.iter(STYLE + "text-properties"):
        made = props.getparent().get(STYLE + "name", "").startswith(STYLE_PREFIX)
        if not made and props.get(FO + "language", "").lower() == source_code:
            props.set(FO + "language", code)
            props.set(FO + "country", region or "none")


def _meta_language(root: Any, lang: str) -> None:
    meta = root.find(OFFICE + "meta")
    if meta is None:
        return
    found = meta.find(DC + "language")
    if found is None:
        found = meta.makeelement(DC + "language", {})
        meta.append(found)
    code, region = language_parts(lang)
    found.text = f"{code}-{region}" if region else code
