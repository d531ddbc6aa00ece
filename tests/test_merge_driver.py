"""The git merge driver, with real git: two branches per case, merged and rebased."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tirage
from tirage.cli import main
from tirage.po.merge_driver import merge_catalogs
from tirage.po.pofile import format_entry, format_po, parse_po

from gettext_tools import assert_canonical, requires_gettext

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HEADER = (
    "# English translation of a.txt.\n"
    'msgid ""\nmsgstr ""\n"Project-Id-Version: a\\n"\n'
    '"POT-Creation-Date: 2015-05-01 10:00+0000\\n"\n'
    '"PO-Revision-Date: {date}\\n"\n"Last-Translator: {who}\\n"\n'
    '"Language-Team: English\\n"\n"Language: en\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)
LONG = (
    "Nous avons choisi de publier cet entretien en plusieurs langues, parce que les "
    "lecteurs de nos voisins nous le demandaient depuis longtemps."
)
ENTRIES = {
    "Le chat dort.": "",
    "Le chien aboie.": "",
    LONG: "",
    "Il pleut.": "It is raining.",
    "Il neige.": "",
}


def catalog(
    changes: dict[str, str] | None = None,
    date: str = "2015-05-02 10:00+0000",
    who: str = "Ann <ann@example.org>",
    drop: tuple[str, ...] = (),
    add: dict[str, str] | None = None,
) -> str:
    """A catalog in msgcat's form: ENTRIES with `changes` translated."""
    entries = {**ENTRIES, **(changes or {}), **(add or {})}
    blocks = [HEADER.format(date=date, who=who)]
    for line, (msgid, msgstr) in enumerate(entries.items(), 1):
        if msgid in drop:
            continue
        blocks.append(f'#: a.txt:{line}\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')
    return format_po(parse_po("\n".join(blocks)))


def merged(base: str, ours: str, theirs: str) -> tuple[str, list[str]]:
    outcome = merge_catalogs(parse_po(base), parse_po(ours), parse_po(theirs))
    return format_po(outcome.catalog), outcome.conflicts


# --- the merge, catalog by catalog ----------------------------------------------------------


def test_disjoint_edits_take_both_and_the_newest_header() -> None:
    base = catalog()
    ours = catalog({"Le chat dort.": "The cat sleeps."}, date="2015-05-03 10:00+0000")
    theirs = catalog(
        {"Le chien aboie.": "The dog barks."}, date="2015-05-04 09:00+0200", who="Bob <b@x.org>"
    )
    text, conflicts = merged(base, ours, theirs)
    assert conflicts == []
    assert text == catalog(
        {"Le chat dort.": "The cat sleeps.", "Le chien aboie.": "The dog barks."},
        date="2015-05-04 09:00+0200",
        who="Bob <b@x.org>",
    )


def test_the_newest_date_is_compared_across_time_zones() -> None:
    ours = catalog(date="2015-05-04 08:30+0000")
    theirs = catalog(date="2015-05-04 10:00+0200", who="Bob <b@x.org>")  # 08:00 UTC
    text, _ = merged(catalog(), ours, theirs)
    assert "2015-05-04 08:30+0000" in text and "Bob" not in text


def test_same_change_on_both_sides_is_clean() -> None:
    both = catalog({"Le chat dort.": "The cat sleeps."})
    assert merged(catalog(), both, both) == (both, [])


def test_different_translations_keep_ours_fuzzy_with_theirs_in_a_comment() -> None:
    ours = catalog({"Le chat dort.": "The cat sleeps."})
    theirs = catalog({"Le chat dort.": "The cat is asleep."})
    text, conflicts = merged(catalog(), ours, theirs)
    assert conflicts == ["Le chat dort."]
    assert (
        "# tirage: merge conflict, theirs: The cat is asleep.\n#: a.txt:1\n#, fuzzy\n"
        'msgid "Le chat dort."\nmsgstr "The cat sleeps."\n'
    ) in text


def test_a_translation_and_an_update_of_the_same_entry_merge() -> None:
    """One side translates, the other re-ran `update` on an edited source: the references
    moved. Both are kept, with no conflict."""
    ours = catalog({"Le chat dort.": "The cat sleeps."})
    theirs = catalog().replace("#: a.txt:1\n", "#: a.txt:7\n")
    text, conflicts = merged(catalog(), ours, theirs)
    assert conflicts == []
    assert '#: a.txt:7\nmsgid "Le chat dort."\nmsgstr "The cat sleeps."\n' in text


