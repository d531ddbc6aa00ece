"""`MessagesDigest`: what lets `update` leave a file alone. Catalogs with the same digest
must be written the same, so every field `format_po` writes must change it, and the line
breaking of the file it was read from must not."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from tirage.po.pofile import format_po, messages_digest, parse_po

from conftest import DATA
from gettext_tools import requires_gettext

REAL = sorted((DATA / "pofile" / "real").glob("*.po"))


def _catalog() -> polib.POFile:
    return parse_po((DATA / "pofile" / "real" / "ndisc6-de.po").read_text(encoding="utf-8"))


@requires_gettext
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_the_same_messages_in_another_layout_have_the_same_digest(
    path: Path, tmp_path: Path
) -> None:
    po = parse_po(path.read_text(encoding="utf-8"))
    unwrapped = subprocess.run(
        ["msgcat", "--no-wrap", "-w", "20", str(path)], check=True, capture_output=True
    ).stdout.decode("utf-8")
    assert unwrapped != format_po(po)
    assert messages_digest(parse_po(unwrapped)) == messages_digest(po)
    assert messages_digest(parse_po(format_po(po))) == messages_digest(po)


def _plural(e: polib.POEntry) -> None:
    e.msgid_plural, e.msgstr_plural = "plural", {0: e.msgstr, 1: "x"}


CHANGES: dict[str, Callable[[polib.POEntry], None]] = {
    "msgctxt": lambda e: setattr(e, "msgctxt", "ctx"),
    "msgid": lambda e: setattr(e, "msgid", e.msgid + " "),
    "msgid_plural": _plural,
    "msgstr": lambda e: setattr(e, "msgstr", e.msgstr + "!"),
    "comment": lambda e: setattr(e, "comment", "extracted"),
    "tcomment": lambda e: setattr(e, "tcomment", "a translator's note"),
    "occurrences": lambda e: e.occurrences.append(("other.c", "3")),
    "flags": lambda e: e.flags.append("fuzzy"),
    "previous_msgctxt": lambda e: setattr(e, "previous_msgctxt", "old"),
    "previous_msgid": lambda e: setattr(e, "previous_msgid", "old"),
    "previous_msgid_plural": lambda e: setattr(e, "previous_msgid_plural", "olds"),
    "obsolete": lambda e: setattr(e, "obsolete", True),
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_every_field_written_changes_the_digest(field: str) -> None:
    po = _catalog()
    before = messages_digest(po)
    changed = copy.deepcopy(po)
    entry = next(e for e in changed if e.msgstr and not e.obsolete)
    CHANGES[field](entry)
    assert format_po(changed) != format_po(po)
    assert messages_digest(changed) != before


def test_the_header_and_the_order_change_the_digest() -> None:
    po = _catalog()
    before = messages_digest(po)
    header = copy.deepcopy(po)
    header.metadata["Language-Team"] = "Someone else"
    assert messages_digest(header) != before
    comment = copy.deepcopy(po)
    comment.header = "Another header comment"
    assert messages_digest(comment) != before
    swapped = copy.deepcopy(po)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert messages_digest(swapped) != before


def test_what_is_not_written_does_not_count() -> None:
    """An obsolete message without a translation is dropped by msgcat and `format_po`."""
    po = _catalog()
    before = messages_digest(po)
    po.append(polib.POEntry(msgid="gone", msgstr="", obsolete=True))
    assert messages_digest(po) == before
