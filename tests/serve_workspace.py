"""A small workspace for the review desk's tests, made with tirage's own commands: two
Markdown articles, `update`, a first pass over one of them by real engines (Apertium into
Spanish, pseudo-localisation into English), and reviewed catalogs of the other, so that
the memory has a match to offer."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from tirage.cli import main
from tirage.po.pofile import read_po, save_po
from tirage.review import mark_reviewed

from conftest import REPO

ARTICLE = """\
# Le rapport annuel

Bien sûr. En a-t-elle les moyens ? Le label nous a poussés.

Depuis 2008, nous portons l'ambition.

Au niveau international, c'est bien.
"""
OTHER = """\
# Une autre lettre

En a-t-il les moyens ?
"""
REVIEWED = {
    "en": {
        "Une autre lettre": "Another letter",
        "En a-t-il les moyens ?": "Does he have the means?",
    },
    "es": {"Une autre lettre": "Otra carta", "En a-t-il les moyens ?": "¿Tiene él los medios?"},
}
MATCHED = "En a-t-elle les moyens ?"  # the memory offers "En a-t-il les moyens ?"


def make_workspace(root: Path) -> Path:
    """`root` becomes a workspace (fr → en, es) ready for review; the Spanish catalog."""
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "glossary.csv", root / "glossary.csv")
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en", "es"]\n\n'
        '[team]\ntranslator = "Rita Reviewer <rita@example.org>"\n',
        encoding="utf-8",
    )
    (root / "source" / "doc.md").write_text(ARTICLE, encoding="utf-8")
    (root / "source" / "other.md").write_text(OTHER, encoding="utf-8")
    runner = CliRunner()
    for argv in (
        ["update"],
        ["translate", "--engine", "pseudo", "--to", "en", "--doc", "doc"],
        ["translate", "--engine", "apertium", "--to", "es", "--doc", "doc"],
    ):
        result = runner.invoke(main, [*argv, "-w", str(root)])
        assert result.exit_code == 0, result.output
    for lang, texts in REVIEWED.items():
        other = root / "locales" / lang / "other.po"
        po = read_po(other)
        for entry in po:
            if entry.msgid in texts:
                entry.msgstr = texts[entry.msgid]
                mark_reviewed(entry)
        save_po(other, po)
    return root / "locales" / "es" / "doc.po"
