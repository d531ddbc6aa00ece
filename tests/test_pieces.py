"""A catalog read in pieces (`tirage.po.pieces`, what `update` does with the old catalog and
the previous template) gives the messages and the refusals of the file read whole, and an
`update` through pieces writes the bytes and says the words of one that reads files whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.errors import CatalogError
from tirage.po import pieces
from tirage.po.pieces import read_pieces
from tirage.po.pofile import format_po, parse_po, read_text

DATA = Path(__file__).parent / "data" / "pofile"
REAL = [
    DATA / "interview.po",
    *sorted((DATA / "real").glob("*.po")),
    *sorted((DATA / "legacy").glob("*.po")),
]
HEADER = (
    '# A translator\'s comment.\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: a\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Odd line without colon\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def generated(count: int) -> str:
    """A catalog with every kind of message: contexts, plurals, flags, previous msgids,
    translator and extracted comments, wrapped strings, obsolete messages."""
    kinds = [
        '#: a.md:{n}\nmsgid "Phrase {n}."\nmsgstr "Sentence {n}."\n',
        '# tirage-mt: engine=pseudo\n#, fuzzy\n#| msgid "Old {n}."\nmsgid "New {n}."\n'
        'msgstr "Neu {n}."\n',
        'msgctxt "menu"\nmsgid "{n} file"\nmsgid_plural "{n} files"\n'
        'msgstr[0] "{n} Datei"\nmsgstr[1] "{n} Dateien"\n',
        'msgid ""\n"A long sentence {n} that goes on, "\n"and on.\\n"\nmsgstr ""\n'
        '"Ein langer Satz {n}, "\n"und so weiter.\\n"\n',
        '#~ msgid "Gone {n}."\n#~ msgstr "Weg {n}."\n',
        '#. paragraph\n#: a.md:{n} b.md:{n}\nmsgid "Untranslated {n}."\nmsgstr ""\n',
        '#, fuzzy\n#~| msgid "Older {n}."\n#~ msgid "Obsolete fuzzy {n}."\n'
        '#~ msgstr "Veraltet {n}."\n',
    ]
    body = "\n".join(kinds[n % len(kinds)].format(n=n) for n in range(count))
    return HEADER + body


def fields(entry: polib.POEntry) -> tuple[object, ...]:
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        sorted(entry.msgstr_plural.items()),
        entry.comment,
        entry.tcomment,
        list(entry.occurrences),
        list(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        bool(entry.obsolete),
    )


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE", 300)


def assert_same_as_whole(text: str) -> None:
    whole = parse_po(text)
    read = list(read_pieces(text))
    assert len(read) > 3 and not any(again for again, _ in read)
    first = read[0][1]
    together = polib.POFile(check_for_duplicates=False)
    together.metadata, together.header = first.metadata, first.header
    together.metadata_is_fuzzy = first.metadata_is_fuzzy
    together.tirage_header_as_read = first.tirage_header_as_read  # type: ignore[attr-defined]
    together.extend(entry for _, piece in read for entry in piece)
    assert [fields(e) for e in together] == [fields(e) for e in whole]
    assert format_po(together) == format_po(whole)


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_catalogs_read_in_pieces_as_whole(path: Path) -> None:
    text = read_text(path)
    try:
        parse_po(text, path)
    except CatalogError as refused:  # wget-zh_TW.Big5.po: a line that msgfmt refuses too
        with pytest.raises(CatalogError) as read:
            list(read_pieces(text, path))
        assert str(read.value) == str(refused)
        return
    assert_same_as_whole(text)


@pytest.mark.usefixtures("small")
def test_every_kind_of_message_reads_in_pieces_as_whole() -> None:
    assert_same_as_whole(generated(200))
    # An obsolete msgstr that goes on after a blank line is one string, never cut.
    assert_same_as_whole(generated(50) + '\n#~ msgid "x"\n#~ msgstr "a"\n\n#~ "b"\n')


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    "tail",
    [
        '\nmsgid "broken"\nmsgstr "unterminated\n',  # a syntax error
        '\nmsgid "Phrase 0."\nmsgstr "again"\n',  # a duplicate of a message pieces before
        '\n#~ msgid "Phrase 0."\n#~ msgstr "again"\n',  # the same, obsolete
        '\nmsgid ""\nmsgstr "a second header"\n',
        '\nmsgid "no msgstr"\n',
    ],
)
def test_pieces_refuse_what_the_whole_file_refuses(tail: str) -> None:
    text = generated(100) + tail
    with pytest.raises(CatalogError) as whole:
        parse_po(text, Path("x.po"))
    with pytest.raises(CatalogError) as read:
        list(read_pieces(text, Path("x.po")))
    assert str(read.value) == str(whole.value)


def test_a_file_that_does_not_open_with_its_header_is_read_whole(
    small: None,
) -> None:
    text = generated(100)
    body = text[len(HEADER) :]
    read = list(read_pieces(body))
    assert len(read) == 1  # msgid "" later on may be the header: only the whole file knows
    assert [fields(e) for e in read[0][1]] == [fields(e) for e in parse_po(body)]


# ---------------------------------------------------------------------------------------------
# update through pieces


SOURCE = "".join(
    f"Une phrase numéro {n}. Encore une, la {n}e. Et de trois pour {n}.\n\n" for n in range(60)
)


def _update(root: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = CliRunner().invoke(main, ["update", "-w", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def test_update_through_pieces_writes_what_a_whole_read_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same workspace updated twice over, with pieces of 300 characters and with files
    read whole: a translated catalog (exact, fuzzy, revived and obsolete messages) and a
    previous template whose creation date is kept when its entries are the same."""
    first = tmp_path / "first"
    first.mkdir()
    (first / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["de"]\n', encoding="utf-8"
    )
    (first / "source").mkdir()
    source = first / "source" / "a.md"
    source.write_text(SOURCE, encoding="utf-8")
    _update(first, "1700000000", monkeypatch)
    po_path = first / "locales" / "de" / "a.po"
    po = parse_po(po_path.read_text(encoding="utf-8"))
    for index, entry in enumerate(po):
        if index % 3 == 0:
            entry.msgstr = f"Satz {index}."
        if index % 6 == 0:
            entry.flags.append("fuzzy")
            entry.tcomment = "tirage-mt: engine=pseudo"
    po_path.write_text(format_po(po), encoding="utf-8")
    second = tmp_path / "second"
    shutil.copytree(first, second)

    def edit(root: Path, piece: int) -> list[str]:
        monkeypatch.setattr(pieces, "PIECE", piece)
        said = []
        text = SOURCE.replace("numéro 7.", "numéro sept.").replace("Et de trois pour 9.", "")
        (root / "source" / "a.md").write_text(text + "Une toute nouvelle phrase.\n", "utf-8")
        said.append(_update(root, "1710000000", monkeypatch))
        (root / "source" / "a.md").write_text(text + "Une toute nouvelle phrase.\n\n\n", "utf-8")
        said.append(_update(root, "1720000000", monkeypatch))  # the same entries: same date
        said.append((root / "locales" / "a.pot").read_text("utf-8"))
        (root / "source" / "a.md").write_text(SOURCE, "utf-8")  # back: revived, refuzzied
        said.append(_update(root, "1730000000", monkeypatch))
        return said

    said = edit(first, 300)
    assert said == edit(second, 1 << 30)
    assert "POT-Creation-Date: 2024-03-09 16:00" in said[2]
    for name in ("locales/a.pot", "locales/de/a.po"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
