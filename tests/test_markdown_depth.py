"""Deep Markdown: 1,000 levels of quotes and lists are read to the bottom, through every
edition; deeper is refused with one line naming the line, never dropped in silence."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hostile import assert_refused
from tirage.cli import main

DEPTH = 1000


def _workspace(tmp_path: Path, page: str) -> Path:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "source" / "deep.md").write_text(page, encoding="utf-8")
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    return root


def test_a_thousand_levels_reach_the_template_and_every_edition(tmp_path: Path) -> None:
    quotes = "> " * DEPTH + "Le fond des citations.\n"
    items = "".join("  " * level + f"- Niveau {level} de la liste.\n" for level in range(DEPTH))
    root = _workspace(tmp_path, f"Début.\n\n{quotes}\n{items}")
    runner = CliRunner()
    for args in (["update", "-q"], ["translate", "-q"]):
        result = runner.invoke(main, [*args, "--workspace", str(root)])
        assert result.exit_code == 0, result.output
    pot = (root / "locales" / "deep.pot").read_text(encoding="utf-8")
    assert 'msgid "Le fond des citations."' in pot
    assert all(f'msgid "Niveau {level} de la liste."' in pot for level in range(DEPTH))
    export = ["export", "--include-fuzzy", "--threshold", "0", "-q", "--format", "md,html"]
    result = runner.invoke(main, [*export, "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    markdown = (root / "editions" / "en" / "deep.md").read_text(encoding="utf-8")
    html = (root / "editions" / "en" / "deep.html").read_text(encoding="utf-8")
    # The pseudo translation of the deepest quote and item, in both editions.
    for deepest in ("Ļé ƒöñđ đéš çîţàţîöñš.", "Ñîṽéàû 999 đé ļà ļîšţé."):
        assert deepest in markdown
        assert deepest in html


def test_deeper_than_the_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "Début.\n\n" + "> " * (2 * DEPTH + 100) + "Trop profond.\n")
    assert_refused(root, ["update", "--workspace", str(root)], "source/deep.md:3: ")


def test_the_print_edition_refuses_what_it_cannot_nest_in_one_line(tmp_path: Path) -> None:
    """WeasyPrint lays out nested boxes recursively: a page nested hundreds deep is refused
    for print, in one line, and nothing is written; the other editions hold it."""
    items = "".join("  " * level + f"- Niveau {level}.\n" for level in range(300))
    root = _workspace(tmp_path, f"Début.\n\n{items}")
    runner = CliRunner()
    for args in (["update", "-q"], ["translate", "-q"]):
        assert runner.invoke(main, [*args, "--workspace", str(root)]).exit_code == 0
    export = ["export", "--include-fuzzy", "--threshold", "0", "--format", "pdf"]
    assert_refused(root, [*export, "--workspace", str(root)], "cannot print: blockquotes or lists")
