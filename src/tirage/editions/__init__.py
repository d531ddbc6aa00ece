"""Edition writers: the source rebuilt from its spans with each segment translated.

`render.py` does the span replacement, `text.py`, `markdown.py` and `html.py` write one format
each, `epub.py` packs the HTML edition as EPUB 3 (through `xhtml.py`), `typography.py` holds
the per-locale quotation and spacing table. `docx.py` and `odt.py` write an office source's
own package translated (`office.py` is what they share); they load lxml, so they are imported
by the export that needs them, not here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from tirage.editions.render import Entry, Translations

if TYPE_CHECKING:
    from tirage.editions.epub import render_epub
    from tirage.editions.html import render_html
    from tirage.editions.markdown import render_markdown
    from tirage.editions.text import render_text

# The writers are imported when first asked for: a command that only needs, say, the
# typography table (`tirage check`, and through it every command) would otherwise load
# markdown-it, YAML and the HTML and EPUB writers.
_WRITERS = {
    "render_epub": "tirage.editions.epub",
    "render_html": "tirage.editions.html",
    "render_markdown": "tirage.editions.markdown",
    "render_text": "tirage.editions.text",
}


def __getattr__(name: str) -> object:
    module = _WRITERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


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
