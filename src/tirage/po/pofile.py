"""Reading PO/POT files into polib's model in one pass (`poscan`; `pogrammar` line by line
for a file not laid out as gettext writes it), and writing them exactly as GNU gettext's
`msgcat` does.

polib is the in-memory model. Its writer wraps lines its own way, so a catalog it saved shows
spurious diffs once Poedit or `msgcat` re-saves it. `format_po` reproduces GNU gettext 0.21's
`write-po.c` instead: the same comment and flag order, the same escapes, and the same line
wrapping (where lines may break is `tirage.po.linebreak`).
"""

from __future__ import annotations

import functools
import gc
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import polib

from tirage.containment import check_output, read_regular, same_content
from tirage.errors import CatalogError
from tirage.po.charsets import BOM_MESSAGE, decode_catalog
from tirage.po.linebreak import breaks as line_breaks
from tirage.po.linebreak import fits as line_fits
from tirage.po.linebreak import plain_line
from tirage.po.pogrammar import check_messages
from tirage.po.poscan import scan_messages
from tirage.tempfiles import make_temp_file

__all__ = [
    "EMPTY_HEADER",
    "OTHER_BREAK_CHARS",
    "MessagesDigest",
    "format_entry",
    "format_pieces",
    "format_po",
    "header_fields",
    "inherit_header",
    "message_fields",
    "messages_digest",
    "parse_po",
    "read_catalog",
    "read_po",
    "read_text",
    "save_po",
    "write_atomic",
]

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------------------------
# Reading


# The patterns of the line-by-line reader are strings, compiled (and cached by `re`) when a
# file first needs that reader: most never do, and compiling them took a millisecond of
# every process that reads a catalog.

