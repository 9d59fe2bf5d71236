"""symbiosis.export.network_files: a network written as firms.csv and flows.csv reads back
to the same network, with the same indicators; above all the networks scenarios make
(`symbiosis scenario --network DIR`), whatever optional columns their edits set."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import InputError, from_frames, load, select_year
from symbiosis import edits as ed
from symbiosis.export import write_network
from symbiosis.export.files import ProtectedFileError
from symbiosis.scenarios import apply_scenario, indicators, parse_scenario

ROOT = Path(__file__).parents[1]
TONGLING = ROOT / "examples" / "tongling"


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def read_back(network, folder: Path):
    written = write_network(network, folder)
    assert sorted(p.name for p in written) == ["firms.csv", "flows.csv"]
    return quietly(load, folder)


def assert_same_network(a, b) -> None:
    """The same nodes and flows, column for column (the rows are numbered anew)."""
    for left, right in ((a.firms, b.firms), (a.flows, b.flows)):
        left, right = left.drop(columns="row"), right.drop(columns="row")
        assert sorted(left.columns) == sorted(right.columns)
        pd.testing.assert_frame_equal(
            left.reset_index(), right[left.columns].reset_index(), check_dtype=False, rtol=1e-12
        )
    for column in ("substitutable", "hazardous"):
        for table in (b.firms, b.flows):
            if column in table:
                assert str(table[column].dtype) == "boolean"


def assert_same_indicators(a, b) -> None:
    left = indicators(a).table.set_index(["dimension", "indicator"])["value"]
    right = indicators(b).table.set_index(["dimension", "indicator"])["value"]
    assert left.index.equals(right.index)
    for key in left.index:
        x, y = left[key], right[key]
        assert (x is None) == (y is None), key
        if x is not None:
            assert float(y) == pytest.approx(float(x), rel=1e-12, nan_ok=True), key


@pytest.mark.parametrize("name", ["jinlong_closed", "dongguashan_exhausted",
                                  "build_top_opportunities"])  # fmt: skip
def test_the_bundled_scenarios_networks_read_back_the_same(name, tmp_path):
    after = quietly(apply_scenario, load(TONGLING), TONGLING / "scenarios" / f"{name}.toml")
    back = read_back(after, tmp_path / name)
    assert_same_network(after, back)
    assert_same_indicators(after, back)


# A park of two years whose flows have every optional column a scenario may set.
FIRMS = """id,name,sector,role,lat,lon,note
MKT,Market,,market,,,outside
MINE,Mine,mining,extraction,30.5,117.5,
SMELT,"Smelter, Jinchang",copper smelting,firm,30.25,117.75,"two
lines"
CEM,Cement,cement,firm,,,
PWR,Power plant,power generation,utility,,,
LF,Landfill,,disposal,,,
HWL,Hazardous landfill,,hazardous waste landfill,,,
"""
HEADER = (
    "source,target,material,quantity,unit,category,year,price,quantity_low,quantity_high,"
    "uncertainty,quality,substitutable,hazardous,note\n"
)
FLOWS = (
    HEADER
    + """MINE,SMELT,copper concentrate,100,kt,product,2022,50,90,110,,,,,
MKT,SMELT,sulfuric acid,2000,t,product,2022,,,,0.1,,yes,,
SMELT,CEM,copper slag,30,kt,by-product,2022,,,,,2,,,=SUM(1)
SMELT,LF,copper slag,10,kt,waste,2022,,8,12,,,,,
SMELT,HWL,arsenic sludge,500,t,hazardous waste,2022,,,,,,,,
SMELT,LF,dust,40,t,waste,2022,,,,,,,no,
PWR,SMELT,electricity,90,TJ,product,2022,,,,,,no,,
PWR,CEM,fly ash,,t,by-product,2022,,,,,,,,
CEM,MKT,cement,200,kt,product,2022,,,,,,,,
MINE,SMELT,copper concentrate,80,kt,product,2021,,,,,,,,
"""
)
SCENARIO = """title = "every column"

[[add_firm]]
id = "NEWB"
name = "New brickworks"
sector = "bricks"
lat = 30.125
lon = 117.0625

[[add_firm]]
id = "STORE"
role = "hazardous waste landfill"

[[add_flow]]   # merged: hazardous waste into the dust marked no
source = "SMELT"
target = "LF"
material = "dust"
unit = "t"
quantity = 5
category = "hazardous waste"

[[add_flow]]   # new, marked
source = "SMELT"
target = "NEWB"
material = "copper slag"
unit = "kt"
quantity = 2.5
substitutable = true

[[add_flow]]   # a link of unknown size, once more: one link
source = "PWR"
target = "CEM"
material = "fly ash"
unit = "t"
category = "by-product"

