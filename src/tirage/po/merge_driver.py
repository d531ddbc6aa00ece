"""A git merge driver for PO catalogs: three versions merged entry by entry.

git's line merge knows nothing of PO files: two branches that touch different entries still
conflict on the header's revision date and on lines a tool wrapped differently, and a merge
that succeeds line by line can put a translation under the wrong msgid. Here the three
versions (the common ancestor, ours, theirs) are parsed, and each entry, keyed by msgctxt
and msgid, is merged in two independent parts:

- its translation: msgstr (and plural forms), the fuzzy flag, the previous msgid (`#|`) and
  the translator comments (where tirage keeps provenance);
- what `update` derives from the source: extracted comments, references, the other flags,
  msgid_plural and whether the entry is obsolete.

A part one side changed takes that side; a part both sides changed to the same value is
clean. Two different new texts of the same msgid are the only conflict: ours stays, fuzzy,
with theirs in a translator comment (`# tirage: merge conflict, theirs: …`), and the driver
exits 1 so that git reports it. A side that changed only the flags or comments of a
translation, or that has no text, gives way to the side that changed the text. When both
sides changed the source part (each ran `update` on a different source), ours wins: the
next `update` derives it again anyway. An entry both sides translated alike but only one
reviewed takes the reviewed one.

Entries added on one side are added where that side has them. An entry one side removed
goes if the other side left its translation as it was (new references do not keep it), and
is kept as the other side has it if its translation changed there: a removal never takes a
translation with it (`update` obsoletes it again if its source is gone). Header fields
merge as entries do, except that the newest PO-Revision-Date wins, with its
Last-Translator, and the newest POT-Creation-Date. The result is written as msgcat writes
it, in UTF-8, atomically.
"""

from __future__ import annotations

import copy
import re
import shlex
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polib

from tirage.errors import CatalogError, UsageError
from tirage.notices import converted, notify
from tirage.po.pofile import format_po, inherit_header, parse_po, read_catalog, write_atomic

__all__ = ["MergeOutcome", "install", "merge_catalogs", "merge_files"]

CONFLICT_MARK = "tirage: merge conflict"
DRIVER_NAME = "tirage: gettext catalogs, entry by entry"
_NEWEST_WINS = ("PO-Revision-Date", "POT-Creation-Date")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?::(\d\d))?\s*([+-])(\d\d):?(\d\d)")

Key = tuple[str | None, str]


@dataclass
class MergeOutcome:
    """The merged catalog, and the msgids both sides translated differently."""

    catalog: polib.POFile
    conflicts: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Entries


def _translation(entry: polib.POEntry | None) -> tuple[object, ...] | None:
    if entry is None:
        return None
    return (
        entry.msgstr,
        sorted((int(k), v) for k, v in entry.msgstr_plural.items()),
        entry.fuzzy,
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.tcomment or "",
    )


def _text(entry: polib.POEntry) -> tuple[object, ...]:
    """What a reader sees of a translation: its text only."""
    return (entry.msgstr, sorted((int(k), v) for k, v in entry.msgstr_plural.items()))


def _empty(entry: polib.POEntry) -> bool:
    return not entry.msgstr and not any(entry.msgstr_plural.values())


def _other_flags(entry: polib.POEntry) -> list[str]:
    return [flag for flag in entry.flags if flag != "fuzzy"]


def _source(entry: polib.POEntry | None) -> tuple[object, ...] | None:
    if entry is None:
        return None
    return (
        entry.comment or "",
        list(entry.occurrences),
        _other_flags(entry),
        entry.msgid_plural,
        entry.obsolete,
    )


def _take_translation(result: polib.POEntry, donor: polib.POEntry) -> None:
    result.msgstr = donor.msgstr
    result.msgstr_plural = dict(donor.msgstr_plural)
    result.previous_msgctxt = donor.previous_msgctxt
    result.previous_msgid = donor.previous_msgid
    result.previous_msgid_plural = donor.previous_msgid_plural
    result.tcomment = donor.tcomment
    _set_fuzzy(result, donor.fuzzy)


