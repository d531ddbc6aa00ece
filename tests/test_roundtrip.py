"""From source to edition and back: every reader case survives the same-format writer.

With an empty catalog the edition is the source byte for byte; with every segment translated,
reading the edition again finds exactly the translations, in order (the structure held).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tirage.editions import Translations
from tirage.editions.markdown import render_markdown_source
from tirage.editions.render import trail_text
from tirage.editions.text import render_text
from tirage.readers import read_document

from conftest import DATA, INTERVIEW, REPO

READER_CASES = sorted(p for p in (DATA / "readers").iterdir() if p.suffix in (".txt", ".md"))
CASES = [REPO / "source" / f"{INTERVIEW}.txt", *READER_CASES]


def same_format(path: Path, translations: Translations) -> str:
    doc = read_document(path, path.parent)
    if doc.format == "markdown":
        return render_markdown_source(doc, translations, "en")
    return render_text(doc, translations, "en")


def tagged(msgid: str) -> str:
    # Keeps the msgid's own markup and final punctuation, so the structure can hold.
    return f"EN {msgid}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_empty_catalog_gives_the_source(path: Path) -> None:
    assert same_format(path, Translations()) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_translated_edition_holds_every_translation_in_order(path: Path, tmp_path: Path) -> None:
    doc = read_document(path, path.parent)
    translations = Translations.from_dict({s.text: tagged(s.text) for s in doc.segments()})
    edition = same_format(path, translations)
    position = 0
    curled = edition.replace("’", "'")  # typography curls apostrophes in prose
    for segment in doc.segments():
        wanted = f"EN {segment.text[:12]}"
        if segment.role == "breadcrumb":  # written as a trail: `Lyon › Réseaux`
            wanted = trail_text(wanted)
        found = curled.find(wanted.replace("’", "'"), position)
        if segment.role == "front_matter":  # YAML-quoted and typographic: look for the tag
            found = curled.find("EN ", position)
        assert found >= position, f"{segment.text!r} missing or out of order"
        position = found + 3
    # The structure held: reading the edition again finds the same blocks, in the same roles.
    (tmp_path / path.name).write_text(edition, encoding="utf-8")
    again = read_document(tmp_path / path.name, tmp_path)
    assert [b.role for b in again.blocks] == [b.role for b in doc.blocks]
    if edition.startswith("---\n"):
        data = yaml.safe_load(edition.split("---\n")[1])
        source = yaml.safe_load(doc.text.split("---\n")[1])
        assert data["title"].startswith("EN ")
        assert {k: v for k, v in data.items() if k not in ("title", "description")} == {
            k: v for k, v in source.items() if k not in ("title", "description")
        }
