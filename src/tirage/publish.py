"""The publish gate and the export of editions.

The gate is decided per document and language: an edition is written when the document's
reviewed share in that language (entries translated and not fuzzy, over the document's
distinct msgids as the source reads now) is at least the threshold. With `include_fuzzy`,
fuzzy entries count too. A held-back edition's old files are removed, so `editions/` holds
only what passes the gate and hreflang links never point at a withdrawn page.

An edition never claims a language it is not in:
- below `FLOOR` (the share of its passages shown in the target language), it is refused
  whatever the threshold, unless `allow_untranslated` asks for it (a preview; with no
  translation at all it is then the source, byte for byte);
- every passage it leaves in the source language is labelled: `lang` in HTML, a visible
  `[fr] ` in text and Markdown; and its credit says how many there are.

Beside the translations, the original is written as an HTML page too
(`editions/<source lang>/<doc>.html`, the source as it is), while at least one translation
of the document is published: every edition links to it, and it is the `x-default` of the
set. (Only as HTML: the other formats would be copies of the source.) The print edition
(`pdf`) is written only when asked for: it is not a default format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from tirage import languages
from tirage.document import Document, Segment
from tirage.editions.credit import credit_from_po, credit_line
from tirage.editions.epub import render_epub
from tirage.editions.html import render_html
from tirage.editions.markdown import render_markdown
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.pdf import render_print_edition
from tirage.editions.render import Translations
from tirage.editions.text import render_text
from tirage.errors import UsageError
from tirage.po.pofile import read_po, write_atomic
from tirage.provenance import get_provenance
from tirage.readers import HTML_SUFFIXES, read_document
from tirage.text.glossary import load_glossary
from tirage.workspace import Workspace

EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html", "pdf": ".pdf", "epub": ".epub"}
# An office source's edition is its own package translated (editions/docx.py, odt.py): it is
# the only edition such a source has, and the one it gets by default.
OFFICE_FORMATS = {"docx": ".docx", "odt": ".odt"}
EXTENSIONS.update(OFFICE_FORMATS)
# The print edition takes about a second a page set, so it is written only when asked for.
DEFAULT_FORMATS = ("text", "markdown", "html")
FLOOR = 50.0  # % of an edition's passages that must be in its language
FORMAT_NAMES = {
    "txt": "text",
    "text": "text",
    "md": "markdown",
    "markdown": "markdown",
    "html": "html",
    "pdf": "pdf",
    "epub": "epub",
    "docx": "docx",
    "odt": "odt",
}
# Built from the HTML edition: every source that has one has these too.
FROM_HTML = ("html", "epub")


def parse_formats(requested: str | None) -> tuple[str, ...]:
    """`--format md,html` → ("markdown", "html"); the default formats when None."""
    if not requested:
        return DEFAULT_FORMATS
    formats: list[str] = []
    for name in (part.strip().lower() for part in requested.split(",")):
        if not name:
            continue
        if name not in FORMAT_NAMES:
            raise UsageError(
                f"unknown format '{name}' (choose from text, markdown, html, pdf, epub, docx, odt)"
            )
        if FORMAT_NAMES[name] not in formats:
            formats.append(FORMAT_NAMES[name])
    return tuple(formats)


@dataclass(frozen=True)
class Coverage:
    """How much of a document a catalog covers."""

    total: int
    reviewed: int
    fuzzy: int

    @property
    def reviewed_share(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.reviewed / self.total

    @property
    def fuzzy_share(self) -> float:
        return 0.0 if self.total == 0 else 100.0 * self.fuzzy / self.total

    def share(self, include_fuzzy: bool) -> float:
        return self.reviewed_share + (self.fuzzy_share if include_fuzzy else 0.0)

    def shown(self, include_fuzzy: bool) -> int:
        """Passages an edition shows in the target language."""
        return self.reviewed + (self.fuzzy if include_fuzzy else 0)


def coverage(doc: Document, translations: Translations) -> Coverage:
    """Counted over distinct msgids: a repeated block is one catalog entry."""
    first: dict[str, Segment] = {}
    for segment in doc.segments():
        first.setdefault(segment.text, segment)
    reviewed = fuzzy = 0
    for segment in first.values():
        entry = translations.entry(segment)
        if entry is None or not entry.msgstr:
            continue
        if entry.fuzzy:
            fuzzy += 1
        else:
            reviewed += 1
    return Coverage(len(first), reviewed, fuzzy)


def passes(cov: Coverage, threshold: float, include_fuzzy: bool) -> bool:
    return cov.share(include_fuzzy) + 1e-9 >= threshold


def above_floor(cov: Coverage, include_fuzzy: bool) -> bool:
    """Whether most of an edition would be in its language (see FLOOR)."""
    return cov.share(include_fuzzy) + 1e-9 >= FLOOR


@dataclass
class EditionResult:
    """One document in one language: the gate's verdict and the files it led to."""

    doc: str
    lang: str
    coverage: Coverage
    published: bool
    below_floor: bool = False  # refused (or, allowed, written) under FLOOR
    left: int = 0  # passages left in the source language, labelled
    no_format: list[str] = field(default_factory=list)  # asked formats the source has not
    source_format: str = ""  # with no_format: the source's format, and the ones it has
    formats: str = ""
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    original: bool = False  # the source language's page, not a translation


