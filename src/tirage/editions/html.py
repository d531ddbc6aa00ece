"""The HTML edition: one standalone page per document and language.

- No external resource: the style sheet is inline, images become links, and a
  Content-Security-Policy forbids scripts and remote loads even if something slipped through.
- Every piece of text is escaped: a translator's `<script>` is shown, never run. Markdown
  sources are rendered by markdown-it-py with raw HTML off.
- A source fallback (an untranslated segment) is wrapped in `<span lang="fr">` (an HTML
  source's own page marks it the same way, or with `lang` on its element: html_source.py).
- Text sources keep their editorial roles: kicker, title, breadcrumb (a `<nav>` trail of
  items), standfirst, then each question as an `<h2 class="question">` set apart from its
  answer paragraphs.
- With an `EditionContext`, the page links to the original and to every other published
  language (`hreflang`), and carries schema.org JSON-LD (`metadata.py`).
- The print edition (`pdf.py`) is this page with the print style sheet in place of STYLE.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.front_matter import front_matter_plugin

from tirage import languages
from tirage.document import Document, Segment
from tirage.editions.markdown import markdown_transform
from tirage.editions.metadata import (
    Article,
    EditionContext,
    Links,
    article_kind,
    hreflang,
    json_ld,
    link_elements,
    script_element,
)
from tirage.editions.render import (
    FALLBACK_END,
    FALLBACK_START,
    TRAIL_JOIN,
    Translations,
    apply_edits,
    block_text,
    marked_edits,
    strip_marks,
    trail,
)
from tirage.editions.typography import apply_typography
from tirage.languages import text_direction
from tirage.readers.markdown import MAX_NESTING, deep_recursion
from tirage.text.html_markup import fragment_text

STYLE = """
body{margin:0;background:#fbfaf7;color:#1d1d1b;font:18px/1.6 Georgia,"DejaVu Serif",serif}
main{max-width:40rem;margin:0 auto;padding:2rem 1.25rem 4rem}
.kicker,.breadcrumb{font:600 .8rem/1.4 system-ui,sans-serif;letter-spacing:.06em;
text-transform:uppercase;color:#8a3b12;margin:0 0 .5rem}
.breadcrumb{text-transform:none;letter-spacing:0;color:#666}
nav.breadcrumb ol{list-style:none;margin:0;padding:0}nav.breadcrumb li{display:inline}
nav.breadcrumb .sep{padding:0 .4em}
h1{font-size:2rem;line-height:1.2;margin:.25rem 0 1rem}
.standfirst{font-size:1.15rem;font-weight:bold;color:#333}
h2.question{font:600 1.05rem/1.45 system-ui,sans-serif;color:#8a3b12;margin:2.2rem 0 .6rem;
padding-left:.8rem;border-left:4px solid #8a3b12}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid #ccc;color:#444}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}
pre{overflow:auto;background:#f0eee8;padding:.75rem}
.credit{margin-top:3rem;font-size:.9rem;color:#555;border-top:1px solid #ddd;padding-top:.75rem}
a{color:#8a3b12;text-underline-offset:.15em}a:visited{color:#6b2d0d}
a:hover,a:focus-visible{color:#1d1d1b}a:focus-visible{outline:2px solid #8a3b12}
nav.languages{font:.85rem system-ui,sans-serif;margin-bottom:1.5rem}
nav.languages a,nav.languages span{margin-right:.9rem}
nav.languages [aria-current]{font-weight:600;color:#1d1d1b}
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# (tag, class) per editorial role of a text source.
_TEXT_ROLES: dict[str, tuple[str, str]] = {
    "kicker": ("p", "kicker"),
    "title": ("h1", "title"),
    "breadcrumb": ("p", "breadcrumb"),
    "standfirst": ("p", "standfirst"),
    "question": ("h2", "question"),
    "answer": ("p", "answer"),
    "paragraph": ("p", ""),
    "quote": ("blockquote", ""),
    "list_item": ("li", ""),
    "version": ("h3", "version"),
}
_HEADER_ROLES = {"kicker", "title", "breadcrumb", "standfirst"}
# An office document's running headers and footers repeat on every page: not the article.
_NOT_BODY = {"header", "footer"}
_MARKED = re.compile(f"{FALLBACK_START}([^{FALLBACK_START}{FALLBACK_END}<]*){FALLBACK_END}")


@dataclass(frozen=True)
class Page:
    """What the page frame needs besides the body."""

    lang: str
    source_lang: str
    title: str
    description: str = ""
    credit: str = ""
    links: Links | None = None  # the original and the published editions
    json_ld: dict[str, Any] | None = None
    style: str = STYLE


def render_html(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    context: EditionContext | None = None,
    style: str = STYLE,
    keep: Sequence[str] = (),
) -> str:
    """The HTML edition; with `style`, another style sheet in place of the screen one."""
    if doc.format == "html":  # the page's own markup, translated in place
        from tirage.editions.html_source import render_html_source

        alternates = context.links.alternates() if context is not None else []
        return render_html_source(doc, translations, lang, include_fuzzy, alternates, source_lang)
    if doc.format == "markdown":
        transform = markdown_transform(doc, lang, keep)
    else:

        def transform(segment: Segment, msgstr: str) -> str:
            return apply_typography(msgstr, lang, keep)

    edits = marked_edits(doc, translations, include_fuzzy, transform)
    texts = {id(block): block_text(doc, block, edits) for block in doc.blocks}
    if doc.format in ("docx", "odt"):  # an office unit's inline codes: the text without them
        texts = {key: fragment_text(text) for key, text in texts.items()}
    fallback_lang = source_lang if lang != source_lang else ""
    if doc.format == "markdown":
        body = _markdown_body(apply_edits(doc.text, edits), fallback_lang)
    else:
        body = _text_body(doc, texts, fallback_lang)
    title, description = _title_and_description(doc, texts)
    data = None
    if context is not None:
        original = {id(block): block_text(doc, block, []) for block in doc.blocks}
        article = Article(
            kind=article_kind(block.role for block in doc.blocks),
            lang=lang,
            headline=title,
            description=description,
            links=context.links,
            publication=context.publication,
            credit=context.credit,
            original_headline=_title_and_description(doc, original)[0],
        )
        data = json_ld(article)
    links = context.links if context is not None else None
    page = Page(lang, source_lang, title, description, credit, links, data, style)
    return frame(page, body)


def _title_and_description(doc: Document, texts: dict[int, str]) -> tuple[str, str]:
    first = {b.role: strip_marks(texts[id(b)]) for b in reversed(doc.blocks)}
    if doc.format == "markdown":
        fm = {
            b.attrs.get("key"): strip_marks(texts[id(b)])
            for b in doc.blocks
            if b.role == "front_matter"
        }
        title = fm.get("title") or _first_heading(doc, texts) or doc.stem
        return title, fm.get("description") or first.get("paragraph", "")
    title = first.get("title") or first.get("paragraph") or doc.stem
    return title, first.get("standfirst") or first.get("paragraph", "")


def _first_heading(doc: Document, texts: dict[int, str]) -> str:
    headings = [b for b in doc.blocks if b.role == "heading"]
    headings.sort(key=lambda b: int(b.attrs.get("level", "6") or 6))
    return strip_marks(texts[id(headings[0])]) if headings else ""


def _mark_fallbacks(html: str, source_lang: str) -> str:
    """Sentinel pairs become `<span lang>`; a pair that straddles a tag is only dropped.
    With no `source_lang` (the original's own page), every pair is dropped."""
    if not source_lang:
        return strip_marks(html)
    attr = escape(source_lang)
    html = _MARKED.sub(lambda m: f'<span lang="{attr}">{m.group(1)}</span>', html)
    return strip_marks(html)


def _text_body(doc: Document, texts: dict[int, str], source_lang: str) -> str:
    header: list[str] = []
    article: list[str] = []
    in_header = True
    for block in doc.blocks:
        if block.attrs.get("repeat"):
            continue
        text = texts[id(block)]
        if not strip_marks(text) or block.attrs.get("aside") or block.role in _NOT_BODY:
            continue
        tag, css = _TEXT_ROLES.get(block.role, ("p", ""))
        if block.role == "heading":
            tag = f"h{block.attrs.get('level', '2') or '2'}"
        in_header = in_header and block.role in _HEADER_ROLES
        klass = f' class="{css}"' if css else ""
        inner = _mark_fallbacks(escape(text, quote=False), source_lang)
        html = f"<{tag}{klass}>{inner}</{tag}>"
        if block.role == "breadcrumb":
            html = _breadcrumb(text, source_lang)
        elif block.role == "code":  # commands and code, as written, line by line
            raw = doc.text[block.span[0] : block.span[1]].replace("\r\n", "\n")
            html = f"<pre><code>{escape(raw, quote=False)}</code></pre>"
        (header if in_header else article).append(html)
    parts = []
    if header:
        parts.append("<header>\n" + "\n".join(header) + "\n</header>")
    if article:
        parts.append('<div class="body">\n' + "\n".join(_lists(article)) + "\n</div>")
    return "\n".join(parts)


def _lists(parts: list[str]) -> list[str]:
    """Runs of list items inside one `<ul>`."""
    out: list[str] = []
    for part in parts:
        if part.startswith("<li>"):
            if out and out[-1].endswith("</ul>"):
                out[-1] = out[-1].removesuffix("\n</ul>") + "\n" + part + "\n</ul>"
            else:
                out.append("<ul>\n" + part + "\n</ul>")
        else:
            out.append(part)
    return out


def _breadcrumb(text: str, source_lang: str) -> str:
    """A trail of links' places, as a list in a labelled `nav`; the separators are shown but
    not read out (the list says it)."""
    separator = f'<span class="sep" aria-hidden="true">{TRAIL_JOIN.strip()}</span>'
    items = [_mark_fallbacks(escape(item, quote=False), source_lang) for item in trail(text)]
    inner = "".join(
        f"<li>{separator if index else ''}{item}</li>" for index, item in enumerate(items)
    )
    return f'<nav class="breadcrumb" aria-label="Breadcrumb"><ol>{inner}</ol></nav>'


def _image_as_link(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = escape(str(token.attrGet("src") or ""))
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env), quote=False)
    return f'<a class="image" href="{src}">{alt or src}</a>'


def _markdown_body(markdown: str, source_lang: str) -> str:
    # As deep as the reader reads (its limit, not markdown-it's 20, which drops text).
    options = {"html": False, "maxNesting": MAX_NESTING}
    parser = MarkdownIt("commonmark", options).enable("table").use(front_matter_plugin)
    parser.add_render_rule("image", _image_as_link)
    with deep_recursion():
        html = parser.render(markdown)
    return '<div class="body">\n' + _mark_fallbacks(html, source_lang).strip() + "\n</div>"


def frame(page: Page, body: str) -> str:
    """The standalone page around a rendered body."""
    lang = escape(page.lang.replace("_", "-"))
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}" dir="{text_direction(page.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(page.title, quote=False)}</title>",
        f'<meta http-equiv="content-language" content="{lang}">',
    ]
    if page.description:
        head.append(f'<meta name="description" content="{escape(page.description)}">')
    head.append('<meta name="generator" content="tirage">')
    if page.links is not None:
        head.extend(link_elements(page.links.alternates()))
    if page.json_ld is not None:
        head.append(script_element(page.json_ld))
    head.extend([f"<style>\n{page.style}\n</style>", "</head>", "<body>", "<main>"])
    if page.links is not None and len(page.links.editions) > 1:
        head.append(_language_nav(page.links, page.lang))
    tail = ["<article>", body, "</article>"]
    if page.credit:
        tail.append(f'<footer class="credit"><p>{escape(page.credit, quote=False)}</p></footer>')
    tail.extend(["</main>", "</body>", "</html>"])
    return "\n".join(head + tail) + "\n"


# The language switcher's accessible name, in the edition's language (English otherwise).
_NAV_LABELS = {
    "en": "Languages",
    "fr": "Langues",
    "de": "Sprachen",
    "es": "Idiomas",
    "it": "Lingue",
    "pt": "Idiomas",
    "nl": "Talen",
}


def _language_nav(links: Links, lang: str) -> str:
    """The original first, then the other published languages; this one is not a link."""
    items = []
    for code, href in links.editions:
        tag = escape(hreflang(code))
        name = escape(_autonym(code), quote=False)
        if code == lang:
            items.append(f'<span lang="{tag}" aria-current="page">{name}</span>')
        else:
            items.append(f'<a hreflang="{tag}" lang="{tag}" href="{escape(href)}">{name}</a>')
    label = _NAV_LABELS.get(lang.replace("-", "_").split("_")[0], "Languages")
    return f'<nav class="languages" aria-label="{label}">{" ".join(items)}</nav>'


def _autonym(code: str) -> str:
    locale = languages.parse(code)
    if locale is None:
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]