def test_added_and_removed_entries() -> None:
    base = catalog()
    ours = catalog(drop=("Il neige.",), add={"Nouveau.": "New."})
    theirs = catalog(drop=("Il pleut.",), add={"Autre.": ""})
    text, conflicts = merged(base, ours, theirs)
    po = parse_po(text)
    assert conflicts == []
    # Removed on one side and untouched on the other: gone. Added: kept, where its side has it.
    assert [e.msgid for e in po] == ["Le chat dort.", "Le chien aboie.", LONG, "Autre.", "Nouveau."]


def test_a_removal_never_takes_a_changed_translation_with_it() -> None:
    ours = catalog(drop=("Le chat dort.",))
    theirs = catalog({"Le chat dort.": "The cat sleeps."})
    text, _ = merged(catalog(), ours, theirs)
    assert parse_po(text).find("Le chat dort.").msgstr == "The cat sleeps."


def test_a_removal_wins_over_new_references_alone() -> None:
    ours = catalog(drop=("Il neige.",))
    theirs = catalog().replace("#: a.txt:5\n", "#: a.txt:9\n")
    text, _ = merged(catalog(), ours, theirs)
    assert parse_po(text).find("Il neige.") is None


def test_same_text_reviewed_on_one_side_takes_the_reviewed_one() -> None:
    fuzzy = catalog({"Le chat dort.": "The cat sleeps."}).replace(
        '#: a.txt:1\nmsgid "Le chat dort."', '#: a.txt:1\n#, fuzzy\nmsgid "Le chat dort."'
    )
    reviewed = catalog({"Le chat dort.": "The cat sleeps."})
    assert merged(catalog(), fuzzy, reviewed) == (reviewed, [])


def test_plural_conflict_keeps_every_form_of_theirs() -> None:
    def plural(one: str, many: str) -> str:
        return HEADER.format(date="2015-05-02 10:00+0000", who="Ann") + (
            f'\nmsgid "un chat"\nmsgid_plural "des chats"\nmsgstr[0] "{one}"\nmsgstr[1] "{many}"\n'
        )

    text, conflicts = merged(plural("", ""), plural("a cat", "cats"), plural("one cat", "n cats"))
    assert conflicts == ["un chat"]
    assert "# tirage: merge conflict, theirs[0]: one cat\n" in text
    assert "# tirage: merge conflict, theirs[1]: n cats\n" in text


# --- real git ---------------------------------------------------------------------------------

PO = "locales/en/a.po"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_EDITOR": "true",
        # The driver runs this tirage, whichever way the tests found it.
        "PYTHONPATH": str(Path(tirage.__file__).resolve().parents[1]),
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stdout}{done.stderr}")
    return done


def repository(tmp_path: Path, base: str, driver: bool = True) -> Path:
    repo = tmp_path / "repo"
    (repo / "locales" / "en").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / PO).write_text(base, encoding="utf-8")
    if driver:
        from tirage.cli.core import GITATTRIBUTES

        (repo / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "tirage", "merge-driver", "--install"],
            cwd=repo,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(tirage.__file__).resolve().parents[1])},
        )
        assert done.returncode == 0, done.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def branches(repo: Path, ours: str, theirs: str) -> None:
    """`main` gets `ours`, branch `theirs` gets `theirs`, both from the base commit."""
    git(repo, "checkout", "-q", "-b", "theirs")
    (repo / PO).write_text(theirs, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "theirs")
    git(repo, "checkout", "-q", "main")
    (repo / PO).write_text(ours, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "ours")


def msgcat_no_wrap(text: str, tmp_path: Path) -> str:
    path = tmp_path / "rewrap.po"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


DISJOINT = {
    "header only": (
        {"Le chat dort.": "The cat sleeps."},
        {"Il neige.": "It is snowing."},
        False,
    ),
    "line wrapping": (
        {"Le chat dort.": "The cat sleeps."},
        {
            LONG: "We chose to publish this interview in several languages, because readers "
            "in neighbouring countries had long been asking us to."
        },
        True,
    ),
}


