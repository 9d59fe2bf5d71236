"""``symbiosis opportunities`` and the ``opportunities`` section of ``analyze``."""

from __future__ import annotations

import io
import json
import tomllib

import pandas as pd
import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis import edits as ed
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.examples import example_path

runner = CliRunner()
TONGLING = str(example_path("tongling"))


def run(*args: str):
    result = runner.invoke(app, ["opportunities", *args])
    assert "Traceback" not in result.output
    return result


def test_text_lists_groups_sources_plants_and_the_caveat():
    result = run(TONGLING, "--top", "3", "--quiet")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Candidates for study, not verified exchanges" in out
    assert "Streams disposed or emitted" in out
    assert "Residues sold raw out of the network" in out
    assert "Early-stage products leaving the network" in out
    assert "New plants (chain extension), one per process" in out
    # one plasterboard plant takes 200 kt; the 1.1 Mt of phosphogypsum would fill six
    assert "plasterboard: plasterboard" in out and "1,100,000 t/yr (6 plants)" in out
    assert "If the" in out and "reuse share" in out
    assert "tailings-backfill" in out  # the catalogue row behind an opportunity is named
    # each evidence line: a catalogue row and how the stream matched it, or the network's
    # own evidence, named once
    evidence = [line.strip() for line in out.splitlines() if line.strip().startswith("#")]
    assert any(line.startswith("#2 tailings-backfill (matched by name): ") for line in evidence)
    network = "#1 network: takes this material: the receiver"
    assert any(line.startswith(network) for line in evidence)
    assert not any("(network:" in line for line in evidence)  # the rule not said twice


def test_json_is_valid_and_complete():
    result = run(TONGLING, "--format", "json", "--top", "2", "--quiet")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {o["group"] for o in payload["opportunities"]} == {"dumped", "sold", "downstream"}
    assert all(o["evidence"][0]["source"] for o in payload["opportunities"])
    assert payload["cumulative"]["applied"]
    assert payload["parameters"]["top"] == 2


def test_csv_holds_every_candidate():
    result = run(TONGLING, "--format", "csv", "--quiet")
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) > 50
    assert {"kind", "source", "material", "target", "pathway", "rule"} <= set(table.columns)


def test_filters_and_max_distance():
    result = run(TONGLING, "--format", "csv", "--kind", "new_plant", "--fate", "emitted", "-q")
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["kind"]) == {"new_plant"} and set(table["fate"]) == {"emitted"}
    near = pd.read_csv(io.StringIO(run(TONGLING, "--format", "csv", "--max-distance", "3",
                                       "-q").stdout))  # fmt: skip
    assert (near["distance_km"].dropna() <= 3).all()


