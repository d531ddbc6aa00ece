"""HTML editions of HTML sources mark every passage left in the source language."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from click.testing import CliRunner

from tirage.cli import main
from tirage.editions import Translations
from tirage.editions.html_source import render_html_source
from tirage.readers.html import read_html

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><title>Titre de la page</title></head><body>
<h1>Un titre</h1>
<p class="x">Première phrase. Deuxième phrase.</p>
<p>Texte traduit. Texte laissé.</p>
<p lang="en">Already English.</p>
<ul><li>Un <b>item</b> ici</li></ul>
<font>Para un<br><br>Para deux</font>
<p>Un <a href="/x">lien.<br><br>coupé</a> ici</p>
<img alt="Une image">
</body></html>
"""


def _render(translations: dict[str, str]) -> str:
    doc = read_html(Path("page.html"), "page.html", PAGE, "fr")
    return render_html_source(doc, Translations.from_dict(translations), "en", False, (), "fr")


def test_whole_elements_get_lang_and_passages_a_span() -> None:
    page = _render({"Texte traduit.": "Translated text.", "Deuxième phrase.": "Second one."})
    assert '<html dir="ltr" lang="en">' in page  # the root is the edition's language
    assert '<title lang="fr">Titre de la page</title>' in page
    assert '<h1 lang="fr">Un titre</h1>' in page
    assert '<p class="x"><span lang="fr">Première phrase.</span> Second one.</p>' in page
    assert '<p>Translated text. <span lang="fr">Texte laissé.</span></p>' in page
    assert '<li lang="fr">Un <b>item</b> ici</li>' in page
    assert '<span lang="fr">Para un</span><br><br><span lang="fr">Para deux</span>' in page


def test_a_passage_the_page_says_is_in_another_language_is_not_marked() -> None:
    assert '<p lang="en">Already English.</p>' in _render({})


def test_a_passage_with_unbalanced_tags_is_never_wrapped() -> None:
    page = _render({})
    assert '<p>Un <a href="/x">lien.<br><br>coupé</a> ici</p>' in page
    assert page.count("<span") == page.count("</span>")


def test_a_fully_translated_page_has_no_mark() -> None:
    doc = read_html(Path("page.html"), "page.html", PAGE, "fr")
    everything = {s.text: f"EN {s.text}" for s in doc.segments()}
    assert 'lang="fr"' not in _render(everything)


def test_export_says_only_the_marks_it_made(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "source" / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n', encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(main, ["update", "-q", "--workspace", str(root)]).exit_code == 0
    po_path = root / "locales" / "en" / "page.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        if not entry.msgid.startswith(("Texte laissé", "Titre de la page")):
            entry.msgstr = "Done in English."
    po.save(str(po_path))
    args = ["export", "--to", "en", "--threshold", "0", "--workspace", str(root)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert re.search(r'passage\(s\) left in French, marked lang="fr"\n', result.output)
    assert "[fr]" not in result.output
    html = (root / "editions" / "en" / "page.html").read_text(encoding="utf-8")
    assert '<title lang="fr">' in html and '<span lang="fr">Texte laissé.</span>' in html
