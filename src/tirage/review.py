"""Review decisions, shared by the terminal queue (`tirage review`) and the web desk
(`tirage serve`): what needs review and in which order, what to show about an entry, and
how a decision reaches the catalog.

A decision is applied to the catalog as it is on disk at that moment, never to the copy
the reviewer was shown: what a translator saved meanwhile in another tool stays. When the
entry itself changed on disk since it was shown (another tab, Poedit, a `translate` run),
the decision is refused with a `Conflict` that carries the version on disk, so the
reviewer can pick or merge; nothing is overwritten.
"""

from __future__ import annotations

import difflib
import math
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from tirage.catalog import timestamp
from tirage.containment import read_regular
from tirage.errors import CatalogError, TirageError
from tirage.history import Change, History
from tirage.memory import Match, TranslationMemory
from tirage.po.charsets import decode_catalog
from tirage.po.locking import _SEPARATOR, Splice, Stamp, modify_po
from tirage.po.pofile import format_entry, format_po, parse_po
from tirage.provenance import Provenance, get_provenance
from tirage.quality.checks import ERROR, Check, Context, check_entry
from tirage.text.glossary import load_glossary
from tirage.workspace import Workspace

ACCEPTED, EDITED, SKIPPED = "accepted", "edited", "skipped"
Findings = list[tuple[Check, str]]


def confidence(provenance: Provenance | None) -> float | None:
    """0–1, comparable across engines: memory similarity, or exp(mean log-probability).

    None when nothing vouches for the text: fuzzy from a source change, or an engine that
    gives no score (Apertium).
    """
    if provenance is None or provenance.score is None:
        return None
    score = provenance.score
    if provenance.engine == "memory" or score > 1:
        return max(0.0, min(1.0, score / 100))
    if score <= 0:
        return math.exp(score)
    return score


def checks_context(ws: Workspace, lang: str) -> Context:
    glossary = load_glossary(ws.glossary_path)
    return Context(ws.source_lang, lang, tuple(glossary.keep), glossary.forced(lang))


def needs_review(entry: polib.POEntry) -> bool:
    """Fuzzy, with a translation to look at (plural entries are left to PO editors)."""
    return "fuzzy" in entry.flags and bool(entry.msgstr) and not entry.msgid_plural


