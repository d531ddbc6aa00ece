"""Templates and merges, with `msgmerge --previous` as the reference where semantics overlap."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from tirage.catalog import build_template, merge, plural_forms
from tirage.po.pofile import format_po, parse_po, save_po

from gettext_tools import msgmerge, requires_gettext

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: a\\n"\n'
    '"POT-Creation-Date: 2015-05-01 10:00+0000\\n"\n'
    '"PO-Revision-Date: 2015-05-02 10:00+0000\\n"\n"Last-Translator: Ann <ann@example.org>\\n"\n'
    '"Language-Team: English\\n"\n"Language: en\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
POT_HEADER = HEADER.replace("2015-05-01", "2015-06-01")

OLD = (
    HEADER
    + """\
#: a.txt:1
msgid "Le chat dort sur le canapé."
msgstr "The cat sleeps on the sofa."

#: a.txt:2
msgid "Une phrase supprimée pour de bon."
msgstr "A sentence removed for good."

#: a.txt:3
msgid "Pas encore traduite."
msgstr ""

# tirage-mt: engine=argos; model=translate-fr_en; version=1.9; score=-0.42
#, fuzzy
msgid "Le chien aboie."
msgstr "The dog barks."

#, fuzzy
#| msgid "Ancien texte du train."
msgid "Le train part à midi."
msgstr "The train leaves at noon."

#~ msgid "Une phrase qui revient."
#~ msgstr "A sentence that comes back."
"""
)

NEW = (
    POT_HEADER
    + """\
#: a.txt:1
msgid "Le chat dort sur le canapé rouge."
msgstr ""

#: a.txt:4
msgid "Le chien aboie."
msgstr ""

#: a.txt:5
msgid "Une phrase qui revient."
msgstr ""

#: a.txt:6
msgid "Le train part à midi pile."
msgstr ""

