"""Edition writers: golden files for the interview and a Markdown sample, span replacement,
fallbacks and escaping.

Regenerate the golden files with `TIRAGE_REGEN_GOLDEN=1 pytest tests/test_editions.py`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polib
import pytest

from tirage.document import Block, Document, Segment
from tirage.editions import Translations, render_html, render_markdown, render_text
from tirage.editions.credit import Credit, credit_from_po, credit_line
from tirage.editions.metadata import EditionContext, Links, Publication
from tirage.editions.render import Edit, apply_edits, segment_edits
from tirage.readers import read_document
from tirage.text.glossary import load_glossary

from conftest import DATA, INTERVIEW, REPO
from golden import assert_golden

GOLDEN = DATA / "editions"
REAL_EN_PO = REPO / "locales" / "en" / f"{INTERVIEW}.po"
CREDIT = "Translated from French by Jane Doe, May 28, 2015."
KEEP = load_glossary(REPO / "glossary.csv").keep  # names typography leaves as written


def pseudo(msgid: str) -> str:
    """A stand-in translation that is visibly not the source and exercises typography:
    French guillemets become straight quotes, which the English table must curl."""
    text = msgid.replace("« ", '"').replace(" »", '"')
    return "‹" + text + "›"


def pseudo_catalog(doc: Document) -> Translations:
    return Translations.from_dict({s.text: pseudo(s.text) for s in doc.segments()})


@pytest.fixture(scope="module")
def interview() -> Document:
    return read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)


@pytest.fixture(scope="module")
def sample_md() -> Document:
    return read_document(GOLDEN / "sample.md", GOLDEN)


def render(doc: Document, translations: Translations, fmt: str) -> str:
    if fmt == "txt":
        return render_text(doc, translations, "en", keep=KEEP)
    if fmt == "md":
        return render_markdown(doc, translations, "en", credit=CREDIT, keep=KEEP)
    links = Links.build(Publication(), "fr", ["en", "es"], doc.stem)
    context = EditionContext(links, credit=Credit("fr", "Jane Doe", date(2015, 5, 28)))
    return render_html(doc, translations, "en", "fr", credit=CREDIT, context=context, keep=KEEP)


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_interview_pseudo_golden(interview: Document, fmt: str) -> None:
    actual = render(interview, pseudo_catalog(interview), fmt)
    assert_golden(actual, GOLDEN / "pseudo" / f"{INTERVIEW}.{fmt}")


def _real_en() -> polib.POFile | None:
    if not REAL_EN_PO.is_file():
        return None
    po = polib.pofile(str(REAL_EN_PO))
    done = all(e.msgstr and "fuzzy" not in e.flags for e in po if not e.obsolete)
    return po if done and len(po) else None


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_interview_english_golden(interview: Document, fmt: str) -> None:
    """The published English edition, from the reviewed catalog in locales/en/."""
    po = _real_en()
    if po is None:
        pytest.skip("locales/en catalog not complete and reviewed yet")
    translations = Translations.from_po(po)
    credit = credit_line(credit_from_po(po, "fr", False), "en")
    if fmt == "txt":
        actual = render_text(interview, translations, "en", credit=credit, keep=KEEP)
    elif fmt == "md":
        actual = render_markdown(interview, translations, "en", credit=credit, keep=KEEP)
    else:
        links = Links.build(Publication(), "fr", ["en"], INTERVIEW)
        context = EditionContext(links, credit=credit_from_po(po, "fr", False))
        actual = render_html(
            interview, translations, "en", "fr", credit=credit, context=context, keep=KEEP
        )
    assert_golden(actual, GOLDEN / "en" / f"{INTERVIEW}.{fmt}")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_sample_golden(sample_md: Document, fmt: str) -> None:
    actual = render(sample_md, pseudo_catalog(sample_md), fmt)
    assert_golden(actual, GOLDEN / "pseudo" / f"sample.{fmt}")


def test_empty_catalog_gives_the_source(interview: Document, sample_md: Document) -> None:
    assert render_text(interview, Translations(), "en") == interview.text
    assert render_markdown(sample_md, Translations(), "en") == sample_md.text


def test_untouched_markup_survives(sample_md: Document) -> None:
    out = render_markdown(sample_md, pseudo_catalog(sample_md), "en")
    for kept in [
        "date: 2015-05-28\n",
        "tags: [lyon, numérique]\n",
        '```python\nprint("pas traduit")\n```',
        "|-------|------|",
        "- ‹Premier",
        "> ‹Une citation",
    ]:
        assert kept in out
    assert 'title: "‹Le “numérique” en région›"' in out


def test_page_break_sentence_goes_in_the_first_place(interview: Document) -> None:
    broken = [s for s in interview.segments() if len(s.pieces) > 1]
    assert broken, "the interview has a sentence cut by a page break"
    out = render_text(interview, pseudo_catalog(interview), "en")
    assert "‹L’enjeu de la mondialisation devrait aider.› ‹Les villes" in out
    assert "\nde la mondialisation" not in out


def test_gap_with_text_is_kept() -> None:
    text = "Début de\n[PAGE 2]\nla phrase."
    seg = Segment("Début de la phrase.", "paragraph", 1, ((0, 8), (18, 28)))
    edits = segment_edits(text, seg, "Start of the sentence.")
    assert apply_edits(text, edits) == "Start of the sentence.\n[PAGE 2]\n"


def test_apply_edits_window_clips() -> None:
    text = "aaa bbb ccc"
    edits = [Edit(0, 3, "X"), Edit(3, 8, "")]
    assert apply_edits(text, edits, (0, 5)) == "X"
    assert apply_edits(text, edits, (4, 11)) == "ccc"


def _doc(text: str, role: str = "answer") -> Document:
    seg = Segment(text, role, 1, ((0, len(text)),))
    return Document(
        Path("x.txt"), "source/x.txt", "text", text, [Block(role, (0, len(text)), 1, [seg])]
    )


def test_html_escapes_a_malicious_translation() -> None:
    doc = _doc("Bonjour.")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = render_html(doc, Translations.from_dict({"Bonjour.": evil}), "en", "fr")
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert" in html
    assert "script-src" not in html and "default-src 'none'" in html


def test_html_marks_fallbacks_with_the_source_language() -> None:
    text = "Une phrase. Une autre."
    segs = [
        Segment("Une phrase.", "answer", 1, ((0, 11),)),
        Segment("Une autre.", "answer", 1, ((12, 22),)),
    ]
    doc = Document(Path("x.txt"), "source/x.txt", "text", text, [Block("answer", (0, 22), 1, segs)])
    html = render_html(doc, Translations.from_dict({"Une phrase.": "A sentence."}), "en", "fr")
    assert '<p class="answer">A sentence. <span lang="fr">Une autre.</span></p>' in html


def test_fuzzy_used_only_when_asked() -> None:
    doc = _doc("Oui.")
    fuzzy = Translations.from_dict({"Oui.": "Yes."}, fuzzy=True)
    assert render_text(doc, fuzzy, "en") == "Oui."
    assert render_text(doc, fuzzy, "en", include_fuzzy=True) == "Yes."


def test_html_frame(interview: Document) -> None:
    html = render(interview, pseudo_catalog(interview), "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert (
        '<link rel="alternate" hreflang="es" href="../es/interview-thierry-alvergnat.html">' in html
    )
    assert len(re.findall(r'<h2 class="question">', html)) == 6
    assert html.count('class="title"') == 1  # the repeated title is written once
    assert not re.search(r"(src|href)=\"https?:", html)


def test_rtl_direction() -> None:
    html = render_html(_doc("Oui."), Translations.from_dict({"Oui.": "نعم."}), "ar", "fr")
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Translated from French by Jane Doe, May 28, 2015."),
        ("es", "Traducido del francés por Jane Doe, 28 de mayo de 2015."),
        ("de", "Übersetzt aus dem Französischen von Jane Doe, 28. Mai 2015."),
        ("it", "Translated from French by Jane Doe, May 28, 2015."),
    ],
)
def test_credit_line(lang: str, expected: str) -> None:
    po = polib.POFile()
    po.metadata = {
        "Last-Translator": "Jane Doe <jane@example.org>",
        "PO-Revision-Date": "2015-05-28 10:00+0200",
    }
    assert credit_line(credit_from_po(po, "fr", False), lang) == expected


def test_credit_french_and_unreviewed() -> None:
    line = credit_line(Credit("en", unreviewed=True), "fr")
    assert line == "Traduit de l’anglais. Certains passages ne sont pas encore relus."


def test_reference_definition_title_is_translated_and_url_kept(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text('Voir [le guide][g].\n\n[g]: https://ex.org/l\'a "Le guide"\n', "utf-8")
    doc = read_document(path, tmp_path)
    both = Translations.from_dict(
        {"Voir [le guide][g].": "See [the guide][g].", "Le guide": 'The "guide"'}
    )
    md = render_markdown(doc, both, "en")
    assert md == 'See [the guide][g].\n\n[g]: https://ex.org/l\'a "The “guide”"\n'
    html = render_html(doc, both, "en", "fr")
    assert 'href="https://ex.org/l\'a" title="The “guide”"' in html
    untranslated = render_html(
        doc, Translations.from_dict({"Voir [le guide][g].": "See [it][g]."}), "en", "fr"
    )
    assert 'title="Le guide"' in untranslated


def test_breadcrumb_is_a_trail(interview: Document) -> None:
    translations = Translations.from_dict({"Lyon # Réseaux d'accompagnement": "Lyon # Networks"})
    html = render_html(interview, translations, "en", "fr")
    assert (
        '<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li>Lyon</li><li>'
        '<span class="sep" aria-hidden="true">›</span>Networks</li></ol></nav>'
    ) in html
    assert "Lyon › Networks\n" in render_markdown(interview, translations, "en")
    assert "\nLyon › Networks\n" in render_text(interview, translations, "en")
    assert " # " not in render_markdown(interview, translations, "en").split("\n\n")[2]
    # An untranslated trail keeps its source language on each item.
    html = render_html(interview, Translations(), "en", "fr")
    assert '<li><span lang="fr">Lyon</span></li>' in html
    assert (
        '<span class="sep" aria-hidden="true">›</span><span lang="fr">Réseaux d'
        "'accompagnement</span></li>"
    ) in html


@pytest.mark.parametrize(
    ("lang", "left", "expected"),
    [
        ("en", 1, "Translated from French. One passage is left in French."),
        ("en", 3, "Translated from French. 3 passages are left in French."),
        ("es", 2, "Traducido del francés. 2 pasajes quedan en francés."),
        ("de", 1, "Übersetzt aus dem Französischen. Eine Passage bleibt auf Französisch."),
    ],
)
def test_credit_says_what_is_left_in_the_source_language(
    lang: str, left: int, expected: str
) -> None:
    assert credit_line(Credit("fr", untranslated=left), lang) == expected


def test_credit_french_source_left_in_english() -> None:
    line = credit_line(Credit("en", untranslated=2), "fr")
    assert line == "Traduit de l’anglais. 2 passages restent en anglais."


def test_labels_only_where_asked(interview: Document, sample_md: Document) -> None:
    """Labels and credit are the export's to ask for: with neither, the source stays as is."""
    assert render_text(interview, Translations(), "en", credit="", fallback_lang="") == (
        interview.text
    )
    one = Translations.from_dict({"Bien sûr.": "Of course."})
    text = render_text(interview, one, "en", fallback_lang="fr")
    assert "Of course. [fr] Et nous avons pu" in text
    md = render_markdown(sample_md, pseudo_catalog(sample_md), "en", fallback_lang="fr")
    assert "[fr]" not in md  # everything translated: nothing to label
    first = next(s for s in sample_md.segments() if s.role == "heading")
    md = render_markdown(
        sample_md, Translations.from_dict({first.text: "Title"}), "en", fallback_lang="fr"
    )
    assert "\\[fr\\] " in md
    assert "title: \\[fr\\]" not in md and "title: [fr]" not in md  # YAML keeps its value