def _take_source(result: polib.POEntry, donor: polib.POEntry) -> None:
    fuzzy = result.fuzzy
    result.comment = donor.comment
    result.occurrences = list(donor.occurrences)
    result.msgid_plural = donor.msgid_plural
    result.obsolete = donor.obsolete
    result.flags = _other_flags(donor)
    _set_fuzzy(result, fuzzy)


def _set_fuzzy(entry: polib.POEntry, fuzzy: bool) -> None:
    flags = [flag for flag in entry.flags if flag != "fuzzy"]
    entry.flags = ["fuzzy", *flags] if fuzzy else flags


def _conflict_note(theirs: polib.POEntry) -> str:
    """One translator-comment line per form of theirs (newlines written as `\\n`)."""

    def one_line(text: str) -> str:
        return text.replace("\\", "\\\\").replace("\n", "\\n")

    if theirs.msgid_plural:
        forms = sorted((int(k), v) for k, v in theirs.msgstr_plural.items())
        return "\n".join(f"{CONFLICT_MARK}, theirs[{i}]: {one_line(v)}" for i, v in forms)
    return f"{CONFLICT_MARK}, theirs: {one_line(theirs.msgstr)}"


def _merge_entry(
    base: polib.POEntry | None, ours: polib.POEntry | None, theirs: polib.POEntry | None
) -> tuple[polib.POEntry | None, bool]:
    """The merged entry (None: removed) and whether both sides translated it differently."""
    if ours is None or theirs is None:
        present = theirs if ours is None else ours
        if present is None:
            return None, False
        if base is not None and _translation(base) == _translation(present):
            return None, False  # removed on one side, its translation untouched on the other
        return copy.deepcopy(present), False  # added on one side, or translated and kept
    result = copy.deepcopy(ours)
    source = [_source(e) for e in (base, ours, theirs)]
    if source[1] == source[0] and source[2] != source[0]:
        _take_source(result, theirs)
    tr = [_translation(e) for e in (base, ours, theirs)]
    if tr[2] == tr[1] or tr[2] == tr[0]:
        return result, False
    if tr[1] == tr[0]:
        _take_translation(result, theirs)
        return result, False
    # Both sides changed the translation. Only two different new texts are a conflict.
    was = _text(base) if base is not None else None
    mine, other = _text(ours), _text(theirs)
    if mine == other:  # the same text: the reviewed one, if only one is
        if ours.fuzzy and not theirs.fuzzy:
            _take_translation(result, theirs)
        return result, False
    if mine == was or _empty(ours):  # ours changed only flags or comments, or has no text
        _take_translation(result, theirs)
        return result, False
    if other == was or _empty(theirs):
        return result, False
    note = _conflict_note(theirs)
    if note not in (result.tcomment or "").split("\n"):
        result.tcomment = f"{result.tcomment}\n{note}" if result.tcomment else note
    _set_fuzzy(result, True)
    return result, True


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _entries(po: polib.POFile) -> dict[Key, polib.POEntry]:
    return {_key(e): e for e in po if not (e.msgid == "" and e.msgctxt is None)}


def _order(ours: list[Key], theirs: list[Key]) -> list[Key]:
    """Ours' order, with what only theirs has placed after its predecessor in theirs."""
    result = list(ours)
    placed = set(result)
    previous: Key | None = None
    inserted: dict[Key | None, list[Key]] = {}
    for key in theirs:
        if key not in placed:
            inserted.setdefault(previous, []).append(key)
        else:
            previous = key
    if not inserted:
        return result
    merged = inserted.get(None, [])
    for key in result:
        merged.append(key)
        merged.extend(inserted.get(key, []))
    return merged


# ---------------------------------------------------------------------------------------------
# The header


def _moment(value: str | None) -> datetime | None:
    found = _DATE.search(value or "")
    if found is None:
        return None
    year, month, day, hour, minute, second, sign, zh, zm = found.groups()
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    offset = (int(zh) * 60 + int(zm)) * (1 if sign == "+" else -1)
    return local.replace(tzinfo=UTC) - timedelta(minutes=offset)


