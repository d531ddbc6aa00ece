"""Edition writers: the source rebuilt from its spans with each segment translated.

`render.py` does the span replacement, `text.py`, `markdown.py` and `html.py` write one format
each, `epub.py` packs the HTML edition as EPUB 3 (through `xhtml.py`), `typography.py` holds
the per-locale quotation and spacing table. `docx.py` and `odt.py` write an office source's
own package translated (`office.py` is what they share); they load lxml, so they are imported
by the export that needs them, not here.
"""

from tirage.editions.epub import render_epub
from tirage.editions.html import render_html
from tirage.editions.markdown import render_markdown
from tirage.editions.render import Entry, Translations
from tirage.editions.text import render_text

FORMATS = {
    "text": ".txt",
    "markdown": ".md",
    "html": ".html",
    "epub": ".epub",
    "docx": ".docx",
    "odt": ".odt",
}

__all__ = [
    "FORMATS",
    "Entry",
    "Translations",
    "render_epub",
    "render_html",
    "render_markdown",
    "render_text",
]
