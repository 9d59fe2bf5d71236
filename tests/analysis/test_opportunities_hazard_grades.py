"""A hazardous stream named by its process meets its material's rows written for a
hazardous grade (tester-cities5 #4): Ordos' and Karamay's `spent hydrotreating catalyst`,
`spent Fischer-Tropsch catalyst` and `naphthenic spent caustic` resolve to spent catalyst
and spent caustic, but a hazardous stream met only the rows that named it, so the
metal recovery of spent hydroprocessing catalysts (HW50) and the recovery of refinery
caustics were lost. The rows of an ordinary grade stay closed to it, as before."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
_HEADER = "id,material,synonyms,material_code,category,dimension,receiving_sector,product,source"


def _table(flows: list[tuple], catalogue=None) -> pd.DataFrame:
    firms = [("REF", "petroleum refinery", "firm"), ("CEM", "cement", "firm"),
             ("HW_LF", "", "disposal")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, catalogue, top=0, impact=False).table


def _rows(table: pd.DataFrame, material: str) -> dict[str, str]:
    rows = table[(table["material"] == material) & table["pathway"].notna()]
    return dict(zip(rows["pathway"], rows["rule"], strict=True))


@pytest.fixture
def catalogue(tmp_path):
    """Two rows of one taxonomy material: one of its hazardous grade (its code marked),
    one of its ordinary grade."""
    path = tmp_path / "rows.csv"
    path.write_text(
        f"{_HEADER}\n"
        "cat-metals,spent catalyst,,16 08 02*,waste,mass,metal recovery,Mo and Ni,Marafi 2008\n"
        "cat-cement,spent catalyst,,16 08 04,waste,mass,cement,pozzolan,Paya 1999\n",
        encoding="utf-8",
    )
    return load_catalogue(path, replace=True)


def test_a_hazardous_stream_meets_the_rows_of_its_materials_hazardous_grade(catalogue):
    """`spent hydrotreating catalyst` resolves to spent catalyst by its head noun: sent to
    a hazardous-waste landfill it meets the metal recovery written for the hazardous
    grade (16 08 02*), never the cement row of the ordinary one; as ordinary waste it
    meets both, as before."""
    flows = [("REF", "HW_LF", "spent hydrotreating catalyst", 600, "t", "hazardous waste")]
    assert _rows(_table(flows, catalogue), "spent hydrotreating catalyst") == {
        "cat-metals": "taxonomy"
    }
    flows = [("REF", "HW_LF", "spent hydrotreating catalyst", 600, "t", "waste")]
    met = _rows(_table(flows, catalogue), "spent hydrotreating catalyst")
    assert set(met) == {"cat-metals", "cat-cement"}


@pytest.mark.parametrize(
    "name", ["toxic spent catalyst", "spent catalyst (hazardous)", "radioactive spent catalyst",
             "thorium-bearing catalyst"],
)  # fmt: skip
def test_a_name_that_says_it_is_hazardous_meets_no_row_through_the_taxonomy(catalogue, name):
    """Resolving such a name drops the very words that say which hazard it is (a
    recycler licensed for a chemical hazard is no store of NORM): as before, only the
    rows that name it."""
    flows = [("REF", "HW_LF", name, 600, "t", "hazardous waste")]
    assert _rows(_table(flows, catalogue), name) == {}


@pytest.mark.parametrize(
    ("name", "pathway"),
    [("spent Fischer-Tropsch catalyst", "spent-catalyst"),
     ("spent hydrotreating catalyst", "spent-catalyst"),
     ("naphthenic spent caustic", "spent-caustic-chemicals"),
     ("kerosene spent caustic", "spent-caustic-chemicals")],
)  # fmt: skip
def test_the_testers_hazardous_streams_meet_their_rows(name, pathway):
    """The shipped rows: the metal recovery of spent hydroprocessing catalysts and the
    recovery of refinery caustics are written for the hazardous material."""
    table = _table([(("REF", "HW_LF", name, 1200, "t", "hazardous waste"))])
    met = _rows(table, name)
    assert pathway in met
    assert not {"spent-fcc-cement", "spent-fcc-mortar"} & set(met)  # ordinary grade


def test_a_spent_mto_catalyst_is_no_feed_of_metal_recovery():
    """SAPO-34 holds no Mo, V, Ni or Co: its own row (a catalyst maker's raw material, no
    new plant) keeps it from the metal recovery of hydroprocessing catalysts."""
    table = _table([("REF", "HW_LF", "spent MTO catalyst", 2000, "t", "hazardous waste")])
    assert "spent-catalyst" not in _rows(table, "spent MTO catalyst")
