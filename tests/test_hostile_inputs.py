"""Odd sources and crafted model packages: refused in one line, with nothing written."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from hostile import assert_refused, assert_refused_apart, snapshot
from tirage import models
from tirage.cli import main
from tirage.memory import TranslationMemory
from tirage.models import install_file, installed_models
from tirage.po.pofile import read_po, save_po

from conftest import INTERVIEW

# --- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A NUL after the first 8 KiB (the binary sniff) on line 201.
        ("Une phrase assez longue pour remplir le fichier.\n" * 200 + "Fin\x00.\n",
         "bad.txt:201: control character \\x00 in the text"),
        ("Titre\n\nIl a dit\x1b[2J oui.\n", "bad.txt:3: control character \\x1b in the text"),
        ("Titre\n\nUn saut\x0cde page.\n", "bad.txt:3: control character \\x0c"),
        ("Titre\n\nUn C1\x85 ici.\n", "bad.txt:3: control character \\x85"),
        ("Titre\r\rUn retour seul.\n", "bad.txt:1: control character \\x0d"),
    ],
)  # fmt: skip
def test_control_characters_in_sources_are_refused(
    workspace: Path, text: str, message: str
) -> None:
    (workspace / "source" / "bad.txt").write_text(text, encoding="utf-8", newline="")
    assert_refused(workspace, ["update", "-w", str(workspace)], message)


def test_control_characters_in_file_names_are_refused(workspace: Path) -> None:
    (workspace / "source" / "two\nlines.txt").write_text("Titre\n\nBien sûr.\n")
    assert_refused(
        workspace,
        ["update", "-w", str(workspace)],
        "source/two\\x0alines.txt: control character \\x0a in the file name",
    )


def test_a_bad_last_source_leaves_the_others_unwritten(workspace: Path) -> None:
    # update reads each source only when it plans it (memory): the documents before the bad
    # one are planned by then, and must still not be written.
    (workspace / "source" / "zz-last.txt").write_text("Titre\n\nIl a dit\x1b[2J oui.\n")
    assert_refused(workspace, ["update", "-w", str(workspace)], "zz-last.txt:3: control")


def test_tabs_and_crlf_sources_are_text(runner: CliRunner, workspace: Path) -> None:
    source = workspace / "source" / f"{INTERVIEW}.txt"
    source.write_bytes(b"Titre\r\n\r\nIl a dit\toui.\r\n")
    result = runner.invoke(main, ["update", "-w", str(workspace)])
    assert result.exit_code == 0, result.output


# --- model packages ------------------------------------------------------------------------


def rezip(src: Path, dest: Path, *, top: str | None = None, **metadata: str) -> Path:
    """A copy of a genuine package with its metadata changed (and its folder renamed)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        old_top = zin.namelist()[0].split("/")[0]
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **metadata}).encode()
            zout.writestr(item.filename.replace(old_top, top or old_top, 1), data)
    return dest


def refuse_install(archive: Path, argos: dict[str, str], message: str) -> None:
    home = Path(argos["ARGOS_PACKAGES_DIR"]).parent
    assert_refused(home, ["models", "install", str(archive)], message)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"from_code": "../../x"}, "from_code '../../x' is not a language code"),
        ({"to_code": "/etc"}, "to_code '/etc' is not a language code"),
        ({"to_code": "english"}, "to_code 'english' is not a language code"),
        ({"from_code": "zz"}, "from_code 'zz' is not a language code"),
    ],
)
def test_package_language_codes_are_real_codes(
    argos_archives: dict[str, Path],
    argos_empty: dict[str, str],
    tmp_path: Path,
    metadata: dict[str, str],
    message: str,
) -> None:
    archive = rezip(argos_archives["fr_en"], tmp_path / "crafted.argosmodel", **metadata)
    refuse_install(archive, argos_empty, message)
    assert installed_models() == []


def test_install_never_replaces_another_pair(
    argos_archives: dict[str, Path], argos_empty: dict[str, str], tmp_path: Path
) -> None:
    install_file(argos_archives["fr_en"])
    before = installed_models()
    top = before[0].path.name if before[0].path else ""
    # Same folder name as the installed fr→en package, but it says fr→de.
    archive = rezip(argos_archives["fr_en"], tmp_path / "other.argosmodel", top=top, to_code="de")
    refuse_install(archive, argos_empty, f"would replace {top} (fr→en) with fr→de")
    assert installed_models() == before


