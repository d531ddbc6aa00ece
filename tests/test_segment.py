"""Tests for tirage.text.segment: golden rules as data, failure modes, the source interview, and the
span contract as a property."""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.text.segment import segment_text, split_sentences

DATA = Path(__file__).parent / "data" / "segment"
SOURCE = Path(__file__).parent.parent / "source" / "interview-thierry-alvergnat.txt"


class Case(NamedTuple):
    source: str
    lang: str
    text: str
    expected: list[str]


def _unescape(cell: str) -> str:
    out: list[str] = []
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)


def load_cases(name: str) -> list[Case]:
    """Rows of a golden TSV file: source, lang, text, expected sentences (see its header)."""
    cases = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, lang, text, *expected = (_unescape(cell) for cell in line.split("\t"))
        cases.append(Case(source, lang, text, expected))
    return cases


def _params(name: str) -> list[object]:
    return [
        pytest.param(case, id=f"{case.source}-{i}-{case.text[:30]}")
        for i, case in enumerate(load_cases(name))
    ]


@pytest.mark.parametrize("case", _params("fr_golden.tsv"))
def test_public_golden_rules(case: Case) -> None:
    assert segment_text(case.text, case.lang) == case.expected


@pytest.mark.parametrize("case", _params("failure_modes.tsv"))
def test_failure_modes(case: Case) -> None:
    assert segment_text(case.text, case.lang) == case.expected


def test_golden_files_are_not_empty() -> None:
    golden = load_cases("fr_golden.tsv")
    assert {c.source for c in golden} == {"pysbd", "lt"}
    assert len(golden) >= 40
    assert len(load_cases("failure_modes.tsv")) >= 50


@pytest.mark.parametrize(
    "sentence",
    [
        "Thierry Alvergnat : « La province a une longueur d'avance et doit en profiter »",
        "Décryptage de Thierry Alvergnat, directeur général du Clust'R numérique.",
        "Bien sûr.",
        "Grenoble est très axée sur la R&D avec des entreprises qui ont un ADN technologique fort "
        "mais qui parfois sont moins expertes sur les dimensions marketing et communication.",
        "Annecy et Saint-Étienne qui vont à nouveau prétendre à l'obtention du label ont-elles "
        "un rôle à jouer ?",
        "Parfois on a l'impression de rejouer le derby même au niveau économique !",
        "On l'a vu avec l'abandon d'Atelier visionnaire.",
        # A page break left a blank line inside this sentence: it stays one segment.
        "L'enjeu\n\nde la mondialisation devrait aider.",
    ],
)
def test_interview_sentences(sentence: str) -> None:
    assert sentence in segment_text(SOURCE.read_text(encoding="utf-8"))


def test_interview_segment_count() -> None:
    segments = segment_text(SOURCE.read_text(encoding="utf-8"))
    assert len(segments) == 48
    assert all("\n\n" not in s or s.startswith("L'enjeu") for s in segments)


def test_spans_point_into_text() -> None:
    text = "  M. Dupont est là.\n\n« Vraiment ? » Oui.  "
    spans = split_sentences(text)
    assert spans == [(2, 19), (21, 35), (36, 40)]
    assert [text[a:b] for a, b in spans] == segment_text(text)


@pytest.mark.parametrize("lang", ["fr", "fr_FR", "fr-CA", "FR"])
def test_language_tags_select_french(lang: str) -> None:
    assert segment_text("M. Dupont est là. Il attend.", lang) == [
        "M. Dupont est là.",
        "Il attend.",
    ]


def test_unknown_language_uses_both_tables() -> None:
    assert segment_text("Mr. Smith et M. Dupont. Fin.", "de") == [
        "Mr. Smith et M. Dupont.",
        "Fin.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "."])
def test_degenerate_inputs(text: str) -> None:
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ([text.strip()] if text.strip() else [])


# Characters that matter to the segmenter, so that random text hits its rules often.
_ALPHABET = st.sampled_from(
    [
        *"aZé M.?!…«»“”\"'’()[]`*_-:;,0123 \n\t\u00a0\u202f@/",
        *["etc.", "M. ", "J.-C. ", "https://a.b/c.d ", "`a. b` ", "](x.y) ", "\n\n", "1. "],
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(_ALPHABET, max_size=60).map("".join)),
    lang=st.sampled_from(["fr", "en", "de"]),
)
def test_spans_contract(text: str, lang: str) -> None:
    spans = split_sentences(text, lang)
    prev_end = 0
    rebuilt = []
    for start, end in spans:
        assert prev_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        gap = text[prev_end:start]
        assert gap.strip() == ""
        rebuilt += [gap, text[start:end]]
        prev_end = end
    assert text[prev_end:].strip() == ""
    assert "".join(rebuilt) + text[prev_end:] == text
    assert segment_text(text, lang) == [text[a:b] for a, b in spans]


def _long_text(sentences: int) -> str:
    parts = [
        "M. Dupont a dit « Vraiment ? » et il est parti.",
        "Il aime les pommes, etc. et les poires.",
        "Voir https://example.com/a.b?x=1 ou écrire à prenom.nom@example.fr.",
        "La hausse est de 3,5 % (contre 2.5 % en 2014).",
        "Il hésita… puis entra !",
    ]
    return " ".join(parts[i % len(parts)] for i in range(sentences))


def test_linear_on_one_long_string() -> None:
    # pysbd's quadratic behaviour shows on one long string; doubling the size here must not
    # much more than double the time (generous bound: timing noise on shared machines).
    small, large = _long_text(2_000), _long_text(8_000)
    split_sentences(small)  # warm up
    t0 = time.perf_counter()
    n_small = len(split_sentences(small))
    t1 = time.perf_counter()
    n_large = len(split_sentences(large))
    t2 = time.perf_counter()
    assert (n_small, n_large) == (2_000, 8_000)
    assert (t2 - t1) < 8 * (t1 - t0) + 0.05


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,  # one long word: the e-mail pattern is bounded
        "`" * 50_000 + "x",  # unmatched backticks: the code pattern is bounded
        "(" * 50_000 + "a. B",  # unclosed brackets
        ". " * 50_000,
        "https://" * 20_000,
    ],
)
def test_pathological_inputs_are_fast(text: str) -> None:
    t0 = time.perf_counter()
    split_sentences(text)
    assert time.perf_counter() - t0 < 2.0
