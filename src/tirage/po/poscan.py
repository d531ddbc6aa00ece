"""A PO file's messages in one pass: one regular expression matches a whole message, and its
groups become a `polib.POEntry` directly.

Most catalogs are laid out as gettext's tools write them: a keyword, one space and a string
at the start of a line, continuation strings alone on theirs, no blank line inside a message.
For those, this scan does all that `pofile._check_syntax` and `pogrammar.check_messages` do
(line syntax, gettext's grammar, duplicates, msgfmt's newline check) and builds the same
entries, field for field. It gives up (returns None) at the first thing it does not read
that way, good or bad: then the line-by-line reader reads the whole text, and its refusal
(message and line) or its entries are the answer. So the scan decides nothing on its own;
`tests/test_poscan.py` holds the two to the same entries.
"""

from __future__ import annotations

import re

import polib

from tirage.po.pogrammar import (
    _ODD_BREAKS,
    _RARE_ESCAPE,
    _SIMPLE,
    Reading,
    _newlines,
    add_references,
    flags_of,
    unescape,
)

__all__ = ["scan_messages"]

# One C string, with only the escapes gettext's lexer knows (po-lex.c); an octal or
# hexadecimal escape's other digits are read as text, in the same run.
_S = r'"[^"\\\n]*+(?:\\(?:[ntbrfva\\"0-7]|x[0-9A-Fa-f])[^"\\\n]*+)*+"'


# A message after its comments: every line with the prefix of a live message or every one
# with an obsolete message's, as its first line has (the group `obsolete`, read ahead, says
# which). One pattern for both, with conditional prefixes, compiles in half the time of a
# pattern for each (1 ms instead of 2, in a process that reads and writes a catalog in 70).
_P = r"(?(obsolete)\#~\ )"  # a message line's prefix
_Q = r"\#(?(obsolete)~)\|\ "  # a previous field's
_STRINGS = rf"{_S}(?:\n{_P}{_S})*+"
_ENTRY = re.compile(
    # (a comment line ending in a backslash continues on the next: read line by line)
    r"(?P<comments>(?:\#(?![~|])[^\n]*+(?<!\\)\n)*+)"
    r"(?=(?P<obsolete>\#~)?)"
    # previous fields, checked for their order afterwards
    rf"(?P<prev>(?:{_Q}(?:msgctxt|msgid_plural|msgid)\ {_S}(?:\n{_Q}{_S})*+\n)*+)"
    rf"(?:{_P}msgctxt\ (?P<ctxt>{_STRINGS})\n)?"
    rf"{_P}msgid\ (?P<id>{_STRINGS})\n"
    rf"(?:{_P}msgstr\ (?P<str>{_STRINGS})"
    rf"|{_P}msgid_plural\ (?P<plural>{_STRINGS})\n"
    rf"(?P<forms>{_P}msgstr\[0\]\ {_STRINGS}(?:\n{_P}msgstr\[\d+\]\ {_STRINGS})*+))"
    r"(?:\n|\Z)\n*+"
)
_PREVIOUS_ORDERS = {("msgid",), ("msgid", "msgid_plural"), ("msgctxt", "msgid")}
_PREVIOUS_ORDERS.add(("msgctxt", "msgid", "msgid_plural"))
_SIMPLE_ESCAPE = re.compile(r'\\([ntbrfv\\"])')  # \a is rare: read by `unescape`
_ENCODING = polib.default_encoding


class _GiveUp(Exception):
    """The scan cannot read this text as the line-by-line reader would."""


def _value(literal: str) -> str:
    """`pogrammar._Reader.value` of a literal holding a backslash, giving up where it would
    refuse."""
    if _RARE_ESCAPE.search(literal) is None:
        return _SIMPLE_ESCAPE.sub(lambda found: _SIMPLE[found.group(1)], literal)
    try:
        value = unescape(literal, errors="strict")
    except UnicodeDecodeError:
        raise _GiveUp from None
    if _ODD_BREAKS.intersection(value):
        raise _GiveUp
    return value


def _text(strings: str, join: str) -> str:
    """The text of a keyword's strings: their contents joined, escapes read."""
    literal = strings[1:-1]
    if "\n" in literal:
        literal = literal.replace(join, "")
    return _value(literal) if "\\" in literal else literal


def scan_messages(text: str) -> Reading | None:
    """The messages of `text` (no line boundary but "\\n"), as `pogrammar.check_messages`
    reads them once its backslash-newlines are joined; None where the scan cannot tell,
    and wherever a backslash comes before a newline (nothing to join)."""
    try:
        return _scan(text)
    except _GiveUp:
        return None


