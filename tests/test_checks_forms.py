"""check: local time and number forms, and marks counted in the syntax of their source."""

from __future__ import annotations

import polib
import pytest

from tirage.quality.checks import Context, check_entry, check_pair
from tirage.text.protect import find_protected


def _numbers(source: str, target: str) -> list[str]:
    return [
        text
        for check, text in check_pair(source, target, Context("fr", "en"))
        if check.name == "numbers"
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Départ à 5h45.", "Departure at 5:45 am."),
        ("Départ à 5 h 45.", "Departure at 5:45."),
        ("Ouvert dès 17h.", "Open from 5 pm."),
        ("À 17 h 30 précises.", "At 5:30 pm sharp."),
        ("À 17h30.", "At 17:30."),
        ("Entre 9h et 18h.", "Between 9 am and 6 pm."),
        ("Le 1er mai.", "On May 1st."),
        ("Le 2e étage.", "The 2nd floor."),
        ("Au XIXe siècle.", "In the 19th century."),
        ("Au XIXe siècle.", "In the nineteenth century."),
        ("Ce 2e jour, de 5 à 500.", "This 2nd day, from 5 to 500."),
    ],
)
def test_local_time_and_number_forms_are_read(source: str, target: str) -> None:
    assert _numbers(source, target) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [("Départ à 5h45.", "Departure at 6:45."), ("Ouvert dès 17h.", "Open from 4 pm.")],
)
def test_a_wrong_time_is_still_an_error(source: str, target: str) -> None:
    assert _numbers(source, target)


def _entry(msgid: str, msgstr: str, source: str) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(source, "3")])
    return [check.name for check, _ in check_entry(entry, Context("fr", "en"))]


def test_markdown_marks_count_only_in_markdown() -> None:
    assert _entry("Un _mot_ ici.", "A word here.", "source/page.md") == ["placeholders"]
    assert _entry("Un _mot_ ici.", "A word here.", "source/page.html") == []
    assert _entry("Un _mot_ ici.", "A word here.", "source/page.txt") == []
    assert _entry("Le fichier a_b_c.", "The file a_b_c.", "source/page.html") == []


def test_tags_count_only_in_html_and_markdown() -> None:
    msgid, msgstr = "Voir <b>ceci</b>.", "See this."
    assert _entry(msgid, msgstr, "source/page.html") == ["html-tags", "html-tags"]
    assert _entry(msgid, msgstr, "source/page.md") == ["html-tags", "html-tags"]
    assert _entry(msgid, msgstr, "source/page.txt") == []


def test_an_unclosed_code_tag_is_no_element() -> None:
    text = "Voir <code/simple.ada> pour un exemple de code Ada."
    assert [text[a:b] for a, b in find_protected(text)] == ["<code/simple.ada>"]
