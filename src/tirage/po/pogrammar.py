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

The same pass builds the messages as polib's model (`polib.POEntry`), so a file is read
once: polib's own parser is never run. It keeps what polib's parser would lose: the header's
msgstr as written (polib splits it into a dict, losing a double space or a line without a
colon), the comments as gettext reads them (trailing spaces, empty `#.` lines), the `#~|`
previous fields of obsolete messages, and the escapes polib does not know (`\\a`, octal and
hexadecimal).

A file laid out as gettext's tools write it is read by `poscan` instead, one regular
expression a message, to the same entries; this module reads every other file and words
every refusal.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from tirage.errors import CatalogError

# One token of a PO file: (kind, obsolete, line number, plural index, string literal).
Token = tuple[str, bool, int, int, str]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?")
_PREVIOUS_KEYWORDS = {"msgctxt", "msgid", "msgid_plural"}
# gettext's escapes; an octal or hexadecimal one stands for a byte.
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]+|[0-7]{1,3}|[ntbrfva\\"])')
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_SIMPLE.update({"\\": "\\", '"': '"'})
# Byte escapes and \a: a value holding one is decoded strictly.
_RARE_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]|[0-7]|a)")
_FLAG_SEPARATORS = re.compile(r"[\s,]+")
# Line breaks an escape may stand for that gettext's writers never produce; refused, as
# tirage always has, rather than guessed at.
_ODD_BREAKS = frozenset("\x1c\x1d\x1e\x85\u2028\u2029")


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
                # A blank line, or a bare `#|`: gettext's lexer finds no token on it, so it
                # neither ends a message nor splits a string's continuation lines.
                continue
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


