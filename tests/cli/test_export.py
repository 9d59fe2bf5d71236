"""The export and report commands, and analyze --html."""

import json
from pathlib import Path

from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_export_writes_one_offline_html_file(tmp_path):
    out = tmp_path / "network.html"
    result = invoke("export", SMALL, "--html", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "new vis.DataSet" in text
    assert f"wrote {out}" in result.stderr and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.html"]


def test_export_options(tmp_path):
    out = tmp_path / "n.html"
    result = invoke(
        "export",
        SMALL,
        "--html",
        out,
        "--color-by",
        "sector",
        "--dimension",
        "mass",
        "--title",
        "Small <park>",
        "-q",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "<title>Small &lt;park&gt;</title>" in out.read_text(encoding="utf-8")


def test_export_needs_a_file_and_a_known_dimension(tmp_path):
    result = invoke("export", SMALL)
    assert result.exit_code == 2 and "--html" in result.stderr
    result = invoke("export", SMALL, "--html", tmp_path / "x.html", "--dimension", "weight")
    assert result.exit_code == 2 and "unknown dimension" in result.stderr
    assert not (tmp_path / "x.html").exists()
    result = invoke("export", SMALL, "--html", tmp_path / "x.html", "--color-by", "size")
    assert result.exit_code == 2


def test_export_refuses_to_size_the_nodes_by_a_dimension_with_no_flow(tmp_path):
    """-d volume on a network of mass and energy flows sized every node alike, exit 0;
    refused as shock, criticality and loops refuse it, nothing written."""
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nA,B,slag,5,t,by-product\n"
        "B,A,steam,3,GJ,by-product\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.html"
    result = invoke("export", tmp_path / "flows.csv", "--html", out, "-d", "volume", "-q")
    assert result.exit_code == 2, result.output
    assert "unknown dimension 'volume'; this network has flows in: mass, energy" in result.stderr
    assert not out.exists()
    assert invoke("export", tmp_path / "flows.csv", "--html", out, "-d", "energy").exit_code == 0


def test_export_never_overwrites_an_input_file():
    before = (SMALL / "flows.csv").read_bytes()
    result = invoke("export", SMALL, "--html", SMALL / "flows.csv")
    assert result.exit_code == 2
    assert "refusing to overwrite an input file (the network's flows file)" in result.stderr
    assert "give --html another name" in result.stderr
    assert (SMALL / "flows.csv").read_bytes() == before


def test_export_example(tmp_path):
    result = invoke("export", "--example", "tongling", "--html", tmp_path / "t.html", "-q")
    assert result.exit_code == 0, result.output


def test_report_writes_the_html_report(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", SMALL, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '<section id="headline">' in text and "<iframe" in text


def test_report_without_the_network(tmp_path):
    small = tmp_path / "small.html"
    assert invoke("report", SMALL, "-o", small, "--no-network", "-q").exit_code == 0
    assert "<iframe" not in small.read_text(encoding="utf-8")


def test_report_needs_an_output_file():
    result = invoke("report", SMALL)
    assert result.exit_code == 2 and "--out" in result.stderr


def test_analyze_html_keeps_json_on_stdout(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("analyze", SMALL, "--format", "json", "--html", out)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # nothing but JSON on stdout
    assert out.exists() and f"wrote {out}" in result.stderr


def test_export_says_every_problem_of_its_options_and_files_at_once(tmp_path):
    """They came one run at a time: no --html, then the dimension, then the basemap."""
    flows = tmp_path / "flows.csv"
    flows.write_text((SMALL / "flows.csv").read_text(encoding="utf-8") + "A,B,x,abc,t,waste\n",
                     encoding="utf-8")  # fmt: skip
    (tmp_path / "firms.csv").write_text((SMALL / "firms.csv").read_text(encoding="utf-8"),
                                        encoding="utf-8")  # fmt: skip
    result = invoke("export", tmp_path, "-d", "water", "--basemap", "http://tiles/{z}")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("'abc' is not a number" in line for line in errors)  # the file's, first
    assert [line.split(":")[1].strip() for line in errors[-3:]] == [
        "nothing to export",
        "--dimension",
        "--basemap 'http",
    ]
    assert result.stderr.rstrip().endswith(f"{len(errors)} problems found; nothing was analysed")
