"""The DOCX edition: the source package, with only the translated paragraphs written again.

The package is read again (readers/docx.py walks it the same way), and only the units with
a translated segment change: a paragraph keeps its properties, bookmarks and comment ranges
(moved to its start or end), and each placeholder element as it was (a footnote reference,
a drawing with its text box, a field); its text becomes runs again, one per stretch of the
same formatting, with the run properties of the source run that formatting came from.
Every other part, and every other paragraph, keeps its bytes; with nothing translated, the
edition is the source package part for part.

The language: translated runs say `w:lang` of the edition; when anything is translated, the
styles' defaults (and every style that named the source language) say it too, each passage
left in the source language says the source's, and so do the runs of paragraphs left as
they were; the core properties get `dc:language`. A right-to-left language gets `w:rtl` on
its runs and `w:bidi` on the paragraphs it is in.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from tirage.document import Document
from tirage.editions.office import (
    Piece,
    language_tag,
    parse_unit,
    plain_text,
    reopen,
    serialize,
    unit_texts,
)
from tirage.editions.render import Translations
from tirage.languages import text_direction
from tirage.readers.docx import DC, W, walk_docx
from tirage.readers.office_inline import Unit
from tirage.readers.package import write_package

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The order ECMA-376 gives the children of w:rPr and w:pPr (Word refuses others).
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def render_docx(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool = False,
    keep: tuple[str, ...] = (),
    credit: str = "",
) -> bytes:
    data, package, walk = reopen(doc, "docx", walk_docx)
    texts = unit_texts(doc, translations, lang, include_fuzzy, keep)
    if not texts:  # nothing translated: the edition is the source, byte for byte
        return data
    target, source = language_tag(lang), language_tag(source_lang)
    rtl = text_direction(lang) == "rtl"
    changed: set[str] = set()
    readable = {int(block.attrs["unit"]) for block in doc.blocks}
    for index, unit in enumerate(walk.units):
        if unit.attribute is None and unit.plain:
            if index in texts:
                unit.element.text = plain_text(texts[index])
                changed.add(unit.part)
            continue
        if unit.attribute is not None:
            if index in texts:
                unit.element.set(unit.attribute, plain_text(texts[index]))
                changed.add(unit.part)
            continue
        if index in texts:
            _rebuild(unit, parse_unit(unit, texts[index]), target, source, rtl)
            changed.add(unit.part)
        elif index in readable:  # text left in the source language
            _mark_runs(unit.element, source)
            changed.add(unit.part)
    if credit and walk.main_part in walk.trees:
        _add_credit(walk.trees[walk.main_part].getroot(), credit, target, rtl)
        changed.add(walk.main_part)
    if walk.styles_part and walk.styles_part in package.names:
        walk.trees[walk.styles_part] = styles = package.xml(walk.styles_part)
        _style_languages(styles.getroot(), target, source_lang, rtl)
        changed.add(walk.styles_part)
    if walk.core_part:
        _core_language(walk.trees[walk.core_part].getroot(), target)
        changed.add(walk.core_part)
    return write_package(package, {part: serialize(walk.trees[part]) for part in changed})


def _rebuild(unit: Unit, pieces: list[Piece], target: str, source: str, rtl: bool) -> None:
    paragraph = unit.element
    ppr = paragraph.find(W + "pPr")
    for child in list(paragraph):
        if child is not ppr:
            paragraph.remove(child)
    for marker in unit.lead:
        paragraph.append(marker)
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
            for rpr, elements in piece.data:
                holder = container
                if rpr is not None:
                    holder = container.makeelement(W + "r", {})
                    holder.append(deepcopy(rpr))
                    container.append(holder)
                for element in elements:
                    holder.append(element)
            continue
        fmt = piece.fmt
        if fmt is None:
            fmt = unit.link_base.get(piece.link) if piece.link >= 0 else unit.base
        run = container.makeelement(W + "r", {})
        rpr = deepcopy(fmt) if fmt is not None else run.makeelement(W + "rPr", {})
        if piece.source_lang:
            _set_child(rpr, "lang", RPR_ORDER).set(W + "val", source)
        else:
            _language(_set_child(rpr, "lang", RPR_ORDER), target, rtl)
            if rtl:
                _set_child(rpr, "rtl", RPR_ORDER)
        run.append(rpr)
        text = run.makeelement(W + "t", {})
        text.text = piece.text
        if piece.text != piece.text.strip():
            text.set(XML_SPACE, "preserve")
        run.append(text)
        container.append(run)
    for marker in unit.trail:
        paragraph.append(marker)
    if rtl:
        if ppr is None:
            ppr = paragraph.makeelement(W + "pPr", {})
            paragraph.insert(0, ppr)
        _set_child(ppr, "bidi", PPR_ORDER)


# Paragraph and run properties the credit line does not take from the paragraph it follows:
# a section break, a list number, a page break, a frame, an outline level, hidden text.
_NOT_CLONED = ("sectPr", "numPr", "pPrChange", "framePr", "outlineLvl", "pageBreakBefore")
_RUN_NOT_CLONED = ("vanish", "specVanish", "webHidden", "rPrChange")


def _add_credit(root: Any, credit: str, target: str, rtl: bool) -> None:
    """The credit line, a new last paragraph of the body (before its final `w:sectPr`), with
    the properties of the body's last paragraph and of its first run."""
    body = root.find(W + "body")
    if body is None:
        return
    paragraph = body.makeelement(W + "p", {})
    last = next((child for child in reversed(body) if child.tag == W + "p"), None)
    rpr = None
    if last is not None:
        ppr = last.find(W + "pPr")
        if ppr is not None:
            ppr = deepcopy(ppr)
            for name in _NOT_CLONED:
                for child in ppr.findall(W + name):
                    ppr.remove(child)
            paragraph.append(ppr)
        run = next((r for r in last.iter(W + "r") if r.find(W + "t") is not None), None)
        if run is not None and run.find(W + "rPr") is not None:
            rpr = deepcopy(run.find(W + "rPr"))
            for name in _RUN_NOT_CLONED:
                for child in rpr.findall(W + name):
                    rpr.remove(child)
    run = paragraph.makeelement(W + "r", {})
    rpr = rpr if rpr is not None else run.makeelement(W + "rPr", {})
    _language(_set_child(rpr, "lang", RPR_ORDER), target, rtl)
    if rtl:
        _set_child(rpr, "rtl", RPR_ORDER)
        ppr = paragraph.find(W + "pPr")
        _set_child(ppr if ppr is not None else _new_ppr(paragraph), "bidi", PPR_ORDER)
    run.append(rpr)
    text = run.makeelement(W + "t", {})
    text.text = credit
    run.append(text)
    paragraph.append(run)
    final = body[-1] if len(body) else None
    if final is not None and final.tag == W + "sectPr":
        final.addprevious(paragraph)
    else:
        body.append(paragraph)


