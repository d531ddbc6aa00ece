"""The EPUB edition: the HTML edition as an EPUB 3 package, for e-readers.

The content is the HTML edition written as XHTML (`xhtml.py`), so every source that has an
HTML edition has an EPUB too, with the same translated text, typography and style sheet, and
the same labels on passages left in the source language. Beside it the package holds:

- a navigation document listing the headings (the title alone when there are none);
- the package document: `dc:language`, the title, the description, the publication as
  publisher, the translator (`Last-Translator`) as a contributor with the MARC role `trl`, a
  `dc:source` giving the original's address (as the HTML edition links to it), and
  `dcterms:modified` from the catalog's revision date;
- the print edition's fonts (`fonts.py`: Noto, then DejaVu), subset to the text, when the
  text has characters outside Windows-1252's repertoire, which every reading system's own
  fonts draw (French narrow no-break spaces, Greek, Cyrillic, Vietnamese…). A font whose
  OS/2 `fsType` restricts embedding or subsetting is left out; Noto (SIL OFL 1.1, no reserved
  names) and DejaVu (Bitstream Vera licence) allow both, and subsets keep the licence in their
  `name` table.

The package is written with the standard library's zipfile rather than ebooklib: the EPUB
container rules are short (the `mimetype` entry first and stored, `META-INF/container.xml`),
and owning the writer makes the output reproducible: fixed entry order, timestamps
(1980-01-01), permissions and compression, and an identifier derived from the edition's
address rather than random. The same catalog gives the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from tirage.document import Document
from tirage.editions.fonts import SANS, SERIF, coverage, face_file
from tirage.editions.html import STYLE, render_html
from tirage.editions.metadata import EditionContext, hreflang
from tirage.editions.render import Translations
from tirage.editions.xhtml import Content, Heading, html_to_content, xml_text
from tirage.errors import EngineError

INSTALL = "pip install 'tirage[epub]'"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Every reading system's fonts draw these; an edition that needs others embeds its fonts.
COMMON = frozenset(bytes([b]).decode("cp1252", "ignore") for b in range(256)) - {""}
# (bold, italic) faces embedded per stack: the text face in full, the display face upright.
_SERIF_FACES = ((False, False), (True, False), (False, True), (True, True))
_SANS_FACES = ((False, False), (True, False))
_RESTRICTED = 0x0002 | 0x0200  # fsType: restricted licence, bitmap embedding only
_NO_SUBSETTING = 0x0100
# The navigation document's heading, in the edition's language (English otherwise).
CONTENTS = {
    "en": "Contents",
    "fr": "Sommaire",
    "de": "Inhalt",
    "es": "Índice",
    "it": "Indice",
    "pt": "Índice",
    "nl": "Inhoud",
}
EPUB_STYLE = """
body{margin:0 1rem;font-size:100%}
.kicker,.breadcrumb,h2.question{page-break-after:avoid}
h1,h2,h3,h4,h5,h6{page-break-after:avoid}
""".strip()


@dataclass(frozen=True)
class Font:
    """One embedded face."""

    family: str
    bold: bool
    italic: bool
    name: str  # file name in the package
    data: bytes


def render_epub(
    doc: Document,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool,
    credit: str,
    context: EditionContext,
    keep: Sequence[str] = (),
) -> bytes:
    """The EPUB edition of a document in one language."""
    try:
        import fontTools  # noqa: F401
        import lxml  # noqa: F401
    except ImportError:
        raise EngineError(f"the EPUB edition needs lxml and fontTools: {INSTALL}") from None
    page = render_html(
        doc, translations, lang, source_lang, include_fuzzy, credit, context, keep=keep
    )
    return package(html_to_content(page), lang, context)


def package(content: Content, lang: str, context: EditionContext) -> bytes:
    """The EPUB package around one content document."""
    code = hreflang(lang)
    title = content.title or "Untitled"
    fonts = embedded_fonts(visible_text(content.body) + title)
    files = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", CONTAINER.encode()),
        ("EPUB/package.opf", package_document(content, code, title, context, fonts).encode()),
        ("EPUB/nav.xhtml", navigation(content, code, title).encode()),
        ("EPUB/content.xhtml", content_document(content, code, title).encode()),
        ("EPUB/style.css", style_sheet(fonts).encode()),
        *((f"EPUB/fonts/{font.name}", font.data) for font in fonts),
    ]
    return zip_package(files)


def zip_package(files: Sequence[tuple[str, bytes]]) -> bytes:
    """The OCF container: `mimetype` first, stored, with no extra field; every entry with the
    same date and permissions, so that the bytes depend on the content only."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the machine
            info.external_attr = 0o100644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if stored else 9)
    return buffer.getvalue()


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def _xhtml(code: str, direction: str, title: str, body: str, epub_ns: bool = False) -> str:
    lang = xml_text(code, quote=True)
    namespace = ' xmlns:epub="http://www.idpf.org/2007/ops"' if epub_ns else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{namespace} lang="{lang}" '
        f'xml:lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{xml_text(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def content_document(content: Content, code: str, title: str) -> str:
    return _xhtml(code, content.direction, title, content.body)


def navigation(content: Content, code: str, title: str) -> str:
    """The navigation document: the headings as nested lists, in document order."""
    label = CONTENTS.get(code.split("-")[0].lower(), "Contents")
    toc = toc_list(content.headings) or (
        f'<ol><li><a href="content.xhtml">{xml_text(title)}</a></li></ol>'
    )
    body = f'<nav epub:type="toc" id="toc">\n<h1>{xml_text(label)}</h1>\n{toc}\n</nav>'
    return _xhtml(code, content.direction, label, body, epub_ns=True)


