"""One entry as a reviewer sees it, assembled once for both front ends: the terminal queue
(`cli/review_queue.py`) and the web desk (`serve/pages.py`) only render an `EntryView`.

It holds the entry's context (its paragraph in the source), its translation's author and
provenance in words, the confidence, the memory's matches, the word diff of a changed
source, the check findings (less the warnings ignored for this entry), the history of
decisions, plural forms labelled from the language's rules, the reviewed translations in
the other target languages, and the glossary terms found in the source.

What a view reads beyond its catalog comes through `Lookups`: the desk's memo keeps those
between requests; `Direct` reads them as asked, for the terminal.
"""

from __future__ import annotations

import gettext
import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polib

from tirage import languages
from tirage.document import Document
from tirage.history import Change, History
from tirage.memory import FILENAME, Match, TranslationMemory
from tirage.provenance import get_provenance
from tirage.quality.checks import ERROR, Check, Context, check_entry
from tirage.readers import read_document
from tirage.review import (
    Catalog,
    Findings,
    author_words,
    catalog_path,
    checks_context,
    confidence,
    describe_confidence,
    load_catalog,
    memory_matches,
    needs_review,
    plural_forms,
    word_diff,
)
from tirage.workspace import Workspace

HISTORY_SHOWN = 20  # decisions in a view, the latest
Paragraph = list[tuple[str, bool]]  # a paragraph's sentences, (text, is this the entry)


class Lookups(Protocol):
    """What a view reads beyond the entry's own catalog."""

    def catalog(self, path: Path) -> Catalog: ...

    def paragraph(self, doc: str, msgid: str) -> Paragraph: ...

    def context(self, lang: str) -> Context: ...

    def findings(
        self, lang: str, entry: polib.POEntry, context: Context | None = None
    ) -> Findings: ...


@dataclass
class EntryView:
    position: int  # in the catalog's live entries
    entry: polib.POEntry
    author: str  # who or what wrote the translation, in words
    confidence: str  # in words; "" once reviewed
    findings: Findings  # less the warnings ignored for this entry
    matches: list[Match]
    diff: list[tuple[str, str]]  # the source's word diff from its previous msgid
    context: Paragraph
    role: str
    line: str  # the entry's references, `file:line`
    history: list[Change]  # the decisions made on it, the latest first
    forms: list[tuple[str, str]]  # a plural entry's (label, translation) per form
    others: list[tuple[str, str]]  # (language, reviewed translation) in the other targets
    terms: list[tuple[str, str]]  # glossary terms in the source, (term, what to do)
    ignored: list[str]  # the checks whose warnings are ignored for this entry
    history_more: bool = False  # earlier decisions than `history` holds


def entry_view(
    ws: Workspace,
    lookups: Lookups,
    lang: str,
    catalog: Catalog,
    position: int,
    memory: TranslationMemory | None,
) -> EntryView:
    """The view of `catalog.active[position]`, with the memory's matches when given one."""
    entry = catalog.active[position]
    matches: list[Match] = []
    raw = None
    if memory is not None:
        matches = memory_matches(memory, entry, ws.source_lang, lang)
        raw = memory.raw_output(entry.msgid, ws.source_lang, lang, catalog.doc, entry.msgctxt or "")
    forms: list[tuple[str, str]] = []
    if entry.msgid_plural:
        texts = plural_forms(entry)
        forms = list(zip(plural_labels(catalog.po, lang, len(texts)), texts, strict=True))
    history: list[Change] = []
    ignored: set[str] = set()
    if History.exists(ws):
        with History.open(ws) as kept:
            # The latest only: an entry saved all day must not make its view ever longer.
            history = kept.of(lang, catalog.doc, entry.msgid, entry.msgctxt, HISTORY_SHOWN + 1)
            ignored = kept.ignored(lang, catalog.doc, entry.msgid, entry.msgctxt)
    findings = [(c, e) for c, e in lookups.findings(lang, entry) if not ignorable(c, ignored)]
    score = describe_confidence(confidence(get_provenance(entry))) if needs_review(entry) else ""
    diff = word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else []
    line = ", ".join(f"{name}:{number}" if number else name for name, number in entry.occurrences)
    return EntryView(
        position,
        entry,
        author_words(entry, raw, ws.source_lang, lang),
        score,
        findings,
        matches,
        diff,
        lookups.paragraph(catalog.doc, entry.msgid),
        entry.comment or "",
        line,
        history[:HISTORY_SHOWN],
        forms,
        others_of(ws, lookups, lang, catalog.doc, entry),
        terms_in(lookups.context(lang), entry.msgid),
        sorted(ignored),
        len(history) > HISTORY_SHOWN,
    )


