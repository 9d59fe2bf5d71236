"""Roles and categories in German, French, Spanish, Dutch, Finnish ... (a tester,
oilports13: "German role names are refused", ``Deponie`` with no suggestion, ``Firma``
guessed as ``firm`` only). Words that could be two roles stay out."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from symbiosis.errors import InputError
from symbiosis.io import load
from symbiosis.vocabulary import (
    canonical_category,
    canonical_role,
    hazardous_category,
    hazardous_role,
)


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Deponie", "disposal"),
        ("Firma", "firm"),
        ("Unternehmen", "firm"),
        ("Werk", "firm"),
        ("Kraftwerk", "utility"),
        ("Heizkraftwerk", "utility"),
        ("Kläranlage", "treatment"),
        ("Klaeranlage", "treatment"),  # the umlaut in ASCII
        ("Klaranlage", "treatment"),  # the umlaut dropped
        (unicodedata.normalize("NFD", "Kläranlage"), "treatment"),  # as macOS writes it
        ("Müllverbrennungsanlage", "treatment"),
        ("Recyclinghof", "recycling"),
        ("Haushalte", "household"),
        ("Markt", "market"),
        ("Umwelt", "environment"),
        ("Luft", "environment"),
        ("Bergwerk", "extraction"),
        ("décharge", "disposal"),
        ("decharge", "disposal"),
        ("usine", "firm"),
        ("centrale", "utility"),
        ("station d'épuration", "treatment"),
        ("Station d’épuration", "treatment"),  # the typographic apostrophe
        ("vertedero", "disposal"),
        ("planta", "firm"),
        ("stortplaats", "disposal"),
        ("kaatopaikka", "disposal"),
        ("voimalaitos", "utility"),
        ("renseanlæg", "treatment"),
    ],
)
def test_european_roles(word, role):
    assert canonical_role(word) == role


@pytest.mark.parametrize(
    "word",
    # two roles each (european.py says which), or another language's or English word
    ["Entsorgung", "Beseitigung", "Wasser", "Grube", "Halde", "See", "central", "Station"],
)
def test_a_word_of_two_roles_stays_out(word):
    assert canonical_role(word) is None


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("Abfall", "waste"),
        ("Abfälle", "waste"),
        ("Abwasser", "waste"),
        ("Nebenprodukt", "by-product"),
        ("Produkt", "product"),
        ("Emissionen", "emission"),
        ("déchet", "waste"),
        ("dechets", "waste"),
        ("sous-produit", "by-product"),
        ("Sous produit", "by-product"),
        ("subproducto", "by-product"),
        ("bijproduct", "by-product"),
        ("jäte", "waste"),
    ],
)
def test_european_categories(word, category):
    assert canonical_category(word) == category


def test_hazardous_in_other_languages():
    assert hazardous_role("Sondermülldeponie") and canonical_role("Sondermülldeponie")
    assert hazardous_role("Sondermuelldeponie")
    assert hazardous_role("décharge de déchets dangereux")
    assert not hazardous_role("Deponie")
    assert hazardous_role("vaarallisen jätteen kaatopaikka")
    for word in (
        "déchets dangereux",
        "Gefährliche Abfälle",
        "residuos peligrosos",
        "vaarallinen jäte",
    ):
        assert hazardous_category(word), word
        assert canonical_category(word) == "waste"
    for word in ("déchets non dangereux", "nicht gefährliche Abfälle", "residuos no peligrosos"):
        assert not hazardous_category(word), word
        assert canonical_category(word) == "waste"


def test_no_spelling_names_two_roles_or_two_categories():
    """The spellings without umlauts and accents too (decharge, Klaeranlage)."""
    from symbiosis.vocabulary.aliases import CATEGORY_ALIASES, ROLE_ALIASES
    from symbiosis.vocabulary.roles import spellings
    from symbiosis.vocabulary.text import _spaced

    for aliases in (ROLE_ALIASES, CATEGORY_ALIASES):
        seen: dict[str, str] = {}
        for canonical, words in aliases.items():
            for word in (canonical, *words):
                for spelling in spellings(_spaced(word)):
                    assert seen.setdefault(spelling, canonical) == canonical, spelling


FIRMS = "id,name,role\nA,Alpha,{a}\nB,Beta,{b}\nC,Gamma,{c}\n"
FLOWS = (
    "source,target,material,quantity,unit,category\nA,B,slag,10,t,{category}\nA,C,ash,5,t,waste\n"
)


def _write(folder: Path, a="Firma", b="Deponie", c="Kläranlage", category="Abfall") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_text(FIRMS.format(a=a, b=b, c=c), encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS.format(category=category), encoding="utf-8")
    return folder


def test_a_german_network_reads(tmp_path):
    network = load(_write(tmp_path))
    assert network.firms["role"].to_dict() == {"A": "firm", "B": "disposal", "C": "treatment"}
    assert set(network.flows["category"]) == {"waste"}


@pytest.mark.parametrize(
    ("written", "guess"),
    [
        ("Depoine", "deponie"),
        ("Kraftwek", "kraftwerk"),
        ("Kläranlagen", "kläranlage"),
        ("landfil", "landfill"),
        ("Energie", "energy"),  # a utility, as in English
    ],
)
def test_a_misspelt_german_role_gets_a_sensible_guess(tmp_path, written, guess):
    with pytest.raises(InputError) as caught:
        load(_write(tmp_path, b=written))
    (problem,) = caught.value.problems
    assert problem.message == f"unknown role '{written}'"
    assert problem.hint.startswith(f"did you mean '{guess}'? otherwise use one of firm"), problem


@pytest.mark.parametrize("written", ["Stahlwerk", "Wasser", "castle", "refinery", "See"])
def test_no_far_guess_among_the_many_words(tmp_path, written):
    """A steel works is no ``stadtwerke`` (a utility), water no ``gewässer``: a guess is
    a typo's few edits, the words being many languages'."""
    with pytest.raises(InputError) as caught:
        load(_write(tmp_path, b=written))
    (problem,) = caught.value.problems
    assert problem.hint.startswith("use one of firm"), problem
