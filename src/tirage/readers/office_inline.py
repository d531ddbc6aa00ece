"""The text of one office paragraph as a translator reads it, and back.

Both office readers walk a paragraph into `Item`s: text with its visible formatting (a key
that leaves out what Word or LibreOffice change without a visible difference: revision ids,
spell-check marks, language), hyperlinks, and placeholders (a footnote reference, an image,
a field, a tab: kept as they are, never seen by machine translation). `Unit.build` makes the
paragraph's text from them:

- adjacent text with the same formatting is one run, wherever Word cut it;
- the formatting most of the paragraph has is its base and has no code; any other becomes a
  paired code the translator can read and move: `<b>…</b>`, `<i>`, `<u>`, `<sup>`, `<sub>`,
  `<s1>` for a character style, `<g1>` for any other mix, `<a1>…</a1>` for a hyperlink
  (its own formatting codes nest inside it);
- a placeholder is `<x1/>`; `&`, `<` and `>` of the text are written `&amp;`, `&lt;`, `&gt;`,
  as in the msgids of HTML pages, so that a code can never be confused with text.

The HTML-looking codes are what PO editors already highlight, what `protect` hides from
machine translation, and what the `html-tags` check compares between msgid and msgstr.
The edition writers read a translated paragraph back (`editions/office.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from tirage.document import Block, Document
from tirage.readers.html_runs import Run, run_segments

# An alt text that is only an image's file name ("marianne.gif"): what a word processor
# put there when nobody wrote one. Nothing in it is language.
_FILE_NAME = re.compile(
    r"[^\s/\\]+\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|pcx|eps)", re.IGNORECASE
)


def is_alt_text(value: str | None) -> bool:
    """Alt text worth translating: not blank, and not an image's file name."""
    text = (value or "").strip()
    return bool(text) and _FILE_NAME.fullmatch(text) is None


# Codes with a name of their own; anything else is numbered `g`.
KNOWN_LABELS = ("b", "i", "u", "sup", "sub")
Tok = tuple[str, int, int, str]


@dataclass
class Item:
    kind: str  # "text" or "placeholder"
    text: str = ""
    key: Hashable = None  # the visible formatting of text
    fmt: Any = None  # what the writer needs to make that formatting again
    link: int = -1  # index of the hyperlink it sits in (-1: none)
    data: Any = None  # a placeholder's elements


@dataclass
class Code:
    kind: str  # "format", "link" or "placeholder"
    data: Any