def memory_if_any(ws: Workspace) -> AbstractContextManager[TranslationMemory | None]:
    """The workspace's memory, opened; None (and no file made) when it has none yet."""
    if (ws.state_dir / FILENAME).is_file():
        return TranslationMemory.open(ws)
    return nullcontext(None)


def ignorable(check: Check, ignored: set[str]) -> bool:
    """A warning the reviewer ignored for this entry (an error is never ignored)."""
    return check.severity != ERROR and check.name in ignored


def others_of(
    ws: Workspace, lookups: Lookups, lang: str, doc: str, entry: polib.POEntry
) -> list[tuple[str, str]]:
    """The entry's reviewed translations in the workspace's other target languages."""
    found = []
    for other in ws.targets:
        path = catalog_path(ws, other, doc) if other != lang else None
        if path is None:
            continue
        twin = lookups.catalog(path).entry(entry.msgid, entry.msgctxt)
        if twin is not None and twin.msgstr and "fuzzy" not in twin.flags:
            found.append((other, twin.msgstr))
    return found


def terms_in(context: Context, msgid: str) -> list[tuple[str, str]]:
    """The glossary's terms found in the source text, with what the glossary asks."""
    terms = [(term, "keep as written") for term in context.keep if term in msgid]
    terms += [(term, f"translate as “{target}”") for term, target in context.forced.items()
              if term in msgid]  # fmt: skip
    return terms


CANDIDATES = [*range(1000), 10**6, 2 * 10**6, 10**7]  # numbers to find each form's examples


def plural_labels(po: polib.POFile, lang: str, count: int) -> list[str]:
    """A label per plural form, from the catalog's Plural-Forms and the language's plural
    rules (babel's CLDR categories): "one (1, 21, 31…)", "other (0, 2, 3…)"."""
    found = re.search(r"plural\s*=\s*([^;]+)", po.metadata.get("Plural-Forms", ""))
    try:
        rule = gettext.c2py(found.group(1)) if found else None
    except (ValueError, SyntaxError, RecursionError):
        rule = None
    locale = languages.parse(lang)
    labels = []
    for index in range(count):
        examples = [n for n in CANDIDATES if rule is not None and rule(n) == index][:3]
        if not examples:
            labels.append(f"form {index + 1}")
            continue
        category = locale.plural_form(examples[0]) if locale is not None else f"form {index + 1}"
        more = "…" if len(examples) == 3 else ""
        labels.append(f"{category} ({', '.join(map(str, examples))}{more})")
    return labels


def paragraph_index(document: Document) -> dict[str, int]:
    """Each sentence's first paragraph (block) in the document: a walk of 20,000 sentences
    for every view took 10 ms."""
    first: dict[str, int] = {}
    for number, block in enumerate(document.blocks):
        for segment in block.segments:
            first.setdefault(segment.text, number)
    return first


def paragraph_of(document: Document | None, index: dict[str, int], msgid: str) -> Paragraph:
    """The sentences of the (first) paragraph holding `msgid`; `msgid` alone when none."""
    found = index.get(msgid) if document is not None else None
    if document is None or found is None:
        return [(msgid, True)]
    return [(segment.text, segment.text == msgid) for segment in document.blocks[found].segments]


class Direct:
    """`Lookups` read as asked, each kept for the life of the object (one terminal run)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._catalogs: dict[Path, Catalog] = {}
        self._documents: dict[str, tuple[Document | None, dict[str, int]]] = {}
        self._contexts: dict[str, Context] = {}

    def catalog(self, path: Path) -> Catalog:
        if path not in self._catalogs:
            self._catalogs[path] = load_catalog(path)
        return self._catalogs[path]

    def paragraph(self, doc: str, msgid: str) -> Paragraph:
        if doc not in self._documents:
            source = self.ws.source(doc)
            document = None
            if source is not None:
                ws = self.ws
                document = read_document(source, ws.root, ws.source_lang, ws.markdown)
            self._documents[doc] = (document, paragraph_index(document) if document else {})
        document, index = self._documents[doc]
        return paragraph_of(document, index, msgid)

    def context(self, lang: str) -> Context:
        if lang not in self._contexts:
            self._contexts[lang] = checks_context(self.ws, lang)
        return self._contexts[lang]

    def findings(self, lang: str, entry: polib.POEntry, context: Context | None = None) -> Findings:
        return check_entry(entry, context or self.context(lang))
