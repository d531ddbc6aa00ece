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

import codecs
import html.parser as html_parser
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import webencodings

from tirage.document import Block, Document, Segment, Span, line_of
from tirage.errors import SourceError
from tirage.markup import (
    CHARREF,
    INLINE,
    INLINE_OPAQUE,
    VOID,
    Scanner,
    collapse,
    decode_text,
    never_translated,
)
from tirage.readers.segments import translatable
from tirage.segment import split_sentences

HTML_SUFFIXES = (".html", ".htm")

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
    """address article aside blockquote center details dialog dir div dl fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table
    ul li dd dt""".split()
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
    "title meta link style script base noscript template object".split()
)
_OPAQUE_CHAR = "X"  # what the segmenter sees for an inline never-translated element


# -- charset -----------------------------------------------------------------------------------


def decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """The page's text and its encoding's name: the declared charset (BOM, `<meta charset>`,
    `http-equiv`, or the XML declaration), UTF-8 when none is declared. Bytes that do not
    match are one SourceError naming the line."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", path, declared=False), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("UTF-16 page: save it as UTF-8", path)
    declared = _declared_charset(data)
    if declared is None:
        return _decode(data, "utf-8", path, declared=False), "utf-8"
    label, line = declared
    encoding = webencodings.lookup(label)
    if encoding is None:
        raise SourceError(f"unknown charset '{label}' declared", path, line)
    name = encoding.name
    if name in ("utf-16le", "utf-16be"):
        name = "utf-8"  # what the HTML standard says a meta declaring UTF-16 means
    if name != "utf-8" and _is_utf8(data):
        at = next(i for i, byte in enumerate(data) if byte > 0x7F)
        raise SourceError(
            f"declares {label} but its bytes are UTF-8 (fix the declaration)",
            path,
            data.count(b"\n", 0, at) + 1,
        )
    return _decode(data, name, path, declared=True), name


def _decode(data: bytes, name: str, path: Path, declared: bool) -> str:
    codec = "cp1252" if name == "windows-1252" else name
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        if declared:
            message = f"byte 0x{byte:02x} is not {name}, the charset the page declares"
        else:
            message = f"not UTF-8 (byte 0x{byte:02x}) and no charset declared"
        raise SourceError(message, path, line) from None
    except LookupError:
        raise SourceError(f"charset {name} is not supported", path) from None


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return False  # ASCII is every charset: nothing to tell
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _CharsetScan(Scanner):
    """The declarations in a page's head (read as Latin-1: markup is ASCII)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.found: tuple[str, int] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
        elif tag == "meta":
            label = _meta_charset(dict(attrs))
            if label and self.found is None:
                self.found = (label, self.getpos()[0])
                self.done = True

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        found = _XML_ENCODING.search(data)
        if found and self.found is None and data.startswith("xml"):
            self.found = (found.group(2), self.getpos()[0])


_XML_ENCODING = re.compile(r"""\bencoding\s*=\s*(["'])([A-Za-z0-9._:-]+)\1""")
_CONTENT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def _meta_charset(attrs: dict[str, str | None]) -> str | None:
    if attrs.get("charset"):
        return (attrs["charset"] or "").strip()
    if (attrs.get("http-equiv") or "").strip().lower() == "content-type":
        found = _CONTENT_CHARSET.search(attrs.get("content") or "")
        return found.group(1) if found else None
    return None


def _declared_charset(data: bytes) -> tuple[str, int] | None:
    # The head is in the first bytes; 64 KB leaves room for long inline styles and scripts.
    head = data[:65536].decode("latin-1")
    scan = _CharsetScan(head)
    scan.feed(head)
    # A meta declaration wins over the XML declaration, as in a browser.
    return scan.found


# -- reading -----------------------------------------------------------------------------------


_Tok = tuple[str, int, int, str]  # kind ("text", "start", "end", "void", "opaque"), span, name


@dataclass
class _Open:
    name: str
    role: str
    skip: bool  # never translated, nor anything inside
    opaque: bool  # an inline never-translated element inside a run


