"""What GNU msgfmt (without -c) refuses in a PO file, beyond the syntax of single lines.

`pofile._check_syntax` holds every line to the lexer: a comment, a blank line, or a keyword
and string (a `#~` obsolete or `#|` previous prefix allowed), with only the escapes
gettext's lexer knows. This module checks how those lines make messages, as gettext's
grammar (po-gram.y) and reader (read-catalog.c) do, so that a file tirage accepts is a file
msgfmt accepts, and the other way round:

- a message is `[#| previous…] [msgctxt] msgid` then either `msgstr` or `msgid_plural` and
  `msgstr[0]`, `msgstr[1]`… numbered from 0 without gaps;
- a comment ends a message: one between msgid and msgstr leaves the msgid without msgstr;
- every line of a message is obsolete (`#~`) or none is;
- no two messages, obsolete ones included, share msgctxt and msgid.

polib, which builds the model afterwards, accepts all of these and loses data on them (a
missing msgstr merges two entries; a plain msgstr on a plural entry drops both forms).

It also returns what polib cannot keep: the header's msgstr as written (polib splits it into
a dict, losing a double space or a line without a colon), the comments as gettext reads them
(polib strips each line, so a comment loses its trailing spaces and an empty `#.` line goes),
and it decodes the escapes polib does not know (`\\a`, octal and hexadecimal) before polib
reads the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tirage.errors import CatalogError

# One token of a PO file: (kind, obsolete, line number, plural index, string literal).
Token = tuple[str, bool, int, int, str]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?")
_PREVIOUS_KEYWORDS = {"msgctxt", "msgid", "msgid_plural"}
# gettext's escapes; an octal or hexadecimal one stands for a byte.
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]+|[0-7]{1,3}|[ntbrfva\\"])')
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_SIMPLE.update({"\\": "\\", '"': '"'})
# Byte escapes and \a, which polib does not decode: their presence sends a line to `decode`.
_RARE_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]|[0-7]|a)")
# How a decoded character is written back for polib, which decodes these itself.
_POLIB_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\v": "\\v", "\b": "\\b", "\f": "\\f"}
_POLIB_ESCAPES.update({"\\": "\\\\", '"': '\\"'})
# A line `for_polib` changes: a comment marker without a space after it, flags not in the
# `#, a, b` form or a second flags line, a bare `#|`, or an escape polib does not know.
_FOR_POLIB = re.compile(
    r"^#(?:[^ ~|.:,\n]|[.:][^ \n]|,(?! [^\s,]+(?:, ?[^\s,]+)*[ \t]*$)|~?\|[ \t]*$)"
    r"|^#,[^\n]*\n(?:(?:#(?:[^~\n][^\n]*)?|[ \t]*)\n)*#,"
    r"|\\(?:x[0-9A-Fa-f]|[0-7]|a)",
    re.M,
)
_FLAG_SEPARATORS = re.compile(r"[\s,]+")
_BARE_PREVIOUS = re.compile(r"#~?\|[ \t]*")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def unescape(literal: str, errors: str = "replace") -> str:
    """The value of a C string's contents (between its quotes), as gettext reads it; byte
    escapes that are not UTF-8 fail with `errors="strict"`."""
    if "\\" not in literal:
        return literal
    data = bytearray()
    position = 0
    for found in _ESCAPE.finditer(literal):
        data += literal[position : found.start()].encode("utf-8")
        position = found.end()
        code = found.group(1)
        if code[0] in "x01234567":
            byte = int(code[1:], 16) if code[0] == "x" else int(code, 8)
            if byte & 0xFF == 0:  # a NUL ends the string, as in C
                position = len(literal)
                break
            data.append(byte & 0xFF)
        else:
            data += _SIMPLE[code].encode("utf-8")
    data += literal[position:].encode("utf-8")
    return data.decode("utf-8", errors=errors)


def _tokens(lines: list[str], path: Path | None) -> list[Token]:
    """The tokens of lines that passed the line syntax check. A string that continues a
    keyword of its kind (obsolete, previous) is joined to it, as the grammar reads it."""
    tokens: list[Token] = []
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        if line[0] == '"':  # the most common line: a live string continuing a keyword
            obsolete = previous = False
            kind, index, literal = "string", 0, line
        elif line[0] == "#" and not line.startswith(("#~", "#|")):
            tokens.append(("comment", False, number, 0, line))
            continue
        else:
            obsolete = line.startswith("#~")
            rest = line[2:] if obsolete else line
            previous = rest.startswith("|") if obsolete else rest.startswith("#|")
            if previous:
                rest = rest[1:] if obsolete else rest[2:]
            rest = rest.lstrip(" \t")
            if not rest:
                if previous:  # a bare `#|` is a comment
                    tokens.append(("comment", obsolete, number, 0, ""))
                continue  # a blank line (the line check let nothing else through)
            if rest[0] == '"':
                kind, index, literal = "string", 0, rest
            else:
                found = _KEYWORD.match(rest)
                if found is None:  # cannot happen after the line check
                    raise CatalogError("syntax error", path, number)
                kind = found.group(1) if found.group(2) is None else "msgstr[]"
                index = int(found.group(2) or 0)
                literal = rest[found.end() :].lstrip(" \t")
                if previous and kind not in _PREVIOUS_KEYWORDS:
                    raise CatalogError(f'keyword "{kind}" unknown', path, number)
        literal = literal.rstrip(" \t")[1:-1]
        if previous:
            kind = "prev_" + kind
        if kind[-6:] == "string" and tokens:
            last = tokens[-1]
            if last[1] == obsolete and last[0] != "comment" and last[0][:5] == kind[:5]:
                tokens[-1] = (last[0], obsolete, last[2], last[3], last[4] + literal)
                continue
        tokens.append((kind, obsolete, number, index, literal))
    return tokens


@dataclass
class Reading:
    """What the grammar check learnt that polib does not keep."""

    header: str | None = None  # the header's msgstr, as written
    header_comment: str = ""  # its translator comments (polib loses a leading bare `#`)
    # The `#~|` previous fields of each obsolete message, in file order.
    obsolete_previous: list[dict[str, str]] = field(default_factory=list)
    # The (translator, extracted) comments of each commented message, by (msgctxt, msgid).
    comments: dict[tuple[str | None, str], tuple[str, str]] = field(default_factory=dict)


class _Reader:
    """gettext's grammar over a token list; `messages()` raises on the first error."""

    def __init__(self, tokens: list[Token], path: Path | None) -> None:
        self.end = len(tokens)
        # A last token of no kind: reading past the end needs no test.
        self.tokens = [*tokens, ("", False, tokens[-1][2] + 1 if tokens else 1, 0, "")]
        self.path = path
        self.at = 0
        self.reading = Reading()

    def kind(self) -> str:
        return self.tokens[self.at][0]

    def line(self, fallback: int) -> int:
        return self.tokens[self.at][2] if self.at < self.end else fallback

    def fail(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, self.path, line)

    def strings(self, kind: str) -> str:
        """The keyword at `at` and the strings that continue it, as one literal."""
        parts = [self.tokens[self.at][4]]
        self.at += 1
        while self.kind() == kind:
            parts.append(self.tokens[self.at][4])
            self.at += 1
        return "".join(parts)

    def messages(self) -> None:
        seen: dict[tuple[str | None, str], int] = {}
        fuzzy = False
        comments: list[str] = []
        tokens = self.tokens
        while self.at < self.end:
            if tokens[self.at][0] == "comment":
                comments.append(tokens[self.at][4])
                if comments[-1][:2] == "#,":  # the last flags line is the one gettext reads
                    fuzzy = _is_fuzzy(comments[-1])
                self.at += 1
                continue
            start = self.at
            obsolete = self.tokens[start][1]
            previous = self.previous()
            key, msgid_line = self.intro()
            last = self.tokens[self.at - 1][2]
            kind = self.kind()
            plural: str | None = None
            forms: list[str] = []
            msgstr_line = self.line(last)
            if kind == "msgstr":
                forms.append(self.strings("string"))
                if key == (None, "") and self.reading.header is None and not obsolete:
                    self.reading.header = forms[0]
                    said = [_translator_comment(line) for line in comments]
                    self.reading.header_comment = "\n".join(c for c in said if c is not None)
            elif kind == "msgid_plural":
                plural = unescape(self.strings("string"))
                msgstr_line = self.line(last)
                forms = self.plural_forms(last)
            elif kind == "msgstr[]":
                raise self.fail("missing 'msgid_plural' section", msgid_line)
            else:
                raise self.fail("missing 'msgstr' section", msgid_line)
            for token in self.tokens[start : self.at]:
                if token[1] != obsolete:
                    raise self.fail("inconsistent use of #~", token[2])
            if key in seen:
                raise self.fail(
                    f"duplicate message definition (first at line {seen[key]})", msgid_line
                )
            seen[key] = msgid_line
            if comments:
                self.reading.comments[key] = _comment_texts(comments)
            if obsolete:
                self.reading.obsolete_previous.append(previous)
            elif not fuzzy and key[1] and forms[0]:
                problem = _newlines(key[1], plural, [unescape(form) for form in forms])
                if problem:
                    raise self.fail(problem, msgstr_line)
            fuzzy = False
            comments = []

    def previous(self) -> dict[str, str]:
        """`#| msgctxt`, `#| msgid`, `#| msgid_plural`, in that order, before a message."""
        fields: dict[str, str] = {}
        kind = self.kind()
        if kind == "prev_msgctxt":
            fields["msgctxt"] = unescape(self.strings("prev_string"))
            if self.kind() != "prev_msgid":
                raise self.fail("syntax error", self.tokens[self.at][2])
            kind = "prev_msgid"
        if kind == "prev_msgid":
            fields["msgid"] = unescape(self.strings("prev_string"))
            if self.kind() == "prev_msgid_plural":
                fields["msgid_plural"] = unescape(self.strings("prev_string"))
        elif kind.startswith("prev_"):
            raise self.fail("syntax error", self.line(0))
        return fields

    def intro(self) -> tuple[tuple[str | None, str], int]:
        """`[msgctxt] msgid`; the message's key and the msgid's line."""
        context: str | None = None
        if self.kind() == "msgctxt":
            context = unescape(self.strings("string"))
        if self.kind() != "msgid":
            raise self.fail("syntax error", self.tokens[self.at][2])
        line = self.tokens[self.at][2]
        return (context, unescape(self.strings("string"))), line

    def plural_forms(self, last: int) -> list[str]:
        if self.kind() == "msgstr":
            raise self.fail("syntax error", self.line(last))
        if self.kind() != "msgstr[]":
            raise self.fail("missing 'msgstr[]' section", last)
        forms: list[str] = []
        while self.kind() == "msgstr[]":
            index, line = self.tokens[self.at][3], self.tokens[self.at][2]
            if index != len(forms):
                problem = "first plural form has nonzero index" if not forms else ""
                raise self.fail(problem or "plural form has wrong index", line)
            forms.append(self.strings("string"))
        return forms


