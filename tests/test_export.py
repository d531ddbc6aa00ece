"""`tirage export` and `tirage build`: the publish gate, per-language report, stale editions."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.po.pofile import save_po
from tirage.readers import read_document

from conftest import INTERVIEW


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, [*args, "--workspace", str(ws)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def write_catalog(
    ws: Path, lang: str, share: float = 1.0, fuzzy: bool = False, mark: str = "<{lang}>"
) -> None:
    """A catalog translating the first `share` of the interview's msgids (each translation
    is the msgid after `mark`)."""
    doc = read_document(ws / "source" / f"{INTERVIEW}.txt", ws)
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": lang,
        "Last-Translator": "Jane Doe <jane@example.org>",
        "PO-Revision-Date": "2015-05-28 10:00+0200",
    }
    msgids = list(dict.fromkeys(s.text for s in doc.segments()))
    cut = round(len(msgids) * share)
    prefix = mark.format(lang=lang)
    for i, msgid in enumerate(msgids):
        entry = polib.POEntry(msgid=msgid, msgstr=f"{prefix} {msgid}" if i < cut else "")
        if fuzzy and entry.msgstr:
            entry.flags.append("fuzzy")
        po.append(entry)
    path = ws / "locales" / lang / f"{INTERVIEW}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_po(path, po)


def editions(ws: Path) -> list[str]:
    root = ws / "editions"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_nothing_reviewed_nothing_published(runner: CliRunner, workspace: Path) -> None:
    code, out = run(runner, workspace, "export")
    assert code == 0
    assert "de: 0% reviewed, need 80%: not published" in out
    assert not (workspace / "editions").exists() or editions(workspace) == []


def test_strict_exits_1_when_held_back(runner: CliRunner, workspace: Path) -> None:
    write_catalog(workspace, "en")
    code, out = run(runner, workspace, "export", "--strict")
    assert code == 1  # `<en>` is an HTML tag its source lacks: check's error, nothing exported
    assert "--strict: 48 error-level findings in entries this export would publish" in out
    assert not (workspace / "editions").exists()
    write_catalog(workspace, "en", mark="EN")
    code, out = run(runner, workspace, "export", "--strict")
    assert code == 1
    assert "held back (--strict): es, de" in out
    code, _ = run(runner, workspace, "export", "--strict", "--to", "en")
    assert code == 0


def test_reviewed_language_is_published(runner: CliRunner, workspace: Path) -> None:
    write_catalog(workspace, "en")
    write_catalog(workspace, "es", share=0.5)
    code, out = run(runner, workspace, "export")
    assert code == 0
    assert out.splitlines()[0].startswith("en: 100% reviewed: published")
    assert "es: 50% reviewed, need 80%: not published" in out
    assert editions(workspace) == [
        *(f"en/{INTERVIEW}.{ext}" for ext in ("html", "md", "txt")),
        f"fr/{INTERVIEW}.html",  # the original, which the English edition links to
    ]
    assert f"fr {INTERVIEW}: the original, linked from each edition" in out
    html = (workspace / "editions" / "en" / f"{INTERVIEW}.html").read_text(encoding="utf-8")
    assert "&lt;en&gt; Lyon" in html
    assert 'hreflang="en"' in html and 'hreflang="es"' not in html
    original = (workspace / "editions" / "fr" / f"{INTERVIEW}.html").read_text(encoding="utf-8")
    assert original.startswith('<!DOCTYPE html>\n<html lang="fr"')
    assert '<p class="answer"><span' not in original  # the source is no fallback here
    assert "Thierry Alvergnat : « La province" in original
    assert "Translated from French by Jane Doe, May 28, 2015." in html
    # Running again changes nothing.
    _, out = run(runner, workspace, "export")
    assert "(0 written, 3 unchanged)" in out
    assert "(0 written, 1 unchanged)" in out


def test_threshold_zero_never_publishes_the_source_as_a_translation(
    runner: CliRunner, workspace: Path
) -> None:
    """An edition never claims a language it is not in: under half translated, it is
    refused whatever the threshold, unless --allow-untranslated asks for a preview."""
    code, out = run(runner, workspace, "export", "--threshold", "0")
    assert code == 0
    assert (
        "en: 0% reviewed: not published: under 50% of it would be in English "
        "(--allow-untranslated writes it anyway)"
    ) in out.splitlines()
    assert not (workspace / "editions").exists() or editions(workspace) == []
    write_catalog(workspace, "en", share=0.3)
    _, out = run(runner, workspace, "export", "--threshold", "0", "--to", "en")
    assert "not published: under 50%" in out
    _, out = run(runner, workspace, "export", "--threshold", "60", "--to", "en")
    assert "reviewed, need 60%: not published" in out


def test_allow_untranslated_writes_the_source_as_it_is(runner: CliRunner, workspace: Path) -> None:
    code, out = run(
        runner, workspace, "export", "--threshold", "0", "--format", "txt", "--allow-untranslated"
    )
    assert code == 0
    assert "untranslated: the French source as it is (--allow-untranslated)" in out
    source = (workspace / "source" / f"{INTERVIEW}.txt").read_bytes()
    for lang in ("en", "es", "de"):
        assert (workspace / "editions" / lang / f"{INTERVIEW}.txt").read_bytes() == source
    assert editions(workspace) == [f"{lang}/{INTERVIEW}.txt" for lang in ("de", "en", "es")]


def test_fuzzy_counts_only_when_included(runner: CliRunner, workspace: Path) -> None:
    write_catalog(workspace, "de", share=0.9, fuzzy=True)
    _, out = run(runner, workspace, "export", "--to", "de")
    assert "de: 0% reviewed, need 80%: not published" in out
    _, out = run(runner, workspace, "export", "--to", "de", "--include-fuzzy")
    assert "de: 0% reviewed + 90% fuzzy: published" in out
    html = (workspace / "editions" / "de" / f"{INTERVIEW}.html").read_text(encoding="utf-8")
    assert '<span lang="fr">' in html  # the untranslated tenth falls back to the source
    assert "Einige Passagen sind noch nicht geprüft." in html


def test_held_back_language_loses_its_old_editions(runner: CliRunner, workspace: Path) -> None:
    write_catalog(workspace, "en", share=0.85)
    run(runner, workspace, "export", "--to", "en")
    assert len(editions(workspace)) == 4
    _, out = run(runner, workspace, "export", "--to", "en", "--threshold", "90")
    assert "en: 85% reviewed, need 90%: not published" in out
    assert (
        f"  removed {INTERVIEW}.txt, {INTERVIEW}.md, {INTERVIEW}.html, written earlier: "
        "editions/ holds only what passes the gate now"
    ) in out.splitlines()
    assert f"fr {INTERVIEW}: no edition published, 1 old page(s) removed" in out
    assert editions(workspace) == []


def test_build_says_which_earlier_editions_it_removes(
    runner: CliRunner, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    write_catalog(workspace, "de", share=0.6)
    run(runner, workspace, "export", "--to", "de", "--threshold", "50")
    assert len(editions(workspace)) == 4  # with the original, which the editions link to
    _, out = run(runner, workspace, "build", "--to", "de")
    assert "de: 60% reviewed, need 80%: not published" in out
    assert "written earlier: editions/ holds only what passes the gate now" in out
    assert editions(workspace) == []


def test_passages_left_in_the_source_language_are_labelled_and_credited(
    runner: CliRunner, workspace: Path
) -> None:
    write_catalog(workspace, "en", share=0.85)
    code, out = run(runner, workspace, "export", "--to", "en")
    assert code == 0
    left = int(out.split("; ")[1].split()[0])
    assert left > 0
    assert f'; {left} passage(s) left in French, marked [fr] and lang="fr"' in out
    folder = workspace / "editions" / "en"
    text = (folder / f"{INTERVIEW}.txt").read_text(encoding="utf-8")
    markdown = (folder / f"{INTERVIEW}.md").read_text(encoding="utf-8")
    html = (folder / f"{INTERVIEW}.html").read_text(encoding="utf-8")
    credit = (
        f"Translated from French by Jane Doe, May 28, 2015. {left} passages are left in French."
    )
    # The text edition has its credit too, and every passage left in French is marked.
    assert text.endswith(f"\n\n---\n\n{credit}\n")
    assert markdown.endswith(f"*{credit}*\n") and credit in html
    assert "[fr] Je pense aussi" in text or text.count("[fr] ") >= left
    assert markdown.count("\\[fr\\] ") >= left
    assert html.count('<span lang="fr">') >= left


def test_text_format_of_a_markdown_source_says_why_nothing_is_written(
    runner: CliRunner, workspace: Path
) -> None:
    for path in (workspace / "source").iterdir():
        path.unlink()
    (workspace / "source" / "note.md").write_text("# Titre\n\nBien sûr.\n", encoding="utf-8")
    assert run(runner, workspace, "update", "-q")[0] == 0
    path = workspace / "locales" / "en" / "note.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = "EN " + entry.msgid
    save_po(path, po)
    code, out = run(runner, workspace, "export", "--to", "en", "--format", "text")
    assert code == 0
    assert out.splitlines() == [
        "en: 100% reviewed: nothing written: a Markdown source has no text edition "
        "(its formats: markdown, html, pdf, epub)"
    ]
    assert not (workspace / "editions").exists() or editions(workspace) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--to", "it"], 2), (["--format", "rtf"], 2), (["--threshold", "120"], 2)],
)
def test_usage_errors(runner: CliRunner, workspace: Path, args: list[str], code: int) -> None:
    actual, _ = run(runner, workspace, "export", *args)
    assert actual == code


def test_build_without_models_publishes_what_is_reviewed(
    runner: CliRunner, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    write_catalog(workspace, "en")
    code, out = run(runner, workspace, "build")
    assert code == 0, out
    lines = out.splitlines()
    # No Argos package and no Apertium pair for German: one line says how to install one.
    assert any(
        line.startswith("de: not machine-translated: no Argos package") and "install" in line
        for line in lines
    )
    assert any(line.startswith("en: 100% reviewed: published") for line in lines)
    assert "de: 0% reviewed, need 80%: not published" in lines
    assert "es: 0% reviewed, need 80%: not published" in lines
    assert (workspace / "locales" / f"{INTERVIEW}.pot").is_file()


def test_credit_names_the_engines_of_unreviewed_output(runner: CliRunner, workspace: Path) -> None:
    write_catalog(workspace, "es", share=1.0)
    path = workspace / "locales" / "es" / f"{INTERVIEW}.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.flags.append("fuzzy")
        entry.tcomment = "tirage-mt: engine=apertium; model=fr-es; version=3.8.3"
    save_po(path, po)
    _, out = run(runner, workspace, "export", "--to", "es", "--include-fuzzy")
    assert "published" in out
    text = (workspace / "editions" / "es" / f"{INTERVIEW}.txt").read_text(encoding="utf-8")
    assert text.endswith(
        "Traducido del francés por Jane Doe, 28 de mayo de 2015. Algunos pasajes aún no "
        "están revisados. Traducción automática: Apertium.\n"
    )