def _new_ppr(paragraph: Any) -> Any:
    ppr = paragraph.makeelement(W + "pPr", {})
    paragraph.insert(0, ppr)
    return ppr


def _mark_runs(paragraph: Any, source: str) -> None:
    """A paragraph left in the source language says so on each run without a language."""
    runs = list(paragraph.iterchildren(W + "r"))
    for link in paragraph.iterchildren(W + "hyperlink"):
        runs.extend(link.iterchildren(W + "r"))
    for run in runs:
        rpr = run.find(W + "rPr")
        if rpr is None:
            rpr = run.makeelement(W + "rPr", {})
            run.insert(0, rpr)
        if rpr.find(W + "lang") is None:
            _set_child(rpr, "lang", RPR_ORDER).set(W + "val", source)


def _set_child(parent: Any, name: str, order: list[str]) -> Any:
    """The child `w:name` of a properties element, made in its schema place if missing."""
    found = parent.find(W + name)
    if found is not None:
        return found
    element = parent.makeelement(W + name, {})
    rank = order.index(name)
    for index, child in enumerate(parent):
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local in order and order.index(local) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _style_languages(root: Any, target: str, source_lang: str, rtl: bool) -> None:
    """The document defaults, and each style that named the source language, say the
    edition's language."""
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if defaults is None:
        holder = root.find(W + "docDefaults")
        if holder is None:
            holder = root.makeelement(W + "docDefaults", {})
            root.insert(0, holder)
        default = holder.find(W + "rPrDefault")
        if default is None:
            default = holder.makeelement(W + "rPrDefault", {})
            holder.insert(0, default)
        defaults = default.makeelement(W + "rPr", {})
        default.append(defaults)
    lang = _set_child(defaults, "lang", RPR_ORDER)
    _language(lang, target, rtl)
    prefix = source_lang.replace("_", "-").split("-")[0].lower()
    for element in root.iter(W + "lang"):
        value = element.get(W + "val", "")
        if value.lower().split("-")[0] == prefix:
            element.set(W + "val", target)


def _language(element: Any, target: str, rtl: bool) -> None:
    """A `w:lang`: Word reads `w:val` for Latin text, `w:bidi` for right-to-left scripts and
    `w:eastAsia` for Chinese, Japanese and Korean."""
    element.set(W + "val", target)
    if rtl:
        element.set(W + "bidi", target)
    if target.split("-")[0] in ("zh", "ja", "ko"):
        element.set(W + "eastAsia", target)


def _core_language(root: Any, target: str) -> None:
    found = root.find(DC + "language")
    if found is None:
        found = root.makeelement(DC + "language", {})
        root.append(found)
    found.text = target
