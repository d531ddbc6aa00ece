"""The credit line of an edition, from its catalog's header: "Translated from French by
Jane Doe, 26 November 2025." Language names and dates come from babel; the few words around
them from a small table (English for a language not in it).

The credit tells the truth about what a reader gets: it says so when passages are not yet
reviewed (fuzzy translations included), naming the engines of that unreviewed output, and
when passages are left in the source language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polib
from babel.dates import format_date

from tirage import languages
from tirage.editions.typography import apply_typography

ENGINE_NAMES = {"argos": "Argos Translate", "apertium": "Apertium", "pseudo": "pseudo-localisation"}
_PLACEHOLDER_NAMES = {"", "FULL NAME", "FULL NAME <EMAIL@ADDRESS>"}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VOWEL = re.compile(r"^[aeiouyhâéèêîôû]", re.I)


@dataclass(frozen=True)
class Credit:
    source_lang: str
    translator: str = ""  # a name only: e-mail addresses are not published
    revised: date | None = None
    unreviewed: bool = False  # the edition includes fuzzy (unreviewed) translations
    team: str = ""  # the translating team named in Language-Team, if any
    untranslated: int = 0  # passages left in the source language
    engines: tuple[str, ...] = ()  # engines whose unreviewed output the edition shows


def credit_from_po(
    po: polib.POFile | None,
    source_lang: str,
    unreviewed: bool,
    untranslated: int = 0,
    engines: tuple[str, ...] = (),
) -> Credit:
    if po is None:
        return Credit(
            source_lang, unreviewed=unreviewed, untranslated=untranslated, engines=engines
        )
    translator = po.metadata.get("Last-Translator", "").strip()
    if translator in _PLACEHOLDER_NAMES or translator.startswith("FULL NAME"):
        translator = ""
    translator = re.sub(r"\s*<[^>]*>\s*$", "", translator).strip()
    revised = None
    found = _DATE.match(po.metadata.get("PO-Revision-Date", "").strip())
    if found and not found.group(0).startswith("YEAR"):
        try:
            revised = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            revised = None
    return Credit(
        source_lang,
        translator,
        revised,
        unreviewed,
        _team(po),
        untranslated=untranslated,
        engines=engines,
    )


def _team(po: polib.POFile) -> str:
    """The team in `Language-Team`: "English (Acme)" and "Acme <l10n@acme.org>" name one;
    a bare language name ("German", as `tirage update` writes it with no team configured),
    gettext's placeholder and a mailing list alone do not."""
    value = po.metadata.get("Language-Team", "").strip()
    value = re.sub(r"\s*<[^>]*>\s*$", "", value).strip()
    inner = re.fullmatch(r"[^()]*\(([^()]+)\)", value)
    if inner:
        return inner.group(1).strip()
    language = po.metadata.get("Language", "").strip()
    named = _language_name(language, "en") if language else ""
    if value.upper() == "LANGUAGE" or value.casefold() == named.casefold():
        return ""
    return value


def credit_line(credit: Credit, lang: str) -> str:
    """The credit in the edition's language (English where we have no wording)."""
    locale = languages.parse(lang)
    code = locale.language if locale else "en"
    source = _language_name(credit.source_lang, code)
    when = format_date(credit.revised, "long", locale=locale or "en") if credit.revised else ""
    name = credit.translator
    left = credit.untranslated
    machines = ", ".join(ENGINE_NAMES.get(e, e) for e in credit.engines)
    if code == "fr":
        text = ("Traduit de l’" if _VOWEL.match(source) else "Traduit du ") + source
        text += f" par {name}" if name else ""
        text += f", le {when}" if when else ""
        note = " Certains passages ne sont pas encore relus."
        note += f" Traduction automatique : {machines}." if machines else ""
        kept = f" {left} passages restent en {source}." if left > 1 else ""
        kept = kept or f" Un passage reste en {source}."
    elif code == "es":
        text = f"Traducido del {source}"
        text += f" por {name}" if name else ""
        text += f", {when}" if when else ""
        note = " Algunos pasajes aún no están revisados."
        note += f" Traducción automática: {machines}." if machines else ""
        kept = f" {left} pasajes quedan en {source}." if left > 1 else ""
        kept = kept or f" Un pasaje queda en {source}."
    elif code == "de":
        origin = f"dem {source}en" if source.endswith("sch") else source
        text = f"Übersetzt aus {origin}"
        text += f" von {name}" if name else ""
        text += f", {when}" if when else ""
        note = " Einige Passagen sind noch nicht geprüft."
        note += f" Maschinelle Übersetzung: {machines}." if machines else ""
        kept = f" {left} Passagen bleiben auf {source}." if left > 1 else ""
        kept = kept or f" Eine Passage bleibt auf {source}."
    else:
        if code != "en":
            source = _language_name(credit.source_lang, "en")
            when = format_date(credit.revised, "long", locale="en") if credit.revised else ""
        text = f"Translated from {source}"
        text += f" by {name}" if name else ""
        text += f", {when}" if when else ""
        note = " Some passages are not yet reviewed."
        note += f" Machine translation: {machines}." if machines else ""
        kept = f" {left} passages are left in {source}." if left > 1 else ""
        kept = kept or f" One passage is left in {source}."
    text += "."
    if credit.unreviewed:
        text += note
    if left:
        text += kept
    return apply_typography(text, lang)


def _language_name(code: str, in_lang: str) -> str:
    locale = languages.parse(code)
    if locale is None:
        return code
    return locale.get_language_name(in_lang) or code
