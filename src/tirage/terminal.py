"""User text on its way to a terminal or a pipe: control characters shown, never obeyed.

A source, a msgstr, a file name or a glossary term may hold ESC (which clears the screen or
sets the window title), other C0 and C1 controls, or bidi overrides (which reorder what the
reader sees). Every command prints such text through `visible`, which escapes them the way
Python writes them (`\\x1b`, `\\u202e`); JSON output goes through `json_visible`.
"""

from __future__ import annotations

import re

# C0 (but tab), DEL, C1, and the bidi embedding, override and isolate controls.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f{_BIDI}]")
_CONTROL_BUT_NEWLINE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
# In JSON text, C0 is already escaped by json.dumps; C1 and bidi are not with ensure_ascii=False.
_JSON_RAW = re.compile(f"[\\x7f-\\x9f{_BIDI}]")


def escape(char: str) -> str:
    """`\\x1b`, `\\u202e`: the form a Python or JSON reader recognises."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """`text` with every control character escaped; `newlines` keeps line breaks as such."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.sub(lambda m: escape(m.group(0)), text)


def json_visible(text: str) -> str:
    """JSON text (from json.dumps) with C1 and bidi controls written as `\\uXXXX` escapes.

    The result decodes to the same data: only the spelling of those characters changes.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def first_control(text: str) -> str | None:
    """The first control character of a one-line text (a file name), escaped, or None."""
    found = _CONTROL.search(text)
    return escape(found.group(0)) if found else None
