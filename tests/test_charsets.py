"""Catalogs in the charsets msgfmt reads, a byte-order mark, and what tirage writes back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.errors import CatalogError
from tirage.po.pofile import format_po, parse_po, read_catalog, read_po, read_text

from gettext_tools import requires_gettext

LEGACY = Path(__file__).parent / "data" / "pofile" / "legacy"
ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: {lang}\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n\n'
)
# Text of each charset's own script; Big5 and Shift_JIS hold characters whose second byte
# is a backslash (許, 功; 表, ソ), which a byte-wise reader takes for an escape.
SAMPLES = {
    "ISO-8859-1": ("fr", "Élodie a reçu « Le Monde » à midi, déjà lu."),
    "ISO-8859-15": ("fr", "Œuvre à 20 € : cœur d'œuf."),
    "CP1252": ("fr", "L’été… « oui » – “non”."),
    "KOI8-R": ("ru", "Съешь же ещё этих мягких французских булок."),
    "EUC-JP": ("ja", "日本語の文章を表示します。"),
    "SHIFT_JIS": ("ja", "表示するソフトウェアの予定表。"),
    "GBK": ("zh_CN", "中文翻译，简体字。"),
    "BIG5": ("zh_TW", "許功蓋的中文翻譯。"),
    "VISCII": ("vi", "Tiếng Việt có dấu."),  # no Python codec: through iconv, as msgfmt
}


def utf8_catalog(lang: str, text: str) -> str:
    return format_po(
        parse_po(
            HEADER.format(lang=lang)
            + f'#: a.txt:1\nmsgid "Source one."\nmsgstr "{text}"\n\n'
            + f'#, fuzzy\nmsgid "{text} (2)"\nmsgstr "{text}\\n'
            + 'and a second line, long enough to be wrapped by the writer of msgcat itself."\n'
        )
    )


def msgconv(source: Path, charset: str, target: Path) -> None:
    done = subprocess.run(
        ["msgconv", "-t", charset, str(source), "-o", str(target)], capture_output=True, env=ENV
    )
    assert done.returncode == 0, done.stderr.decode()


@requires_gettext
@pytest.mark.parametrize("charset", SAMPLES)
def test_a_legacy_catalog_reads_as_msgconv_converts_it(tmp_path: Path, charset: str) -> None:
    lang, text = SAMPLES[charset]
    original = tmp_path / "utf8.po"
    original.write_text(utf8_catalog(lang, text), encoding="utf-8")
    legacy = tmp_path / "legacy.po"
    msgconv(original, charset, legacy)
    assert legacy.read_bytes() != original.read_bytes()
    decoded, was = read_catalog(legacy)
    assert was == charset
    # Read and written again: UTF-8, the header saying so, nothing else changed.
    assert format_po(parse_po(decoded)) == original.read_text(encoding="utf-8")


@requires_gettext
def test_a_real_old_french_catalog(tmp_path: Path) -> None:
    """GNU Wget 1.7's fr.po, ISO-8859-1: read as msgfmt reads it; written, it is exactly
    what `msgconv -t UTF-8` makes of it."""
    path = LEGACY / "wget-fr.po"
    converted = tmp_path / "fr.po"
    msgconv(path, "UTF-8", converted)
    po = read_po(path)
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert format_po(po) == converted.read_text(encoding="utf-8")
    assert any("é" in entry.msgstr for entry in po)


@requires_gettext
def test_a_catalog_msgfmt_refuses_in_its_charset_is_refused_at_the_same_line() -> None:
    path = LEGACY / "wget-zh_TW.Big5.po"
    done = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, env=ENV)
    assert done.returncode == 1 and f"{path}:824:" in done.stderr.decode()
    with pytest.raises(CatalogError) as caught:
        read_po(path)
    assert caught.value.line == 824


@pytest.mark.parametrize(
    ("charset", "data", "line"),
    [
        ("ISO-8859-1", None, None),
        ("ASCII", "é".encode("latin-1"), 10),
        ("EUC-JP", b"\xff\xfe", 10),
        ("KOI8-R", None, None),
    ],
)
def test_bytes_that_are_not_the_declared_charset_are_one_line(
    tmp_path: Path, charset: str, data: bytes | None, line: int | None
) -> None:
    path = tmp_path / "x.po"
    header = HEADER.format(lang="fr").replace("UTF-8", charset).encode("ascii")
    body = b'msgid "a"\nmsgstr "' + (data or "é".encode("latin-1")) + b'"\n'
    path.write_bytes(header + body)
    if data is None:  # every byte means something in these: read, not refused
        assert read_text(path).endswith('msgstr "' + (b"\xe9".decode(charset)) + '"\n')
        return
    with pytest.raises(CatalogError) as caught:
        read_text(path)
    assert caught.value.format() == f"{path}:{line}: catalog is not valid {charset}"


def test_no_charset_or_the_placeholder_means_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(
        HEADER.format(lang="fr").replace("UTF-8", "CHARSET").encode()
        + 'msgid "a"\nmsgstr "é"\n'.encode()
    )
    assert read_catalog(path)[1] is None
    path.write_bytes(b'msgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(CatalogError, match="not valid UTF-8"):
        read_text(path)


@requires_gettext
def test_a_byte_order_mark_is_refused_as_msgfmt_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.po"
    path.write_bytes(b"\xef\xbb\xbf" + utf8_catalog("fr", "été").encode())
    done = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, env=ENV)
    assert done.returncode == 1
    with pytest.raises(CatalogError) as caught:
        read_po(path)
    assert caught.value.format() == (
        f"{path}:1: catalog starts with a byte-order mark, which msgfmt refuses; "
        "save it as UTF-8 without BOM"
    )


# --- a workspace with one legacy catalog -------------------------------------------------------

SOURCE = "Il sourit.\n\nÉlodie arrive à midi. Le chat dort sur le canapé.\n"


def invoke(*args: str, code: int = 0) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


@requires_gettext
def test_one_legacy_catalog_works_everywhere_and_is_converted_once(workspace: Path) -> None:
    (workspace / "source" / next(iter((workspace / "source").iterdir())).name).unlink()
    (workspace / "source" / "note.txt").write_text(SOURCE, encoding="utf-8")
    twin = workspace.parent / "twin"
    shutil.copytree(workspace, twin)
    for root in (workspace, twin):
        invoke("update", "-w", str(root))
    po = workspace / "locales" / "es" / "note.po"
    msgconv(po, "ISO-8859-1", po)
    legacy = po.read_bytes()
    # Read-only commands and an update that changes nothing: as for UTF-8, file untouched.
    for command in ("stats", "check", "update"):
        ours, twins = invoke(command, "-w", str(workspace)), invoke(command, "-w", str(twin))
        assert ours == twins
    assert po.read_bytes() == legacy
    # A command that writes the catalog: UTF-8, said once; the rest as for UTF-8.
    out, err = invoke("translate", "-w", str(workspace), "--engine", "pseudo", "--to", "es,de")
    twin_out, twin_err = invoke("translate", "-w", str(twin), "--engine", "pseudo", "--to", "es,de")
    assert out == twin_out
    assert err == twin_err + (
        "tirage: locales/es/note.po: was ISO-8859-1; written as UTF-8 "
        "(its header now says charset=UTF-8)\n"
    )
    assert po.read_bytes() == (twin / "locales" / "es" / "note.po").read_bytes()
