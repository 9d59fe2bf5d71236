"""The code lists: the List of Waste as shipped, the operations of Directive 2008/98/EC."""

from __future__ import annotations

import pytest

from symbiosis.registers.codes import (
    OPERATION_ROLES,
    OPERATIONS,
    PRELIMINARY,
    chapter_title,
    digits,
    fate,
    formatted,
    low_list,
    material_name,
    material_names,
)


def test_list_of_waste_counts():
    """Decision 2014/955/EU: 20 chapters, 111 sub-chapters, 842 entries, 408 hazardous."""
    entries = low_list().values()
    assert sum(len(e.code) == 2 for e in entries) == 20
    assert sum(len(e.code) == 4 for e in entries) == 111
    assert sum(len(e.code) == 6 for e in entries) == 842
    assert sum(e.hazardous for e in entries) == 408


@pytest.mark.parametrize(
    ("code", "title", "hazardous"),
    [
        ("170405", "Iron and steel", False),
        ("100102", "Coal fly ash", False),
        ("160103", "End-of-life tyres", False),
        ("170409", "Metal waste contaminated with hazardous substances", True),
        ("130205", "Mineral-based non-chlorinated engine, gear and lubricating oils", True),
    ],
)
def test_known_entries(code, title, hazardous):
    entry = low_list()[code]
    assert (entry.title, entry.hazardous) == (title, hazardous)


def test_every_entry_sits_under_its_headings():
    listed = low_list()
    for code in listed:
        if len(code) == 6:
            assert code[:4] in listed and code[:2] in listed


def test_material_names_are_unique_and_name_shared_titles_by_code():
    names = material_names()
    assert len(set(names.values())) == len(names) == 842
    assert names["170405"] == "Iron and steel"
    assert names["100199"] == "Wastes not otherwise specified (10 01 99)"
    assert material_name("999999") == "waste 99 99 99"


@pytest.mark.parametrize("written", ["17 04 05", "170405", "17.04.05", "17-04-05", "17 04 05*"])
def test_digits(written):
    assert digits(written) == "170405"


def test_formatted():
    assert formatted("170409", True) == "17 04 09*"
    assert formatted("170405") == "17 04 05"


def test_operations_and_roles():
    """Annex II: R1-R13 recovery; Annex I: D1-D15 disposal (D8, D9 treatment)."""
    assert len(OPERATIONS) == 13 + 15 + 2
    assert OPERATION_ROLES["R1"] == "utility"
    assert {OPERATION_ROLES[f"R{n}"] for n in range(2, 14)} == {"recycling"}
    assert OPERATION_ROLES["D8"] == OPERATION_ROLES["D9"] == "treatment"
    assert {OPERATION_ROLES[f"D{n}"] for n in (1, 5, 10, 12, 15)} == {"disposal"}
    assert fate("R13") == "recovered" and fate("D") == "disposed"
    assert {"R12", "R13", "D13", "D14", "D15"} == PRELIMINARY


def test_chapter_titles():
    assert chapter_title("17").startswith("Construction and demolition wastes")
    assert chapter_title("99") == ""
