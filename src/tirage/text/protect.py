"""Masks for what must come through machine translation unchanged, and their restoration.

Before translation, code spans, template syntax (`{{macro("a", "b")}}`, `{% tag %}`, `${expr}`,
Hugo shortcodes), attribute lists (`{: .x }`, `{.smallcaps}`), Pandoc citations (`[@doe2020]`)
and superscripts (`2^10^`), emoji shortcodes (`:calendar:`), URLs, e-mail addresses, Markdown
link targets and reference labels, HTML tags, `{placeholders}`, `%(named)s`/`%s` formats, and
the glossary's do-not-translate terms are replaced by numbered masks (`⟦0⟧`). After translation
every mask must come back exactly once; if the engine dropped, doubled or garbled one, the text
between the masks is translated piece by piece and joined around the protected spans, so
protected content always survives, even with a poor model. A collapsed reference link
`[text][]` is sent as `[text][text]`, so that translating its text does not break it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tirage.mt.base import DEFAULT_MASK, Engine
from tirage.text.addresses import EMAIL, URL
from tirage.text.html_markup import markup_spans

# In priority order: an earlier kind wins where two overlap. These are also the spans that
# typography leaves alone (editions/typography.py): one list says what is syntax, not prose.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")),
    # A link target may hold one level of parentheses (…/wiki/Lyon_(ville)), and template
    # syntax (`({{ site.url }}/tags/x.html)`, `({{< ref "x.md" >}})`): the target is one mask.
    (
        "link target",
        re.compile(
            r"(?<=\])\((?:<[^>\n]*>|(?:\{\{.*?\}\}|\{%.*?%\}|[^()\s]|\([^()\s]*\))*)"
            r"(?:\s+\"[^\"\n]*\")?\)"
        ),
    ),
    # Template syntax: {{macro("a", "b")}}, Hugo's {{< shortcode >}} and {{% shortcode %}},
    # Liquid's {% tag %} and {{ variable }}, {# note #}, ${expr}.
    ("template", re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\$\{[^{}\n]*\}")),
    # Attribute lists: kramdown's {: .x}, {:toc}, {::options /}; Python-Markdown's
    # { .x loading=lazy }; Pandoc's [texte]{.smallcaps} and {#id}.
    (
        "attributes",
        re.compile(r"\{(?::[^{}\n]*|[ \t]*[.#][\w-][^{}\n]*|[ \t]*[\w-]+=[^{}\n]*)\}"),
    ),
    # Pandoc citations: [@doe2020], [-@doe2020; @roe, p. 3].
    ("citation", re.compile(r"\[-?@[\w:.#$%&+?<>~/-]+(?:[,;][^\[\]\n]*)?\]")),
    # Pandoc's superscript and subscript (2^10^, H~2~O): no space inside, so a mark and its
    # few characters go together; `~~strike~~` is not one.
    ("sup/sub", re.compile(r"(?<!\^)\^[^\s^\[\]]+\^(?!\^)|(?<!~)~[^\s~]+~(?!~)")),
    # Emoji shortcodes (:calendar:, :fontawesome-solid-info:): names, never prose.
    ("emoji", re.compile(r"(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w:/])")),
    ("url", URL),
    # [text][label] and [text][]: the label names a definition elsewhere; [^1] a footnote.
    ("reference", re.compile(r"(?<=\])\[[^\[\]\n]*\]|\[\^[^\[\]\s]+\]")),
    ("email", EMAIL),
    # HTML tags with their attributes, and autolinks (<https://…>).
    ("tag", re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<[a-z][\w+.-]*:[^<>\s]*>")),
    ("placeholder", re.compile(r"\{[^{}\s]*\}")),
    ("format", re.compile(r"%\([A-Za-z_]\w*\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")),
    ("format", re.compile(r"(?<![\w%])%[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa](?![A-Za-z])")),
)
# A collapsed reference link, [text][]: its label is its text.
_COLLAPSED = re.compile(r"\[([^\[\]\n]+)\]\[\]")
WORD = re.compile(r"\w")
# What must be in a text for each kind to be searched at all: most sentences hold none, and
# find_protected runs on every segment of every edition.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "code": ("`",),
    "link target": ("](",),
    "template": ("{", "$"),
    "attributes": ("{",),
    "citation": ("[@", "[-@"),
    "sup/sub": ("^", "~"),
    "emoji": (":",),
    "url": ("://", "www.", "WWW."),
    "reference": ("][", "[^"),
    "email": ("@",),
    "tag": ("<",),
    "placeholder": ("{",),
    "format": ("%",),
}


@dataclass(frozen=True)
class Masked:
    """A source text with its protected spans replaced by masks."""

    source: str
    text: str
    values: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # in `source`
    template: str = DEFAULT_MASK

    @property
    def safe(self) -> bool:
        """False when the source itself contains mask-like text: masks would be ambiguous."""
        head, _, tail = self.template.partition("{}")
        return not (head and head in self.source) and not (tail and tail in self.source)

    def token(self, index: int) -> str:
        return self.template.format(index)

    def pieces(self) -> list[str]:
        """The source text between protected spans: len(values) + 1 pieces."""
        return between(self.source, self.spans)


def between(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The text around and between sorted `spans`: len(spans) + 1 pieces."""
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return pieces


