"""The scenario, shock and criticality commands: text, JSON, --out written whole or not
at all, and clear errors."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
EXAMPLE = Path(__file__).parents[2] / "examples" / "tongling"
PANZHIHUA = Path(__file__).parents[1] / "data" / "resource_cities" / "panzhihua"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------- scenario


def test_scenario_compares_several_files_side_by_side(tmp_path):
    to_cement = write(
        tmp_path / "to_cement.toml",
        '[[redirect]]\nsource = "SMELT"\ntarget = "LF"\nmaterial = "copper slag"\nto = "CEM"\n',
    )
    mine = write(tmp_path / "mine.toml", '[[shock]]\nfirm = "MINE"\nchange = -1\n')
    result = invoke("scenario", SMALL, to_cement, mine, "-q")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "before" in line)
    cells = [cell.strip() for cell in header.split("┃")[3:]]
    assert cells == ["before", "to_cement", "Δ to_cement", "mine", "Δ mine"]
    rows = {line.split("│")[0].strip(): line for line in result.stdout.splitlines()
            if "reuse share" in line}  # fmt: skip
    # mass residuals: off-gas 500 kt + slag 300 kt reused, 100 kt slag dumped, CO2 800 kt
    assert "47.1 %" in rows["mass"] and "52.9 %" in rows["mass"] and "+5.9 pp" in rows["mass"]
    # by count: 3 of the 5 residual streams reused, 4 once the slag goes to cement
    assert "60.0 %" in rows["all"] and "80.0 %" in rows["all"] and "+20.0 pp" in rows["all"]
    assert "Loops: to_cement opens and closes none" in result.stdout


def test_scenario_with_the_bundled_example_and_json():
    result = invoke(
        "scenario", "--example", "tongling", "jinlong_closed", "dongguashan_exhausted", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = [s["name"] for s in data["scenarios"]]
    assert names == ["jinlong_closed", "dongguashan_exhausted"]
    assert data["changes"]["jinlong_closed"]["all"]["loops"] == -3
    assert len(data["scenarios"][0]["loops_opened"]) == 3


def test_scenario_out_is_written_whole(tmp_path):
    out = tmp_path / "results" / "compare.json"
    scenario = EXAMPLE / "scenarios" / "jinlong_closed.toml"
    result = invoke("scenario", EXAMPLE, scenario, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["scenarios"][0]["name"] == "jinlong_closed"
    assert [p.name for p in out.parent.iterdir()] == ["compare.json"]  # no temporary left


def test_a_bad_scenario_writes_nothing_and_says_where(tmp_path):
    out = tmp_path / "compare.json"
    bad = write(tmp_path / "bad.toml", '\n[[remove_firm]]\nid = "SMELTER"\n')
    result = invoke("scenario", SMALL, bad, "--out", out)
    assert result.exit_code == 2
    assert f"error: {bad}:3: id: [[remove_firm]] #1: unknown firm 'SMELTER'" in result.stderr
    assert "the name of SMELT: give its id" in result.stderr  # its name, not its id
    assert result.stdout == "" and not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_problems_of_every_file_are_listed_together(tmp_path):
    one = write(tmp_path / "one.toml", '[[remove_firm]]\nid = "X"\n')
    two = write(tmp_path / "two.toml", "[[remove_firm]\n")
    result = invoke("scenario", SMALL, one, two)
    assert result.exit_code == 2
    assert f"{two}:1: not valid TOML" in result.stderr
    assert f"{one}:2: id: [[remove_firm]] #1: unknown firm 'X'" in result.stderr
    assert "2 problems found" in result.stderr


def test_the_output_may_not_overwrite_an_input(tmp_path):
    scenario = write(tmp_path / "s.toml", '[[remove_firm]]\nid = "CEM"\n')
    before = scenario.read_text()
    result = invoke("scenario", SMALL, scenario, "--out", scenario)
    assert result.exit_code == 2
    assert f"{scenario}: refusing to overwrite an input file (a scenario file); give --out " in (
        result.stderr
    )
    assert scenario.read_text() == before


def test_a_self_redirect_and_a_bad_coordinate_say_what_is_wrong(tmp_path):
    """Found by a tester: both ended with the generic 'see docs/scenarios.md for the
    tables and their keys'. Each now says what is wrong and what to do."""
    bad = write(
        tmp_path / "bad.toml",
        '[[redirect]]\nsource = "SMELT"\ntarget = "LF"\nmaterial = "copper slag"\n'
        'to = "SMELT"\n\n[[add_firm]]\nid = "NEW"\nlat = 95\nlon = 200\n\n'
        '[[add_firm]]\nid = "SWAP"\nlat = 117.8\nlon = 30.9\n',
    )
    result = invoke("scenario", SMALL, bad, "-q")
    assert result.exit_code == 2, result.output
    assert "tables and their keys" not in result.stderr
    assert result.stderr.splitlines()[:4] == [
        f"error: {bad}:5: to: [[redirect]] #1: 'SMELT' is the flow's source: the redirect "
        "would make a flow from 'SMELT' to itself; give to = the firm that is to take the flow "
        "instead of its target (to stop the flow, use [[remove_flow]]; for the firm's reuse of "
        "its own stream, add in_house = true)",
        f"error: {bad}:9: lat: [[add_firm]] #1: 95 is outside [-90, 90]; give lat in decimal "
        "degrees (WGS 84) from -90 to 90, e.g. lat = 30.93, or leave it out",
        f"error: {bad}:10: lon: [[add_firm]] #1: 200 is outside [-180, 180]; give lon in "
        "decimal degrees (WGS 84) from -180 to 180, e.g. lon = 117.81, or leave it out",
        f"error: {bad}:14: lat: [[add_firm]] #2: 117.8 is outside [-90, 90]; lat and lon look "
        "swapped; lat is the north-south coordinate (-90 to 90), lon the east-west one: swap "
        "the two values",
    ]