@dataclass
class ExportReport:
    threshold: float
    include_fuzzy: bool
    source_lang: str = ""
    allow_untranslated: bool = False
    results: list[EditionResult] = field(default_factory=list)

    def for_lang(self, lang: str) -> list[EditionResult]:
        return [r for r in self.results if r.lang == lang]

    @property
    def held_back(self) -> list[str]:
        langs: list[str] = []
        for result in self.results:
            if not result.published and not result.original and result.lang not in langs:
                langs.append(result.lang)
        return langs


def load_translations(path: Path) -> tuple[Translations, polib.POFile | None]:
    if not path.is_file():
        return Translations(), None
    po = read_po(path)
    return Translations.from_po(po), po


def machine_engines(po: polib.POFile | None) -> tuple[str, ...]:
    """The engines whose unreviewed output (fuzzy, with a record) a catalog holds."""
    found: set[str] = set()
    for entry in po or ():
        provenance = get_provenance(entry)
        if entry.msgstr and "fuzzy" in entry.flags and provenance is not None:
            found.add(provenance.engine)
    found.discard("memory")  # a memory match is a human's translation, reused
    return tuple(sorted(found))


def edition_path(ws: Workspace, lang: str, stem: str, fmt: str) -> Path:
    return ws.editions_dir / lang / f"{stem}{EXTENSIONS[fmt]}"


def formats_for(doc: Document, formats: Iterable[str]) -> list[str]:
    """A text source has all three editions; a Markdown source has Markdown and HTML; an HTML
    source has HTML only; a DOCX or ODT source has its own format (by default too) and EPUB."""
    if doc.format in OFFICE_FORMATS:  # and the e-book, made from the text, when asked for
        own = [f for f in formats if f in (doc.format, "epub")]
        return own if own or tuple(formats) != DEFAULT_FORMATS else [doc.format]
    formats = [f for f in formats if f not in OFFICE_FORMATS]
    if doc.format == "html":
        return [f for f in formats if f in FROM_HTML]
    return [f for f in formats if not (f == "text" and doc.format != "text")]


def refuse_formats(ws: Workspace, formats: Sequence[str]) -> None:
    """Formats asked for by name that an HTML source cannot have: refused before any write."""
    other = [f for f in formats if f not in FROM_HTML]
    pages = [p for p in ws.sources() if p.suffix.lower() in HTML_SUFFIXES]
    if other and pages:
        names = " and ".join("Markdown" if f == "markdown" else f for f in other)
        raise UsageError(
            f"{ws.relative(pages[0])}: no {names} edition of an HTML source (use --format html)"
        )


