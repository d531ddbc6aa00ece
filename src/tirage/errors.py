"""The one user-facing error hierarchy. The CLI turns these into a line and an exit code."""

from __future__ import annotations

from pathlib import Path


class TirageError(Exception):
    """A user-facing error: one line, optionally tied to a file and line."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def format(self) -> str:
        """`file:line: message`, the form compilers and gettext tools use."""
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.format()


class UsageError(TirageError):
    """Bad command-line usage (exit 2, like click)."""

    exit_code = 2


class SourceError(TirageError):
    """A source document that cannot be read or parsed."""


class CatalogError(TirageError):
    """A PO or POT file that cannot be parsed or written."""


class ConfigError(TirageError):
    """A bad tirage.toml or glossary."""


class EngineError(TirageError):
    """A translation engine or model that is missing or failed."""


class ModelPackageError(TirageError):
    """An Argos package that is corrupt, unsafe or unavailable."""