def _translator_comment(line: str) -> str | None:
    """The text of a translator comment (`# text`, or `#` alone), as gettext reads it."""
    if line[1:2] in (".", ":", ",", "|", "~"):
        return None
    return line[2:] if line[1:2] == " " else line[1:]


def _comment_texts(lines: list[str]) -> tuple[str, str]:
    """The translator and extracted comments of a message's comment lines, as gettext reads
    them: one space after the marker goes, the rest of the line stays."""
    translator: list[str] = []
    extracted: list[str] = []
    for line in lines:
        if line[:2] == "#.":
            extracted.append(line[3:] if line[2:3] == " " else line[2:])
        elif line:  # a bare `#|` comes as ""
            said = _translator_comment(line)
            if said is not None:
                translator.append(said)
    return "\n".join(translator), "\n".join(extracted)


def _is_comment(line: str) -> bool:
    return line.startswith("#") and not line.startswith("#~")


def _is_fuzzy(flags: str) -> bool:
    return "fuzzy" in _FLAG_SEPARATORS.split(flags[2:])


def _newlines(msgid: str, plural: str | None, forms: list[str]) -> str:
    """msgfmt's check, without -c too, that a translation begins and ends with a newline
    where its msgid does (msgl-check.c); "" when it does."""
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        wanted = test(msgid, "\n")
        if plural is not None and test(plural, "\n") != wanted:
            return f"'msgid' and 'msgid_plural' entries do not both {where} with '\\n'"
        for index, form in enumerate(forms):
            if test(form, "\n") != wanted:
                name = "msgstr" if plural is None else f"msgstr[{index}]"
                return f"'msgid' and '{name}' entries do not both {where} with '\\n'"
    return ""


