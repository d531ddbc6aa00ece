"""The print edition, checked with poppler's tools: text, fonts, metadata, page image.

The English PDF is the interview's, from the reviewed catalog in locales/en/. The German one
comes from tests/data/print: an excerpt of the interview translated into German by hand.
Page 1 of the English PDF is kept in artifacts/ (git-ignored) for reviewers to look at.
"""

from __future__ import annotations

import base64
import random
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import polib
import pyphen
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from tirage.cli import main
from tirage.editions import Translations, render_html
from tirage.editions.fonts import SANS, SERIF, missing_characters
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.pdf import PdfInfo, parse_page, print_style, render_pdf
from tirage.editions.typography import NBSP, NNBSP, apply_typography
from tirage.readers import read_document

from conftest import DATA, INTERVIEW, REPO

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)
EN_PO = REPO / "locales" / "en" / f"{INTERVIEW}.po"
PUBLICATION = "Rhône-Alpes Weekly"


def export(ws: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", "--format", "pdf", *args, "--workspace", str(ws)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def poppler(tool: str, *args: str | Path) -> str:
    done = subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def english_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("print") / "ws"
    (root / "source").mkdir(parents=True)
    (root / "locales" / "en").mkdir(parents=True)
    config = (REPO / "tirage.toml").read_text(encoding="utf-8")
    config = config.replace("[publish]\n", f'[publish]\nname = "{PUBLICATION}"\n')
    (root / "tirage.toml").write_text(config, encoding="utf-8")
    shutil.copy(REPO / "source" / f"{INTERVIEW}.txt", root / "source")
    shutil.copy(EN_PO, root / "locales" / "en")
    code, out = export(root, "--to", "en")
    assert code == 0, out
    return root


@pytest.fixture(scope="module")
def english_pdf(english_ws: Path) -> Path:
    return english_ws / "editions" / "en" / f"{INTERVIEW}.pdf"


def squeeze(text: str) -> str:
    """For comparing a PDF's text with a catalog's: hyphenated line ends joined, spaces gone.

    Hyphens are dropped on both sides, so that a word hyphenated at a line end ("organ-
    ised") and a compound broken at its own hyphen ("Rhône-\\nAlpes") both compare equal."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text)


def test_english_pdf_has_every_sentence(english_pdf: Path) -> None:
    text = squeeze(poppler("pdftotext", english_pdf, "-"))
    po = polib.pofile(str(EN_PO))
    # A breadcrumb ("Lyon # Support networks") is printed as a trail of its items.
    pieces: list[str] = []
    for entry in po:
        if not entry.obsolete:
            trail = entry.comment == "breadcrumb"
            pieces.extend(entry.msgstr.split(" # ") if trail else [entry.msgstr])
    missing = [piece for piece in pieces if squeeze(apply_typography(piece, "en")) not in text]
    assert missing == []
    assert "Translated from French" in poppler("pdftotext", english_pdf, "-")  # the credit


def test_fonts_are_embedded_and_not_type3(english_pdf: Path) -> None:
    rows = poppler("pdffonts", english_pdf).splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        # name, type (one or two words), encoding, emb, sub, uni, object, generation
        fields = row.split()
        assert fields[-5] == "yes", f"not embedded: {row}"
        assert "Type 3" not in row, row
    families = {row.split()[0].split("+")[-1] for row in rows}
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= families


def test_pdf_metadata(english_pdf: Path) -> None:
    info = poppler("pdfinfo", "-custom", english_pdf)
    assert re.search(r"^Title:\s+Thierry Alvergnat: “The regions have", info, re.M)
    assert re.search(r"^Subject:\s+The digital sector in Rhône-Alpes", info, re.M)
    assert re.search(rf"^Author:\s+{PUBLICATION}$", info, re.M)
    translator = polib.pofile(str(EN_PO)).metadata["Last-Translator"]
    assert re.search(rf"^Translator:\s+{re.escape(translator)}$", info, re.M)
    size = poppler("pdfinfo", english_pdf)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", size, re.M)
    xmp = poppler("pdfinfo", "-meta", english_pdf)
    assert "<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>" in xmp
    assert re.search(r"<dc:contributor><rdf:Bag><rdf:li>[^<]+</rdf:li>", xmp)
    assert PdfReader(english_pdf).trailer["/Root"]["/Lang"] == "en"


def test_export_again_rewrites_nothing(english_ws: Path) -> None:
    code, out = export(english_ws, "--to", "en")
    assert code == 0
    assert "published interview-thierry-alvergnat.pdf (0 written, 1 unchanged)" in out


def ink_profile(png: Path) -> tuple[list[float], int]:
    """Share of dark pixels in each pixel column, below the title block; and the width."""
    image = Image.open(png).convert("L")
    width, height = image.size
    body = image.crop((0, int(height * 0.35), width, int(height * 0.85)))
    rows = body.size[1]
    dark = [0] * width
    for index, value in enumerate(body.tobytes()):  # one byte a pixel, row after row
        if value < 128:
            dark[index % width] += 1
    return [count / rows for count in dark], width


def test_page_one_is_a_two_column_page(english_pdf: Path) -> None:
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    stem = artifacts / "print-en-page1"
    stem.with_suffix(".png").unlink(missing_ok=True)
    poppler("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-png", english_pdf, stem)
    png = stem.with_suffix(".png")
    profile, width = ink_profile(png)
    assert sum(profile) / width > 0.05, "page 1 is blank"
    # Two columns: ink on both halves, and a gutter with none in the middle fifth.
    inked = [x for x, share in enumerate(profile) if share > 0.02]
    left = [x for x in inked if x < width / 2]
    right = [x for x in inked if x > width / 2]
    assert len(left) > width / 4 and len(right) > width / 4
    middle = range(int(width * 0.4), int(width * 0.6))
    gutter = [x for x in middle if profile[x] < 0.01]
    assert gutter, "no gutter between the columns"
    assert max(left) < min(gutter) < max(gutter) < min(right)


@pytest.fixture(scope="module")
def german_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("print-de") / "ws"
    shutil.copytree(DATA / "print", root)
    code, out = export(root)
    assert code == 0, out
    return root


def test_german_edition_is_hyphenated_with_the_german_dictionary(german_ws: Path) -> None:
    pdf = german_ws / "editions" / "de" / "interview-excerpt.pdf"
    lines = poppler("pdftotext", pdf, "-").splitlines()
    dictionary = pyphen.Pyphen(lang="de")
    hyphenated = []
    for line, following in pairwise(lines):
        end = re.search(r"(\w+)[-\u2010]$", line)
        start = re.match(r"([a-zäöüß]\w*)", following)
        if end and start:
            word = end.group(1) + start.group(1)
            hyphenated.append((word, len(end.group(1)) in dictionary.positions(word)))
    assert hyphenated, "no hyphenated line end"
    assert all(allowed for _, allowed in hyphenated), hyphenated
    info = poppler("pdfinfo", pdf)
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)", info, re.M)
    assert squeeze("„Die Regionen haben einen Vorsprung") in squeeze("\n".join(lines))


def test_french_no_break_spaces_are_kept_and_never_broken(tmp_path: Path) -> None:
    """The interview the other way round: its English edition as the source, the French
    original as the translation, so that real French prose goes through the French
    typography and the print engine."""
    po = polib.pofile(str(EN_PO))
    english = {entry.msgid: entry.msgstr for entry in po if not entry.obsolete}
    interview = read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    english_text = interview.text
    for msgid, msgstr in english.items():
        english_text = english_text.replace(msgid, msgstr)
    (root / "source" / "interview.txt").write_text(english_text, encoding="utf-8")
    (root / "tirage.toml").write_text(
        'source_language = "en"\ntarget_languages = ["fr"]\n', encoding="utf-8"
    )
    doc = read_document(root / "source" / "interview.txt", root, "en")
    back = {msgstr: msgid for msgid, msgstr in english.items()}
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for text in dict.fromkeys(segment.text for segment in doc.segments()):
        catalog.append(polib.POEntry(msgid=text, msgstr=back.get(text, "")))
    translated = sum(1 for entry in catalog if entry.msgstr)
    assert translated / len(catalog) > 0.8  # the segmenter cut the English alike
    (root / "locales" / "fr").mkdir(parents=True)
    catalog.save(str(root / "locales" / "fr" / "interview.po"))

    code, out = export(root, "--threshold", "0", "--include-fuzzy")
    assert code == 0, out
    # pypdf, as pdftotext turns every kind of space into a plain one.
    pages = PdfReader(root / "editions" / "fr" / "interview.pdf").pages
    text = "\n".join(page.extract_text() for page in pages)
    assert NNBSP + "?" in text and "«" + NBSP in text  # the spaces are there…
    for line in text.splitlines():  # …and no line starts or ends at one
        assert not re.match(rf"[{NBSP}{NNBSP}]?[»?!:;]", line), line
        assert not re.search(rf"«[{NBSP}{NNBSP}]?$", line), line


def test_page_sizes_and_narrow_pages() -> None:
    assert parse_page("A4").width == 210
    tabloid = parse_page("tabloid")
    assert (round(tabloid.width, 1), round(tabloid.height, 1)) == (279.4, 431.8)
    assert "size: 279.4mm 431.8mm;" in print_style(tabloid)
    assert "size: 215.9mm 279.4mm;" in print_style(parse_page("letter"))
    assert parse_page("148mm 210mm").width == 148
    with pytest.raises(ValueError, match="too narrow for the text"):
        parse_page("80mm 200mm")
    with pytest.raises(ValueError, match="unknown page size 'B7'"):
        parse_page("B7")


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ('"80mm 200mm"', "'80mm 200mm' is too narrow for the text: its columns would be"),
        ('"B7"', "unknown page size 'B7'"),
    ],
)
def test_bad_page_in_config_is_refused(workspace: Path, page: str, message: str) -> None:
    config = workspace / "tirage.toml"
    text = config.read_text(encoding="utf-8").replace("[publish]\n", f"[publish]\npage = {page}\n")
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--format", "pdf", "--workspace", str(workspace)])
    assert result.exit_code == 1
    line = text.splitlines().index(f"page = {page}") + 1
    assert result.output.startswith(f"tirage: {config}:{line}: publish.page: {message}")
    assert len(result.output.splitlines()) == 1
    assert not (workspace / "editions").exists()


def test_missing_engine_says_how_to_install_it(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "locales" / "en").mkdir(parents=True)
    shutil.copy(EN_PO, workspace / "locales" / "en")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    result = CliRunner().invoke(main, ["export", "--format", "pdf", "--workspace", str(workspace)])
    assert result.exit_code == 1
    assert result.output == (
        "tirage: the print edition needs WeasyPrint: pip install 'tirage[pdf]'\n"
    )


def test_missing_script_is_named_not_printed_as_boxes(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "source" / "note.txt").write_text("Lyon\n\nLa filière numérique.\n", encoding="utf-8")
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["zh", "el"]\n', encoding="utf-8"
    )
    samples = (("zh", "里昂", "数字产业。"), ("el", "Λυών", "Ο ψηφιακός κλάδος."))
    for lang, title, sentence in samples:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
        po.append(polib.POEntry(msgid="Lyon", msgstr=title))
        po.append(polib.POEntry(msgid="La filière numérique.", msgstr=sentence))
        (root / "locales" / lang).mkdir(parents=True)
        po.save(str(root / "locales" / lang / "note.po"))
    result = CliRunner().invoke(
        main, ["export", "--to", "zh", "--format", "pdf", "--workspace", str(root)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"tirage: {root / 'editions' / 'zh' / 'note.pdf'}: cannot print: Noto Serif and "
        "DejaVu Serif have no Han characters (e.g. 业 U+4E1A)\n"
    )
    assert not (root / "editions" / "zh").exists()
    # Greek is covered by the same fonts; the Greek page's link to the Chinese edition
    # (中文, hidden in print) does not count.
    result = CliRunner().invoke(
        main, ["export", "--to", "el", "--format", "html,pdf", "--workspace", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert "中文" in (root / "editions" / "el" / "note.html").read_text(encoding="utf-8")
    assert "Ο ψηφιακός κλάδος" in poppler("pdftotext", root / "editions" / "el" / "note.pdf", "-")
    assert missing_characters("Ο ψηφιακός κλάδος «x»", SERIF) is None
    assert missing_characters("Ο ψηφιακός κλάδος", SANS) is None
    hebrew = missing_characters("שלום 中", SERIF)
    assert hebrew is not None and set(hebrew.scripts) == {"Hebrew", "Han"}


PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
LINE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S
)


def column_feet(pdf: bytes, tmp_path: Path) -> list[str]:
    """The last line of text in each column of each page (running header and page number
    left out), from pdftotext's word boxes."""
    path = tmp_path / "feet.pdf"
    path.write_bytes(pdf)
    layout = poppler("pdftotext", "-bbox-layout", path, "-")
    feet = []
    for page in PAGE.finditer(layout):
        width, height = float(page.group(1)), float(page.group(2))
        columns: dict[bool, tuple[float, str]] = {}
        for line in LINE.finditer(page.group(3)):
            x, top, bottom = (float(line.group(n)) for n in (1, 2, 3))
            if top < height * 0.06 or bottom > height * 0.93:
                continue
            words = " ".join(re.findall(r">([^<]*)</word>", line.group(4)))
            left = x < width / 2
            if left not in columns or bottom > columns[left][0]:
                columns[left] = (bottom, words)
        feet.extend(words for _, words in columns.values())
    return feet


def test_no_question_is_left_at_the_foot_of_a_column(tmp_path: Path) -> None:
    """Many short exchanges over several pages: with the print style sheet no column ends
    on a question; with the rule that prevents it switched off (the control), some do."""
    rng = random.Random(7)
    interview = read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)
    questions = [s.text for s in interview.segments() if s.text.endswith("?")]
    answers = [s.text for s in interview.segments() if s.role == "answer"]
    parts = ["Lyon", "Un entretien", "", "Une introduction."]
    for n in range(50):  # numbered: a repeated block would be printed once
        parts += ["", f"{n}. {rng.choice(questions)}", "", " ".join(rng.sample(answers, 2))]
    source = tmp_path / "source" / "talk.txt"
    source.parent.mkdir()
    source.write_text("\n".join(parts) + "\n", encoding="utf-8")
    doc = read_document(source, tmp_path)
    context = EditionContext(Links.build(Publication(), "fr", [], doc.stem))
    style = print_style(parse_page("A4"))
    squeezed = [squeeze(q) for q in questions]

    def stranded(extra: str) -> list[str]:
        html = render_html(doc, Translations(), "fr", "fr", False, "", context, style + extra)
        feet = column_feet(render_pdf(html, PdfInfo()), tmp_path)
        assert len(feet) >= 8  # several pages of two columns
        return [foot for foot in feet if any(squeeze(foot) in q for q in squeezed)]

    assert stranded("") == []
    assert stranded("h2.question{break-after:auto}"), "the control strands no question"


def test_the_engine_fetches_nothing(tmp_path: Path) -> None:
    """Only data: URLs are read: the same picture as a file: URL (or any other) is not."""
    picture = tmp_path / "dot.png"
    Image.new("RGB", (4, 4), (138, 59, 18)).save(picture)
    inline = "data:image/png;base64," + base64.b64encode(picture.read_bytes()).decode()
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title>'
        f'<link rel="stylesheet" href="{picture.as_uri()}"></head><body>'
        f'<p><img src="{inline}" alt="a"><img src="{picture.as_uri()}" alt="b">'
        '<img src="https://example.org/c.png" alt="c"></p></body></html>'
    )
    pdf = tmp_path / "fetch.pdf"
    pdf.write_bytes(render_pdf(html, PdfInfo()))
    images = poppler("pdfimages", "-list", pdf).splitlines()[2:]
    assert len(images) == 1  # the data: one
