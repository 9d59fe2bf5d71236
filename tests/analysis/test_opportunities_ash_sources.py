"""A plain ash read by its source's fuel, as a plain slag is by its process
(test_opportunities_slag_sources.py): a stream named only "ash" (灰渣, "boiler ash") had met
every ash row through the family, weakly, so a palm-oil mill's boiler ash and a waste
incinerator's ash went to fly-ash rows (alumina extraction, EN 450-1 concrete) written for
coal fly ash. A coal-fired source's ash now meets the fly ash rows, a biomass source's the
biomass ash rows (forest, fields, earth construction), a waste incinerator's the bottom
ash aggregate and metal recovery rows; a source whose text names no fuel keeps the family's
rows."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
SOURCE = "taxonomy (source sector)"
FIRMS = [
    ("COAL", "coal-fired power generation", "utility"),
    ("HUO", "燃煤电厂", "utility"),
    ("BIO", "biomass power plant", "utility"),
    ("PALM", "palm oil mill", "firm"),
    ("INC", "municipal solid waste incineration", "treatment"),
    ("PP", "power plant", "utility"),
    ("CEM", "cement", "firm"),
    ("LF", "", "landfill"),
    ("MKT", "", "market"),
]
FLOWS = [
    ("COAL", "LF", "ash", 100, "kt", "waste"),
    ("HUO", "LF", "灰渣", 80, "kt", "waste"),
    ("BIO", "LF", "ash", 20, "kt", "waste"),
    ("PALM", "LF", "boiler ash", 5, "kt", "waste"),
    ("INC", "LF", "ash", 50, "kt", "waste"),
    ("PP", "LF", "ash", 30, "kt", "waste"),
    ("MKT", "CEM", "limestone", 2000, "kt", "product"),
    ("CEM", "MKT", "cement", 1500, "kt", "product"),
]


def _table(flows=FLOWS) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return _table()


def _rows(table: pd.DataFrame, source: str) -> dict[str, str]:
    rows = table[table["source"] == source]
    return dict(zip(rows["pathway"], rows["rule"], strict=False))


@pytest.mark.parametrize("source", ["COAL", "HUO"])
def test_a_coal_fired_sources_ash_meets_the_fly_ash_rows(table, source):
    rows = _rows(table, source)
    assert {"fly-ash-cement", "fly-ash-blocks"} <= set(rows)
    assert set(rows.values()) == {SOURCE}
    assert not {p for p in rows if p.startswith(("wood-ash", "ibaa"))}


@pytest.mark.parametrize("source", ["BIO", "PALM"])
def test_a_biomass_sources_ash_goes_to_forest_and_fields_not_to_fly_ash_rows(table, source):
    """A palm-oil mill burns its fibre and shells: its "boiler ash" is biomass ash, for
    forest and fields and for earth construction (Finland's forest roads)."""
    rows = _rows(table, source)
    assert set(rows) == {"wood-ash-forest", "wood-ash-agri", "biomass-ash-road"}
    assert set(rows.values()) == {SOURCE}


def test_a_waste_incinerators_ash_meets_the_bottom_ash_rows(table):
    rows = _rows(table, "INC")
    assert {"ibaa-road", "ibaa-metals"} <= set(rows)
    assert all(p.startswith("ibaa") for p in rows)


def test_a_power_plant_of_no_named_fuel_keeps_the_familys_rows(table):
    rows = _rows(table, "PP")
    assert {"fly-ash-cement", "bottom-ash-road"} <= set(rows)
    assert SOURCE not in set(rows.values())


def test_a_hazardous_incinerator_ash_meets_no_bottom_ash_row():
    """The fly ash and APC residues are hazardous waste: an incinerator's ash sent as
    hazardous meets none of the bottom ash rows (written for the ordinary grade)."""
    table = _table([("INC", "LF", "ash", 5, "kt", "hazardous waste"), *FLOWS[-2:]])
    assert not {p for p in table["pathway"] if str(p).startswith(("ibaa", "fly-ash"))}