def check_messages(lines: list[str], path: Path | None) -> Reading:
    """Refuse what msgfmt refuses in how lines make messages (see the module notes); what
    polib will not keep."""
    reader = _Reader(_tokens(lines, path), path)
    reader.messages()
    reading = reader.reading
    if reading.header is not None:
        reading.header = unescape(reading.header)
    return reading


def for_polib(text: str, lines: list[str], path: Path | None) -> list[str] | None:
    """The lines as polib can read them with gettext's meaning (None: they already are).

    - `\\a` and byte escapes are decoded (a run of byte escapes as UTF-8, as msgcat writes
      them out);
    - a bare `#|` goes;
    - flags are separated by commas and spaces alike, as gettext reads them, and only the
      last `#,` line before a message counts;
    - comments after the last message go (polib would drop the message with them);
    - a comment whose marker is not followed by a space gets one: for gettext `#x` is the
      translator comment "x" and `#.x` the extracted comment "x"; polib refuses both."""
    last = next((line for line in reversed(lines) if line.strip()), "")
    if not _is_comment(last) and not _FOR_POLIB.search(text):
        return None
    changed = False
    result: list[str] = []
    flags_at: int | None = None  # the `#,` line of the comments before the next message
    for number, line in enumerate(lines, 1):
        if line.strip() and not _is_comment(line):
            flags_at = None
        elif line.startswith("#,"):
            if flags_at is not None:  # gettext reads the last `#,` line of a message only
                result[flags_at], changed = "", True
            flags_at = len(result)
        if _BARE_PREVIOUS.fullmatch(line):
            result.append("")  # a bare `#|` says nothing (msgcat drops it); polib refuses it
            changed = True
            continue
        if line.startswith("#,"):
            flags = ", ".join(flag for flag in _FLAG_SEPARATORS.split(line[2:]) if flag)
            tidy = f"#, {flags}" if flags else ""
            changed = changed or tidy != line
            result.append(tidy)
            continue
        if line.startswith("#") and line[:2] not in ("#~", "#|"):
            if len(line) > 1 and line[1] != " ":
                cut = 2 if line[1] in ".:," else 1
                if line[cut : cut + 1] != " ":
                    line, changed = f"{line[:cut]} {line[cut:]}", True
            result.append(line)
            continue
        quote = line.find('"')
        if quote < 0:
            result.append(line)
            continue
        if not _RARE_ESCAPE.search(line, quote):
            result.append(line)
            continue
        end = line.rfind('"')
        try:
            value = unescape(line[quote + 1 : end], errors="strict")
        except UnicodeDecodeError:
            value = "\x1c"  # not UTF-8: refused below, like a line break polib would split at
        if any(char in _LINE_BREAKS and char not in _POLIB_ESCAPES for char in value):
            raise CatalogError("escape sequence tirage cannot read", path, number)
        encoded = "".join(_POLIB_ESCAPES.get(char, char) for char in value)
        result.append(f'{line[:quote]}"{encoded}"{line[end + 1 :]}')
        changed = True
    # Comments after the last message: polib would drop that message (msgcat drops them).
    while result and (not result[-1].strip() or _is_comment(result[-1])):
        changed = changed or result[-1].strip() != ""
        result.pop()
    return result if changed else None
