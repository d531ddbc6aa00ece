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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import polib
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from tirage.addresses import EMAIL, URL, without_addresses
from tirage.editions.typography import NBSP, NNBSP, typography_for
from tirage.markup import tag_signature
from tirage.pofile import read_po

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


@cache
def _symbols(lang: str) -> tuple[str, str]:
    """The decimal and group symbols of `lang` (babel.numbers)."""
    return get_decimal_symbol(lang), get_group_symbol(lang)


@cache
def _parse_number(token: str, lang: str) -> Decimal | None:
    try:
        return parse_decimal(token, locale=lang).normalize()
    except NumberFormatError:
        try:
            return Decimal(re.sub(r"\D", "", token)).normalize()
        except InvalidOperation:
            return None


@cache
def _number_pattern(lang: str) -> re.Pattern[str]:
    decimal, group = _symbols(lang)
    groups = {group}
    if group in SPACES:
        groups |= set(SPACES)
    group_class = "[" + re.escape("".join(sorted(groups))) + "]"
    dec = re.escape(decimal)
    return re.compile(
        rf"(?<![\w.,])(?:\d{{1,3}}(?:{group_class}\d{{3}})+|\d+)(?:{dec}\d+)?(?![\d])"
    )


def numbers_in(text: str, lang: str) -> list[Decimal]:
    """Every number of `text`, read the way `lang` writes them (babel.numbers)."""
    if not _DIGIT.search(text):
        return []
    group = _symbols(lang)[1]
    values: list[Decimal] = []
    text = _PLACEHOLDER.sub(" ", _MASK.sub(" ", without_addresses(text)))
    for found in _number_pattern(lang).finditer(text):
        token = found.group(0)
        if group in SPACES:
            token = _ANY_SPACE.sub(group, token)
        value = _parse_number(token, lang)
        if value is not None:
            values.append(value)
    return values


_ANY_SPACE = re.compile(f"[{SPACES}]")
_DIGIT = re.compile(r"\d")


def _fmt(value: Decimal) -> str:
    return format(value, "f")


