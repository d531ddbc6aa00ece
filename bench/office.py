"""A 300-page DOCX read and written back, against LibreOffice's own conversion of the file.

    .venv/bin/python bench/office.py [--copies 150]

Builds a long DOCX from the interview as a DOCX (tests/data/office/fr), its body repeated
`--copies` times (150 copies: about 300 pages, checked with LibreOffice's PDF export), and
half and a quarter of it. For each size, in a fresh process: tirage reads it (the POT's
segments) and writes the pseudo-translated edition; the time and the peak memory (max RSS)
are printed. The yardstick is `soffice --headless --convert-to docx` of the longest file: one
LibreOffice run reading and writing the same package.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "office" / "fr" / "interview-thierry-alvergnat.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from tirage.readers import read_document
from tirage.editions.docx import render_docx
from tirage.editions.render import Translations
from tirage.mt.pseudo import pseudo
path = Path({path!r})
start = time.perf_counter()
doc = read_document(path, path.parent, "fr")
read = time.perf_counter() - start
translations = Translations.from_dict({{s.text: pseudo(s.text) for s in doc.segments()}})
start = time.perf_counter()
data = render_docx(doc, translations, "es", "fr")
write = time.perf_counter() - start
Path({out!r}).write_bytes(data)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"segments": len(doc.segments()), "read": read, "write": write, "peak": peak}}))
"""


def long_docx(copies: int, target: Path) -> None:
    from lxml import etree

    with zipfile.ZipFile(SOURCE) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    for info, data in parts.items():
        if info.filename == "word/document.xml":
            tree = etree.fromstring(data)
            body = tree.find(W + "body")
            blocks = [child for child in body if child.tag != W + "sectPr"]
            section = body.find(W + "sectPr")
            for _ in range(copies - 1):
                for block in blocks:
                    if section is not None:
                        section.addprevious(etree.fromstring(etree.tostring(block)))
                    else:
                        body.append(etree.fromstring(etree.tostring(block)))
            parts[info] = etree.tostring(
                tree, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            archive.writestr(info.filename, data)
    target.write_bytes(out.getvalue())


def tirage_run(path: Path, out: Path) -> dict[str, float]:
    code = CHILD.format(src=str(ROOT / "src"), path=str(path), out=str(out))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    found: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def soffice(args: list[str], tmp: Path) -> float:
    binary = shutil.which("soffice")
    assert binary is not None, "LibreOffice (soffice) is not installed"
    start = time.perf_counter()
    subprocess.run(
        [binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", *args],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=150)
    copies = parser.parse_args().copies
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        soffice(["--convert-to", "pdf", "--outdir", str(tmp / "warm"), str(SOURCE)], tmp)  # profile
        sizes = [max(copies // 4, 1), max(copies // 2, 1), copies]
        rows = []
        for count in sizes:
            path = tmp / f"long-{count}.docx"
            long_docx(count, path)
            rows.append((count, path, tirage_run(path, tmp / f"edition-{count}.docx")))
        longest = rows[-1][1]
        pdf_time = soffice(["--convert-to", "pdf", "--outdir", str(tmp / "pdf"), str(longest)], tmp)
        info = subprocess.run(
            ["pdfinfo", str(tmp / "pdf" / (longest.stem + ".pdf"))], capture_output=True, text=True
        ).stdout
        pages = re.search(r"Pages:\s+(\d+)", info)
        peer = soffice(
            ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp / "lo"), str(longest)],
            tmp,
        )
        print(
            f"longest: {longest.stat().st_size / 1e6:.1f} MB,",
            f"{pages.group(1) if pages else '?'} pages",
        )
        print("| copies | segments | read (s) | write (s) | read + write (s) | peak RSS (MB) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for count, _, found in rows:
            total = found["read"] + found["write"]
            print(
                f"| {count} | {found['segments']:.0f} | {found['read']:.2f} | {found['write']:.2f}"
                f" | {total:.2f} | {found['peak']:.0f} |"
            )
        first, last = rows[0][2], rows[-1][2]
        growth = (last["read"] + last["write"]) / (first["read"] + first["write"])
        print(
            f"time × {growth:.2f} for {sizes[-1] / sizes[0]:.0f}× the text",
            f"(linear: ≈ {sizes[-1] / sizes[0]:.0f})",
        )
        total = last["read"] + last["write"]
        print(f"LibreOffice --convert-to docx (one run, start-up included): {peer:.2f} s")
        print(f"LibreOffice --convert-to pdf: {pdf_time:.2f} s")
        print(f"tirage read + write / LibreOffice docx round trip: {total / peer:.2f}")


if __name__ == "__main__":
    main()
