"""Which materials count as hazardous (symbiosis.analysis.opportunities.hazards)."""

from __future__ import annotations

import numpy as np
import pytest

from symbiosis.analysis.opportunities.hazards import (
    hazardous_code,
    hazardous_name,
    hazardous_names,
)


@pytest.mark.parametrize(
    ("cell", "hazardous"),
    [("19 01 13*", True), ("190113*", True), ("10 01 02; 19 01 13*", True),
     ("190113", True),  # an entry the List of Waste marks hazardous, written without it
     ("19.01.12", False), ("10 01 02", False), ("HW17", True), ("hw08", True),
     ("", False), (None, False), ("SW01", False), ("1001", False)],
)  # fmt: skip
def test_a_code_is_hazardous_when_marked_or_listed_so(cell, hazardous):
    assert hazardous_code(cell) is hazardous


@pytest.mark.parametrize(
    ("name", "hazardous"),
    [("hazardous sludge", True), ("Toxic fly ash", True),
     ("sludges containing dangerous substances", True), ("有毒污泥", True),
     ("危险废物", True), ("non-hazardous sludge", False), ("Non hazardous waste", False),
     ("non-toxic ash", False), ("非危险废物", False), ("fly ash", False), (None, False),
     ("End-of-life vehicles, containing neither liquids nor other hazardous components",
      False)],
)  # fmt: skip
def test_a_name_is_hazardous_when_it_says_so(name, hazardous):
    assert hazardous_name(name) is hazardous
    names = np.array(["fly\nash", name, "toxic", "ash"], dtype=object)
    assert hazardous_names(names).tolist() == [False, hazardous, True, False]