def test_scenario_without_a_file_explains(tmp_path):
    result = invoke("scenario", SMALL)
    assert result.exit_code == 2 and "no scenario file given" in result.stderr


# A tester's network: a mine, a smelter, a cement plant and a recycler; the loops
# S -> C -> R -> S (slag, dust) and S -> R -> S (heat, dust concentrate).
COPPER = Path(__file__).parents[1] / "data" / "copper"
COPPER_FIRMS = (COPPER / "firms.csv").read_text(encoding="utf-8")


def copper(tmp_path: Path, firms: str = COPPER_FIRMS) -> Path:
    """A tester's network: a mine, a smelter, a cement plant and a recycler; the loops
    S -> C -> R -> S (slag, dust) and S -> R -> S (heat, dust concentrate)."""
    folder = tmp_path / "copper"
    folder.mkdir()
    write(folder / "firms.csv", firms)
    write(folder / "flows.csv", (COPPER / "flows.csv").read_text(encoding="utf-8"))
    return folder


def _row(output: str, dimension: str, indicator: str) -> list[str]:
    line = next(line for line in output.splitlines()
                if line.startswith(dimension) and f"│ {indicator} " in line)  # fmt: skip
    return [cell.strip() for cell in line.split("│")]


def test_a_small_change_of_a_share_is_shown_not_rounded_to_0(tmp_path):
    """The mine at -50 %: the FCI goes from 2.42 % to 2.46 % (+0.044 pp); it showed as 0
    beside +0.5 pp. (The proportional model's figures.)"""
    text = 'model = "proportional"\n[[shock]]\nfirm = "M"\nchange = -0.5\n'
    shock = write(tmp_path / "half.toml", text)
    result = invoke("scenario", copper(tmp_path), shock, "-q")
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "mass", "finn cycling index")[-1] == "+0.04 pp"
    assert _row(result.stdout, "mass", "reuse share")[-1] == "+0.5 pp"
    assert _row(result.stdout, "energy", "reuse share")[-1] == "0"