def source_changed(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags and bool(entry.previous_msgid)


def errors_in(findings: Findings) -> Findings:
    return [(check, evidence) for check, evidence in findings if check.severity == ERROR]


@dataclass
class Catalog:
    doc: str
    path: Path
    po: polib.POFile
    active: list[polib.POEntry]
    data: bytes | None = None  # the file's bytes `po` was parsed from, when kept (UTF-8)
    _index: dict[tuple[str | None, str], polib.POEntry] | None = None
    _places: dict[int, int] | None = None
    # Where the blank line before each entry of `po` was in `data` when last found, the
    # moves planned saves made since (first entry moved, bytes), and each entry's place.
    _blocks: list[int] | None = None
    _moves: list[tuple[int, int]] = field(default_factory=list)
    _order: dict[int, int] | None = None

    def place(self, entry: polib.POEntry) -> int | None:
        """Where this very entry object is in `active` (a walk of 20,000 is milliseconds)."""
        if self._places is None:
            self._places = {id(e): i for i, e in enumerate(self.active)}
        found = self._places.get(id(entry))
        return found if found is not None and self.active[found] is entry else None

    def block_at(self, entry: polib.POEntry) -> tuple[int, int]:
        """Where the blank line before `entry`'s block should be in `data`, and the entry's
        place in `po`; (-1, -1) when unknown. The blocks are found once (a search of a 6 MB
        catalog for one entry took up to 1.4 ms a save), then moved by each planned save;
        the caller checks the bytes there."""
        if self.data is None:
            return -1, -1
        if self._blocks is None or len(self._moves) > MOVES_KEPT:
            self._blocks = [found.start() for found in _BLANK_LINE.finditer(self.data)]
            self._moves = []
            if len(self._blocks) != len(self.po):  # not one block to an entry: searched
                self._blocks = []
        if self._order is None:
            self._order = {id(e): i for i, e in enumerate(self.po)}
        index = self._order.get(id(entry), -1)
        if not 0 <= index < len(self._blocks):
            return -1, -1
        return self._blocks[index] + sum(by for first, by in self._moves if index >= first), index

    def moved(self, moves: list[tuple[int, int]] | None) -> None:
        """After a planned save: how it moved the blocks (None: not known, found again)."""
        if moves is None:
            self._blocks = None if self._blocks else self._blocks
        else:
            self._moves.extend(moves)

    def entry(self, msgid: str, msgctxt: str | None) -> polib.POEntry | None:
        """The live entry with this msgid and context (polib's `find` walks the list)."""
        if self._index is None:
            self._index = {(e.msgctxt, e.msgid): e for e in reversed(self.po) if not e.obsolete}
        return self._index.get((msgctxt, msgid))


MOVES_KEPT = 64  # planned saves' moves kept before the blocks are found again
_BLANK_LINE = re.compile(rb"\n\n")


def load_catalog(path: Path) -> Catalog:
    data = read_regular(path, CatalogError)
    text, charset = decode_catalog(data, path)
    po = parse_po(text, path)
    # The bytes are kept (not the text): a save compares and writes bytes, never decoding.
    kept = data if charset is None else None
    return Catalog(path.stem, path, po, [e for e in po if not e.obsolete and e.msgid], kept)


@dataclass
class Item:
    catalog: Catalog
    entry: polib.POEntry
    position: int  # index in catalog.active
    confidence: float | None
    findings: Findings
    base: str  # the msgstr as on disk when last shown: a decision expects it still there
    decision: str = ""


def queue_key(item: Item) -> tuple[int, float, int, int, int]:
    """Least confident first (see `order_key`)."""
    return order_key(item.confidence, item.findings, item.entry.msgid)


def order_key(
    score: float | None, findings: Findings, msgid: str
) -> tuple[int, float, int, int, int]:
    """Least confident first. Entries without a score come before all others (nothing
    vouches for them), the ones with the most error, then warning, findings first, then
    the longest source; the sort is stable, so catalog order settles the rest."""
    errors = len(errors_in(findings))
    if score is None:
        return (0, 0.0, -errors, -(len(findings) - errors), -len(msgid))
    return (1, score, 0, 0, 0)


def queue_items(catalog: Catalog, check: Callable[[polib.POEntry], Findings]) -> list[Item]:
    """The entries of one catalog that need review, in catalog order; `check` gives an
    entry's findings (the web desk caches them)."""
    return [
        Item(
            catalog,
            entry,
            position,
            confidence(get_provenance(entry)),
            check(entry),
            entry.msgstr,
        )
        for position, entry in enumerate(catalog.active)
        if needs_review(entry)
    ]


def catalog_paths(ws: Workspace, lang: str) -> list[Path]:
    """The catalogs of one target language: the only files the review ever writes."""
    folder = ws.locales_dir / lang
    return sorted(folder.glob("*.po")) if lang in ws.targets and folder.is_dir() else []


def catalog_path(ws: Workspace, lang: str, doc: str) -> Path | None:
    """The catalog of `doc` in `lang`, only if the workspace has it: a request names a
    catalog, it never builds a path."""
    for path in catalog_paths(ws, lang):
        if path.stem == doc:
            return path
    return None


QUEUE_ORDERS = ("document", "confidence")


def build_queue(
    ws: Workspace, lang: str, docs: tuple[str, ...] = (), order: str = "document"
) -> list[Item]:
    """Every fuzzy entry with a translation of one language: in document order (catalog
    by catalog), or least confident first (`order="confidence"`)."""
    context = checks_context(ws, lang)
    items: list[Item] = []
    for path in catalog_paths(ws, lang):
        if not docs or path.stem in docs:
            items += queue_items(load_catalog(path), lambda e: check_entry(e, context))
    if order == "confidence":
        items.sort(key=queue_key)
    return items


# -- what to show ---------------------------------------------------------------------------


def describe_confidence(value: float | None) -> str:
    return "no score" if value is None else f"confidence {value:.0%}"


ENGINE_NAMES = {"argos": "Argos", "apertium": "Apertium", "pseudo": "Pseudo-localisation",
                "memory": "Translation memory"}  # fmt: skip


def provenance_words(provenance: Provenance, source: str, target: str) -> str:
    """The engine's record in words: "Apertium 3.8.3 (fr→es)", "Argos fr→en 1.9, score
    −0.41", "Translation memory (doc), 92 % similar"."""
    name = ENGINE_NAMES.get(provenance.engine, provenance.engine)
    pair = f"{source}→{target}"
    if provenance.engine == "memory":
        where = f" ({provenance.model})" if provenance.model else ""
        score = f", {provenance.score:.0f} % similar" if provenance.score is not None else ""
        return f"{name}{where}{score}"
    if provenance.engine == "apertium":
        words = f"{name} {provenance.version} ({pair})".replace("  ", " ")
    else:
        words = f"{name} {pair} {provenance.version}".rstrip()
    if provenance.score is not None:
        words += f", score {provenance.score:.2f}".replace("-", "\u2212")
    return words


def author_words(entry: polib.POEntry, raw_mt: str | None, source: str, target: str) -> str:
    """Who wrote the text now in the entry, in words: a person, or an engine.

    Provenance stays on an entry once a human has reviewed or edited it (stats count it as
    post-edited), so the record alone does not make the text a machine's: it is a
    machine's only while fuzzy and equal to the raw output the memory kept (when it kept
    one)."""
    if not entry.msgstr:
        return "untranslated"
    provenance = get_provenance(entry)
    if provenance is None:
        return "written by a person"
    words = provenance_words(provenance, source, target)
    machine = "fuzzy" in entry.flags and (raw_mt is None or raw_mt == entry.msgstr)
    return f"machine translation: {words}" if machine else f"post-edited by a person from {words}"


def memory_matches(
    memory: TranslationMemory, entry: polib.POEntry, src: str, tgt: str, limit: int = 9
) -> list[Match]:
    """Memory matches worth inserting: never the entry's own text back as a 100 % match."""
    found = memory.search(entry.msgid, src, tgt, 60.0, limit + 1)
    return [m for m in found if m.target != entry.msgstr][:limit]


_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
EQUAL, DELETED, INSERTED = "equal", "delete", "insert"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) runs that turn `old` into `new`, word by word."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append((EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append((DELETED, "".join(a[i1:i2])))
        if j2 > j1:
            runs.append((INSERTED, "".join(b[j1:j2])))
    return runs