def export_workspace(
    ws: Workspace,
    langs: Sequence[str],
    formats: Sequence[str],
    threshold: float | None = None,
    include_fuzzy: bool = False,
    allow_untranslated: bool = False,
) -> ExportReport:
    limit = ws.threshold if threshold is None else threshold
    report = ExportReport(limit, include_fuzzy, ws.source_lang, allow_untranslated)
    keep = load_glossary(ws.glossary_path).keep  # names typography leaves as written
    publication = Publication(ws.publish.name, ws.publish.base_url)
    for source in ws.sources():
        doc = read_document(source, ws.root, ws.source_lang, ws.markdown)
        catalogs = {lang: load_translations(ws.po_path(lang, doc.stem)) for lang in ws.targets}
        covered = {lang: coverage(doc, catalogs[lang][0]) for lang in ws.targets}
        low = {lang for lang in ws.targets if not above_floor(covered[lang], include_fuzzy)}
        published = [
            lang
            for lang in ws.targets
            if passes(covered[lang], limit, include_fuzzy)
            and (allow_untranslated or lang not in low)
        ]
        links = Links.build(publication, ws.source_lang, published, doc.stem)
        for lang in langs:
            cov = covered[lang]
            result = EditionResult(doc.stem, lang, cov, lang in published, lang in low)
            report.results.append(result)
            translations, po = catalogs[lang]
            paths = {fmt: edition_path(ws, lang, doc.stem, fmt) for fmt in EXTENSIONS}
            if not result.published:
                _remove(paths.values(), result)
                continue
            shown = cov.shown(include_fuzzy)
            # With no translation at all (allowed), the edition is the source as it is.
            result.left = cov.total - shown if shown else 0
            mark = ws.source_lang if result.left else ""
            unreviewed = include_fuzzy and cov.fuzzy > 0
            engines = machine_engines(po) if unreviewed else ()
            found = credit_from_po(po, ws.source_lang, unreviewed, result.left, engines)
            credit = credit_line(found, lang) if shown else ""
            context = EditionContext(links, publication.name, found)
            if tuple(formats) != DEFAULT_FORMATS:  # asked for by name: say what is not made
                result.no_format = [f for f in formats if f not in formats_for(doc, formats)]
                result.source_format = doc.format
                result.formats = ", ".join(formats_for(doc, EXTENSIONS))
            for fmt in formats_for(doc, formats):
                text: str | bytes
                if fmt == "text":
                    text = render_text(doc, translations, lang, include_fuzzy, credit, mark, keep)
                elif fmt == "markdown":
                    text = render_markdown(
                        doc, translations, lang, include_fuzzy, credit, mark, keep
                    )
                elif fmt in OFFICE_FORMATS:
                    text = _office_edition(
                        doc, fmt, translations, lang, ws.source_lang, include_fuzzy, keep, credit
                    )
                elif fmt == "html":
                    text = render_html(
                        doc,
                        translations,
                        lang,
                        ws.source_lang,
                        include_fuzzy,
                        credit,
                        context,
                        keep=keep,
                    )
                elif fmt == "epub":
                    text = render_epub(
                        doc,
                        translations,
                        lang,
                        ws.source_lang,
                        include_fuzzy,
                        credit,
                        context,
                        keep,
                    )
                else:
                    text = render_print_edition(
                        doc,
                        translations,
                        lang,
                        ws.source_lang,
                        include_fuzzy,
                        credit,
                        context,
                        ws.publish.page,
                        paths[fmt],
                        keep,
                    )
                written = write_atomic(paths[fmt], text)
                (result.written if written else result.unchanged).append(paths[fmt])
        report.results.append(_export_original(ws, doc, formats, links, bool(published)))
    return report


def _marked(result: EditionResult, source_lang: str) -> str:
    """How the written editions mark a passage left in the source language, and only those:
    text and Markdown with a visible label, HTML and print pages with `lang`."""
    suffixes = {path.suffix for path in result.written + result.unchanged}
    how = []
    if suffixes & {".txt", ".md"}:
        how.append(f"[{source_lang}]")
    if suffixes & {".html", ".pdf"}:
        how.append(f'lang="{source_lang}"')
    return ", marked " + " and ".join(how) if how else ""


