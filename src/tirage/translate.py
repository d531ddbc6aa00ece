"""The machine-translation first pass over the PO catalogs of a workspace.

For each target language:
1. collect entries that are untranslated *on disk* (a human's translation, or a fuzzy entry
   holding a human's old translation, is never a candidate);
2. the pre-engine step: the translation memory fills what it knows (if `tirage.memory` is
   available);
3. the engine translates the rest in batches, sorted by length, with protected spans masked
   (`tirage.text.protect`);
4. after every batch, each touched catalog is read again and only entries that are *still*
   untranslated are filled (a translator may have saved meanwhile), then saved atomically
   under the catalog's lock (`tirage.po.locking.modify_po`, which re-checks the file just
   before the rename, so a save made during ours is never overwritten).
   `kill -9` loses at most the batch in flight; the next run resumes where it stopped.

Every filled entry is `#, fuzzy` and carries a `# tirage-mt:` provenance record.
With `redo`, entries whose only content is machine output (see `redo_candidates`) are
translated again, and the same re-check before saving leaves any a human touched meanwhile.
This module never prints; the CLI reports what it returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import polib

from tirage.errors import CatalogError, EngineError
from tirage.memory import TranslationMemory
from tirage.mt import Engine, open_engine
from tirage.po.locking import modify_po
from tirage.po.pofile import read_po
from tirage.provenance import Provenance, get_provenance, set_provenance
from tirage.text.glossary import load_glossary
from tirage.text.protect import Protected, translate_protected
from tirage.workspace import Workspace

Key = tuple[str | None, str]  # (msgctxt, msgid)
ProgressFn = Callable[[str, int, int], None]  # language, done, total
CHUNK = 64  # sentences per saved batch: big enough for CTranslate2, small enough to lose
SAVE_RATIO = 10.0  # engine work between saves: at least this many times the last save's cost
MEMORY_MIN_SCORE = 75.0
REDO_ALL = "all"
# Machine output that `redo` may replace, per catalog: (msgctxt, msgid) → the raw text.
Replaceable = Mapping[Path, Mapping[Key, str]]
T = TypeVar("T")


@dataclass
class LanguageReport:
    lang: str
    pending: int = 0  # untranslated on disk when the run started
    redo: int = 0  # machine output selected to be translated again
    memory: int = 0  # filled from the translation memory
    engine: int = 0  # filled by the engine
    kept: int = 0  # filled meanwhile by someone else: left as they are
    fallback: list[str] = field(default_factory=list)  # "source/doc.txt:12: msgid…", masks lost
    empty: int = 0  # the engine returned nothing
    engine_name: str = ""
    model: str = ""
    version: str = ""
    error: EngineError | None = None  # engine unavailable: `left` entries stay untranslated

    @property
    def left(self) -> int:
        return self.pending + self.redo - self.memory - self.engine - self.kept - self.empty


@dataclass
class Report:
    languages: list[LanguageReport] = field(default_factory=list)

    @property
    def errors(self) -> list[EngineError]:
        return [lr.error for lr in self.languages if lr.error is not None]


class Batches(Protocol):
    """An engine for one language pair, wherever it runs, as the fill loop sees it."""

    name: str
    model: str
    version: str

    def run(
        self, batches: Sequence[Sequence[str]], keep: Sequence[str]
    ) -> Iterator[tuple[int, list[Protected]]]:
        """`translate_protected` on each batch; (batch index, results) as each is done."""
        ...

    def close(self) -> None: ...


class Runner(Protocol):
    def open(self, ws: Workspace, names: Sequence[str], lang: str) -> Batches:
        """The first of `names` that can translate source→lang, ready; EngineError if none."""
        ...

    def close(self) -> None: ...


class LocalRunner:
    """The engine in this process, batch after batch."""

    def open(self, ws: Workspace, names: Sequence[str], lang: str) -> Batches:
        return LocalBatches(first_engine(ws, names, lang))

    def close(self) -> None:
        pass


class LocalBatches:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name, self.model, self.version = engine.name, engine.model, engine.version

    def run(
        self, batches: Sequence[Sequence[str]], keep: Sequence[str]
    ) -> Iterator[tuple[int, list[Protected]]]:
        for index, texts in enumerate(batches):
            yield index, translate_protected(self.engine, texts, keep)

    def close(self) -> None:
        self.engine.close()


@dataclass(frozen=True)
class Fill:
    text: str
    provenance: Provenance
    fuzzy: bool = True


def is_pending(entry: polib.POEntry) -> bool:
    """Untranslated: no msgstr at all. A fuzzy entry with a (human's old) msgstr is not."""
    return (
        not entry.obsolete and bool(entry.msgid) and not entry.msgid_plural and entry.msgstr == ""
    )


def catalogs(ws: Workspace, lang: str, docs: Sequence[str] = ()) -> list[Path]:
    if docs:
        paths = [ws.po_path(lang, Path(doc).stem) for doc in docs]
        for path in paths:
            if not path.is_file():
                raise CatalogError("no such catalog; run `tirage update` first", path)
        return paths
    folder = ws.locales_dir / lang
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def translate_workspace(
    ws: Workspace,
    langs: Sequence[str],
    *,
    docs: Sequence[str] = (),
    engine: str | None = None,
    progress: ProgressFn | None = None,
    chunk: int = CHUNK,
    redo: str | None = None,
    runner: Runner | None = None,
) -> Report:
    """`runner` says where the engine runs: in this process (None) or on a Ray cluster
    (`tirage.cluster.RayRunner`); selection, memory and the fill/save loop stay here."""
    report = Report()
    keep = load_glossary(ws.glossary_path).keep
    for lang in langs:
        paths = catalogs(ws, lang, docs)
        again = redo_candidates(ws, lang, paths, redo) if redo else {}
        done = translate_language(ws, lang, paths, engine, keep, progress, chunk, again, runner)
        report.languages.append(done)
        if done.engine:
            # Put the raw output on record now, before anyone edits it: `redo` and the
            # post-edit distance compare against it.
            with TranslationMemory.open(ws) as tm:
                tm.refresh(ws)
    return report


def translate_language(
    ws: Workspace,
    lang: str,
    paths: Sequence[Path],
    engine_name: str | None,
    keep: Sequence[str],
    progress: ProgressFn | None = None,
    chunk: int = CHUNK,
    redo: Replaceable | None = None,
    runner: Runner | None = None,
) -> LanguageReport:

    report = LanguageReport(lang)
    pending: dict[Key, list[Path]] = {}
    where: dict[Key, str] = {}
    redo = redo or {}
    for path in paths:
        for entry in read_po(path):
            key = (entry.msgctxt, entry.msgid)
            if is_pending(entry) or key in redo.get(path, {}):
                pending.setdefault(key, []).append(path)
                if entry.occurrences and key not in where:
                    where[key] = ":".join(entry.occurrences[0])
    report.redo = sum(len(keys) for keys in redo.values())
    report.pending = sum(len(files) for files in pending.values()) - report.redo
    if not pending:
        return report

    # Pre-engine step: the translation memory.
    remembered = memory_matches(ws, lang, list(pending))
    if remembered:
        filled, kept = fill(ws, pending, remembered, redo)
        report.memory += filled
        report.kept += kept
        for key in remembered:
            pending.pop(key, None)
    if not pending:
        return report

    names = [engine_name] if engine_name else [ws.engine.engine, *ws.engine.fallback]
    try:
        mt = (runner or LocalRunner()).open(ws, names, lang)
    except EngineError as exc:
        report.error = exc
        report.engine_name = names[0]
        return report
    report.engine_name, report.model, report.version = mt.name, mt.model, mt.version

    keys = sorted(pending, key=lambda k: len(k[1]))  # similar lengths share a batch
    batches = [keys[start : start + chunk] for start in range(0, len(keys), chunk)]
    total = len(keys)
    done = 0
    if progress:
        progress(lang, 0, total)
    unsaved: dict[Key, Fill] = {}
    last_save, save_cost = time.monotonic(), 0.0

    def flush() -> None:
        nonlocal last_save, save_cost
        started = time.monotonic()
        filled, kept = fill(ws, {k: pending[k] for k in unsaved}, unsaved, redo)
        report.engine += filled
        report.kept += kept
        unsaved.clear()
        last_save = time.monotonic()
        save_cost = last_save - started

    try:
        # Batches come back as they are done: in order here, in any order from a cluster.
        for index, results in mt.run([[msgid for _, msgid in b] for b in batches], keep):
            batch = batches[index]
            for key, result in zip(batch, results, strict=True):
                if not result.text.strip():
                    report.empty += len(pending[key])
                    continue
                score = None if result.score is None else round(result.score, 4)
                unsaved[key] = Fill(result.text, Provenance(mt.name, mt.model, mt.version, score))
                if result.fallback:
                    short = key[1] if len(key[1]) <= 50 else key[1][:49] + "…"
                    report.fallback.append(f"{where.get(key, '?')}: {short}")
            done += len(batch)
            # Save after the batch, unless saving would dominate: big catalogs cost more to
            # re-read and rewrite than a batch costs to translate, so batches then grow
            # until the save is at most a tenth of the work it protects.
            if time.monotonic() - last_save >= SAVE_RATIO * save_cost:
                flush()
            if progress:
                progress(lang, done, total)
        flush()
    except KeyboardInterrupt:
        flush()  # Ctrl+C: what is translated is saved, the next run does the rest
        raise
    finally:
        mt.close()
    report.fallback.sort(key=_place_order)
    return report


def _place_order(place: str) -> tuple[str, int, str]:
    name, _, rest = place.partition(":")
    line, _, text = rest.partition(":")
    return (name, int(line) if line.isdigit() else 0, text)


def fill(
    ws: Workspace,
    pending: dict[Key, list[Path]],
    fills: dict[Key, Fill],
    redo: Replaceable | None = None,
) -> tuple[int, int]:
    """Write fills into each catalog as it is on disk at the moment of saving (`modify_po`):
    only entries still untranslated there (or, for `redo`, still the same machine output)
    are filled. (filled, kept as found)."""

    by_path: dict[Path, set[Key]] = {}
    for key, paths in pending.items():
        if key in fills:
            for path in paths:
                by_path.setdefault(path, set()).add(key)
    filled = kept = 0
    for path, keys in sorted(by_path.items()):
        done = fill_catalog(ws, path, keys, fills, (redo or {}).get(path, {}))
        filled += done
        kept += len(keys) - done
    return filled, kept


def fill_catalog(
    ws: Workspace,
    path: Path,
    keys: set[Key],
    fills: dict[Key, Fill],
    redo: Mapping[Key, str] | None = None,
) -> int:
    """Fill the entries of `keys` still untranslated in one catalog (or still the raw
    machine output `redo` gives for them); how many were filled."""
    # What each key was the last time `change` saw it: it sees an entry again when a
    # translator saved meanwhile, and only the catalog as written counts.
    filled: dict[Key, bool] = {}

    def change(po: polib.POFile | None) -> polib.POFile | None:
        if po is None:
            raise CatalogError("catalog removed while translating", path)
        for entry in po:
            key = (entry.msgctxt, entry.msgid)
            if key in keys and not entry.obsolete:
                raw = (redo or {}).get(key)
                filled[key] = is_pending(entry) or is_machine_output(entry, raw)
                if filled[key]:
                    apply_fill(entry, fills[key])
        return po

    modify_po(ws, path, change, entrywise=True)
    return sum(filled.values())


def apply_fill(entry: polib.POEntry, result: Fill) -> None:
    entry.msgstr = result.text
    if result.fuzzy and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    elif not result.fuzzy and "fuzzy" in entry.flags:  # a reviewed memory match, on a redo
        entry.flags.remove("fuzzy")
    # A fill replaces nothing a human wrote, so a stale "previous msgid" would only mislead.
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    set_provenance(entry, result.provenance)


def is_machine_output(entry: polib.POEntry, raw: str | None) -> bool:
    """Whether an entry holds nothing but machine output: fuzzy, with a `tirage-mt:` record,
    its text the raw output on record (`raw`), and no source change (after one, the text
    may be a reviewer's). A reviewed entry, or one whose text a human changed, is not."""
    return (
        raw is not None
        and not entry.obsolete
        and not entry.msgid_plural
        and "fuzzy" in entry.flags
        and entry.previous_msgid is None
        and get_provenance(entry) is not None
        and entry.msgstr == raw
    )


def redo_candidates(ws: Workspace, lang: str, paths: Sequence[Path], engine: str) -> Replaceable:
    """The entries of `paths` whose only content is output of `engine` (or of any engine,
    including memory fills, for "all"), with their raw text.

    The raw output comes from the translation memory, refreshed first: it keeps the first
    text seen with each provenance record, so a text a human changed afterwards no longer
    matches it."""
    found: dict[Path, dict[Key, str]] = {}
    with TranslationMemory.open(ws) as tm:
        tm.refresh(ws)
        for path in paths:
            for entry in read_po(path):
                provenance = get_provenance(entry)
                if provenance is None or engine not in (REDO_ALL, provenance.engine):
                    continue
                context = entry.msgctxt or ""
                raw = tm.raw_output(entry.msgid, ws.source_lang, lang, path.stem, context)
                if is_machine_output(entry, raw):
                    assert raw is not None
                    found.setdefault(path, {})[(entry.msgctxt, entry.msgid)] = raw
    return found


def first_engine(ws: Workspace, names: Sequence[str], lang: str) -> Engine:
    """The first of `names` that can translate source→lang (tirage.toml's engine, then its
    fallbacks); if none can, one error that says why for each."""
    return first_of(names, lambda name: open_engine(name, **engine_options(ws, lang)))


def engine_options(ws: Workspace, lang: str) -> dict[str, Any]:
    """What `open_engine` needs besides the engine's name, from tirage.toml."""
    settings = ws.engine
    return {
        "source": ws.source_lang,
        "target": lang,
        "beam_size": settings.beam_size,
        "compute_type": settings.compute_type,
        "batch_size": settings.batch_size,
        "device": settings.device,
    }


def first_of(names: Sequence[str], attempt: Callable[[str], T]) -> T:
    """`attempt(name)` for each name in turn until one works; else one error naming why."""
    failures: list[str] = []
    for name in names:
        try:
            return attempt(name)
        except EngineError as exc:
            failures.append(exc.message if not failures else f"{name}: {exc.message}")
    raise EngineError("; ".join(failures))


def memory_matches(ws: Workspace, lang: str, keys: Sequence[Key]) -> dict[Key, Fill]:
    """The translation memory's matches for pending entries (none if there is no memory).

    The memory is refreshed from the catalogs first, so that a translation a reviewer just
    saved in another document is offered. The identical sentence, reviewed in one of our
    catalogs, is filled as reviewed: what a human has reviewed is not translated twice. A
    similar sentence, or one imported from TMX (reviewed by whom?), is filled fuzzy. The
    provenance says `memory`, the document it came from, and the similarity.
    """
    tm = TranslationMemory.open(ws)
    fills: dict[Key, Fill] = {}
    try:
        tm.refresh(ws)
        for key in keys:
            match = tm.lookup(key[1], ws.source_lang, lang, min_score=MEMORY_MIN_SCORE)
            if match is None or not match.target:
                continue
            score = round(float(match.score), 1)
            reviewed = match.score >= 100.0 and match.origin == "catalog"
            provenance = Provenance("memory", str(match.doc), "", score)
            fills[key] = Fill(match.target, provenance, fuzzy=not reviewed)
    finally:
        tm.close()
    return fills
