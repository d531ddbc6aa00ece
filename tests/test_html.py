"""HTML sources: charsets, recovery from bad markup, inline markup and entities, the edition,
masks, the tag check, HTML blocks in Markdown, and the commands end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from test_html_corpus import pseudo_translations
from tirage.cli import main
from tirage.editions import Translations, render_html, render_markdown, render_text
from tirage.editions.markdown import render_markdown_source
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.render import translated_source
from tirage.errors import SourceError, UsageError
from tirage.quality.checks import Context, check_pair
from tirage.readers import read_document
from tirage.text.protect import find_protected

from conftest import REPO
from golden import assert_golden

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="{charset}"><title>L’été à Lyon</title></head>
<body><p>Déjà {tail}</p></body></html>
"""


def context(*published: str, stem: str = "page") -> EditionContext:
    """What export gives an edition: the links of the original (French) and the editions."""
    return EditionContext(Links.build(Publication(), "fr", published, stem))


def page(tmp_path: Path, body: str, name: str = "page.html", raw: bytes | None = None) -> Path:
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else body.encode("utf-8"))
    return path


def texts(path: Path) -> list[str]:
    return [s.text for s in read_document(path, path.parent).segments()]


# -- charsets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1", "latin1"])
def test_a_declared_legacy_charset_is_read(tmp_path: Path, label: str) -> None:
    raw = PAGE.format(charset=label, tail="l’été.").encode("cp1252")
    doc = read_document(page(tmp_path, "", raw=raw), tmp_path)
    assert doc.encoding == "windows-1252"  # what browsers make of all three labels
    assert [s.text for s in doc.segments()] == ["L’été à Lyon", "Déjà l’été."]


def test_the_http_equiv_and_xml_declarations_are_read(tmp_path: Path) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">'
    raw = f"<html><head>{meta}</head><body><p>Prix : 5 €.</p>".encode("iso-8859-15")
    assert texts(page(tmp_path, "", raw=raw)) == ["Prix : 5 €."]
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>Élève.</p>'.encode("latin-1")
    assert read_document(page(tmp_path, "", "x.html", raw=xml), tmp_path).encoding == "windows-1252"


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (PAGE.format(charset="utf-8", tail="é").encode("cp1252"), "is not utf-8", 2),
        (PAGE.format(charset="windows-1252", tail="é").encode(), "its bytes are UTF-8", 2),
        ("<p>\n\nDéjà</p>".encode("cp1252"), "no charset declared", 3),
        (b'<meta charset="klingon"><p>x</p>', "unknown charset 'klingon'", 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", None),
        ("<p>Été</p>".encode("utf-16"), "UTF-16 page", None),
    ],
)
def test_bytes_that_do_not_match_give_one_line(
    tmp_path: Path, raw: bytes, message: str, line: int | None
) -> None:
    path = page(tmp_path, "", raw=raw)
    with pytest.raises(SourceError) as caught:
        read_document(path, tmp_path)
    assert message in caught.value.format()
    assert caught.value.line == line
    assert "\n" not in caught.value.format()


# -- what is read ------------------------------------------------------------------------------


def test_truncated_markup_and_unclosed_tags_read_as_browsers_recover(tmp_path: Path) -> None:
    body = (
        "<ul><li>Un<li>Deux</ul><p>Premier<p>Second<div>Bloc</div>"
        "<table><tr><td>A1<td>A2</table><p>Coupé <b>net <a href='/x' title='Lien"
    )
    found = texts(page(tmp_path, body))
    assert found == ["Un", "Deux", "Premier", "Second", "Bloc", "A1", "A2", "Coupé <b>net"]
    # The HTML standard's parser sees the same texts.
    tree = html5lib.parse(body, namespaceHTMLElements=False)
    shown = [t.strip() for t in tree.itertext() if t.strip()]
    assert shown == ["Un", "Deux", "Premier", "Second", "Bloc", "A1", "A2", "Coupé", "net"]


def test_unclosed_code_and_pre_keep_their_content_out(tmp_path: Path) -> None:
    body = "<div><pre>Ne pas traduire.</div><p>Traduire ceci.</p><p>Voir <code>a. B</p>"
    assert texts(page(tmp_path, body)) == ["Traduire ceci.", "Voir"]  # <code> left open: out


def test_entities_are_decoded_in_msgids_except_markup_ones(tmp_path: Path) -> None:
    body = "<p>L&#8217;&eacute;t&eacute;&nbsp;: R&amp;D, a &lt; b.</p>"
    body += "<img alt='Caf&eacute; &amp; th&#xE9;'>"
    assert texts(page(tmp_path, body)) == ["L’été\u00a0: R&amp;D, a &lt; b.", "Café & thé"]


