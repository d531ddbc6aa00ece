"""Inline HTML inside a msgid: what it is made of, what must come through translation, and how
a translation of it is written back into a page.

A segment read from HTML keeps its inline markup as written (`<a href="…">`, `<em>`, `<br>`,
an inline `<code>…</code>` whole), as the Markdown reader keeps `*emphasis*`. Character
references are decoded in the msgid, except those that stand for `&`, `<` and `>`, which stay
escaped so that text and tags never get confused.

Tokenising uses the standard library's `html.parser` (see readers/html.py for why), through
`Scanner`, which gives every event its exact offset in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser

# Elements whose content is never translated. The inline ones (code, kbd, samp, var, or a span
# with translate="no") travel whole inside the sentence around them, masked before machine
# translation; the others end the sentence.
NEVER_TRANSLATED = frozenset(
    ["script", "style", "code", "pre", "kbd", "samp", "var", "template", "svg", "math", "textarea"]
)
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Phrasing elements that stay inside a sentence (label, button and option are UI strings of
# their own: they are read as blocks).
INLINE = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "audio",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "map",
        "mark",
        "nobr",
        "output",
        "picture",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "svg",
        "math",
        "time",
        "tt",
        "u",
        "var",
        "video",
        "wbr",
    }
)

# A character reference, as html.unescape recognises them (named, decimal, hexadecimal).
CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_MARKUP_CHARS = frozenset("&<>")
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace: never the no-break space


def never_translated(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """An element whose content stays as it is: by its kind, `translate="no"`, or the
    `notranslate` class (the convention of Google Translate and most CMS)."""
    if tag in NEVER_TRANSLATED:
        return True
    for name, value in attrs:
        if name == "translate" and (value or "").strip().lower() == "no":
            return True
        if name == "class" and "notranslate" in (value or "").split():
            return True
    return False


def collapse(text: str) -> str:
    """HTML's whitespace runs as one space (no-break spaces are text, they stay)."""
    return _WHITESPACE.sub(" ", text).strip()


def decode_text(raw: str) -> str:
    """Character references decoded, except those for & < > (they stay as written)."""
    if "&" not in raw:
        return raw

    def one(found: re.Match[str]) -> str:
        decoded = unescape(found.group(0))
        return found.group(0) if _MARKUP_CHARS & set(decoded) else decoded

    return CHARREF.sub(one, raw)


