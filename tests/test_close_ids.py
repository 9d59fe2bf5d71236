"""The "did you mean" of an unknown firm id, in scenario files, shocks and flows: a far
match misled ("NOPE" got "did you mean ANODE?", ratio 0.67, tester-cities6), and the id
was not quoted as the files write it."""

from __future__ import annotations

import pytest

from symbiosis.analysis.propagation import suggest
from symbiosis.vocabulary import close_ids

IDS = ["ANODE", "CEM", "MINE", "SM_HL", "WWTP"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("CEN", "CEM"), ("ECM", "CEM"), ("MNIE", "MINE"), ("SM_HK", "SM_HL"), ("WWPT", "WWTP")],
)
def test_a_typo_finds_its_id(typed, meant):
    assert close_ids(typed, IDS) == [meant]


@pytest.mark.parametrize("typed", ["NOPE", "XYZ", "MARKET"])
def test_a_far_name_finds_none(typed):
    assert close_ids(typed, IDS) == []


def test_the_hint_quotes_the_ids():
    assert suggest("cen", IDS) == " (did you mean 'CEM'?)"
    assert suggest("nope", IDS) == ""
