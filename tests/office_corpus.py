"""Helpers of the office tests: the corpus, a real pseudo translation, LibreOffice in batches."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

from tirage.document import Document
from tirage.editions.render import Translations
from tirage.mt.pseudo import PseudoEngine
from tirage.readers import read_document
from tirage.text.html_markup import fragment_tokens
from tirage.text.protect import protect, restore

OFFICE_DIR = Path(__file__).parent / "data" / "office"
CORPUS = sorted(p for p in OFFICE_DIR.iterdir() if p.suffix in (".docx", ".odt"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# The projects whose documents are in French (the file name starts with the project's).
FRENCH = ("ansforge-", "odfdo-", "pitchou-", "socialgouv-")


def source_lang(path: Path) -> str:
    return "fr" if path.name.startswith(FRENCH) else "en"


def read(path: Path, lang: str = "") -> Document:
    return read_document(path, path.parent, lang or source_lang(path))


def pseudo_translations(doc: Document) -> Translations:
    """Every msgid through the pseudo engine, its codes protected as `translate` does."""
    engine = PseudoEngine(source_lang(doc.path), "de")
    found: dict[str, str] = {}
    for segment in doc.segments():
        masked = protect(segment.text)
        output = engine.translate([masked.text])[0].text
        restored = restore(masked, output)
        assert restored is not None, segment.text
        found[segment.text] = restored
    return Translations.from_dict(found)


def render(doc: Document, translations: Translations, lang: str = "de") -> bytes:
    if doc.format == "docx":
        from tirage.editions.docx import render_docx

        return render_docx(doc, translations, lang, source_lang(doc.path))
    from tirage.editions.odt import render_odt

    return render_odt(doc, translations, lang, source_lang(doc.path))


def visible(msgid: str) -> str:
    """A msgid's text as a reader sees it: codes left out, references decoded."""
    return "".join(
        unescape(msgid[t.start : t.end]) if t.kind == "text" else " " if t.kind == "void" else ""
        for t in fragment_tokens(msgid)
    )


def convert(files: list[Path], target: str, outdir: Path) -> dict[Path, Path]:
    """Convert files with one LibreOffice run (`pdf`, or `txt:Text (encoded):UTF8`)."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir.parent / "lo-profile"
    env = {**os.environ, "HOME": str(outdir.parent)}
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    ext = "." + target.split(":")[0]
    return {f: outdir / (f.stem + ext) for f in files}


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert found is not None
    return int(found.group(1))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


# Latin-script words (the pseudo engine's accented letters included): a CJK line has no
# spaces to cut words at, and this machine's fonts may not print it.
WORD = re.compile(r"[A-Za-z\u00c0-\u02af\u1e00-\u1eff]{2,}")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}
