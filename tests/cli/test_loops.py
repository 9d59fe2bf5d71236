"""The loops command and the cycling and loops sections of analyze."""

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.analysis.cycling import cycling
from symbiosis.analysis.loops import find_loops
from symbiosis.cli import app
from symbiosis.cli.analyze import renderer
from symbiosis.examples import example_path

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def complete_park(tmp_path_factory):
    """Six firms that all trade with each other: 409 loops of 2 to 6 firms."""
    folder = tmp_path_factory.mktemp("park")
    names = [f"F{i}" for i in range(6)]
    (folder / "firms.csv").write_text("id,role\n" + "".join(f"{n},firm\n" for n in names))
    rows = [
        f"{a},{b},m{a}{b},{1 + i},t,by-product\n"
        for i, (a, b) in enumerate(itertools.permutations(names, 2))
    ]
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n" + "".join(rows)
    )
    return folder


def test_loops_text_on_the_example():
    result = invoke("loops", "--example", "tongling", "-q")
    assert result.exit_code == 0, result.output
    assert "Symbiosis cores: 2" in result.stdout
    assert "RCP → ROD → RCP" in result.stdout and "closed" in result.stdout
    assert "note:" not in result.stdout  # nothing was cut


def test_loops_json(complete_park):
    result = invoke("loops", complete_park, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    # sum over l = 2..6 of C(6, l) (l - 1)! = 15 + 40 + 90 + 144 + 120 = 409
    assert payload["found"] == 409 and payload["truncated"] is False
    first = payload["loops"][0]
    assert (
        first["rank"] == 1
        and first["bottleneck"]["mass"] >= payload["loops"][-1]["bottleneck"]["mass"]
    )
    assert payload["cores"][0]["size"] == 6


def test_truncation_is_said_with_the_count(complete_park):
    result = invoke("loops", complete_park, "--max-loops", "25", "--max-length", "4")
    assert result.exit_code == 0, result.output
    assert "truncated: stopped at 25 loops (--max-loops) and more exist" in result.stdout
    assert "loops longer than 4 actors were not searched" in result.stdout
    payload = json.loads(invoke("loops", complete_park, "-n", "25", "-f", "json").stdout)
    assert payload["found"] == 25 and payload["truncated"] and payload["stopped_by"] == "max_loops"


def test_dimension_option():
    result = invoke("loops", SMALL, "--dimension", "energy", "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["dimension"] == "energy"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-length", "-1"], "--max-length must be a whole number >= 1 (got -1)"),
        (["--max-length", "0"], "--max-length must be a whole number >= 1"),
        (["--max-loops", "-5"], "--max-loops must be a whole number >= 0 (got -5)"),
        (["--time-budget", "0"], "--time-budget must be a number > 0"),
        (
            ["--dimension", "weight"],
            "unknown dimension 'weight'; this network has flows in: mass, energy, volume",
        ),
    ],
)
def test_bad_values_exit_2_with_a_clear_message(args, message):
    result = invoke("loops", SMALL, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_dimension_the_network_has_no_flow_in_is_refused(tmp_path):
    """As shock and criticality refuse it: loops listed none, exit 0, for -d volume on a
    network of mass and energy flows."""
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nA,B,slag,5,t,by-product\n"
        "B,A,steam,3,GJ,by-product\n",
        encoding="utf-8",
    )
    said = "unknown dimension 'volume'; this network has flows in: mass, energy"
    for command in ("loops", "criticality"):
        result = invoke(command, tmp_path / "flows.csv", "-d", "volume", "-q")
        assert result.exit_code == 2 and said in result.stderr, result.output
        assert "Traceback" not in result.output
    assert invoke("loops", tmp_path / "flows.csv", "-d", "energy", "-q").exit_code == 0


def test_analyze_has_cycling_and_loops_sections():
    result = invoke("analyze", "--example", "tongling", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    cycling = payload["cycling"]
    for key in ["cyclicity", "connectance", "linkage_density", "strong_components"]:
        assert isinstance(cycling[key], int | float)
    mass = cycling["dimensions"]["mass"]
    assert mass["finn_cycling_index"] > 0
    for key in [
        "total_system_throughflow",
        "total_system_throughput",
        "cycled_throughflow",
        "average_path_length",
    ]:
        assert mass[key] > 0
    assert payload["loops"]["found"] >= 5 and payload["loops"]["truncated"] is False


def test_text_renderers_of_the_report_sections(capsys):
    """analyze prints each section with the renderer of the loops module."""
    network = symbiosis.load(example_path("tongling"))
    renderer("cycling")(cycling(network))
    renderer("loops")(find_loops(network))
    out = capsys.readouterr().out
    assert "Cycling (actor network, every flow): cyclicity 2" in out
    assert "finn_cycling_index" in out and "Symbiosis cores: 2" in out


@pytest.mark.parametrize(
    ("back", "ranking"),
    [
        ("B,A,electricity,6,MWh,product", "shortest first, as no loop closes within one dimension"),
        ("B,A,cinder,,t,by-product", "shortest first, as no loop that closes within one "
         "dimension has all its flows sized"),
        ("B,A,cinder,6,t,by-product", "largest mass bottleneck first"),
    ],
)  # fmt: skip
def test_the_ranking_is_said_alike_in_text_json_and_html(tmp_path, back, ranking):
    """A tester's coal city: coal out, electricity back. Every flow had a size, but the
    text said "no loop has a known size: shortest first" and the HTML report "Loops,
    largest bottleneck first"; the loops cross dimensions, so none has a bottleneck."""
    flows = tmp_path / "flows.csv"
    flows.write_text(
        f"source,target,material,quantity,unit,category\nA,B,coal,90,t,product\n{back}\n"
        "A,C,coal,9,t,product\nC,A,coal fines,1,t,by-product\n",
        encoding="utf-8",
    )
    result = invoke("loops", flows, "-q")
    assert result.exit_code == 0, result.output
    if ranking.startswith("largest"):
        assert f"Loops: 2 found (at most 6 actors; {ranking})" in result.stdout
    else:  # the loop through C closes in mass: the other ranking
        flows.write_text(flows.read_text().replace("C,A,coal fines,1,t", "C,A,power,1,MWh"))
        result = invoke("loops", flows, "-q")
        assert f"Loops: 2 found (at most 6 actors; {ranking})" in " ".join(result.stdout.split())
    json_result = invoke("loops", flows, "-q", "--format", "json")
    assert json.loads(json_result.stdout)["ranking"] == ranking
    page = tmp_path / "report.html"
    assert invoke("report", flows, "--out", page, "-q").exit_code == 0
    assert f"Loops, {ranking}" in page.read_text(encoding="utf-8")
