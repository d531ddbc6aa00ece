"""glossary.csv: terms that must not be translated, and forced translations per locale.

Format (UTF-8, header required):

    term,action,en,es,de,note
    Clust'R Numérique,keep,,,,cluster name
    pôle de compétitivité,translate,competitiveness cluster,polo de competitividad,,

`keep` terms come through machine translation unchanged (they are masked) and the checks
flag a translation that lost one; `translate` terms must appear in the given language.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from tirage import languages
from tirage.containment import read_regular
from tirage.errors import ConfigError

ACTIONS = ("keep", "translate")
COLUMNS = ("term", "action", "note")
MAX_FIELD = 1000  # characters; a term or its note is a few words
MAX_GLOSSARY = 64 << 20  # bytes: tens of thousands of terms


@dataclass(frozen=True)
class Term:
    source: str
    action: str
    targets: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()

    @property
    def keep(self) -> list[str]:
        """Do-not-translate terms, longest first so that masks prefer the longest match."""
        return sorted((t.source for t in self.terms if t.action == "keep"), key=len, reverse=True)

    def forced(self, lang: str) -> dict[str, str]:
        """Source term → required translation in `lang`."""
        return {
            t.source: t.targets[lang]
            for t in self.terms
            if t.action == "translate" and t.targets.get(lang)
        }


def load_glossary(path: Path) -> Glossary:
    """Read glossary.csv; a missing file is an empty glossary.

    Anything that would silently lose a rule is refused at its line: a quote left open (it
    would swallow the rows after it), a field longer than MAX_FIELD, more fields than the
    header has columns, a column that is not a language code.
    """
    if not os.path.lexists(path):
        return Glossary()
    data = read_regular(path, ConfigError, limit=MAX_GLOSSARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ConfigError("not UTF-8 text", path, line) from None
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for row in rows:
            start, end = end + 1, rows.line_num
            if row:
                _check_row(row, records[0][1] if records else row, path, start, end)
                records.append((start, row))
    except csv.Error as exc:
        raise ConfigError(f"{_csv_problem(exc)}", path, end + 1) from None
    if not records or records[0][0] != 1 or records[0][1][0].strip() != "term":
        raise ConfigError("the first line must be a header starting with 'term'", path, 1)
    header = [name.strip() for name in records[0][1]]
    langs = _check_header(header, path)
    terms: list[Term] = []
    seen: dict[str, tuple[int, int]] = {}  # term → (its first line, its index in terms)
    for line, values in records[1:]:
        if len(values) > len(header):
            raise ConfigError(
                f"{len(values)} fields, but the header has {len(header)} columns", path, line
            )
        fields = dict(zip(header, values, strict=False))
        source = (fields.get("term") or "").strip()
        action = (fields.get("action") or "keep").strip() or "keep"
        if not source:
            raise ConfigError("empty term", path, line)
        if action not in ACTIONS:
            raise ConfigError(f"action must be keep or translate, not '{action}'", path, line)
        targets = {lang: (fields.get(lang) or "").strip() for lang in langs if fields.get(lang)}
        note = (fields.get("note") or "").strip()
        if source in seen:  # the same rule twice is harmless; two different ones are a doubt
            first, index = seen[source]
            try:
                terms[index] = _merge(terms[index], Term(source, action, targets, note), first)
            except _Conflict as exc:
                raise ConfigError(str(exc), path, line) from None
            continue
        seen[source] = (line, len(terms))
        terms.append(Term(source, action, targets, note))
    return Glossary(tuple(terms))


class _Conflict(ValueError):
    pass


def _merge(old: Term, new: Term, first: int) -> Term:
    """One term listed twice: the same rule (or rules that complete each other, such as a
    translation per language on separate rows) is one term; a conflict is refused."""
    if new.action != old.action:
        raise _Conflict(
            f"'{new.source}' is listed twice with different actions: "
            f"{old.action} on line {first}, {new.action} here"
        )
    for lang, text in new.targets.items():
        if old.targets.get(lang, text) != text:
            raise _Conflict(
                f"'{new.source}' is listed twice with different {lang} translations: "
                f"'{old.targets[lang]}' on line {first}, '{text}' here"
            )
    return Term(old.source, old.action, {**old.targets, **new.targets}, old.note or new.note)


def _check_row(row: list[str], columns: list[str], path: Path, start: int, end: int) -> None:
    for index, value in enumerate(row):
        column = f"column '{columns[index].strip()}': " if index < len(columns) else ""
        if "\n" in value or "\r" in value:
            raise ConfigError(
                f"{column}a quoted field runs on to line {end}: unbalanced quote?", path, start
            )
        if len(value) > MAX_FIELD:
            raise ConfigError(f"{column}longer than {MAX_FIELD} characters", path, start)


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger than field limit" in message or "unexpected end of data" in message:
        return "a quote opened on this line is never closed"
    return f"CSV syntax error: {message}"


def _check_header(header: list[str], path: Path) -> list[str]:
    """The language columns; every other column must be term, action or note."""
    langs = []
    for name in header:
        if header.count(name) > 1:
            raise ConfigError(f"column '{name}' appears twice in the header", path, 1)
        if name in COLUMNS:
            continue
        if languages.canonical(name) is None:
            hint = languages.did_you_mean(name) or _closest_column(name)
            raise ConfigError(
                f"column '{name}' is neither {', '.join(COLUMNS)} nor a language code{hint}",
                path,
                1,
            )
        langs.append(name)
    return langs


def _closest_column(name: str) -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    return f"; did you mean {close[0]}?" if close else ""