@dataclass
class _Run:
    """Inline content between two blocks: tokens with their spans, and the text the segmenter
    sees (`plain`, with the source offsets of each of its characters)."""

    role: str
    level: str
    tokens: list[_Tok] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add_text(self, source: str, start: int, end: int) -> None:
        self.tokens.append(("text", start, end, ""))
        position = start
        for found in CHARREF.finditer(source, start, end):
            self._chars(source[position : found.start()], position)
            for char in unescape(found.group(0)):
                self.plain.append(char)
                self.starts.append(found.start())
                self.ends.append(found.end())
            position = found.end()
        self._chars(source[position:end], position)

    def _chars(self, chunk: str, at: int) -> None:
        for index, char in enumerate(chunk):
            self.plain.append(" " if char in "\t\n\r\f" else char)
            self.starts.append(at + index)
            self.ends.append(at + index + 1)

    def add_markup(self, kind: str, start: int, end: int, name: str) -> None:
        self.tokens.append((kind, start, end, name))
        if kind == "opaque" or name == "br":
            self.plain.append(_OPAQUE_CHAR if kind == "opaque" else " ")
            self.starts.append(start)
            self.ends.append(end)


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
        self.run: _Run | None = None
        self.opaque_start = -1
        self.marks = Marks()
        # The event waiting for its end offset (the next event's start): kind, start, name.
        self.pending: tuple[str, int, str] | None = None

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
        self.close()
        self._settle(len(self.source))
        self._flush()
        return self.marks

    # -- the stack ------------------------------------------------------------------------

    def _push(self, element: _Open) -> None:
        self.stack.append(element)
        self.open_count[element.name] = self.open_count.get(element.name, 0) + 1

    def _pop(self) -> _Open:
        element = self.stack.pop()
        self.open_count[element.name] -= 1
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
        if tag[:1] == "h" and tag[1:] in "123456" and len(tag) == 2:
            if self.stack and self.stack[-1].role == "heading":
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
            found = _XML_ENCODING.search(self.source, at, raw_end)
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
        in_opaque = self.opaque_start >= 0
        if in_opaque:
            if not void:
                self._push(_Open(tag, "", True, True))
            return
        inline = tag in INLINE or void and tag not in ("hr",)
        skip = self.skipping
        if not inline:
            self._flush()
            self._implied_ends(tag)
        elif tag in INLINE_OPAQUE or (not skip and never_translated(tag, attrs)):
            if tag in INLINE and not void and not skip:
                self.opaque_start = start
                self._push(_Open(tag, "", True, True))
                return
        if not skip:
            self._page_marks(tag, attrs, start, end, raw)
            self._attributes(tag, attrs, start, raw)
        if inline:
            if not skip:
                if self.run is None:
                    self.run = _Run(*self._role())
                self.run.add_markup("void" if void else "start", start, end, tag)
            if void:
                return
        if void:
            return
        role = ROLES.get(tag, "")
        self._push(_Open(tag, role, skip or never_translated(tag, attrs), False))

    def _close(self, tag: str, start: int, end: int) -> None:
        if not self.open_count.get(tag):
            if self.run is not None and self.opaque_start < 0 and tag in INLINE:
                self.run.add_markup("end", start, end, tag)  # stray: kept as written
            return
        if self.opaque_start >= 0:
            self._pop_through(tag)
            if not any(element.opaque for element in self.stack):
                inner = tag in INLINE
                if self.run is None:
                    self.run = _Run(*self._role())
                self.run.add_markup("opaque", self.opaque_start, end if inner else start, tag)
                self.opaque_start = -1
                if not inner:  # a block's end closed the element: the run ends too
                    self._flush()
            return
        if tag in INLINE:
            self._pop_through(tag)
            if self.run is not None and not self.skipping:
                self.run.add_markup("end", start, end, tag)
            return
        self._flush()
        self._pop_through(tag)

    def _content(self, kind: str, start: int, end: int) -> None:
        if self.opaque_start >= 0:
            return
        if kind == "text" and _looks_broken(self.source, start):
            kind = "other"
        if kind != "text":
            if kind == "comment":
                self._flush()
            return
        if self.skipping:
            return
        if self.run is None:
            if not self.source[start:end].strip():
                return
            self.run = _Run(*self._role())
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
            segments = _attribute_segments(self.source, v_start, v_end, role, self.lang)
            if segments:
                attrs_out = {"attribute": name, "quote": quote}
                block = Block(role, (v_start, v_end), segments[0].line, segments, attrs_out)
                self.blocks.append(block)

    def _page_marks(
        self, tag: str, attrs: list[tuple[str, str | None]], start: int, end: int, raw: str
    ) -> None:
        if tag not in ("html", "head", "body", "meta", "link"):
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
        elif tag == "meta" and _meta_charset(values):
            key = "charset" if values.get("charset") else "content_type"
            attribute = "charset" if key == "charset" else "content"
            if attribute in spans:
                self.marks.set(key, spans[attribute][:2])
        elif tag == "link" and "canonical" in (values.get("rel") or "").lower().split():
            if "href" in spans:
                self.marks.set("canonical", spans["href"][:2])

    # -- runs into blocks -------------------------------------------------------------------

    def _flush(self) -> None:
        run, self.run = self.run, None
        if run is None or not run.plain:
            return
        segments = _run_segments(self.source, run, self.lang)
        if not segments:
            return
        span = (segments[0].pieces[0][0], segments[-1].pieces[-1][1])
        block = Block(run.role, span, segments[0].line, segments)
        if run.level:
            block.attrs["level"] = run.level
        self.blocks.append(block)


def _looks_broken(text: str, at: int) -> bool:
    """Data html.parser gives back for a tag it could not finish (cut off at the end of the
    file): a browser drops it, it is never text."""
    nxt = text[at + 1 : at + 2]
    return text.startswith("<", at) and (nxt.isalpha() or nxt in ("/", "!", "?"))


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