def test_a_loop_is_written_as_the_loops_command_writes_it(tmp_path):
    """From its actor that comes first in firms.csv (docs/cycling.md): S -> C -> R -> S,
    where scenario wrote C -> R -> S -> C (its smallest id)."""
    folder = copper(tmp_path)
    assert "S → C → R → S" in invoke("loops", folder, "-q").stdout
    closing = write(tmp_path / "no_cement.toml", '[[remove_firm]]\nid = "C"\n')
    result = invoke("scenario", folder, closing, "-q")
    assert result.exit_code == 0, result.output
    assert "  S → C → R → S" in result.stdout.splitlines()
    data = json.loads(invoke("scenario", folder, closing, "-q", "-f", "json").stdout)
    assert data["scenarios"][0]["loops_opened"] == [["S", "C", "R"]]
    shocked = invoke("shock", folder, "--firm", "C", "--change", "-1", "-q")
    assert "  S → C → R → S (at S → C, C → R, R → S; vanishes)" in shocked.stdout.splitlines()


# ---------------------------------------------------------------------- shock


def test_shock_text_on_the_example():
    result = invoke("shock", "--example", "tongling", "--firm", "JL", "--change", "-1", "-q")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Supply shock: JL -100 %" in out
    assert "PMC" in out and "100.0 %" in out  # the refinery loses all its anode slime
    assert "By-product exchanges broken" in out and "anode slime" in out
    assert "JL → SLAGC → JL" in out  # a loop broken
    assert "Indicators before and after the shock" in out


def test_a_shock_on_flows_of_unknown_size_says_so_not_that_no_actor_is_hit():
    """Kalundborg's published park has no tonnages: closing the power station stops its
    13 flows, whose receivers lose inputs of unknown size. It said "No actor is
    affected" above the list of the exchanges it broke."""
    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    result = invoke("shock", park, "--firm", "ASN", "--change", "-1", "-q")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "No actor is affected" not in out
    assert "No actor's loss can be sized: the 13 flow(s) the shock shrinks or stops" in out
    assert "By-product exchanges broken (10)" in out
    result = invoke("shock", SMALL, "--firm", "MINE", "--change", "-0.5", "-q")
    assert "No actor's loss can be sized" not in result.stdout and "Actors hit" in result.stdout


def test_a_network_of_links_only_shows_no_tables_of_zeros():
    """No flow has a size: no totals of zeros, no tonnages or shares of dashes among the
    indicators; the counts and what the links say (cyclicity, loops) stay."""
    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    result = invoke("shock", park, "--firm", "ASN", "--change", "-0.5", "-q")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "No flow has a known size: nothing can be sized" in out
    assert "Totals" not in out and "generated" not in out
    assert not re.search(r"│ reuse share\s+│", out)
    assert "reuse share by count" in out and "cyclicity" in out and "loops" in out
    sized = invoke("shock", SMALL, "--firm", "MINE", "--change", "-0.5", "-q").stdout
    assert "Totals" in sized and "generated" in sized


def test_shock_totals_of_no_known_size_are_unknown_not_zero():
    """Closing Kalundborg's power station breaks flows in every dimension, none of known
    size: the Totals table counted them beside sums of 0 ("output before 0"). The sums
    and the actors affected are unknown (null in JSON), the flows broken counted."""
    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    result = invoke("shock", park, "--firm", "ASN", "--change", "-1", "-q")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    totals = {r[0]: r[1:] for r in rows if r[0] in ("mass", "energy", "volume") and len(r) == 11}
    assert totals["energy"] == ["GJ/yr"] + ["unknown"] * 7 + ["6", "5"]
    assert set(totals) == {"mass", "energy", "volume"}
    assert "unknown: no mass, energy or volume flow of known size there" in result.stdout
    data = json.loads(invoke("shock", park, "--firm", "ASN", "--change", "-1", "-f", "json").stdout)
    energy = data["totals"]["energy"]
    assert energy["output_before"] is None and energy["actors_affected"] is None
    assert energy["flows_broken"] == 6
    sized = json.loads(
        invoke("shock", SMALL, "--firm", "MINE", "--change", "-1", "-f", "json").stdout
    )
    assert sized["totals"]["mass"]["output_before"] > 0
    assert sized["totals"]["volume"]["output_before"] is None  # its one flow has no size