def test_scenario_file_applies_to_the_cumulative_effect(tmp_path):
    out = tmp_path / "top.toml"
    result = run(TONGLING, "--scenario", str(out), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    edits = ed.edits_from_tables(tomllib.loads(out.read_text(encoding="utf-8")))
    after = ed.apply(symbiosis.load(TONGLING), edits)
    expected = payload["cumulative"]["reuse_share"]["mass"]["after"]
    assert reuse_accounts(after)["mass"]["reuse_share"] == pytest.approx(expected)


def test_user_catalogue_and_bad_options(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("id,material,receiving_sector,source\nx,carbon dioxide,cement,my study\n")
    result = run(TONGLING, "--catalogue", str(mine), "--replace-catalogue", "--format", "csv",
                 "-q")  # fmt: skip
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["pathway"].dropna()) == {"x"}
    bad = run(TONGLING, "--replace-catalogue")
    assert bad.exit_code == 2 and "needs a catalogue file" in bad.stderr
    assert run(TONGLING, "--top", "-1").exit_code == 2
    assert run(TONGLING, "--kind", "teleport").exit_code == 2
    assert run().exit_code == 2


def test_analyze_has_an_opportunities_section():
    result = runner.invoke(app, ["analyze", TONGLING, "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    section = json.loads(result.stdout)["opportunities"]
    assert section["parameters"]["top"] == 10
    assert section["plants"]


# ---------------------------------------------------------------------------- terminal

# An OSC title, a colour, a screen clear, DEL, a C1 CSI, a bidi override and rich markup.
HOSTILE = "\x1b]0;pwned\x07\x1b[31mred\x7f\x9b2J\u202eevil [bold]x[/bold] [/]"


def _hostile_network(folder):
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,name,sector,role\n"
        f'SM,"Smelter {HOSTILE}\nsecond line",copper smelting,firm\n'
        f'"CE{HOSTILE}",Cement,cement,firm\nLF,Landfill,,disposal\nMKT,Market,,market\n',
        encoding="utf-8",
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        f'SM,LF,"slag {HOSTILE}",100,t,waste\nSM,"CE{HOSTILE}",fly ash,5,t,by-product\n'
        "SM,LF,fly ash,50,t,waste\n"
        # its cement: fly ash is a constituent of at most half of it (the max_share)
        f'"CE{HOSTILE}",MKT,cement,20,t,product\n',
        encoding="utf-8",
    )
    return folder


def assert_terminal_safe(text: str) -> None:
    """Nothing that acts on a terminal: no control character but newline, no bidi."""
    bad = [c for c in text if (c < " " and c != "\n") or "\x7f" <= c < "\xa0"]
    assert not bad and "\u202e" not in text, sorted(set(bad))


def test_names_ids_and_materials_reach_the_terminal_escaped(tmp_path):
    """ANSI and OSC sequences, DEL, C1 and bidi controls in the input reached the
    terminal raw; markup in a name must be shown as written."""
    folder = _hostile_network(tmp_path / "net")
    out = tmp_path / "out.toml"
    result = run(str(folder), "--scenario", str(out), "--top", "3", "-q")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout + result.stderr)
    shown = result.stdout.replace("\n", "")  # a narrow table may wrap a cell
    assert "\\x1b]0;pwned\\x07\\x1b[31mred\\x7f\\x9b2J\\u202eevil" in shown.replace(" ", "")
    assert "[bold]x[/bold]" in result.stdout  # markup shown as written, not applied


def test_a_scenario_written_from_hostile_names_reads_back(tmp_path):
    """A name with ESC or DEL (or a newline) copied into a TOML comment made the written
    scenario unreadable."""
    folder = _hostile_network(tmp_path / "net")
    out = tmp_path / "out.toml"
    assert run(str(folder), "--scenario", str(out), "-q").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Smelter \\x1b]0;pwned\\x07" in text  # the comment shows the name, escaped
    tables = tomllib.loads(text)
    assert tables["redirect"]
    again = runner.invoke(app, ["scenario", str(folder), str(out), "-q"])
    assert again.exit_code == 0, again.output
    assert_terminal_safe(again.stdout + again.stderr)


