"""The Markdown edition.

- A Markdown source is rebuilt from its own spans (front matter keys, code blocks, markup and
  spacing survive exactly); a translation is fitted to where it goes: one line in a heading or
  table cell, `|` escaped in a cell, YAML quoting in front matter.
- A text source is written with its editorial structure: kicker in emphasis, title as `#`,
  standfirst in bold, questions as `##` headings, answers and paragraphs as they are, and
  the credit line last. Its text is escaped, so nothing in it turns into markup.
  A block repeated verbatim in the source (`repeat`) is written once.
- A translation never brings markup its source segment lacks (`<script>`, an `onerror=`
  attribute, a `javascript:` or `data:` link, an HTML comment…): such a translation is
  escaped whole, so a reader sees the characters the translator typed, as in the HTML
  edition. (In YAML front matter, which has no such escape, the original value stays.)
- Given the source language, a passage left in it is labelled with a visible `[fr]`
  (not in YAML front matter, where it would change the value's type), and a credit line
  closes a Markdown source's edition too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tirage.document import Document, Segment
from tirage.editions.html_source import html_transform
from tirage.editions.render import (
    FALLBACK_START,
    Transform,
    Translations,
    block_text,
    fallback_label,
    marked_edits,
    refuse_html_source,
    strip_marks,
    trail_text,
    translated_source,
    with_credit,
)
from tirage.editions.typography import apply_typography

_ONE_LINE_ROLES = {
    "heading",
    "table_cell",
    "front_matter",
    "link_title",
    # the Markdown dialects (readers/markdown_dialects.py): syntax ends their line
    "admonition_title",
    "directive_title",
    "abbreviation",
    "term",
    "shortcode_parameter",
}
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_YAML_PLAIN_UNSAFE = re.compile(r"^[\s!&*\-?:,\[\]{}#|>@`\"'%]|: | #|:$|\s$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([#>+=-])|^(\d+)([.)])")


def render_markdown(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    fallback_lang: str = "",
    keep: Sequence[str] = (),
) -> str:
    """`keep`: the glossary's do-not-translate terms, which typography leaves as they are."""
    refuse_html_source(doc, "Markdown")
    args = (doc, translations, lang, include_fuzzy, credit, fallback_lang, keep)
    if doc.format == "markdown":
        return render_markdown_source(*args)
    return render_markdown_from_text(*args)


def render_markdown_source(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    fallback_lang: str = "",
    keep: Sequence[str] = (),
) -> str:
    """Byte for byte the source where nothing is translated and no credit or label is asked."""
    transform = markdown_transform(doc, lang, keep)
    mark = escape_markdown(fallback_label(fallback_lang)) if fallback_lang else ""

    def label(segment: Segment) -> str:
        return "" if segment.role == "front_matter" else mark

    text = translated_source(doc, translations, include_fuzzy, transform, label)
    return with_credit(text, "*" + escape_markdown(credit) + "*" if credit else "", "---")


def markdown_transform(doc: Document, lang: str, keep: Sequence[str] = ()) -> Transform:
    """Fits a translation to its place in a Markdown source."""
    in_html = {id(s) for b in doc.blocks if b.attrs.get("markup") == "html" for s in b.segments}
    html = html_transform(doc, lang) if in_html else None

    def transform(segment: Segment, msgstr: str) -> str:
        if html is not None and id(segment) in in_html:  # inside a raw HTML block
            return html(segment, msgstr)
        text = apply_typography(msgstr, lang, keep)
        if adds_markup(segment.text, msgstr):
            if segment.role == "front_matter":  # YAML has no escape for it: the original
                return doc.text[segment.span[0] : segment.span[1]]
            text = escape_markdown(text)  # shown as the characters typed, as in HTML
        if segment.role in _ONE_LINE_ROLES:
            text = " ".join(text.split("\n"))
        if segment.role == "table_cell":
            text = _UNESCAPED_PIPE.sub(r"\\|", text)
        elif segment.role == "front_matter":
            text = _yaml_value(doc.text, segment, text)
        elif segment.role in ("link_title", "shortcode_parameter"):  # escape its quote
            closing = doc.text[segment.span[1] : segment.span[1] + 1]
            text = text.replace("\\", "\\\\").replace(closing, "\\" + closing)
        return text

    return transform


def adds_markup(source: str, translation: str) -> bool:
    """Whether a translation has markup its source segment has not: an HTML tag, comment
    or attribute, a Markdown link, a link scheme other than http(s) and mailto (the
    `markup` check's error). Such a translation is written as text, escaped."""
    # quality.checks imports the editions' typography: imported here, not at the top.
    from tirage.quality.checks import Context, added_markup

    return next(added_markup(source, translation, Context("", "")), None) is not None


def _yaml_value(source: str, segment: Segment, text: str) -> str:
    """`text` fitted in the YAML scalar the segment's span sits in."""
    start, end = segment.span
    before = source[start - 1] if start > 0 else ""
    after = source[end] if end < len(source) else ""
    if before == after == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"')
    if before == after == "'":
        return text.replace("'", "''")
    if _YAML_PLAIN_UNSAFE.search(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as that text."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text
    )


# How a text source's roles are written: (prefix, suffix).
_TEXT_ROLES: dict[str, tuple[str, str]] = {
    "kicker": ("*", "*"),
    "title": ("# ", ""),
    "breadcrumb": ("", ""),
    "standfirst": ("**", "**"),
    "question": ("## ", ""),
    "answer": ("", ""),
    "paragraph": ("", ""),
    "list_item": ("- ", ""),
    "version": ("### ", ""),
}
_BACKTICKS = re.compile("`+")


def render_markdown_from_text(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    fallback_lang: str = "",
    keep: Sequence[str] = (),
) -> str:
    def transform(segment: Segment, msgstr: str) -> str:
        return apply_typography(msgstr, lang, keep)

    label = fallback_label(fallback_lang) if fallback_lang else ""
    edits = marked_edits(doc, translations, include_fuzzy, transform)
    parts: list[str] = []
    for block in doc.blocks:
        if block.attrs.get("repeat"):
            continue
        text = strip_marks(block_text(doc, block, edits).replace(FALLBACK_START, label))
        if not text:
            continue
        if block.role == "code":  # commands and code, as written, in a fence they cannot close
            raw = doc.text[block.span[0] : block.span[1]].replace("\r\n", "\n")
            fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(raw)), default=0))
            parts.append(f"{fence}\n{raw.rstrip(chr(10))}\n{fence}")
            continue
        if block.role == "breadcrumb":
            text = trail_text(text)
        prefix, suffix = _TEXT_ROLES.get(block.role, ("", ""))
        if block.role == "heading":
            prefix = "#" * int(block.attrs.get("level", "2") or 2) + " "
        parts.append(prefix + escape_markdown(text) + suffix)
    if credit:
        parts.extend(["---", "*" + escape_markdown(credit) + "*"])
    return "\n\n".join(parts) + "\n"