def test_shock_tables_give_units_and_no_share_kept_of_no_output(tmp_path):
    """A tester's steel works (BF -50 %): the "output lost" column mixed t/yr and GJ/yr
    rows without a unit, and an actor without output in a dimension showed a share of it
    kept ("BF volume ... output kept 50.0 %"). Each quantity has its row's unit; no
    output, no share: "–" in the text, null in the JSON."""
    net = tmp_path / "net"
    net.mkdir()
    write(net / "firms.csv", "id,role\nM,market\nA,firm\nB,firm\nC,firm\nK,market\n")
    write(
        net / "flows.csv",
        "source,target,material,quantity,unit,category\n"
        "M,A,ore,100,t,product\nA,B,slag,50,t,by-product\nA,K,metal,50,t,product\n"
        "A,C,steam,10,GJ,by-product\nM,C,sand,5,t,product\nC,K,glass,5,t,product\n",
    )
    result = invoke("shock", net, "--firm", "A", "--change", "-0.6", "-q")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    hit = {(r[0], r[1]): r[2:] for r in rows if len(r) == 8 and r[0] in ("A", "B", "C")}
    # input lost, output kept, output lost, sales lost, limited by, unit
    taken = "by-products and wastes taken"
    assert hit == {
        ("A", "mass"): ["60.0 %", "40.0 %", "60", "0", "shock", "t/yr"],  # A buys less too
        # sends nothing; the slag is all it takes: its main feed, necessary
        ("B", "mass"): ["60.0 %", "–", "0", "0", "slag", "t/yr"],
        ("A", "energy"): ["–", "40.0 %", "6", "0", "shock", "GJ/yr"],
        ("C", "energy"): ["60.0 %", "–", "0", "0", f"{taken} (energy)", "GJ/yr"],  # glass
    }
    totals = {r[0]: r[1] for r in rows if r[0] in ("mass", "energy") and len(r) == 11}
    assert totals == {"mass": "t/yr", "energy": "GJ/yr"}
    broken = {r[2]: r[-1] for r in rows if len(r) == 7 and r[0] == "A"}
    assert broken == {"slag": "t/yr", "steam": "GJ/yr"}
    data = json.loads(invoke("shock", net, "--firm", "A", "--change", "-0.6", "-f", "json").stdout)
    kept = {(f["firm"], f["dimension"]): f["output_factor"] for f in data["firms"]}
    assert kept == pytest.approx({("A", "mass"): 0.4, ("B", "mass"): None,
                                  ("A", "energy"): 0.4, ("C", "energy"): None})  # fmt: skip


def test_the_shock_tells_one_story_of_its_loops(tmp_path):
    """tester-cities item 12: one output said "Loops broken: 5", "loops 19 -> 19" and "shock
    opens and closes none". A loop is broken when an arc falls below --break-below but it
    still closes, weaker; it vanishes when an arc stops: one line says both, and what
    remains is the indicators' count."""
    net = tmp_path / "net"
    net.mkdir()
    write(net / "firms.csv", "id,role\nM,mine\nA,firm\nB,firm\nC,firm\nMKT,market\n")
    write(
        net / "flows.csv",
        "source,target,material,quantity,unit,category\n"
        "M,A,ore,150,t,product\nMKT,A,ore,50,t,product\nA,B,metal,150,t,product\n"
        "B,A,scrap,20,t,by-product\nB,MKT,goods,130,t,product\n"
        "A,C,slag,40,t,by-product\nC,A,flux,10,t,by-product\nC,MKT,cement,30,t,product\n",
    )
    half = invoke("shock", net, "--firm", "M", "--change", "-1", "-q")
    assert half.exit_code == 0, half.output
    out = " ".join(half.stdout.split())
    # A and B run at a quarter (A's ore: 50 of 200 t), C at what its slag leaves
    assert (
        "Loops: 2 before the shock; 2 broken (an arc keeps less than 50 % of its size), of "
        "which 0 vanish (an arc stops entirely); 2 remain after it (the indicators' loop "
        "count; a loop broken but not stopped still closes, weaker)." in out
    )
    assert "opens and closes none" not in out and "Loops broken" not in out
    assert _row(half.stdout, "all", "loops")[-3:] == ["2", "2", "0"]
    closed = invoke("shock", net, "--firm", "A", "--change", "-1", "-q")
    out = " ".join(closed.stdout.split())
    assert "2 broken (an arc keeps less than 50 % of its size), of which 2 vanish" in out
    assert "0 remain after it" in out and "A → B → A (at A → B, B → A; vanishes)" in out
    assert _row(closed.stdout, "all", "loops")[-3:] == ["2", "0", "-2"]