def test_a_link_across_a_sentence_end_is_one_segment(tmp_path: Path) -> None:
    body = '<p>Voir <a href="/x">le site. Il dit</a> tout. Fin <em>ici.</em> Suite.</p>'
    assert texts(page(tmp_path, body)) == [
        'Voir <a href="/x">le site. Il dit</a> tout.',
        "Fin <em>ici.</em>",
        "Suite.",
    ]


def test_attributes_inside_a_sentence_travel_in_its_tags(tmp_path: Path) -> None:
    body = '<p>Le <abbr title="Centre national">CNRS</abbr> publie. <img alt="Photo"></p>'
    doc = read_document(page(tmp_path, body), tmp_path)
    assert [(s.role, s.text) for s in doc.segments()] == [
        ("paragraph", 'Le <abbr title="Centre national">CNRS</abbr> publie.'),
        ("alt", "Photo"),
    ]


# -- the edition -------------------------------------------------------------------------------

SOURCE = """<!DOCTYPE html>
<html><head><meta http-equiv="content-type" content="text/html; charset=windows-1252">
<title>Le salon</title><link rel="canonical" href="https://example.org/salon.html"></head>
<body><p class="x">La R&amp;D lyonnaise <em>s’expose</em>&nbsp;!</p>
<img src="a.png" alt='La salle'></body></html>
"""


def test_edition_translates_in_place_and_escapes(tmp_path: Path) -> None:
    path = page(tmp_path, "", raw=SOURCE.encode("cp1252"))
    doc = read_document(path, tmp_path)
    translations = Translations.from_dict(
        {
            "Le salon": 'The "show"',
            "La R&amp;D lyonnaise <em>s’expose</em>\u00a0!": (
                "Lyon R&D <em>on show</em> <script>alert(1)</script>!"
            ),
            "La salle": "The 'hall' & <more>",
        }
    )
    edition = render_html(doc, translations, "en", "fr", context=context("en", "de"))
    assert "<title>The “show”</title>" in edition  # typography on text
    assert '<p class="x">Lyon R&amp;D <em>on show</em> &lt;script&gt;alert(1)&lt;/script&gt;!' in (
        edition
    )
    assert "alt='The &#39;hall&#39; &amp; <more>'" in edition or "alt='The ’hall’" in edition
    tree = html5lib.parse(edition, namespaceHTMLElements=False)
    assert (tree.get("lang"), tree.get("dir")) == ("en", "ltr")
    assert tree.find(".//img").get("src") == "a.png"
    links = {e.get("hreflang"): e.get("href") for e in tree.iter("link") if e.get("hreflang")}
    assert links == {
        "fr": "../fr/page.html",
        "en": "../en/page.html",
        "de": "../de/page.html",
        "x-default": "../fr/page.html",
    }
    assert 'content="text/html; charset=utf-8"' in edition
    assert "<script" not in edition


def test_untranslated_edition_differs_only_in_the_head(tmp_path: Path) -> None:
    path = page(tmp_path, "", raw=SOURCE.encode("cp1252"))
    edition = render_html(read_document(path, tmp_path), Translations(), "fr", "fr")
    expected = SOURCE.replace("<html>", '<html lang="fr" dir="ltr">').replace(
        "charset=windows-1252", "charset=utf-8"
    )
    assert edition == expected


def test_french_typography_leaves_tags_alone(tmp_path: Path) -> None:
    path = page(tmp_path, '<p>Il dit <a href="/x" title="a:b">ici</a>.</p>')
    doc = read_document(path, tmp_path)
    msgid = doc.segments()[0].text
    translations = Translations.from_dict({msgid: 'Il dit "oui" <a href="/x" title="a:b">ici</a>!'})
    edition = render_html(doc, translations, "fr", "fr")
    assert 'Il dit «\u00a0oui\u00a0» <a href="/x" title="a:b">ici</a>\u202f!' in edition


def test_text_and_markdown_editions_of_a_page_are_refused(tmp_path: Path) -> None:
    doc = read_document(page(tmp_path, "<p>Bonjour.</p>"), tmp_path)
    for render in (render_text, render_markdown):
        with pytest.raises(UsageError, match="edition of an HTML source"):
            render(doc, Translations(), "en")


# -- masks and checks --------------------------------------------------------------------------


def test_inline_markup_is_masked_before_translation() -> None:
    text = 'Voir <a href="https://x.org/a?b=1">le site</a> &amp; <code>ls -l</code>.'
    found = [text[s:e] for s, e in find_protected(text)]
    assert found == ['<a href="https://x.org/a?b=1">', "</a>", "&amp;", "<code>ls -l</code>"]


