"""Templates and catalogs: build `locales/<doc>.pot` from a Document, merge it into each
`locales/<lang>/<doc>.po` with msgmerge's semantics, and keep the output free of churn.

Merge rules (those of `msgmerge --previous`, checked against it in the tests):
- same msgid: translation, flags and translator comments (provenance) are kept;
- same msgid among obsolete entries: revived as it was;
- otherwise the most similar translated old entry (above 60 %, found as msgmerge finds it:
  `tirage.po.fuzzy`) lends its translation: fuzzy, with the old text as `#| msgid`;
- translated old entries nobody took become obsolete (`#~`); untranslated ones are dropped.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import polib
from babel.messages.plurals import get_plural

from tirage.document import Document, Segment, forget_lines
from tirage.errors import CatalogError
from tirage.languages import gettext_code
from tirage.po.fuzzy import FuzzyIndex
from tirage.po.locking import modify_po
from tirage.po.pofile import inherit_header, parse_po, read_text
from tirage.workspace import Workspace, language_name

GENERATOR = "tirage"
DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")


@dataclass
class MergeReport:
    kept: int = 0
    added: int = 0
    fuzzy: int = 0
    revived: int = 0
    obsoleted: int = 0


@dataclass
class UpdateResult:
    """One file `update` plans (the template or a language's catalog), then writes."""

    path: Path
    catalog: polib.POFile
    report: MergeReport
    written: bool = False
    template: polib.POFile | None = None  # for a language's catalog: what it merges
    read: str | None = None  # the file's text when the plan read it


def timestamp() -> str:
    """Now in gettext's header format; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch) if epoch else time.time(), UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


class TemplateEntry(polib.POEntry):  # type: ignore[misc]  # polib has no types
    """A template's message in about a fifth of a `polib.POEntry`'s memory with its lists
    and dicts (a 50 MB source makes 600,000 of them). It stores only what a template sets:
    the msgid, the extracted comment and the references, in slots. Every other field is
    polib's default, read from the class and immutable (a translation set on an entry is
    stored on that entry alone)."""

    __slots__ = ("comment", "lines", "msgid", "name")

    msgstr = ""
    msgid_plural = ""
    msgstr_plural: Mapping[int, str] = MappingProxyType({})
    msgctxt = None
    obsolete = False
    encoding = "utf-8"
    tcomment = ""
    flags: tuple[str, ...] = ()
    previous_msgctxt = None
    previous_msgid = None
    previous_msgid_plural = None
    linenum = None

    def __init__(self, msgid: str, comment: str, name: str, line: int) -> None:
        self.msgid = msgid
        self.comment = comment
        self.name = name
        # The references, all in one file: the lines as numbers, made into polib's
        # (name, "line") pairs only when asked for (a pair is four objects).
        self.lines: int | tuple[int, ...] = line

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        return [(self.name, str(line)) for line in lines]

    def add_line(self, line: int) -> None:
        lines = (self.lines,) if isinstance(self.lines, int) else self.lines
        if line not in lines:
            self.lines = (*lines, line)


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
    for segment in _segments(doc, release):
        entry = by_id.get(segment.text)
        if entry is None:
            entry = TemplateEntry(segment.text, segment.role, doc.name, segment.line)
            by_id[segment.text] = entry
            pot.append(entry)
            continue
        if segment.role not in entry.comment.split(", "):
            entry.comment += f", {segment.role}"
        entry.add_line(segment.line)
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


def merge(old: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, MergeReport]:
    """msgmerge --previous: a new catalog with `template`'s entries and `old`'s translations."""
    report = MergeReport()
    merged = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    merged.metadata = dict(old.metadata)
    inherit_header(old, merged)
    if "POT-Creation-Date" in template.metadata:
        merged.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]
    merged.header = old.header
    merged.metadata_is_fuzzy = old.metadata_is_fuzzy

    active = {_key(e): e for e in old if not e.obsolete}
    obsolete = {_key(e): e for e in old if e.obsolete}
    used: set[int] = set()
    unmatched: list[polib.POEntry] = []
    result: list[polib.POEntry | None] = []
    for new in template:
        donor = active.get(_key(new))
        revived = donor is None and _key(new) in obsolete
        donor = donor or obsolete.get(_key(new))
        if donor is None:
            unmatched.append(new)
            result.append(None)
            continue
        used.add(id(donor))
        report.revived += revived
        report.kept += not revived
        result.append(_carry(new, donor, fuzzy_from=None))

    # Fuzzy matches only for what found no exact match. As in msgmerge, any old entry with a
    # translation can lend it (fuzzy and obsolete ones, and those already matched exactly,
    # too), to several new entries at once (see tirage.po.fuzzy).
    fuzzy = FuzzyIndex(list(old)) if unmatched else None
    fuzzy_for: dict[int, polib.POEntry] = {}
    for new in unmatched:
        found = fuzzy.search(new.msgctxt, new.msgid) if fuzzy is not None else None
        if found is not None:
            fuzzy_for[id(new)] = found
    for index, entry in enumerate(result):
        if entry is not None:
            continue
        new = template[index]
        donor = fuzzy_for.get(id(new))
        if donor is None:
            report.added += 1
            result[index] = _copy(new)
        else:
            used.add(id(donor))
            report.fuzzy += 1
            result[index] = _carry(new, donor, fuzzy_from=donor)
    merged.extend(e for e in result if e is not None)

    for entry in old:
        if id(entry) in used or not _has_translation(entry):
            continue
        gone = _copy(entry)
        gone.obsolete = True
        gone.occurrences = []
        gone.comment = ""  # msgmerge keeps only what a translator wrote
        report.obsoleted += not entry.obsolete
        merged.append(gone)
    return merged, report


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _copy(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
        obsolete=entry.obsolete,
    )


def _carry(
    new: polib.POEntry, donor: polib.POEntry, fuzzy_from: polib.POEntry | None
) -> polib.POEntry:
    """The template's entry with the donor's translation, comments and flags."""
    entry = _copy(new)
    entry.msgstr = donor.msgstr
    entry.msgstr_plural = dict(donor.msgstr_plural)
    entry.tcomment = donor.tcomment
    entry.flags = list(dict.fromkeys([*donor.flags, *new.flags]))
    entry.previous_msgid = donor.previous_msgid
    entry.previous_msgctxt = donor.previous_msgctxt
    if fuzzy_from is not None:
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        if not fuzzy_from.fuzzy:  # a fuzzy donor passes on its own `#|`, even none
            entry.previous_msgid = fuzzy_from.msgid
            entry.previous_msgctxt = fuzzy_from.msgctxt
    elif "fuzzy" not in entry.flags:
        entry.previous_msgid = entry.previous_msgctxt = None
    return entry


def translated_count(po: polib.POFile) -> int:
    """Entries holding any translation, obsolete ones included: what a merge must not lose."""
    return sum(1 for e in po if _has_translation(e))


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


def same_entries(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two catalogs differ at most in their header dates."""

    def header(po: polib.POFile) -> dict[str, str]:
        return {k: v for k, v in po.metadata.items() if k not in DATE_FIELDS}

    return header(a) == header(b) and [_fields(e) for e in a] == [_fields(e) for e in b]


