"""Plain text as READMEs, changelogs and transcripts write it (readers/text.py, text_lines.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tirage.editions import Translations, render_text
from tirage.readers import read_document


def _segments(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    doc = read_document(page, tmp_path)
    assert render_text(doc, Translations(), "en") == text
    return [(s.role, s.text) for s in doc.segments()]


@pytest.mark.parametrize("marker", ["-", "--", "*", "+", "•", "1.", "2)", "a)"])
def test_a_list_marker_starts_a_segment_without_its_marker(tmp_path: Path, marker: str) -> None:
    text = f"Nouveautés de la version :\n{marker} Chiffrement du fichier\n{marker} Impression\n"
    assert _segments(tmp_path, text)[1:] == [
        ("list_item", "Chiffrement du fichier"),
        ("list_item", "Impression"),
    ]


def test_an_item_goes_on_over_its_indented_lines(tmp_path: Path) -> None:
    text = "Liste :\n\n+ Les dates sont lues selon la langue, sans\n  dates européennes.\n+ Fin\n"
    assert [t for _, t in _segments(tmp_path, text)][1:] == [
        "Les dates sont lues selon la langue, sans dates européennes.",
        "Fin",
    ]


def test_glued_dashes_are_items_where_an_item_may_start(tmp_path: Path) -> None:
    text = "Version\n\n-ajout de l'import\n-prise en charge des devises\n"
    assert [t for _, t in _segments(tmp_path, text)][-2:] == [
        "ajout de l'import",
        "prise en charge des devises",
    ]


@pytest.mark.parametrize(
    "command",
    ["$ make install", "$>./gate3 -p", "% ls -l /tmp", "# cp -R picins/ /usr/share/", "# texhash"],
)
def test_shell_commands_are_not_translated(tmp_path: Path, command: str) -> None:
    text = f"Pour installer, tapez :\n{command}\nPuis relancez le programme.\n"
    assert [t for _, t in _segments(tmp_path, text)] == [
        "Pour installer, tapez :",
        "Puis relancez le programme.",
    ]


def test_a_comment_is_prose_without_its_hash(tmp_path: Path) -> None:
    text = "Commandes :\n\n# compile au format PDF sans images :\n$ make pdf\n"
    assert [t for _, t in _segments(tmp_path, text)][-1] == "compile au format PDF sans images :"


def test_an_indented_code_block_is_not_translated(tmp_path: Path) -> None:
    text = "Changez la ligne\n\n    pool_size = 125000\n    main()\n\nen ceci.\n"
    assert all("pool_size" not in t and "main" not in t for _, t in _segments(tmp_path, text))


def test_an_indented_paragraph_of_sentences_is_prose(tmp_path: Path) -> None:
    text = "Étapes :\n\n    créez un dossier nommé prooftree\n    copiez-y les fichiers\n"
    assert (
        _segments(tmp_path, text)[-1][1] == "créez un dossier nommé prooftree copiez-y les fichiers"
    )


def test_setext_and_decorated_headings(tmp_path: Path) -> None:
    text = "Installation\n============\n\nTexte.\n\n=== Licence ===\n\nLibre.\n"
    assert _segments(tmp_path, text) == [
        ("heading", "Installation"),
        ("paragraph", "Texte."),
        ("heading", "Licence"),
        ("paragraph", "Libre."),
    ]


@pytest.mark.parametrize(
    "line", ["1.2.0 (2024-05-01)", "Version 0.4.0 :", "v2.1 - 12/03/2009", "[1.0.1] - 2026-02-23"]
)
def test_changelog_version_lines_are_not_prose(tmp_path: Path, line: str) -> None:
    text = f"Journal\n\n{line}\n- Corrections de bugs\n"
    assert [t for _, t in _segments(tmp_path, text)] == ["Journal", "Corrections de bugs"]


def test_page_break_repair_does_not_cross_syntax(tmp_path: Path) -> None:
    text = "Tapez\n\n$ make\n\nou\n\n$ make all\n\nou encore rien\n"
    assert [t for _, t in _segments(tmp_path, text)] == ["Tapez", "ou", "ou encore rien"]


def test_a_wrapped_first_sentence_is_not_a_header(tmp_path: Path) -> None:
    text = (
        "Ce dossier contient diverses choses qui peuvent être utiles aux utilisatrices de\n"
        "Grisbi qui veulent :\n\n - un script\n"
    )
    assert _segments(tmp_path, text)[0] == (
        "paragraph",
        "Ce dossier contient diverses choses qui peuvent être utiles aux utilisatrices de "
        "Grisbi qui veulent :",
    )


def test_commands_and_version_lines_are_kept_as_blocks_for_editions(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Notes\n\n1.2.0 (2024-05-01)\n- Corrigé\n\nTapez :\n$ make\n", "utf-8")
    doc = read_document(page, tmp_path)
    assert [(b.role, len(b.segments)) for b in doc.blocks] == [
        ("title", 1),
        ("version", 0),
        ("list_item", 1),
        ("paragraph", 1),
        ("code", 0),
    ]


def test_the_html_edition_shows_commands_as_code_and_items_as_a_list(tmp_path: Path) -> None:
    from tirage.editions import render_html

    page = tmp_path / "page.txt"
    page.write_text("Notes\n\nListe :\n- un\n- deux\n\nTapez :\n$ make <all>\n", "utf-8")
    html = render_html(read_document(page, tmp_path), Translations(), "en", "fr")
    assert '<ul>\n<li><span lang="fr">un</span></li>\n<li>' in html
    assert "<pre><code>$ make &lt;all&gt;</code></pre>" in html


def test_underscore_rules_and_a_version_column(tmp_path: Path) -> None:
    text = (
        "____________\n\n   À propos\n____________\n\n  Journal :\n"
        "        4.0       Ajout de motifs\n        3.0-4.0   Marc L.\n"
    )
    assert _segments(tmp_path, text) == [
        ("heading", "À propos"),
        ("paragraph", "Journal :"),
        ("list_item", "Ajout de motifs"),
        ("list_item", "Marc L."),
    ]


def test_a_line_between_two_rules_is_a_heading(tmp_path: Path) -> None:
    text = "Intro.\n\n======\nLicence\n======\nLibre.\n"
    assert _segments(tmp_path, text) == [
        ("title", "Intro."),
        ("heading", "Licence"),
        ("paragraph", "Libre."),
    ]


def test_a_numbered_question_alone_is_an_interview_question(tmp_path: Path) -> None:
    text = "Entretien\n\nIntro.\n\n1. Pourquoi ?\n\nParce que.\n\n2. Pourquoi ?\n\nEncore.\n"
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    doc = read_document(page, tmp_path)
    assert [(b.role, "repeat" in b.attrs) for b in doc.blocks][2:] == [
        ("question", False),
        ("answer", False),
        ("question", False),  # "2." is not a repeat of "1."
        ("answer", False),
    ]


def test_a_numbered_heading_is_not_a_version_line(tmp_path: Path) -> None:
    text = "Guide\n\nChapitre 2.1\n\nTexte.\n\nVersion 4.0 (2021-11-06)\n"
    assert [t for _, t in _segments(tmp_path, text)] == ["Guide", "Chapitre 2.1", "Texte."]