def _scan(text: str) -> Reading:
    reading = Reading()
    entries = reading.entries
    seen: set[tuple[str | None, str]] = set()
    position = len(text) - len(text.lstrip("\n"))
    line = position + 1  # the line the next message starts on
    new_entry = polib.POEntry.__new__
    entry_class = polib.POEntry
    for found in _ENTRY.finditer(text, position):
        start, end = found.span()
        if start != position:
            raise _GiveUp
        groups = found.groups()
        comments = groups[0]
        live = groups[1] is None
        prev_block, context, msgid, msgstr, plural, forms = groups[2:]
        join = '"\n"' if live else '"\n#~ "'
        if comments:
            translator, extracted, occurrences, flags, first = _comments(comments)
        else:
            translator = extracted = ""
            occurrences, flags, first = [], [], -1
        previous = _previous(prev_block, live) if prev_block else _NO_PREVIOUS
        literal = msgid[1:-1]  # the msgid's text (`_text`, inline: this runs for each message)
        if "\n" in literal:
            literal = literal.replace(join, "")
        msgid_text = _value(literal) if "\\" in literal else literal
        msgctxt = None if context is None else _text(context, join)
        known = len(seen)
        seen.add((msgctxt, msgid_text))
        if len(seen) == known:  # a duplicate
            raise _GiveUp
        if plural is None:
            literal = msgstr[1:-1]
            if "\n" in literal:
                literal = literal.replace(join, "")
            if not msgid_text and msgctxt is None and live and reading.header is None:
                reading.header = literal
                reading.header_comment = translator
            value = _value(literal) if "\\" in literal else literal
            if value and msgid_text and live and "fuzzy" not in flags:  # msgfmt's newline check
                begins = (value[0] == "\n") != (msgid_text[0] == "\n")
                if begins or (value[-1] == "\n") != (msgid_text[-1] == "\n"):
                    raise _GiveUp
            plural_text = ""
            values: dict[int, str] = {}
        else:
            plural_text = _text(plural, join)
            values = _forms(forms, live, join)
            checked = values[0] and msgid_text and live and "fuzzy" not in flags
            if checked and _newlines(msgid_text, plural_text, list(values.values())):
                raise _GiveUp
            value = ""
        if not entries:
            linenum = 0
        elif first >= 0:
            linenum = line + first
        elif live:
            linenum = line + comments.count("\n")
        else:  # polib skips the `#~|` lines of an obsolete message
            linenum = line + comments.count("\n") + prev_block.count("\n")
        entry = new_entry(entry_class)
        # Filled in place, in POEntry.__init__'s order: faster than a new dict.
        fields = entry.__dict__
        fields["msgid"] = msgid_text
        fields["msgstr"] = value
        fields["msgid_plural"] = plural_text
        fields["msgstr_plural"] = values
        fields["msgctxt"] = msgctxt
        fields["obsolete"] = 0 if live else 1
        fields["encoding"] = _ENCODING
        fields["comment"] = extracted
        fields["tcomment"] = translator
        fields["occurrences"] = occurrences
        fields["flags"] = flags
        fields["previous_msgctxt"] = previous[0]
        fields["previous_msgid"] = previous[1]
        fields["previous_msgid_plural"] = previous[2]
        fields["linenum"] = linenum
        entries.append(entry)
        position = end
        line += text.count("\n", start, end)
    if position != len(text):
        raise _GiveUp
    if reading.header is not None:
        reading.header = unescape(reading.header)
    return reading


_NO_PREVIOUS: tuple[str | None, str | None, str | None] = (None, None, None)


def _comments(block: str) -> tuple[str, str, list[tuple[str, str]], list[str], int]:
    """A message's comment lines as pogrammar reads them: the translator and extracted
    comments, the references, the flags (of the last `#,` line) and which line polib's line
    number points at (see pogrammar's `linenum`), -1 for none."""
    occurrences: list[tuple[str, str]] = []
    if block.startswith("#:") and block.count("\n") == 1:  # the commonest: one `#:` line
        add_references(occurrences, block)
        return "", "", occurrences, [], 0 if block[2:].strip() else -1
    translator: list[str] = []
    extracted: list[str] = []
    flags_line = ""
    flags_at = first = -1
    for index, comment in enumerate(block[:-1].split("\n")):
        marker = comment[1:2]
        if marker == ":":
            add_references(occurrences, comment)
            if first < 0 and comment[2:].strip():
                first = index
        elif marker == ",":
            flags_line, flags_at = comment, index
        elif marker == ".":
            extracted.append(comment[3:] if comment[2:3] == " " else comment[2:])
            if first < 0 and comment[2:].strip():
                first = index
        else:
            translator.append(comment[2:] if marker == " " else comment[1:])
            if first < 0:
                first = index
    flags: list[str] = []
    if flags_line:
        flags = flags_of(flags_line)
        if flags and (first < 0 or flags_at < first):
            first = flags_at
    return "\n".join(translator), "\n".join(extracted), occurrences, flags, first


# `_previous` and `_forms` split blocks that `_ENTRY` matched, so each line is known to be
# a keyword's first string or a string continuing it: a string holds no newline, and each
# keyword starts a line (no pattern to compile for them).


def _previous(block: str, live: bool) -> tuple[str | None, str | None, str | None]:
    """The `#|` fields: msgctxt, msgid, msgid_plural."""
    prefix = "#| " if live else "#~| "
    join = f'"\n{prefix}"'
    found = []
    for field in f"\n{block[:-1]}".split(f"\n{prefix}msg")[1:]:
        name, _, strings = field.partition(" ")
        found.append(("msg" + name, strings))
    if tuple(name for name, _ in found) not in _PREVIOUS_ORDERS:
        raise _GiveUp
    fields: dict[str, str] = dict(found)
    texts = [None if fields.get(name) is None else _text(fields[name], join) for name in _NAMES]
    return texts[0], texts[1], texts[2]


_NAMES = ("msgctxt", "msgid", "msgid_plural")


def _forms(block: str, live: bool, join: str) -> dict[int, str]:
    """`msgstr[0]`, `msgstr[1]`…, numbered from 0 without gaps."""
    values: dict[int, str] = {}
    keyword = "msgstr[" if live else "#~ msgstr["
    for form in block[len(keyword) :].split(f"\n{keyword}"):
        number, _, strings = form.partition("] ")
        if int(number) != len(values):
            raise _GiveUp
        values[len(values)] = _text(strings, join)
    return values
