"""In-house reuse proposed as a kind of its own (tester-bioports14 defects 2 and 5).

The pass proposed disposed streams to other firms only, never back to their source, even
where that is the textbook answer: Äänekoski's kraft mill landfilled its lime mud with the
row ``lime-mud-reburning`` (its own lime kiln) marked ``(in-house)`` among the streams of
no receiver, and Kawasaki's steelworks dumped its iron-bearing dust with no in-plant
sinter recycling (``steel-dust-sinter``). A disposed stream whose source runs a catalogue
row's process is now proposed back to it, kind ``in_house``: sized by what the source's
process can take, ranked first among its stream's alternatives, its impact the disposal
avoided, never counted twice with an external proposal of the same stream; a stream whose
row needs a process its source does not run gets none.
"""

from __future__ import annotations

import json
import tomllib

import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.io.demands import Demand

FLOW_COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network(firms, flows):
    return from_frames(
        pd.DataFrame(firms, columns=["id", "sector", "role"]),
        pd.DataFrame(flows, columns=FLOW_COLUMNS),
    )


def _kraft(fate: str = "LF", cement: bool = False):
    """A kraft pulp mill landfilling (or selling) 3 kt of lime mud; a cement works."""
    firms = [("KM", "kraft pulp mill", "firm"), ("LF", "", "disposal"),
             ("MKT", "", "market"), ("FOR", "forestry", "extraction")]  # fmt: skip
    flows = [("FOR", "KM", "pulpwood", 2_000, "kt", "product"),
             ("KM", "MKT", "kraft pulp", 800, "kt", "product"),
             ("KM", fate, "lime mud", 3, "kt", "waste")]  # fmt: skip
    if cement:
        firms.append(("CEM", "cement", "firm"))
        flows += [("MKT", "CEM", "limestone", 1_500, "kt", "product"),
                  ("CEM", "MKT", "cement", 1_000, "kt", "product")]  # fmt: skip
    return _network(firms, flows)


def _steelworks(dust: str = "iron-bearing dust"):
    firms = [("JFE", "iron and steel", "firm"), ("UME", "", "landfill"),
             ("MKT", "", "market")]  # fmt: skip
    flows = [("MKT", "JFE", "iron ore", 5_600, "kt", "product"),
             ("MKT", "JFE", "coking coal", 2_000, "kt", "product"),
             ("JFE", "MKT", "steel products", 3_500, "kt", "product"),
             ("JFE", "UME", dust, 30, "kt", "waste")]  # fmt: skip
    return _network(firms, flows)


def _in_house(result):
    table = result.table
    return table[table["kind"] == "in_house"]


def test_a_kraft_mills_lime_mud_goes_back_to_its_own_lime_kiln():
    result = find_opportunities(_kraft(), top=5)
    rows = _in_house(result)
    assert list(rows["source"]) == ["KM"] and list(rows["target"]) == ["KM"]
    assert list(rows["pathway"]) == ["lime-mud-reburning"]
    assert list(rows["quantity"]) == [3000.0]
    o = result.listed[0]
    assert (o.kind, o.target, o.new_plant, o.distance_km) == ("in_house", "KM", False, 0.0)
    assert o.capacity is not None and o.quantity == 3000.0  # sized: what the mill can take
    assert "in-house" in o.describe()
    assert "lime mud" not in set(result.uncovered["material"])  # no longer "no receiver"
    assert result.counts["dumped"]["in_house"] == 1


def test_a_steelworks_dust_goes_back_to_its_sinter_plant():
    for name in ("iron-bearing dust", "ダスト (iron-bearing dust)"):
        result = find_opportunities(_steelworks(name), top=5)
        rows = _in_house(result)
        assert list(rows["target"]) == ["JFE"], name
        assert "steel-dust-sinter" in set(rows["pathway"]) | {
            e["id"] for o in result.listed if o.kind == "in_house" for e in o.evidence
        }
        first = result.listed[0]
        assert first.kind == "in_house" and first.quantity == 30_000.0


