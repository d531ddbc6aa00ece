"""Where a translation came from, kept in a translator comment that merges preserve.

msgmerge regenerates `#.` comments from the template but keeps `# ` translator comments,
so the record lives there:

    # tirage-mt: engine=argos; model=translate-fr_en; version=1.9; score=-0.4213

When a reviewer clears the fuzzy flag the record stays, so stats can tell raw machine output
(fuzzy + record) from post-edited machine output (translated + record).
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

PREFIX = "tirage-mt:"


@dataclass(frozen=True)
class Provenance:
    engine: str  # argos | apertium | pseudo | memory
    model: str = ""  # package name, pivot chain ("translate-fr_en+translate-en_es"), or TM doc
    version: str = ""
    score: float | None = None  # engine log-probability, or memory similarity 0–100

    def to_comment(self) -> str:
        parts = [f"engine={self.engine}"]
        if self.model:
            parts.append(f"model={self.model}")
        if self.version:
            parts.append(f"version={self.version}")
        if self.score is not None:
            parts.append(f"score={self.score:.4g}")
        return f"{PREFIX} " + "; ".join(parts)

    @classmethod
    def parse(cls, line: str) -> Provenance | None:
        if not line.startswith(PREFIX):
            return None
        fields: dict[str, str] = {}
        for part in line[len(PREFIX) :].split(";"):
            key, _, value = part.strip().partition("=")
            if key:
                fields[key] = value
        score = fields.get("score")
        try:
            number = float(score) if score else None
        except ValueError:
            number = None
        return cls(
            engine=fields.get("engine", "unknown"),
            model=fields.get("model", ""),
            version=fields.get("version", ""),
            score=number,
        )


def get_provenance(entry: polib.POEntry) -> Provenance | None:
    for line in (entry.tcomment or "").splitlines():
        found = Provenance.parse(line)
        if found:
            return found
    return None


def set_provenance(entry: polib.POEntry, provenance: Provenance | None) -> None:
    """Replace any earlier record; other translator comments are kept."""
    lines = [ln for ln in (entry.tcomment or "").splitlines() if not ln.startswith(PREFIX)]
    if provenance is not None:
        lines.append(provenance.to_comment())
    entry.tcomment = "\n".join(lines)
