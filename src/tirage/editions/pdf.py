"""The print edition: the HTML edition, with a print style sheet, set by WeasyPrint.

Nothing is drawn by hand. `render_html` writes the page with `print_style` in place of the
screen style sheet, and WeasyPrint (imported only here, on export) lays it out: pages of the
size in `[publish] page`, a running header with the kicker and the title, page numbers, two
columns under a title and standfirst set across both, questions set apart and never left at
the foot of a column, widows and orphans held, and hyphenation in the edition's language
(Pyphen's dictionaries, from `lang`). French no-break spaces come from `typography.py` and
are never a line break.

The engine fetches nothing: its URL fetcher accepts only `data:` URLs, and the fonts come from
the system through fontconfig (`fonts.py`), embedded as subsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from tirage.document import Document
from tirage.editions.fonts import SANS, SERIF, font_stack_css, missing_characters, visible_text
from tirage.editions.html import render_html
from tirage.editions.metadata import EditionContext
from tirage.editions.render import Translations
from tirage.errors import EngineError, TirageError

INSTALL = "pip install 'tirage[pdf]'"
_MM_PER_PT = 25.4 / 72
MIN_MEASURE_EM = 15.0  # narrowest column: about 30 characters a line
# (width, height) in millimetres.
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a3": (297, 420),
    "a4": (210, 297),
    "a5": (148, 210),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
    "tabloid": (279.4, 431.8),
}
_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": _MM_PER_PT}
_CUSTOM = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s+(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)")
ACCENT = "#8a3b12"  # the HTML edition's palette


@dataclass(frozen=True)
class Layout:
    """Page geometry, scaled from A4's so that every size looks alike."""

    width: float  # mm
    height: float

    @property
    def scale(self) -> float:
        return self.width / 210

    @property
    def font_pt(self) -> float:
        return min(max(9.5 * self.scale, 8.5), 12.5)

    @property
    def margin(self) -> float:
        return min(max(16 * self.scale, 11), 22)

    @property
    def gap(self) -> float:
        return min(max(6 * self.scale, 4), 9)

    @property
    def column(self) -> float:
        return (self.width - 2 * self.margin - self.gap) / 2

    @property
    def measure_em(self) -> float:
        return self.column / (self.font_pt * _MM_PER_PT)


def parse_page(value: str) -> Layout:
    """`A4`, `letter`, `tabloid`… or `"WIDTH HEIGHT"` with mm, cm, in or pt.

    Raises ValueError for an unknown size, or a page too narrow for two columns of text.
    """
    text = value.strip()
    custom = _CUSTOM.fullmatch(text)
    if text.lower() in PAGE_SIZES:
        layout = Layout(*PAGE_SIZES[text.lower()])
    elif custom:
        width = float(custom.group(1)) * _UNITS[custom.group(2)]
        height = float(custom.group(3)) * _UNITS[custom.group(4)]
        layout = Layout(width, height)
    else:
        names = ", ".join(name if name != "a4" else "A4" for name in PAGE_SIZES)
        raise ValueError(f"unknown page size '{value}' (choose from {names}, or \"210mm 297mm\")")
    if layout.measure_em < MIN_MEASURE_EM:
        raise ValueError(
            f"'{value}' is too narrow for the text: its columns would be "
            f"{layout.column:.0f} mm, about {2 * layout.measure_em:.0f} characters a line; "
            f"the print edition needs pages at least {_narrowest_width():.0f} mm wide"
        )
    return layout


def _narrowest_width() -> float:
    width = 50.0
    while Layout(width, 297).measure_em < MIN_MEASURE_EM:
        width += 1
    return width


