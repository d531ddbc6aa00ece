"""HTML pages and fragments, as a CMS or a web archive exports them.

The parser is the standard library's `html.parser`: it is tolerant (it never fails on bad
markup), streams in one linear pass, and reports where each tag, text and comment starts, so
every segment is an exact span of the source and an edition is the source with those spans
replaced. Over it sits a small stack of open elements that applies the HTML standard's
recovery rules that decide what is translated: end tags close what is open inside them, a
block closes an open `<p>`, `<li>`/`<dt>`/`<dd>`/`<option>`/`<tr>`/`<td>` close their open
siblings, stray end tags are ignored, and markup cut off at the end of the file is dropped.

What is translated: the text of every element outside the never-translated ones, one run of
inline content at a time (a run ends at any block), cut into sentences; inline markup stays
in the sentence as written; and the attributes people read (alt, title, aria-label,
placeholder, the value of a submit button, the description and Open Graph meta tags).
"""

from __future__ import annotations

import html.parser as html_parser
from dataclasses import dataclass, field
from pathlib import Path

from tirage.document import Block, Document, Segment, Span, line_of
from tirage.readers.charset import XML_ENCODING, meta_charset
from tirage.readers.html_runs import Run, attribute_segments, icon, run_segments
from tirage.text.html_markup import (
    INLINE,
    VOID,
    Scanner,
    broken_markup,
    never_translated,
)