@pytest.mark.parametrize(
    ("target", "flagged"),
    [
        ('See <a href="/a">the site</a> and <em>more</em>.', set()),
        ('<em>More</em> on <a href="/a">the site</a>.', set()),  # moved: fine
        ('See <a href="/b">the site</a> and <em>more</em>.', {"html-tags"}),
        ("See the site and <em>more</em>.", {"html-tags"}),
        # A tag of a kind the source has not is the markup check's: reported once.
        ('See <a href="/a">the site</a> and <em>more</em> <b>now</b>.', {"markup"}),
    ],
)
def test_tag_check(target: str, flagged: set[str]) -> None:
    source = 'Voir <a href="/a">le site</a> et <em>plus</em>.'
    found = {c.name for c, _ in check_pair(source, target, Context("fr", "en"))}
    assert found & {"html-tags", "markup"} == flagged


# -- HTML blocks in Markdown -------------------------------------------------------------------

MARKDOWN = """# Le salon

<div class="alert">
<h3>Attention</h3>
<p>Places <em>limitées</em>. Inscrivez-vous.</p>
<iframe src="https://video.example/1"><a href="https://video.example/1">Voir la vidéo</a></iframe>
</div>

<figure><img src="a.png" alt="La salle comble"><figcaption>Samedi.</figcaption></figure>

Un paragraphe.
"""


def test_html_blocks_in_markdown_go_through_the_html_reader(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = read_document(path, tmp_path)
    found = [(s.role, s.text, s.line) for s in doc.segments()]
    assert found == [
        ("heading", "Le salon", 1),
        ("heading", "Attention", 4),
        ("paragraph", "Places <em>limitées</em>.", 5),
        ("paragraph", "Inscrivez-vous.", 5),
        ("text", "Voir la vidéo", 6),
        ("alt", "La salle comble", 9),
        ("figcaption", "Samedi.", 9),
        ("paragraph", "Un paragraphe.", 11),
    ]
    assert render_markdown_source(doc, Translations(), "en") == MARKDOWN
    translations = Translations.from_dict(
        {"La salle comble": 'The "full" hall', "Samedi.": "Saturday & <b>Sunday</b>."}
    )
    edition = render_markdown_source(doc, translations, "en")
    assert 'alt="The “full” hall"' in edition
    assert "<figcaption>Saturday &amp; &lt;b&gt;Sunday&lt;/b&gt;.</figcaption>" in edition


# -- commands ----------------------------------------------------------------------------------


@pytest.fixture
def html_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n\n[publish]\nthreshold = 0\n',
        encoding="utf-8",
    )
    corpus = REPO / "tests" / "data" / "corpus" / "html"
    (root / "source" / "dns.html").write_bytes((corpus / "apache-dns-caveats.fr.html").read_bytes())
    return root


def test_update_translate_export_on_a_page(runner: CliRunner, html_workspace: Path) -> None:
    ws = ["--workspace", str(html_workspace)]
    for args in (["update"], ["translate", "--engine", "pseudo"], ["export", "--include-fuzzy"]):
        result = runner.invoke(main, [*args, *ws])
        assert result.exit_code == 0, result.output
    editions = sorted(p.name for p in (html_workspace / "editions" / "en").iterdir())
    assert editions == ["dns.html"]
    edition = (html_workspace / "editions" / "en" / "dns.html").read_text(encoding="utf-8")
    assert (
        '<html dir="ltr" xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">' in edition
    )
    assert '<?xml version="1.0" encoding="UTF-8"?>' in edition
    result = runner.invoke(main, ["export", "--format", "md", *ws])
    assert result.exit_code == 2
    assert "source/dns.html: no Markdown edition of an HTML source" in result.output


