"""Fuzzy donors found as `msgmerge --previous` finds them, held to msgmerge over random
catalogs and templates: the same translated, fuzzy and untranslated entries, the same `#|`
lines, and in fact the same file byte for byte."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tirage.catalog import merge
from tirage.po.fuzzy import FuzzyIndex
from tirage.po.pofile import format_po, parse_po

from gettext_tools import requires_gettext

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: a\\n"\n'
    '"POT-Creation-Date: 2015-05-01 10:00+0000\\n"\n"Language: en\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def entry(msgid: str, msgstr: str = "", **fields: object) -> str:
    lines = []
    if fields.get("fuzzy"):
        lines.append("#, fuzzy")
    prefix = "#~ " if fields.get("obsolete") else ""
    if fields.get("previous"):
        lines.append(f'{prefix.strip() or "#"}| msgid "{fields["previous"]}"')
    if fields.get("msgctxt") is not None:
        lines.append(f'{prefix}msgctxt "{fields["msgctxt"]}"')
    lines += [f'{prefix}msgid "{msgid}"', f'{prefix}msgstr "{msgstr}"']
    return "\n".join(lines) + "\n"


def test_an_exact_match_still_lends_its_translation() -> None:
    """Issue 20's case: "Il sourit." keeps its translation and lends it to "Mikaël sourit."."""
    old = parse_po(HEADER + entry("Il sourit.", "He smiled."))
    new = parse_po(HEADER + entry("Il sourit.") + "\n" + entry("Mikaël sourit."))
    merged, report = merge(old, new)
    mikael = merged.find("Mikaël sourit.")
    assert mikael.msgstr == "He smiled." and mikael.fuzzy
    assert mikael.previous_msgid == "Il sourit."
    assert merged.find("Il sourit.").msgstr == "He smiled."
    assert (report.kept, report.fuzzy) == (1, 1)


def test_the_search_follows_msgmerge_in_its_blind_spot() -> None:
    """ "close" and "c l o s e" score 0.71 but share no 4-gram: msgmerge never tries it."""
    old = parse_po(HEADER + entry("c l o s e", "x"))
    assert FuzzyIndex(list(old)).search(None, "close") is None


# --- differential, against msgmerge ----------------------------------------------------------

WORDS = ["Il", "sourit", "Mikaël", "le", "chat", "dort", "sur", "été", "ab", "a", "x", "chien"]
msgids = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    st.sampled_from(["", ".", " ?", "!"]),
)
contexts = st.sampled_from([None, None, None, "menu", "titre"])


@st.composite
def old_entries(draw: st.DrawFn) -> dict[str, object]:
    msgstr = draw(st.sampled_from(["", "", "One.", "Two.", "Three three.", "Quatre."]))
    return {
        "msgid": draw(msgids),
        "msgctxt": draw(contexts),
        "msgstr": msgstr,
        "fuzzy": bool(msgstr) and draw(st.booleans()),
        "previous": draw(st.one_of(st.none(), msgids)),
        "obsolete": draw(st.booleans()) and draw(st.booleans()),
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(st.lists(old_entries(), max_size=8, unique_by=lambda e: (e["msgctxt"], e["msgid"])))
    reused = [(e["msgctxt"], e["msgid"]) for e in old if draw(st.booleans())]
    fresh = draw(st.lists(st.tuples(contexts, msgids), max_size=6))
    keys = list(dict.fromkeys([*reused, *fresh]))
    draw(st.randoms()).shuffle(keys)
    old_text = HEADER + "\n".join(
        entry(
            str(e["msgid"]),
            str(e["msgstr"]),
            msgctxt=e["msgctxt"],
            fuzzy=e["fuzzy"],
            previous=e["previous"] if e["fuzzy"] else None,
            obsolete=e["obsolete"],
        )
        for e in sorted(old, key=lambda e: bool(e["obsolete"]))
    )
    new_text = HEADER + "\n".join(entry(msgid, msgctxt=ctx) for ctx, msgid in keys)
    return old_text, new_text


def states(po: polib.POFile) -> dict[tuple[str | None, str], tuple[object, ...]]:
    """Each live entry's state, translation and `#|` lines."""
    result: dict[tuple[str | None, str], tuple[object, ...]] = {}
    for e in po:
        if e.obsolete or (e.msgid == "" and e.msgctxt is None):
            continue
        state = "untranslated" if not e.msgstr else "fuzzy" if e.fuzzy else "translated"
        result[(e.msgctxt, e.msgid)] = (state, e.msgstr, e.previous_msgctxt, e.previous_msgid)
    return result


def msgmerge(old: str, new: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "old.po").write_text(old, encoding="utf-8")
        Path(folder, "new.pot").write_text(new, encoding="utf-8")
        done = subprocess.run(
            ["msgmerge", "--previous", "-q", "old.po", "new.pot", "-o", "-"],
            cwd=folder,
            capture_output=True,
            check=True,
        )
    return done.stdout.decode("utf-8")


@requires_gettext
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
@example(
    (
        HEADER + entry("Il sourit.", "He smiled."),
        HEADER + entry("Il sourit.") + "\n" + entry("Mikaël sourit."),
    )
)
def test_fuzzy_donors_match_msgmerge(case: tuple[str, str]) -> None:
    old, new = case
    text = msgmerge(old, new)
    merged, _ = merge(parse_po(old), parse_po(new))
    assert states(merged) == states(parse_po(text))
    if len(parse_po(new)):  # (for a template without messages msgcat writes nothing at all)
        assert format_po(merged) == text
