"""What HTML editions tell search engines and archives: JSON-LD and hreflang links."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import polib
import pytest
from click.testing import CliRunner

from test_export import write_catalog
from tirage.cli import main
from tirage.editions import Translations, render_html
from tirage.editions.credit import Credit, credit_from_po
from tirage.editions.metadata import EditionContext, Links, Publication, article_kind
from tirage.po.pofile import save_po
from tirage.readers import read_document

from conftest import DATA, INTERVIEW, REPO

SCHEMA = json.loads((DATA / "metadata" / "article.schema.json").read_text(encoding="utf-8"))
BASE = "https://news.example.org/interviews/"
EVIL = "</script><script>alert(1)</script>"
PROVINCE = "La province a une longueur d'avance et doit en profiter"


def json_ld(html: str) -> dict[str, Any]:
    scripts = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0])
    jsonschema.validate(data, SCHEMA)  # the schema.org shape: required keys, right types
    return data


def alternates(html: str) -> dict[str, str]:
    pairs = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    return dict(pairs)


def export(ws: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["export", *args, "--workspace", str(ws)])
    assert result.exit_code == 0, result.output


def edition(ws: Path, lang: str) -> str:
    return (ws / "editions" / lang / f"{INTERVIEW}.html").read_text(encoding="utf-8")


def configure(ws: Path, settings: str) -> None:
    config = ws / "tirage.toml"
    text = config.read_text(encoding="utf-8").replace("[publish]\n", f"[publish]\n{settings}\n")
    config.write_text(text, encoding="utf-8")


def test_json_ld_and_hreflang_with_publish_settings(workspace: Path) -> None:
    configure(workspace, f'name = "Rhône-Alpes Weekly"\nbase_url = "{BASE}"')
    write_catalog(workspace, "en")
    write_catalog(workspace, "es")
    export(workspace)
    html = edition(workspace, "en")
    original = f"{BASE}fr/{INTERVIEW}.html"
    assert alternates(html) == {
        "fr": original,
        "en": f"{BASE}en/{INTERVIEW}.html",
        "es": f"{BASE}es/{INTERVIEW}.html",
        "x-default": original,
    }
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"  # kicker, standfirst, questions and answers
    assert data["@id"] == data["url"] == f"{BASE}en/{INTERVIEW}.html"
    assert data["headline"].startswith("<en> Thierry Alvergnat")
    assert data["description"].startswith("<en> La filière numérique")  # the standfirst
    assert data["inLanguage"] == "en"
    assert data["isAccessibleForFree"] is True
    assert data["dateModified"] == "2015-05-28"  # PO-Revision-Date
    assert data["translator"] == [{"@type": "Person", "name": "Jane Doe"}]  # no e-mail
    assert data["publisher"] == {"@type": "Organization", "name": "Rhône-Alpes Weekly"}
    assert data["translationOfWork"] == {
        "@type": "NewsArticle",
        "@id": original,
        "url": original,
        "inLanguage": "fr",
        "headline": f"Thierry Alvergnat : « {PROVINCE} »",
    }
    # The original's own page names its translations, and is no translation itself.
    source = json_ld(edition(workspace, "fr"))
    assert "translationOfWork" not in source and "translator" not in source
    assert [work["@id"] for work in source["workTranslation"]] == [
        f"{BASE}en/{INTERVIEW}.html",
        f"{BASE}es/{INTERVIEW}.html",
    ]
    assert alternates(edition(workspace, "fr")) == alternates(html)


def test_without_settings_links_are_relative_and_nothing_is_invented(workspace: Path) -> None:
    doc = read_document(workspace / "source" / f"{INTERVIEW}.txt", workspace)
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    po.metadata["Language-Team"] = "German"  # what `tirage update` writes with no team
    for msgid in dict.fromkeys(s.text for s in doc.segments()):
        po.append(polib.POEntry(msgid=msgid, msgstr=f"<de> {msgid}"))
    (workspace / "locales" / "de").mkdir(parents=True)
    save_po(workspace / "locales" / "de" / f"{INTERVIEW}.po", po)
    export(workspace, "--to", "de")
    html = edition(workspace, "de")
    assert alternates(html) == {
        "fr": f"../fr/{INTERVIEW}.html",
        "de": f"../de/{INTERVIEW}.html",
        "x-default": f"../fr/{INTERVIEW}.html",
    }
    data = json_ld(html)
    assert data["url"] == f"../de/{INTERVIEW}.html"
    for invented in ("publisher", "translator", "dateModified", "author"):
        assert invented not in data


def test_no_string_closes_the_script_element() -> None:
    doc = read_document(REPO / "source" / f"{INTERVIEW}.txt", REPO)
    title = next(s for s in doc.segments() if s.role == "title")
    standfirst = next(s for s in doc.segments() if s.role == "standfirst")
    translations = Translations.from_dict({title.text: EVIL, standfirst.text: f"<!-- {EVIL}"})
    credit = Credit("fr", translator=EVIL, team="a\u2028b")
    context = EditionContext(Links.build(Publication(EVIL), "fr", ["en"], doc.stem), EVIL, credit)
    html = render_html(doc, translations, "en", "fr", context=context)
    assert len(re.findall(r"<script", html, re.I)) == 1  # the JSON-LD's, nothing else
    assert len(re.findall(r"</script", html, re.I)) == 1
    assert "<!--" not in html and "\u2028" not in html
    data = json_ld(html)
    assert data["headline"] == EVIL  # the data itself is intact
    assert data["description"].startswith("<!-- </script>")
    assert data["translator"][0]["name"] == EVIL
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # and the page shows it as text


def test_article_type_follows_the_source_roles() -> None:
    sample = read_document(DATA / "editions" / "sample.md", DATA / "editions")
    links = Links.build(Publication(), "fr", ["en"], sample.stem)
    html = render_html(sample, Translations(), "en", "fr", context=EditionContext(links))
    assert json_ld(html)["@type"] == "Article"
    assert article_kind(["title", "question", "answer"]) == "NewsArticle"
    assert article_kind(["heading", "paragraph", "list_item"]) == "Article"


def test_region_codes_are_bcp47() -> None:
    links = Links.build(Publication(base_url=BASE), "fr", ["pt_BR"], "doc")
    assert links.alternates() == [
        ("fr", f"{BASE}fr/doc.html"),
        ("pt-BR", f"{BASE}pt-BR/doc.html"),
        ("x-default", f"{BASE}fr/doc.html"),
    ]


def test_language_links_in_the_page(workspace: Path) -> None:
    write_catalog(workspace, "en")
    write_catalog(workspace, "es")
    export(workspace)
    nav = re.search(
        r'<nav class="languages" aria-label="Languages">(.*?)</nav>', edition(workspace, "en")
    )
    assert nav is not None
    assert nav.group(1) == (
        f'<a hreflang="fr" lang="fr" href="../fr/{INTERVIEW}.html">Français</a> '
        '<span lang="en" aria-current="page">English</span> '
        f'<a hreflang="es" lang="es" href="../es/{INTERVIEW}.html">Español</a>'
    )
    assert '<nav class="languages" aria-label="Idiomas">' in edition(workspace, "es")


@pytest.mark.parametrize(
    ("team", "expected"),
    [
        ("English (tirage)", "tirage"),
        ("Acme Localisation <l10n@acme.example>", "Acme Localisation"),
        ("French <traduc@traduc.org>", ""),  # a language's list, not a named team
        ("German", ""),  # what `tirage update` writes when no team is configured
        ("LANGUAGE <LL@li.org>", ""),  # gettext's placeholder
    ],
)
def test_translating_team_from_language_team(team: str, expected: str) -> None:
    po = polib.POFile()
    language = {"English (tirage)": "en", "French <traduc@traduc.org>": "fr"}.get(team, "de")
    po.metadata = {"Language": language, "Language-Team": team}
    assert credit_from_po(po, "fr", False).team == expected


def test_json_ld_date_and_translators_from_the_header() -> None:
    po = polib.POFile()
    po.metadata = {
        "Language": "en",
        "Language-Team": "English (tirage)",
        "Last-Translator": "Jane Doe <jane@example.org>",
        "PO-Revision-Date": "2015-05-28 10:00+0200",
    }
    credit = credit_from_po(po, "fr", False)
    assert (credit.translator, credit.team, credit.revised) == (
        "Jane Doe",
        "tirage",
        date(2015, 5, 28),
    )


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('base_url = "example.org/news"', "publish.base_url: must be an http(s) URL"),
        ("name = 3", "publish.name: must be a string, not int 3"),
        ('name = ""', "publish.name: must not be empty"),
    ],
)
def test_bad_publish_settings_name_their_line(workspace: Path, setting: str, message: str) -> None:
    configure(workspace, setting)
    config = workspace / "tirage.toml"
    line = config.read_text(encoding="utf-8").splitlines().index(setting) + 1
    result = CliRunner().invoke(main, ["export", "--workspace", str(workspace)])
    assert result.exit_code == 1
    assert result.output.startswith(f"tirage: {config}:{line}: {message}")
