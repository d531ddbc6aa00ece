"""The HTML edition of an HTML source: the page's own markup, each segment translated in place.

- Text segments keep the tags of their msgid as the translator placed them; anything else in a
  translation is escaped (`markup.write_fragment`), and typography touches text only.
- Attribute segments are escaped for the quotes they sit in.
- The page says what it now is: `<html lang dir>` set to the edition's language (and
  `xml:lang` when the page has it), the charset declaration set to UTF-8 (editions are
  UTF-8), and the `<link rel="alternate" hreflang>` of the original and each published
  language (the same links as every other edition's), just before `</head>`.
- Given the source language, every passage left in it is marked: `lang` on its element when
  the whole element is left untranslated (and declares no language of its own), otherwise the
  passage wrapped in `<span lang>` (never inside `<title>` or `<option>`, whose content is
  text, nor around a passage whose tags are not balanced). The root `lang` stays the
  edition's language.
With no translation and no alternates, the edition differs from the source in those head
edits only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from tirage.document import Block, Document, Segment
from tirage.editions.metadata import link_elements
from tirage.editions.render import Edit, Transform, Translations, apply_edits, segment_edits
from tirage.editions.typography import apply_typography
from tirage.languages import text_direction
from tirage.text.html_markup import fragment_tokens, write_attribute, write_fragment


def html_transform(doc: Document, lang: str) -> Transform:
    """Fits a translation to its place in HTML: text with its inline markup, or an attribute
    value. Also used for the HTML blocks of a Markdown source."""
    blocks: dict[int, Block] = {id(s): b for b in doc.blocks for s in b.segments}

    def typography(text: str) -> str:
        return apply_typography(text, lang)

    def transform(segment: Segment, msgstr: str) -> str:
        block = blocks.get(id(segment))
        if block is not None and "attribute" in block.attrs:
            quote = block.attrs.get("quote", '"')
            return write_attribute(typography(unescape(msgstr)), quote)
        return write_fragment(msgstr, segment.text, typography)

    return transform


def render_html_source(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool = False,
    alternates: Sequence[tuple[str, str]] = (),
    source_lang: str = "",
) -> str:
    """The page in `lang`; `alternates` are (hreflang, href) of the original and the
    published editions (`metadata.Links.alternates`). Given `source_lang` (and another
    `lang`), the passages left in it are marked `lang`."""
    transform = html_transform(doc, lang)
    mark = source_lang.replace("_", "-") if source_lang and source_lang != lang else ""
    edits: list[Edit] = []
    for block in doc.blocks:
        left: list[Segment] = []
        for segment in block.segments:
            msgstr = translations.choose(segment, include_fuzzy)
            if msgstr is not None:
                edits.extend(segment_edits(doc.text, segment, transform(segment, msgstr)))
            else:
                left.append(segment)
        if mark and left:
            edits.extend(_language_marks(doc.text, block, left, mark))
    edits.extend(head_edits(doc, lang, alternates))
    return apply_edits(doc.text, edits)


_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_ANY_TAG = re.compile(r"<[^>]*>")
_HAS_LANG = re.compile(r"\s(?:xml:)?lang\s*=", re.IGNORECASE)
# Elements whose content is text only: a <span> in them would show as text.
_TEXT_ONLY = frozenset({"title", "option", "textarea"})


def _language_marks(text: str, block: Block, left: list[Segment], mark: str) -> list[Edit]:
    """`lang` on the block's element when the whole element is left in the source language,
    else each passage left in it wrapped in `<span lang>`."""
    if "attribute" in block.attrs:
        return []  # an attribute value cannot carry a language of its own
    declared = block.attrs.get("lang", "")
    if declared and _primary(declared) != _primary(mark):
        return []  # the page says this passage is in another language: it is not the source's
    attr = f' lang="{escape(mark)}"'
    name = block.attrs.get("element_name", "")
    if "element" in block.attrs and len(left) == len(block.segments):
        start, tag_end, end = (int(n) for n in block.attrs["element"].split(","))
        first, last = left[0].span[0], left[-1].span[1]
        tag = text[start:tag_end]
        found = _TAG_NAME.match(tag)
        whole = not _visible(text[tag_end:first]) and not _visible(text[last:end])
        if whole and found:
            if _HAS_LANG.search(tag):
                return []  # it says its language already: the source's (see above)
            return [Edit(start + found.end(), start + found.end(), attr)]
    if name in _TEXT_ONLY:
        return []
    edits = []
    for segment in left:
        a, b = segment.span
        if _balanced(text[a:b]):
            edits.append(Edit(a, b, f"<span{attr}>{text[a:b]}</span>"))
    return edits


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].strip().lower()


def _visible(html: str) -> bool:
    return bool(unescape(_ANY_TAG.sub("", html)).strip())


def _balanced(fragment: str) -> bool:
    """Every element opened in the fragment is closed in it, and none closed that it did not
    open (void elements and never-translated ones whole aside)."""
    depth: dict[str, int] = {}
    for token in fragment_tokens(fragment):
        if token.kind == "start":
            depth[token.name] = depth.get(token.name, 0) + 1
        elif token.kind == "end":
            if not depth.get(token.name):
                return False
            depth[token.name] -= 1
    return not any(depth.values())


def head_edits(doc: Document, lang: str, alternates: Sequence[tuple[str, str]]) -> list[Edit]:
    """lang and dir on <html>, the charset as UTF-8, the hreflang links."""

    marks = doc.marks
    code = lang.replace("_", "-")
    direction = text_direction(lang)
    edits: list[Edit] = []
    if "html" in marks:
        insert_at = marks["html"][0] + len("<html")
        for key, name, value in (("lang", "lang", code), ("dir", "dir", direction)):
            if key in marks:
                edits.append(_value_edit(doc.text, marks[key], value))
            else:
                edits.append(Edit(insert_at, insert_at, f' {name}="{value}"'))
        if "xml_lang" in marks:
            edits.append(_value_edit(doc.text, marks["xml_lang"], code))
    else:
        at = _prologue_end(doc)
        edits.append(Edit(at, at, f'<html lang="{code}" dir="{direction}">'))
    if "xml_encoding" in marks:
        edits.append(_value_edit(doc.text, marks["xml_encoding"], "UTF-8"))
    if "charset" in marks:
        edits.append(_value_edit(doc.text, marks["charset"], "utf-8"))
    if "content_type" in marks:
        edits.append(_value_edit(doc.text, marks["content_type"], "text/html; charset=utf-8"))
    if "charset" not in marks and "content_type" not in marks:
        at = _head_start(doc)
        edits.append(Edit(at, at, '<meta charset="utf-8">'))
    links = alternate_links(alternates)
    if links:
        at = marks["head_end"][0] if "head_end" in marks else _head_start(doc)
        edits.append(Edit(at, at, links))
    return edits


def alternate_links(alternates: Sequence[tuple[str, str]]) -> str:
    """The `<link rel="alternate" hreflang>` elements, one a line (metadata.py writes them)."""
    return "".join(f"{link}\n" for link in link_elements(alternates))


def _head_start(doc: Document) -> int:
    if "head_start" in doc.marks:
        return doc.marks["head_start"][0]
    if "html" in doc.marks:
        return doc.marks["html"][1]
    return _prologue_end(doc)


def _prologue_end(doc: Document) -> int:
    """Where the page's content starts: after the doctype and the comments before it."""
    if "content" in doc.marks:
        return doc.marks["content"][0]
    return doc.marks["doctype"][1] if "doctype" in doc.marks else 0


def _value_edit(text: str, span: tuple[int, int], value: str) -> Edit:
    """Replace an attribute value (an unquoted one gets quotes if it needs them)."""
    start, end = span
    quote = text[start - 1 : start]
    quoted = quote in ("'", '"') and text[end : end + 1] == quote
    return Edit(start, end, value if quoted or " " not in value else f'"{value}"')