def toc_list(headings: Sequence[Heading]) -> str:
    """A heading deeper than the one before opens a list inside its item; a shallower one
    closes lists down to its level (or takes the place of a skipped one)."""
    out: list[str] = []
    levels: list[int] = []
    for heading in headings:
        if not levels or heading.level > levels[-1]:
            out.append("<ol>")
            levels.append(heading.level)
        else:
            while len(levels) > 1 and heading.level < levels[-1]:
                if heading.level > levels[-2]:
                    levels[-1] = heading.level
                    break
                out.append("</li></ol>")
                levels.pop()
            out.append("</li>")
        href = f"content.xhtml#{heading.anchor}"
        out.append(f'\n<li><a href="{xml_text(href, quote=True)}">{xml_text(heading.text)}</a>')
    out.append("</li></ol>" * len(levels))
    return "".join(out)


def package_document(
    content: Content, code: str, title: str, context: EditionContext, fonts: Sequence[Font]
) -> str:
    links = context.links
    address = _edition_address(context, code)
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"tirage-epub:{context.publication}:{address}")
    meta = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{xml_text(title)}</dc:title>",
        f"<dc:language>{xml_text(code)}</dc:language>",
    ]
    if content.description:
        meta.append(f"<dc:description>{xml_text(content.description)}</dc:description>")
    if context.publication:
        meta.append(f"<dc:publisher>{xml_text(context.publication)}</dc:publisher>")
    credit = context.credit
    translator = (credit.translator or credit.team) if credit is not None else ""
    if translator:
        meta += [
            f'<dc:contributor id="translator">{xml_text(translator)}</dc:contributor>',
            '<meta refines="#translator" property="role" scheme="marc:relators">trl</meta>',
        ]
    if credit is not None:  # a translation: where its original is
        meta.append(f"<dc:source>{xml_text(links.original[1])}</dc:source>")
    meta.append(f'<meta property="dcterms:modified">{modified(context)}</meta>')
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="content" href="content.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        *(
            f'<item id="font-{n}" href="fonts/{font.name}" media-type="font/ttf"/>'
            for n, font in enumerate(fonts, 1)
        ),
    ]
    direction = ' page-progression-direction="rtl"' if content.direction == "rtl" else ""
    lang = xml_text(code, quote=True)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="uid" xml:lang="{lang}" dir="{content.direction}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(items)
        + f"\n</manifest>\n<spine{direction}>\n"
        '<itemref idref="content"/>\n</spine>\n</package>\n'
    )


def _edition_address(context: EditionContext, code: str) -> str:
    for lang, url in context.links.editions:
        if hreflang(lang) == code:
            return url
    return code


def modified(context: EditionContext) -> str:
    """The catalog's revision date; else SOURCE_DATE_EPOCH; else the zip entries' date: never
    the clock, so that an export is reproducible."""
    if context.credit is not None and context.credit.revised is not None:
        return f"{context.credit.revised.isoformat()}T00:00:00Z"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "1980-01-01T00:00:00Z"


def visible_text(body: str) -> str:
    return unescape(re.sub(r"<[^>]*>", "", body))


def needs_fonts(text: str) -> bool:
    return any(
        char not in COMMON and unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
        for char in set(text)
    )


def embedded_fonts(text: str) -> list[Font]:
    """The print edition's faces, subset to `text`, when it needs them (see the module's
    docstring); the DejaVu fallback only for characters Noto lacks."""
    if not needs_fonts(text):
        return []
    chars = set(text)
    fonts: list[Font] = []
    for stack, faces in ((SERIF, _SERIF_FACES), (SANS, _SANS_FACES)):
        first, fallback = stack[0], stack[1:]
        lacking = {c for c in chars if ord(c) not in coverage((first,))}
        families = [first] + [f for f in fallback if lacking & _chars_of(f)]
        for family in families:
            for bold, italic in faces if family == first else faces[:1]:
                font = _subset(family, bold, italic, "".join(sorted(chars)))
                if font is not None:
                    fonts.append(font)
    return fonts


def _chars_of(family: str) -> set[str]:
    return {chr(point) for point in coverage((family,))}


def _subset(family: str, bold: bool, italic: bool, text: str) -> Font | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = face_file(family, bold, italic)
    if path is None:
        return None
    font = TTFont(path, recalcTimestamp=False)
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if fs_type & (_RESTRICTED | _NO_SUBSETTING):
        return None  # its licence does not let it travel inside a book
    options = subset.Options()
    options.name_IDs = ["*"]  # the copyright and licence go with the subset
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    name = f"{family.replace(' ', '')}-{style}.ttf"
    return Font(family, bold, italic, name, buffer.getvalue())


def style_sheet(fonts: Sequence[Font]) -> str:
    """The HTML edition's style sheet, with the embedded faces first in its font stacks."""
    # epubcheck 4.2 rejects `rem` in the `font` shorthand; every element the HTML edition sizes
    # in rem sits in a block at the body's size, so `em` is the same size there. The body's
    # own size is the reader's (e-readers let the reader choose it).
    rules = [re.sub(r"(\d)rem\b", r"\1em", STYLE), EPUB_STYLE]
    for font in fonts:
        rules.append(
            f'@font-face{{font-family:"{font.family}";'
            f"font-weight:{'bold' if font.bold else 'normal'};"
            f"font-style:{'italic' if font.italic else 'normal'};"
            f'src:url("fonts/{font.name}")}}'
        )
    families = {font.family for font in fonts}
    serif = ",".join(f'"{f}"' for f in SERIF if f in families)
    sans = ",".join(f'"{f}"' for f in SANS if f in families)
    if serif:
        rules.append(f"body{{font-family:{serif},Georgia,serif}}")
    if sans:
        rules.append(
            f".kicker,.breadcrumb,h2.question,nav{{font-family:{sans},system-ui,sans-serif}}"
        )
    return "\n".join(rules) + "\n"
