"""Quality checks: plain functions over one (source, translation) pair, each with a severity.

A check is a generator `(source, target, context) -> Iterator[str]` that yields one line of
evidence per problem; `@check(name, severity)` registers it. `check_catalog` runs them over a
catalog and turns the evidence into findings printed as

    locales/en/interview.po:42: [error] numbers: 3.5 in the source is missing (found 35)

Errors are what a publisher must not ship (a lost number, URL, placeholder or protected
term, a leftover mask); warnings are what a reviewer should look at.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import polib

from tirage.editions.typography import NBSP, NNBSP, typography_for
from tirage.po.formats import catalog_problems
from tirage.po.pofile import read_po
from tirage.quality.marks import (
    LINK,
    PLACEHOLDER,
    entry_syntax,
    macros_of,
    reference_labels,
    schemes_of,
    tags_of,
    urls_of,
)
from tirage.quality.numbers import compare as compare_numbers
from tirage.quality.numbers import numbers as numbers_of
from tirage.text.addresses import URL, without_addresses
from tirage.text.html_markup import tag_signature
from tirage.text.markdown_marks import MARKS, markdown_marks
from tirage.text.protect import between, find_protected

ERROR = "error"
WARNING = "warning"

SPACES = " \u00a0\u202f\u2009"

ALL_QUOTES = "«»“”„‹›‚"
SPACE_NAMES = {" ": "a space", NBSP: "a no-break space (U+00A0)", "\u2009": "a thin space"}

LENGTH_RANGE = (0.5, 2.0)  # translation length / source length, for sources of 20+ chars
LEGIT_DOUBLES = {
    "fr": {"nous", "vous", "l", "de"},
    "en": {"that", "had", "is"},
    "de": {"die", "der", "das", "sie"},
    "es": set(),
}
PSEUDO_ONLY = set("ƀƒĥĵķļɱǫŕṽŵẋƁƑĤĴĶĻṀǪŔṼŴẊ")


@dataclass(frozen=True)
class Context:
    source_lang: str
    target_lang: str
    keep: tuple[str, ...] = ()
    forced: dict[str, str] = field(default_factory=dict)
    # The syntax of the source the entry came from ("markdown", "html", "text"; "" unknown):
    # Markdown marks are counted only in Markdown, tags only in HTML and Markdown.
    syntax: str = ""

    @property
    def lang(self) -> str:
        return self.target_lang.replace("-", "_").split("_")[0]


CheckFunc = Callable[[str, str, Context], Iterator[str]]


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    func: CheckFunc


CHECKS: list[Check] = []


def check(name: str, severity: str) -> Callable[[CheckFunc], CheckFunc]:
    def register(func: CheckFunc) -> CheckFunc:
        CHECKS.append(Check(name, severity, func))
        return func

    return register


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    severity: str
    check: str
    evidence: str
    msgid: str = ""

    def format(self) -> str:
        return f"{self.path}:{self.line}: [{self.severity}] {self.check}: {self.evidence}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "check": self.check,
            "evidence": self.evidence,
            "msgid": self.msgid,
        }


def show(text: str, width: int = 60) -> str:
    """A quoted excerpt with the invisible spaces made visible."""
    text = text.replace(NNBSP, "⍽").replace(NBSP, "␣")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f'"{text}"'


def _around(text: str, index: int, radius: int = 12) -> str:
    start, end = max(0, index - radius), min(len(text), index + radius)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _norm_apostrophe(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'")


# -- numbers ------------------------------------------------------------------------------


def numbers_in(text: str, lang: str) -> list[Decimal]:
    """Every number of `text`, read the way `lang` writes them (babel.numbers)."""
    values: list[Decimal] = []
    for number in numbers_of(text, lang):
        value = number.value
        if value is None:
            value = Decimal("".join(ch for ch in number.raw if ch.isdigit())).normalize()
        values.append(value)
    return values


@check("numbers", ERROR)
def numbers(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The same numbers, however each language writes them (3,5 % ≡ 3.5%, 1 200 ≡ 1,200,
    HTTP/1.1 copied as it is, 28/05/2015 ≡ 05/28/2015); see tirage.quality.numbers."""
    missing, extra = compare_numbers(
        numbers_of(source, ctx.source_lang), numbers_of(target, ctx.target_lang)
    )
    copied = [n for n in missing if any(n.raw == t.raw for t in extra)]
    for number in copied:  # "3,5" kept in English, where it would read as 35 or 3 and 5
        lang = ctx.target_lang
        yield f"{number.raw} is copied as written: {lang} does not read it as {number.show()}"
    missing = [n for n in missing if n not in copied]
    extra = [t for t in extra if all(t.raw != n.raw for n in copied)]
    if missing:
        found = ", ".join(n.show() for n in extra) or "none"
        lost = ", ".join(n.show() for n in missing)
        yield f"{lost} in the source, not in the translation (it has: {found})"
    elif extra:
        yield "the translation adds " + ", ".join(n.show() for n in extra)