def find_protected(text: str, keep_terms: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Non-overlapping spans to protect, sorted."""
    taken: list[tuple[int, int]] = []

    def claim(start: int, end: int) -> None:
        if end > start and all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))

    markup = html_markup(text)
    for start, end in markup:  # tags whole, with the URLs in them
        if text[start] != "&":
            claim(start, end)
    for kind, pattern in PATTERNS:
        if any(trigger in text for trigger in TRIGGERS[kind]):
            for found in pattern.finditer(text):
                claim(found.start(), found.end())
    for start, end in markup:  # character references, unless in a URL (…?a=1&b=2)
        if text[start] == "&":
            claim(start, end)
    terms = _terms_pattern(tuple(sorted(set(keep_terms))))
    if terms is not None:
        for found in terms.finditer(text):
            claim(found.start(), found.end())
    return sorted(taken)


@lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all the terms, longest first, so that the longest match wins."""
    ordered = sorted((t for t in terms if t), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def expand_collapsed_references(text: str) -> str:
    """`[text][]` as `[text][text]`: the same link, with a label that survives translation
    of its text."""
    return _COLLAPSED.sub(lambda m: f"[{m.group(1)}][{m.group(1)}]", text)


def html_markup(text: str) -> list[tuple[int, int]]:
    """Inline HTML of a msgid read from a page (or written in Markdown): each tag whole (with
    the URLs in it), an inline never-translated element (`<code>…</code>`,
    `translate="no"`) whole, and the escaped & < > of its text."""
    if "<" not in text and "&" not in text:
        return []
    return markup_spans(text)


def protect(text: str, keep_terms: Iterable[str] = (), template: str = DEFAULT_MASK) -> Masked:
    spans = find_protected(text, keep_terms)
    parts: list[str] = []
    last = 0
    for index, (start, end) in enumerate(spans):
        parts.append(text[last:start])
        parts.append(template.format(index))
        last = end
    parts.append(text[last:])
    return Masked(
        source=text,
        text="".join(parts),
        values=tuple(text[s:e] for s, e in spans),
        spans=tuple(spans),
        template=template,
    )


def _token_pattern(template: str) -> re.Pattern[str]:
    head, _, tail = template.partition("{}")
    return re.compile(re.escape(head) + r"\s*(\d+)\s*" + re.escape(tail))


def restore(masked: Masked, translated: str) -> str | None:
    """The translation with each mask replaced by its value; None if any mask is wrong."""
    if not masked.values:
        return translated
    pattern = _token_pattern(masked.template)
    seen = [int(found.group(1)) for found in pattern.finditer(translated)]
    if sorted(seen) != list(range(len(masked.values))):
        return None
    restored = pattern.sub(lambda found: masked.values[int(found.group(1))], translated)
    return restored if verify(masked, restored) else None


def verify(masked: Masked, output: str) -> bool:
    """Every protected value is in the output (as often as in the source)."""
    return all(output.count(value) >= masked.values.count(value) for value in set(masked.values))


def translatable(piece: str) -> bool:
    return bool(WORD.search(piece))


@dataclass(frozen=True)
class Protected:
    """A translation with its masks restored."""

    text: str
    score: float | None
    fallback: bool  # the masks did not survive: pieces were translated one by one


def translate_protected(
    engine: Engine, texts: Sequence[str], keep_terms: Iterable[str] = ()
) -> list[Protected]:
    """Translate texts through `engine`, keeping protected spans; two engine calls at most."""
    keep = list(keep_terms)
    masked = [
        protect(expand_collapsed_references(text), keep, engine.mask_template) for text in texts
    ]
    results: list[Protected | None] = [None] * len(texts)
    direct: list[int] = []
    pieces_of: list[int] = []
    for i, m in enumerate(masked):
        if not translatable(m.text if m.safe else m.source) or not any(
            translatable(p) for p in m.pieces()
        ):
            results[i] = Protected(m.source, None, False)  # nothing to translate
        elif m.safe or not m.values:
            direct.append(i)
        else:
            pieces_of.append(i)
    if direct:
        hypotheses = engine.translate([masked[i].text for i in direct])
        for i, hyp in zip(direct, hypotheses, strict=True):
            restored = restore(masked[i], hyp.text)
            if restored is None:
                pieces_of.append(i)
            else:
                results[i] = Protected(restored, hyp.score, False)
    if pieces_of:
        _translate_pieces(engine, masked, sorted(pieces_of), results)
    return [r for r in results if r is not None]


def _translate_pieces(
    engine: Engine, masked: list[Masked], which: list[int], results: list[Protected | None]
) -> None:
    """The fallback: translate the text between masks alone, join it around the values."""
    jobs: list[str] = []
    for i in which:
        jobs.extend(piece.strip() for piece in masked[i].pieces() if translatable(piece))
    hypotheses = iter(engine.translate(jobs)) if jobs else iter(())
    for i in which:
        m = masked[i]
        out: list[str] = []
        scores: list[float] = []
        for index, piece in enumerate(m.pieces()):
            if translatable(piece):
                hyp = next(hypotheses)
                lead = piece[: len(piece) - len(piece.lstrip())]
                trail = piece[len(piece.rstrip()) :]
                out.append(lead + hyp.text + trail)
                if hyp.score is not None:
                    scores.append(hyp.score)
            else:
                out.append(piece)
            if index < len(m.values):
                out.append(m.values[index])
        score = sum(scores) / len(scores) if scores else None
        results[i] = Protected("".join(out), score, True)
