"""Flows of 0 t (tester-oilports13 #7: Daqing's placeholder row `TPP,PLAS,粉煤灰 fly ash,0`
gave `expand fly ash -> PLAS 0 t`): a 0-t flow carried nothing. It is no stream (its
candidates were "0 t", a 0-t FGD gypsum ranked first of its group) and no evidence that its
receiver takes the material; a flow of unknown size still is both."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities


def _network(placeholder: float) -> object:
    firms = pd.DataFrame(
        [("MKT", "", "market"), ("PWR", "power generation", "utility"),
         ("CEM", "cement", "firm"), ("PLAS", "plastics", "firm"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "CEM", "limestone", 1_000, "kt", "product"),
         ("CEM", "MKT", "cement", 1_200, "kt", "product"),
         ("MKT", "PWR", "coal", 300, "kt", "product"),
         ("MKT", "PLAS", "ethylene", 300, "kt", "product"),
         ("PLAS", "MKT", "plastics", 300, "kt", "product"),
         ("PWR", "PLAS", "fly ash", placeholder, "kt", "waste"),
         ("PWR", "LF", "fly ash", 100, "kt", "waste"),
         ("PWR", "LF", "FGD gypsum", placeholder, "kt", "waste")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the loader's warning of the 0-t rows
        return from_frames(firms, flows)


def test_a_flow_of_0_t_is_no_stream_and_no_evidence_of_a_taker():
    result = find_opportunities(_network(0.0), top=50)
    rows = result.table
    assert (rows["quantity"] > 0).all()  # no "0 t" candidate
    assert set(rows["material"]) == {"fly ash"}  # the 0-t gypsum is not searched
    assert "PLAS" not in set(rows["target"])  # the 0-t link made PLAS no taker
    assert not result.counts["dumped"]["expand"]
    assert result.uncovered.empty


@pytest.mark.parametrize("size", [np.nan, 5.0])
def test_a_flow_of_unknown_or_some_size_still_counts(size):
    rows = find_opportunities(_network(size), top=50).table
    assert "FGD gypsum" in set(rows["material"])
    plas = rows[rows["target"] == "PLAS"]
    assert plas["kind"].tolist() == ["expand"]