# Role of the text of each element (the nearest one decides); anything else reads "text".
ROLES = {
    "title": "title",
    **{f"h{n}": "heading" for n in range(1, 7)},
    "p": "paragraph",
    "li": "list_item",
    "dt": "term",
    "dd": "definition",
    "td": "table_cell",
    "th": "table_cell",
    "caption": "caption",
    "figcaption": "figcaption",
    "blockquote": "quote",
    "summary": "summary",
    "label": "label",
    "button": "button",
    "option": "option",
    "legend": "legend",
}
# Containers whose role wins over a paragraph inside them (a <p> in a <li> is a list item).
_CONTAINERS = {"li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "summary"}
ATTRIBUTE_ROLES = {
    "alt": "alt",
    "title": "title_attribute",
    "aria-label": "aria_label",
    "placeholder": "placeholder",
}
META_ROLES = {
    "description": "meta_description",
    "og:title": "og_title",
    "og:description": "og_description",
    "twitter:title": "twitter_title",
    "twitter:description": "twitter_description",
}
_BUTTON_INPUTS = {"submit", "button", "reset"}
# The HTML standard's implied end tags: a start tag closes these open elements, looking down
# the stack no further than the boundary elements.
_P_CLOSERS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "li",
        "dd",
        "dt",
    }
)
_SIBLINGS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"optgroup", "option"}), frozenset({"select"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    **{
        name: (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"}))
        for name in ("thead", "tbody", "tfoot")
    },
}
_P_SCOPE = frozenset({"table", "td", "th", "button", "caption", "template", "object", "html"})
_HEAD_CONTENT = frozenset(
    ["title", "meta", "link", "style", "script", "base", "noscript", "template", "object"]
)


# -- reading -----------------------------------------------------------------------------------


@dataclass
class _Open:
    name: str
    role: str
    skip: bool  # never translated, nor anything inside
    opaque: bool  # an inline never-translated element inside a run
    start: int = -1  # where its start tag starts and ends
    tag_end: int = -1
    blocks: list[Block] = field(default_factory=list)  # the runs read while it held them
    lang: str = ""  # its own lang attribute (the root's aside: a page may misstate it)


@dataclass
class Marks:
    """Places in the page the HTML edition edits (spans in the source text)."""

    spans: dict[str, Span] = field(default_factory=dict)

    def set(self, name: str, span: Span) -> None:
        self.spans.setdefault(name, span)


class _Reader(Scanner):
    def __init__(self, source: str, lang: str) -> None:
        super().__init__(source)
        self.lang = lang
        self.blocks: list[Block] = []
        self.stack: list[_Open] = []
        self.open_count: dict[str, int] = {}
        self.run: Run | None = None
        self.opaque_start = -1
        self.marks = Marks()
        # The event waiting for its end offset (the next event's start): kind, start, name.
        self.pending: tuple[str, int, str] | None = None
        self.at_end = False  # html.parser is flushing what it could not parse
        self.cut_off_at = -1
        self.closing_at = 0  # where the element being closed now ends (its end tag's start)

    # Every event ends where the next starts; the pending one is settled then.
    def _event(self, kind: str, name: str = "") -> int:
        here = self.here()
        self._settle(here)
        self.pending = (kind, here, name)
        return here

    def _settle(self, end: int) -> None:
        if self.pending is None:
            return
        kind, start, name = self.pending
        self.pending = None
        if kind == "end":
            if name == "head":
                self.marks.set("head_end", (start, start))
            self._close(name, start, end)
        elif kind == "decl":
            self.marks.set("doctype", (start, end))
        elif kind in ("text", "comment", "other"):
            self._content(kind, start, end)

    def finish(self) -> Marks:
        self.at_end = True
        self.close()
        self._settle(len(self.source))
        self._flush()
        end = self.cut_off_at if self.cut_off_at >= 0 else len(self.source)
        for element in self.stack:  # left open: it ends with the page
            _element_of(element, end)
        return self.marks

    # -- the stack ------------------------------------------------------------------------

    def _push(self, element: _Open) -> None:
        self.stack.append(element)
        self.open_count[element.name] = self.open_count.get(element.name, 0) + 1

    def _pop(self) -> _Open:
        element = self.stack.pop()
        self.open_count[element.name] -= 1
        _element_of(element, self.closing_at)
        return element

    def _pop_through(self, name: str) -> None:
        while self.stack:
            if self._pop().name == name:
                return

    def _implied_ends(self, tag: str) -> None:
        if tag in _P_CLOSERS and self.open_count.get("p"):
            for element in reversed(self.stack):
                if element.name == "p":
                    self._pop_through("p")
                    break
                if element.name in _P_SCOPE:
                    break
        siblings = _SIBLINGS.get(tag)
        if siblings is not None:
            closes, boundary = siblings
            for element in reversed(self.stack):
                if element.name in closes:
                    self._pop_through(element.name)
                    break
                if element.name in boundary:
                    break
        heading = ROLES.get(tag) == "heading"
        if heading and self.stack and self.stack[-1].role == "heading":
            self._pop()
        if self.open_count.get("head") and tag not in _HEAD_CONTENT and tag != "head":
            self._pop_through("head")

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1].skip

    def _role(self) -> tuple[str, str]:
        paragraph = False
        for element in reversed(self.stack):
            if element.name in _CONTAINERS or (
                element.role and element.role not in ("paragraph", "text")
            ):
                level = element.name[1:] if element.role == "heading" else ""
                return element.role, level
            paragraph = paragraph or element.name == "p"
        return ("paragraph" if paragraph else "text"), ""

    # -- events ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._event("start", tag)
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        self._settle(end)
        self._start(tag, attrs, start, end, raw, void=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._event("start", tag)
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        self._settle(end)
        self._start(tag, attrs, start, end, raw, void=True)

    def handle_endtag(self, tag: str) -> None:
        self._event("end", tag)

    def handle_data(self, data: str) -> None:
        self._event("text")

    def handle_comment(self, data: str) -> None:
        self._event("comment")

    def handle_decl(self, decl: str) -> None:
        self._event("decl")

    def handle_pi(self, data: str) -> None:
        at = self._event("other")
        if data.startswith("xml"):
            raw_end = self.source.find(">", at)
            found = XML_ENCODING.search(self.source, at, raw_end)
            if found and "html" not in self.marks.spans:  # the page's own, not an SVG's
                self.marks.set("xml_encoding", found.span(2))

    def unknown_decl(self, data: str) -> None:
        self._event("other")

    def _start(
        self,
        tag: str,
        attrs: list[tuple[str, str | None]],
        start: int,
        end: int,
        raw: str,
        void: bool,
    ) -> None:
        self.marks.set("content", (start, start))
        if self.opaque_start >= 0:  # inside a never-translated inline element: one token
            if not void:
                self._push(_Open(tag, "", True, True))
            return
        inline = tag in INLINE or (void and tag not in ("hr",))
        skip = self.skipping
        if not inline:
            self._flush()
            self.closing_at = start
            self._implied_ends(tag)
        elif tag in INLINE and not (void or skip) and never_translated(tag, attrs):
            self.opaque_start = start  # travels whole inside the sentence
            self._push(_Open(tag, "", True, True))
            return
        if not skip:
            self._page_marks(tag, attrs, start, end, raw)
            self._attributes(tag, attrs, start, raw)
        if inline and not skip:
            if tag == "a" and self.run is not None and self.run.follows_link(self.source):
                self._flush()  # links side by side are a menu or a share bar, not a sentence
            if self.run is None:
                self.run = Run(*self._role())
            self.run.add_markup("void" if void else "start", start, end, tag)
            if tag == "br" and self.run.line_break_ends_segment(self.source):
                self._flush()
        if void:
            return
        role = ROLES.get(tag, "")
        values = dict(attrs)
        lang = "" if tag == "html" else (values.get("lang") or values.get("xml:lang") or "")
        skipped = skip or never_translated(tag, attrs)
        self._push(_Open(tag, role, skipped, False, start, end, lang=lang.strip()))

    def _close(self, tag: str, start: int, end: int) -> None:
        self.closing_at = start
        if not self.open_count.get(tag):  # a stray end tag
            if self.opaque_start >= 0:
                return
            if self.run is not None and tag in INLINE:
                self.run.add_markup("end", start, end, tag)  # kept as written
            else:
                self._flush()  # a browser makes an empty element of a stray </p>
            return
        if self.opaque_start >= 0:
            root = next(element.name for element in self.stack if element.opaque)
            self._pop_through(tag)
            if not any(element.opaque for element in self.stack):
                if tag == root:  # closed by its own end tag: it travels in the sentence
                    if self.run is None:
                        self.run = Run(*self._role())
                    kind = "icon" if icon(self.source[self.opaque_start : end], tag) else "opaque"
                    self.run.add_markup(kind, self.opaque_start, end, tag)
                else:  # left open: the sentence ends before it, and it stays as it is
                    self._flush()
                self.opaque_start = -1
            return
        if tag in INLINE:
            self._pop_through(tag)
            if self.run is not None and not self.skipping:
                self.run.add_markup("end", start, end, tag)
            return
        self._flush()
        self._pop_through(tag)

    def _content(self, kind: str, start: int, end: int) -> None:
        if self.cut_off_at >= 0 or self.opaque_start >= 0:
            return
        if kind == "text" and self.at_end and broken_markup(self.source, start):
            # Markup cut off by the end of the file: html.parser hands the rest back as
            # text; a browser drops an unfinished tag (an unfinished comment hides the rest).
            self.cut_off_at = start
            return
        if kind != "text":  # a comment, a doctype, a processing instruction: never in a segment
            self._flush()
            return
        if self.source[start:end].strip():
            self.marks.set("content", (start, start))
        if self.skipping:
            return
        if self.run is None:
            if not self.source[start:end].strip():
                return
            self.run = Run(*self._role())
        self.run.add_text(self.source, start, end)

    # -- attributes and head ----------------------------------------------------------------

    def _attributes(
        self, tag: str, attrs: list[tuple[str, str | None]], start: int, raw: str
    ) -> None:
        names = {name for name, _ in attrs}
        wanted = [n for n in ATTRIBUTE_ROLES if n in names]
        values = dict(attrs)
        meta_role = ""
        if tag == "meta":
            key = (values.get("name") or values.get("property") or "").strip().lower()
            meta_role = META_ROLES.get(key, "")
            if meta_role:
                wanted.append("content")
        button = tag == "input" and (values.get("type") or "").strip().lower() in _BUTTON_INPUTS
        if button:
            wanted.append("value")
        if not wanted:
            return
        for name, (v_start, v_end, quote) in _attribute_spans(raw, start).items():
            if name not in wanted:
                continue
            if name == "content":
                role = meta_role
            elif name == "value":
                role = "button"
            else:
                role = ATTRIBUTE_ROLES[name]
            segments = attribute_segments(self.source, v_start, v_end, role, self.lang)
            if segments:
                attrs_out = {"attribute": name, "quote": quote}
                block = Block(role, (v_start, v_end), segments[0].line, segments, attrs_out)
                self.blocks.append(block)

    def _page_marks(
        self, tag: str, attrs: list[tuple[str, str | None]], start: int, end: int, raw: str
    ) -> None:
        if tag not in ("html", "head", "body", "meta"):
            return
        values = dict(attrs)
        spans = _attribute_spans(raw, start)
        if tag == "html":
            self.marks.set("html", (start, end))
            for name, key in (("lang", "lang"), ("xml:lang", "xml_lang"), ("dir", "dir")):
                if name in spans:
                    self.marks.set(key, spans[name][:2])
        elif tag == "head":
            self.marks.set("head_start", (end, end))
        elif tag == "body":
            self.marks.set("head_end", (start, start))
        elif tag == "meta" and meta_charset(values):
            key = "charset" if values.get("charset") else "content_type"
            attribute = "charset" if key == "charset" else "content"
            if attribute in spans:
                self.marks.set(key, spans[attribute][:2])

    # -- runs into blocks -------------------------------------------------------------------

    def _flush(self) -> None:
        run, self.run = self.run, None
        if run is None or not run.plain:
            return
        segments = run_segments(self.source, run, self.lang)
        if not segments:
            return
        span = (segments[0].pieces[0][0], segments[-1].pieces[-1][1])
        block = Block(run.role, span, segments[0].line, segments)
        if run.level:
            block.attrs["level"] = run.level
        self.blocks.append(block)
        declared = next((e.lang for e in reversed(self.stack) if e.lang), "")
        if declared:
            block.attrs["lang"] = declared  # the language its text is in, said by the page
        holder = next((e for e in reversed(self.stack) if e.name not in INLINE), None)
        if holder is not None and holder.name not in _NOT_HOLDERS and holder.start >= 0:
            holder.blocks.append(block)


# Elements whose text is never one passage of their own.
_NOT_HOLDERS = frozenset({"html", "head", "body"})


def _element_of(element: _Open, end: int) -> None:
    """Tell the element's only block where the element is: `element` = "start,tag end,end"
    (an edition marks a whole untranslated element with `lang` on its tag)."""
    if len(element.blocks) == 1:
        element.blocks[0].attrs["element"] = f"{element.start},{element.tag_end},{end}"
        element.blocks[0].attrs["element_name"] = element.name
    element.blocks = []


def _attribute_spans(raw: str, offset: int) -> dict[str, tuple[int, int, str]]:
    """name → (value start, value end, quote) for each attribute of a start tag, found with
    the parser's own attribute pattern (first occurrence wins, as in a browser)."""
    tagfind = html_parser.tagfind_tolerant  # type: ignore[attr-defined]
    attrfind = html_parser.attrfind_tolerant  # type: ignore[attr-defined]
    found: dict[str, tuple[int, int, str]] = {}
    match = tagfind.match(raw, 1)
    if match is None:
        return found
    position = match.end()
    while position < len(raw):
        m = attrfind.match(raw, position)
        if not m or m.end() == position:
            break
        name = m.group(1).lower()
        if m.group(3) is not None and name not in found:
            v_start, v_end = m.span(3)
            value = raw[v_start:v_end]
            quote = value[:1] if value[:1] in ("'", '"') and value.endswith(value[:1]) else ""
            if quote and len(value) >= 2:
                v_start, v_end = v_start + 1, v_end - 1
            found[name] = (offset + v_start, offset + v_end, quote)
        position = m.end()
    return found


def read_blocks(source: str, lang: str) -> tuple[list[Block], Marks]:
    """Blocks of an HTML text (a page, a fragment, or a Markdown HTML block)."""
    reader = _Reader(source, lang)
    reader.feed(source)
    marks = reader.finish()
    return _without_nested(reader.blocks), marks


def _without_nested(blocks: list[Block]) -> list[Block]:
    """Blocks in source order. An attribute inside a sentence travels in its tag, inside the
    msgid: it is not a segment of its own as well."""
    blocks.sort(key=lambda b: b.span[0])
    text_spans = [s.span for b in blocks if "attribute" not in b.attrs for s in b.segments]
    kept: list[Block] = []
    cursor = 0
    for block in blocks:
        if "attribute" in block.attrs:
            start = block.span[0]
            while cursor < len(text_spans) and text_spans[cursor][1] <= start:
                cursor += 1
            if cursor < len(text_spans) and text_spans[cursor][0] <= start:
                continue
        kept.append(block)
    return kept


def read_fragment(source: str, start: int, end: int, lang: str) -> list[Block]:
    """Blocks of the HTML at source[start:end] (a Markdown HTML block), in source offsets;
    each marked `markup=html` so that editions escape its translations as HTML."""
    blocks, _ = read_blocks(source[start:end], lang)
    shifted = []
    for block in blocks:
        segments = [
            Segment(
                s.text,
                s.role,
                line_of(source, s.pieces[0][0] + start),
                tuple((a + start, b + start) for a, b in s.pieces),
            )
            for s in block.segments
        ]
        span = (block.span[0] + start, block.span[1] + start)
        attrs = {k: v for k, v in block.attrs.items() if not k.startswith("element")}
        attrs["markup"] = "html"
        shifted.append(Block(block.role, span, segments[0].line, segments, attrs))
    return shifted


def read_html(path: Path, name: str, text: str, lang: str) -> Document:
    blocks, marks = read_blocks(text, lang)
    doc = Document(path=path, name=name, format="html", text=text, blocks=blocks)
    doc.marks = marks.spans
    return doc