# -- who reviews -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reviewer:
    """The name written to Last-Translator, and where it came from (told to the user)."""

    name: str
    origin: str


def default_reviewer(ws: Workspace) -> Reviewer:
    """tirage.toml's `[team] translator`, else git's user, else the login name."""
    if ws.translator:
        return Reviewer(ws.translator, "[team] translator in tirage.toml")
    if shutil.which("git"):
        try:
            name, email = (
                subprocess.run(
                    ["git", "config", key], capture_output=True, text=True, cwd=ws.root, check=False
                ).stdout.strip()
                for key in ("user.name", "user.email")
            )
        except OSError:
            name = email = ""
        if name:
            who = f"{name} <{email}>" if email else name
            return Reviewer(who, "your git identity (git config user.name and user.email)")
    try:
        import getpass

        return Reviewer(getpass.getuser(), "your login name")
    except (OSError, KeyError):
        return Reviewer("unknown", "nowhere: no git identity or login name")


def reviewer_notice(reviewer: Reviewer) -> str:
    return (
        f"Last-Translator: {reviewer.name} (from {reviewer.origin}; "
        "set [team] translator in tirage.toml or pass --reviewer to change it)"
    )


# -- deciding --------------------------------------------------------------------------------


FORM_SEPARATOR = " | "  # a plural entry's forms in one line, for the record and a conflict


def plural_forms(entry: polib.POEntry) -> list[str]:
    """A plural entry's translations, in the order of the catalog's forms."""
    return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]