def print_style(layout: Layout) -> str:
    """The print style sheet (print.css) for a page layout."""
    template = Template(files("tirage.editions").joinpath("print.css").read_text("utf-8"))
    return template.substitute(
        width=f"{layout.width:.1f}mm",
        height=f"{layout.height:.1f}mm",
        margin=f"{layout.margin:.1f}mm",
        margin_top=f"{layout.margin * 1.15:.1f}mm",
        margin_bottom=f"{layout.margin * 1.2:.1f}mm",
        gap=f"{layout.gap:.1f}mm",
        font_size=f"{layout.font_pt:.2f}pt",
        serif=font_stack_css(SERIF),
        sans=font_stack_css(SANS),
        accent=ACCENT,
    )


@dataclass(frozen=True)
class PdfInfo:
    """The PDF's document information. Title, subject and language come from the page
    (<title>, the description, <html lang>); these come from the catalog and tirage.toml."""

    author: str = ""  # the publication
    translator: str = ""


def render_print_edition(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool,
    credit: str,
    context: EditionContext,
    page: str,
    where: Path | None = None,
    keep: Sequence[str] = (),
) -> bytes:
    """The print edition: the HTML edition with the print style sheet, as PDF."""
    style = print_style(parse_page(page))
    html = render_html(
        doc, translations, lang, source_lang, include_fuzzy, credit, context, style, keep
    )
    who = context.credit.translator or context.credit.team if context.credit else ""
    return render_pdf(html, PdfInfo(context.publication, who), where)


def render_pdf(html: str, info: PdfInfo, where: Path | None = None) -> bytes:
    """A page written with `print_style`, set as PDF."""
    text = visible_text(html)
    for families in (SERIF, SANS):
        missing = missing_characters(text, families)
        if missing is not None:
            raise TirageError(f"cannot print: {missing.describe()}", where)
    weasyprint = _engine()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    try:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    except RecursionError:  # WeasyPrint lays nested boxes out recursively
        raise TirageError(
            "cannot print: blockquotes or lists nested too deep for the print engine "
            "(the Markdown and HTML editions hold them)",
            where,
        ) from None
    metadata = document.metadata
    metadata.authors = [info.author] if info.author else []
    metadata.custom = {"Translator": info.translator} if info.translator else {}

    def add_xmp(document: Any, pdf: Any) -> None:
        import pydyf  # WeasyPrint's PDF writer

        packet = xmp_packet(metadata.title, metadata.description, metadata.lang, info)
        stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"})
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference

    pdf: bytes = document.write_pdf(custom_metadata=True, pdf_tags=True, finisher=add_xmp)
    return pdf


def xmp_packet(title: str | None, subject: str | None, lang: str | None, info: PdfInfo) -> bytes:
    """XMP metadata (Dublin Core), where archives look: the info dictionary's fields plus
    the language and the translator (a contributor), which it has no standard key for."""
    from xml.etree.ElementTree import Element, SubElement, tostring

    rdf_ns, dc_ns = (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://purl.org/dc/elements/1.1/",
    )
    rdf = Element(f"{{{rdf_ns}}}RDF")
    about = SubElement(rdf, f"{{{rdf_ns}}}Description", {f"{{{rdf_ns}}}about": ""})
    fields = [
        ("title", "Alt", title),
        ("description", "Alt", subject),
        ("creator", "Seq", info.author),
        ("contributor", "Bag", info.translator),
        ("language", "Bag", lang),
    ]
    for name, container, value in fields:
        if not value:
            continue
        items = SubElement(SubElement(about, f"{{{dc_ns}}}{name}"), f"{{{rdf_ns}}}{container}")
        item = SubElement(items, f"{{{rdf_ns}}}li")
        if container == "Alt":
            item.set("xml:lang", "x-default")
        item.text = value
    body: bytes = tostring(rdf, encoding="utf-8", xml_declaration=False)
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body + b'</x:xmpmeta>\n<?xpacket end="r"?>'
    )


def _engine() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise EngineError(f"the print edition needs WeasyPrint: {INSTALL}") from None
    except OSError as exc:  # WeasyPrint is there, its system libraries are not
        raise EngineError(
            f"WeasyPrint cannot load its system libraries ({exc}): on Debian, "
            "apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        ) from None
    return weasyprint