[[add_flow]]   # merged into the acid: its exact 100 t, and a mark
source = "MKT"
target = "SMELT"
material = "sulfuric acid"
unit = "t"
quantity = 100
category = "product"
substitutable = false

[[redirect]]   # 4,000 t of the 10 kt slag, given in t
source = "SMELT"
target = "LF"
material = "copper slag"
to = "NEWB"
quantity = 4000
unit = "t"

[[redirect]]   # the hazardous sludge, to the new store
source = "SMELT"
target = "HWL"
material = "arsenic sludge"
to = "STORE"

[[scale_flow]]
source = "MINE"
target = "SMELT"
material = "copper concentrate"
factor = 0.75

[[mark_flow]]
source = "SMELT"
target = "CEM"
material = "copper slag"
substitutable = true

[[remove_firm]]
id = "HWL"

[[shock]]      # the cement works at half output: its cement only
firm = "CEM"
change = -0.5
"""


@pytest.fixture
def park(tmp_path) -> Path:
    folder = tmp_path / "park"
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS, encoding="utf-8")
    return folder


def test_a_scenario_setting_every_optional_column_reads_back_the_same(park, tmp_path):
    network = quietly(select_year, quietly(load, park), 2022)
    after = quietly(apply_scenario, network, parse_scenario(SCENARIO, file="s.toml"))
    back = read_back(after, tmp_path / "after")
    assert_same_network(after, back)
    assert_same_indicators(after, back)
    flows = back.flows.set_index(["source", "target", "material"])
    assert flows.loc[("SMELT", "LF", "dust"), "hazardous"]  # 40 t + 5 t, marked
    assert flows.loc[("SMELT", "LF", "dust"), "quantity"] == 45
    assert flows.loc[("SMELT", "STORE", "arsenic sludge"), "hazardous"]
    assert not flows.loc[("MKT", "SMELT", "sulfuric acid"), "substitutable"]
    slag = flows.loc[("SMELT", "NEWB", "copper slag")]  # added (marked), and redirected
    assert [(c, q, None if pd.isna(m) else bool(m)) for c, q, m in zip(
        slag["category"], slag["quantity"], slag["substitutable"], strict=True)] == [
        ("by-product", 2.5, True), ("waste", 4, None)]  # fmt: skip
    assert flows.loc[("MINE", "SMELT", "copper concentrate"), ["quantity_low", "quantity",
                     "quantity_high"]].tolist() == [67.5, 75, 82.5]  # fmt: skip
    assert (back.flows["year"] == 2022).all()
    assert back.firms.loc["NEWB", ["lat", "lon"]].tolist() == [30.125, 117.0625]
    assert back.firms.loc["STORE", "hazardous"]
    assert back.flows.loc[back.flows["source"] == "PWR", "unit"].tolist() == ["TJ", "t"]
    assert flows.loc[("CEM", "MKT", "cement"), ["quantity", "unit"]].tolist() == [100, "kt"]
    text = (tmp_path / "after" / "flows.csv").read_text(encoding="utf-8")
    assert "=SUM(1)" in text and "'=SUM(1)" not in text  # read back as it was written
    assert ",2022," in text and "2022.0" not in text
    assert not [w for w in back.warnings if "no year" in w or "repeats" in w]


def test_the_written_network_loads_without_the_merge_fixes(park, tmp_path):
    """What the written folder needs of the edits: before the merge rule, the fly ash link
    added twice repeated a row cell for cell and the halved concentrate left its bounds,
    and the folder was refused."""
    network = quietly(select_year, quietly(load, park), 2022)
    after = quietly(apply_scenario, network, parse_scenario(SCENARIO, file="s.toml"))
    write_network(after, tmp_path / "again")
    quietly(load, tmp_path / "again")  # raises InputError when refused


# ------------------------------------------------------------------------- random edits

_FIRMS = pd.DataFrame(
    {"id": ["MKT", "A", "B", "C", "LF"], "role": ["market", "firm", "firm", "firm", "disposal"]}
)
_FLOWS = pd.DataFrame(
    {
        "source": ["MKT", "A", "A", "B", "C", "A"],
        "target": ["A", "B", "LF", "C", "A", "C"],
        "material": ["ore", "slag", "slag", "dust", "scrap", "heat"],
        "quantity": [100.0, 30.0, 10.0, 4.0, 2.0, np.nan],
        "unit": ["t", "t", "t", "kg", "t", "GJ"],
        "category": ["product", "by-product", "waste", "waste", "by-product", "by-product"],
        "quantity_low": [90.0, np.nan, 8.0, np.nan, np.nan, np.nan],
        "quantity_high": [110.0, np.nan, 12.0, np.nan, np.nan, np.nan],
        "substitutable": [pd.NA, True, pd.NA, pd.NA, False, pd.NA],
        "hazardous": [pd.NA, pd.NA, pd.NA, True, pd.NA, pd.NA],
    }
)
_NODES = ["MKT", "A", "B", "C", "LF"]
_MATERIALS = {"slag": "t", "dust": "kg", "scrap": "t", "heat": "GJ"}

_nodes = st.sampled_from(_NODES)
_materials = st.sampled_from(sorted(_MATERIALS))
# the flows of the table (source, target, material, unit, category): most edits name one,
# so that they apply, and additions that match one merge into it
_ROWS = list(_FLOWS[["source", "target", "material", "unit", "category"]].itertuples(index=False))
_rows = st.sampled_from(_ROWS)


@st.composite
def _add_flow(draw) -> ed.Edit:
    if draw(st.booleans()):  # onto a flow of the table: merged when identical
        source, target, material, unit, category = draw(_rows)
        if category == "waste" and draw(st.booleans()):
            category = "hazardous waste"
    else:
        source, target, material = draw(_nodes), draw(_nodes), draw(_materials)
        unit = _MATERIALS[material]
        category = draw(st.sampled_from(["by-product", "waste", "hazardous waste"]))
    return ed.AddFlow(
        source,
        target,
        material,
        unit,
        quantity=draw(st.one_of(st.none(), st.floats(0.5, 50))),
        category=category,
        substitutable=draw(st.one_of(st.none(), st.booleans())),
    )


@st.composite
def _redirect(draw) -> ed.Edit:
    source, target, material, _, _ = draw(_rows)
    quantity = draw(st.one_of(st.none(), st.floats(0.1, 5)))
    return ed.RedirectFlow(source, target, material, to=draw(_nodes), quantity=quantity)


@st.composite
def _scale(draw) -> ed.Edit:
    source, target, material, _, _ = draw(_rows)
    return ed.ScaleFlow(source, target, material, factor=draw(st.floats(0.1, 3)))


@st.composite
def _mark(draw) -> ed.Edit:
    source, target, material, _, _ = draw(_rows)
    return ed.MarkFlow(source, target, material, substitutable=draw(st.booleans()))


_edit = st.one_of(_add_flow(), _redirect(), _scale(), _mark())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(_edit, min_size=1, max_size=6))
def test_any_edited_network_reads_back_the_same(edits, tmp_path_factory):
    network = from_frames(_FIRMS, _FLOWS)
    kept = []
    for edit in edits:  # the edits that fit, one after the other
        try:
            quietly(ed.apply, network, [*kept, edit])
        except InputError:
            continue
        kept.append(edit)
    after = quietly(ed.apply, network, kept)
    back = read_back(after, tmp_path_factory.mktemp("edited"))
    assert_same_network(after, back)
    assert_same_indicators(after, back)


# ---------------------------------------------------------------------------- writing


def test_the_network_s_own_folder_is_refused_and_nothing_is_written(park, tmp_path):
    network = quietly(load, park)
    before = {p.name: p.read_bytes() for p in park.iterdir()}
    with pytest.raises(ProtectedFileError, match="own files"):
        write_network(network, park)
    assert {p.name: p.read_bytes() for p in park.iterdir()} == before
    alone = tmp_path / "alone"  # a flows file alone: no firms.csv is put beside it
    alone.mkdir()
    (alone / "edges.csv").write_text(FLOWS, encoding="utf-8")
    with pytest.raises(ProtectedFileError, match="own files"):
        write_network(quietly(load, alone / "edges.csv"), alone)
    assert [p.name for p in alone.iterdir()] == ["edges.csv"]


def test_both_files_or_neither(park, tmp_path):
    network = quietly(load, park)
    target = tmp_path / "out"
    target.mkdir()
    (target / "README.md").write_text("mine")
    (target / "flows.csv").write_text("old")
    protected = [target / "firms.csv"]  # the second file cannot be written: neither is
    (target / "firms.csv").write_text("input")
    with pytest.raises(ProtectedFileError):
        write_network(network, target, protected=protected)
    assert (target / "flows.csv").read_text() == "old"
    (target / "firms.csv").unlink()
    write_network(network, target)  # an existing folder: its two files replaced, the rest kept
    assert (target / "README.md").read_text() == "mine"
    assert_same_network(network, quietly(load, target))


def test_write_network_is_the_library_s(park, tmp_path):
    assert symbiosis.export.write_network is write_network
    with pytest.raises(InputError, match="folder"):
        write_network(quietly(load, park), "")
