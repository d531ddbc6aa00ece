"""The plain-text edition of a text source: the source with its segments translated, a
visible `[fr] ` before each passage left in the source language, and the credit last."""

from __future__ import annotations

from collections.abc import Sequence

from tirage.document import Document, Segment
from tirage.editions.render import (
    Translations,
    fallback_label,
    refuse_html_source,
    trail_text,
    translated_source,
    with_credit,
)
from tirage.editions.typography import apply_typography


def render_text(
    doc: Document,
    translations: Translations,
    lang: str,
    include_fuzzy: bool = False,
    credit: str = "",
    fallback_lang: str = "",
    keep: Sequence[str] = (),
) -> str:
    """Byte for byte the source where nothing is translated and no credit or label is asked.

    `fallback_lang` (the source language) labels every passage left untranslated; `keep`
    (the glossary's do-not-translate names) is left as written by typography."""
    refuse_html_source(doc, "text")

    def transform(segment: Segment, msgstr: str) -> str:
        text = apply_typography(msgstr, lang, keep)
        if segment.role == "breadcrumb":
            text = trail_text(text)
        return text

    label = fallback_label(fallback_lang) if fallback_lang else ""
    text = translated_source(doc, translations, include_fuzzy, transform, lambda _: label)
    return with_credit(text, credit, "---")
