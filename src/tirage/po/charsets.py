"""A catalog's bytes as text, in the charset its header declares, as msgfmt reads them.

msgfmt reads a catalog in the charset of its header's Content-Type (`charset=ISO-8859-1`,
KOI8-R, EUC-JP, GBK, Big5, SHIFT_JIS, CP1252…, whatever iconv knows). tirage reads it the
same way, and hands on the text with the header's declaration changed to UTF-8: every
catalog tirage holds in memory is a UTF-8 one, so the text it writes back is UTF-8 with an
honest header, and a catalog nothing else changed in compares equal and is not rewritten.

- Python's codecs know most charsets; for the few they do not (VISCII, GEORGIAN-PS,
  EUC-TW…) the system's `iconv`, which msgfmt itself uses, converts the file.
- No declaration, the template's `CHARSET` placeholder, or a name nobody knows: the bytes
  must be UTF-8 (msgfmt would take them raw; tirage cannot know what they mean).
- A byte-order mark is refused, as msgfmt refuses it ("1:2: syntax error"): a catalog
  tirage accepted silently would still break the build that compiles it with msgfmt, and
  the fix (saving without BOM) is the writer's to make.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from tirage.errors import CatalogError

__all__ = ["BOM_MESSAGE", "decode_catalog"]

BOM_MESSAGE = (
    "catalog starts with a byte-order mark, which msgfmt refuses; save it as UTF-8 without BOM"
)
# The header: the first `msgid ""` (no context) and its msgstr strings.
_HEADER = re.compile(
    r'^[ \t]*msgid[ \t]+""[ \t]*\r?\n(?:[ \t]*""[ \t]*\r?\n)*'
    r'[ \t]*msgstr[ \t]+((?:"(?:[^"\\\n]|\\.)*"[ \t]*(?:\r?\n[ \t]*)?)+)',
    re.M,
)
_CHARSET = re.compile(r"charset=([^\s\"\\]+)")
_UTF8 = frozenset({"utf-8", "utf8"})


def _declared(text: str) -> tuple[str, int, int] | None:
    """The charset the header declares and where its name is in `text`."""
    header = _HEADER.search(text)
    if header is None:
        return None
    found = _CHARSET.search(text, header.start(1), header.end(1))
    if found is None:
        return None
    return found.group(1), found.start(1), found.end(1)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf8(data: bytes, path: Path | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError("catalog is not valid UTF-8", path, _line(data, exc.start)) from None


def _iconv(data: bytes, charset: str, path: Path | None) -> str | None:
    """The text through the system's iconv; None when it does not know the charset."""
    import shutil  # here: most catalogs are UTF-8, and a reading process starts faster
    import subprocess

    program = shutil.which("iconv")
    if program is None:
        return None
    command = [program, "-f", charset, "-t", "UTF-8"]
    env = {"LC_ALL": "C", "PATH": os.environ.get("PATH", "")}
    if subprocess.run(command, input=b"", capture_output=True, env=env).returncode != 0:
        return None  # not a charset iconv knows
    done = subprocess.run(command, input=data, capture_output=True, env=env)
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    found = re.search(rb"position (\d+)", done.stderr)
    line = _line(data, int(found.group(1))) if found else None
    raise CatalogError(f"catalog is not valid {charset}", path, line)


def decode_catalog(data: bytes, path: Path | None = None) -> tuple[str, str | None]:
    """The catalog's text, its header now declaring UTF-8, and the charset it was in (None:
    it was UTF-8 already)."""
    if data.startswith(codecs.BOM_UTF8):
        raise CatalogError(BOM_MESSAGE, path, 1)
    declared = _declared(data.decode("latin-1"))  # the header is ASCII in every charset
    if declared is None or declared[0].lower() in _UTF8:
        return _utf8(data, path), None
    charset = declared[0]
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        codec = None
    if codec in _UTF8 or codec == "utf_8":
        return _utf8(data, path), None
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = _line(data, exc.start)
            raise CatalogError(f"catalog is not valid {charset}", path, line) from None
    else:
        found = _iconv(data, charset, path) if charset != "CHARSET" else None
        if found is None:
            return _utf8(data, path), None  # msgfmt takes the bytes raw: they must be UTF-8
        text = found
    where = _declared(text)
    if where is None:  # cannot happen: the header is ASCII
        raise CatalogError(f"cannot find the charset declaration of {charset}", path)
    _, start, end = where
    return text[:start] + "UTF-8" + text[end:], charset
