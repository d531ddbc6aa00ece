"""The plain-text edition of a text source: the source with its segments translated."""

from __future__ import annotations

from tirage.document import Document, Segment
from tirage.editions.render import Translations, refuse_html_source, translated_source
from tirage.editions.typography import apply_typography


def render_text(
    doc: Document, translations: Translations, lang: str, include_fuzzy: bool = False
) -> str:
    """Byte for byte the source where nothing is translated."""
    refuse_html_source(doc, "text")

    def transform(segment: Segment, msgstr: str) -> str:
        return apply_typography(msgstr, lang)

    return translated_source(doc, translations, include_fuzzy, transform)