@pytest.mark.parametrize(
    "firms,flows",
    [
        # a board mill buys its pulp: no lime kiln, no causticising
        ([("BM", "paperboard", "firm"), ("LF", "", "disposal")],
         [("BM", "LF", "lime mud", 3, "kt", "waste")]),
        # a sawmill runs no kraft process whatever it disposes of
        ([("SAW", "sawmill", "firm"), ("LF", "", "disposal")],
         [("SAW", "LF", "lime mud", 3, "kt", "waste")]),
        # a steel fabricator runs no sinter plant
        ([("FAB", "metal fabrication", "firm"), ("LF", "", "disposal"),
          ("MKT", "", "market")],
         [("MKT", "FAB", "steel plate", 50, "kt", "product"),
          ("FAB", "LF", "iron-bearing dust", 1, "kt", "waste")]),
    ],
)  # fmt: skip
def test_a_source_that_does_not_run_the_rows_process_gets_no_in_house(firms, flows):
    # beside a kraft mill whose lime mud does go back in-house
    firms = [*firms, ("KM", "kraft pulp mill", "firm"), ("LF2", "", "disposal")]
    flows = [*flows, ("KM", "LF2", "lime mud", 3, "kt", "waste")]
    result = find_opportunities(_network(firms, flows), top=10)
    assert list(_in_house(result)["source"]) == ["KM"]
    assert [o.source for o in result.listed if o.kind == "in_house"] == ["KM"]


def test_only_a_disposed_stream_is_proposed_in_house():
    # lime mud sold raw goes to its buyer: it is no waste of the mill's (the mill's other
    # stream, landfilled, goes back)
    network = _kraft(fate="MKT")
    flows = network.flows[FLOW_COLUMNS]
    extra = pd.DataFrame([("KM", "LF", "lime sludge", 1, "kt", "waste")], columns=FLOW_COLUMNS)
    network = from_frames(network.firms.reset_index()[["id", "sector", "role"]],
                          pd.concat([flows, extra], ignore_index=True))  # fmt: skip
    result = find_opportunities(network, top=5)
    assert list(_in_house(result)["material"]) == ["lime sludge"]
    row = result.uncovered.set_index("material").loc["lime mud"]
    assert "lime-mud-reburning (in-house)" in row["pathways"]  # still marked


def test_a_feedstock_row_needs_the_source_to_take_what_the_stream_replaces():
    # a plasterboard maker buying natural gypsum recycles its offcuts on its own line; a
    # TiO2 pigment plant (sector pigments) makes no iron-oxide pigment of its copperas
    firms = [("GYP", "plasterboard", "firm"), ("LF", "", "disposal"), ("MKT", "", "market")]
    flows = [("MKT", "GYP", "natural gypsum", 50, "kt", "product"),
             ("GYP", "MKT", "plasterboard", 200, "kt", "product"),
             ("GYP", "LF", "plasterboard waste", 5, "kt", "waste")]  # fmt: skip
    rows = _in_house(find_opportunities(_network(firms, flows), top=0))
    assert list(rows["pathway"]) == ["plasterboard-recycling"]
    firms = [("ANN", "titanium dioxide (sulfate route)", "firm"), ("LF", "", "disposal"),
             ("MKT", "", "market")]  # fmt: skip
    flows = [("ANN", "LF", "copperas", 386, "kt", "waste"),
             ("MKT", "ANN", "ilmenite", 250, "kt", "product")]  # fmt: skip
    table = find_opportunities(_network(firms, flows), top=0).table
    assert _in_house_rows(table).empty
    assert "new_plant" in set(table[table["pathway"] == "copperas-pigment"]["kind"])


def _in_house_rows(table):
    return table[table["kind"] == "in_house"]


