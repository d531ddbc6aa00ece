"""Readers turn a source file into a Document. `read_document` picks one by extension."""

from __future__ import annotations

import re
from pathlib import Path

from tirage.containment import read_regular
from tirage.document import Document
from tirage.errors import SourceError
from tirage.readers.charset import decode_html
from tirage.readers.markdown_dialects import MarkdownOptions
from tirage.terminal import escape, first_control

HTML_SUFFIXES = (".html", ".htm")
# Each format's reader is imported when a document in it is read: markdown-it, YAML and
# the HTML readers cost every other command (and a text source's update) 50 ms.
READERS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    **dict.fromkeys(HTML_SUFFIXES, "html"),
}
# Office packages are read from their bytes (readers/office.py); lxml is loaded only then.
OFFICE_SUFFIXES = (".docx", ".odt")

# Tab, newline and a CRLF line end are text; any other C0 control, DEL or C1 control in a
# document would reach catalogs, editions and terminals.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def check_text(text: str, path: Path | str) -> None:
    """Refuse a control character in a document, at its line."""
    found = _CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise SourceError(f"control character {escape(found.group(0))} in the text", path, line)


def check_name(path: Path) -> None:
    """Refuse a file name holding a control character (a newline breaks PO references)."""
    found = first_control(path.name)
    if found is not None:
        raise SourceError(f"control character {found} in the file name", path)


def load_source(path: Path) -> str:
    """The source's text, or a one-line SourceError for what a reader cannot take."""
    return _load(path)[0]


def _load(path: Path) -> tuple[str, str]:
    """The source's text and the charset it was read in."""
    check_name(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted((*READERS, *OFFICE_SUFFIXES)))
        raise SourceError(f"unknown source format '{path.suffix}' (tirage reads {known})", path)
    data = read_regular(path, SourceError)  # never a FIFO or /dev/zero, never unbounded
    if path.suffix.lower() in HTML_SUFFIXES:  # its charset first: UTF-16 has NUL bytes
        text, encoding = decode_html(data, path)
        check_text(text, path)
        if not text.strip():
            raise SourceError("empty document: nothing to translate", path)
        return text, encoding
    if b"\0" in data[:8192]:
        raise SourceError("binary file, not a text document", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line) from None
    check_text(text, path)
    if not text.strip():
        raise SourceError("empty document: nothing to translate", path)
    return text.removeprefix("\ufeff"), "utf-8"


def read_document(
    path: Path, root: Path, lang: str = "fr", markdown: MarkdownOptions | None = None
) -> Document:
    """Read one source file; `name` in the result is relative to the workspace root.

    `markdown` is the workspace's `[markdown]` settings (the dialect, prose front matter keys).
    """
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    if path.suffix.lower() in OFFICE_SUFFIXES:
        from tirage.readers.office import read_office

        check_name(path)
        return read_office(path, name, root, lang)
    text, encoding = _load(path)
    suffix = path.suffix.lower()
    if READERS[suffix] == "markdown":
        from tirage.readers.markdown import read_markdown

        options = markdown or MarkdownOptions()
        if suffix == ".mdx":
            options = MarkdownOptions(
                options.dialect, options.front_matter, options.code_shortcodes, mdx=True
            )
        doc = read_markdown(path, name, text, lang, options)
    elif READERS[suffix] == "html":
        from tirage.readers.html import read_html

        doc = read_html(path, name, text, lang)
    else:
        from tirage.readers.text import read_text

        doc = read_text(path, name, text, lang)
    doc.encoding = encoding
    return doc