def test_a_bad_page_stops_update_with_one_line(runner: CliRunner, html_workspace: Path) -> None:
    bad = PAGE.format(charset="utf-8", tail="é").encode("cp1252")
    (html_workspace / "source" / "bad.html").write_bytes(bad)
    result = runner.invoke(main, ["update", "--workspace", str(html_workspace)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "bad.html:2: byte 0x92 is not utf-8, the charset the page declares" in result.output
    assert not (html_workspace / "locales").exists()  # nothing written


PEAK = """
import sys
from pathlib import Path
from tirage.readers import read_document
doc = read_document(Path(sys.argv[1]), Path(sys.argv[1]).parent) if len(sys.argv) > 1 else None
segments = len(doc.segments()) if doc else 0
# VmHWM: this process's own peak (getrusage's ru_maxrss carries the parent's across fork).
peak = next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(segments, peak)
"""


def test_a_large_page_reads_in_bounded_memory(tmp_path: Path) -> None:
    """An 8 MB page, read in a fresh process: its peak memory stays a small multiple of the
    page (the 50 MB case and the speed are in bench/html_reader.py)."""
    corpus = REPO / "tests" / "data" / "corpus" / "html"
    body = (corpus / "readability-lemonde-1.html").read_text(encoding="utf-8")
    start, end = body.index("<body"), body.rindex("</body>")
    path = page(tmp_path, body[:end] + body[start:end] * 100 + body[end:])
    runs = [
        subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
        for args in ([], [str(path)])
    ]
    assert all(run.returncode == 0 for run in runs), runs[1].stderr
    (_, idle), (segments, peak) = (map(int, run.stdout.split()) for run in runs)
    size_kb = path.stat().st_size // 1024
    assert segments > 100 * 150
    assert peak - idle < 30 * size_kb, (peak - idle, size_kb)


def test_pseudo_edition_golden() -> None:
    """The HTML edition of the reader's golden page, every segment through the pseudo engine
    with its masks, as `tirage translate --engine pseudo` and `export` would write it."""
    source = REPO / "tests" / "data" / "readers" / "page.html"
    doc = read_document(source, source.parent)
    edition = render_html(doc, pseudo_translations(doc), "en", "fr", context=context("en", "de"))
    assert_golden(edition, REPO / "tests" / "data" / "editions" / "pseudo" / "page.html")


PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "<div translate='no'>",
        "</div>",
        "<em>",
        "</em>",
        "<a href='/x?a=1&amp;b=2' title='Lien. Voir'>",
        "</a>",
        "<code>",
        "</code>",
        "<br>",
        "<img alt='Une photo. Deux'>",
        "<!-- note -->",
        "<script>var a = '<p>';</script>",
        "<td>",
        "<h2>",
        "</h2>",
        "Le chat dort. ",
        "M. Dupont arrive&nbsp;! ",
        "R&amp;D &lt;3 ",
        "l&#8217;été ",
        "« Oui », dit-il. ",
        "\n\n",
        "<a href='/cut",
        "<!-- cut",
        "</",
    ]
)


@settings(max_examples=120, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=25))
def test_any_markup_reads_and_round_trips(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str]
) -> None:
    """Whatever the markup: no error, the untranslated source comes back byte for byte, and a
    pseudo-localised edition is written with the same elements."""
    text = "".join(parts)
    if not any(c.isalpha() for c in text):
        return
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path, path.parent)
    assert translated_source(doc, Translations(), False, lambda s, m: m) == text
    if not doc.segments():
        return  # nothing to publish
    for segment in doc.segments():
        ((start, end),) = segment.pieces
        assert doc.text[start:end].strip() == doc.text[start:end]
    edition = render_html(doc, pseudo_translations(doc), "en", "fr")
    # Misnested formatting elements (<code><em></code>) are reopened by a browser around
    # whatever text follows them, and a translation may put text there: they are left out.
    formatting = {"a", "b", "code", "em", "i", "meta", "strong"}
    before = [e.tag for e in html5lib.parse(text, namespaceHTMLElements=False).iter()]
    after = [e.tag for e in html5lib.parse(edition, namespaceHTMLElements=False).iter()]
    assert [t for t in after if t not in formatting] == [t for t in before if t not in formatting]


def test_a_fragment_gets_its_language_and_charset(tmp_path: Path) -> None:
    path = page(tmp_path, "<article><h2>Titre</h2>\n<p>Un texte.</p></article>\n")
    doc = read_document(path, tmp_path)
    translations = Translations.from_dict({"Titre": "عنوان", "Un texte.": "نص."})
    edition = render_html(doc, translations, "ar", "fr", context=context("ar"))
    tree = html5lib.parse(edition, namespaceHTMLElements=False)
    assert (tree.get("lang"), tree.get("dir")) == ("ar", "rtl")
    assert tree.find("head/meta").get("charset") == "utf-8"
    assert [e.get("hreflang") for e in tree.iter("link")] == ["fr", "ar", "x-default"]
    assert tree.find("body/article/h2").text == "عنوان"


def test_a_tag_left_open_does_not_join_the_sentences_after_it(tmp_path: Path) -> None:
    """Only a partner later in the run can balance a sentence: an unclosed <b> leaves every
    sentence on its own (joining them all would also be quadratic on a long paragraph)."""
    path = page(tmp_path, "<p>Intro <b>" + "Le chat dort. " * 50 + "</p>")
    found = texts(path)
    assert len(found) == 50 and found[0] == "Intro <b>Le chat dort."