#: a.txt:7
msgid "Une toute nouvelle idée, sans rapport."
msgstr ""
"""
)


def _merge_texts(old: str, new: str) -> str:
    merged, _ = merge(parse_po(old), parse_po(new))
    return format_po(merged)


@requires_gettext
@pytest.mark.parametrize(
    "scenario",
    [
        "unchanged",
        "changed",
        "removed",
        "revived",
        "all",
    ],
)
def test_merge_matches_msgmerge(tmp_path: Path, scenario: str) -> None:
    old, new = _scenario(scenario)
    (tmp_path / "old.po").write_text(old, encoding="utf-8")
    (tmp_path / "new.pot").write_text(new, encoding="utf-8")
    expected = msgmerge(tmp_path / "old.po", tmp_path / "new.pot")
    assert _merge_texts(old, new) == expected


def _scenario(name: str) -> tuple[str, str]:
    if name == "all":
        return OLD, NEW
    entries = {
        "unchanged": ("Le chat dort.", "The cat sleeps.", "Le chat dort."),
        "changed": (
            "Le chat dort sur le canapé.",
            "The cat sleeps on the sofa.",
            "Le chat dort sur le canapé bleu.",
        ),
        "removed": ("Le chat dort.", "The cat sleeps.", "Rien à voir avec ça, vraiment pas."),
    }
    if name == "revived":
        old = HEADER + '#~ msgid "Le chat dort."\n#~ msgstr "The cat sleeps."\n'
        new = POT_HEADER + '#: a.txt:1\nmsgid "Le chat dort."\nmsgstr ""\n'
        return old, new
    source, target, changed = entries[name]
    old = HEADER + f'#: a.txt:1\nmsgid "{source}"\nmsgstr "{target}"\n'
    new = POT_HEADER + f'#: a.txt:1\nmsgid "{changed}"\nmsgstr ""\n'
    return old, new


def test_merge_semantics_spelled_out() -> None:
    merged, report = merge(parse_po(OLD), parse_po(NEW))
    cat = merged.find("Le chat dort sur le canapé rouge.")
    assert cat.msgstr == "The cat sleeps on the sofa." and cat.fuzzy
    assert cat.previous_msgid == "Le chat dort sur le canapé."
    dog = merged.find("Le chien aboie.")
    assert dog.msgstr == "The dog barks." and "tirage-mt: engine=argos" in dog.tcomment
    back = merged.find("Une phrase qui revient.")
    assert back.msgstr == "A sentence that comes back." and not back.fuzzy and not back.obsolete
    train = merged.find("Le train part à midi pile.")
    assert train.previous_msgid == "Ancien texte du train."  # the older text is kept
    gone = [e for e in merged if e.obsolete]
    assert [e.msgid for e in gone] == ["Une phrase supprimée pour de bon."]
    assert merged.find("Pas encore traduite.") is None
    assert (report.kept, report.revived, report.fuzzy, report.added) == (1, 1, 2, 1)


def test_merge_never_loses_a_translation() -> None:
    old = parse_po(OLD)
    merged, _ = merge(old, parse_po(HEADER))
    assert {e.msgstr for e in old if e.msgstr} <= {e.msgstr for e in merged}


def test_template_header_has_generator_and_no_translator_fields(tmp_path: Path) -> None:
    doc_path = tmp_path / "a.txt"
    doc_path.write_text("Titre\n\nUne phrase. Une autre.\n", encoding="utf-8")
    from tirage.readers import read_document

    pot = build_template(read_document(doc_path, tmp_path))
    assert pot.metadata["X-Generator"] == "tirage"
    assert [e.msgid for e in pot] == ["Titre", "Une phrase.", "Une autre."]
    assert [e.comment for e in pot] == ["title", "standfirst", "standfirst"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "nplurals=2; plural=(n != 1);"),
        ("ja", "nplurals=1; plural=0;"),
        ("de", "nplurals=2; plural=(n != 1);"),
    ],
)
def test_plural_forms_from_babel(lang: str, expected: str) -> None:
    assert plural_forms(lang) == expected


def test_save_is_atomic_and_skips_identical(tmp_path: Path) -> None:
    po = parse_po(OLD)
    path = tmp_path / "x.po"
    assert save_po(path, po) is True
    stat = path.stat()
    assert save_po(path, polib.pofile(str(path))) is False
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]  # no temporary file left


@requires_gettext
def test_obsolete_previous_msgid_survives_a_second_merge(tmp_path: Path) -> None:
    """msgmerge writes `#~|` for an obsolete fuzzy entry; polib alone would drop it on the
    next read, and a no-op update would then rewrite the file."""
    old = HEADER + '#, fuzzy\n#| msgid "Ancien."\nmsgid "Nouveau."\nmsgstr "New."\n'
    first = _merge_texts(old, POT_HEADER)
    assert '#~| msgid "Ancien."' in first
    (tmp_path / "old.po").write_text(old, encoding="utf-8")
    (tmp_path / "new.pot").write_text(POT_HEADER, encoding="utf-8")
    assert first == msgmerge(tmp_path / "old.po", tmp_path / "new.pot")
    assert _merge_texts(first, POT_HEADER) == first


def test_update_shortcuts_write_the_same_bytes(tmp_path: Path) -> None:
    """`update` builds a big source's template with the Document released as it goes and
    makes a new catalog from the template's own entries (issue 22's memory): both write
    exactly what the plain template and a merge into an empty catalog write."""
    from tirage.catalog import fresh_catalog, new_catalog
    from tirage.po.pofile import format_pieces
    from tirage.readers import read_document
    from tirage.workspace import load_workspace

    (tmp_path / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["de"]\n', encoding="utf-8"
    )
    source = tmp_path / "a.md"
    repeated = "Une phrase répétée.\n\n"
    source.write_text(
        f"# Titre\n\n{repeated}- Un point. {'Très long. ' * 20}\n\n{repeated}> Une citation.\n",
        encoding="utf-8",
    )
    plain = build_template(read_document(source, tmp_path))
    doc = read_document(source, tmp_path)
    released = build_template(doc, release=True)
    assert doc.blocks == [] and doc.text == ""
    assert format_po(released) == format_po(plain)
    entry = next(e for e in released if e.msgid == "Une phrase répétée.")
    assert entry.occurrences == [("a.md", "3"), ("a.md", "7")]

    ws = load_workspace(tmp_path)
    fresh, report = fresh_catalog(released, "de", ws, "a.md")
    merged, expected = merge(new_catalog(plain, "de", ws, "a.md"), plain)
    assert format_po(fresh) == format_po(merged)
    assert "".join(format_pieces(fresh)) == format_po(merged)
    assert report == expected


def test_remade_entries_are_the_same() -> None:
    """`update` makes a big template's entries again once its Document is freed (issue 22's
    memory): every field comes back as it was, odd characters and repeated lines too."""
    from tirage.entries import TemplateEntry, remake

    entries = [
        TemplateEntry("Une phrase.", "paragraph", "a.md", 3),
        TemplateEntry("Deux 🐈 et \udcff.", "title, paragraph", "a.md", 3),
        TemplateEntry("", "quote", "a.md", 7),
    ]
    entries[1].add_line(9)
    before = [(e.msgid, e.comment, e.occurrences, e.lines) for e in entries]
    remake(entries)
    assert [(e.msgid, e.comment, e.occurrences, e.lines) for e in entries] == before
    assert all(type(e) is TemplateEntry for e in entries)