def test_plants_of_sectors_in_chinese_each_get_their_own_id(tmp_path):
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,sector,role\nSM,copper smelting,firm\nLF,,disposal\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "SM,LF,copper slag,100,t,waste\nSM,LF,fly ash,50,t,waste\nSM,LF,red mud,20,t,waste\n"
    )
    mine = tmp_path / "mine.csv"
    mine.write_text(
        # plants of a typical intake: one of no capacity known is left out of the scenario
        "id,material,receiving_sector,source,receiver_capacity,capacity_unit\n"
        "a,copper slag,水泥,x,1,kt\nb,fly ash,化工,y,1,kt\nc,red mud,玻璃,z,1,kt\n"
        "d,red mud,---,w,1,kt\n",
        encoding="utf-8",
    )
    out = tmp_path / "plants.toml"
    common = [str(folder), "--catalogue", str(mine), "--replace-catalogue", "-q"]
    result = run(*common, "--scenario", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    plants = {p["sector"]: p["plant_id"] for p in json.loads(result.stdout)["plants"]}
    assert plants["水泥"] == "NEW_水泥" and plants["化工"] == "NEW_化工"
    assert plants["玻璃"] == "NEW_玻璃" and plants["---"].startswith("NEW_SECTOR_")
    added = {t["id"] for t in tomllib.loads(out.read_text(encoding="utf-8"))["add_firm"]}
    assert added == {"NEW_水泥", "NEW_化工", "NEW_玻璃"}  # one plant per stream's sector
    assert runner.invoke(app, ["scenario", str(folder), str(out), "-q"]).exit_code == 0


def _network(tmp_path, rows, firms):
    """A network folder from (source, target, material, category) rows and (id, role,
    sector) firms, quantities all 10 t."""
    flows = pd.DataFrame(rows, columns=["source", "target", "material", "category"])
    flows = flows.assign(quantity=10, unit="t")
    flows.to_csv(tmp_path / "flows.csv", index=False)
    firms = pd.DataFrame(firms, columns=["id", "role", "sector"])
    firms.to_csv(tmp_path / "firms.csv", index=False)
    return str(tmp_path)


def test_no_opportunity_is_explained_by_the_fates_of_the_streams(tmp_path):
    """Products sold that no catalogue row processes further, and a residue no pathway
    or actor takes: nothing found, and the text says why (it printed a heading alone)."""
    folder = _network(
        tmp_path,
        [
            ("A", "MKT", "widgets", "product"),
            ("B", "MKT", "gizmos", "product"),
            ("A", "DUMP", "zorblium", "waste"),
        ],
        [
            ("A", "firm", "widget works"),
            ("B", "firm", "gizmo works"),
            ("MKT", "market", ""),
            ("DUMP", "disposal", ""),
        ],
    )
    result = run(folder, "--quiet")
    assert result.exit_code == 0, result.output
    assert (
        "No opportunity found for the 3 stream(s) that leave (1 disposed, 2 product(s) sold). "
        "A stream is proposed for a product only where the catalogue lists a further "
        "processing stage for it; a residue only where a catalogue pathway or an actor "
        "already taking the material matches it."
    ) in " ".join(result.stdout.split())
    assert "zorblium" in result.stdout  # the uncovered residue, listed below
    data = json.loads(run(folder, "--quiet", "-f", "json").stdout)
    assert data["streams_by_fate"] == {"disposed": 1, "emitted": 0, "sold": 0, "product": 2}
    assert data["opportunities"] == [] and data["streams"] == 3


def test_no_stream_leaving_is_said(tmp_path):
    folder = _network(
        tmp_path,
        [("A", "B", "slag", "by-product"), ("B", "A", "scrap", "waste")],
        [("A", "firm", "steel mill"), ("B", "firm", "cement works")],
    )
    result = run(folder, "--quiet")
    assert result.exit_code == 0, result.output
    assert "no stream leaves the network from an actor" in " ".join(result.stdout.split())


def test_found_opportunities_get_no_such_sentence():
    result = run(TONGLING, "--quiet", "--top", "1")
    assert result.exit_code == 0 and "No opportunity" not in result.stdout
    data = json.loads(run(TONGLING, "--quiet", "-f", "json").stdout)
    fates = data["streams_by_fate"]
    assert list(fates) == ["disposed", "emitted", "sold", "product"]
    assert sum(fates.values()) == data["streams"]


def test_a_narrowed_search_says_so(tmp_path):
    from symbiosis.analysis.opportunities import KINDS
    from symbiosis.export.report_sections import none_found_text

    data = {
        "streams": 2,
        "streams_by_fate": {"disposed": 0, "emitted": 2, "sold": 0, "product": 0},
        "counts": {"dumped": {"redirect": 0}},
        "parameters": {
            "max_distance_km": None,
            "kinds": ["redirect"],
            "fates": ["disposed", "emitted", "sold", "product"],
        },
    }
    text = none_found_text(data)
    assert text.startswith("No opportunity found for the 2 stream(s) that leave (2 emitted).")
    assert text.endswith("; the kinds, fates or distance asked for narrow the search.")
    wide = {**data, "parameters": {**data["parameters"], "kinds": list(KINDS)}}
    assert "narrow" not in none_found_text(wide)
    assert none_found_text({**data, "counts": {"dumped": {"redirect": 1}}}) is None


def _tables_asked(monkeypatch, module) -> list[bool]:
    """The ``table`` argument of each call of ``module.find_opportunities`` (True when
    not given, its default), recorded in the list returned."""
    asked: list[bool] = []
    find = module.find_opportunities

    def recorded(*args, **kwargs):
        asked.append(kwargs.get("table", True))
        return find(*args, **kwargs)

    monkeypatch.setattr(module, "find_opportunities", recorded)
    return asked


@pytest.mark.parametrize(
    ("args", "table"),
    [
        ((), False),  # text: the listed opportunities, plants and impact
        (("--format", "json"), False),
        (("--format", "csv"), True),  # every candidate, ranked
        (("--plan",), True),  # the plan allocates over every candidate
        (("--csv", "{tmp}/tables"), True),
        (("--xlsx", "{tmp}/o.xlsx"), True),
    ],
)
def test_the_ranked_table_only_where_an_output_reads_it(monkeypatch, tmp_path, args, table):
    """Without it the pass bounds only the listed rows' receivers (0.5-0.6 s less at a
    million flows): the same listing (tests/analysis/test_opportunities_sized_first.py)."""
    from symbiosis.analysis import opportunities

    asked = _tables_asked(monkeypatch, opportunities)
    result = run(TONGLING, "--quiet", *(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 0, result.output
    assert asked == [table]


@pytest.mark.parametrize(
    ("args", "table"),
    [
        ((), False),  # the text and the headline read no ranked table
        (("--format", "json"), False),
        (("--html", "{tmp}/r.html"), False),
        (("--xlsx", "{tmp}/r.xlsx"), True),  # the report's tables: every candidate
        (("--samples", "20"), False),  # the uncertainty reads the listed ones alone
        (("--samples", "20", "--csv", "{tmp}/t"), True),
    ],
)
def test_analyze_asks_for_the_ranked_table_only_where_it_is_read(
    monkeypatch, tmp_path, args, table
):
    from symbiosis.report import sections

    asked = _tables_asked(monkeypatch, sections)
    argv = ["analyze", TONGLING, "--quiet", *(a.format(tmp=tmp_path) for a in args)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert asked == [table]


def test_uncertainty_ranks_the_listed_opportunities_without_the_table(monkeypatch):
    from symbiosis.analysis import opportunities

    asked = _tables_asked(monkeypatch, opportunities)
    result = runner.invoke(app, ["uncertainty", TONGLING, "--quiet", "--samples", "20"])
    assert result.exit_code == 0, result.output
    assert asked == [False]


def test_a_scenario_file_with_no_edit_is_said_to_be_one(tmp_path):
    """Found by a tester: with nothing listed (--top 0) the scenario file was written
    without a word, and 'symbiosis scenario' refused it ('holds no edit')."""
    path = tmp_path / "empty.toml"
    result = run(TONGLING, "--top", "0", "--scenario", str(path), "--quiet")
    assert result.exit_code == 0 and path.exists()
    assert "holds no edit" in result.stderr and "symbiosis scenario will refuse it" in result.stderr
    full = tmp_path / "full.toml"
    result = run(TONGLING, "--scenario", str(full), "--quiet")
    assert result.exit_code == 0 and "holds no edit" not in result.stderr


def test_quiet_says_it_leaves_the_empty_scenario_warning_on():
    """Found by a tester: --quiet, whose help said it hides warnings about the data, left
    the warning that a scenario file written holds no edit. That warning is about the
    output (symbiosis scenario will refuse the file), so it stays; the help says so."""
    result = runner.invoke(app, ["opportunities", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.replace("│", " ").split())
    assert (
        "Do not print warnings about the data. A --scenario or --plan-scenario file written "
        "with no edit is still reported (symbiosis scenario refuses it)."
    ) in text


def test_receivers_of_no_capacity_known_are_marked_and_left_out_of_the_total(tmp_path):
    """Found by a tester on Jingtang: new chemicals and building-materials plants, of no
    typical intake, each took 14 Mt of CO2 and the total read "21.1 % -> 100.0 %"."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,sector,role\nBF,iron and steel,firm\nMKT,,market\nAIR,,environment\n"
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nMKT,BF,iron ore,14,Mt,product\n"
        "BF,MKT,hot metal,9,Mt,product\nBF,AIR,CO2,14,Mt,emission\n"
    )
    result = run(str(folder), "--top", "30", "-q")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "≤ 14,000,000 t" in out
    # the reuse share of no size known is said unknown, not an upper bound read as
    # achievable ("0.0 % -> ≤ 99.2 %" for a city's effluent to one refinery: tester-parks10)
    assert "0.0 % -> size unknown" in out and "-> ≤" not in out
    assert "≤: no capacity known for the receiver" in out
    # the new chemicals and building-materials plants are emerging pathways: said so first
    assert "not a capacity to count on): dumped #" in out
    assert "mass: reuse share 0.0 % -> 100.0 %" not in out
    # a greenhouse (no PCC plant: no paper mill to stand beside; no food plant: a blast
    # furnace's flue gas is not food grade)
    assert "700 t/yr moved" in out