def _export_original(
    ws: Workspace, doc: Document, formats: Sequence[str], links: Links, wanted: bool
) -> EditionResult:
    """The source's own page (HTML only), which every edition links to as the original."""
    lang = ws.source_lang
    result = EditionResult(doc.stem, lang, coverage(doc, Translations()), wanted, original=True)
    path = edition_path(ws, lang, doc.stem, "html")
    if not wanted:
        _remove([path], result)
    elif "html" in formats and doc.format not in OFFICE_FORMATS:
        context = EditionContext(links, ws.publish.name)
        page = render_html(doc, Translations(), lang, lang, context=context)
        (result.written if write_atomic(path, page) else result.unchanged).append(path)
    return result


def _office_edition(
    doc: Document,
    fmt: str,
    translations: Translations,
    lang: str,
    source_lang: str,
    include_fuzzy: bool,
    keep: Sequence[str],
    credit: str,
) -> bytes:
    """A DOCX or ODT edition (lxml is imported only here, through the package reader)."""
    args = (doc, translations, lang, source_lang, include_fuzzy, tuple(keep), credit)
    if fmt == "docx":
        from tirage.editions.docx import render_docx

        return render_docx(*args)
    from tirage.editions.odt import render_odt

    return render_odt(*args)


def _remove(paths: Iterable[Path], result: EditionResult) -> None:
    for path in paths:
        if path.is_file():
            path.unlink()
            result.removed.append(path)


def describe(report: ExportReport, langs: Sequence[str], root: Path) -> list[str]:
    """One line per language (per document when there are several) for the user."""
    lines: list[str] = []
    need = f"need {report.threshold:g}%"
    source = _language_name(report.source_lang)
    for lang in langs:
        results = report.for_lang(lang)
        for result in results:
            cov = result.coverage
            prefix = f"{lang}: " if len(results) == 1 else f"{lang} {result.doc}: "
            share = f"{cov.reviewed_share:.0f}% reviewed"
            if report.include_fuzzy and cov.fuzzy:
                share += f" + {cov.fuzzy_share:.0f}% fuzzy"
            if not result.published:
                if result.below_floor and passes(cov, report.threshold, report.include_fuzzy):
                    verdict = (
                        f"not published: under {FLOOR:g}% of it would be in {_language_name(lang)}"
                        " (--allow-untranslated writes it anyway)"
                    )
                    lines.append(f"{prefix}{share}: {verdict}")
                else:
                    lines.append(f"{prefix}{share}, {need}: not published")
                if result.removed:
                    gone = ", ".join(p.name for p in result.removed)
                    lines.append(
                        f"  removed {gone}, written earlier: editions/ holds only "
                        "what passes the gate now"
                    )
                continue
            names = [p.name for p in result.written + result.unchanged]
            state = f"{len(result.written)} written, {len(result.unchanged)} unchanged"
            if not names:
                lines.append(f"{prefix}{share}: nothing written: {_no_format(result)}")
                continue
            line = f"{prefix}{share}: published {', '.join(names)} ({state})"
            if cov.shown(report.include_fuzzy) == 0:
                line += f"; untranslated: the {source} source as it is (--allow-untranslated)"
            elif result.left:
                line += f"; {result.left} passage(s) left in {source}"
                line += _marked(result, report.source_lang)
            lines.append(line)
            if result.no_format:
                lines.append(f"  nothing else: {_no_format(result)}")
    for result in report.results:
        if result.original and (result.written or result.unchanged or result.removed):
            names = [p.name for p in result.written + result.unchanged]
            state = f"{len(result.written)} written, {len(result.unchanged)} unchanged"
            if result.published:
                verdict = f"the original, linked from each edition: {', '.join(names)} ({state})"
            else:
                verdict = f"no edition published, {len(result.removed)} old page(s) removed"
            lines.append(f"{result.lang} {result.doc}: {verdict}")
    return lines


def _no_format(result: EditionResult) -> str:
    kinds = {"text": "text", "markdown": "Markdown", "html": "HTML", "docx": "DOCX", "odt": "ODT"}
    kind = kinds.get(result.source_format, result.source_format)
    asked = " or ".join(result.no_format)
    return f"a {kind} source has no {asked} edition (its formats: {result.formats})"


def _language_name(code: str) -> str:
    locale = languages.parse(code)
    return (locale.get_language_name("en") if locale is not None else None) or code
