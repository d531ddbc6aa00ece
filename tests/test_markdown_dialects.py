"""Each dialect's constructs, one sample page per dialect (tests/data/dialects/constructs/):
the POT and the pseudo-translated Markdown edition are golden files beside the page.

`everywhere.md` is read with no dialect named (`auto`), the others with the dialect of their
name; `docusaurus.mdx` is MDX by its suffix as well.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import assert_refused
from tirage.catalog import build_template
from tirage.cli import main
from tirage.document import Document
from tirage.editions import Translations
from tirage.editions.markdown import render_markdown
from tirage.mt.pseudo import PseudoEngine
from tirage.po.pofile import format_po
from tirage.readers import read_document
from tirage.readers.markdown import read_markdown
from tirage.readers.markdown_dialects import MarkdownOptions
from tirage.text.protect import protect, translate_protected

from conftest import DATA
from golden import assert_golden

SAMPLES = DATA / "dialects" / "constructs"
PAGES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".md", ".mdx") and ".en." not in p.name)


def _doc(page: Path, dialect: str | None = None) -> Document:
    name = page.stem if dialect is None else dialect
    options = MarkdownOptions("auto" if name == "everywhere" else name)
    return read_document(page, SAMPLES, "fr", options)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_template_and_pseudo_edition_are_golden(page: Path) -> None:
    doc = _doc(page)
    assert_golden(format_po(build_template(doc)), page.with_suffix(".pot"))
    msgids = [s.text for s in doc.segments()]
    pseudo = translate_protected(PseudoEngine("fr", "en"), msgids)
    translations = Translations.from_dict({m: p.text for m, p in zip(msgids, pseudo, strict=True)})
    edition = render_markdown(doc, translations, "en", include_fuzzy=True)
    assert_golden(edition, page.with_name(page.stem + ".en.md"))
    assert render_markdown(doc, Translations(), "en") == page.read_text("utf-8")


def _msgids(page: Path, dialect: str | None = None) -> list[str]:
    return [s.text for s in _doc(page, dialect).segments()]


def test_an_admonition_title_and_body_are_segments_of_their_own() -> None:
    msgids = _msgids(SAMPLES / "mkdocs.md")
    assert "Astuce du jour" in msgids
    assert "Réservez tôt : les places partent vite." in msgids
    assert "Calendrier :calendar:" in msgids  # the emoji is masked, not cut out
    assert not [m for m in msgids if "!!!" in m or "{:" in m or "===" in m or "8<" in m]


def test_mkdocs_constructs_are_prose_when_no_dialect_names_them() -> None:
    """`!!!` and `===` mean something only in MkDocs: elsewhere they are left as text."""
    msgids = _msgids(SAMPLES / "mkdocs.md", "commonmark")
    assert any(m.startswith('!!! tip "Astuce du jour"') for m in msgids)
    auto = _msgids(SAMPLES / "everywhere.md", "auto")
    assert {"Attention !!!", "Sans dialecte nommé, cette ligne est du texte."} <= set(auto)


def test_directives_never_reach_the_text() -> None:
    msgids = _msgids(SAMPLES / "docusaurus.mdx")
    assert {"Astuce", "Zone sensible", "Gardez la console ouverte."} <= set(msgids)
    assert not [m for m in msgids if ":::" in m or "import" in m or "/*" in m]


def test_hugo_code_shortcodes_hold_code_and_containers_hold_prose() -> None:
    msgids = _msgids(SAMPLES / "hugo.md")
    assert "Pensez à **sauvegarder** votre travail." in msgids
    assert not [m for m in msgids if "print(" in m or "notice" in m]
    assert "Premiers pas avec Hugo" in msgids  # TOML front matter


def test_a_shortcode_prose_parameter_is_offered_and_its_quote_escaped() -> None:
    doc = _doc(SAMPLES / "hugo.md")
    msgids = [s.text for s in doc.segments()]
    assert {"Le port au petit matin", "Premier onglet"} <= set(msgids)
    translations = Translations.from_dict({"Premier onglet": 'The "first" tab \\ one'})
    edition = render_markdown(doc, translations, "en")
    assert 'title="The “first” tab \\\\ one"' in edition  # curled quotes, backslash escaped


def test_a_liquid_link_target_is_kept_whole() -> None:
    msgids = _msgids(SAMPLES / "jekyll.md")
    link = next(m for m in msgids if "[#Neurospin]" in m)
    assert "[#Neurospin]({{site.url}}/tags/Neurospin.html)" in link
    assert not [m for m in msgids if "{:" in m or "puts" in m or "options" in m]
    assert "Un paragraphe en <em>HTML</em> brut." in msgids  # {::nomarkdown} is HTML


def test_definitions_and_multi_paragraph_footnotes_are_offered() -> None:
    msgids = _msgids(SAMPLES / "everywhere.md")
    assert "Le second paragraphe de la note, indenté." in msgids
    assert {"Pomme", "Un fruit rouge ou vert."} <= set(msgids)
    assert {"Une tâche à faire", "Une alerte à lire."} <= set(msgids)
    assert not [m for m in msgids if m.startswith((":", "[ ]", "[x]", "[!"))]


def test_the_dialect_setting_is_read_from_tirage_toml(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "source" / "page.md").write_text(
        (SAMPLES / "mkdocs.md").read_text("utf-8"), encoding="utf-8"
    )
    (root / "tirage.toml").write_text(
        'source_language = "fr"\ntarget_languages = ["en"]\n\n[markdown]\n'
        'dialect = "mkdocs"\nfront_matter = ["title"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["update", "-q", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    pot = (root / "locales" / "page.pot").read_text("utf-8")
    assert 'msgid "Astuce du jour"' in pot
    assert 'msgid "Calendrier des ateliers"' in pot
    assert "Les dates et les lieux." not in pot  # summary is not in front_matter here


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('dialect = "mkdoc"', "markdown.dialect: must be one of auto, commonmark, mkdocs"),
        ('front_matter = "title"', "markdown.front_matter: must be a list of names"),
        ('code_shortcodes = ["high light"]', "markdown.code_shortcodes: names hold only"),
    ],
)
def test_a_wrong_markdown_setting_is_refused_at_its_line(
    tmp_path: Path, setting: str, said: str
) -> None:
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "tirage.toml").write_text(
        f'source_language = "fr"\ntarget_languages = ["en"]\n\n[markdown]\n{setting}\n',
        encoding="utf-8",
    )
    assert_refused(root, ["update", "--workspace", str(root)], f"tirage.toml:5: {said}")


def test_update_says_where_an_unnamed_dialect_was_read_as_text(tmp_path: Path) -> None:
    """Nothing is guessed in silence: `auto` reads `!!!` as text, and says so at its line."""
    root = tmp_path / "ws"
    (root / "source").mkdir(parents=True)
    (root / "source" / "page.md").write_text(
        (SAMPLES / "mkdocs.md").read_text("utf-8"), encoding="utf-8"
    )
    config = 'source_language = "fr"\ntarget_languages = ["en"]\n'
    (root / "tirage.toml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, ["update", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert "note: source/page.md:8: an MkDocs admonition or tab, read as text" in result.output
    (root / "tirage.toml").write_text(config + '[markdown]\ndialect = "mkdocs"\n', "utf-8")
    result = CliRunner().invoke(main, ["update", "--workspace", str(root)])
    assert "note:" not in result.output


def test_mdx_component_lines_leave_markdown_after_them() -> None:
    """Without blank lines around them, JSX tags would start an HTML block that swallows
    the Markdown after it (code fences included)."""
    page = '<Tabs\n  defaultValue="a">\n  <TabItem value="a">\nInstallez **le paquet**.\n'
    page += "```bash\nnpm install\n```\n  </TabItem>\n</Tabs>\n"
    doc = read_markdown(Path("x.mdx"), "x.mdx", page, "fr", MarkdownOptions(mdx=True))
    assert [s.text for s in doc.segments()] == ["Installez **le paquet**."]
    assert render_markdown(doc, Translations(), "en") == page


def test_markdown_inside_an_html_element_marked_markdown_is_read_as_markdown() -> None:
    """Python-Markdown's md_in_html (MkDocs): the element's tags are syntax and what they
    hold is Markdown, admonitions included; a plain element inside keeps the count."""
    page = '<div class="grid" markdown>\n- Premier **point**\n- Second point\n\n'
    page += "<div>\n<p>Intérieur.</p>\n</div>\n</div>\n\nAprès le bloc.\n"
    doc = read_markdown(Path("x.md"), "x.md", page, "fr", MarkdownOptions("mkdocs"))
    msgids = [s.text for s in doc.segments()]
    assert msgids == ["Premier **point**", "Second point", "Intérieur.", "Après le bloc."]
    assert render_markdown(doc, Translations(), "en") == page


def test_an_indented_fence_shown_inside_a_code_block_is_code() -> None:
    """A fence closes only at most three columns deeper than it opened: the indented
    example fence inside it does not close it."""
    page = "Avant.\n\n```\n!!! note\n\n    ``` md\n    * point\n    ```\n```\n\n"
    page += '!!! tip "Astuce"\n\n    Après.\n'
    doc = read_markdown(Path("x.md"), "x.md", page, "fr", MarkdownOptions("mkdocs"))
    assert [s.text for s in doc.segments()] == ["Avant.", "Astuce", "Après."]
    assert render_markdown(doc, Translations(), "en") == page


@pytest.mark.parametrize(
    ("sentence", "masked"),
    [
        ("Voir [#Neurospin]({{site.url}}/tags/Neurospin.html) ici.", "({{site.url}}/tags/"),
        ('Une [page]({{< ref "guide.md" >}}) liée.', '({{< ref "guide.md" >}})'),
        ("Une image ![Plan](plan.png){: .img-center loading=lazy } ici.", "{: .img-center"),
        ("Le texte [en capitales]{.smallcaps} reste.", "{.smallcaps}"),
        ("Une citation [@doe2020, p. 33] suit.", "[@doe2020, p. 33]"),
        ("Le calendrier :calendar: est prêt.", ":calendar:"),
        ("On écrit H~2~O et 2^10^ ici.", "~2~"),
        ('Un appel {% include note.html texte="Bonjour" %} ici.', "{% include"),
    ],
)
def test_dialect_syntax_inside_a_sentence_is_masked(sentence: str, masked: str) -> None:
    """Masked before MT and skipped by typography: one list of what is syntax."""
    values = protect(sentence).values
    assert any(masked in value for value in values), values


def test_a_pandoc_title_block_is_syntax_but_for_its_title() -> None:
    page = "% Une étude des marges\n% Jeanne Dupont\n% 12 mars 2024\n\nLe texte.\n"
    doc = read_markdown(Path("x.md"), "x.md", page, "fr", MarkdownOptions("pandoc"))
    assert [(s.role, s.text) for s in doc.segments()] == [
        ("heading", "Une étude des marges"),
        ("paragraph", "Le texte."),
    ]
    assert render_markdown(doc, Translations(), "en") == page
    auto = read_markdown(Path("x.md"), "x.md", page, "fr", MarkdownOptions("auto"))
    assert "Jeanne Dupont" in " ".join(s.text for s in auto.segments())  # text elsewhere
    assert auto.notes == [
        (1, 'a Pandoc title block, read as text ([markdown] dialect = "pandoc" reads it)')
    ]
