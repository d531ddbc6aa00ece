"""What `msgfmt -c` refuses in a catalog that `msgfmt` alone accepts, checked in Python.

- A translation whose format specifications differ from its msgid's, for entries flagged
  `c-format`, `python-format` or `python-brace-format` (as gettext's format-c.c,
  format-python.c and format-python-brace.c compare them: the same arguments, of the same
  types; positions or names may be reordered; a plural form may leave out an argument).
- A catalog with plural entries but no `Plural-Forms: nplurals=N; plural=…;` header, or an
  entry with another number of plural forms than `nplurals`.

Like msgfmt, fuzzy and obsolete entries are left out: they do not go into the compiled
catalog. Each problem is `(line, evidence)`; `tirage check` reports them as errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polib

# %[position$][flags][width][.precision][length]conversion
_C_DIRECTIVE = re.compile(
    r"%(?:(?P<pos>\d+)\$)?[-+ #0'I]*(?P<width>\*(?:\d+\$)?|\d+)?"
    r"(?:\.(?P<precision>\*(?:\d+\$)?|\d+))?(?P<length>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[%a-zA-Z])"
)
_C_TYPES = {
    **dict.fromkeys("di", "integer"),
    **dict.fromkeys("ouxX", "unsigned integer"),
    **dict.fromkeys("eEfFgGaA", "double"),
    "c": "char",
    "s": "string",
    "p": "pointer",
    "n": "count pointer",
}
_PY_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[%a-zA-Z])"
)
_PY_TYPES = {
    **dict.fromkeys("diouxX", "integer"),
    **dict.fromkeys("eEfFgG", "float"),
    "c": "character",
    **dict.fromkeys("sra", "string"),
}
_BRACE_FIELD = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}!:.\[]*)[^{}]*\}")
_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=")

Args = dict[str, str]  # argument (position or name) → type


def c_arguments(text: str) -> Args | None:
    """The arguments of a C format string; None when a directive is invalid."""
    args: Args = {}
    next_position = 1
    for found in _C_DIRECTIVE.finditer(text):
        conv = found.group("conv")
        if conv == "%":
            continue
        if conv not in _C_TYPES:
            return None
        for part in (found.group("width"), found.group("precision")):
            if part and part.startswith("*"):
                key = part[1:-1] if part.endswith("$") else str(next_position)
                next_position += 0 if part.endswith("$") else 1
                args[key] = "integer"
        key = found.group("pos") or str(next_position)
        if not found.group("pos"):
            next_position += 1
        args[key] = (found.group("length") or "") + _C_TYPES[conv]
    return args


def python_arguments(text: str) -> Args | None:
    args: Args = {}
    position = 0
    for found in _PY_DIRECTIVE.finditer(text):
        conv = found.group("conv")
        if conv == "%":
            continue
        if conv not in _PY_TYPES:
            return None
        name = found.group("name")
        if name is None:
            position += 1
            name = f"#{position}"
        args[name] = _PY_TYPES[conv]
    return args


def brace_arguments(text: str) -> Args | None:
    return {
        m.group("field"): "any" for m in _BRACE_FIELD.finditer(text) if m.group("field") is not None
    }


PARSERS = {
    "c-format": c_arguments,
    "python-format": python_arguments,
    "python-brace-format": brace_arguments,
}


def _compare(msgid: Args, msgstr: Args, may_omit: bool) -> str | None:
    for name, kind in msgstr.items():
        if name not in msgid:
            return f"a format specification for argument {name!r} is not in the msgid"
        if msgid[name] != kind:
            return (
                f"the format specification for argument {name!r} differs: "
                f"{msgid[name]} in the msgid, {kind} in the translation"
            )
    lost = [name for name in msgid if name not in msgstr]
    if lost and not may_omit:
        return f"the format specification for argument {lost[0]!r} is missing"
    return None


def format_problems(entry: polib.POEntry) -> Iterator[str]:
    """Format specifications of the translation that msgfmt -c would refuse."""
    for flag, parse in PARSERS.items():
        if flag not in entry.flags:
            continue
        if entry.msgid_plural:
            forms = sorted(entry.msgstr_plural.items())
            pairs = [
                (entry.msgid if i == 0 else entry.msgid_plural, form, True) for i, form in forms
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr, False)]
        for source, form, plural in pairs:
            if not form:
                continue
            expected, found = parse(source), parse(form)
            if expected is None:
                yield f"{flag}: the msgid is not a valid format string"
            elif found is None:
                yield f"{flag}: the translation is not a valid format string"
            else:
                problem = _compare(expected, found, plural)
                if problem:
                    yield f"{flag}: {problem}"


def catalog_problems(po: polib.POFile) -> Iterator[tuple[int, str]]:
    """(line, evidence) for the plural header and every entry's format specifications."""
    compiled = [e for e in po if e.msgid and not e.obsolete and "fuzzy" not in e.flags]
    plural = [e for e in compiled if e.msgid_plural]
    if plural:
        declared = _PLURAL_FORMS.search(po.metadata.get("Plural-Forms", ""))
        if declared is None:
            yield (
                plural[0].linenum,
                'plural entries, but the header has no "Plural-Forms: nplurals=N; plural=…;"',
            )
        else:
            count = int(declared.group(1))
            for entry in plural:
                if entry.msgstr_plural and len(entry.msgstr_plural) != count:
                    forms = len(entry.msgstr_plural)
                    yield (
                        entry.linenum,
                        f"{forms} plural forms, but the header says nplurals={count}",
                    )
    for entry in compiled:
        for problem in format_problems(entry):
            yield entry.linenum, problem
