"""symbiosis compare: two networks side by side, JSON, and the problems of both at once."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def changed_copy(tmp_path: Path) -> Path:
    """SMALL with the slag to landfill halved, the CO2 stream dropped and a new firm."""
    folder = tmp_path / "after"
    shutil.copytree(SMALL, folder)
    flows = (
        (folder / "flows.csv")
        .read_text()
        .replace("SMELT,LF,copper slag,100.0", "SMELT,LF,copper slag,50")
    )
    flows = flows.replace("CEM,AIR,CO2,800.0,kt,emission\n", "")
    (folder / "flows.csv").write_text(flows + "SMELT,BRK,copper slag,50,kt,by-product\n")
    with (folder / "firms.csv").open("a") as file:
        file.write("BRK,Brickworks,bricks,firm\n")
    return folder


def test_json_side_by_side(tmp_path):
    result = invoke("compare", SMALL, changed_copy(tmp_path), "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["firms_added"] == ["BRK"] and data["firms_removed"] == []
    assert data["flow_keys"]["added"] == 1 and data["flow_keys"]["removed"] == 1
    changed = data["flows"]["changed"]
    assert [(f["source"], f["target"], f["a"], f["b"]) for f in changed] == [
        ("SMELT", "LF", 100_000.0, 50_000.0)
    ]
    emitted = next(
        row
        for row in data["indicators"]
        if row["dimension"] == "mass" and row["indicator"] == "emitted"
    )
    assert (emitted["a"], emitted["b"], emitted["difference"]) == (800_000.0, 0.0, -800_000.0)


def test_text_names_the_two_networks(tmp_path):
    after = changed_copy(tmp_path)
    result = invoke("compare", SMALL, after, "-q")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # full paths on their own lines (never cut to the terminal's width), columns A and B
    assert f"A: {SMALL}" in lines and f"B: {after}" in lines
    header = next(line for line in lines if "┃" in line)
    assert [c.strip() for c in header.split("┃")[3:5]] == ["A", "B"]
    assert "Firms added: 1: BRK" in result.stdout
    assert "Flows removed: 1" in result.stdout


def test_both_networks_bad_reports_both_problems_exit_2(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(SMALL, bad)
    flows = (bad / "flows.csv").read_text().replace("1000.0,kt", "-5,kt", 1)
    (bad / "flows.csv").write_text(flows)
    result = invoke("compare", tmp_path / "missing", bad)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {tmp_path / 'missing'}: does not exist; check the path"
    assert lines[1].startswith(f"error: {bad / 'flows.csv'}:2: quantity: -5 is negative")
    assert lines[2] == "2 problems found; nothing was analysed"
    assert result.stdout == ""


def test_two_paths_are_required():
    result = invoke("compare", SMALL)
    assert result.exit_code == 2
    assert "Missing argument 'B'" in result.output


def test_totals_of_no_known_size_and_their_differences_are_unknown_not_zero(tmp_path):
    """SMALL's one volume flow has no size; in B it has one. A's volume sums and shares,
    and their differences, say unknown (null in JSON), not 0; cyclicity and loops, read
    from the links, are compared as numbers. Two copies of a park without sizes: no
    quantity and no difference of one is 0."""
    folder = tmp_path / "sized"
    shutil.copytree(SMALL, folder)
    flows = (folder / "flows.csv").read_text()
    (folder / "flows.csv").write_text(flows.replace("process water,,m3", "process water,40,m3"))
    result = invoke("compare", SMALL, folder, "-q")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    table = {(r[0], r[1]): r[3:] for r in rows if len(r) == 6}
    assert table[("volume", "generated")] == ["unknown", "0", "unknown"]
    assert table[("volume", "total system throughflow")] == ["unknown", "80", "unknown"]
    assert table[("volume", "loops")] == ["0", "0", "0"]
    assert "unknown" not in table[("mass", "generated")]
    assert "unknown: no volume flow of known size there" in result.stdout
    data = json.loads(invoke("compare", SMALL, folder, "-q", "-f", "json").stdout)
    found = {(r["dimension"], r["indicator"]): r for r in data["indicators"]}
    tst = found[("volume", "total_system_throughflow")]
    assert tst["a"] is None and tst["b"] == 80.0 and tst["difference"] is None
    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    result = invoke("compare", park, park, "-q")
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    quantities = [r[3:] for r in rows if len(r) == 6 and r[0] != "all" and r[2]]
    assert quantities and all(row == ["unknown"] * 3 for row in quantities)


def test_counts_stay_counts_and_a_key_in_two_dimensions_is_said(tmp_path):
    """A tester's case: steam in t in A, in GJ in B is one changed flow key in two rows
    (one per dimension): the heading says both; the flows' count difference is an int."""
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, flows in (
        (a, "A,B,steam,10,t,by-product\nB,MKT,goods,5,t,product\n"),
        (b, "A,B,steam,30,GJ,by-product\nB,MKT,goods,5,t,product\nA,B,ash,1,t,waste\n"),
    ):
        folder.mkdir()
        (folder / "firms.csv").write_text("id,role\nA,firm\nB,firm\nMKT,market\n")
        (folder / "flows.csv").write_text("source,target,material,quantity,unit,category\n"
                                          + flows)  # fmt: skip
    text = invoke("compare", a, b, "-q")
    assert text.exit_code == 0, text.output
    assert "Flows changed: 1 (2 rows: one per dimension of a flow)" in text.stdout
    data = json.loads(invoke("compare", a, b, "-q", "-f", "json").stdout)
    flows = next(r for r in data["indicators"] if r["indicator"] == "flows")
    assert (flows["a"], flows["b"], flows["difference"]) == (2, 3, 1)
    assert isinstance(flows["difference"], int)