@check("numbers", ERROR)
def numbers(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The same numbers, however each language writes them (3,5 % ≡ 3.5%, 1 200 ≡ 1,200)."""
    src = Counter(numbers_in(source, ctx.source_lang))
    tgt = Counter(numbers_in(target, ctx.target_lang))
    missing, extra = src - tgt, tgt - src
    if missing:
        found = ", ".join(_fmt(v) for v in sorted(extra.elements())) or "none"
        lost = ", ".join(_fmt(v) for v in sorted(missing.elements()))
        yield f"{lost} in the source, not in the translation (it has: {found})"
    elif extra:
        yield "the translation adds " + ", ".join(_fmt(v) for v in sorted(extra.elements()))


# -- URLs, e-mail addresses, placeholders, Markdown ----------------------------------------------


def _urls(text: str) -> Counter[str]:
    found = [m.group(0).rstrip(".,;:!?…'’") for m in URL.finditer(text)]
    found += [m.group(0).rstrip(".") for m in EMAIL.finditer(URL.sub(" ", text))]
    return Counter(found)


@check("urls", ERROR)
def urls(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Every URL and e-mail address of the source, unchanged."""
    missing = _urls(source) - _urls(target)
    for url in missing:
        yield f"{url} is missing or changed"


_PLACEHOLDER = re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%\([\w]+\)[sdifr]|%[sdif]")
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


_MARKDOWN_CHARS = re.compile(r"[`*_]")
_DOUBLE_UNDERSCORE = re.compile(r"(?<!\w)__|__(?!\w)")
_STAR = re.compile(r"(?<![\s*])\*|\*(?![\s*])")
_UNDERSCORE = re.compile(r"(?<!\w)_(?!_)(?=\S)|(?<=\S)(?<!_)_(?!\w)")


def _markdown_marks(text: str) -> Counter[str]:
    marks: Counter[str] = Counter()
    if not _MARKDOWN_CHARS.search(text):
        return marks
    text = URL.sub(" ", text)
    marks["`"] = text.count("`")
    marks["**"] = text.count("**")
    marks["__"] = len(_DOUBLE_UNDERSCORE.findall(text))
    marks["*"] = len(_STAR.findall(text.replace("**", "")))
    marks["_"] = len(_UNDERSCORE.findall(text.replace("__", "")))
    return marks


@check("placeholders", ERROR)
def placeholders(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Placeholders, Markdown links, emphasis and code spans kept and balanced."""
    missing = Counter(_PLACEHOLDER.findall(source)) - Counter(_PLACEHOLDER.findall(target))
    for name in missing:
        yield f"placeholder {name} is missing"
    extra = Counter(_PLACEHOLDER.findall(target)) - Counter(_PLACEHOLDER.findall(source))
    for name in extra:
        yield f"placeholder {name} is not in the source"
    src_links = Counter(url for _, url in _LINK.findall(source))
    tgt_links = Counter(url for _, url in _LINK.findall(target))
    for url in src_links - tgt_links:
        yield f"Markdown link to {url} is missing"
    src_marks, tgt_marks = _markdown_marks(source), _markdown_marks(target)
    for mark in ("`", "**", "__", "*", "_"):
        if src_marks[mark] != tgt_marks[mark]:
            yield (
                f"Markdown {mark} appears {src_marks[mark]} times in the source, "
                f"{tgt_marks[mark]} in the translation"
            )
        elif tgt_marks[mark] % 2:
            yield f"Markdown {mark} is unbalanced"


# -- markup a translation adds -------------------------------------------------------------

_HTML_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>|<!--|<!\[CDATA\[|<\?")
# Link targets: Markdown `](…)`, autolinks `<scheme:…>`, and HTML attributes that load or link.
_LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>"
    r"|\b(?:href|src|action|formaction|poster|background)\s*=\s*[\"']?\s*([^\"'\s>]+)",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
# Script schemes are dangerous even outside a recognised link (a renderer may autolink them).
_SCRIPT_SCHEME = re.compile(r"\b(javascript|vbscript)\s*:|\bdata:[\w.+-]+/[\w.+-]+[;,]", re.I)
SAFE_SCHEMES = ("http", "https", "mailto")


def _tags(text: str) -> Counter[str]:
    return Counter(
        f"<{m.group(1).lstrip('/').lower()}>" if m.group(1) else m.group(0)
        for m in _HTML_TAG.finditer(text)
    )


def _schemes(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _LINK_TARGET.finditer(text):
        scheme = _SCHEME.match(next(g for g in match.groups() if g is not None))
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            found[scheme.group(1).lower() + ":"] += 1
    for match in _SCRIPT_SCHEME.finditer(text):
        name = (match.group(1) or "data").lower() + ":"
        found[name] = max(found[name], 1)
    return found


@check("markup", ERROR)
def added_markup(source: str, target: str, ctx: Context) -> Iterator[str]:
    """HTML, Markdown links and link schemes (other than http, https, mailto) that the
    translation has and the source has not: a translator's `<script>` must not be published."""
    for tag in _tags(target) - _tags(source):
        yield f"HTML {tag} is not in the source"
    src_links = Counter(url for _, url in _LINK.findall(source))
    tgt_links = Counter(url for _, url in _LINK.findall(target))
    if tgt_links.total() > src_links.total():  # a changed target is the placeholders check's
        for url in tgt_links - src_links:
            yield f"Markdown link to {url} is not in the source"
    for scheme in _schemes(target) - _schemes(source):
        yield f"link scheme {scheme} is not in the source"


@check("html-tags", ERROR)
def html_tags(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The inline HTML of a segment read from a page: the same tags, attributes included, and
    never-translated elements (`<code>…</code>`) unchanged. (A tag of a kind the source does
    not have at all is the `markup` check's.)"""
    if "<" not in source and "<" not in target:
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
    """Findings for every translated entry (fuzzy ones too, unless `reviewed_only`)."""
    findings: list[Finding] = []
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
