"""The HTML edition: one standalone page per document and language.

- No external resource: the style sheet is inline, images become links, and a
  Content-Security-Policy forbids scripts and remote loads even if something slipped through.
- Every piece of text is escaped: a translator's `<script>` is shown, never run. Markdown
  sources are rendered by markdown-it-py with raw HTML off.
- A source fallback (an untranslated segment) is wrapped in `<span lang="fr">`.
- Text sources keep their editorial roles: kicker, title, breadcrumb (a `<nav>` trail of
  items), standfirst, then each question as an `<h2 class="question">` set apart from its
  answer paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from babel import Locale, UnknownLocaleError
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.front_matter import front_matter_plugin

from tirage.document import Document, Segment
from tirage.editions.markdown import markdown_transform
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
nav.languages{font:.85rem system-ui,sans-serif;margin-bottom:1.5rem}
nav.languages a{margin-right:.75rem}
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
    "list_item": ("p", "item"),
}
_HEADER_ROLES = {"kicker", "title", "breadcrumb", "standfirst"}
_MARKED = re.compile(f"{FALLBACK_START}([^{FALLBACK_START}{FALLBACK_END}<]*){FALLBACK_END}")


@dataclass(frozen=True)
class Page:
    """What the page frame needs besides the body."""

    lang: str
    source_lang: str
    title: str
    description: str = ""
    credit: str = ""
    # (language, href) of every published edition of the document, this one included.
    alternates: Sequence[tuple[str, str]] = field(default_factory=tuple)


def render_html(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    alternates: Sequence[tuple[str, str]] = (),
) -> str:
    if doc.format == "markdown":
        transform = markdown_transform(doc, lang)
    else:

        def transform(segment: Segment, msgstr: str) -> str:
            return apply_typography(msgstr, lang)

    edits = marked_edits(doc, translations, include_fuzzy, transform)
    texts = {id(block): block_text(doc, block, edits) for block in doc.blocks}
    first = {b.role: strip_marks(texts[id(b)]) for b in reversed(doc.blocks)}
    if doc.format == "markdown":
        body = _markdown_body(apply_edits(doc.text, edits), source_lang)
        fm = {
            b.attrs.get("key"): strip_marks(texts[id(b)])
            for b in doc.blocks
            if b.role == "front_matter"
        }
        title = fm.get("title") or _first_heading(doc, texts) or doc.stem
        description = fm.get("description") or first.get("paragraph", "")
    else:
        body = _text_body(doc, texts, source_lang)
        title = first.get("title") or first.get("paragraph") or doc.stem
        description = first.get("standfirst") or first.get("paragraph", "")
    page = Page(lang, source_lang, title, description, credit, tuple(alternates))
    return frame(page, body)


def _first_heading(doc: Document, texts: dict[int, str]) -> str:
    headings = [b for b in doc.blocks if b.role == "heading"]
    headings.sort(key=lambda b: int(b.attrs.get("level", "6") or 6))
    return strip_marks(texts[id(headings[0])]) if headings else ""


def _mark_fallbacks(html: str, source_lang: str) -> str:
    """Sentinel pairs become `<span lang>`; a pair that straddles a tag is only dropped."""
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
        if not strip_marks(text):
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
        (header if in_header else article).append(html)
    parts = []
    if header:
        parts.append("<header>\n" + "\n".join(header) + "\n</header>")
    if article:
        parts.append('<div class="body">\n' + "\n".join(article) + "\n</div>")
    return "\n".join(parts)


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
    parser = MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin)
    parser.add_render_rule("image", _image_as_link)
    html = parser.render(markdown)
    return '<div class="body">\n' + _mark_fallbacks(html, source_lang).strip() + "\n</div>"


def text_direction(lang: str) -> str:
    try:
        order = Locale.parse(lang.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


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
    for code, href in page.alternates:
        head.append(
            f'<link rel="alternate" hreflang="{escape(code.replace("_", "-"))}" '
            f'href="{escape(href)}">'
        )
    head.extend([f"<style>\n{STYLE}\n</style>", "</head>", "<body>", "<main>"])
    others = [(c, h) for c, h in page.alternates if c != page.lang]
    if others:
        links = " ".join(
            f'<a hreflang="{escape(c.replace("_", "-"))}" lang="{escape(c.replace("_", "-"))}" '
            f'href="{escape(h)}">{escape(_autonym(c), quote=False)}</a>'
            for c, h in others
        )
        head.append(f'<nav class="languages">{links}</nav>')
    tail = ["<article>", body, "</article>"]
    if page.credit:
        tail.append(f'<footer class="credit"><p>{escape(page.credit, quote=False)}</p></footer>')
    tail.extend(["</main>", "</body>", "</html>"])
    return "\n".join(head + tail) + "\n"


def _autonym(code: str) -> str:
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]
