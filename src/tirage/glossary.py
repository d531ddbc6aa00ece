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
from dataclasses import dataclass, field
from pathlib import Path

from tirage.errors import ConfigError

ACTIONS = ("keep", "translate")


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
    """Read glossary.csv; a missing file is an empty glossary."""
    if not path.is_file():
        return Glossary()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path) from None
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or "term" not in rows.fieldnames:
        raise ConfigError("the first line must be a header starting with 'term'", path, 1)
    langs = [name for name in rows.fieldnames if name not in ("term", "action", "note")]
    terms: list[Term] = []
    for row in rows:
        line = rows.line_num
        source = (row.get("term") or "").strip()
        action = (row.get("action") or "keep").strip() or "keep"
        if not source:
            raise ConfigError("empty term", path, line)
        if action not in ACTIONS:
            raise ConfigError(f"action must be keep or translate, not '{action}'", path, line)
        targets = {lang: (row.get(lang) or "").strip() for lang in langs if row.get(lang)}
        terms.append(Term(source, action, targets, (row.get("note") or "").strip()))
    return Glossary(tuple(terms))
