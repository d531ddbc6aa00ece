"""The repository's own catalogs are honest: who translated, how, and how far reviewed.

The header, the entry states and the credit an edition prints from them must agree, and a
provenance record names only a real engine of tirage (a human translation has none)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tirage.editions.credit import credit_from_po, credit_line
from tirage.mt import ENGINES
from tirage.po.pofile import read_po
from tirage.provenance import get_provenance
from tirage.quality.stats import TRANSLATED, catalog_stats

from conftest import REPO

CATALOGS = sorted((REPO / "locales").glob("*/*.po"))
UNCHECKED = re.compile(r"not (yet )?(checked|reviewed)", re.I)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_provenance_names_only_tirage_engines(path: Path) -> None:
    for entry in read_po(path):
        provenance = get_provenance(entry)
        if provenance is not None:
            assert provenance.engine in (*ENGINES, "memory"), f"{entry.msgid!r}: {provenance}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_header_states_and_credit_agree(path: Path) -> None:
    po = read_po(path)
    stats = catalog_stats(po, path.stem, path.parent.name, path)
    all_reviewed = stats.segments[TRANSLATED] == stats.total
    header = po.header or ""
    if all_reviewed:
        assert not UNCHECKED.search(header), header
        assert "reviewed" in header  # says how the translation was made and checked
        assert po.metadata["Last-Translator"] == "tirage contributors"
        credit = credit_line(credit_from_po(po, "fr", False), path.parent.name)
        assert "tirage contributors" in credit
        # A human translation: no machine-translation record anywhere.
        assert all(get_provenance(e) is None for e in po)
    elif "reviewed" in header and not UNCHECKED.search(header):
        pytest.fail(f"{path.name}: the header claims a review the states do not show")
