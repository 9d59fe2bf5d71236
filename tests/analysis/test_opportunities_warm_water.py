"""A warm discharge is no cooling water (tester15 defect D5, Jurong): TMUC's warm condenser
seawater had been proposed to the Sembcorp cogeneration plant as "peer of a taker"
(demonstrated), because TMUC, of the same sector, takes seawater, for its condensers,
which need it cold."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.warm import WARM_WORDS
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
FLOWS = ["source", "target", "material", "quantity", "unit", "category"]
PARK = [
    ("SEA", "Singapore Strait", "", "sea", None, None),
    ("MKT", "market", "", "market", None, None),
    ("TMUC", "Tembusu Multi-Utilities Complex", "power and steam", "utility", 1.2830, 103.6620),
    ("COGEN", "Sembcorp Cogen", "power and steam", "CHP", 1.2610, 103.6890),
    ("PS", "Seawater-cooled power station", "power generation", "utility", 1.27, 103.70),
    ("DESAL", "Desalination plant", "desalination", "waterworks", 1.2840, 103.6610),
    ("DESAL2", "Second desalination plant", "desalination", "waterworks", 1.29, 103.66),
]  # fmt: skip
WARM = "warm cooling seawater"
PARK_FLOWS = [
    ("MKT", "TMUC", "natural gas", 5, "PJ", "product"),
    ("MKT", "COGEN", "natural gas", 40, "PJ", "product"),
    ("SEA", "TMUC", "seawater", 200, "Mm3", "product"),
    ("TMUC", "SEA", WARM, 90, "Mm3", "waste"),
    ("TMUC", "MKT", "electricity", 600, "GWh", "product"),
    ("COGEN", "MKT", "electricity", 5500, "GWh", "product"),
    ("SEA", "PS", "seawater", 300, "Mm3", "product"),
    ("PS", "MKT", "electricity", 3000, "GWh", "product"),
    ("SEA", "DESAL", "seawater", 100, "Mm3", "product"),
    ("DESAL", "MKT", "potable water", 45, "Mm3", "product"),
    ("DESAL", "SEA", "brine reject", 55, "Mm3", "waste"),
]


@pytest.fixture(scope="module", params=[WARM, "温排海水", "heated seawater"])
def offered(request) -> pd.DataFrame:
    flows = [(s, t, request.param if m == WARM else m, q, u, c) for s, t, m, q, u, c in PARK_FLOWS]
    network = from_frames(pd.DataFrame(PARK, columns=FIRMS), pd.DataFrame(flows, columns=FLOWS))
    table = find_opportunities(network, top=100).table
    return table[table["source"] == "TMUC"]


def test_a_warm_discharge_goes_to_no_condenser(offered):
    """Neither to a peer of a cooler (COGEN, by TMUC's seawater) nor to a power station
    that cools with seawater (PS, "takes this material (taxonomy)")."""
    assert not {"COGEN", "PS"} & set(offered["target"])


def test_a_warm_discharge_still_goes_to_takers_of_seawater_for_what_it_holds(offered):
    """A desalination plant takes seawater for its water, warm or not (Jurong's JIDP takes
    TMUC's warm seawater): its intake is evidence, and its peers'."""
    assert {"DESAL", "DESAL2"} <= set(offered["target"])


def test_every_name_of_warm_water_says_warm():
    """The taxonomy's warm water, every name of it, is read as warm (the words are kept in
    step with the taxonomy)."""
    taxonomy = default_taxonomy()
    names = [k for k, m in taxonomy.by_key.items() if m == "warm water"]
    names += [n for n, m in taxonomy.by_chinese.items() if m == "warm water"]
    assert len(names) > 3
    assert all(WARM_WORDS.search(material_key(n).replace("-", " ")) for n in names), names


def test_no_peer_of_a_cooler_takes_its_warm_discharge():
    """The tester's case alone: TMUC takes seawater and sends it back warm; COGEN, of its
    sector, had been its "peer" taker."""
    firms = [f for f in PARK if f[0] in ("SEA", "MKT", "TMUC", "COGEN")]
    flows = [f for f in PARK_FLOWS if {f[0], f[1]} <= {"SEA", "MKT", "TMUC", "COGEN"}]
    network = from_frames(pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=FLOWS))
    table = find_opportunities(network, top=100).table
    assert "COGEN" not in set(table.loc[table["material"] == WARM, "target"])
