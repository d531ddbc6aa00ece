"""tirage.toml, checked key by key when it is read.

Every setting has a kind and a range here. A wrong type, an unknown key (with the closest
known one), an impossible value or a TOML syntax error becomes one ConfigError naming the
file, the line and the key, before any command does anything. tomllib gives no positions,
so the line is found afterwards, in the text, only when there is an error to place.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tirage.containment import read_regular
from tirage.errors import ConfigError
from tirage.languages import canonical, did_you_mean, same
from tirage.mt import ENGINES
from tirage.readers.markdown_dialects import DIALECTS

COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)

# Characters that must not reach a file's one-line value: C0 and C1 controls, DEL, line and
# paragraph separators, and the bidi controls that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(r"[^\s<>@\\\"]+@[^\s<>@\\\"]+\.[^\s<>@\\\"]+")
MAX_SETTINGS = 1 << 20  # bytes: a tirage.toml is a few dozen lines

Check = Callable[[Any], Any]  # returns the value (possibly normalised) or raises ValueError


class Invalid(ValueError):
    """What is wrong with a value, said for the user."""


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, not {_kind(value)}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {_kind(value)}")
    return value


def _language(value: Any) -> str:
    code = _string(value)
    found = canonical(code)
    if found is None:
        raise Invalid(f"unknown language code '{code}'{did_you_mean(code)}")
    return found


def _languages(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Invalid(f'must be a list, e.g. ["en", "es"], not {_kind(value)}')
    if not value:
        raise Invalid('must list at least one language, e.g. ["en"]')
    codes = tuple(_language(code) for code in value)
    for index, code in enumerate(codes):
        if any(same(code, other) for other in codes[:index]):
            raise Invalid(f"lists '{code}' twice")
    return codes


def _engine(value: Any) -> str:
    name = _string(value)
    if name not in ENGINES:
        raise Invalid(f"unknown engine '{name}' (engines: {', '.join(ENGINES)})")
    return name


def _engines(value: Any) -> tuple[str, ...]:
    # A single name is a one-engine list: `fallback = "apertium"` means ["apertium"].
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise Invalid(f'must be a list of engines, e.g. ["apertium"], not {_kind(value)}')
    return tuple(_engine(name) for name in names)


def _style_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f'must be a list of style names, e.g. ["Code"], not {_kind(value)}')
    return tuple(value)


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"must be a number from {low:g} to {high:g}, not {_kind(value)}")
        if not math.isfinite(value) or not low <= value <= high:
            raise Invalid(f"must be a number from {low:g} to {high:g}, not {value}")
        return float(value)

    return check


def _count(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number from {low} to {high}, not {_kind(value)}")
        if not low <= value <= high:
            raise Invalid(f"must be a whole number from {low} to {high}, not {value}")
        return value

    return check


def _choice(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str:
        text = _string(value)
        if text not in choices:
            raise Invalid(f"must be one of {', '.join(choices)}, not '{text}'")
        return text

    return check


MAX_HEADER = 200  # characters: a name and an address, or a team and its list


def header_value(text: str) -> str:
    """`text`, fit to become a line of a file (a PO header, a PDF's Author, JSON-LD): one
    line, no control characters, at most MAX_HEADER characters, a well-formed e-mail
    address inside `<…>`; raises Invalid saying what is wrong."""
    found = _CONTROL.search(text)
    if found is not None:
        what = "a line break" if found.group(0) in "\n\r\x85\u2028\u2029" else "a control"
        raise Invalid(f"must be one line with no control characters; it has {what} "
                      f"(U+{ord(found.group(0)):04X})")  # fmt: skip
    if len(text) > MAX_HEADER:
        raise Invalid(f"must be at most {MAX_HEADER} characters, not {len(text)}")
    for address in re.findall(r"<([^>]*)>", text):
        if not _EMAIL.fullmatch(address):
            raise Invalid(f"'<{address}>' is not an e-mail address (name@example.org)")
    if text.count("<") != text.count(">"):
        raise Invalid("has an unbalanced '<' or '>'; write a name and <name@example.org>")
    return text


def _header(value: Any) -> str:
    return header_value(_string(value).strip())


def _text(value: Any) -> str:
    text = _header(value)
    if not text:
        raise Invalid("must not be empty")
    return text


def _base_url(value: Any) -> str:
    url = _header(value)
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise Invalid(f"must be an http(s) URL, e.g. https://example.org/news/, not '{url}'")
    return url


PAGE_MM = (50.0, 2000.0)  # a page's side, from a small pocket book to a wall poster


def _page(value: Any) -> str:
    from tirage.editions.pdf import parse_page  # page sizes; WeasyPrint is not imported

    page = _header(value)
    # Each number has at most 5 digits before its point: a 20-digit size is refused at once.
    if any(len(whole) > 5 for whole in re.findall(r"(\d+)(?:\.\d*)?", page)):
        raise Invalid(f"'{page}' is not a page size: each side is {PAGE_MM[0]:g} to "
                      f"{PAGE_MM[1]:g} mm")  # fmt: skip
    try:
        layout = parse_page(page)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    low, high = PAGE_MM
    for side, size in (("width", layout.width), ("height", layout.height)):
        if not low <= size <= high:
            raise Invalid(
                f"'{page}': a {side} of {size:g} mm; each side of a page is {low:g} to {high:g} mm"
            )
    return page


def _ray_address(value: Any) -> str:
    address = _string(value).strip()
    host, _, port = address.rpartition(":")
    if address != "auto" and not (host and port.isdigit()):
        raise Invalid(f"must be \"auto\" or HOST:PORT, not '{address}'")
    return address


def _names(value: Any) -> tuple[str, ...]:
    """A list of keys or names, e.g. ["title", "summary"]; an empty list is allowed."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f'must be a list of names, e.g. ["title", "summary"], not {_kind(value)}')
    names = tuple(v.strip() for v in value)
    if not all(re.fullmatch(r"[\w.-]+", name) for name in names):
        raise Invalid("names hold only letters, digits, '_', '-' and '.'")
    return names


# Table ("" for the top level) → key → check. New settings go here.
SCHEMA: dict[str, dict[str, Check]] = {
    "": {"source_language": _language, "target_languages": _languages},
    "publish": {
        "threshold": _number(0, 100),
        "allow_linked_editions": _boolean,
        "name": _text,  # the publication (JSON-LD, the PDF's Author)
        "base_url": _base_url,  # where editions/ is published
        "page": _page,  # the print edition's page size
    },
    "translate": {
        "engine": _engine,
        "fallback": _engines,
        "beam_size": _count(1, 64),
        "compute_type": _choice(COMPUTE_TYPES),
        "batch_size": _count(1, 100_000),
        "device": _choice(("cpu", "cuda", "auto")),
        "ray": _ray_address,  # "auto" or HOST:PORT (tirage.cluster)
        "actors_per_node": _count(1, 1024),
        "threads_per_actor": _count(0, 1024),  # 0: the node's CPUs ÷ actors_per_node
    },
    "team": {"translator": _header, "name": _header},  # Last-Translator, Language-Team
    "office": {"untranslated_styles": _style_names},  # DOCX/ODT styles whose text stays as it is
    "markdown": {  # tirage.readers.markdown_dialects
        "dialect": _choice(DIALECTS),
        "front_matter": _names,  # the front matter keys whose values are prose
        "code_shortcodes": _names,  # Hugo shortcodes that hold code
    },
}
REQUIRED = ("source_language", "target_languages")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{type(value).__name__} {value!r}"


def read_settings(path: Path) -> dict[str, dict[str, Any]]:
    """Table → key → checked value, for every setting present in the file."""
    raw = read_regular(path, ConfigError, limit=MAX_SETTINGS)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ConfigError("not UTF-8 text", path, line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0] if exc.args else exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        at = int(found.group(1)) if found else None
        raise ConfigError(f"invalid TOML: {message.split(' (at')[0]}", path, at) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError("invalid TOML: arrays or tables nested too deeply", path) from None
    return check_settings(data, path, text)


def check_settings(data: dict[str, Any], path: Path, text: str) -> dict[str, dict[str, Any]]:
    def fail(table: str, key: str, what: str) -> ConfigError:
        name = f"{table}.{key}" if table else key
        return ConfigError(f"{name}: {what}", path, locate(text, table, key))

    result: dict[str, dict[str, Any]] = {table: {} for table in SCHEMA}
    for key, value in data.items():
        if key in SCHEMA and key:
            if not isinstance(value, dict):
                raise fail("", key, f"must be a table ([{key}]), not {_kind(value)}")
            tables = [(key, value)]
        elif key in SCHEMA[""]:
            tables = [("", {key: value})]
        else:
            raise fail("", key, "unknown setting" + _closest(key, ""))
        for table, values in tables:
            for name, item in values.items():
                check = SCHEMA[table].get(name)
                if check is None:
                    raise fail(table, name, "unknown setting" + _closest(name, table))
                try:
                    result[table][name] = check(item)
                except Invalid as exc:
                    raise fail(table, name, str(exc)) from None
    top = result[""]
    for key in REQUIRED:
        if key not in top:
            example = '"fr"' if key == "source_language" else '["en", "es"]'
            raise ConfigError(f"{key} is missing, e.g. {key} = {example}", path)
    source = top["source_language"]
    for code in top["target_languages"]:
        if same(code, source):
            raise fail("", "target_languages", f"'{code}' is the source language")
    return result


def _closest(key: str, table: str) -> str:
    """'; did you mean threshold?', looking in every table (a key may be in the wrong one)."""
    names = {(f"{t}.{k}" if t and t != table else k): k for t, keys in SCHEMA.items() for k in keys}
    names.update({t: t for t in SCHEMA if t and not table})
    exact = [name for name, bare in names.items() if bare == key]  # right key, wrong table
    close = exact or difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")


def locate(text: str, table: str, key: str) -> int | None:
    """The line where `key` of `table` is set (`[table]` then `key =`, or `table.key =`)."""
    quoted = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
    assignment = re.compile(rf"^\s*{quoted}\s*=")
    dotted = re.compile(rf"^\s*{re.escape(table)}\s*\.\s*{quoted}\s*=") if table else None
    current = ""
    table_line: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).strip("\"'")
            if not table and current == key:
                return number  # the key is a table
            if table and current == table:
                table_line = number
            continue
        if current == table and assignment.match(line):
            return number
        if dotted is not None and not current and dotted.match(line):
            return number
        if table and not current and re.match(rf"^\s*{re.escape(table)}\s*=", line):
            table_line = number  # an inline table
    return table_line