def test_a_package_that_extracts_too_large_is_refused(
    argos_archives: dict[str, Path],
    argos_empty: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    size = sum(i.file_size for i in zipfile.ZipFile(argos_archives["fr_en"]).infolist())
    monkeypatch.setattr(models, "MAX_UNCOMPRESSED", size - 1)  # the limit, not a huge file
    refuse_install(
        argos_archives["fr_en"], argos_empty, f"would extract to {size} bytes, more than the limit"
    )


def test_a_zip_bomb_is_refused_before_extraction(
    argos_archives: dict[str, Path], argos_empty: dict[str, str], tmp_path: Path
) -> None:
    bomb = rezip(argos_archives["fr_en"], tmp_path / "bomb.argosmodel")
    top = zipfile.ZipFile(bomb).namelist()[0].split("/")[0]
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr(f"{top}/padding.bin", bytes(64 << 20))  # 64 MB of zeros, ~64 KB stored
    home = Path(argos_empty["ARGOS_PACKAGES_DIR"]).parent
    refuse_install(bomb, argos_empty, "more than the limit of 100:1 (a zip bomb?)")
    assert sum(len(data or b"") for data in snapshot(home).values()) < 1 << 20


# --- a translator's markup -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("added", "finding"),
    [
        ("<script>alert(1)</script>", "[error] markup: HTML <script> is not in the source"),
        ("[here](javascript:alert(1))", "[error] markup: link scheme javascript: is not in"),
    ],
)
def test_check_flags_markup_a_translator_added(
    runner: CliRunner, workspace: Path, added: str, finding: str
) -> None:
    assert runner.invoke(main, ["update", "-w", str(workspace)]).exit_code == 0
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    entry = po.find("Bien sûr.")
    entry.msgstr = f"Of course. {added}"
    save_po(path, po)
    result = runner.invoke(main, ["check", "-w", str(workspace), "--to", "en"])
    assert result.exit_code == 1
    assert finding in result.output


# --- what is not a file, where a file belongs ----------------------------------------------


def prepared(runner: CliRunner, workspace: Path) -> list[str]:
    """The workspace with its catalogs and editions; `-w` and its path."""
    w = ["-w", str(workspace)]
    for args in (["update", *w], ["export", *w, "--allow-untranslated", "--threshold", "0"]):
        assert runner.invoke(main, args).exit_code == 0
    return w


def test_special_files_are_refused_as_input(runner: CliRunner, workspace: Path) -> None:
    w = prepared(runner, workspace)
    fifo = workspace / "source" / "pipe.txt"
    os.mkfifo(fifo)
    assert_refused_apart(workspace, ["update", *w], "source/pipe.txt: a FIFO, not a regular file")
    assert_refused_apart(workspace, ["segment", str(fifo)], "pipe.txt: a FIFO, not a regular")
    fifo.unlink()
    assert_refused_apart(workspace, ["segment", "/dev/zero"], "/dev/zero: a device, not a")
    assert_refused_apart(workspace, ["memory", "import", *w, "/dev/zero"], "/dev/zero: a device")
    catalog = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    catalog.unlink()
    os.mkfifo(catalog)
    for command in ("update", "translate"):
        assert_refused_apart(workspace, [command, *w], f"{INTERVIEW}.po: a FIFO, not a regular")


@pytest.mark.parametrize("name", ["tirage.toml", "glossary.csv"])
def test_a_fifo_for_settings_is_refused(runner: CliRunner, workspace: Path, name: str) -> None:
    (workspace / name).unlink()
    os.mkfifo(workspace / name)
    # No tirage.toml that is a file: not a workspace at all.
    fragment = "no tirage.toml" if name == "tirage.toml" else f"{name}: a FIFO, not a regular"
    assert_refused_apart(workspace, ["translate", "-w", str(workspace)], fragment)