class Scanner(HTMLParser):
    """`html.parser` that knows the offset of each event in the text it is fed."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = text
        starts = [0]
        starts.extend(found.end() for found in re.finditer("\n", text))
        self._line_starts = starts

    def here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column


@dataclass(frozen=True)
class Token:
    kind: str  # "start", "end", "void", "text", "comment", "other"
    start: int
    end: int
    name: str = ""


class _Fragment(Scanner):
    """Every event of a fragment, with its span; a never-translated element is one token."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.tokens: list[Token] = []
        self.at_end = False
        self.cut_off = False

    def _add(self, kind: str, name: str = "") -> None:
        here = self.here()
        if self.tokens:
            last = self.tokens[-1]
            self.tokens[-1] = Token(last.kind, last.start, here, last.name)
        self.tokens.append(Token(kind, here, here, name))

    def finish(self) -> list[Token]:
        self.feed(self.source)
        self.at_end = True
        self.close()
        if self.tokens:
            last = self.tokens[-1]
            self.tokens[-1] = Token(last.kind, last.start, len(self.source), last.name)
        return _merge_opaque(self.tokens)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("void" if tag in VOID else "start", tag)
        if tag not in VOID and never_translated(tag, attrs):
            self.tokens[-1] = Token("opaque-start", self.tokens[-1].start, 0, tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("void", tag)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        broken = self.cut_off or (self.at_end and broken_markup(self.source, self.here()))
        self.cut_off = broken  # a tag cut off at the end: the rest is not text
        self._add("other" if broken else "text")

    def handle_comment(self, data: str) -> None:
        self._add("comment")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


def broken_markup(text: str, at: int) -> bool:
    """Data html.parser hands back, once the input ends, for a tag it could not finish
    (markup cut off by the end of the file): a browser drops it, it is never text."""
    nxt = text[at + 1 : at + 2]
    return text.startswith("<", at) and (nxt.isalpha() or nxt in ("/", "!", "?"))


def _merge_opaque(tokens: list[Token]) -> list[Token]:
    """A never-translated element and everything inside it become one "opaque" token. One
    that is never closed is no element (`<code/simple.ada>` in plain text): its tag is a
    tag, and what follows it is read as usual."""
    out: list[Token] = []
    depth = 0
    name = ""
    held: list[Token] = []  # the tokens of the open element, in case it is never closed
    for token in tokens:
        if depth:
            held.append(token)
            if token.kind in ("start", "opaque-start") and token.name == name:
                depth += 1
            elif token.kind == "end" and token.name == name:
                depth -= 1
            last = out[-1]
            out[-1] = Token("opaque", last.start, token.end, name)
            continue
        if token.kind == "opaque-start":
            depth, name = 1, token.name
            held = [Token("start", token.start, token.end, name)]
            out.append(Token("opaque", token.start, token.end, name))
        else:
            out.append(token)
    if depth:
        out[-1:] = [held[0], *_merge_opaque(held[1:])]
    return out


def fragment_tokens(text: str) -> list[Token]:
    if "<" not in text:
        return [Token("text", 0, len(text))] if text else []
    return _Fragment(text).finish()


def fragment_text(text: str) -> str:
    """A fragment's text: its tags left out, its character references decoded."""
    return "".join(
        unescape(text[t.start : t.end]) for t in fragment_tokens(text) if t.kind == "text"
    )


def markup_spans(text: str) -> list[tuple[int, int]]:
    """What machine translation must not touch in a msgid: tags, comments, never-translated
    elements whole, and the escaped & < > of its text."""
    spans: list[tuple[int, int]] = []
    for token in fragment_tokens(text):
        if token.kind == "text":
            for found in CHARREF.finditer(text, token.start, token.end):
                if _MARKUP_CHARS & set(unescape(found.group(0))):
                    spans.append(found.span())
        elif token.end > token.start:
            spans.append((token.start, token.end))
    return spans


def tag_signature(text: str) -> Counter[str]:
    """The tags of a fragment, each written one canonical way (attributes sorted, whitespace
    collapsed); a never-translated element counts with its content."""
    found: Counter[str] = Counter()
    if "<" not in text:
        return found
    for token in fragment_tokens(text):
        raw = text[token.start : token.end]
        if token.kind == "end":
            found[f"</{token.name}>"] += 1
        elif token.kind in ("start", "void"):
            found[_canonical_tag(raw)] += 1
        elif token.kind == "opaque":
            found[collapse(raw)] += 1
    return found


def _canonical_tag(raw: str) -> str:
    scanner = _TagAttrs(raw)
    scanner.feed(raw)
    scanner.close()
    attrs = " ".join(f'{k}="{v}"' for k, v in sorted(scanner.attrs))
    return f"<{scanner.name}{' ' + attrs if attrs else ''}>"


class _TagAttrs(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = raw
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.name = tag
        self.attrs = [(k, collapse(v or "")) for k, v in attrs]

    handle_startendtag = handle_starttag


# Stands for a tag while typography runs over the text around it: a letter (so that "ici</a>!"
# reads as "ici!"), and one that French or any language we serve never uses.
PLACEHOLDER = "\ua78e"


def write_fragment(msgstr: str, msgid: str, typography: Callable[[str], str] | None = None) -> str:
    """A translation as page markup: the tags the msgid has are kept as the translator placed
    them, anything else (a tag the source does not have, a stray < or &) is escaped, so a
    translation can never inject markup. `typography` runs over the text only."""
    source_tokens = fragment_tokens(msgid)
    allowed = {collapse(msgid[t.start : t.end]) for t in source_tokens if t.kind != "text"}
    allowed |= {f"</{t.name}>" for t in source_tokens if t.kind == "end"}
    kept: list[str] = []
    text: list[str] = []
    for token in fragment_tokens(msgstr):
        raw = msgstr[token.start : token.end]
        if token.kind == "text":
            text.append(unescape(raw))
        elif (f"</{token.name}>" if token.kind == "end" else collapse(raw)) in allowed:
            kept.append(raw)
            text.append(PLACEHOLDER)
        else:
            text.append(raw)  # shown as text, never run
    joined = "".join(text)
    if typography is not None and PLACEHOLDER not in msgstr:
        joined = typography(joined)
    pieces = escape(joined, quote=False).split(PLACEHOLDER)
    out = [pieces[0]]
    for tag, piece in zip(kept, pieces[1:], strict=True):
        out.extend((tag, piece))
    return "".join(out)


def write_attribute(value: str, quote: str) -> str:
    """A translated attribute value, escaped for the quotes it sits in (quoted if it had none)."""
    value = value.replace("&", "&amp;")
    if quote == "'":
        return value.replace("'", "&#39;")
    value = value.replace('"', "&quot;")
    return value if quote else f'"{value}"'