@needs_git
@requires_gettext
@pytest.mark.parametrize("case", DISJOINT)
def test_disjoint_edits_merge_with_no_conflict_and_lose_nothing(tmp_path: Path, case: str) -> None:
    ours_changes, theirs_changes, rewrap = DISJOINT[case]
    ours = catalog(ours_changes, date="2015-05-03 10:00+0000")
    theirs = catalog(theirs_changes, date="2015-05-04 10:00+0000", who="Bob <b@x.org>")
    if rewrap:  # another tool saved theirs without wrapping lines
        theirs = msgcat_no_wrap(theirs, tmp_path)
    # Today, without the driver: git's line merge conflicts.
    plain = repository(tmp_path / "plain", catalog(), driver=False)
    branches(plain, ours, theirs)
    assert git(plain, "merge", "-q", "theirs", check=False).returncode != 0
    # With it: a clean merge that holds both sides' work.
    repo = repository(tmp_path, catalog())
    branches(repo, ours, theirs)
    git(repo, "merge", "-q", "--no-edit", "theirs")
    expected = catalog(
        {**ours_changes, **theirs_changes}, date="2015-05-04 10:00+0000", who="Bob <b@x.org>"
    )
    assert (repo / PO).read_text(encoding="utf-8") == expected
    assert_canonical(repo / PO)


@needs_git
@requires_gettext
def test_a_true_conflict_is_reported_and_nothing_is_lost(tmp_path: Path) -> None:
    repo = repository(tmp_path, catalog())
    branches(
        repo,
        catalog({"Le chat dort.": "The cat sleeps.", "Il neige.": "It snows."}),
        catalog({"Le chat dort.": "The cat is asleep.", "Le chien aboie.": "The dog barks."}),
    )
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode != 0
    assert f"CONFLICT (content): Merge conflict in {PO}" in done.stdout
    assert "translated differently on both sides" in done.stdout + done.stderr
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == [PO]
    po = parse_po((repo / PO).read_text(encoding="utf-8"))
    cat = po.find("Le chat dort.")
    assert cat.msgstr == "The cat sleeps." and cat.fuzzy
    assert "tirage: merge conflict, theirs: The cat is asleep." in cat.tcomment
    assert po.find("Il neige.").msgstr == "It snows."
    assert po.find("Le chien aboie.").msgstr == "The dog barks."
    assert_canonical(repo / PO)


@needs_git
@requires_gettext
def test_a_rebase_works_too(tmp_path: Path) -> None:
    repo = repository(tmp_path, catalog())
    branches(
        repo,
        catalog({"Le chat dort.": "The cat sleeps."}, date="2015-05-03 10:00+0000"),
        catalog({"Le chien aboie.": "The dog barks."}, date="2015-05-04 10:00+0000"),
    )
    git(repo, "checkout", "-q", "theirs")
    git(repo, "rebase", "-q", "main")
    po = parse_po((repo / PO).read_text(encoding="utf-8"))
    assert po.find("Le chat dort.").msgstr == "The cat sleeps."
    assert po.find("Le chien aboie.").msgstr == "The dog barks."
    assert po.metadata["PO-Revision-Date"] == "2015-05-04 10:00+0000"
    assert_canonical(repo / PO)


@needs_git
def test_install_writes_the_driver_into_the_repository_config(tmp_path: Path) -> None:
    repo = repository(tmp_path, catalog())
    driver = git(repo, "config", "merge.tirage.driver").stdout.strip()
    assert driver.endswith("-m tirage merge-driver %O %A %B %P")
    assert git(repo, "config", "merge.tirage.name").stdout.strip()


def test_init_writes_gitattributes(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "w"), "--source", "fr", "--targets", "en"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "w" / ".gitattributes").read_text() == "locales/**/*.po merge=tirage\n"


def test_install_outside_a_repository_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tirage", "merge-driver", "--install"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "GIT_CEILING_DIRECTORIES": str(tmp_path.parent),
            "PYTHONPATH": str(Path(tirage.__file__).resolve().parents[1]),
        },
    )
    assert done.returncode == 2
    assert done.stderr == f"tirage: {tmp_path} is not inside a git repository\n"


