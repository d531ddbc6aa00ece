"""Print edition time: the interview's English PDF, and a 2,000-sentence article.

    .venv/bin/python bench/pdf.py [--sentences 2000] [--runs 3]

Each document is exported through `export_workspace` in a throwaway workspace, as
`tirage export --format pdf` does, `--runs` times (best and median kept); the HTML edition
of the same document is timed in the same run as the peer, and the PDF's time is split
into its stages: the HTML page with the print style sheet, the font coverage check,
WeasyPrint's layout, and writing the PDF.

The long article is the interview's own sentences, in English from locales/en, drawn at
random (seeded) into question-and-answer blocks until there are `--sentences` of them.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from tirage.editions.credit import credit_from_po, credit_line
from tirage.editions.fonts import SANS, SERIF, missing_characters, visible_text
from tirage.editions.html import render_html
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.pdf import _engine, parse_page, print_style
from tirage.publish import export_workspace, load_translations
from tirage.readers import read_document
from tirage.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = "interview-thierry-alvergnat"


def long_article(sentences: int) -> str:
    """French source text of about `sentences` sentences, from the interview's own."""
    po = polib.pofile(str(ROOT / "locales" / "en" / f"{INTERVIEW}.po"))
    roles = {role: [e.msgid for e in po if e.comment == role] for role in ("question", "answer")}
    rng = random.Random(1432800000)
    source = (ROOT / "source" / f"{INTERVIEW}.txt").read_text(encoding="utf-8")
    parts = [source.split("\n\n\n\n")[0].rstrip("\n"), ""]  # kicker, title, standfirst
    count = 0
    while count < sentences:
        answer = rng.choices(roles["answer"], k=rng.randint(4, 12))
        parts += ["", rng.choice(roles["question"]), "", " ".join(answer), ""]
        count += 1 + len(answer)
    return "\n".join(parts)


def workspace(root: Path, text: str | None) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "locales" / "en").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n', encoding="utf-8"
    )
    target = root / "source" / f"{INTERVIEW}.txt"
    if text is None:
        shutil.copy(ROOT / "source" / f"{INTERVIEW}.txt", target)
    else:
        target.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "locales" / "en" / f"{INTERVIEW}.po", root / "locales" / "en")
    return root


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def bench(label: str, root: Path, runs: int) -> None:
    ws = load_workspace(root)
    pdf = root / "editions" / "en" / f"{INTERVIEW}.pdf"

    def export_pdf() -> None:
        pdf.unlink(missing_ok=True)
        export_workspace(ws, ["en"], ("pdf",))

    html_best, _ = timed(lambda: export_workspace(ws, ["en"], ("html",)), runs)
    pdf_best, pdf_median = timed(export_pdf, runs)

    # The stages, once each, as `render_print_edition` runs them.
    doc = read_document(root / "source" / f"{INTERVIEW}.txt", root)
    translations, po = load_translations(ws.po_path("en", doc.stem))
    credit = credit_from_po(po, "fr", False)
    links = Links.build(Publication(), "fr", ["en"], doc.stem)
    context = EditionContext(links, "", credit)
    stages: dict[str, float] = {}
    started = time.perf_counter()
    style = print_style(parse_page("A4"))
    html = render_html(
        doc, translations, "en", "fr", False, credit_line(credit, "en"), context, style
    )
    stages["HTML page"] = time.perf_counter() - started
    started = time.perf_counter()
    text = visible_text(html)
    assert missing_characters(text, SERIF) is None and missing_characters(text, SANS) is None
    stages["font check"] = time.perf_counter() - started
    weasyprint = _engine()
    started = time.perf_counter()
    document = weasyprint.HTML(string=html).render()
    stages["layout"] = time.perf_counter() - started
    started = time.perf_counter()
    document.write_pdf()
    stages["write PDF"] = time.perf_counter() - started

    sentences = len(doc.segments())
    print(f"{label}: {sentences} sentences, {len(document.pages)} pages")
    print(f"  PDF export: best {pdf_best:.2f} s, median {pdf_median:.2f} s of {runs}")
    ratio = pdf_best / html_best
    print(f"  HTML export (peer): best {html_best * 1000:.0f} ms; PDF/HTML = {ratio:.0f}×")
    print("  stages: " + ", ".join(f"{name} {secs:.2f} s" for name, secs in stages.items()))
    print(f"  per page: {pdf_best / len(document.pages):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    _engine()
    print(f"import weasyprint: {time.perf_counter() - started:.2f} s (once per command)")
    with tempfile.TemporaryDirectory() as tmp:
        bench("interview", workspace(Path(tmp) / "interview", None), args.runs)
        text = long_article(args.sentences)
        bench("article", workspace(Path(tmp) / "article", text), max(1, args.runs // 3))


if __name__ == "__main__":
    main()