def _pick(base: object, ours: object, theirs: object) -> object:
    """The three-way choice for one value: ours unless only theirs changed it."""
    return theirs if ours == base and theirs != base else ours


def _merge_header(
    base: polib.POFile, ours: polib.POFile, theirs: polib.POFile, merged: polib.POFile
) -> None:
    mb, mo, mt = dict(base.metadata), dict(ours.metadata), dict(theirs.metadata)
    metadata: dict[str, str] = {}
    for name in [*mo, *(k for k in mt if k not in mo)]:
        value = _pick(mb.get(name), mo.get(name), mt.get(name))
        if value is not None:
            metadata[name] = str(value)
    for name in _NEWEST_WINS:
        if _moment(mo.get(name)) is None and _moment(mt.get(name)) is None:
            continue  # no date on either side (a template's placeholder): as merged above
        newest = mt if _newer(mt.get(name), mo.get(name)) else mo
        fields = [name, "Last-Translator"] if name == "PO-Revision-Date" else [name]
        for one in fields:
            if one in newest:
                metadata[one] = newest[one]
    merged.metadata = metadata
    inherit_header(ours, merged)
    merged.header = str(_pick(base.header, ours.header, theirs.header))
    merged.metadata_is_fuzzy = _pick(
        bool(base.metadata_is_fuzzy), bool(ours.metadata_is_fuzzy), bool(theirs.metadata_is_fuzzy)
    )


def _newer(theirs: str | None, ours: str | None) -> bool:
    t, o = _moment(theirs), _moment(ours)
    return t is not None and (o is None or t > o)


# ---------------------------------------------------------------------------------------------
# Catalogs and files


def merge_catalogs(base: polib.POFile, ours: polib.POFile, theirs: polib.POFile) -> MergeOutcome:
    """Three versions of a catalog merged entry by entry (see the module notes)."""
    merged = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    _merge_header(base, ours, theirs, merged)
    eb, eo, et = _entries(base), _entries(ours), _entries(theirs)
    outcome = MergeOutcome(merged)
    for key in _order(list(eo), list(et)):
        entry, conflict = _merge_entry(eb.get(key), eo.get(key), et.get(key))
        if entry is not None:
            merged.append(entry)
        if conflict:
            outcome.conflicts.append(key[1])
    return outcome


def merge_files(base: Path, ours: Path, theirs: Path, name: str = "") -> MergeOutcome:
    """git's %O %A %B: the merge is written over `ours` (%A), atomically (in UTF-8; a
    legacy charset, `name`'s, is said once)."""
    read = [read_catalog(path) for path in (base, ours, theirs)]
    catalogs = [
        parse_po(text, path) for (text, _), path in zip(read, (base, ours, theirs), strict=True)
    ]
    outcome = merge_catalogs(*catalogs)
    write_atomic(ours, format_po(outcome.catalog))
    charset = read[1][1] or read[2][1]
    if charset is not None:
        notify(converted(name or str(ours), charset))
    return outcome


def merge_as_text(base: Path, ours: Path, theirs: Path, name: str) -> int:
    """git's own line merge, with conflict markers, for catalogs that cannot be parsed."""
    done = subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            f"ours:{name}",
            "-L",
            "base",
            "-L",
            "theirs",
            ours,
            base,
            theirs,
        ],
        capture_output=True,
        check=False,
    )
    return done.returncode


def install(where: Path, command: Iterable[str] | None = None) -> str:
    """Set `merge.tirage.name` and `merge.tirage.driver` in the git repository holding
    `where`; the driver line written."""
    found = subprocess.run(
        ["git", "rev-parse", "--git-dir"], cwd=where, capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        raise UsageError(f"{where} is not inside a git repository")
    program = " ".join(shlex.quote(part) for part in (command or [sys.executable, "-m", "tirage"]))
    driver = f"{program} merge-driver %O %A %B %P"
    for key, value in (("merge.tirage.name", DRIVER_NAME), ("merge.tirage.driver", driver)):
        done = subprocess.run(
            ["git", "config", "--local", key, value],
            cwd=where,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise CatalogError(f"git config failed: {done.stderr.strip()}", where)
    return driver
