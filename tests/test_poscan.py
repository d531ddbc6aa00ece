"""The one-pass scan (`tirage.po.poscan`) against the line-by-line reader it stands in for.

Where the scan reads a text, its entries must be the reader's, field for field; where the
reader refuses a text, the scan must give up (so the reader's message and line are what the
user sees). tests/test_pofile_msgfmt.py holds the reader to msgfmt and msgcat.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.errors import CatalogError
from tirage.po import pofile
from tirage.po.pogrammar import Reading, check_messages
from tirage.po.poscan import scan_messages

DATA = Path(__file__).parent / "data" / "pofile"
CATALOGS = sorted([*DATA.glob("real/*.po"), *DATA.glob("large/*.po")])


def line_by_line(text: str) -> Reading | CatalogError:
    try:
        pofile._check_syntax(text, None)
        return check_messages(text.splitlines(), None)
    except CatalogError as error:
        return error


def assert_same(scanned: Reading, read: Reading) -> None:
    assert (scanned.header, scanned.header_comment) == (read.header, read.header_comment)
    assert len(scanned.entries) == len(read.entries)
    for mine, theirs in zip(scanned.entries, read.entries, strict=True):
        assert type(mine) is type(theirs)
        assert list(vars(mine).items()) == list(vars(theirs).items())


def assert_scan_agrees(text: str) -> None:
    """The scan refuses what the line-by-line reader refuses; what it reads (it may leave a
    text to that reader), it reads as that reader does."""
    scanned = scan_messages(text)
    read = line_by_line(text)
    if isinstance(read, CatalogError):
        assert scanned is None, f"scanned what the reader refuses: {read}"
    elif scanned is not None:
        assert_same(scanned, read)


def test_real_catalogs_are_scanned_in_one_pass() -> None:
    for path in CATALOGS:
        text = path.read_text(encoding="utf-8").replace("\\\n", "")
        scanned = scan_messages(text)
        assert scanned is not None, path.name
        read = line_by_line(text)
        assert isinstance(read, Reading)
        assert_same(scanned, read)


STRINGS = [
    '""',
    '"a"',
    '"b\\n"',
    '"\\n"',
    '"x\\"y"',
    '"\\303\\251"',
    '"\\a"',
    '"\\x41"',
    '"\\372"',
    '"tab\\t"',
    '"q\\\\"',
    '"ü"',
    '"\\342\\200\\250"',
]
COMMENTS = ["#", "# ", "# t", "#  two", "#.", "#. x", "#.x", "#:", "#: a.c:1 b.c", "#: c:x d:"]
COMMENTS += ["#,", "#, fuzzy", "#, c-format, fuzzy", "#,fuzzy", "#, ,", "#  ", "#:  ", "#.  "]
MSGIDS = ['""', '"m"', '"n"', '"o\\n"']
PREVIOUS = [(), ("msgid",), ("msgctxt", "msgid"), ("msgid", "msgid_plural"), ("msgid_plural",)]


@st.composite
def messages(draw: st.DrawFn) -> str:
    """A message of some shape, obsolete or not, its strings from `STRINGS`: good or bad."""
    obsolete = draw(st.booleans())
    prefix, previous_prefix = ("#~ ", "#~| ") if obsolete else ("", "#| ")

    def strings(prefix: str) -> str:
        return f"\n{prefix}".join(draw(st.lists(st.sampled_from(STRINGS), min_size=1, max_size=3)))

    lines = draw(st.lists(st.sampled_from(COMMENTS), max_size=3))
    for name in draw(st.sampled_from(PREVIOUS)):
        lines.append(f"{previous_prefix}{name} {strings(previous_prefix)}")
    if draw(st.booleans()):
        lines.append(f"{prefix}msgctxt {strings(prefix)}")
    msgid = draw(st.sampled_from(MSGIDS))
    lines.append(f"{prefix}msgid {msgid}")
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"{prefix}msgid_plural {strings(prefix)}")
        indices = draw(st.sampled_from([[0], [0, 1], [0, 1, 2], [1], [0, 2]]))
        lines += [f"{prefix}msgstr[{index}] {strings(prefix)}" for index in indices]
    else:
        lines.append(f"{prefix}msgstr {strings(prefix)}")
    return "\n".join(lines)


@settings(max_examples=800, deadline=None)
@given(
    st.lists(messages(), max_size=5),
    st.sampled_from(["\n", "\n\n", "\n\n\n"]),
    st.sampled_from(["", "\n", "\n\n", "\n# trailing\n", "\n\n#~ "]),
    st.booleans(),
)
def test_scan_reads_as_the_reader(
    parts: list[str], separator: str, end: str, leading_blank: bool
) -> None:
    text = ("\n" if leading_blank else "") + separator.join(parts) + end
    assert_scan_agrees(text)
