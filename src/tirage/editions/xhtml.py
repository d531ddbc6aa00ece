"""An HTML edition as an EPUB content document: well-formed XHTML that epubcheck accepts.

The HTML edition is the starting point whatever the source (text, Markdown, an HTML page, or
any format whose reader gives an HTML edition), so an EPUB carries exactly the translated text
and typography the page does. lxml's HTML parser (libxml2, tolerant of any markup) builds a
tree, which is written back through an allow-list:

- elements a reading system renders as text are kept; scripts, forms, media, embedded
  documents and the page's head are dropped; anything else is unwrapped (its text kept);
- an image becomes its alt text: the package carries no resource from outside it;
- the content models that epubcheck's schemas check are repaired rather than trusted: a
  block inside a paragraph is unwrapped, a list's stray child gets an `<li>`, a table cell
  outside a row becomes a `<div>`, a header inside a header a `<div>`;
- links keep only `http`, `https` and `mailto` targets and fragments whose target is kept
  (a relative link would point outside the book); ids are kept when unique and XML-safe;
- every heading gets an id, and the navigation document lists the headings in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any

DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "meta",
        "link",
        "base",
        "head",
        "title",
        "input",
        "select",
        "textarea",
        "canvas",
        "video",
        "audio",
        "svg",
        "math",
        "map",
        "area",
        "source",
        "track",
        "param",
        "frame",
        "frameset",
        "colgroup",
        "col",
        "datalist",
        "output",
        "progress",
        "meter",
        "dialog",
    ]
)
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
# Flow elements that may hold blocks, kept as they are (a few renamed, see RENAME).
BLOCKS = (
    frozenset(
        [
            "p",
            "ul",
            "ol",
            "li",
            "dl",
            "dt",
            "dd",
            "blockquote",
            "pre",
            "div",
            "section",
            "article",
            "header",
            "footer",
            "nav",
            "aside",
            "figure",
            "figcaption",
            "table",
            "caption",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "td",
            "th",
            "hr",
        ]
    )
    | HEADINGS
)
PHRASING = frozenset(
    [
        "a",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "mark",
        "q",
        "cite",
        "abbr",
        "span",
        "code",
        "kbd",
        "samp",
        "var",
        "dfn",
        "time",
        "del",
        "ins",
        "br",
        "bdi",
        "bdo",
        "wbr",
    ]
)
# Elements whose content is phrasing only: a block met inside one is unwrapped.
PHRASING_ONLY = (PHRASING | HEADINGS | {"p", "pre", "dt", "caption"}) - {"del", "ins"}
RENAME = {"main": "div", "address": "div", "center": "div", "hgroup": "div"}
VOID = frozenset({"br", "hr", "wbr"})
LIST_PARENTS = {"ul": "li", "ol": "li"}
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_URL = re.compile(r"(?:https?://[^\s<>\"]+|mailto:[^\s<>\"]+)\Z", re.I)
# Characters XML 1.0 forbids; libxml2 lets some through from HTML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass
class Content:
    """The body of a content document, and what the package needs from the page."""

    body: str
    lang: str
    direction: str
    title: str
    description: str
    headings: list[Heading] = field(default_factory=list)


def html_to_content(page: str) -> Content:
    """The HTML edition's article (or the page's body) as XHTML body content."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    root = lxml_html.document_fromstring(page.encode("utf-8"), parser=parser)
    lang = (root.get("lang") or "").strip()
    direction = root.get("dir") if root.get("dir") in ("ltr", "rtl") else "ltr"
    title = _text(next(iter(root.iter("title")), None))
    description = ""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "description":
            description = _SPACES.sub(" ", meta.get("content") or "").strip()
    parts = _edition_parts(root)
    writer = _Writer(_kept_ids(parts))
    for part in parts:
        writer.element(part, parent="body")
    return Content(writer.finish(), lang, direction, title, description, writer.headings)


def _edition_parts(root: Any) -> list[Any]:
    """tirage's own page: its article and credit (not the language links, which point at
    other files); any other page: its body."""
    body = root.find("body")
    if body is None:
        return []
    article = body.find("main/article")
    if article is None:
        return [body]
    credit = body.find("main/footer")
    return [article] + ([credit] if credit is not None else [])


def _kept_ids(parts: list[Any]) -> set[str]:
    seen: dict[str, int] = {}
    for part in parts:
        for element in part.iter():
            value = element.get("id") if isinstance(element.tag, str) else None
            if value and _ID.match(value):
                seen[value] = seen.get(value, 0) + 1
    return {value for value, count in seen.items() if count == 1}


def _text(element: Any) -> str:
    if element is None:
        return ""
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def xml_text(text: str, quote: bool = False) -> str:
    return escape(_NOT_XML.sub("", text), quote=quote)


