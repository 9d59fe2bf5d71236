"""Transport reach (testers: coke-oven gas and steam offered 355 km away, a palm-oil
mill's treated effluent to a digester 62 km away): a receiver farther than its stream's
material can travel (catalogue/reach.csv) is dropped in every path that proposes an
existing actor, the user's max_distance_km still wins when smaller, pairs without
coordinates are kept, and a stream left with no receiver for it says so."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from symbiosis import Options, analyze, from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue.reach import default_reach, load_reach, read_reach
from symbiosis.errors import InputError

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _east(km: float, lat: float = 31.0) -> float:
    """Degrees of longitude for ``km`` east along the parallel ``lat`` (great circle
    nearly the same at these distances)."""
    return km / (6371.0088 * np.pi / 180 * np.cos(np.radians(lat)))


def _park(chem_km: float | None, *, cement_km: float = 300, extra=()) -> object:
    return from_frames(*_frames(chem_km, cement_km=cement_km, extra=extra))


def _frames(chem_km: float | None, *, cement_km: float = 300, extra=()):
    """A power plant venting process steam and landfilling fly ash, a chemicals plant
    ``chem_km`` east (no coordinates for None) and a cement plant ``cement_km`` east
    that buys clinker."""
    firms = [
        ("CHP", "power plant", "firm", 31.0, 117.0),
        ("CHEM", "chemicals", "firm", 31.0 if chem_km is not None else np.nan,
         117.0 + _east(chem_km) if chem_km is not None else np.nan),
        ("CEM", "cement", "firm", 31.0, 117.0 + _east(cement_km)),
        ("AIR", "", "environment", np.nan, np.nan),
        ("LF", "", "disposal", np.nan, np.nan),
        ("MKT", "", "market", np.nan, np.nan),
    ]  # fmt: skip
    flows = [
        ("CHP", "AIR", "process steam", 100_000, "GJ", "emission"),
        ("CHP", "LF", "fly ash", 50_000, "t", "waste"),
        ("MKT", "CEM", "clinker", 1000, "t", "product"),
        ("CHEM", "MKT", "chemicals", 1000, "t", "product"),
        ("CEM", "MKT", "cement", 1000, "t", "product"),
    ]
    firm_rows = firms + [f for f in extra if len(f) == 5]
    flow_rows = flows + [f for f in extra if len(f) == 6]
    return (pd.DataFrame(firm_rows, columns=["id", "sector", "role", "lat", "lon"]),
            pd.DataFrame(flow_rows, columns=COLUMNS))  # fmt: skip


def _find(network, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return find_opportunities(network, top=0, impact=False, **kw)


def _targets(result, material: str) -> set[str]:
    table = result.table
    return set(table.loc[table["material"] == material, "target"])


def test_steam_5_km_away_is_kept_50_km_away_dropped():
    assert "CHEM" in _targets(_find(_park(5)), "process steam")
    far = _find(_park(50))
    assert "CHEM" not in _targets(far, "process steam")
    # the same chemicals plant still takes the fly ash 50 km away: solids have no reach
    assert "CHEM" in _targets(far, "fly ash")
    note = [w for w in far.warnings if w.startswith("transport reach")]
    assert len(note) == 1
    assert "process steam (1 stream, reach 10 km; the nearest receiver 50 km away)" in note[0]
    assert far.parameters["reach_km"]["steam"] == 10


def test_a_solid_300_km_away_is_kept():
    table = _find(_park(5)).table
    ash = table[(table["material"] == "fly ash") & (table["target"] == "CEM")]
    assert len(ash) == 1
    assert ash["distance_km"].iloc[0] == pytest.approx(300, abs=0.1)


def test_the_users_max_distance_wins_when_smaller():
    result = _find(_park(5), max_distance_km=3)
    assert "CHEM" not in _targets(result, "process steam")
    # dropped by the user's limit, not the reach: no reach warning
    assert not any(w.startswith("transport reach") for w in result.warnings)
    # a max_distance_km larger than the reach does not lift it
    assert "CHEM" not in _targets(_find(_park(50), max_distance_km=100), "process steam")


def test_switched_off_restores_the_results_without_reach():
    off = _find(_park(50), reach=False)
    assert "CHEM" in _targets(off, "process steam")
    assert off.parameters["reach_km"] is None
    assert not any(w.startswith("transport reach") for w in off.warnings)
    # a network with nothing the reach caps: the same table either way
    on, off = _find(_park(5)).table, _find(_park(5), reach=False).table
    pd.testing.assert_frame_equal(on, off)


def test_receivers_without_coordinates_are_kept():
    assert "CHEM" in _targets(_find(_park(None)), "process steam")


def test_redirects_and_the_networks_evidence_are_bounded_too():
    """A dyer 50 km away buying steam from the market (a redirect), a works of no
    catalogue sector 50 km away taking steam from a boiler house (the network's evidence:
    it takes the material) and the chemicals plant (a catalogue row's sector) are all
    beyond steam's reach."""
    extra = [
        ("DYE", "textile dyeing", "firm", 31.0, 117.0 + _east(50)),
        ("BREW", "widget works", "firm", 31.0, 117.0 - _east(50)),
        ("BOIL", "boiler house", "firm", 31.0, 117.0 - _east(51)),
        ("MKT", "DYE", "process steam", 5000, "GJ", "product"),
        ("BOIL", "BREW", "process steam", 5000, "GJ", "by-product"),
        ("MKT", "BOIL", "coal", 500, "t", "product"),
        ("DYE", "MKT", "dyed cloth", 100, "t", "product"),
        ("BREW", "MKT", "beer", 100, "t", "product"),
    ]
    off = _find(_park(60, extra=extra), reach=False).table
    steam = off[off["material"] == "process steam"]
    assert {"DYE", "BREW"} <= set(steam["target"])
    assert "redirect" in set(steam.loc[steam["target"] == "DYE", "kind"])
    assert set(steam.loc[steam["target"] == "BREW", "rule"]) == {"network: takes this material"}
    assert "steam-chemicals" in set(steam.loc[steam["target"] == "CHEM", "pathway"])
    on = _find(_park(60, extra=extra))
    assert not {"DYE", "BREW", "CHEM"} & _targets(on, "process steam")
    assert count_opportunities(_park(60, extra=extra)) < count_opportunities(
        _park(60, extra=extra), reach=False
    )


def test_a_reach_file_replaces_or_lifts_a_row(tmp_path):
    longer = tmp_path / "reach.csv"
    longer.write_text("material,reach_km,source\nsteam,60,a 60 km line\n", encoding="utf-8")
    assert "CHEM" in _targets(_find(_park(50), reach=longer), "process steam")
    lifted = tmp_path / "lifted.csv"
    lifted.write_text("material,reach_km,source\nsteam,,our own study\n", encoding="utf-8")
    result = _find(_park(50), reach=str(lifted))
    assert "CHEM" in _targets(result, "process steam")
    assert "steam" not in result.parameters["reach_km"]
    assert result.parameters["reach_km"]["heat"] == 110
    # a file alone: the shipped rows are not read
    alone = load_reach(longer, replace=True)
    assert alone.capped() == {"steam": 60.0}
    assert _find(_park(5), reach=alone).parameters["reach_km"] == {"steam": 60.0}


def test_bad_reach_rows_give_located_errors(tmp_path):
    bad = tmp_path / "reach.csv"
    bad.write_text(
        "material,reach_km,source\nsteam,ten,a line\n,5,x\nheat,0,\nheat,1-2,y\nwater,1,z\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_reach(bad)
    said = [str(p) for p in caught.value.problems]
    assert said == [
        f"{bad}:2: reach_km: 'ten' is not a number; write one number, e.g. 10, or leave the "
        "cell empty",
        f"{bad}:3: material: material is empty; name a material or a family of the taxonomy "
        "(e.g. steam, heat), or a material as your flows name it",
        f"{bad}:4: reach_km: '0' is not above 0; give a positive number or leave the cell empty",
        f"{bad}:4: source: source is empty; cite the line, rule or study that gives the distance",
        f"{bad}:5: reach_km: '1-2' is a range; give one typical value and write the range in notes",
        f"{bad}:5: material: 'heat' is listed again (first on row 4); keep one row per material",
    ]
    missing = tmp_path / "columns.csv"
    missing.write_text("material,km\nsteam,10\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reach([bad, missing])  # every problem of every file at once
    said = [str(p) for p in caught.value.problems]
    assert len(said) == 8
    assert said[-2].startswith(f"{missing}:1: reach_km: required column is missing")
    with pytest.raises(InputError, match="reach must be True"):
        find_opportunities(_park(5), reach=3)


def test_the_shipped_table_is_cited_and_caps_what_it_should():
    reach = default_reach()
    assert reach.capped() == {"steam": 10.0, "heat": 110.0, "treated effluent": 40.0,
                              "secondary effluent": 40.0, "wastewater": 40.0,
                              "coke oven gas": 300.0, "blast furnace gas": 300.0,
                              "converter gas": 300.0}  # fmt: skip
    # a member of the heat family takes the family's row; steam its own
    assert reach.of("district heat", "district heat", "heat") == 110
    assert reach.of("lp steam", "steam", "heat") == 10
    assert reach.of("fly ash", "fly ash", "ash") == np.inf


@pytest.mark.parametrize(
    "gas",
    ["coke oven gas", "焦炉煤气", "blast furnace gas", "高炉煤气", "converter gas", "转炉煤气"],
)
def test_a_steel_works_gas_goes_no_farther_than_coke_oven_gas_was_piped(gas):
    """note23: a steel works' coke-oven gas was offered to a receiver 355 km away. The
    longest documented line, the Ruhr's coke-oven gas grid, ran about 300 km; blast
    furnace and converter gas, leaner, are given that reach as an upper bound."""
    firms = [
        ("STEEL", "iron and steel", "firm", 31.0, 117.0),
        ("NEAR", "power plant", "firm", 31.0, 117.0 + _east(20)),
        ("FAR", "power plant", "firm", 31.0, 117.0 + _east(355)),
        ("AIR", "", "environment", np.nan, np.nan),
        ("MKT", "", "market", np.nan, np.nan),
    ]
    flows = [("STEEL", "AIR", gas, 500, "TJ", "emission"),
             ("MKT", "NEAR", "coal", 1000, "kt", "product"),
             ("MKT", "FAR", "coal", 1000, "kt", "product"),
             ("NEAR", "MKT", "electricity", 2000, "GWh", "product"),
             ("FAR", "MKT", "electricity", 2000, "GWh", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role", "lat", "lon"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    existing = {"NEAR", "FAR"}  # a new plant proposed for the gas has no place
    assert _targets(_find(network), gas) & existing == {"NEAR"}
    assert _targets(_find(network, reach=False), gas) & existing == existing


def test_options_and_the_report_say_which_reach():
    network = _park(50)
    report = analyze(network, sections=["opportunities"])
    assert report.to_dict()["options"]["reach"] is True
    assert report.to_dict()["opportunities"]["parameters"]["reach_km"]["steam"] == 10
    off = analyze(network, options=Options(reach=False), sections=["opportunities"]).to_dict()
    assert off["opportunities"]["parameters"]["reach_km"] is None
    assert json.dumps(off)  # the parameters are JSON
    with pytest.raises(InputError, match="reach must be True, False or a reach file"):
        Options(reach=3)


def test_the_command_line_switches_and_replaces_the_reach(tmp_path):
    from typer.testing import CliRunner

    from symbiosis.cli import app

    firms, flows = _frames(50)
    firms.to_csv(tmp_path / "firms.csv", index=False)
    flows.to_csv(tmp_path / "flows.csv", index=False)

    def run(*args: str) -> dict:
        result = CliRunner().invoke(app, ["opportunities", str(tmp_path), "-f", "json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def steam_targets(data: dict) -> set[str]:
        return {o["target"] for o in data["opportunities"] if o["material"] == "process steam"}

    shipped = run("-q")
    assert shipped["parameters"]["reach_km"]["steam"] == 10
    assert "CHEM" not in steam_targets(shipped)
    off = run("-q", "--no-reach")
    assert off["parameters"]["reach_km"] is None and "CHEM" in steam_targets(off)
    mine = tmp_path / "reach.csv"
    mine.write_text("material,reach_km,source\nsteam,60,a 60 km line\n", encoding="utf-8")
    assert "CHEM" in steam_targets(run("-q", "--reach", str(mine)))
    alone = run("-q", "--reach", str(mine), "--no-reach")
    assert alone["parameters"]["reach_km"] == {"steam": 60.0}
    mine.write_text("material,reach_km,source\nsteam,far,x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["opportunities", str(tmp_path), "--reach", str(mine)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{mine}:2: reach_km: 'far' is not a number" in result.output
