"""Masks: what they catch, how they come back, and the fallback when an engine loses them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.mt.base import Hypothesis
from tirage.mt.pseudo import PseudoEngine
from tirage.text.protect import find_protected, protect, restore, translate_protected

KEEP = ["Clust'R Numérique", "FrenchTech", "GRILOG", "Rhône-Alpes"]


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("Voir https://example.org/a_b?x=1.", ["https://example.org/a_b?x=1"]),
        ("Voir www.clustr.fr, merci", ["www.clustr.fr"]),
        ("Écrivez à contact@clustr-numerique.fr.", ["contact@clustr-numerique.fr"]),
        ("Bonjour {user_name} !", ["{user_name}"]),
        ("Il reste %(count)d places et %s jours.", ["%(count)d", "%s"]),
        ('Lisez [le rapport](https://ex.org/r.pdf "titre").', ['(https://ex.org/r.pdf "titre")']),
        ("Lancez `tirage update` puis ``a ` b``.", ["`tirage update`", "``a ` b``"]),
        ("Le label FrenchTech en Rhône-Alpes.", ["FrenchTech", "Rhône-Alpes"]),
        ("Le Clust'R Numérique et le GRILOG.", ["Clust'R Numérique", "GRILOG"]),
        # Seen on real pages (issue "Fidelity on real material"):
        (
            'Un {{glossary("protocol", "protocole")}} et {{HTTPHeader("WWW-Authenticate")}}.',
            ['{{glossary("protocol", "protocole")}}', '{{HTTPHeader("WWW-Authenticate")}}'],
        ),
        (
            "[https://example.org/fr/](https://example.org/fr/)",
            ["https://example.org/fr/", "(https://example.org/fr/)"],
        ),
        (
            "Voir https://ex.org/Maison%20de%20l'Europe/plan.pdf, merci.",
            ["https://ex.org/Maison%20de%20l'Europe/plan.pdf"],
        ),
        ("Le [rapport][] et le [bilan][b-2023], note[^1].", ["[]", "[b-2023]", "[^1]"]),
        (
            "Lisez [Lyon](https://fr.wikipedia.org/wiki/Lyon_(ville)).",
            ["(https://fr.wikipedia.org/wiki/Lyon_(ville))"],
        ),
        (
            "Voir https://ex.org/a.do?cid=LEGI&idArticle=12&date=&lien=cid pour le texte.",
            ["https://ex.org/a.do?cid=LEGI&idArticle=12&date=&lien=cid"],
        ),
        (
            '{% if a %}x{% endif %} ${user.name} <a href="/x">y</a>',
            ["{% if a %}", "{% endif %}", "${user.name}", '<a href="/x">', "</a>"],
        ),
    ],
)
def test_protected_spans(text: str, protected: list[str]) -> None:
    assert [text[s:e] for s, e in find_protected(text, KEEP)] == protected


@pytest.mark.parametrize(
    "text",
    ["50 % des entreprises", "100%", "Le GRILOGUE", "frenchtech", "un ordre de marche."],
)
def test_ordinary_text_is_not_protected(text: str) -> None:
    assert find_protected(text, KEEP) == []


def test_restore_round_trip_and_rejects_lost_or_doubled_masks() -> None:
    masked = protect("Bonjour {name}, voir https://x.org.", KEEP)
    assert masked.text == "Bonjour ⟦0⟧, voir ⟦1⟧."
    assert restore(masked, "Hello ⟦0⟧, see ⟦ 1 ⟧.") == "Hello {name}, see https://x.org."
    assert restore(masked, "Hello ⟦0⟧, see.") is None
    assert restore(masked, "Hello ⟦0⟧ ⟦0⟧ ⟦1⟧") is None
    assert restore(masked, "Hello ⟦0⟧ ⟦1⟧ ⟦2⟧") is None


class Garbler:
    """An engine that loses every mask: the worst case the fallback must survive."""

    name = "garbler"
    model = "garbler"
    version = "0"
    mask_template = "⟦{}⟧"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str]) -> list[Hypothesis]:
        self.calls.append(list(texts))
        return [Hypothesis("bla " * (len(t) % 3 + 1), -1.0) for t in texts]

    def close(self) -> None:
        pass


def test_fallback_translates_between_masks_in_one_extra_call() -> None:
    engine = Garbler()
    texts = ["Le label FrenchTech a dopé Rhône-Alpes.", "Sans masque."]
    out = translate_protected(engine, texts, KEEP)
    assert len(engine.calls) == 2
    assert engine.calls[1] == ["Le label", "a dopé"]  # "." is copied as is
    assert "FrenchTech" in out[0].text and "Rhône-Alpes" in out[0].text
    assert out[0].fallback and not out[1].fallback


def test_only_protected_content_is_copied_without_engine() -> None:
    engine = Garbler()
    out = translate_protected(engine, ["https://example.org/", "{x} : {y}"], KEEP)
    assert [o.text for o in out] == ["https://example.org/", "{x} : {y}"]
    assert engine.calls == []


def test_pseudo_keeps_masks() -> None:
    out = translate_protected(PseudoEngine(), ["Le label FrenchTech {n}."], KEEP)
    assert "FrenchTech" in out[0].text and "{n}" in out[0].text and not out[0].fallback
    assert out[0].text.startswith("[") and out[0].text.endswith("]")


PROTECTABLE = st.sampled_from(
    ["{user_name}", "%(n)s", "%d", "https://a.example/p_q", "x@y.org", "`a_b`", *KEEP]
)
WORDS = st.sampled_from(["le", "label", "a", "dopé", "la", "région", ",", ".", "?", "«", "»"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(PROTECTABLE, WORDS), min_size=1, max_size=12))
def test_protected_content_always_survives(parts: list[str]) -> None:
    text = " ".join(parts)
    for engine in (Garbler(), PseudoEngine()):
        out = translate_protected(engine, [text], KEEP)[0].text
        for part in parts:
            if part in KEEP or (not part.isalpha() and len(part) > 2):
                assert part in out


def test_collapsed_reference_keeps_its_label_through_translation() -> None:
    """`[text][]` is labelled by its text: translated, it must name the old label."""
    out = translate_protected(PseudoEngine(), ["Voir le [rapport annuel][] ici."])[0]
    assert "][rapport annuel]" in out.text
    assert "[rapport annuel][]" not in out.text