class _Writer:
    def __init__(self, ids: set[str]) -> None:
        self.ids = ids
        self.out: list[str] = []
        self.headings: list[Heading] = []
        self.anchors = set(ids)
        self.emitted: set[str] = set()
        self.open: dict[str, int] = {}
        self.fragments: list[tuple[int, str]] = []  # (piece, target) of each `#` link

    def text(self, text: str | None, parent: str) -> None:
        if not text:
            return
        if parent in ("ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"):
            if text.strip():  # text where only items may be: an item of its own
                item = {"ul": "li", "ol": "li", "dl": "dd"}.get(parent)
                if item:
                    self.out.append(f"<{item}>{xml_text(text)}</{item}>")
            else:
                self.out.append(xml_text(text))
            return
        self.out.append(xml_text(text))

    def element(self, element: Any, parent: str) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in DROP or not tag:
            self.text(element.tail, parent)
            return
        if tag == "img":
            self.text(element.get("alt"), parent)
            self.text(element.tail, parent)
            return
        tag = RENAME.get(tag, tag)
        name = self._placed(tag, parent)
        if name is None:  # unwrapped: its content goes to the parent
            if tag in BLOCKS and parent in PHRASING_ONLY:
                self.out.append(" ")
            self.children(element, parent)
            self.text(element.tail, parent)
            return
        wrapper = LIST_PARENTS.get(parent) if name not in ("li",) else None
        if parent == "dl" and name not in ("dt", "dd", "div"):
            wrapper = "dd"
        if wrapper:
            self.out.append(f"<{wrapper}>")
        attrs = self.attributes(element, name)
        if name in HEADINGS:
            attrs = self.heading(element, name, attrs)
        emitted = re.search(r' id="([^"]*)"', attrs)
        if emitted:
            self.emitted.add(emitted.group(1))
        target = re.search(r' href="#([^"]*)"', attrs)
        if target:
            self.fragments.append((len(self.out), target.group(1)))
        if name in VOID:
            self.out.append(f"<{name}{attrs}/>")
        else:
            self.out.append(f"<{name}{attrs}>")
            self.open[name] = self.open.get(name, 0) + 1
            self.children(element, name)
            self.open[name] -= 1
            self.out.append(f"</{name}>")
        if wrapper:
            self.out.append(f"</{wrapper}>")
        self.text(element.tail, parent)

    def children(self, element: Any, name: str) -> None:
        self.text(element.text, name)
        for child in element:
            self.element(child, name)

    def _placed(self, tag: str, parent: str) -> str | None:
        """The element's name where it stands, or None to unwrap it."""
        if tag not in BLOCKS and tag not in PHRASING:
            return None
        if parent in PHRASING_ONLY and tag not in PHRASING:
            return None
        if tag == "a" and self._inside("a"):
            return None
        if tag == "li" and parent not in ("ul", "ol"):
            return "div"
        if tag in ("dt", "dd") and parent != "dl":
            return "div"
        if tag in ("td", "th") and parent != "tr":
            return "div"
        if tag == "tr" and parent not in ("table", "thead", "tbody", "tfoot"):
            return None
        if tag in ("thead", "tbody", "tfoot", "caption") and parent != "table":
            return None if tag != "caption" else "div"
        if tag == "figcaption" and parent != "figure":
            return "div"
        if parent in ("table", "thead", "tbody", "tfoot") and tag not in (
            "tr",
            "thead",
            "tbody",
            "tfoot",
            "caption",
        ):
            return None
        if parent == "tr" and tag not in ("td", "th"):
            return None
        if tag in ("header", "footer") and (self._inside("header") or self._inside("footer")):
            return "div"
        if tag == "hr" and parent in PHRASING_ONLY:
            return None
        return tag

    def _inside(self, tag: str) -> bool:
        return self.open.get(tag, 0) > 0

    def finish(self) -> str:
        """The body, without the links to fragments whose element was not kept."""
        for index, target in self.fragments:
            if target not in self.emitted:
                self.out[index] = self.out[index].replace(f' href="#{target}"', "", 1)
        return "".join(self.out).strip()

    def attributes(self, element: Any, name: str) -> str:
        found: list[tuple[str, str]] = []
        value = element.get("id")
        if value in self.ids:
            found.append(("id", value))
            self.ids.discard(value)  # the first element to carry it keeps it
        for attr in ("class", "title"):
            if element.get(attr):
                found.append((attr, _SPACES.sub(" ", element.get(attr)).strip()))
        lang = (element.get("lang") or "").strip()
        if re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", lang):
            found += [("lang", lang), ("xml:lang", lang)]
        if element.get("dir") in ("ltr", "rtl", "auto"):
            found.append(("dir", element.get("dir")))
        if element.get("aria-hidden") in ("true", "false"):
            found.append(("aria-hidden", element.get("aria-hidden")))
        if element.get("aria-label"):
            found.append(("aria-label", element.get("aria-label")))
        found += self._specific(element, name)
        return "".join(f' {key}="{xml_text(val, quote=True)}"' for key, val in found if val)

    def _specific(self, element: Any, name: str) -> Iterator[tuple[str, str]]:
        if name == "a":
            href = (element.get("href") or "").strip()
            if _URL.match(href) or (href.startswith("#") and href[1:] in self.anchors):
                yield "href", href
        elif name in ("td", "th"):
            for attr in ("colspan", "rowspan"):
                span = element.get(attr) or ""
                if span.isdigit() and 0 < int(span) <= 1000:
                    yield attr, str(int(span))
            if name == "th" and element.get("scope") in ("row", "col", "rowgroup", "colgroup"):
                yield "scope", element.get("scope")
        elif name == "ol":
            start = element.get("start") or ""
            if re.fullmatch(r"-?\d{1,9}", start):
                yield "start", start
            if element.get("type") in ("1", "a", "A", "i", "I"):
                yield "type", element.get("type")

    def heading(self, element: Any, name: str, attrs: str) -> str:
        text = _text(element)
        if not text:
            return attrs
        found = re.search(r' id="([^"]*)"', attrs)
        if found:
            anchor = found.group(1)
        else:
            number = len(self.headings) + 1
            while f"heading-{number}" in self.anchors:
                number += 1
            anchor = f"heading-{number}"
            self.anchors.add(anchor)
            attrs = f' id="{anchor}"' + attrs
        self.headings.append(Heading(int(name[1]), anchor, text))
        return attrs