# -- URLs, e-mail addresses, placeholders, Markdown ----------------------------------------------


@check("urls", ERROR)
def urls(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Every URL and e-mail address of the source, unchanged."""
    missing = urls_of(source) - urls_of(target)
    for url in missing:
        yield f"{url} is missing or changed"


@check("placeholders", ERROR)
def placeholders(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Placeholders, template macros, Markdown links and reference labels, emphasis and code
    spans kept as in the source."""
    missing = Counter(PLACEHOLDER.findall(source)) - Counter(PLACEHOLDER.findall(target))
    for name in missing:
        yield f"placeholder {name} is missing"
    extra = Counter(PLACEHOLDER.findall(target)) - Counter(PLACEHOLDER.findall(source))
    for name in extra:
        yield f"placeholder {name} is not in the source"
    for macro in macros_of(source) - macros_of(target):
        yield f"template syntax {macro} is missing or changed"
    if ctx.syntax not in ("", "markdown"):
        return
    src_links = Counter(url for _, url in LINK.findall(source))
    tgt_links = Counter(url for _, url in LINK.findall(target))
    for url in src_links - tgt_links:
        yield f"Markdown link to {url} is missing"
    for label in reference_labels(source) - reference_labels(target):
        yield f"Markdown reference [{label}] is missing: the link would break"
    src_marks, tgt_marks = markdown_marks(source), markdown_marks(target)
    # Compared with the source, never alone: a segment may rightly carry half of an
    # emphasis that its source sentence holds (`*…`), and a mirror of it is correct.
    for mark in MARKS:
        if src_marks[mark] != tgt_marks[mark]:
            yield (
                f"Markdown {mark} appears {src_marks[mark]} times in the source, "
                f"{tgt_marks[mark]} in the translation"
            )


# -- markup a translation adds -------------------------------------------------------------


@check("markup", ERROR)
def added_markup(source: str, target: str, ctx: Context) -> Iterator[str]:
    """HTML, Markdown links and link schemes (other than http, https, mailto) that the
    translation has and the source has not: a translator's `<script>` must not be published."""
    for tag in tags_of(target) - tags_of(source):
        yield f"HTML {tag} is not in the source"
    src_links = Counter(url for _, url in LINK.findall(source))
    tgt_links = Counter(url for _, url in LINK.findall(target))
    if tgt_links.total() > src_links.total():  # a changed target is the placeholders check's
        for url in tgt_links - src_links:
            yield f"Markdown link to {url} is not in the source"
    for scheme in schemes_of(target) - schemes_of(source):
        yield f"link scheme {scheme} is not in the source"


@check("html-tags", ERROR)
def html_tags(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The inline HTML of a segment read from a page: the same tags, attributes included, and
    never-translated elements (`<code>…</code>`) unchanged. (A tag of a kind the source does
    not have at all is the `markup` check's.)"""
    if ("<" not in source and "<" not in target) or ctx.syntax == "text":
        return
    src, tgt = tag_signature(source), tag_signature(target)
    for tag in sorted(src - tgt):
        yield f"{tag} is missing or changed"
    kinds = {_tag_kind(tag) for tag in src}
    for tag in sorted(tgt - src):
        if _tag_kind(tag) in kinds:
            yield f"{tag} is not in the source"


def _tag_kind(signature: str) -> str:
    """`a` for `<a href="/x">` and `</a>`: the element's name in a tag_signature entry."""
    return signature.lstrip("</").split(" ", 1)[0].split(">", 1)[0]


# -- punctuation and typography ---------------------------------------------------------------

_CLOSERS = "\"'»”“’)]›*_` " + SPACES


def _end_mark(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    return stripped[-1:] if stripped[-1:] in ".?!:;…" else ""


@check("end-punctuation", WARNING)
def end_punctuation(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The sentence ends as the source does (., ?, !, :, …), with ¿ ¡ in Spanish."""
    src, tgt = _end_mark(source), _end_mark(target)
    if src != tgt:
        ends = f"{src or 'no punctuation'!r}, the translation with {tgt or 'no punctuation'!r}"
        yield f"the source ends with {ends}: {show(target[-30:])}"
    if ctx.lang == "es":
        if target.count("?") > target.count("¿"):
            yield f"a question needs an opening ¿: {show(target)}"
        if target.count("!") > target.count("¡"):
            yield f"an exclamation needs an opening ¡: {show(target)}"


def _french_spacing(text: str) -> Iterator[str]:
    for found in re.finditer(r"[;:!?]", text):
        mark, index = found.group(0), found.start()
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if not before or before in "!?;:…(" or before in "«":
            continue
        if mark == ":" and ((before.isdigit() and after.isdigit()) or after == "/"):
            continue  # 10:30, http://
        if before == NNBSP or (mark == ":" and before == NBSP):
            continue
        found_space = SPACE_NAMES.get(before, "none")
        yield (
            f"{mark!r} needs a narrow no-break space (U+202F) before it, found {found_space}: "
            f"{show(_around(text, index))}"
        )
    for found in re.finditer("«(.)", text):
        if found.group(1) not in (NBSP, NNBSP):
            yield f"« needs a no-break space after it: {show(_around(text, found.start()))}"
    for found in re.finditer("(.)»", text):
        if found.group(1) not in (NBSP, NNBSP):
            yield f"» needs a no-break space before it: {show(_around(text, found.start()))}"


@check("punctuation-spacing", WARNING)
def punctuation_spacing(source: str, target: str, ctx: Context) -> Iterator[str]:
    """French: narrow no-break space before ; : ! ? and no-break spaces inside « ».
    Other languages: no space before ; : ! ? nor inside « »."""
    text = URL.sub("URL", target)
    if ctx.lang == "fr":
        yield from _french_spacing(text)
        return
    for found in re.finditer(f"[{SPACES}]+([;:!?])", text):
        excerpt = show(_around(text, found.start()))
        yield f"no space before {found.group(1)!r} in this language: {excerpt}"
    for found in re.finditer(f"«[{SPACES}]", text):
        yield f"no space after « in this language: {show(_around(text, found.start()))}"
    for found in re.finditer(f"[{SPACES}]»", text):
        yield f"no space before » in this language: {show(_around(text, found.start()))}"


@check("quotes", WARNING)
def quotes(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The target language's quotation marks, balanced; no straight double quotes."""
    style = typography_for(ctx.lang)
    if '"' in target and '"' not in source:
        yield f"straight quotes instead of typographic ones: {show(target)}"
    if style is None:
        return
    opening, closing = style.primary
    foreign = sorted({ch for ch in target if ch in ALL_QUOTES and ch not in style.allowed})
    if foreign:
        marks = " ".join(foreign)
        yield f"{marks} not used in {ctx.target_lang}, use {opening}…{closing}: {show(target)}"
    elif opening != closing and target.count(opening) != target.count(closing):
        yield f"unbalanced {opening}…{closing}: {show(target)}"
    src_quoted = sum(source.count(ch) for ch in ALL_QUOTES + '"')
    tgt_quoted = sum(target.count(ch) for ch in ALL_QUOTES + '"')
    if src_quoted >= 2 and tgt_quoted == 0:
        yield f"the source quotes, the translation does not: {show(target)}"


# -- terms --------------------------------------------------------------------------------------


@cache
def _term_pattern(term: str, ignore_case: bool) -> re.Pattern[str]:
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!\w){re.escape(_norm_apostrophe(term))}(?!\w)", flags)


def _contains(text: str, term: str, ignore_case: bool = False) -> bool:
    return _term_pattern(term, ignore_case).search(_norm_apostrophe(text)) is not None


@check("glossary-keep", ERROR)
def glossary_keep(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Do-not-translate terms (glossary.csv, action keep) stay as written."""
    for term in ctx.keep:
        if _contains(source, term) and not _contains(target, term):
            yield f"do-not-translate term '{term}' is missing"


@check("glossary-forced", ERROR)
def glossary_forced(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Terms with a required translation (glossary.csv, action translate) use it."""
    for term, required in ctx.forced.items():
        if _contains(source, term, ignore_case=True) and not _contains(
            target, required, ignore_case=True
        ):
            yield f"'{term}' must be translated as '{required}'"


# -- the rest -----------------------------------------------------------------------------------


@check("identical", WARNING)
def identical(source: str, target: str, ctx: Context) -> Iterator[str]:
    """A translation left identical to its source (names and numbers excepted)."""
    if source != target or ctx.lang == ctx.source_lang.split("_")[0]:
        return
    rest = without_addresses(source)
    for term in ctx.keep:
        rest = _norm_apostrophe(rest).replace(_norm_apostrophe(term), " ")
    words = [w for w in re.findall(r"[^\W\d_]+", rest)]
    if len(words) >= 2:
        yield f"the translation is the source: {show(target)}"


@check("doubled-word", WARNING)
def doubled_word(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The same word twice in a row ("the the")."""
    allowed = LEGIT_DOUBLES.get(ctx.lang, set())
    for found in re.finditer(r"(?<!\w)([^\W\d_]+)\s+(\1)(?!\w)", target, re.IGNORECASE):
        word = found.group(1).casefold()
        if word in allowed:
            continue
        if re.search(rf"(?<!\w){re.escape(word)}\s+{re.escape(word)}(?!\w)", source, re.I):
            continue
        yield f"'{found.group(1)} {found.group(2)}': {show(_around(target, found.start(), 20))}"


@check("length-ratio", WARNING)
def length_ratio(source: str, target: str, ctx: Context) -> Iterator[str]:
    """A translation much shorter or longer than its source."""
    if len(source) < 20:
        return
    ratio = len(target) / len(source)
    low, high = LENGTH_RANGE
    if not low <= ratio <= high:
        yield f"the translation is {ratio:.2f}× the source's length (expected {low}–{high})"


_MASK = re.compile(r"⟦\d*⟧|[⟦⟧]|[\ue000-\uf8ff]")


@check("leftovers", ERROR)
def leftovers(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Masks (⟦0⟧) or pseudo-localisation ([Ŝöɱé ţéẋţ ~~~]) left in the translation."""
    for found in _MASK.finditer(target):
        if found.group(0) not in source:
            yield f"mask marker {found.group(0)!r} left in: {show(_around(target, found.start()))}"
            break
    pseudo_letters = sum(1 for ch in target if ch in PSEUDO_ONLY)
    if re.search(r"~{2,}\]$", target) or pseudo_letters >= 3:
        yield f"pseudo-localised text: {show(target)}"


# -- what pofilter checks, and names ------------------------------------------------------------

_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


@check("brackets", WARNING)
def brackets(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Brackets opened and closed as in the source (a segment may mirror an open one)."""
    for opening, closing in _BRACKETS:
        src = source.count(opening) - source.count(closing)
        tgt = target.count(opening) - target.count(closing)
        if src != tgt:
            yield f"{opening}…{closing} unbalanced: {show(target)}"


@check("whitespace", WARNING)
def whitespace(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The same whitespace at either end as the source."""
    ends = (
        (
            "start",
            source[: len(source) - len(source.lstrip())],
            target[: len(target) - len(target.lstrip())],
        ),
        ("end", source[len(source.rstrip()) :], target[len(target.rstrip()) :]),
    )
    for side, src, tgt in ends:
        if src != tgt:
            yield f"whitespace at the {side}: {show(src)} in the source, {show(tgt)} here"


@check("newlines", WARNING)
def newlines(source: str, target: str, ctx: Context) -> Iterator[str]:
    """As many line breaks as the source."""
    src, tgt = source.count("\n"), target.count("\n")
    if src != tgt:
        yield f"{src} line break(s) in the source, {tgt} in the translation"


@check("double-space", WARNING)
def double_space(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Two spaces in a row that the source does not have."""
    found = target.find("  ")
    if found >= 0 and "  " not in source:
        yield f"double space: {show(_around(target, found))}"


# An acronym: two or more capitals or digits, & allowed inside (R&D, HTTP, CO2, AT&T).
_ACRONYM = re.compile(r"(?<![\w&])[A-Z](?:[A-Z0-9]|&[A-Z])+(?![\w&])")
# A capitalised word after a word and a space: a name, not the first word of a sentence.
_NAME = re.compile(r"(?<=[\w,;)»”] )[A-Z][^\W\d_]{2,}")


def _prose(text: str) -> str:
    """`text` with URLs, code, macros and other protected spans blanked out (character
    references stay: the & of R&D is read as one)."""
    spans = [(start, end) for start, end in find_protected(text) if text[start] != "&"]
    return " ".join(between(text, spans))


@check("names", WARNING)
def names(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Acronyms kept (R&D, HTTP) and names not lower-cased (Lyon → lyon)."""
    src, tgt = _prose(source), _prose(target)
    for acronym in dict.fromkeys(_ACRONYM.findall(src)):
        found = _whole_word(acronym).search(tgt)
        if found is None:
            yield f"{acronym} is missing"
        elif found.group() != acronym and acronym not in _ACRONYM.findall(tgt):
            yield f"{acronym} is re-cased: {show(_around(tgt, found.start()))}"
    for name in dict.fromkeys(_NAME.findall(src)):
        found = _whole_word(name).search(tgt)
        if found and all(m.group() != name for m in _whole_word(name).finditer(tgt)):
            yield f"{name} is re-cased: {show(_around(tgt, found.start()))}"


@cache
def _whole_word(word: str) -> re.Pattern[str]:
    """`word` alone, in any case."""
    return re.compile(rf"(?<![\w&]){re.escape(word)}(?![\w&])", re.IGNORECASE)


# -- running ------------------------------------------------------------------------------------


def check_pair(source: str, target: str, ctx: Context) -> list[tuple[Check, str]]:
    """Every finding of every check on one pair (NFC-normalised first)."""
    source = unicodedata.normalize("NFC", source)
    target = unicodedata.normalize("NFC", target)
    found: list[tuple[Check, str]] = []
    for item in CHECKS:
        for evidence in item.func(source, target, ctx):
            found.append((item, evidence))
    return found


def check_entry(entry: polib.POEntry, ctx: Context) -> list[tuple[Check, str]]:
    if entry.obsolete or not entry.msgid:
        return []
    if not ctx.syntax:
        ctx = replace(ctx, syntax=entry_syntax(entry))
    if entry.msgid_plural:
        found = []
        for index, form in sorted(entry.msgstr_plural.items()):
            if form:
                source = entry.msgid if index == 0 else entry.msgid_plural
                found += check_pair(source, form, ctx)
        return found
    return check_pair(entry.msgid, entry.msgstr, ctx) if entry.msgstr else []


def check_catalog(
    po: polib.POFile, label: str, ctx: Context, *, reviewed_only: bool = False
) -> list[Finding]:
    """Findings for every translated entry (fuzzy ones too, unless `reviewed_only`), and
    what `msgfmt -c` would refuse in the catalog (tirage.po.formats)."""
    findings = [Finding(label, line, ERROR, "msgfmt", text) for line, text in catalog_problems(po)]
    for entry in po:
        if reviewed_only and "fuzzy" in entry.flags:
            continue
        for item, evidence in check_entry(entry, ctx):
            findings.append(
                Finding(label, entry.linenum, item.severity, item.name, evidence, entry.msgid)
            )
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def check_files(
    paths: list[tuple[Path, str]], ctx: Context, *, reviewed_only: bool = False
) -> list[Finding]:
    """Check catalogs given as (path, label) pairs."""

    findings: list[Finding] = []
    for path, label in paths:
        findings += check_catalog(read_po(path), label, ctx, reviewed_only=reviewed_only)
    return findings
