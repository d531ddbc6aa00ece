"""Templates and catalogs: build `locales/<doc>.pot` from a Document, merge it into each
`locales/<lang>/<doc>.po` with msgmerge's semantics (`tirage.msgmerge`), and keep the output
free of churn.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from tirage.containment import read_regular
from tirage.document import Document, Segment, forget_lines
from tirage.entries import TemplateEntry, remake
from tirage.errors import CatalogError
from tirage.languages import gettext_code
from tirage.msgmerge import Merger, MergeReport, has_translation, merge
from tirage.po.charsets import decode_catalog
from tirage.po.locking import Known, Planned, modify_po
from tirage.po.pieces import read_pieces
from tirage.po.pofile import (
    MessagesDigest,
    header_fields,
    inherit_header,
    message_fields,
    messages_digest,
)
from tirage.workspace import Workspace, language_name

__all__ = [
    "MergeReport",
    "TemplateEntry",
    "UpdateResult",
    "build_template",
    "fresh_catalog",
    "merge",
    "missing_reviewed",
    "new_catalog",
    "plural_forms",
    "timestamp",
    "translated_count",
    "update_documents",
]

GENERATOR = "tirage"
DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")


@dataclass
class UpdateResult:
    """One file `update` plans (the template or a language's catalog), then writes."""

    path: Path
    catalog: polib.POFile
    report: MergeReport
    written: bool = False
    template: polib.POFile | None = None  # for a language's catalog: what it merges
    read: Known | None = None  # the file's bytes as the plan read them (UTF-8 only)
    unchanged: bool = False  # the plan's catalog holds the messages the file held


def timestamp() -> str:
    """Now in gettext's header format; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch) if epoch else time.time(), UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def build_template(doc: Document, *, release: bool = False) -> polib.POFile:
    """One entry per distinct sentence; repeats add a reference and keep one entry.

    `release=True` empties `doc` as it goes (its text, then each block's segments once
    taken), so a big source's Document is freed while its template grows; `update` needs
    nothing else from it."""
    pot = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    # xgettext's template header, which Poedit and msginit know how to fill in.
    pot.header = f"Translation template for {doc.name}."
    pot.metadata_is_fuzzy = True
    pot.metadata = {
        "Project-Id-Version": doc.stem,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": timestamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    by_id: dict[str, TemplateEntry] = {}
    line = 0
    for segment in _segments(doc, release):
        if segment.line != line:
            line = segment.line  # one int object for the sentences of a line, not one each
        entry = by_id.get(segment.text)
        if entry is None:
            entry = TemplateEntry(segment.text, segment.role, doc.name, line)
            by_id[segment.text] = entry
            pot.append(entry)
            continue
        if segment.role not in entry.comment.split(", "):
            entry.comment += f", {segment.role}"
        entry.add_line(line)
    if release and pot:
        del by_id, segment, entry, line
        remake(pot)
    return pot


def _segments(doc: Document, release: bool) -> Iterator[Segment]:
    if not release:
        yield from doc.segments()
        return
    doc.text = ""
    forget_lines()
    blocks, doc.blocks = doc.blocks, []
    blocks.reverse()
    while blocks:
        yield from blocks.pop().segments


def new_catalog(template: polib.POFile, lang: str, ws: Workspace, doc_name: str) -> polib.POFile:
    """An empty PO for `lang`, its header filled from babel and tirage.toml."""
    po = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    name = language_name(lang)
    po.header = f"{name} translation of {doc_name}."
    po.metadata = {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", timestamp()),
        "PO-Revision-Date": template.metadata.get("POT-Creation-Date", timestamp()),
        "Last-Translator": ws.translator,
        "Language-Team": f"{name} ({ws.team})" if ws.team else name,
        "Language": gettext_code(lang),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Generator": GENERATOR,
    }
    return po


def fresh_catalog(
    template: polib.POFile, lang: str, ws: Workspace, doc_name: str
) -> tuple[polib.POFile, MergeReport]:
    """What `merge(new_catalog(...), template)` makes, every entry new: the template's own
    entries, shared rather than copied (the catalog is written, never edited)."""
    po = new_catalog(template, lang, ws, doc_name)
    if "POT-Creation-Date" in template.metadata:
        po.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]
    po.extend(template)
    return po, MergeReport(added=len(template))


def plural_forms(lang: str) -> str:
    plural = get_plural(lang.replace("-", "_"))
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def translated_count(po: polib.POFile) -> int:
    """Entries holding any translation, obsolete ones included: what a merge must not lose."""
    return sum(1 for e in po if has_translation(e))


def missing_reviewed(po: polib.POFile, reviewed: set[str]) -> int:
    """Untranslated entries whose source, unchanged, has a reviewed translation in
    `reviewed` (what the memory learnt from this catalog): translations a save lost."""
    return sum(
        1
        for e in po
        if not e.obsolete
        and e.msgid
        and not e.msgid_plural
        and not e.msgstr
        and e.msgid in reviewed
    )


def _header(po: polib.POFile) -> dict[str, str]:
    return {k: v for k, v in po.metadata.items() if k not in DATE_FIELDS}


def plan_document(ws: Workspace, doc: Document, langs: Iterable[str]) -> list[UpdateResult]:
    """The document's new template and merged catalogs, computed without writing anything.
    `doc` is emptied as its template is built (see `build_template`)."""
    pot_path = ws.pot_path(doc.stem)
    name, stem = doc.name, doc.stem
    template = build_template(doc, release=True)
    _give_back_memory()
    read, unchanged = None, False
    if pot_path.exists():
        text, read = _read(pot_path)
        date, header = _unchanged_date(text, pot_path, template)
        del text
        _give_back_memory()
        if date is not None:
            template.metadata["POT-Creation-Date"] = date
            unchanged = header == header_fields(template)
    plans = [UpdateResult(pot_path, template, MergeReport(), read=read, unchanged=unchanged)]
    for lang in langs:
        plans.append(_plan_catalog(ws, template, lang, ws.po_path(lang, stem), name))
        _give_back_memory()
    return plans


def _give_back_memory() -> None:
    """Hand memory freed by the last step back to the system. glibc keeps freed blocks for
    the process's next allocations, and the catalogs' texts, read and written next, are too
    big to be placed there: on a 50 MB source, this lowers the second update's peak by
    about 50 MB."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only
    if trim is not None:
        trim(0)


# A file's text is not kept from its plan to its save: the plan keeps its digest, and the
# save reads it again (a big catalog's text is more than its source's size). The old
# catalogs are read in pieces (`tirage.po.pieces`), never whole in polib's objects.


def _read(path: Path) -> tuple[str, Known | None]:
    """A catalog's text (see `tirage.po.pofile.read_text`), and its bytes' digest and size
    when they are UTF-8 (a file in another charset is saved by merging it again)."""
    raw = read_regular(path, CatalogError)
    text, charset = decode_catalog(raw, path)
    return text, Known(hashlib.sha256(raw).digest(), len(raw)) if charset is None else None


def _unchanged_date(text: str, path: Path, template: polib.POFile) -> tuple[str | None, object]:
    """The previous template's creation date, when it differs from the new template at most
    in its header dates (its entries' fields compared one by one, piece by piece), and its
    `header_fields`. Every piece is read, so that a broken file is refused all the same."""
    date, header, same, count = None, None, False, 0
    for again, piece in read_pieces(text, path):
        if date is None or again:
            date, header = str(piece.metadata.get("POT-Creation-Date", "")), header_fields(piece)
            same, count = _header(piece) == _header(template), 0
        for entry in piece:
            same = (
                same
                and count < len(template)
                and message_fields(entry) == message_fields(template[count])
            )
            count += 1
    return (date if same and count == len(template) else None), header


def _plan_catalog(
    ws: Workspace, template: polib.POFile, lang: str, path: Path, doc_name: str
) -> UpdateResult:
    if not path.exists():
        merged, report = fresh_catalog(template, lang, ws, doc_name)
        return UpdateResult(path, merged, report, template=template)
    text, read = _read(path)
    merger = header = held = None
    for again, piece in read_pieces(text, path):
        if merger is None or held is None or again:
            merger, header, held = Merger(template), _header_only(piece), MessagesDigest(piece)
        for entry in piece:
            held.add(entry)
            merger.take(entry)
    del text
    assert merger is not None and header is not None and held is not None  # at least one
    translated = merger.translated  # (read before `finish`, which lets go of the old messages)
    merged, report = merger.finish(header)
    if translated_count(merged) < translated:
        raise CatalogError("merge would lose translations; catalog left as it was", path)
    # A message added, made fuzzy, revived or made obsolete is a change: no digest needed.
    moved = report.added or report.fuzzy or report.revived or report.obsoleted
    unchanged = not moved and held.digest() == messages_digest(merged)
    return UpdateResult(path, merged, report, template=template, read=read, unchanged=unchanged)


def _header_only(po: polib.POFile) -> polib.POFile:
    """A catalog with `po`'s header and none of its entries."""
    header = polib.POFile(check_for_duplicates=False)
    header.metadata = po.metadata
    header.header = po.header
    header.metadata_is_fuzzy = po.metadata_is_fuzzy
    inherit_header(po, header)
    return header


def update_documents(
    ws: Workspace, docs: Iterable[Document], langs: Iterable[str]
) -> list[UpdateResult]:
    """Merge every document for every language; write only once all merges succeeded, so
    one bad catalog leaves every file as it was."""
    langs = list(langs)
    plans = [plan for doc in docs for plan in plan_document(ws, doc, langs)]
    for plan in plans:
        change = functools.partial(_merge_again, plan)
        plan.written = modify_po(ws, plan.path, change, planned=_planned(plan))
    return plans


def _planned(plan: UpdateResult) -> Planned | None:
    """The plan's catalog, which `modify_po` writes without reading the file's text again
    while the file still has the bytes the plan read."""
    if plan.read is None:
        return None
    return Planned(plan.read, plan.catalog, unchanged=plan.unchanged)


def _merge_again(plan: UpdateResult, old: polib.POFile | None) -> polib.POFile:
    """The merge done again on the catalog as it is when it is saved: a fill or a
    translator's save made since the plan was read is merged, never undone."""
    if old is None or plan.template is None:
        return plan.catalog
    merged, plan.report = merge(old, plan.template)
    if translated_count(merged) < translated_count(old):
        raise CatalogError("merge would lose translations; catalog left as it was", plan.path)
    plan.catalog = merged
    return merged