@needs_git
def test_a_catalog_that_cannot_be_read_is_merged_line_by_line(
    tmp_path: Path, runner: CliRunner
) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_text(catalog(), encoding="utf-8")
    ours.write_text(catalog().replace('msgid "Il neige."', 'msgid "Il neige.'), encoding="utf-8")
    theirs.write_text(catalog({"Le chat dort.": "The cat sleeps."}), encoding="utf-8")
    result = runner.invoke(main, ["merge-driver", str(base), str(ours), str(theirs), PO])
    assert result.exit_code == 0  # git's line merge had no conflict here
    assert result.output == (
        f"tirage: {PO} (ours, line 34): syntax error in PO file; merged line by line\n"
    )
    assert 'msgstr "The cat sleeps."' in ours.read_text(encoding="utf-8")


@requires_gettext
def test_a_legacy_charset_is_merged_and_written_as_utf8(tmp_path: Path, runner: CliRunner) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_text(catalog(), encoding="utf-8")
    theirs.write_text(catalog({"Il neige.": "Il neige, dit-on."}), encoding="utf-8")
    utf8 = tmp_path / "utf8.po"
    utf8.write_text(catalog({"Le chat dort.": "Le chat dort, é."}), encoding="utf-8")
    subprocess.run(["msgconv", "-t", "ISO-8859-1", str(utf8), "-o", str(ours)], check=True)
    result = runner.invoke(main, ["merge-driver", str(base), str(ours), str(theirs), PO])
    assert result.exit_code == 0
    assert result.stderr == (
        f"tirage: {PO}: was ISO-8859-1; written as UTF-8 (its header now says charset=UTF-8)\n"
    )
    assert ours.read_text(encoding="utf-8") == catalog(
        {"Le chat dort.": "Le chat dort, é.", "Il neige.": "Il neige, dit-on."}
    )


# --- properties, over random three-way merges -------------------------------------------------

KEYS = ["Le chat dort.", "Le chien aboie.", "Il pleut.", "Il neige.", "Il sourit.", "Midi."]
versions = st.dictionaries(
    st.sampled_from(KEYS),
    st.tuples(
        st.sampled_from(["", "A.", "B.", "C.\nD."]),  # msgstr
        st.booleans(),  # fuzzy
        st.integers(1, 3),  # reference line
    ),
)


def version(entries: dict[str, tuple[str, bool, int]]) -> str:
    blocks = [HEADER.format(date="2015-05-02 10:00+0000", who="Ann")]
    for msgid, (msgstr, fuzzy, line) in entries.items():
        flag = "#, fuzzy\n" if fuzzy and msgstr else ""
        text = msgstr.replace("\n", "\\n")
        blocks.append(f'#: a.txt:{line}\n{flag}msgid "{msgid}"\nmsgstr "{text}"\n')
    return format_po(parse_po("\n".join(blocks)))


def by_key(text: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in parse_po(text)}


@settings(max_examples=150, deadline=None)
@given(versions, versions, versions)
def test_three_way_merge_properties(
    base_v: dict[str, tuple[str, bool, int]],
    ours_v: dict[str, tuple[str, bool, int]],
    theirs_v: dict[str, tuple[str, bool, int]],
) -> None:
    base, ours, theirs = version(base_v), version(ours_v), version(theirs_v)
    # Only one side changed: that side, whole.
    assert merged(base, ours, base) == (ours, [])
    assert {k: format_entry(e) for k, e in by_key(merged(base, base, theirs)[0]).items()} == {
        k: format_entry(e) for k, e in by_key(theirs).items()
    }
    text, conflicts = merged(base, ours, theirs)
    result = by_key(text)
    # Nothing either side translated is lost: it is the translation, or in a conflict note.
    for side in (ours_v, theirs_v):
        for msgid, (msgstr, _, _) in side.items():
            if msgstr and msgstr != base_v.get(msgid, ("",))[0]:
                entry = result[msgid]
                note = msgstr.replace("\n", "\\n")
                assert entry.msgstr == msgstr or f"theirs: {note}" in entry.tcomment
    # A conflict is two different new texts of one entry, and nothing else.
    expected = sorted(
        msgid
        for msgid in set(ours_v) & set(theirs_v)
        if "" != ours_v[msgid][0] != theirs_v[msgid][0] != ""
        and base_v.get(msgid, ("",))[0] not in (ours_v[msgid][0], theirs_v[msgid][0])
    )
    assert sorted(conflicts) == expected
    assert format_po(parse_po(text)) == text  # msgcat's form, read back unchanged