def test_special_files_are_refused_as_output(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    w = prepared(runner, workspace)
    export = ["memory", "export", *w]
    assert_refused_apart(workspace, [*export, "/dev/full"], "/dev/full: a device, not a regular")
    assert_refused_apart(workspace, [*export, "/dev/stdout"], "/dev/stdout: a link to ")
    assert os.path.islink("/dev/stdout")  # written over, it would be a file now
    edition = workspace / "editions" / "en" / f"{INTERVIEW}.md"
    edition.unlink()
    os.mkfifo(edition)
    args = [
        "export",
        *w,
        "--allow-untranslated",
        "--threshold",
        "0",
        "--to",
        "en",
        "--format",
        "md",
    ]
    assert_refused_apart(workspace, args, f"{INTERVIEW}.md: a FIFO, not a regular file")
    edition.unlink()
    edition.symlink_to("/dev/zero")
    assert_refused_apart(workspace, args, f"{INTERVIEW}.md: a link to /dev/zero, outside")
    edition.unlink()
    edition.symlink_to(workspace / "glossary.csv")  # inside: still not written through
    assert_refused_apart(workspace, args, "tirage writes only regular files, never over or")


def test_memory_export_never_creates_folders(workspace: Path, tmp_path: Path) -> None:
    w = ["-w", str(workspace)]
    target = tmp_path / "nonexistent" / "dir" / "x.tmx"
    assert_refused(tmp_path, ["memory", "export", *w, str(target)], "no such folder")
    assert not (tmp_path / "nonexistent").exists()
    memory = workspace / ".tirage" / "memory.sqlite"
    assert CliRunner().invoke(main, ["update", *w, "-q"]).exit_code == 0
    fragment = "one of the workspace's own files"
    assert_refused(tmp_path, ["memory", "export", *w, str(memory)], fragment)


def test_memory_import_of_a_folder_is_one_line(workspace: Path, tmp_path: Path) -> None:
    args = ["memory", "import", "-w", str(workspace), str(tmp_path)]
    assert_refused(tmp_path, args, f"{tmp_path}: a folder, not a regular file")


@pytest.mark.parametrize("place", ["source", "locales", "editions", ".tirage", "xliff"])
def test_a_file_where_a_folder_belongs(runner: CliRunner, workspace: Path, place: str) -> None:
    w = prepared(runner, workspace)
    path = workspace / place
    if path.is_dir():
        shutil.rmtree(path)
    path.write_text("a file\n", encoding="utf-8")
    for command in (["update"], ["translate", "--engine", "pseudo"], ["stats"], ["export"]):
        assert_refused(workspace, [*command, *w], f"{place}: a file where tirage keeps a folder")


@pytest.mark.parametrize(
    ("place", "fragment"),
    [
        (f"locales/en/{INTERVIEW}.po", "a folder where tirage writes a file"),
        (f"locales/{INTERVIEW}.pot", "a folder where tirage writes a file"),
        (f"editions/en/{INTERVIEW}.html", "a folder where tirage writes a file"),
        (".tirage/memory.sqlite", "a folder where tirage keeps a file"),
        (f".tirage/locks/locales/en/{INTERVIEW}.po.lock", "a folder where tirage keeps a file"),
        ("glossary.csv", "glossary.csv: a folder, not a regular file"),
        ("source/chapter.txt", "source/chapter.txt: a folder where a document belongs"),
    ],
)
def test_a_folder_where_a_file_belongs(
    runner: CliRunner, workspace: Path, place: str, fragment: str
) -> None:
    w = prepared(runner, workspace)
    assert runner.invoke(main, ["translate", *w, "--engine", "pseudo", "--to", "en"]).exit_code == 0
    path = workspace / place
    if path.is_dir():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    path.mkdir(parents=True)
    for command in (["update"], ["translate", "--engine", "pseudo"], ["stats"], ["export"]):
        assert_refused(workspace, [*command, *w], fragment, runner=runner)


# --- misread input -------------------------------------------------------------------------


def test_twin_stems_name_both_files(workspace: Path) -> None:
    (workspace / "source" / "twin.txt").write_text("Titre\n\nUn.\n", encoding="utf-8")
    (workspace / "source" / "twin.md").write_text("# Titre\n\nDeux.\n", encoding="utf-8")
    message = "twin.md and twin.txt would share one template, locales/twin.pot"
    assert_refused(workspace, ["update", "-w", str(workspace)], message)


def test_a_file_name_that_is_not_utf8(workspace: Path) -> None:
    name = os.fsencode(workspace / "source") + b"/caf\xe9.txt"
    with open(name, "w", encoding="utf-8") as handle:
        handle.write("Titre\n\nBien.\n")
    message = "source/caf\\xe9.txt: the file name is not UTF-8"
    assert_refused(workspace, ["update", "-w", str(workspace)], message)


def test_toml_nested_ten_thousand_deep(workspace: Path) -> None:
    config = workspace / "tirage.toml"
    deep = "[" * 10_000 + "1" + "]" * 10_000
    config.write_text(config.read_text(encoding="utf-8") + f"\n[team]\nname = {deep}\n")
    message = "tirage.toml: invalid TOML: arrays or tables nested too deeply"
    assert_refused(workspace, ["stats", "-w", str(workspace)], message)


# --- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def tiny_state(workspace: Path) -> Iterator[Path]:
    """`.tirage/` on a tmpfs of 200 KB, enough to create the memory, not to fill it."""
    state = workspace / ".tirage"
    state.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(state)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield state
    finally:
        subprocess.run(["umount", str(state)], check=True)


def tmx_of(path: Path, units: int) -> Path:
    tus = "".join(
        f'<tu><tuv xml:lang="fr"><seg>Phrase numéro {i}, assez longue pour peser.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Sentence number {i}, long enough to weigh.</seg></tuv></tu>'
        for i in range(units)
    )
    path.write_text(
        f'<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>{tus}</body></tmx>',
        encoding="utf-8",
    )
    return path


def test_a_full_disk_is_one_line(runner: CliRunner, workspace: Path, tiny_state: Path) -> None:
    w = ["-w", str(workspace)]
    assert runner.invoke(main, ["update", *w, "-q"]).exit_code == 0
    tmx = tmx_of(workspace.parent / "big.tmx", 3000)
    line = (
        "tirage: .tirage/memory.sqlite: the translation memory could not be written (database "
        "or disk is full); its last transaction was undone, free some space and run the "
        "command again"
    )
    before = snapshot(workspace)
    result = runner.invoke(main, ["memory", "import", *w, str(tmx)])
    assert (result.exit_code, result.output.splitlines()) == (1, [line])
    # The memory's own files changed (and were rolled back); nothing else did.
    outside_state = {k: v for k, v in snapshot(workspace).items() if not k.startswith(".tirage")}
    assert outside_state == {k: v for k, v in before.items() if not k.startswith(".tirage")}
    result = runner.invoke(main, ["translate", *w, "--engine", "pseudo"])
    assert (result.exit_code, result.output.splitlines()) == (1, [line])
    # A catalog saved before the memory filled up is whole: each save is atomic.
    for lang in ("en", "es", "de"):
        read_po(workspace / "locales" / lang / f"{INTERVIEW}.po")


# A translator's markup in every edition format: what a browser or a Markdown renderer would
# run or load, none of which the source segment has.
INJECTIONS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">here</a>',
    "[here](javascript:alert(1))",
    "[here](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{display:none}</style>",
    "<!-- hidden note -->",
    "<javascript:alert(1)>",
]
NOTES = "# Notes\n\nBien sûr.\n\nVoir [le site](https://example.org/) pour *plus*.\n"


