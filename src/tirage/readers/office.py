"""DOCX and ODT sources: the package's bytes to a Document (readers/docx.py, readers/odt.py).

The styles whose text is never translated (code, say) come from tirage.toml:

    [office]
    untranslated_styles = ["Code", "Source Code"]

Without the setting, the usual names of code styles in Word, LibreOffice and pandoc are.
"""

from __future__ import annotations

from pathlib import Path

from tirage.document import Document
from tirage.errors import SourceError
from tirage.settings import read_settings

DEFAULT_UNTRANSLATED = (
    "Code",
    "Source Code",
    "Source Text",
    "Preformatted Text",
    "HTML Code",
    "HTML Preformatted",
    "Macro Text",
    "Verbatim Char",
)


def untranslated_styles(root: Path) -> tuple[str, ...]:
    config = root / "tirage.toml"
    if not config.is_file():
        return DEFAULT_UNTRANSLATED
    found = read_settings(config).get("office", {}).get("untranslated_styles")
    return DEFAULT_UNTRANSLATED if found is None else tuple(found)


def read_office(path: Path, name: str, root: Path, lang: str) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    skip = untranslated_styles(root)
    if path.suffix.lower() == ".odt":
        from tirage.readers.odt import read_odt

        return read_odt(path, name, data, lang, skip)
    from tirage.readers.docx import read_docx

    return read_docx(path, name, data, lang, skip)
