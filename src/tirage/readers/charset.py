"""The charset of an HTML page: the one it declares (a BOM, `<meta charset>`, `http-equiv`
Content-Type, or the XML declaration of an XHTML page), UTF-8 when it declares none.

Labels are resolved as browsers do (the WHATWG Encoding Standard, through `webencodings`):
`iso-8859-1` and `latin1` mean windows-1252. Bytes that do not match the declared charset, and
a page declaring a legacy charset whose bytes are in fact UTF-8, are one clear error naming
the line.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import webencodings

from tirage.errors import SourceError
from tirage.text.html_markup import Scanner


def decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """The page's text and its encoding's name: the declared charset (BOM, `<meta charset>`,
    `http-equiv`, or the XML declaration), UTF-8 when none is declared. Bytes that do not
    match are one SourceError naming the line."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", path, declared=False), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("UTF-16 page: save it as UTF-8", path)
    if b"\0" in data[:8192]:
        raise SourceError("binary file, not a text document", path)
    declared = _declared_charset(data)
    if declared is None:
        return _decode(data, "utf-8", path, declared=False), "utf-8"
    label, line = declared
    encoding = webencodings.lookup(label)
    if encoding is None:
        raise SourceError(f"unknown charset '{label}' declared", path, line)
    name = encoding.name
    if name in ("utf-16le", "utf-16be"):
        name = "utf-8"  # what the HTML standard says a meta declaring UTF-16 means
    if name != "utf-8" and _is_utf8(data):
        at = next(i for i, byte in enumerate(data) if byte > 0x7F)
        raise SourceError(
            f"declares {label} but its bytes are UTF-8 (fix the declaration)",
            path,
            data.count(b"\n", 0, at) + 1,
        )
    return _decode(data, name, path, declared=True), name


def _decode(data: bytes, name: str, path: Path, declared: bool) -> str:
    codec = "cp1252" if name == "windows-1252" else name
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        if declared:
            message = f"byte 0x{byte:02x} is not {name}, the charset the page declares"
        else:
            message = f"not UTF-8 (byte 0x{byte:02x}) and no charset declared"
        raise SourceError(message, path, line) from None
    except LookupError:
        raise SourceError(f"charset {name} is not supported", path) from None


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return False  # ASCII is every charset: nothing to tell
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _CharsetScan(Scanner):
    """The declarations in a page's head (read as Latin-1: markup is ASCII)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.found: tuple[str, int] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
        elif tag == "meta":
            label = meta_charset(dict(attrs))
            if label and self.found is None:
                self.found = (label, self.getpos()[0])
                self.done = True

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        found = XML_ENCODING.search(data)
        if found and self.found is None and data.startswith("xml"):
            self.found = (found.group(2), self.getpos()[0])


XML_ENCODING = re.compile(r"""\bencoding\s*=\s*(["'])([A-Za-z0-9._:-]+)\1""")
_CONTENT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def meta_charset(attrs: dict[str, str | None]) -> str | None:
    if attrs.get("charset"):
        return (attrs["charset"] or "").strip()
    if (attrs.get("http-equiv") or "").strip().lower() == "content-type":
        found = _CONTENT_CHARSET.search(attrs.get("content") or "")
        return found.group(1) if found else None
    return None


def _declared_charset(data: bytes) -> tuple[str, int] | None:
    # The head is in the first bytes; 64 KB leaves room for long inline styles and scripts.
    head = data[:65536].decode("latin-1")
    body = head.lower().find("<body")
    if body >= 0:
        head = head[:body]
    scan = _CharsetScan(head)
    scan.feed(head)
    # A meta declaration wins over the XML declaration, as in a browser.
    return scan.found
