"""What marks a segment carries, counted by the checks: URLs and e-mail addresses,
placeholders, template macros, Markdown links and reference labels, HTML tags and link
schemes; and the syntax of the source an entry came from, which decides the marks counted.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib

from tirage.text.addresses import EMAIL, URL


def urls_of(text: str) -> Counter[str]:
    found = [m.group(0).rstrip(".,;:!?…'’") for m in URL.finditer(text)]
    found += [m.group(0).rstrip(".") for m in EMAIL.finditer(URL.sub(" ", text))]
    return Counter(found)


PLACEHOLDER = re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%\([\w]+\)[sdifr]|%[sdif]")
LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


# [text][label], and [text][] whose label is its text (CommonMark compares labels folded).
REFERENCE = re.compile(r"\[([^\[\]\n]*)\]\[([^\[\]\n]*)\]")
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\$\{[^{}\n]*\}")


def reference_labels(text: str) -> Counter[str]:
    return Counter(
        " ".join((label or name).casefold().split()) for name, label in REFERENCE.findall(text)
    )


def macros_of(text: str) -> Counter[str]:
    return Counter(MACRO.findall(text))


HTML_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>|<!--|<!\[CDATA\[|<\?")
# Link targets: Markdown `](…)`, autolinks `<scheme:…>`, and HTML attributes that load or link.
LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>"
    r"|\b(?:href|src|action|formaction|poster|background)\s*=\s*[\"']?\s*([^\"'\s>]+)",
    re.IGNORECASE,
)
SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
# Script schemes are dangerous even outside a recognised link (a renderer may autolink them).
SCRIPT_SCHEME = re.compile(r"\b(javascript|vbscript)\s*:|\bdata:[\w.+-]+/[\w.+-]+[;,]", re.I)
SAFE_SCHEMES = ("http", "https", "mailto")


def tags_of(text: str) -> Counter[str]:
    return Counter(
        f"<{m.group(1).lstrip('/').lower()}>" if m.group(1) else m.group(0)
        for m in HTML_TAG.finditer(text)
    )


def schemes_of(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in LINK_TARGET.finditer(text):
        scheme = SCHEME.match(next(g for g in match.groups() if g is not None))
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            found[scheme.group(1).lower() + ":"] += 1
    for match in SCRIPT_SCHEME.finditer(text):
        name = (match.group(1) or "data").lower() + ":"
        found[name] = max(found[name], 1)
    return found


# The syntax of a source, by the suffix of the file an entry's reference names.
SYNTAX_OF_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def entry_syntax(entry: polib.POEntry) -> str:
    """The syntax of the source an entry came from ("" when its references disagree or name
    no known suffix: then every mark is counted)."""
    found = {SYNTAX_OF_SUFFIX.get(Path(path).suffix.lower(), "") for path, _ in entry.occurrences}
    return found.pop() if len(found) == 1 else ""
