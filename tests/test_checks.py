"""Quality checks: golden outputs on seeded errors, clean catalogs that pass, the CLI."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.po.pofile import read_po, save_po
from tirage.quality.checks import (
    CHECKS,
    ERROR,
    WARNING,
    Context,
    check_files,
    check_pair,
    numbers_in,
)
from tirage.text.glossary import load_glossary

from conftest import INTERVIEW
from golden import assert_golden

DATA = Path(__file__).parent / "data" / "checks"
CATALOGS = sorted(p.name for p in DATA.glob("*.po"))


def context_for(name: str) -> Context:
    """`seeded.fr-en.po` checks French sources against English translations."""
    source, target = name.split(".")[1].split("-")
    glossary = load_glossary(DATA / "glossary.csv")
    return Context(source, target, tuple(glossary.keep), glossary.forced(target))


@pytest.mark.parametrize("name", CATALOGS)
def test_golden_findings(name: str) -> None:
    path = DATA / name
    findings = check_files([(path, name)], context_for(name))
    actual = "".join(f.format() + "\n" for f in findings)
    assert_golden(actual, path.with_suffix(".expect"))
    if name.startswith("clean."):
        assert actual == ""
    else:
        assert actual


def test_every_check_is_exercised_by_the_seeded_catalogs() -> None:
    seen = set()
    for name in CATALOGS:
        if name.startswith("seeded."):
            seen |= {f.check for f in check_files([(DATA / name, name)], context_for(name))}
    assert seen == {check.name for check in CHECKS}
    assert {check.severity for check in CHECKS} == {ERROR, WARNING}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("3,5 %", "fr", ["3.5"]),
        ("3.5%", "en", ["3.5"]),
        ("1\u202f200 et 1 200 et 1\u00a0200", "fr", ["1200", "1200", "1200"]),
        ("1,200 and 1,200.5", "en", ["1200", "1200.5"]),
        ("1.200,5", "de", ["1200.5"]),
        ("2.500", "es", ["2500"]),
        ("1, 2 and 3", "en", ["1", "2", "3"]),
        ("en 2008, 12 entreprises", "fr", ["2008", "12"]),
        ("voir https://x.example/2014 et {0} ⟦1⟧", "fr", []),
    ],
)
def test_numbers_are_read_per_locale(text: str, lang: str, expected: list[str]) -> None:
    assert numbers_in(text, lang) == [Decimal(v).normalize() for v in expected]


@pytest.mark.parametrize(
    ("source", "target", "lang", "check"),
    [
        ("Pourquoi\u202f?", "Why?", "en", None),
        ("Pourquoi\u202f?", "Why ?", "en", "punctuation-spacing"),
        ("Why?", "Pourquoi\u202f?", "fr", None),
        ("Why?", "Pourquoi\u00a0?", "fr", "punctuation-spacing"),
        ("Note: x.", "Note\u00a0: x.", "fr", None),  # a full no-break space is fine before :
        ("See http://x.example/a:b.", "Voir http://x.example/a:b.", "fr", None),
        ("Nous nous voyons.", "We see each other.", "en", None),
        ("We see us.", "Nous nous voyons.", "fr", None),
        ("3,5 %", "3.5 %", "en", None),
        ("3,5 %", "3,5 %", "en", "numbers"),
    ],
)
def test_single_pairs(source: str, target: str, lang: str, check: str | None) -> None:
    src = "en" if lang == "fr" else "fr"
    names = {item.name for item, _ in check_pair(source, target, Context(src, lang))}
    names.discard("length-ratio")
    assert names == ({check} if check else set())


def test_check_command(workspace: Path, runner: CliRunner) -> None:
    shutil.copy(DATA / "glossary.csv", workspace / "glossary.csv")
    result = runner.invoke(main, ["update", "-q", "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["check", "-w", str(workspace)])
    assert result.exit_code == 0, result.output  # nothing translated, nothing wrong
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    entry = next(e for e in po if e.msgid.startswith("Depuis 2008"))
    entry.msgstr = "Since 2009, with the birth of the Lyon cluster Edit, we carry the ambition."
    question = next(e for e in po if e.msgid.endswith("?"))
    question.msgstr = "Is it so ?"
    question.flags.append("fuzzy")
    save_po(path, po)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en"])
    assert result.exit_code == 1
    lines = [ln for ln in result.stdout.splitlines() if ln]
    rel = f"locales/en/{INTERVIEW}.po"
    line = next(e for e in read_po(path) if e.msgid == entry.msgid).linenum
    assert f"{rel}:{line}: [error] numbers: 2008 in the source" in result.stdout
    assert any("[warning] punctuation-spacing: no space before '?'" in ln for ln in lines)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {d["check"] for d in data} >= {"numbers", "punctuation-spacing"}
    assert all(d["path"] == rel for d in data)
    result = runner.invoke(
        main, ["check", "-w", str(workspace), "--to", "en", "--reviewed-only", "--json"]
    )
    assert {d["check"] for d in json.loads(result.stdout)} >= {"numbers"}
    assert "punctuation-spacing" not in {d["check"] for d in json.loads(result.stdout)}
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "es"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("source", "target", "src", "tgt"),
    [
        # Seen on a real page: HTTP/1.1 read as 1 in French and 1.1 in English.
        ("Le protocole HTTP/1.1 est ancien.", "The HTTP/1.1 protocol is old.", "fr", "en"),
        ("La version 2.5.1 corrige le bogue.", "Version 2.5.1 fixes the bug.", "fr", "en"),
        ("Il y a 2 209 communes.", "There are 2,209 municipalities.", "fr", "en"),
        ("There are 2,209 towns.", "Il y a 2 209 communes.", "en", "fr"),
        ("Il y a 2 209 communes.", "There are 2 209 municipalities.", "fr", "en"),
        ("Le 28/05/2015 à 10:30.", "On 05/28/2015 at 10.30.", "fr", "en"),
        ("Le 28/05/2015.", "On 2015-05-28.", "fr", "en"),
        ("Le 1er mai et le 2e jour.", "On May 1st and the 2nd day.", "fr", "en"),
        ("Appelez le 01 23 45 67 89.", "Call 01 23 45 67 89.", "fr", "en"),
        ("De 2010 à 2015.", "From 2010–2015.", "fr", "en"),
        ("Taux de 3,5 %.", "A 3.5% rate.", "fr", "en"),
        ("Rate of 3.5%.", "Taux de 3,5 %.", "en", "fr"),
        ('Voir {{RFC("7234", "Age", "5.1")}}.', 'See {{RFC("7234", "Age", "5.1")}}.', "fr", "en"),
    ],
)
def test_numbers_written_differently_are_the_same(
    source: str, target: str, src: str, tgt: str
) -> None:
    assert [
        e for c, e in check_pair(source, target, Context(src, tgt)) if c.name == "numbers"
    ] == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Il y a 2 209 communes.", "There are 2,290 municipalities."),
        ("Taux de 3,5 %.", "A 35% rate."),
        ("Le 28/05/2015.", "On 05/28/2016."),
        ("HTTP/1.1 et HTTP/2.", "HTTP/1.1 and HTTP/3."),
    ],
)
def test_numbers_really_changed_are_errors(source: str, target: str) -> None:
    assert any(c.name == "numbers" for c, _ in check_pair(source, target, Context("fr", "en")))


def test_mirrored_half_emphasis_is_not_flagged() -> None:
    """Seen: a segment holding half of its source's emphasis, translated verbatim."""
    found = check_pair("*Une phrase qui commence.", "*A sentence that starts.", Context("fr", "en"))
    assert not [e for c, e in found if c.name == "placeholders"]


@pytest.mark.parametrize(
    ("source", "target", "found"),
    [
        ("Voir le [guide][g].", "See the [guide][g].", False),
        ("Voir le [guide][].", "See the [manual][guide].", False),
        ("Voir le [guide][].", "See the [manual][].", True),  # the label changed with the text
        ("Voir le [guide][g].", "See the [guide].", True),
        ('Un {{glossary("a", "b")}} ici.', 'A {{glossary("a", "b")}} here.', False),
        ('Un {{glossary("a", "b")}} ici.', "A {{glossary(“a”, “b”)}} here.", True),
    ],
)
def test_reference_labels_and_macros_are_kept(source: str, target: str, found: bool) -> None:
    evidence = [
        e for c, e in check_pair(source, target, Context("fr", "en")) if c.name == "placeholders"
    ]
    assert bool(evidence) == found, evidence