def _fields(e: polib.POEntry) -> tuple[object, ...]:
    return (
        e.msgctxt,
        e.msgid,
        e.msgid_plural,
        e.msgstr,
        sorted(e.msgstr_plural.items()),
        e.comment,
        e.tcomment,
        list(e.occurrences),
        list(e.flags),
        e.previous_msgctxt,
        e.previous_msgid,
        e.previous_msgid_plural,
        e.obsolete,
    )


def plan_document(ws: Workspace, doc: Document, langs: Iterable[str]) -> list[UpdateResult]:
    """The document's new template and merged catalogs, computed without writing anything.
    `doc` is emptied as its template is built (see `build_template`)."""
    pot_path = ws.pot_path(doc.stem)
    name, stem = doc.name, doc.stem
    template = build_template(doc, release=True)
    pot_text = None
    if pot_path.exists():
        pot_text = read_text(pot_path)
        date = _unchanged_date(pot_text, pot_path, template)
        if date is not None:
            template.metadata["POT-Creation-Date"] = date
    plans = [UpdateResult(pot_path, template, MergeReport(), read=pot_text)]
    for lang in langs:
        plans.append(_plan_catalog(ws, template, lang, ws.po_path(lang, stem), name))
    return plans


# Each step below is a function of its own so that what it parsed (a whole catalog in polib
# objects) is freed when it returns, before the next catalog is read.


def _unchanged_date(text: str, path: Path, template: polib.POFile) -> str | None:
    """The previous template's creation date, when its entries are the new template's."""
    previous = parse_po(text, path)
    if not same_entries(previous, template):
        return None
    return str(previous.metadata.get("POT-Creation-Date", ""))


def _plan_catalog(
    ws: Workspace, template: polib.POFile, lang: str, path: Path, doc_name: str
) -> UpdateResult:
    if not path.exists():
        merged, report = fresh_catalog(template, lang, ws, doc_name)
        return UpdateResult(path, merged, report, template=template)
    text = read_text(path)
    old = parse_po(text, path)
    merged, report = merge(old, template)
    if translated_count(merged) < translated_count(old):
        raise CatalogError("merge would lose translations; catalog left as it was", path)
    return UpdateResult(path, merged, report, template=template, read=text)


def update_documents(
    ws: Workspace, docs: Iterable[Document], langs: Iterable[str]
) -> list[UpdateResult]:
    """Merge every document for every language; write only once all merges succeeded, so
    one bad catalog leaves every file as it was."""
    langs = list(langs)
    plans = [plan for doc in docs for plan in plan_document(ws, doc, langs)]
    for plan in plans:
        change = functools.partial(_merge_again, plan)
        planned = None if plan.read is None else (plan.read, plan.catalog)
        plan.written = modify_po(ws, plan.path, change, planned=planned)
        plan.read = None  # the text as read: not needed once the file is saved
    return plans


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
