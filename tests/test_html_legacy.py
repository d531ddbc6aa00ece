"""Legacy and messy HTML: `<br><br>` paragraphs, presentational wrappers, icons, deep nesting."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.readers.html import read_blocks


def _texts(source: str) -> list[str]:
    blocks, _ = read_blocks(source, "fr")
    return [s.text for b in blocks for s in b.segments]


def test_two_line_breaks_end_a_segment() -> None:
    source = "<font face=arial>Premier paragraphe sans point<br>\n<br>Second paragraphe</font>"
    assert _texts(source) == ["Premier paragraphe sans point", "Second paragraphe"]


def test_a_line_break_after_a_sentence_ends_its_segment() -> None:
    assert _texts("<p>Fin de phrase.<br>suite en minuscule.</p>") == [
        "Fin de phrase.",
        "suite en minuscule.",
    ]


def test_a_single_line_break_inside_a_sentence_stays_in_it() -> None:
    assert _texts("<p>Une ligne<br>coupée en deux.</p>") == ["Une ligne<br>coupée en deux."]


@pytest.mark.parametrize("wrapper", ["font color=red", "span class=x", "center"])
def test_a_presentational_wrapper_never_makes_one_segment_of_blocks(wrapper: str) -> None:
    name = wrapper.split()[0]
    source = (
        f"<{wrapper}>Titre sans point<br><br>Un paragraphe<h2>Un intertitre</h2>"
        f"<div>Un bloc</div>Encore un mot</{name}>"
    )
    assert _texts(source) == [
        "Titre sans point",
        "Un paragraphe",
        "Un intertitre",
        "Un bloc",
        "Encore un mot",
    ]


def test_an_svg_icon_never_splits_a_sentence() -> None:
    source = '<p>Une phrase <svg viewBox="0 0 1 1"><path d="M0"/></svg> qui continue.</p>'
    assert _texts(source) == [
        'Une phrase <svg viewBox="0 0 1 1"><path d="M0"/></svg> qui continue.'
    ]


@pytest.mark.parametrize(
    "source",
    [
        '<p><a href="/f"></a><a href="/t"><i class="icon"></i></a> Partagez cet article.</p>',
        '<p>Partagez cet article. <a href="/f"><svg><title>Fb</title></svg></a> <a href="/t"></a>'
        "</p>",
        "<p><svg><path/></svg> Partagez cet article.</p>",
    ],
)
def test_an_empty_element_is_never_glued_to_a_sentence(source: str) -> None:
    assert _texts(source) == ["Partagez cet article."]


@pytest.mark.parametrize("tag", ["div", "blockquote", "span", "font", "ul><li"])
def test_a_thousand_levels_are_read_to_full_depth(tag: str) -> None:
    name = tag.split(">")[0]
    opening = "".join(f"<{tag}>" for _ in range(1000))
    closing = "".join(f"</{name}>" for _ in range(1000))
    source = f"{opening}Tout au fond, une phrase.{closing}<p>Après.</p>"
    assert _texts(source) == ["Tout au fond, une phrase.", "Après."]


def test_icon_links_side_by_side_are_separate_segments() -> None:
    source = (
        '<div><a href="/f"><svg><path d="M0"/></svg><span>Facebook</span></a>'
        '<a href="/t"><i class="fa-twitter"></i> Twitter</a>'
        '<a href="/m"><img src="m.png"> Courriel</a></div>'
    )
    assert _texts(source) == ["Facebook", "Twitter", "Courriel"]


def test_plain_links_side_by_side_stay_in_their_sentence() -> None:
    source = '<p>Index : <a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a></p>'
    assert _texts(source) == ['Index : <a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a>']


def test_a_thousand_levels_go_through_update_translate_and_export(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    nested = "<div>" * 1000 + "<blockquote>" * 1000 + "Tout au fond, une phrase."
    nested += "</blockquote>" * 1000 + "</div>" * 1000
    (root / "source" / "deep.html").write_text(f"<html><body>{nested}</body></html>", "utf-8")
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    for args in (
        ["update", "-q"],
        ["translate", "--to", "en", "-q"],
        ["export", "--include-fuzzy", "--threshold", "0", "-q"],
    ):
        result = runner.invoke(main, [*args, "--workspace", str(root)])
        assert result.exit_code == 0, result.output
    assert 'msgid "Tout au fond, une phrase."' in (root / "locales" / "deep.pot").read_text()
    edition = (root / "editions" / "en" / "deep.html").read_text(encoding="utf-8")
    assert "Ţöûţ àû ƒöñđ" in edition
