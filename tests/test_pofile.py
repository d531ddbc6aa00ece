"""pofile: polib reading wrapped in CatalogError, and a writer byte-identical to GNU msgcat."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tirage.errors import CatalogError
from tirage.po.pofile import format_po, parse_po, read_po, save_po, write_atomic

DATA = Path(__file__).parent / "data" / "pofile"
needs_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (msgcat, msgfmt) is not installed",
)


def msgcat(text: str, tmp: Path) -> str:
    source = tmp / "in.po"
    source.write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["msgcat", str(source)], capture_output=True, check=True, env={"LC_ALL": "C.UTF-8"}
    )
    return done.stdout.decode("utf-8")


def msgfmt_check(text: str, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    source = tmp / "check.po"
    source.write_text(text, encoding="utf-8")
    return subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(source)], capture_output=True
    )


GOLDEN = sorted(p for p in DATA.glob("*.po") if not p.name.endswith(".expect.po"))


@pytest.mark.parametrize("source", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden(source: Path) -> None:
    expected = source.with_suffix(".expect.po").read_text(encoding="utf-8")
    assert format_po(read_po(source)) == expected


@needs_gettext
@pytest.mark.parametrize("source", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_msgcat_fixed_point_and_msgfmt(source: Path, tmp_path: Path) -> None:
    ours = format_po(read_po(source))
    assert msgcat(ours, tmp_path) == ours
    checked = msgfmt_check(ours, tmp_path)
    assert checked.returncode == 0, checked.stderr.decode()


def test_round_trip_is_stable() -> None:
    text = (DATA / "interview.expect.po").read_text(encoding="utf-8")
    assert format_po(parse_po(text)) == text


# --- random catalogs against real msgcat ---------------------------------------------------

WORDS = [
    "le",
    "la",
    "les",
    "une",
    "des",
    "l’été",
    "aujourd’hui",
    "c’est-à-dire",
    "Rhône-Alpes",
    "Saint-Étienne",
    "«",
    "»",
    "—",
    "–",
    "…",
    "https://example.org/a/b?c=d&e=f",
    "/usr/share/doc",
    "12,5",
    "%",
    "3",
    "000",
    "€",
    "(entre)",
    "[crochets]",
    ":",
    ";",
    "!",
    "?",
    ".",
    ",",
    '"guillemets"',
    "back\\slash",
    "qu’il",
    "avant-hier",
    "anticonstitutionnellement",
    "motextrêmementlongsansespacequidépasselalargeurdelalignedesoixantedixneufcolonnes",
]
SEPARATORS = [" ", " ", " ", "\u00a0", "\u202f", "\n", "\t", "", "-", "/", "\u00a0?", "\u202f;"]


@st.composite
def french(draw: st.DrawFn, min_size: int = 0) -> str:
    parts = draw(
        st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=45)
    )
    text = "".join(w + s for w, s in parts)[: draw(st.integers(0, 300))].strip("\n")
    return text if len(text) >= min_size else text + "x" * (min_size - len(text))


# A comment line may not end with a backslash: gettext's lexer reads backslash-newline as a
# line continuation anywhere, comments included, so such a comment cannot be written to a PO
# file at all (msgcat joins it with the next line, or fails). Spaces around it are kept.
comment_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40
).map(lambda text: text.rstrip("\\"))
reference = st.tuples(
    st.from_regex(r"source/[a-z_\-]{1,20}\.(txt|md)", fullmatch=True),
    st.integers(1, 99999).map(str),
)
flag_lists = st.lists(st.sampled_from(["fuzzy", "python-format", "no-c-format", "no-wrap"]))


@st.composite
def entries(draw: st.DrawFn, index: int) -> polib.POEntry:
    plural = draw(st.booleans())
    entry = polib.POEntry(
        msgid=draw(french(min_size=1)),
        msgctxt=f"ctx{index}" + draw(st.sampled_from(["", " " + draw(french())])),
        tcomment=draw(comment_text),
        comment=draw(comment_text),
        occurrences=draw(st.lists(reference, max_size=8)),
        flags=sorted(set(draw(flag_lists)), key=["fuzzy"].count, reverse=True),
        obsolete=draw(st.integers(0, 4)) == 0,
    )
    if draw(st.booleans()):
        entry.previous_msgid = draw(french(min_size=1))
    if plural:
        entry.msgid_plural = draw(french(min_size=1))
        forms = [draw(french()), draw(french())]
        if any(forms):  # msgfmt checks every form once one is translated
            forms = [form or "x" for form in forms]
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = draw(french())
    if draw(st.booleans()):  # msgfmt -c: msgid and msgstr end with "\n" together
        entry.msgid += "\n"
        if entry.msgid_plural:
            entry.msgid_plural += "\n"
            entry.msgstr_plural = {k: v and v + "\n" for k, v in entry.msgstr_plural.items()}
        elif entry.msgstr:
            entry.msgstr += "\n"
    if "python-format" in entry.flags:  # keep msgfmt's format check meaningful and passing
        entry.flags.remove("python-format")
    if entry.obsolete:
        entry.occurrences = []
        entry.comment = ""
        entry.previous_msgid = None  # polib cannot read back "#~|" lines
    return entry


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": ("tirage " + draw(french()).replace("\n", " ")).strip(),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-05-01 12:00+0200",
        "PO-Revision-Date": "2024-05-02 09:30+0200",
        "Last-Translator": "Jeanne Traductrice <jeanne@example.org>",
        "Language-Team": "French <fr@example.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.header = draw(comment_text)
    po.metadata_is_fuzzy = draw(st.booleans())
    for index in range(draw(st.integers(1, 6))):
        po.append(draw(entries(index)))
    return po


@needs_gettext
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_random_catalogs_are_msgcat_fixed_points(po: polib.POFile) -> None:
    import tempfile

    ours = format_po(po)
    with tempfile.TemporaryDirectory() as tmp:
        assert msgcat(ours, Path(tmp)) == ours
        if ours:  # an all-obsolete-and-untranslated catalog is written as nothing, like msgcat
            checked = msgfmt_check(ours, Path(tmp))
            assert checked.returncode == 0, checked.stderr.decode()


# --- reading errors -----------------------------------------------------------------------


def test_syntax_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nnonsense here\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_po(path)
    assert info.value.path == path
    assert info.value.line == 5
    assert str(info.value) == f"{path}:5: syntax error in PO file"


def test_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes('msgid "a"\nmsgstr "été"\n'.encode("latin-1"))
    with pytest.raises(CatalogError) as info:
        read_po(path)
    assert info.value.line == 2
    assert "UTF-8" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        read_po(tmp_path / "nope.po")
    assert info.value.path == tmp_path / "nope.po"


def test_parse_po_without_path() -> None:
    with pytest.raises(CatalogError) as info:
        parse_po('msgid "a"\nbroken\n')
    assert info.value.path is None
    assert info.value.line == 2


# --- saving -------------------------------------------------------------------------------


def test_save_po_creates_dirs_and_skips_identical(tmp_path: Path) -> None:
    po = read_po(DATA / "interview.po")
    target = tmp_path / "locales" / "fr" / "interview.po"
    assert save_po(target, po) is True
    assert target.read_text(encoding="utf-8") == (DATA / "interview.expect.po").read_text(
        encoding="utf-8"
    )
    before = target.stat().st_mtime_ns
    assert save_po(target, po) is False
    assert target.stat().st_mtime_ns == before
    assert [p.name for p in target.parent.iterdir()] == ["interview.po"]


def test_write_atomic_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    assert write_atomic(target, "one\n") is True
    assert write_atomic(target, "two\n") is True
    assert write_atomic(target, "two\n") is False
    assert target.read_text(encoding="utf-8") == "two\n"


def _commented(comment: str, tcomment: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="b", comment=comment, tcomment=tcomment))
    return po


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
@example(_commented("²…Ĕ ", ""))  # found by hypothesis: polib dropped the trailing space
@example(_commented(" two\n\nlines ", " said  "))
def test_reading_back_our_output_changes_nothing(po: polib.POFile) -> None:
    """Re-running tirage on its own output makes no diff noise (what polib drops, we read)."""
    ours = format_po(po)
    assert format_po(parse_po(ours)) == ours


@needs_gettext
def test_comments_read_as_msgcat_reads_them(tmp_path: Path) -> None:
    """Spaces at the end of a comment, a second space after the marker, empty `#.` lines and
    `##` are the comment's text for gettext (polib strips them): kept, as msgcat keeps them."""
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# said \n#\n#  two  \n## hash\n#. abc \n#.  def  \n#.\n#. \n#.x \n"
        'msgid "a"\nmsgstr "b"\n\n#. only \n#~ msgid "o"\n#~ msgstr "p"\n'
    )
    expected = msgcat(text, tmp_path)
    assert "#. abc \n#.  def  \n#.\n#.\n#. x \n" in expected
    assert format_po(parse_po(text)) == expected