class Conflict(TirageError):
    """The entry changed on disk since it was shown; nothing was written."""

    def __init__(
        self,
        path: Path,
        msgid: str,
        disk: str | None,
        disk_fuzzy: bool = False,
        disk_forms: list[str] | None = None,
    ):
        what = "is gone from the catalog" if disk is None else "changed on disk since it was shown"
        super().__init__(f"entry {msgid[:40]!r} {what}; not saved", path)
        self.msgid = msgid
        self.disk = disk  # the msgstr on disk now, None when the entry is gone
        self.disk_fuzzy = disk_fuzzy
        self.disk_forms = disk_forms  # a plural entry's forms on disk now


@dataclass
class Saved:
    entry: polib.POEntry  # as written
    translator_changed: bool  # Last-Translator was something else before this save
    # The file written, when `known` was written as planned: `known` is what it holds.
    stamp: Stamp | None = None


def mark_reviewed(entry: polib.POEntry) -> None:
    """A human has looked: no longer fuzzy, and the old source text has served its purpose."""
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


@dataclass
class Decision:
    """Accept (`msgstr` equal to `base`) or edit one entry of one catalog."""

    path: Path
    lang: str
    msgid: str
    msgctxt: str | None
    msgstr: str
    base: str  # what the reviewer was shown; the entry on disk must still hold it
    reviewer: str
    doc: str = field(init=False)
    # A plural entry: its forms in the catalog's order, and the forms the reviewer was shown
    # (`msgstr` and `base` are then the forms joined, for the record).
    forms: tuple[str, ...] | None = None
    base_forms: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        self.doc = self.path.stem


def apply_decision(
    ws: Workspace,
    decision: Decision,
    memory: TranslationMemory | None = None,
    known: Catalog | None = None,
) -> Saved:
    """Write one decision into the catalog as it is on disk now (through `modify_po`: under
    the catalog's lock, re-checked before the atomic rename) and record it in the memory,
    with the post-edit distance from the raw machine output.

    `known` is the catalog as the caller read it (its text kept): while the file still
    holds that text, only the decided entry's block and the header are written again, and
    the file is not parsed again; `known` is then changed in place to match the new file
    (or its `text` set to None when it no longer matches anything). A 20,000-entry catalog
    takes seconds to parse and format; this takes milliseconds."""
    saved: list[Saved] = []
    raw: list[tuple[str, str, Provenance]] = []  # the machine output the decision replaced
    before: list[tuple[str, str]] = []  # the entry's text and state before the decision

    def settle(fresh: polib.POFile, target: polib.POEntry | None) -> polib.POFile:
        if target is None:
            raise Conflict(decision.path, decision.msgid, None)
        if bool(target.msgid_plural) != (decision.forms is not None):
            raise Conflict(decision.path, decision.msgid, None)  # not the entry it was
        shown = plural_forms(target) if target.msgid_plural else None
        if shown is not None:
            stale = shown != list(decision.base_forms or ())
        else:
            stale = target.msgstr != decision.base
        if stale:
            disk = FORM_SEPARATOR.join(shown) if shown is not None else target.msgstr
            raise Conflict(decision.path, decision.msgid, disk, "fuzzy" in target.flags, shown)
        provenance = get_provenance(target)
        state = "needs review" if "fuzzy" in target.flags else "reviewed"
        text = FORM_SEPARATOR.join(shown) if shown is not None else target.msgstr
        before[:] = [(text, state if any(shown or [target.msgstr]) else "untranslated")]
        raw[:] = []
        if provenance is not None and "fuzzy" in target.flags:
            raw.append((target.msgid, target.msgstr, provenance))
        if decision.forms is not None:
            target.msgstr_plural = dict(enumerate(decision.forms))
        else:
            target.msgstr = decision.msgstr
        mark_reviewed(target)
        changed = fresh.metadata.get("Last-Translator") != decision.reviewer
        fresh.metadata["Last-Translator"] = decision.reviewer
        fresh.metadata["PO-Revision-Date"] = timestamp()
        saved[:] = [Saved(target, changed)]
        return fresh

    def decide(fresh: polib.POFile | None) -> polib.POFile:
        if fresh is None:
            raise Conflict(decision.path, decision.msgid, None)
        return settle(fresh, fresh.find(decision.msgid, msgctxt=decision.msgctxt))

    plan = _plan(known, decision, settle) if known is not None else None
    planned, moves = plan if plan is not None else (None, None)
    as_planned = saved[:]
    saved.clear()
    done = False
    try:
        modify_po(ws, decision.path, decide, planned=planned)
        done = True
    finally:
        if known is not None and as_planned and not (done and not saved):
            known.data = None  # changed by the plan, not what the file holds: not to be used
    if not saved:  # `decide` did not run again: the planned text is what was written
        assert planned is not None and known is not None
        known.data = planned.after
        known.moved(moves)
        saved[:] = [replace(as_planned[0], stamp=planned.stamp)]
    if memory is not None:
        for msgid, text, provenance in raw:
            # The raw output goes on record before the reviewed text replaces it.
            memory.record_mt(
                msgid, text, ws.source_lang, decision.lang, decision.doc, provenance,
                decision.msgctxt or "",
            )  # fmt: skip
        memory.record_entry(saved[0].entry, ws.source_lang, decision.lang, decision.doc)
        memory.commit()
    with History.open(ws) as history:
        history.record(
            Change(
                timestamp(), decision.reviewer, decision.lang, decision.doc, decision.msgctxt,
                decision.msgid, before[0][0], before[0][1], decision.msgstr,
            )
        )  # fmt: skip
    return saved[0]


