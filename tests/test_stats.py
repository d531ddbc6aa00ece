"""stats: entry states agree with `msgfmt --statistics`, words with translate-toolkit's pocount."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tirage.cli import main as group
from tirage.po.pofile import read_po, save_po
from tirage.provenance import Provenance, set_provenance
from tirage.quality.stats import (
    FUZZY_MT,
    FUZZY_SOURCE,
    OBSOLETE,
    TRANSLATED,
    UNTRANSLATED,
    catalog_stats,
    word_count,
)

DATA = Path(__file__).parent / "data" / "stats"
INTERVIEW = "interview-thierry-alvergnat"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed")


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    assert MSGFMT is not None
    result = subprocess.run(
        [MSGFMT, "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts["translated"], counts["fuzzy"], counts["untranslated"]


def pocount(path: Path) -> dict[str, int]:
    calcstats = pytest.importorskip("translate.tools.pocount").calcstats
    stats = dict(calcstats(str(path)))
    stats.pop("extended", None)
    stats.pop("filename", None)
    return stats


def interview_catalogs(workspace: Path) -> list[Path]:
    """The interview's three catalogs, in every state: reviewed, raw MT, post-edited MT,
    fuzzy from a source change, untranslated, obsolete."""
    result = CliRunner().invoke(group, ["update", "-q", "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    paths = sorted((workspace / "locales").glob("*/*.po"))
    assert len(paths) == 3
    for n, path in enumerate(paths):
        po = read_po(path)
        for i, entry in enumerate(e for e in po if e.msgid):
            kind = (i + n) % 6
            if kind == 0:
                entry.msgstr = f"Reviewed {i}: {entry.msgid}"
            elif kind == 1:
                entry.msgstr = f"[MT {i}] {entry.msgid}"
                entry.flags.append("fuzzy")
                set_provenance(entry, Provenance("argos", "translate-fr_en", "1.9", -0.5))
            elif kind == 2:
                entry.msgstr = f"Post-edited {i}"
                set_provenance(entry, Provenance("apertium", "fr-es", "3.8", None))
            elif kind == 3:
                entry.msgstr = f"Old translation {i}"
                entry.flags.append("fuzzy")
                entry.previous_msgid = "An older sentence."
            elif kind == 4:
                entry.flags.append("fuzzy")  # fuzzy but empty: untranslated for gettext
        entry = po[-1]
        entry.obsolete = True
        entry.msgstr = entry.msgstr or "Kept for later."
        save_po(path, po)
    return paths


@needs_msgfmt
@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.po")))
def test_fixture_counts_agree_with_msgfmt_and_pocount(name: str) -> None:
    path = DATA / name
    stats = catalog_stats(read_po(path), path.stem, "en", path)
    assert (stats.segments[TRANSLATED], stats.fuzzy, stats.segments[UNTRANSLATED]) == (
        msgfmt_statistics(path)
    )
    reference = pocount(path)
    assert stats.segments[TRANSLATED] == reference["translated"]
    assert stats.fuzzy == reference["fuzzy"]
    assert stats.segments[UNTRANSLATED] == reference["untranslated"]
    assert stats.words[TRANSLATED] == reference["translatedsourcewords"]
    assert stats.words[FUZZY_MT] + stats.words[FUZZY_SOURCE] == reference["fuzzysourcewords"]
    assert stats.words[UNTRANSLATED] == reference["untranslatedsourcewords"]
    assert stats.target_words == reference["translatedtargetwords"]
    assert stats.total_words == reference["totalsourcewords"]


def test_fixture_states() -> None:
    stats = catalog_stats(read_po(DATA / "mixed.po"), "mixed", "en", DATA / "mixed.po")
    assert stats.segments == {
        TRANSLATED: 5,
        FUZZY_MT: 1,
        FUZZY_SOURCE: 1,
        UNTRANSLATED: 2,
        OBSOLETE: 1,
    }
    assert stats.reviewed_share == pytest.approx(500 / 9)


@needs_msgfmt
def test_interview_counts_agree_with_msgfmt_and_pocount(workspace: Path) -> None:
    for path in interview_catalogs(workspace):
        stats = catalog_stats(read_po(path), path.stem, path.parent.name, path)
        assert (stats.segments[TRANSLATED], stats.fuzzy, stats.segments[UNTRANSLATED]) == (
            msgfmt_statistics(path)
        )
        reference = pocount(path)
        assert stats.words[TRANSLATED] == reference["translatedsourcewords"]
        assert stats.words[FUZZY_MT] + stats.words[FUZZY_SOURCE] == reference["fuzzysourcewords"]
        assert stats.words[UNTRANSLATED] == reference["untranslatedsourcewords"]
        assert stats.target_words == reference["translatedtargetwords"]
        assert stats.segments[FUZZY_MT] > 0 and stats.segments[FUZZY_SOURCE] > 0
        assert stats.segments[OBSOLETE] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Bien sûr.", 2),
        ("L'enveloppe financière d'aujourd'hui", 3),
        ("3,5 % en 2014 — Clust'R", 4),
        ("e-mail <b>gras</b><br/>ligne", 4),
    ],
)
def test_word_count_matches_pocount(text: str, expected: int) -> None:
    wordcount = pytest.importorskip("translate.tools.pocount").wordcount
    assert word_count(text) == expected == wordcount(text)


def test_stats_command_json_and_table(workspace: Path, runner: CliRunner) -> None:
    interview_catalogs(workspace)
    result = runner.invoke(group, ["stats", "-w", str(workspace), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["doc"], r["lang"]) for r in rows] == [(INTERVIEW, x) for x in ("en", "es", "de")]
    for row in rows:
        assert {"doc", "lang", "translated", "fuzzy", "untranslated", "obsolete"} <= set(row)
        assert row["fuzzy"] == row["fuzzy_mt"] + row["fuzzy_source"]
        assert row["total"] == row["translated"] + row["fuzzy"] + row["untranslated"]
    result = runner.invoke(group, ["stats", "-w", str(workspace), "--to", "es"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["doc", "lang", "reviewed"]
    assert lines[1].startswith(f"{INTERVIEW}  es")
    assert len([line for line in lines if line.startswith(INTERVIEW)]) == 1


def test_stats_unknown_language_is_one_line_error(workspace: Path, runner: CliRunner) -> None:
    result = runner.invoke(group, ["stats", "-w", str(workspace), "--to", "it"])
    assert result.exit_code != 0
    assert "'it' is not a target language" in result.output


def test_post_edit_distance_per_engine_and_language(workspace: Path, runner: CliRunner) -> None:
    from tirage.memory import TranslationMemory
    from tirage.workspace import load_workspace

    paths = interview_catalogs(workspace)
    ws = load_workspace(workspace)
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)  # keeps the raw MT of every fuzzy entry with a record
    en = next(p for p in paths if p.parent.name == "en")
    po = read_po(en)
    reviewed = []
    for entry in po:
        if "fuzzy" in entry.flags and entry.msgstr.startswith("[MT"):
            entry.flags.remove("fuzzy")
            if len(reviewed) % 2:
                entry.msgstr = entry.msgstr.replace("[MT", "[Post-edited MT")
            reviewed.append(entry.msgid)
    save_po(en, po)
    result = runner.invoke(group, ["stats", "-w", str(workspace), "--json", "--to", "en"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    argos = row["post_edit"]["argos"]
    assert argos["segments"] == len(reviewed)
    assert 0 < argos["edit_ratio"] < 0.5
    text = runner.invoke(group, ["stats", "-w", str(workspace), "--to", "en"]).output
    assert re.search(rf"argos\s+en\s+{len(reviewed)} segments\s+ratio 0\.\d+", text)


def test_source_change_wins_over_machine_provenance(workspace: Path) -> None:
    """A reviewed machine translation whose sentence changed is fuzzy from the source change:
    `update` keeps its record and adds `#| msgid`, and stats must not call it raw MT."""
    runner = CliRunner()
    assert runner.invoke(group, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    entry = next(e for e in po if e.msgid == "Bien sûr.")
    entry.msgstr = "Of course."
    set_provenance(entry, Provenance("argos", "translate-fr_en", "1.9", -0.5))
    save_po(path, po)  # reviewed machine output: translated, with a record
    source = workspace / "source" / f"{INTERVIEW}.txt"
    source.write_text(source.read_text().replace("Bien sûr.", "Bien sûr !"))
    assert runner.invoke(group, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    po = read_po(path)
    changed = next(e for e in po if e.msgid == "Bien sûr !")
    assert changed.previous_msgid == "Bien sûr." and "fuzzy" in changed.flags
    assert "tirage-mt:" in changed.tcomment
    stats = catalog_stats(po, INTERVIEW, "en", path)
    assert stats.segments[FUZZY_SOURCE] == 1
    assert stats.segments[FUZZY_MT] == 0


# Letters, marks and punctuation of each script, with the separators, digits and markup
# that pocount's clean-ups and UAX #29's joining rules are about.
_COMMON = " \t\n.,;:'’!?-«»“”\"()/@&%…–—\u00a0\u202f0123456789_<>b/r"
SCRIPTS = {
    "latin": "aZéÀÿœŁçß",
    "vietnamese": "aăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ\u0300\u0301\u0303",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщъыьэюяЁё\u0301",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΐΰ·",
    "arabic": "ابتثجحخدذرسشصضطظعغفقكلمنهوي\u064b\u064e\u0650\u0651،؛؟٠١٢",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת\u05b0\u05b4\u05bc׳״",
    "cjk": "日本語中文字漢ひらがなカタカナー。、「」한국어",
    "devanagari": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह\u093e\u093f\u0940\u094d\u0902।०१",
    "thai": "กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮ\u0e31\u0e34\u0e35\u0e48\u0e49ๆฯ๑",
    "pseudo": "[]~Ļéñûɱŕîǫƒêţàýöđçšẋþĥŀǿ",
}


@given(st.sampled_from(sorted(SCRIPTS)).flatmap(lambda name: st.text(SCRIPTS[name] + _COMMON)))
def test_word_count_is_pocounts_in_every_script(text: str) -> None:
    """Random text in ten scripts (with markup, numbers and mixed punctuation): the count is
    pocount's."""
    from translate.tools.pocount import wordcount

    assert word_count(text) == wordcount(text)


def test_word_count_is_linear() -> None:
    """A long msgid costs no more per character than a sentence, whatever its script.
    (pocount's tag clean-up, kept as it is so that the counts agree, backtracks on an unclosed
    tag with quoted attributes: that cost grows with the length of one msgid, not of a
    catalog.)"""
    import time

    sentence = "Ο ψηφιακός <b>τομέας</b> 3.5 e.g. 数字产业 क्षेत्र का <br/> "
    short, long = sentence * 20, sentence * 4000

    def best(text: str) -> float:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            word_count(text)
            runs.append(time.perf_counter() - start)
        return min(runs)

    assert best(long) / best(short) < 200 * 5  # 200× the text, well under 1000× the time