class Reading:
    """The messages of a file and what the writer needs to write them back as read.

    A plain class: `dataclasses` is a tenth of a PO-reading process's start."""

    def __init__(self) -> None:
        self.header: str | None = None  # the header's msgstr, as written
        self.header_comment = ""  # its translator comments (polib loses a leading bare `#`)
        # Every message, header included, as polib models it, in file order.
        self.entries: list[polib.POEntry] = []


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
        comments_at: list[int] = []  # their line numbers
        entries = self.reading.entries
        tokens = self.tokens
        while self.at < self.end:
            if tokens[self.at][0] == "comment":
                comments.append(tokens[self.at][4])
                comments_at.append(tokens[self.at][2])
                if comments[-1][:2] == "#,":  # the last flags line is the one gettext reads
                    fuzzy = _is_fuzzy(comments[-1])
                self.at += 1
                continue
            start = self.at
            obsolete = self.tokens[start][1]
            previous = self.previous()
            key, msgid_line = self.intro(start)
            last = self.tokens[self.at - 1][2]
            kind = self.kind()
            plural: str | None = None
            forms: list[str] = []
            msgstr_line = self.line(last)
            if kind == "msgstr":
                forms.append(self.strings("string"))
                if key == (None, "") and self.reading.header is None and not obsolete:
                    self.reading.header = forms[0]
                    told = [_translator_comment(line) for line in comments]
                    self.reading.header_comment = "\n".join(c for c in told if c is not None)
            elif kind == "msgid_plural":
                plural = self.value(self.strings("string"), last)
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
            said = _comment_texts(comments) if comments else ("", "")
            values = [self.value(form, msgstr_line) for form in forms]
            if not obsolete and not fuzzy and key[1] and values[0]:
                problem = _newlines(key[1], plural, values)
                if problem:
                    raise self.fail(problem, msgstr_line)
            entry = polib.POEntry(
                msgid=key[1],
                msgctxt=key[0],
                tcomment=said[0],
                comment=said[1],
                obsolete=1 if obsolete else 0,
                linenum=self.linenum(comments, comments_at, start) if entries else 0,
            )
            for name, value in previous.items():
                setattr(entry, f"previous_{name}", value)
            if plural is None:
                entry.msgstr = values[0]
            else:
                entry.msgid_plural = plural
                entry.msgstr_plural = dict(enumerate(values))
            _comment_fields(entry, comments)
            entries.append(entry)
            fuzzy = False
            comments = []
            comments_at = []

    def value(self, literal: str, line: int) -> str:
        """A msgstr's value; a byte escape that is not UTF-8 is refused rather than read as
        U+FFFD, which a save would then write back in place of the bytes."""
        if _RARE_ESCAPE.search(literal) is None:
            return unescape(literal)
        try:
            value = unescape(literal, errors="strict")
        except UnicodeDecodeError:
            raise self.fail("escape sequence tirage cannot read", line) from None
        if _ODD_BREAKS.intersection(value):
            raise self.fail("escape sequence tirage cannot read", line)
        return value

    def linenum(self, comments: list[str], lines: list[int], start: int) -> int:
        """Where polib says a message starts (its first line that is not blank: a flags,
        reference or extracted comment line with nothing after its marker counts as blank,
        and so does every flags line but the last), kept for the callers that splice a
        message back by its line."""
        for index, line in enumerate(comments):
            marker = line[:2]
            if marker == "#,":
                later = any(other[:2] == "#," for other in comments[index + 1 :])
                if not later and _FLAG_SEPARATORS.sub("", line[2:]):
                    return lines[index]
            elif marker in ("#.", "#:"):
                if line[2:].strip():
                    return lines[index]
            elif line:
                return lines[index]
        for token in self.tokens[start : self.at]:
            if not (token[1] and token[0].startswith("prev_")):  # polib skips `#~|` lines
                return token[2]
        return self.tokens[start][2]

    def previous(self) -> dict[str, str]:
        """`#| msgctxt`, `#| msgid`, `#| msgid_plural`, in that order, before a message."""
        fields: dict[str, str] = {}
        kind = self.kind()
        if kind == "prev_msgctxt":
            fields["msgctxt"] = self.value(self.strings("prev_string"), self.line(0))
            if self.kind() != "prev_msgid":
                raise self.fail("syntax error", self.tokens[self.at][2])
            kind = "prev_msgid"
        if kind == "prev_msgid":
            fields["msgid"] = self.value(self.strings("prev_string"), self.line(0))
            if self.kind() == "prev_msgid_plural":
                fields["msgid_plural"] = self.value(self.strings("prev_string"), self.line(0))
        elif kind.startswith("prev_"):
            raise self.fail("syntax error", self.line(0))
        return fields

    def intro(self, start: int) -> tuple[tuple[str | None, str], int]:
        """`[msgctxt] msgid`; the message's key and the msgid's line."""
        context: str | None = None
        if self.kind() == "msgctxt":
            context = self.value(self.strings("string"), self.tokens[self.at - 1][2])
        if self.kind() != "msgid":
            raise self.fail("syntax error", self.tokens[self.at][2])
        line = self.tokens[self.at][2]
        return (context, self.value(self.strings("string"), line)), line

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


def _comment_fields(entry: polib.POEntry, comments: list[str]) -> None:
    """The flags (of the last `#,` line) and the references of a message."""
    flags: list[str] = []
    for line in comments:
        if line[:2] == "#,":
            flags = flags_of(line)
        elif line[:2] == "#:":
            add_references(entry.occurrences, line)
    entry.flags = flags


def flags_of(line: str) -> list[str]:
    """The flags of a `#,` line, split at commas and spaces alike, as gettext reads them."""
    return [flag for flag in _FLAG_SEPARATORS.split(line[2:]) if flag]


def add_references(occurrences: list[tuple[str, str]], line: str) -> None:
    """The references of a `#:` line (`file:line`, or a bare file name), added in order."""
    for reference in line[2:].split():
        name, colon, number = reference.rpartition(":")
        if colon and number.isdigit():
            occurrences.append((name, number))
        else:
            occurrences.append((reference, ""))


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
    polib will not keep. `lines` is emptied once tokenized: a big file's lines are not all
    kept while its messages are built."""
    tokens = _tokens(lines, path)
    del lines[:]
    reader = _Reader(tokens, path)
    del tokens
    reader.messages()
    reading = reader.reading
    if reading.header is not None:
        reading.header = unescape(reading.header)
    return reading