def test_in_house_and_an_external_taker_share_the_stream_once():
    network = _kraft(cement=True)
    result = find_opportunities(network, top=5)
    mud = [o for o in result.listed if o.material == "lime mud"]
    assert [o.kind for o in mud][:1] == ["in_house"]  # first of its alternatives
    assert any(o.target == "CEM" for o in mud)  # the cement kiln is still listed
    cumulative = result.cumulative
    assert cumulative.moved["mass"] == pytest.approx(3000.0)  # not 6,000
    cement = next(o for o in mud if o.target == "CEM")
    skipped = {(s.group, s.rank): s for s in cumulative.skipped}
    assert skipped[("dumped", cement.rank)].used_up == "stream"


def test_its_edits_apply_and_recount_to_its_impact():
    network = _kraft(cement=True)
    result = find_opportunities(network, top=5)
    o = next(o for o in result.listed if o.kind == "in_house")
    assert not o.impact.closes_loop  # a firm's own reuse closes no loop of exchanges
    edited = ed.apply(network, list(o.edits))
    accounts = reuse_accounts(edited)["mass"]
    assert o.impact.reuse_share["mass"][1] == pytest.approx(accounts["reuse_share"])
    assert accounts["reused_internally"] == pytest.approx(3000.0)
    assert accounts["disposed"] == pytest.approx(0.0)
    # the scenario file round trip: the redirect back to the mill says in_house = true
    text = result.to_toml()
    assert "in_house = true" in text
    again = ed.edits_from_tables(tomllib.loads(text))
    assert again == result.edits()
    pd.testing.assert_frame_equal(ed.apply(network, again).flows,
                                  ed.apply(network, result.edits()).flows)  # fmt: skip


def test_a_demand_row_bounds_the_in_house_proposal():
    demands = (Demand("KM", "lime mud", (), "mass", 1000.0, "demands.csv", 2),)
    result = find_opportunities(_kraft(), top=5, demands=demands)
    o = next(o for o in result.listed if o.kind == "in_house")
    assert o.quantity == pytest.approx(1000.0) and o.capacity["source"] == "demand"
    assert not [w for w in result.warnings if "demand row" in w]


def test_a_redirect_back_to_the_source_needs_in_house():
    network = _kraft()
    with pytest.raises(Exception, match="add in_house = true"):
        ed.apply(network, [ed.RedirectFlow("KM", "LF", "lime mud", to="KM")])
    with pytest.raises(Exception, match="in_house = true takes the flow back to its source"):
        ed.apply(network, [ed.RedirectFlow("KM", "LF", "lime mud", to="MKT", in_house=True)])
    edited = ed.apply(network, [ed.RedirectFlow("KM", "LF", "lime mud", to="KM", in_house=True)])
    assert reuse_accounts(edited)["mass"]["reused_internally"] == pytest.approx(3000.0)


def test_the_kind_is_asked_for_and_shown_in_every_format(tmp_path):
    from typer.testing import CliRunner

    from symbiosis.cli import app

    folder = tmp_path / "kraft"
    folder.mkdir()
    network = _kraft()
    network.flows[FLOW_COLUMNS].to_csv(folder / "flows.csv", index=False)
    pd.DataFrame(
        [("KM", "kraft pulp mill", "firm"), ("LF", "", "disposal"), ("MKT", "", "market"),
         ("FOR", "forestry", "extraction")], columns=["id", "sector", "role"],
    ).to_csv(folder / "firms.csv", index=False)  # fmt: skip
    runner = CliRunner()
    text = runner.invoke(app, ["opportunities", str(folder), "--kind", "in_house"])
    assert text.exit_code == 0, text.output
    assert "in_house" in text.stdout and "(in-house)" in text.stdout
    data = json.loads(runner.invoke(app, ["opportunities", str(folder), "-f", "json"]).stdout)
    assert [o["kind"] for o in data["opportunities"]][:1] == ["in_house"]
    assert data["opportunities"][0]["edits"][0]["in_house"] is True
    csv = runner.invoke(app, ["opportunities", str(folder), "-f", "csv"]).stdout
    assert "in_house" in csv
    html = tmp_path / "report.html"
    report = runner.invoke(app, ["report", str(folder), "--out", str(html)])
    assert report.exit_code == 0, report.output
    assert "<td>in house</td>" in html.read_text(encoding="utf-8")  # as the report's kinds read
