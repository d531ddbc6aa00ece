"""What DOCX and ODT editions share: each unit's translated text, read back into pieces.

A unit (a paragraph, an alt text, a core property) gets a new text only when one of its
segments is translated: its line of the Document's text with each translated segment
replaced (the translation's codes kept as the translator placed them, anything else
escaped, typography applied to the text only), and each segment left in the source
language between FALLBACK_START and FALLBACK_END so that the writer can mark it. Units with
nothing translated are not touched at all: with no translation, the edition is the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tirage.document import Document
from tirage.editions.render import (
    FALLBACK_END,
    FALLBACK_START,
    Edit,
    Translations,
    apply_edits,
    segment_edits,
)
from tirage.editions.typography import apply_typography
from tirage.errors import SourceError
from tirage.readers.office import untranslated_styles
from tirage.readers.office_inline import Unit
from tirage.readers.package import Package, open_package
from tirage.text.html_markup import fragment_text, fragment_tokens, write_fragment


def unit_texts(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool,
    keep: tuple[str, ...] = (),
) -> dict[int, str]:
    """Unit index → its new text, for the units with at least one translated segment."""

    def typography(text: str) -> str:
        return apply_typography(text, lang, keep)

    texts: dict[int, str] = {}
    for block in doc.blocks:
        edits: list[Edit] = []
        translated = False
        for segment in block.segments:
            msgstr = translations.choose(segment, include_fuzzy)
            if msgstr is None:
                original = " ".join(doc.text[s:e] for s, e in segment.pieces)
                replacement = FALLBACK_START + original + FALLBACK_END
            else:
                translated = True
                replacement = write_fragment(msgstr, segment.text, typography)
            edits.extend(segment_edits(doc.text, segment, replacement))
        if translated:
            texts[int(block.attrs["unit"])] = apply_edits(doc.text, edits, block.span)
    return texts


class _Walk(Protocol):
    @property
    def units(self) -> list[Unit]: ...


Walk = TypeVar("Walk", bound=_Walk)


def reopen(
    doc: Document, kind: str, walk: Callable[[Package, tuple[str, ...]], Walk]
) -> tuple[bytes, Package, Walk]:
    """The source package's bytes, the package and its walk again, each unit rebuilt and
    held to the document the catalogs were made from: an edition starts from the source."""
    data = doc.path.read_bytes()
    package = open_package(doc.path, data, kind)
    walked = walk(package, untranslated_styles(workspace_root(doc)))
    for unit in walked.units:
        unit.build()
    check_units(doc, walked.units)
    return data, package, walked


def check_units(doc: Document, units: list[Unit]) -> None:
    """The package read again must be the one the Document was read from."""
    if doc.text != "\n".join(unit.text for unit in units):
        raise SourceError("the source changed while the edition was written; run update", doc.path)


def plain_text(text: str) -> str:
    """A unit's text with its codes and fallback marks left out (alt text, properties)."""
    return fragment_text(text).replace(FALLBACK_START, "").replace(FALLBACK_END, "")


def workspace_root(doc: Document) -> Path:
    """The workspace a source was read from (its `name` is relative to it)."""
    depth = len(Path(doc.name).parts)
    path = doc.path.resolve()
    return path.parents[depth - 1] if 0 < depth <= len(path.parents) else path.parent


def language_parts(lang: str) -> tuple[str, str]:
    """`pt_BR` → ("pt", "BR"); `es` → ("es", "")."""
    code, _, region = lang.replace("-", "_").partition("_")
    return code.lower(), region.upper() if region and len(region) == 2 else ""


def language_tag(lang: str) -> str:
    code, region = language_parts(lang)
    return f"{code}-{region}" if region else code


def serialize(tree: Any) -> bytes:
    from lxml import etree

    standalone = tree.docinfo.standalone
    data: bytes = etree.tostring(
        tree,
        xml_declaration=True,
        encoding=tree.docinfo.encoding or "UTF-8",
        standalone=standalone if standalone is not None else None,
    )
    return data


@dataclass
class Piece:
    """A piece of a translated paragraph, as the writer makes it again."""

    kind: str  # "text" or "placeholder"
    text: str = ""
    fmt: Any = None  # a format code's data; None: the base (of the paragraph or link)
    link: int = -1
    source_lang: bool = False  # left in the source language
    data: Any = None


def parse_unit(unit: Unit, text: str) -> list[Piece]:
    """The pieces of a translated paragraph's text. Codes the paragraph does not have were
    escaped before (`write_fragment`); a placeholder the translation lost is put back at the
    end, so that no footnote reference or image ever disappears."""
    pieces: list[Piece] = []
    formats: list[Any] = []
    links: list[int] = []
    fallback = False
    seen: set[str] = set()
    for token in fragment_tokens(text):
        raw = text[token.start : token.end]
        code = unit.codes.get(token.name) if token.kind != "text" else None
        if token.kind == "text" or code is None:
            chunk = unescape(raw) if token.kind == "text" else raw
            fallback = _add_text(pieces, chunk, formats, links, fallback)
        elif code.kind == "placeholder":
            if token.name not in seen:
                seen.add(token.name)
                pieces.append(Piece("placeholder", link=links[-1] if links else -1, data=code.data))
        elif code.kind == "link":
            if token.kind == "start":
                links.append(int(token.name[1:]) - 1)
            elif links:
                links.pop()
        elif token.kind == "start":
            formats.append(code.data)
        elif formats:
            formats.pop()
    for name, code in unit.codes.items():
        if code.kind == "placeholder" and name not in seen:
            pieces.append(Piece("placeholder", data=code.data))
    return pieces


def _add_text(
    pieces: list[Piece], chunk: str, formats: list[Any], links: list[int], fallback: bool
) -> bool:
    """Text split where a passage left in the source language starts or ends."""
    current = ""
    for char in chunk:
        if char in (FALLBACK_START, FALLBACK_END):
            if current:
                pieces.append(_text_piece(current, formats, links, fallback))
            current = ""
            fallback = char == FALLBACK_START
        else:
            current += char
    if current:
        pieces.append(_text_piece(current, formats, links, fallback))
    return fallback


def _text_piece(text: str, formats: list[Any], links: list[int], fallback: bool) -> Piece:
    return Piece(
        "text",
        text,
        formats[-1] if formats else None,
        links[-1] if links else -1,
        fallback,
    )