def _attribute_segments(source: str, start: int, end: int, role: str, lang: str) -> list[Segment]:
    """Sentences of an attribute value (character references decoded in the msgid)."""
    run = _Run(role, "")
    run.add_text(source, start, end)
    plain = "".join(run.plain)
    segments = []
    for p_start, p_end in split_sentences(plain, lang):
        a, b = run.starts[p_start], run.ends[p_end - 1]
        text = collapse(unescape(source[a:b]))
        if translatable(text):
            segments.append(Segment(text, role, line_of(source, a), ((a, b),)))
    return segments


def _pairs(tokens: list[_Tok]) -> list[int]:
    """For each start/end token of a run, the index of its partner in the run (-1: none)."""
    partner = [-1] * len(tokens)
    open_at: dict[str, list[int]] = {}
    for index, (kind, _, _, name) in enumerate(tokens):
        if kind == "start":
            open_at.setdefault(name, []).append(index)
        elif kind == "end" and open_at.get(name):
            opened = open_at[name].pop()
            partner[opened], partner[index] = index, opened
    return partner


def _run_segments(source: str, run: _Run, lang: str) -> list[Segment]:
    """Sentences of a run as source spans: a sentence starts at its first visible character
    and takes the tags it needs to be balanced; one whose tags would stay unbalanced (a link
    across a sentence end) is joined with the next."""
    tokens = run.tokens
    partner = _pairs(tokens)
    starts = [t[1] for t in tokens]
    plain = "".join(run.plain)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in split_sentences(plain, lang):
        spans.append((run.starts[p_start], run.ends[p_end - 1]))
    segments: list[Segment] = []
    index = 0
    while index < len(spans):
        a, b = spans[index]
        while True:
            a, b = _balance(source, tokens, partner, starts, a, b)
            if _balanced(tokens, partner, starts, a, b) or index + 1 >= len(spans):
                break
            index += 1
            b = spans[index][1]
        index += 1
        text = _msgid(source, tokens, starts, a, b)
        if translatable(_visible(source, tokens, starts, a, b)):
            segments.append(Segment(text, run.role, line_of(source, a), ((a, b),)))
    return segments


def _inside(starts: list[int], tokens: list[_Tok], a: int, b: int) -> range:
    """Tokens wholly inside [a, b)."""
    first = bisect_left(starts, a)
    last = first
    while last < len(tokens) and tokens[last][2] <= b:
        last += 1
    return range(first, last)


def _balanced(tokens: list[_Tok], partner: list[int], starts: list[int], a: int, b: int) -> bool:
    inside = _inside(starts, tokens, a, b)
    return all(
        partner[index] in inside for index in inside if tokens[index][0] in ("start", "end")
    )


def _balance(
    source: str, tokens: list[_Tok], partner: list[int], starts: list[int], a: int, b: int
) -> tuple[int, int]:
    """Take in the tags just outside the span (spaces between allowed) that close or open a
    tag inside it: `<em>mot.</em>` rather than `<em>mot.`."""
    while True:
        inside = _inside(starts, tokens, a, b)
        after = inside.stop
        while after < len(tokens) and tokens[after][0] == "text":
            if source[max(b, tokens[after][1]) : tokens[after][2]].strip():
                break
            after += 1
        if after < len(tokens) and tokens[after][0] == "end" and partner[after] in inside:
            b = tokens[after][2]
            continue
        before = bisect_left(starts, a) - 1
        while before >= 0 and tokens[before][0] == "text":
            if source[tokens[before][1] : min(a, tokens[before][2])].strip():
                break
            before -= 1
        if before >= 0 and tokens[before][0] == "start" and partner[before] > before:
            if partner[before] in inside:
                a = tokens[before][1]
                continue
        return a, b


def _msgid(source: str, tokens: list[_Tok], starts: list[int], a: int, b: int) -> str:
    parts: list[str] = []
    position = a
    for index in _inside_any(starts, tokens, a, b):
        kind, t_start, t_end, _ = tokens[index]
        lo, hi = max(t_start, position), min(t_end, b)
        if lo >= hi:
            continue
        chunk = source[lo:hi]
        parts.append(decode_text(chunk) if kind == "text" else chunk)
        position = hi
    return collapse("".join(parts))


def _visible(source: str, tokens: list[_Tok], starts: list[int], a: int, b: int) -> str:
    parts = []
    for index in _inside_any(starts, tokens, a, b):
        kind, t_start, t_end = tokens[index][:3]
        if kind == "text":
            parts.append(unescape(source[max(t_start, a) : min(t_end, b)]))
        else:
            parts.append(" ")
    return "".join(parts)


def _inside_any(starts: list[int], tokens: list[_Tok], a: int, b: int) -> range:
    """Tokens that overlap [a, b) (a text token may be cut by a sentence end)."""
    first = max(bisect_right(starts, a) - 1, 0)
    last = first
    while last < len(tokens) and tokens[last][1] < b:
        last += 1
    return range(first, last)


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
        attrs = {**block.attrs, "markup": "html"}
        shifted.append(Block(block.role, span, segments[0].line, segments, attrs))
    return shifted


def read_html(path: Path, name: str, text: str, lang: str) -> Document:
    blocks, marks = read_blocks(text, lang)
    doc = Document(path=path, name=name, format="html", text=text, blocks=blocks)
    doc.marks = marks.spans
    return doc
