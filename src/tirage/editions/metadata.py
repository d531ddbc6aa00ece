"""What an HTML edition tells search engines and archives about itself: schema.org JSON-LD
and `<link rel="alternate" hreflang>` links to the original and to every published language.

Addresses follow the layout of `editions/`: the edition of a document in a language is
`<lang>/<doc>.html`, the original (the source rendered as is) `<source lang>/<doc>.html`.
With `[publish] base_url` in tirage.toml they are absolute URLs under it; without, they are
relative to an edition's folder (`../en/<doc>.html`), which is right wherever `editions/` is
served as a whole. Nothing is invented: a field whose value is unknown is left out.

The JSON-LD is data, not script: browsers never run `application/ld+json`, so the page's
Content-Security-Policy (no scripts at all) stays as strict as before. It is escaped so that
no string in it can close the `<script>` element or open a comment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from tirage.editions.credit import Credit

NEWS_ROLES = frozenset({"kicker", "standfirst", "breadcrumb", "question", "answer"})
# Characters that must not appear raw inside <script>: "</script", "<!--", and the line
# separators that older JavaScript parsers choke on.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class Publication:
    """`[publish] name` and `base_url` in tirage.toml; empty when not configured."""

    name: str = ""
    base_url: str = ""

    def url(self, lang: str, stem: str) -> str:
        path = f"{quote(hreflang(lang))}/{quote(stem)}.html"
        if self.base_url:
            return f"{self.base_url.rstrip('/')}/{path}"
        return f"../{path}"


@dataclass(frozen=True)
class Links:
    """The original and the published editions of one document: (language, URL) pairs,
    the original first."""

    editions: tuple[tuple[str, str], ...]

    @classmethod
    def build(
        cls, publication: Publication, source_lang: str, published: Iterable[str], stem: str
    ) -> Links:
        langs = [source_lang, *(lang for lang in published if lang != source_lang)]
        return cls(tuple((lang, publication.url(lang, stem)) for lang in langs))

    @property
    def original(self) -> tuple[str, str]:
        return self.editions[0]

    def url(self, lang: str) -> str:
        return dict(self.editions)[lang]

    def alternates(self) -> list[tuple[str, str]]:
        """hreflang → href for `<link rel="alternate">`: every edition, then x-default for
        the original (what a reader in none of these languages should get)."""
        pairs = [(hreflang(lang), url) for lang, url in self.editions]
        return [*pairs, ("x-default", self.original[1])]


@dataclass(frozen=True)
class EditionContext:
    """What an edition knows besides its text: where it and its siblings live, the
    publication, and its catalog's header (None for the original)."""

    links: Links
    publication: str = ""
    credit: Credit | None = None


@dataclass(frozen=True)
class Article:
    """What the JSON-LD of one edition says."""

    kind: str  # NewsArticle or Article
    lang: str
    headline: str
    description: str
    links: Links
    publication: str = ""
    credit: Credit | None = None  # None for the original
    original_headline: str = ""


def hreflang(code: str) -> str:
    """A catalog's language code as BCP 47 (`pt_BR` → `pt-BR`)."""
    return code.replace("_", "-")


def article_kind(roles: Iterable[str]) -> str:
    """A source with a kicker, standfirst or questions and answers is journalism."""
    return "NewsArticle" if NEWS_ROLES.intersection(roles) else "Article"


def json_ld(article: Article) -> dict[str, Any]:
    url = article.links.url(article.lang)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": article.kind,
        "@id": url,
        "url": url,
        "headline": article.headline,
    }
    if article.description:
        data["description"] = article.description
    data["inLanguage"] = hreflang(article.lang)
    data["isAccessibleForFree"] = True  # the edition is the whole text, with no paywall
    if article.publication:
        data["publisher"] = {"@type": "Organization", "name": article.publication}
    credit = article.credit
    if credit is None:
        translations = article.links.editions[1:]
        if translations:
            data["workTranslation"] = [_work(article.kind, u, lang) for lang, u in translations]
        return data
    if credit.revised is not None:
        data["dateModified"] = credit.revised.isoformat()
    translators = _translators(credit.translator, credit.team)
    if translators:
        data["translator"] = translators
    source_lang, original = article.links.original
    data["translationOfWork"] = _work(
        article.kind, original, source_lang, article.original_headline
    )
    return data


def _work(kind: str, url: str, lang: str, headline: str = "") -> dict[str, Any]:
    work: dict[str, Any] = {"@type": kind, "@id": url, "url": url, "inLanguage": hreflang(lang)}
    if headline:
        work["headline"] = headline
    return work


def _translators(person: str, team: str) -> list[dict[str, str]]:
    found = []
    if person:
        found.append({"@type": "Person", "name": person})
    if team and team != person:
        found.append({"@type": "Organization", "name": team})
    return found


def script_element(data: dict[str, Any]) -> str:
    """`<script type="application/ld+json">`, escaped so that its text stays data."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return f'<script type="application/ld+json">\n{text}\n</script>'


def link_elements(alternates: Sequence[tuple[str, str]]) -> list[str]:
    return [
        f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(href)}">'
        for code, href in alternates
    ]