# A PO line outside comments: an optional keyword, then one complete C string.
# The escapes gettext's lexer knows (po-lex.c): any other is "invalid control sequence".
_ESCAPES_KNOWN = r'\\(?:[ntbrfva\\"]|[0-7]{1,3}|x[0-9A-Fa-f]+)'
_STRING_LINE = (
    r"[ \t]*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    rf'"(?:[^"\\]|{_ESCAPES_KNOWN})*"[ \t]*'
)
_OBSOLETE = r"#~\|?[ \t]*"
# A previous-message line: `#|` alone, or `#| msgid "…"` (msgctxt, msgid_plural) or a string.
_PREVIOUS = (
    rf'#\|[ \t]*(?:(?:(?:msgctxt|msgid|msgid_plural)[ \t]+)?"(?:[^"\\]|{_ESCAPES_KNOWN})*"[ \t]*)?'
)


# The same rules over the whole text at once, as one match of every line that passes: a
# comment, a blank line or a string line (after an obsolete entry's "#~" or "#~|"). Only for
# text whose one line boundary is "\n": any other line boundary that str.splitlines knows
# sends it to the loop. Possessive and atomic groups keep it linear (and five times faster).
_GOOD_STRING = rf'"[^"\\\n]*+(?:{_ESCAPES_KNOWN}[^"\\\n]*+)*+"'
_GOOD_LINES = (
    r"(?:(?:#(?![~|])[^\n]*+"
    rf"|#\|[ \t]*+(?:(?:(?:msgctxt|msgid|msgid_plural)[ \t]+)?{_GOOD_STRING}[ \t]*+)?"
    r"|(?>(?:#~\|?[ \t]*)?)(?:"
    r"[ \t]*+(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    rf"{_GOOD_STRING}[ \t]*+"
    r"|[^\S\n]*+))(?:\n|\Z))*+"
)
# Line boundaries str.splitlines knows besides "\n" (tested with `in`: six times a search's
# speed).
OTHER_BREAK_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_LINE_BREAKS = f"[{OTHER_BREAK_CHARS}]"
# An empty header, put before some messages of a catalog to parse them alone: polib takes
# the comments opening a file for the file's own.
EMPTY_HEADER = 'msgid ""\nmsgstr ""\n\n'


# A line of tokens that ends with a complete string: an optional keyword, then strings.
_ENDS_WITH_STRING = (
    r"[ \t]*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    rf"(?:{_GOOD_STRING}[ \t]*)+"
)


def _join_continued(text: str) -> str:
    """The text with each backslash before a newline dropped, as gettext's lexer drops it
    anywhere: the two lines are one. After a line's last string, where the next line starts
    the next token, the newline is kept instead: the same tokens, each keyword on a line of
    its own as the line-by-line reader takes them, and the lines still counted as msgfmt
    counts them."""
    if "\\\n" not in text:
        return text
    parts = text.split("\\\n")
    joined = [parts[0]]
    line = parts[0].rpartition("\n")[2]  # the line the next backslash ends, joined so far
    for part in parts[1:]:
        between = not line.startswith("#") and re.fullmatch(_ENDS_WITH_STRING, line)
        joined += ("\n" if between else "", part)
        _, newline, tail = part.rpartition("\n")
        line = tail if newline else part if between else line + part
    return "".join(joined)


def _check_syntax(text: str, path: Path | None) -> None:
    """Refuse what msgfmt refuses. polib silently drops an entry with an unterminated string
    or an unknown keyword, and a catalog saved after that would have lost a translation."""
    if re.search(_OTHER_LINE_BREAKS, text) is None:
        good = re.match(_GOOD_LINES, text)
        end = good.end() if good is not None else 0
        if end < len(text):
            raise CatalogError("syntax error in PO file", path, text.count("\n", 0, end) + 1)
        return
    _check_lines(text, path)


def _check_lines(text: str, path: Path | None) -> None:
    """`_check_syntax` line by line, for any line boundary."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#~"):
            line = re.sub(_OBSOLETE, "", line, count=1)
        elif line.startswith("#|"):
            if not re.fullmatch(_PREVIOUS, line):
                raise CatalogError("syntax error in PO file", path, number)
            continue
        elif line.startswith("#"):
            continue
        if line.strip() and not re.fullmatch(_STRING_LINE, line):
            raise CatalogError("syntax error in PO file", path, number)


def read_po(path: Path) -> polib.POFile:
    """Parse the PO/POT file at `path`; any problem becomes one `CatalogError`."""
    return parse_po(read_text(path), path)


def read_text(path: Path) -> str:
    """The text of the catalog at `path`, unparsed: read in the charset its header declares,
    the header now saying UTF-8 (see `tirage.po.charsets`)."""
    return read_catalog(path)[0]


def read_catalog(path: Path) -> tuple[str, str | None]:
    """`read_text`, and the charset the file was in when not UTF-8."""
    if not os.path.lexists(path):
        raise CatalogError("no such catalog file", path)
    return decode_catalog(read_regular(Path(path), CatalogError), path)


def parse_po(text: str, path: Path | None = None) -> polib.POFile:
    """Parse PO text; a syntax error becomes a `CatalogError` with its line number."""
    if text.startswith("\ufeff"):
        raise CatalogError(BOM_MESSAGE, path, 1)
    # The entries hold no reference cycles: the collector would only walk them, again and
    # again while they are made (a third of the time on a big catalog).
    collecting = gc.isenabled()
    gc.disable()
    try:
        lines_end_in_newline = not any(char in text for char in OTHER_BREAK_CHARS)
        # The scan gives up on a backslash before a newline (no searching the text for one).
        reading = scan_messages(text) if lines_end_in_newline else None
        if reading is None:  # not laid out as gettext writes, or not good: read line by line
            text = _join_continued(text)
            _check_syntax(text, path)
            reading = check_messages(text.splitlines(), path)
    finally:
        if collecting:
            if not gc.get_freeze_count():
                # Nor walk them twice once it runs again (into the middle generation, then
                # the oldest): `freeze` then `unfreeze` moves every object it tracks to the
                # oldest at once. (Not where a caller keeps objects frozen: that would thaw.)
                gc.freeze()
                gc.unfreeze()
            gc.enable()
    po = polib.POFile(encoding="utf-8", check_for_duplicates=False)
    po.extend(reading.entries)
    header = _header_of(po)
    if header is not None:
        # As polib reads a header: `Key: value` lines; one without a colon continues the last.
        po.remove(header)
        po.metadata_is_fuzzy = header.flags
        key = None
        for line in header.msgstr.splitlines():
            name, colon, value = line.partition(":")
            if colon:
                key = name
                po.metadata[key] = value.strip()
            elif key is not None:
                po.metadata[key] += "\n" + line.strip()
    if reading.header is not None:
        setattr(po, _HEADER_AS_READ, (reading.header, dict(po.metadata)))
        po.header = reading.header_comment
    if path is not None:
        po.fpath = str(path)
    return po


def _header_of(po: polib.POFile) -> polib.POEntry | None:
    """The message polib takes for the header: the live one whose msgid is empty, the one
    without a context where there are several (`POFile.find('')`)."""
    found = [entry for entry in po if entry.msgid == "" and not entry.obsolete]
    if len(found) == 1:
        return found[0]
    plain = [entry for entry in found if not entry.msgctxt]
    if plain:
        return plain[-1]
    return found[0] if found else None


# The header's msgstr as the file had it, and the metadata polib made of it: a header whose
# metadata nobody changed is written back as it was (polib would lose a double space after
# a colon, or a line without one).
_HEADER_AS_READ = "tirage_header_as_read"


def inherit_header(source: polib.POFile, target: polib.POFile) -> None:
    """Let `target`, built from `source`'s metadata, write its header lines as `source` had
    them."""
    kept = getattr(source, _HEADER_AS_READ, None)
    if kept is not None:
        setattr(target, _HEADER_AS_READ, kept)


def _header_msgstr(po: polib.POFile, metadata: dict[str, str]) -> str:
    """The header's msgstr: each line as read while its field is unchanged, changed fields
    rewritten in place, new ones added at the end."""
    kept = getattr(po, _HEADER_AS_READ, None)
    if kept is None:
        return "".join(f"{key}: {value}\n" for key, value in metadata.items())
    text, read = kept
    if read == metadata:
        return str(text)
    body, final = (text[:-1], "\n") if text.endswith("\n") else (text, "")
    lines: list[str] = []
    current = None  # the field a line belongs to (polib joins a line without colon to it)
    for line in body.split("\n"):
        key, colon, _ = line.partition(":")
        current = key if colon else current
        if current is None or (current in metadata and read.get(current) == metadata[current]):
            lines.append(line)
        elif colon and current in metadata:
            lines.append(f"{current}: {metadata[current]}")
    result = "\n".join(lines) + final if lines else ""
    added = "".join(f"{k}: {v}\n" for k, v in metadata.items() if k not in read)
    if added and result and not result.endswith("\n"):
        result += "\n"
    return result + added


# ---------------------------------------------------------------------------------------------
# Writing

_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    "\\": "\\",
    '"': '"',
}


def _escape(text: str) -> str:
    if _TO_ESCAPE.search(text) is None:  # most strings: one scan instead of nine
        return text
    # A chain of str.replace: ten times the speed of str.translate with a dict here.
    text = text.replace("\\", "\\\\")
    for char, code in _ESCAPE_ITEMS:
        if char in text:
            text = text.replace(char, code)
    return text


_ESCAPE_ITEMS = [(char, "\\" + code) for char, code in _ESCAPES.items() if char != "\\"]
_TO_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _wrap(prefix: str, name: str, value: str, wrap: bool = True) -> tuple[str, ...]:
    """The lines write-po.c's wrap() prints for `name "value"`."""
    room = PAGE_WIDTH - 3 - len(prefix) - len(name)  # between the quotes after the keyword
    if len(value) <= room and plain_line(value):  # most strings: written as they are
        return (f'{prefix}{name} "{value}"',)
    return _wrapped(prefix, name, value, wrap, room)


@functools.lru_cache(maxsize=1 << 16)
def _wrapped(prefix: str, name: str, value: str, wrap: bool, room: int) -> tuple[str, ...]:
    """`_wrap` for a string that needs more than a look. Cached: one run writes each msgid
    into the template and again into every language's catalog, with the same prefix (a
    string written as it is costs less than its cache's key)."""
    width = PAGE_WIDTH - 2 - len(prefix)  # between the quotes of a line of its own
    if "\n" not in value:  # one line, when the text fits after the keyword
        text = _escape(value)
        if not wrap or line_fits(text, room):
            return (f'{prefix}{name} "{text}"',)
        pieces, texts = [value], [text]
    else:
        portions = value.split("\n")
        pieces = [p + "\n" for p in portions[:-1]]
        if portions[-1]:
            pieces.append(portions[-1])
        texts = [_escape(piece) for piece in pieces]
    lines: list[str] = []
    first_line = True
    for index, (portion, text) in enumerate(zip(pieces, texts, strict=True)):
        newline = portion.endswith("\n")
        breaks = line_breaks(text, newline, width, 0) if wrap else []
        # A first line that cannot hold all of the string is `name ""`, the text below it:
        # when more lines follow, or when the text would need a break after its keyword
        # (it does if it needs one from column 0; if not, its first break there tells).
        if first_line and text:
            more = index < len(pieces) - 1
            start = len(name) + 1
            if more or (
                wrap and (start > width or breaks or line_breaks(text, newline, width, start, True))
            ):
                lines.append(f'{prefix}{name} ""')
                first_line = False
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        if not breaks:
            lines.append(f'{head}"{text}"')
            continue
        cuts = [0, *breaks, len(text)]
        lines.append(f'{head}"{text[: cuts[1]]}"')
        lines.extend(f'{prefix}"{text[a:b]}"' for a, b in itertools.pairwise(cuts[1:]))
    return tuple(lines)


_FORMATS = [
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
]
_RANGE_RE = re.compile(r"range:\s*(\d+)\.\.(\d+)$")


@functools.lru_cache(maxsize=1024)
def _normalise_flags(flags: tuple[str, ...]) -> tuple[str, bool]:
    """The `#,` line msgcat prints (without the `#, `), and whether wrapping is on.

    Like gettext, unknown flags are dropped, the last of contradicting flags wins, and the
    known ones come out in gettext's fixed order.
    """
    fuzzy = False
    formats: dict[str, str] = {}
    value_range: tuple[int, int] | None = None
    wrap: bool | None = None
    for raw in flags:
        for flag in (part.strip() for part in raw.split(",")):
            if flag == "fuzzy":
                fuzzy = True
            elif flag in ("wrap", "no-wrap"):
                wrap = flag == "wrap"
            elif (match := _RANGE_RE.match(flag)) is not None:
                value_range = (int(match.group(1)), int(match.group(2)))
            elif flag.endswith("-format"):
                lang = flag[: -len("-format")]
                for state in ("no", "possible", "impossible"):
                    if lang.startswith(state + "-") and lang[len(state) + 1 :] in _FORMATS:
                        formats[lang[len(state) + 1 :]] = state
                        break
                else:
                    if lang in _FORMATS:
                        formats[lang] = "yes"
    parts = ["fuzzy"] if fuzzy else []
    for lang in _FORMATS:
        wanted = formats.get(lang)
        if wanted in ("yes", "possible"):
            parts.append(f"{lang}-format")
        elif wanted == "no":
            parts.append(f"no-{lang}-format")
    if value_range is not None:
        parts.append(f"range: {value_range[0]}..{value_range[1]}")
    if wrap is False:
        parts.append("no-wrap")
    return ", ".join(parts), wrap is not False


def _comment_lines(marker: str, text: str) -> list[str]:
    if not text:
        return []
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def _reference_lines(occurrences: Iterable[tuple[str, str]]) -> list[str]:
    """`#:` lines: references joined by spaces, a new line once 79 columns would be passed."""
    seen: set[tuple[str, int | None]] = set()
    lines: list[str] = []
    current = ""
    column = 2
    for name, line in occurrences:
        number = int(line) if str(line).isdigit() else None
        if (name, number) in seen:
            continue
        seen.add((name, number))
        text = name if number is None else f"{name}:{number}"
        size = (len(text) if text.isascii() else len(text.encode("utf-8"))) + 1
        if column > 2 and column + size > PAGE_WIDTH:
            lines.append(current)
            column = 2
        if column == 2:
            current = "#:"
        current += " " + text
        column += size
    if column > 2:
        lines.append(current)
    return lines


def _entry_lines(entry: polib.POEntry, header: bool = False) -> list[str]:
    obsolete = bool(entry.obsolete) and not header
    said, extracted, occurrences = entry.tcomment, entry.comment, entry.occurrences
    lines = _comment_lines("#", said) if said else []
    if extracted:
        lines += _comment_lines("#.", extracted)
    if occurrences:
        lines += _reference_lines(occurrences)
    flags, wrap = "", True
    if entry.flags:
        flags_in = list(entry.flags)
        if not _first_msgstr(entry):  # gettext never marks an untranslated message fuzzy
            flags_in = [f for part in flags_in for f in part.split(",") if f.strip() != "fuzzy"]
        flags, wrap = _normalise_flags(tuple(flags_in))
    if flags:
        lines.append(f"#, {flags}")
    prefix = "#~ " if obsolete else ""
    previous = "#~| " if obsolete else "#| "
    for name, value in (
        ("msgctxt", getattr(entry, "previous_msgctxt", None)),
        ("msgid", getattr(entry, "previous_msgid", None)),
        ("msgid_plural", getattr(entry, "previous_msgid_plural", None)),
    ):
        if value is not None:
            lines += _wrap(previous, name, value, wrap)
    if entry.msgctxt is not None:
        lines += _wrap(prefix, "msgctxt", entry.msgctxt, wrap)
    lines += _wrap(prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        lines += _wrap(prefix, "msgid_plural", entry.msgid_plural, wrap)
        plurals = {int(k): v for k, v in (entry.msgstr_plural or {}).items()}
        if not plurals:
            plurals = {0: "", 1: ""}
        for index in sorted(plurals):
            lines += _wrap(prefix, f"msgstr[{index}]", plurals[index], wrap)
    else:
        lines += _wrap(prefix, "msgstr", entry.msgstr or "", wrap)
    return lines


def _header_entry(po: polib.POFile) -> polib.POEntry | None:
    metadata: dict[str, str] = dict(po.metadata or {})
    fuzzy = po.metadata_is_fuzzy
    is_fuzzy = "fuzzy" in fuzzy if isinstance(fuzzy, list) else bool(fuzzy)
    if not metadata and not po.header and not is_fuzzy:
        return None
    msgstr = _header_msgstr(po, metadata)
    return polib.POEntry(
        msgid="", msgstr=msgstr, tcomment=po.header or "", flags=["fuzzy"] if is_fuzzy else []
    )


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        plurals = {int(k): v for k, v in (entry.msgstr_plural or {}).items()}
        return str(plurals.get(0, ""))
    return str(entry.msgstr or "")


def format_entry(entry: polib.POEntry) -> str:
    """One entry as `format_po` writes it inside a catalog (without the blank line)."""
    return "\n".join(_entry_lines(entry)) + "\n"  # never empty: there is a msgid line


def format_po(po: polib.POFile) -> str:
    """The catalog as text, byte for byte what GNU `msgcat` (0.21, width 79) would write."""
    return "".join(format_pieces(po))


def _live(entry: polib.POEntry) -> bool:
    return not entry.obsolete and not (entry.msgid == "" and entry.msgctxt is None)


def _dead(entry: polib.POEntry) -> bool:
    return bool(entry.obsolete) and bool(_first_msgstr(entry))  # like msgcat, with a msgstr


def format_pieces(po: polib.POFile) -> Iterator[str]:
    """`format_po`'s text in pieces, one entry (or blank line) at a time, made as they are
    asked for: a big catalog can be written to a file without its whole text in memory."""
    live = [e for e in po if _live(e)]
    dead = [e for e in po if _dead(e)]
    if not live and not dead:
        return  # msgcat writes nothing at all for a catalog with no messages
    header = _header_entry(po)
    first = header is None
    if header is not None:
        yield "".join(line + "\n" for line in _entry_lines(header, header=True))
    for entry in itertools.chain(live, dead):
        if not first:
            yield "\n"
        first = False
        yield format_entry(entry)


def message_fields(e: polib.POEntry) -> tuple[object, ...]:
    """Every field of an entry that `format_po` writes (as the same types whichever reader or
    merge made the entry, for `MessagesDigest`)."""
    return (
        e.msgctxt,
        e.msgid,
        e.msgid_plural,
        e.msgstr,
        sorted((int(k), v) for k, v in e.msgstr_plural.items()) if e.msgstr_plural else [],
        e.comment,
        e.tcomment,
        list(e.occurrences),
        list(e.flags),
        e.previous_msgctxt,
        e.previous_msgid,
        e.previous_msgid_plural,
        bool(e.obsolete),
    )


def header_fields(po: polib.POFile) -> object:
    """What `format_po` writes of a catalog's header but its line breaking."""
    entry = _header_entry(po)
    return entry and message_fields(entry)


class MessagesDigest:
    """A SHA-256 of the messages `format_po` writes of a catalog, every field of each, taking
    the entries one at a time (a big catalog is read in pieces).

    Two catalogs with the same digest are written the same. `msgmerge --update` leaves a file
    alone when its merge changes no message, however the file's lines are broken, and so
    does `update` (see `tirage.po.locking.Planned`)."""

    def __init__(self, header: polib.POFile) -> None:
        from hashlib import sha256  # here: loading OpenSSL is a sixth of pofile's imports

        self._sha256 = sha256
        self._header = repr(header_fields(header)).encode("utf-8")
        self._live, self._dead = sha256(), sha256()
        self._count = 0

    def add(self, entry: polib.POEntry) -> None:
        kind = self._live if _live(entry) else self._dead if _dead(entry) else None
        if kind is not None:
            kind.update(repr(message_fields(entry)).encode("utf-8"))
            self._count += 1

    def digest(self) -> bytes:
        if not self._count:
            return b""  # no message: nothing is written, not even the header
        parts = (self._header, self._live.digest(), self._dead.digest())
        return self._sha256(b"".join(parts)).digest()


def messages_digest(po: polib.POFile) -> bytes:
    """`MessagesDigest` of a whole catalog."""
    digest = MessagesDigest(po)
    for entry in po:
        digest.add(entry)
    return digest.digest()


# ---------------------------------------------------------------------------------------------
# Saving


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write `data` (text as UTF-8) to `path` atomically; False, untouched, when already
    identical."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # Only a regular file is compared, and read only when its size says it may be the same.
    info = check_output(path)
    if info is not None and same_content(path, info, payload):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, temp = make_temp_file(path)  # named after this process: see tirage.tempfiles
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path) from None
    return True


def save_po(path: Path, po: polib.POFile) -> bool:
    """Write the catalog gettext-exactly and atomically; False when the file was already so."""
    return write_atomic(path, format_po(po))
