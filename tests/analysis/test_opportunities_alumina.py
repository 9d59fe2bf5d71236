"""Alumina, a product sold raw, goes to electrolysis smelters only, and a smelter that
already takes its whole need of it has no room for more (tester-cities6, defect 1).

The shipped vocabulary filed alumina refineries, rolling and foil mills, extruders and
scrap remelters under one ``aluminium`` sector, the receiving sector of
``alumina-smelting``: Baise's alumina was proposed to a refinery (1,035 kt, as much again
as its whole intake), a foil mill, an extruder and a remelter. And the row's
``max_share`` of 1 counted a smelter's anodes and aluminium fluoride as room for alumina
(260 kt more to a smelter making 500 kt of aluminium from its 965 kt of alumina)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue.sectors import default_sectors

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = pd.DataFrame(
    [("AL", "alumina refining (Bayer process)", "firm"),
     ("AL2", "alumina refinery", "firm"),
     ("SM", "electrolytic aluminium", "firm"),
     ("SM2", "primary aluminium smelting", "firm"),
     ("FOIL", "aluminium foil", "firm"),
     ("PROF", "aluminium profiles (extrusion)", "firm"),
     ("SCRAP", "secondary aluminium", "firm"),
     ("MKT", "", "market"), ("LF", "", "disposal")],
    columns=["id", "sector", "role"],
)  # fmt: skip


def _network(*extra):
    flows = [
        ("MKT", "AL", "bauxite", 2300, "kt", "product"),
        ("MKT", "AL2", "bauxite", 2300, "kt", "product"),
        ("AL", "MKT", "alumina", 1000, "kt", "product"),
        ("AL2", "MKT", "alumina", 1000, "kt", "product"),
        ("SM", "FOIL", "aluminium ingot", 150, "kt", "product"),
        ("SM", "MKT", "aluminium ingot", 350, "kt", "product"),
        ("SM2", "MKT", "aluminium ingot", 500, "kt", "product"),
        ("FOIL", "MKT", "aluminium foil", 140, "kt", "product"),
        ("PROF", "MKT", "aluminium profiles", 190, "kt", "product"),
        ("MKT", "PROF", "aluminium ingot", 200, "kt", "product"),
        ("MKT", "SCRAP", "aluminium scrap", 50, "kt", "product"),
        ("SCRAP", "MKT", "recycled aluminium ingot", 48, "kt", "product"),
        ("FOIL", "LF", "aluminium scrap", 10, "kt", "waste"),
    ]
    for smelter in ("SM", "SM2"):  # 1.93 t of alumina per t of aluminium: its whole need
        flows += [
            ("AL2", smelter, "alumina", 965, "kt", "product"),
            ("MKT", smelter, "prebaked anodes", 250, "kt", "product"),
            ("MKT", smelter, "aluminium fluoride", 10, "kt", "product"),
        ]
    return from_frames(FIRMS, pd.DataFrame([*flows, *extra], columns=COLUMNS))


def _alumina(result) -> pd.DataFrame:
    table = result.table
    return table[table["pathway"].eq("alumina-smelting")]


def test_only_smelters_are_proposed_alumina():
    """Of the refinery, the two smelters, the foil mill, the extruder and the remelter,
    the alumina sold goes to the smelters alone (it went to all but its own refinery)."""
    result = find_opportunities(_network(), top=50)
    rows = _alumina(result)
    assert set(rows["target"]) == {"SM", "SM2"}


def test_the_smelters_terms_keep_their_aluminium_rows():
    """A smelter stays an aluminium plant (scrap, dross, anode butts, electricity), as
    remelters and rolling mills are; an alumina refinery is neither (nor an oil
    refinery)."""
    vocabulary = default_sectors()
    for text in ("电解铝 electrolytic aluminium", "primary aluminium smelting",
                 "aluminium smelter", "potline", "原铝"):  # fmt: skip
        assert {"aluminium", "aluminium smelting"} <= vocabulary.sectors_of(text), text
    for text in ("aluminium foil", "aluminium profiles (extrusion)", "secondary aluminium",
                 "recycled aluminium", "aluminium rolling mill", "再生铝"):  # fmt: skip
        sectors = vocabulary.sectors_of(text)
        assert "aluminium" in sectors and "aluminium smelting" not in sectors, text
    for text in ("alumina refinery", "氧化铝厂", "alumina refining (Bayer process)"):
        assert vocabulary.sectors_of(text) <= {"alumina refining"}, text
    result = find_opportunities(_network(), top=50)
    scrap = result.table.query("material == 'aluminium scrap'")
    assert {"SM", "SM2", "SCRAP"} <= set(scrap["target"])
    assert {"SM", "SM2"} <= set(scrap.query("pathway == 'aluminium-scrap'")["target"])


def test_a_smelter_taking_its_whole_need_has_no_room():
    """By hand: each smelter makes 500 kt of aluminium from 965 kt of alumina, with 250
    kt of anodes and 10 kt of aluminium fluoride. The row's max_share of 1 (a main feed)
    is of the 500 kt it makes, less the 965 kt it takes: no room (its anodes and fluoride
    had left 260 kt: 1 x 1,225 kt of intake, less 965)."""
    result = find_opportunities(_network(), top=50)
    rows = _alumina(result)
    assert rows["capacity"].tolist() == pytest.approx([0.0] * len(rows))
    assert rows["quantity"].tolist() == pytest.approx([0.0] * len(rows))
    listed = [o for o in result.listed if o.pathway == "alumina-smelting"]
    assert listed and all(o.no_room for o in listed)
    assert "products it makes" in listed[0].capacity["detail"]


def test_identical_smelters_are_bounded_alike():
    """SM takes no alumina under that name here (its feed is called otherwise), SM2 its
    whole need. Both are bounded by the products they make, never by their whole intake
    (1,225 kt: the refinery-sized bound one of two identical smelters got): SM, which
    records none of the stream's family, has room for 500 kt at most."""
    network = _network()
    flows = network.flows.copy()
    renamed = (flows["target"] == "SM") & (flows["material"] == "alumina")
    flows.loc[renamed, "material"] = "smelter feed"
    network = from_frames(FIRMS, flows[COLUMNS].assign(quantity=flows["value"], unit="t"))
    rows = _alumina(find_opportunities(network, top=50))
    by = rows.groupby("target")["capacity"].max()
    assert by["SM"] == pytest.approx(500_000)
    assert by["SM2"] == pytest.approx(0)
    assert (rows["quantity"] <= 500_000 + 1e-6).all()