def _plan(
    known: Catalog,
    decision: Decision,
    settle: Callable[[polib.POFile, polib.POEntry | None], polib.POFile],
) -> tuple[Splice, list[tuple[int, int]] | None] | None:
    """The bytes `known` was read from, and those bytes with the decision made: the decided
    entry's block and the header block written again, every other byte left as it is. The
    entry's block is found by its own text, as `format_entry` writes it (msgid and context
    are unique in a catalog, and a blank line never occurs inside an entry). None when
    that cannot be done: a conflict, or a file not in canonical form (then the full save).
    With the splice, how it moves the blocks after the header and after the entry."""
    data = known.data
    target = known.entry(decision.msgid, decision.msgctxt)
    if data is None or target is None:
        return None
    separator = _SEPARATOR.encode()
    needle = separator + format_entry(target).encode("utf-8")

    def here(at: int) -> bool:
        end = at + len(needle)
        return data.startswith(needle, at) and (end == len(data) or data.startswith(b"\n", end))

    at, index = known.block_at(target)
    if at < 0 or not here(at):
        at, index = data.find(needle), -1
        while at != -1 and not here(at):
            at = data.find(needle, at + 1)
    header_end = data.find(separator)
    head = data[:header_end]
    if at == -1 or header_end > at or not (head.startswith(b'msgid ""') or b'\nmsgid ""\n' in head):
        return None  # not found, or no header block to write the reviewer into
    try:
        settle(known.po, target)
    except TirageError:  # a conflict or a plural: decided on the file itself
        return None
    view = memoryview(data)  # the pieces are not copied before they are joined
    header = header_block(known.po).encode("utf-8")
    block = format_entry(target).encode("utf-8")
    pieces: list[bytes | memoryview] = [
        header,
        view[header_end:at],
        separator,
        block,
        view[at + len(needle) :],
    ]
    moves = None  # found by a search (the blocks are not one to an entry): found again
    if index >= 0:
        moves = [(0, len(header) - header_end), (index + 1, len(block) + 2 - len(needle))]
    return Splice(data, b"".join(pieces)), moves


def header_block(po: polib.POFile) -> str:
    """The catalog's header as `format_po` writes it, without the blank line after it."""
    probe = polib.POFile()
    probe.header = po.header
    probe.metadata = dict(po.metadata)
    probe.metadata_is_fuzzy = po.metadata_is_fuzzy
    probe.append(polib.POEntry(msgid="-", msgstr=""))  # format_po writes no lone header
    return format_po(probe).split(_SEPARATOR, 1)[0]
