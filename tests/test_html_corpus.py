"""Real French pages (tests/data/corpus/html, origins and licences in its README): for each,
the untranslated round trip is byte for byte, the template is valid gettext, every piece of
visible prose is in it and nothing never-translated reaches MT, and the pseudo-localised
edition keeps the page's DOM. The HTML standard's tree construction (html5lib) is the oracle
for what a browser shows."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import html5lib
import pytest

from tirage.catalog import build_template
from tirage.document import Document
from tirage.editions import Translations, render_html
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.render import translated_source
from tirage.mt.pseudo import pseudo
from tirage.po.pofile import format_po, write_atomic
from tirage.readers import read_document
from tirage.readers.html import META_ROLES
from tirage.readers.segments import translatable
from tirage.text.html_markup import NEVER_TRANSLATED, collapse, fragment_tokens
from tirage.text.protect import protect, restore

from conftest import DATA
from gettext_tools import assert_canonical, requires_gettext

CORPUS = DATA / "corpus" / "html"
PAGES = sorted(CORPUS.glob("*.html"))
LEGACY = {"windows-1252"}


def read(page: Path) -> Document:
    return read_document(page, CORPUS)


def pseudo_translations(doc: Document) -> Translations:
    """What `tirage translate --engine pseudo` stores: masks kept, text pseudo-localised."""
    found = {}
    for segment in doc.segments():
        masked = protect(segment.text)
        restored = restore(masked, pseudo(masked.text))
        assert restored is not None, segment.text
        found[segment.text] = restored
    return Translations.from_dict(found)


def test_the_corpus_is_big_enough_with_legacy_charsets() -> None:
    assert len(PAGES) >= 15
    assert sum(read(page).encoding in LEGACY for page in PAGES) >= 2


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_untranslated_round_trip_is_byte_exact(page: Path) -> None:
    doc = read(page)
    codec = "cp1252" if doc.encoding == "windows-1252" else doc.encoding
    same = translated_source(doc, Translations(), False, lambda s, m: m)
    assert same.encode(codec) == page.read_bytes()


@requires_gettext
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_template_is_valid_gettext(page: Path, tmp_path: Path) -> None:
    pot = tmp_path / f"{page.stem}.pot"
    write_atomic(pot, format_po(build_template(read(page))))
    assert_canonical(pot)


# -- what the page shows, as the HTML standard builds it -------------------------------------

_SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def _hidden(element: object, hidden_parents: set[int]) -> bool:
    tag = getattr(element, "tag", "").rpartition("}")[2]  # SVG and MathML are namespaced
    attrib = getattr(element, "attrib", {})
    return (
        tag in NEVER_TRANSLATED
        or attrib.get("translate", "").lower() == "no"
        or "notranslate" in attrib.get("class", "").split()
        or id(element) in hidden_parents
    )


def shown(text: str) -> tuple[list[str], list[str], list[str]]:
    """(visible text nodes, readable attribute values, never-translated texts) of a page."""
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    hidden: set[int] = set()
    visible: list[str] = []
    attributes: list[str] = []
    never: list[str] = []
    head = tree.find("head")
    for element in tree.iter():
        if not isinstance(element.tag, str):  # a comment
            never.append(element.text or "")
            if element.tail and id(element) not in hidden:
                visible.append(element.tail)
            continue
        hide = _hidden(element, hidden)
        if hide:
            hidden.update(id(child) for child in element.iter())
            never.append("".join(element.itertext()))
        for child in element:
            if id(element) in hidden:
                hidden.add(id(child))
        if not hide:
            if element.text and (element is not head and element.tag != "head"):
                visible.append(element.text)
            attributes.extend(
                element.attrib[name] for name in _SHOWN_ATTRIBUTES if name in element.attrib
            )
            key = element.attrib.get("name") or element.attrib.get("property") or ""
            if element.tag == "meta" and key.lower() in META_ROLES:
                attributes.append(element.attrib.get("content", ""))
        for child in element:
            if child.tail and not hide:
                visible.append(child.tail)
    return visible, attributes, never


def _text_only(msgid: str) -> str:
    return "".join(msgid[t.start : t.end] for t in fragment_tokens(msgid) if t.kind == "text")


def _squeeze(text: str) -> str:
    """Letters and digits only: spaces, and punctuation a segment leaves out ("(...)"), go."""
    return re.sub(r"[\W_]+", "", text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_visible_text_is_in_the_template(page: Path) -> None:
    doc = read(page)
    msgids = [s.text for s in doc.segments()]
    # The text of the msgids in page order, tags out, as one string without spaces.
    prose = _squeeze("".join(unescape(_text_only(m)) for m in msgids))
    everything = _squeeze(unescape(" ".join(msgids)))
    visible, attributes, _ = shown(doc.text)
    missing = [t for t in visible if translatable(t) and _squeeze(t) not in prose]
    assert not missing, missing[:5]
    missing = [a for a in attributes if translatable(a) and _squeeze(a) not in everything]
    assert not missing, missing[:5]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_nothing_never_translated_reaches_translation(page: Path) -> None:
    """Scripts, styles, code, comments, translate="no"…: not in the template, or only inside
    the markup a msgid carries as written, which is masked before MT. (A text that is also
    shown elsewhere on the page may reach MT as often as it is shown.)"""
    doc = read(page)
    seen_by_mt = _squeeze(" ".join(protect(s.text).text for s in doc.segments()))
    visible, attributes, never = shown(doc.text)
    shown_text = _squeeze(" ".join(visible + attributes))
    leaked = [
        t
        for t in {_squeeze(t) for t in never if len(collapse(t)) >= 8 and translatable(t)}
        if seen_by_mt.count(t) > shown_text.count(t)
    ]
    assert not leaked, leaked[:3]


# -- the pseudo-localised edition keeps the page --------------------------------------------

_TRANSLATED_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "value"}


def structure(text: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every element in document order, with its attributes except the translated ones; the
    head's meta and link elements are left out (the edition adds some)."""
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "link", "html"):
            continue
        attrs = tuple(
            sorted((k, v) for k, v in element.attrib.items() if k not in _TRANSLATED_ATTRIBUTES)
        )
        found.append((element.tag, attrs))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pseudo_edition_keeps_the_dom(page: Path) -> None:
    doc = read(page)
    links = Links.build(Publication(), "fr", ["en"], page.stem)
    edition = render_html(doc, pseudo_translations(doc), "en", "fr", context=EditionContext(links))
    assert structure(edition) == structure(doc.text)
    tree = html5lib.parse(edition, namespaceHTMLElements=False)
    assert tree.get("lang") == "en" and tree.get("dir") == "ltr"
    links = [e.get("hreflang") for e in tree.iter("link") if e.get("rel") == "alternate"]
    assert {"fr", "en"} <= set(links)
    assert re.search(r"charset=[\"']?utf-8", edition, re.I)
    assert "Ţ" in edition or "ţ" in edition or "é" in edition  # pseudo text is there
