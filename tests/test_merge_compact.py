"""A merge into a template `update` made (its entries remade, their msgids kept as bytes)
keeps the old catalog's translations in compact form (issue 22's memory): it writes exactly
what a merge into the same template read by polib writes, whatever the old messages hold."""

from __future__ import annotations

import polib

from tirage.catalog import merge
from tirage.entries import TemplateEntry, TranslatedEntry, remake
from tirage.po.pofile import format_po, parse_po

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: a\\n"\n'
    '"POT-Creation-Date: 2015-05-01 10:00+0000\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)

# Every kind of old message: translated as it is, with a translator's comment, flags or a
# previous msgid, in a context, plural, obsolete, untranslated with a comment, a later one
# with the same msgid, one the new template no longer has, one that lends fuzzily.
OLD = (
    HEADER
    + """\
#: a.md:1
msgid "Le chat dort sur le canapé."
msgstr "Die Katze schläft auf dem Sofa."

# Ein Kommentar.
#: a.md:2
msgid "Le chien aboie."
msgstr "Der Hund bellt."

#, fuzzy
#| msgid "Le train part."
msgid "Le train part à midi."
msgstr "Der Zug fährt mittags."

msgctxt "menu"
msgid "Fichier"
msgstr "Datei"

msgid "Un fichier"
msgid_plural "Des fichiers"
msgstr[0] "Eine Datei"
msgstr[1] "Dateien"

# Noch nicht.
msgid "Pas encore traduite."
msgstr ""

#~ msgid "Une phrase qui revient 🐈."
#~ msgstr "Ein Satz, der zurückkommt 🐈."

#: a.md:9
msgid "Une phrase supprimée pour de bon."
msgstr "Ein Satz, für immer weg."

#: a.md:10
msgid "Deux fois la même."
msgstr "Zweimal, erstes."

#~ msgid "Une vieille phrase oubliée depuis longtemps."
#~ msgstr "Ein alter, lange vergessener Satz."
"""
)

NEW = [
    "Le chat dort sur le canapé.",
    "Le chien aboie.",
    "Le train part à midi.",
    "Fichier",
    "Un fichier",
    "Pas encore traduite.",
    "Une phrase qui revient 🐈.",
    "Deux fois la même.",
    "Le chat dort sur le canapé rouge.",
    "Une toute nouvelle idée, sans rapport.",
]


def _old(text: str = OLD) -> polib.POFile:
    """The old catalog, with a later message of the same msgid (which takes its place)."""
    old = parse_po(text)
    old.append(polib.POEntry(msgid="Deux fois la même.", msgstr="Zweimal, zweites."))
    return old


def _templates() -> tuple[polib.POFile, polib.POFile]:
    """The template as `update` makes it (remade), and the same read by polib."""
    remade = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    remade.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    remade.extend(
        TemplateEntry(msgid, "paragraph", "a.md", line) for line, msgid in enumerate(NEW, 1)
    )
    remade[2].add_line(20)
    remake(remade)
    return remade, parse_po(format_po(remade))


def test_a_merge_into_a_remade_template_writes_what_polib_entries_do() -> None:
    remade, parsed = _templates()
    assert type(remade[0]) is TemplateEntry and isinstance(remade[0].at, int)
    compact, report = merge(_old(), remade)
    plain, expected = merge(_old(), parsed)
    assert format_po(compact) == format_po(plain)
    assert report == expected
    assert (report.kept, report.fuzzy, report.added, report.revived) == (6, 2, 1, 1)
    # The usual message, a translation and nothing else, is the small entry.
    assert type(compact[0]) is TranslatedEntry
    assert compact[0].msgstr == "Die Katze schläft auf dem Sofa."
    assert compact[0].occurrences == [("a.md", "1")]


def test_a_remade_template_merged_twice_keeps_each_merge_its_own() -> None:
    """Two languages merge the same template: each catalog keeps its own translations."""
    remade, _ = _templates()
    german, _ = merge(_old(), remade)
    french, _ = merge(_old(OLD.replace("Die Katze", "Le matou")), remade)
    assert german[0].msgstr.startswith("Die Katze")
    assert french[0].msgstr.startswith("Le matou")
    assert format_po(remade).count('msgstr ""') == len(NEW)  # the template untouched
