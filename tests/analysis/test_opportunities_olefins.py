"""Propylene and butadiene sold raw by a cracker (tester-oilports13 defect 6): the
catalogue's product rows propylene-polypropylene and butadiene-rubber (after
ethylene-polymers) send them to a polypropylene plant and a synthetic-rubber plant, each
found by the words practitioners write ("PP plant", 聚丙烯, "synthetic rubber plant",
顺丁橡胶), never to a tyre maker, which buys the rubber."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms, flows) -> pd.DataFrame:
    firms = [*firms, ("MKT", "", "market")]
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.mark.parametrize(
    ("propylene", "butadiene"), [("propylene", "butadiene"), ("丙烯 propylene", "丁二烯 butadiene")]
)
def test_propylene_and_butadiene_sold_raw_meet_polymer_plants(propylene, butadiene):
    firms = [("CR", "ethylene steam cracking", "firm"), ("PP1", "PP plant", "firm"),
             ("PP2", "聚丙烯", "firm"), ("SR1", "synthetic rubber plant", "firm"),
             ("SR2", "顺丁橡胶", "firm"), ("TYRE", "tyre manufacturing", "firm")]  # fmt: skip
    flows = [("MKT", "CR", "naphtha", 3, "Mt", "product"),
             ("CR", "MKT", propylene, 600, "kt", "product"),
             ("CR", "MKT", butadiene, 190, "kt", "product"),
             ("MKT", "PP1", "catalyst", 1, "kt", "product"),
             ("MKT", "PP2", "catalyst", 1, "kt", "product"),
             ("MKT", "SR1", "styrene", 50, "kt", "product"),
             ("MKT", "SR2", "catalyst", 1, "kt", "product"),
             ("MKT", "TYRE", "natural rubber", 80, "kt", "product")]  # fmt: skip
    table = _table(firms, flows)
    down = table[table["kind"] == "downstream"]
    to = down.groupby("material")["target"].agg(set)
    assert to[propylene] == {"PP1", "PP2"}, down[["material", "target", "pathway"]]
    assert to[butadiene] == {"SR1", "SR2"}, down[["material", "target", "pathway"]]
    paths = down.groupby("material")["pathway"].agg(set)
    assert paths[propylene] == {"propylene-polypropylene"}
    assert paths[butadiene] == {"butadiene-rubber"}


def test_the_rows_are_shaped_as_ethylene_polymers_and_cited():
    pathways = default_catalogue().pathways.set_index("id")
    shape = ["category", "dimension", "maturity", "role", "max_share"]
    for row in ("propylene-polypropylene", "butadiene-rubber"):
        assert (
            pathways.loc[row, shape].tolist() == pathways.loc["ethylene-polymers", shape].tolist()
        )
        assert "Production of Polymers" in pathways.loc[row, "source"]


@pytest.mark.parametrize(
    "recycler", ["polypropylene recycling", "PP recycling", "聚丙烯回收", "polyethylene recycling"]
)
def test_a_polymer_recycler_is_no_polymer_maker(recycler):
    """A recycler named after the polymer it takes back buys no monomer: it is a plastics
    recycler (the polypropylene sector's words must not claim it)."""
    firms = [("CR", "ethylene steam cracking", "firm"), ("RC", recycler, "firm")]
    flows = [("MKT", "CR", "naphtha", 3, "Mt", "product"),
             ("CR", "MKT", "propylene", 600, "kt", "product"),
             ("MKT", "RC", "waste plastics", 20, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert not ((table["material"] == "propylene") & (table["target"] == "RC")).any()
