"""The EPUB edition, checked with Debian's epubcheck: the interview in every published
language, and pseudo-localised Markdown and HTML sources (whose characters need the embedded
fonts). The package's file list and its package document are golden files."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from lxml import etree

from tirage.cli import main
from tirage.editions.epub import zip_package
from tirage.editions.xhtml import html_to_content

from conftest import DATA, INTERVIEW, REPO
from golden import assert_golden

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not EPUBCHECK.is_file(),
    reason="epubcheck is not installed (Debian: apt install epubcheck)",
)
GOLDEN = DATA / "epub"


def run(ws: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--workspace", str(ws)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def epubcheck(paths: list[Path]) -> dict[Path, tuple[int, int, int]]:
    """epubcheck's (fatals, errors, warnings) for each book, in one JVM (CheckMany.java),
    or one run of the command a book where Java cannot run a source file."""
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", str(EPUBCHECK)]
    done = subprocess.run(
        [*java, str(GOLDEN / "CheckMany.java"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.findall(r"^RESULT (\d+) (\d+) (\d+) (.*)$", done.stdout, re.M)
    if len(found) == len(paths):
        return {Path(p): (int(f), int(e), int(w)) for f, e, w, p in found}
    verdicts = {}
    for path in paths:
        one = subprocess.run(
            [*java[:-2], "-jar", str(EPUBCHECK), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        counts = re.search(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings", one.stdout)
        assert counts, one.stdout + one.stderr
        verdicts[path] = (int(counts[1]), int(counts[2]), int(counts[3]))
    return verdicts


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's workspace: English reviewed, Spanish machine-translated (fuzzy)."""
    root = tmp_path_factory.mktemp("epub") / "ws"
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name)
    for name in ("tirage.toml", "glossary.csv"):
        shutil.copy(REPO / name, root / name)
    run(root, "export", "--format", "epub", "--include-fuzzy", "-q")
    return root


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Markdown article and an HTML page, pseudo-localised into Russian (the engine is real)."""
    root = tmp_path_factory.mktemp("epub-pseudo") / "ws"
    (root / "source").mkdir(parents=True)
    for name in ("article.md", "page.html"):
        shutil.copy(DATA / "readers" / name, root / "source" / name)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["ru"]\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    run(root, "build", "--format", "epub", "--include-fuzzy", "-q")
    return root


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interview as a DOCX and as an ODT, pseudo-localised into Russian: an office source
    gets its e-book from its text, as the other sources do from theirs."""
    root = tmp_path_factory.mktemp("epub-office") / "ws"
    (root / "source").mkdir(parents=True)
    for name in ("office.docx", "office-odt.odt"):  # two stems: twins are refused
        suffix = Path(name).suffix
        shutil.copy(DATA / "office" / "fr" / f"{INTERVIEW}{suffix}", root / "source" / name)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["ru"]\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    run(root, "build", "--format", "epub", "--include-fuzzy", "-q")
    return root


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def file_list(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        rows = [
            f"{info.filename} {'stored' if info.compress_type == 0 else 'deflated'} "
            f"{'-'.join(map(str, info.date_time))}"
            for info in archive.infolist()
        ]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def verdicts(
    interview: Path, pseudo: Path, office: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, tuple[int, int, int]]:
    """Every book of these tests, and one broken on purpose (proof that the check bites)."""
    broken = tmp_path_factory.mktemp("broken") / "broken.epub"
    parts = members(interview / "editions" / "en" / f"{INTERVIEW}.epub")
    parts["EPUB/content.xhtml"] = parts["EPUB/content.xhtml"].replace(b"</article>", b"<p>")
    broken.write_bytes(zip_package(list(parts.items())))
    books = [interview / "editions" / lang / f"{INTERVIEW}.epub" for lang in ("en", "es")]
    books += [pseudo / "editions" / "ru" / f"{doc}.epub" for doc in ("article", "page")]
    books += [office / "editions" / "ru" / f"{doc}.epub" for doc in ("office", "office-odt")]
    return epubcheck([*books, broken])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_interview_passes_epubcheck_in_each_published_language(
    interview: Path, verdicts: dict[Path, tuple[int, int, int]], lang: str
) -> None:
    assert verdicts[interview / "editions" / lang / f"{INTERVIEW}.epub"] == (0, 0, 0)
    broken = [counts for path, counts in verdicts.items() if path.name == "broken.epub"]
    assert broken[0][1] > 0


def test_interview_package_is_golden(interview: Path) -> None:
    path = interview / "editions" / "en" / f"{INTERVIEW}.epub"
    assert_golden(file_list(path), GOLDEN / "interview.en.files")
    assert_golden(members(path)["EPUB/package.opf"].decode(), GOLDEN / "interview.en.opf")


def test_interview_content_is_the_html_edition(interview: Path) -> None:
    """Every sentence of the HTML edition's article is in the book, the navigation lists the
    title and then each question inside it, and the translator is credited."""
    html_run = run(interview, "export", "--to", "en", "--format", "html", "-q")
    assert html_run == ""
    page = (interview / "editions" / "en" / f"{INTERVIEW}.html").read_text(encoding="utf-8")
    parts = members(interview / "editions" / "en" / f"{INTERVIEW}.epub")
    xhtml = etree.fromstring(parts["EPUB/content.xhtml"])  # well-formed XML
    book = " ".join("".join(xhtml.itertext()).split())
    article = page.split("<article>")[1].split("</main>")[0]
    for sentence in re.findall(r">([^<>]{20,})<", article):
        assert " ".join(sentence.split()).replace("&amp;", "&") in book
    nav = etree.fromstring(parts["EPUB/nav.xhtml"])
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    top = nav.findall(".//h:nav/h:ol/h:li", ns)
    assert len(top) == 1 and top[0].find("h:a", ns).text.startswith("Thierry Alvergnat")
    questions = [a.text for a in top[0].findall("h:ol/h:li/h:a", ns)]
    assert len(questions) == 6 and questions[0].startswith("How do clusters")
    assert b"<dc:language>en</dc:language>" in parts["EPUB/package.opf"]
    assert not any(name.startswith("EPUB/fonts/") for name in parts)  # Windows-1252 text


def test_export_is_reproducible(interview: Path) -> None:
    path = interview / "editions" / "es" / f"{INTERVIEW}.epub"
    before = path.read_bytes()
    out = run(interview, "export", "--to", "es", "--format", "epub", "--include-fuzzy")
    assert "1 unchanged" in out
    assert path.read_bytes() == before
    with zipfile.ZipFile(io.BytesIO(before)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", 0, b"")
    assert before[30:38] == b"mimetype"


@pytest.mark.parametrize("doc", ["article", "page"])
def test_markdown_and_html_sources_pass_epubcheck(
    pseudo: Path, verdicts: dict[Path, tuple[int, int, int]], doc: str
) -> None:
    path = pseudo / "editions" / "ru" / f"{doc}.epub"
    assert verdicts[path] == (0, 0, 0)
    parts = members(path)
    text = "".join(etree.fromstring(parts["EPUB/content.xhtml"]).itertext())
    fonts = {name: data for name, data in parts.items() if name.startswith("EPUB/fonts/")}
    assert "EPUB/fonts/NotoSerif-Regular.ttf" in fonts  # pseudo-localised: Latin Extended
    cmap = TTFont(io.BytesIO(fonts["EPUB/fonts/NotoSerif-Regular.ttf"])).getBestCmap()
    assert {ord(c) for c in text if not c.isspace()} <= set(cmap)
    assert len(cmap) < 400  # a subset, not the whole font
    licence = TTFont(io.BytesIO(fonts["EPUB/fonts/NotoSerif-Regular.ttf"]))["name"]
    assert "SIL Open Font License" in str(licence.getDebugName(13))


def test_html_source_file_list_is_golden(pseudo: Path) -> None:
    assert_golden(file_list(pseudo / "editions" / "ru" / "page.epub"), GOLDEN / "page.ru.files")


def test_hostile_markup_becomes_valid_xhtml() -> None:
    """Scripts, forms and media go; blocks inside paragraphs, stray list items and cells,
    nested links, duplicate ids and links out of the book are repaired."""
    page = (
        '<html lang="fr"><head><title>T</title><script>alert(1)</script></head><body>'
        '<p id="a">Un <div>bloc</div> <a href="x.html">lien <a href="#a">imbriqué</a></a>'
        '<img src="x.png" alt="image"> <a href="#gone">perdu</a></p>'
        "<li>seul</li><td>cellule</td><ul>texte<p>para</p></ul>"
        '<h2 id="a">Double</h2><h3></h3><form><button>Bouton</button></form>'
        "<video id=gone><p>vidéo</p></video><iframe src=x></iframe>\x0c"
        '<a href="javascript:alert(1)">js</a><a href="https://example.org/?a=1&amp;b=2">ok</a>'
        "</body></html>"
    )
    content = html_to_content(page)
    tree = etree.fromstring(f'<body xmlns="http://www.w3.org/1999/xhtml">{content.body}</body>')
    text = "".join(tree.itertext())
    for kept in ("Un", "bloc", "lien", "imbriqué", "image", "seul", "cellule", "para", "Bouton"):
        assert kept in text
    assert "alert" not in text and "vidéo" not in text
    assert "<div>" not in content.body.split("</p>")[0]  # no block inside the paragraph
    assert 'href="x.html"' not in content.body and "javascript" not in content.body
    assert 'href="https://example.org/?a=1&amp;b=2"' in content.body
    assert content.body.count('id="a"') == 0  # two elements claimed it: neither keeps it
    assert [(h.level, h.text) for h in content.headings] == [(2, "Double")]


@pytest.mark.parametrize("doc", ["office", "office-odt"])
def test_office_sources_pass_epubcheck(
    office: Path, verdicts: dict[Path, tuple[int, int, int]], doc: str
) -> None:
    """DOCX and ODT sources get an e-book of their text: headings from their styles, the
    inline codes of the catalog left out, the running headers and properties not repeated."""
    path = office / "editions" / "ru" / f"{doc}.epub"
    assert verdicts[path] == (0, 0, 0)
    content = etree.fromstring(members(path)["EPUB/content.xhtml"])
    text = "".join(content.itertext())
    assert "<b>" not in text and "<x1/>" not in text and "<a1>" not in text
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    headings = content.findall(".//x:h2", namespace)
    assert len(headings) >= 6  # the interview's questions, from the headings' styles
    assert all(heading.text and heading.text.strip() for heading in headings)