class Active(HTMLParser):
    """What in a page would run, load or hide: elements, handlers, script links, comments."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "style", "object", "embed", "img"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            scheme = (value or "").strip().lower()
            if scheme.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{name}={scheme[:11]}")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!--")


def active(html: str) -> list[str]:
    parser = Active()
    parser.feed(html)
    return parser.found


def translate_bien_sur(workspace: Path, text: str) -> None:
    for doc in (INTERVIEW, "notes"):
        path = workspace / "locales" / "en" / f"{doc}.po"
        po = read_po(path)
        po.find("Bien sûr.").msgstr = text
        save_po(path, po)


def rendered_editions(workspace: Path) -> dict[str, str]:
    """Each HTML edition, and each Markdown edition as CommonMark renders it (raw HTML on,
    as most sites render Markdown)."""
    editions = workspace / "editions" / "en"
    renderer = MarkdownIt("commonmark")
    pages = {}
    for doc in (INTERVIEW, "notes"):
        pages[f"{doc}.md"] = renderer.render((editions / f"{doc}.md").read_text("utf-8"))
        pages[f"{doc}.html"] = (editions / f"{doc}.html").read_text("utf-8")
    return pages


@pytest.mark.parametrize("injection", INJECTIONS)
def test_no_edition_publishes_a_translators_markup(
    runner: CliRunner, workspace: Path, injection: str
) -> None:
    (workspace / "source" / "notes.md").write_text(NOTES, encoding="utf-8")
    w = ["-w", str(workspace)]
    assert runner.invoke(main, ["update", *w, "-q"]).exit_code == 0
    export = ["export", *w, "--to", "en", "--threshold", "0", "--allow-untranslated", "-q"]
    formats = ["--format", "txt,md,html"]
    translate_bien_sur(workspace, "Of course.")
    assert runner.invoke(main, [*export, *formats]).exit_code == 0
    # The editions' own head (JSON-LD, the style sheet) and the source's own markup.
    baseline = {name: active(page) for name, page in rendered_editions(workspace).items()}
    translate_bien_sur(workspace, f"Of course. {injection}")
    result = runner.invoke(main, [*export, *formats])
    assert result.exit_code == 0, result.output
    for name, page in rendered_editions(workspace).items():
        assert active(page) == baseline[name], (name, page)
        assert "Of course. " in page, name  # what the translator typed is shown as text
    # The text edition is plain text: the characters as typed, nothing that is markup to it.
    text = (workspace / "editions" / "en" / f"{INTERVIEW}.txt").read_text("utf-8")
    assert f"Of course. {injection}" in text
    # The Markdown source's own link and emphasis are still markup.
    notes = rendered_editions(workspace)["notes.md"]
    assert '<a href="https://example.org/">' in notes and "<em>" in notes
    # --strict exports nothing while check has an error on a published entry.
    before = snapshot(workspace)
    result = runner.invoke(main, [*export, "--strict"])
    assert result.exit_code == 1, result.output
    line = result.output.splitlines()
    assert len(line) == 1 and re.match(r"tirage: --strict: \d+ error-level findings", line[0])
    assert "nothing exported (see tirage check); the first: locales/en/" in line[0]
    assert snapshot(workspace) == before


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_print_edition_shows_a_translators_markup_as_text(
    runner: CliRunner, workspace: Path
) -> None:
    w = ["-w", str(workspace)]
    assert runner.invoke(main, ["update", *w, "-q"]).exit_code == 0
    path = workspace / "locales" / "en" / f"{INTERVIEW}.po"
    po = read_po(path)
    po.find("Bien sûr.").msgstr = 'Of course. <a href="javascript:alert(1)">here</a> <script>x()'
    save_po(path, po)
    args = ["export", *w, "--to", "en", "--threshold", "0", "--allow-untranslated", "-q"]
    assert runner.invoke(main, [*args, "--format", "pdf"]).exit_code == 0
    pdf = workspace / "editions" / "en" / f"{INTERVIEW}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert '<a href="javascript:alert(1)">here</a>' in " ".join(text.split())
    assert b"javascript:" not in pdf.read_bytes().replace(b"\n", b"")  # not as a link, /URI


def test_a_folder_or_a_file_in_the_wrong_place_on_the_command_line(
    workspace: Path, tmp_path: Path
) -> None:
    config = workspace / "tirage.toml"
    w = ["-w", str(workspace)]
    for args, fragment in (
        (["segment", str(tmp_path)], f"{tmp_path}: a folder, not a regular file"),
        (["stats", "-w", str(config)], "tirage.toml: not a folder"),
        (["init", str(config), "--source", "fr", "--targets", "en"], "tirage.toml: not a folder"),
        (["memory", "export", *w, str(tmp_path)], f"{tmp_path}: a folder, not a regular file"),
    ):
        assert_refused(tmp_path, args, fragment)


def test_a_full_disk_is_one_line_without_root(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no tmpfs can be mounted: SQLite's own error, raised where it would be."""
    w = ["-w", str(workspace)]
    assert runner.invoke(main, ["update", *w, "-q"]).exit_code == 0
    tmx = tmx_of(workspace.parent / "small.tmx", 3)

    def full(self: TranslationMemory) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranslationMemory, "commit", full)
    fragment = "could not be written (database or disk is full); its last transaction was undone"
    assert_refused(workspace, ["memory", "import", *w, str(tmx)], fragment, runner=runner)