@dataclass
class Unit:
    """One translatable place in a package: a paragraph, an attribute, an element's text."""

    part: str
    role: str
    element: Any
    attribute: str | None = None  # alt text: the attribute; None: a paragraph or plain text
    plain: bool = False  # element text with no inline content (core properties, svg:desc)
    level: str = ""
    items: list[Item] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)  # each hyperlink's element
    text: str = ""
    tokens: list[Tok] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)
    base: Any = None  # the paragraph's own formatting (the writer's default)
    link_base: dict[int, Any] = field(default_factory=dict)
    # Bookmarks and comment ranges: out of the msgid, kept at the paragraph's start or end.
    lead: list[Any] = field(default_factory=list)
    trail: list[Any] = field(default_factory=list)
    # (a run's key, its home key) → the code's name: "b", "i", "u", "sup", "sub", "s", "g".
    labeler: Callable[[Hashable, Hashable], str] | None = None

    def build(self) -> None:
        """Set `text`, `tokens` and `codes` from `items`."""
        items: list[Item] = []
        for item in self.items:  # one run per stretch of the same formatting
            last = items[-1] if items else None
            if item.kind == "text" and not item.text:
                continue
            if (
                last is not None
                and item.kind == last.kind == "text"
                and (item.key, item.link) == (last.key, last.link)
            ):
                last.text += item.text
            else:
                items.append(Item(item.kind, item.text, item.key, item.fmt, item.link, item.data))
        previous: Item | None = None
        for item in items:  # a space alone does not deserve a code of its own
            if item.kind == "text":
                if not item.text.strip():
                    item.key, item.fmt = (previous.key, previous.fmt) if previous else (None, None)
                previous = item
        base_key = _dominant(i for i in items if i.link < 0)
        base_key = base_key if base_key is not None else _dominant(items)
        link_keys = {n: _dominant(i for i in items if i.link == n) for n in range(len(self.links))}
        fmt_of: dict[Hashable, Any] = {}
        for item in items:
            if item.kind == "text":
                fmt_of.setdefault(item.key, item.fmt)
        self.base = fmt_of.get(base_key)
        self.link_base = {n: fmt_of.get(k) for n, k in link_keys.items()}
        names: dict[Hashable, str] = {}
        used: Counter[str] = Counter()
        parts: list[str] = []
        tokens: list[Tok] = []
        position = 0

        def emit(kind: str, raw: str, name: str = "") -> None:
            nonlocal position
            tokens.append((kind, position, position + len(raw), name))
            parts.append(raw)
            position += len(raw)

        open_link, open_code = -1, ""
        placeholders = 0
        for item in items:
            if item.link != open_link:
                if open_code:
                    emit("end", f"</{open_code}>", open_code)
                    open_code = ""
                if open_link >= 0:
                    emit("end", f"</a{open_link + 1}>", f"a{open_link + 1}")
                open_link = item.link
                if open_link >= 0:
                    name = f"a{open_link + 1}"
                    self.codes[name] = Code("link", self.links[open_link])
                    emit("start", f"<{name}>", name)
            if item.kind == "placeholder":
                placeholders += 1
                name = f"x{placeholders}"
                self.codes[name] = Code("placeholder", item.data)
                emit("void", f"<{name}/>", name)
                continue
            home = link_keys.get(item.link) if item.link >= 0 else base_key
            code = ""
            if item.key is not None and item.key != home:
                if item.key not in names:
                    label = self.labeler(item.key, home) if self.labeler is not None else "g"
                    used[label] += 1
                    count = used[label]
                    known = label in KNOWN_LABELS
                    names[item.key] = label if known and count == 1 else f"{label}{count}"
                    self.codes[names[item.key]] = Code("format", item.fmt)
                code = names[item.key]
            if code != open_code:
                if open_code:
                    emit("end", f"</{open_code}>", open_code)
                if code:
                    emit("start", f"<{code}>", code)
                open_code = code
            emit("text", escape(_flat(item.text), quote=False))
        if open_code:
            emit("end", f"</{open_code}>", open_code)
        if open_link >= 0:
            emit("end", f"</a{open_link + 1}>", f"a{open_link + 1}")
        self.text = "".join(parts)
        self.tokens = _merged_text(tokens)


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def _dominant(items: Any) -> Hashable:
    counts: Counter[Hashable] = Counter()
    for item in items:
        if item.kind == "text" and item.key is not None:
            counts[item.key] += len(item.text)
    return counts.most_common(1)[0][0] if counts else None


def _merged_text(tokens: list[Tok]) -> list[Tok]:
    merged: list[Tok] = []
    for token in tokens:
        if merged and token[0] == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1], token[2], "")
        else:
            merged.append(token)
    return merged


def office_document(path: Any, name: str, fmt: str, units: list[Unit], lang: str) -> Document:
    """The Document of a package: its text is each unit's text, one a line (so a PO
    reference `source/x.docx:12` names the twelfth translatable place), and each block
    records which unit it is."""
    lines: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for unit in units:
        unit.build()
        lines.append(unit.text)
        unit.tokens = [(k, s + offset, e + offset, n) for k, s, e, n in unit.tokens]
        offset += len(unit.text) + 1
    text = "\n".join(lines)
    offset = 0
    for index, unit in enumerate(units):
        start, end = offset, offset + len(unit.text)
        offset = end + 1
        if not unit.text.strip():
            continue
        run = Run(unit.role, unit.level)
        for kind, t_start, t_end, t_name in unit.tokens:
            if kind == "text":
                run.add_text(text, t_start, t_end)
            else:
                run.add_markup(kind, t_start, t_end, t_name)
        segments = run_segments(text, run, lang) if "".join(run.plain).strip() else []
        if not segments:
            continue
        block = Block(unit.role, (start, end), segments[0].line, segments, {"unit": str(index)})
        if unit.level:
            block.attrs["level"] = unit.level
        if unit.plain or unit.attribute is not None:  # a property or alt text: not body text
            block.attrs["aside"] = "1"
        blocks.append(block)
    return Document(path=path, name=name, format=fmt, text=text, blocks=blocks)