def test_shock_json_and_out(tmp_path):
    out = tmp_path / "shock.json"
    result = invoke(
        "shock", SMALL, "--firm", "MINE", "--change", "-0.5", "-d", "mass", "-f", "json",
        "--out", out, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == json.loads(out.read_text())
    assert data["shocks"] == {"MINE": -0.5} and data["shock_dimension"] == "mass"
    # the Leontief model follows the loss into every dimension (the smelter buys less steam)
    assert data["model"] == "leontief" and data["dimensions"] == ["mass", "energy", "volume"]
    factors = {f["firm"]: f["output_factor"] for f in data["firms"]}
    assert factors["MINE"] == 0.5
    proportional = invoke(
        "shock", SMALL, "--firm", "MINE", "--change", "-0.5", "-d", "mass", "--model",
        "proportional", "-f", "json", "-q",
    )  # fmt: skip
    assert json.loads(proportional.stdout)["dimensions"] == ["mass"]


def test_shock_errors():
    result = invoke("shock", SMALL, "--firm", "MINE")
    assert result.exit_code == 2 and "1 --firm but 0 --change" in result.stderr
    result = invoke("shock", SMALL, "--firm", "MINES", "--change", "-0.5")
    assert result.exit_code == 2 and "unknown firm 'MINES' (did you mean 'MINE'?)" in result.stderr
    result = invoke("shock", SMALL, "--firm", "MINE", "--change", "0.5")
    assert result.exit_code == 2 and "between -1 (stopped) and 0" in result.stderr
    result = invoke("shock", SMALL)
    assert result.exit_code == 2 and "no shock given" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------- criticality


def test_criticality_text_and_json(tmp_path):
    result = invoke("criticality", "--example", "tongling", "--top", "3", "-q")
    assert result.exit_code == 0, result.output
    assert "Keystone actors, by combined score (19 actors)" in result.stdout
    assert "SLAGC" in result.stdout and "ROD" not in result.stdout  # only the top 3
    out = tmp_path / "c.json"
    result = invoke(
        "criticality", "--example", "tongling", "--by", "firms_cut_off", "--top", "2",
        "-f", "json", "--out", out,
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert len(data["firms"]) == 19 and data["by"] == "firms_cut_off"  # --top: text only
    assert json.loads(out.read_text()) == data  # --out holds every actor too
    whole = invoke("criticality", "--example", "tongling", "--by", "firms_cut_off", "-f", "json")
    assert json.loads(whole.stdout) == data


def test_criticality_says_how_many_actors_are_in_no_flow(tmp_path):
    """An idle firm X: criticality ranked 5 actors where scenario's actors indicator
    (actors with a flow) counts 4; the title says which count it is."""
    folder = copper(tmp_path, COPPER_FIRMS + "X,Idle,idle,firm\n")
    result = invoke("criticality", folder, "-q")
    assert "Keystone actors, by combined score (5 actors, 1 in no flow)" in result.stdout
    data = json.loads(invoke("criticality", folder, "-q", "-f", "json").stdout)
    assert (data["actors"], data["actors_in_no_flow"]) == (5, 1)
    shock = write(tmp_path / "half.toml", '[[shock]]\nfirm = "M"\nchange = -0.5\n')
    indicators = invoke("scenario", folder, shock, "-q").stdout
    assert _row(indicators, "all", "actors")[3] == str(5 - data["actors_in_no_flow"])
    busy = tmp_path / "busy"
    busy.mkdir()
    assert "(4 actors)" in invoke("criticality", copper(busy), "-q").stdout


def test_criticality_counts_streams_where_no_flow_has_a_size():
    """Kalundborg's published park has no tonnages: the takers of by-products rank by
    the streams they take (the farmers take three), where they all scored 0 by mass."""
    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    data = json.loads(invoke("criticality", park, "-f", "json", "-q").stdout)
    assert data["rank_dimension"] is None
    assert data["reuse_share"]["streams"] == 16 / 18
    firms = {f["firm"]: f for f in data["firms"]}
    # the wastewater plant, whose change of the share was positive (it disposes of more
    # than it reuses), loses the network the one reused stream it takes
    assert [f["firm"] for f in data["firms"][:4]] == ["ASN", "STAT", "FARM", "WWTP"]
    assert firms["WWTP"]["reuse_lost_streams"] == pytest.approx(1 / 18)
    assert firms["FARM"]["orphaned_streams"] == 3 and firms["FARM"]["score"] > 0
    result = invoke("criticality", park, "-q")  # the headers wrap at 160 columns
    assert "(streams)" in result.stdout and "count)" in result.stdout
    assert "Reuse share (by count) with every actor: 88.9 %" in result.stdout


def test_criticality_cuts_off_on_the_supply_chain_of_one_dimension():
    """Panzhihua (tests/data/resource_cities): the Ti plants get their feedstock only
    through the Midi concentrator, yet it cut off nothing (the Ti concentrate plant buys
    grid electricity, which made it a supply source), and the main pits scored 0."""
    old = ("--cut-off", "all-paths")  # the rule these figures were checked on
    result = invoke("criticality", PANZHIHUA, "-q", "--top", "30", *old)
    assert result.exit_code == 0, result.output
    assert "Firms cut off: every supply path in mass passes through the actor" in result.stdout
    data = json.loads(invoke("criticality", PANZHIHUA, "-q", "-f", "json", *old).stdout)
    assert data["supply_dimension"] == "mass"
    firms = {f["firm"]: f for f in data["firms"]}
    assert {"TISEP", "TISLAG", "TICL"} <= set(firms["CONC"]["cut_off"])
    assert firms["PZH_MINE"]["firms_cut_off"] == 6 and firms["PZH_MINE"]["score"] > 0
    energy = json.loads(
        invoke("criticality", PANZHIHUA, "-q", "-f", "json", "-d", "energy", *old).stdout
    )
    assert energy["supply_dimension"] == "energy"
    cut_off = {f["firm"]: f["cut_off"] for f in energy["firms"]}
    assert cut_off["ERTAN"] == ["TISLAG"] and cut_off["CONC"] == []  # hydropower to the furnaces


JINCHANG = PANZHIHUA.parent / "jinchang"


def test_criticality_cuts_off_what_shock_stops():
    """The tester's Jinchang: the refinery needs the smelter's nickel matte whatever acid
    and chlorine it gets, so the smelter cuts off the refinery, the cobalt plant and the
    precursor plant (all three stopped by ``shock --firm NI_SMELT --change -1``); under
    the every-path rule it cut off none and ranked 6th."""
    data = json.loads(invoke("criticality", JINCHANG, "-q", "-f", "json").stdout)
    firms = {f["firm"]: f for f in data["firms"]}
    assert data["cut_off_rule"] == "essential"
    assert firms["NI_SMELT"]["cut_off"] == ["NI_REF", "CO_PLANT", "PRECURSOR"]
    assert firms["NI_SMELT"]["rank"] <= 4
    old = json.loads(invoke("criticality", JINCHANG, "-q", "-f", "json", "--cut-off",
                            "all-paths").stdout)  # fmt: skip
    assert {f["firm"]: f["firms_cut_off"] for f in old["firms"]}["NI_SMELT"] == 0
    text = invoke("criticality", JINCHANG, "-q").stdout
    assert "lose every supplier of a product they need in mass" in text


def test_criticality_bad_dimension():
    result = invoke("criticality", SMALL, "--dimension", "heat")
    assert result.exit_code == 2 and "unknown dimension 'heat'" in result.stderr


# ---------------------------------------------------------------------- hostile files


def test_text_from_a_scenario_file_reaches_the_terminal_escaped(tmp_path):
    """ESC sequences and bidi controls in a title went to the terminal raw, and rich
    markup in it was applied (an unbalanced ``[/]`` was an internal error)."""
    title = "\\u001b]0;pwned\\u0007 \\u001b[2J\\u202eevil [bold]x[/bold] [/]"
    scenario = write(tmp_path / "s.toml", f'title = "{title}"\n[[remove_firm]]\nid = "CEM"\n')
    result = invoke("scenario", SMALL, scenario, "-q")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b]0;pwned\\x07 \\x1b[2J\\u202eevil [bold]x[/bold] [/]" in result.stdout
    bad = write(tmp_path / "bad.toml", '[[remove_firm]]\nid = "C\\u001b[31mEM\\u202e"\n')
    result = invoke("scenario", SMALL, bad, "-q")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert f"{bad}:2: id: [[remove_firm]] #1: unknown firm 'C\\x1b[31mEM\\u202e'" in result.stderr


def test_deep_nesting_and_many_bad_fields_exit_2_with_every_problem(tmp_path):
    deep = write(tmp_path / "deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    dotted = write(tmp_path / "dotted.toml", "a" + ".a" * 5000 + " = 1\n")
    fields = write(
        tmp_path / "fields.toml",
        '[[add_flow]]\nsource = 1\ntarget = "NOPE"\nmaterial = ["x"]\nunit = 5\n'
        '[[shock]]\nfirm = "MINE"\nchange = 2\n[[shock]]\nfirm = "NOPE"\nchange = -1\n',
    )
    result = invoke("scenario", SMALL, deep, dotted, fields, "-q")
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: {deep}: arrays or inline tables are nested too deeply")
    assert errors[1].startswith(f"error: {dotted}: a: nested more than 8 levels deep")
    assert [line.split(": ")[1].rsplit(":", 1)[-1] for line in errors[2:]] == [
        "2", "3", "4", "5", "8", "10",
    ]  # fmt: skip
    assert "8 problems found" in result.stderr


def test_changes_of_tiny_quantities_are_shown_not_rounded_to_zero(tmp_path):
    """Rounding noise is a change below 1e-9 of the value before, not below 1e-9 in
    absolute terms: a network of 1e-300 t showed every quantity's change as 0 (found by
    a tester); the same network at 1 t shows the same changes times 1e300."""
    from symbiosis.cli.scenario import change_cell

    assert change_cell("generated", -3.25e-299, 6.5e-299) != "0"
    assert change_cell("generated", 1e-12, 6.5e5) == "0"  # noise of a recomputed total
    assert change_cell("generated", 5e-10) == "0"  # no value before: as before
    assert change_cell("reuse_share", 4.4e-4, 1e-300) == "+0.04 pp"  # shares: of 1
    texts = {}
    for scale in ("", "e-300"):
        folder = tmp_path / f"net{scale}"
        folder.mkdir()
        (folder / "firms.csv").write_text(
            "id,role\nM,extraction\nS,firm\nC,firm\nMKT,market\nLF,disposal\n"
        )
        (folder / "flows.csv").write_text(
            "source,target,material,quantity,unit,category\n"
            f"M,S,ore,100{scale},t,product\nS,C,slag,30{scale},t,by-product\n"
            f"S,LF,slag,20{scale},t,waste\nS,MKT,copper,50{scale},t,product\n"
            f"C,MKT,cement,30{scale},t,product\n"
        )
        shock = write(tmp_path / f"shock{scale}.toml", '[[shock]]\nfirm = "M"\nchange = -0.5\n')
        result = runner.invoke(app, ["scenario", str(folder), str(shock), "-q"])
        assert result.exit_code == 0, result.output
        texts[scale] = result.output
    changed = [line for line in texts[""].splitlines() if "generated" in line]
    tiny = [line for line in texts["e-300"].splitlines() if "generated" in line]
    assert changed and tiny
    assert not re.search(r"\s0\s*$", changed[0]) and not re.search(r"\s0\s*$", tiny[0])
