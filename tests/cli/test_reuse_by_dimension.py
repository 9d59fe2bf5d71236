"""``symbiosis reuse --by dimension`` (a tester, oilports13: the mission says reuse shares
"by material, firm and dimension", the CLI offered material/category/firm/receiver/all):
one row per dimension, each in its own unit, never summed across dimensions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _row(stdout: str, dimension: str) -> list[str]:
    """The cells of the text table's row of ``dimension``."""
    (line,) = [line for line in stdout.splitlines() if line.split()[:1] == [dimension]]
    return [cell.strip() for cell in line.split("│")]


def test_one_row_per_dimension_in_its_unit():
    data = json.loads(invoke("reuse", TONGLING, "-q", "-f", "json").stdout)["dimensions"]
    text = invoke("reuse", TONGLING, "-q", "--by", "dimension").stdout
    assert "Residual streams by dimension (per year)" in text
    assert "Residuals by material" not in text  # the breakdown chosen, alone
    for dimension, figures in data.items():
        cells = _row(text, dimension)
        assert cells[1] == figures["unit"]
        assert cells[2] == f"{figures['generated']:,.0f}"
        share = figures["reused"] / figures["generated"]
        assert f"{100 * share:.1f} %" in cells  # the reuse share of that dimension alone
    assert len(data) == 3 and "total" not in text.lower()


def test_json_holds_the_dimensions_and_no_other_breakdown():
    data = json.loads(invoke("reuse", TONGLING, "-q", "-f", "json", "--by", "dimension").stdout)
    assert set(data["dimensions"]) == {"mass", "energy", "volume"}
    assert not [key for key in data if key.startswith("by_")] and data["rows"] == {}
    mass = data["dimensions"]["mass"]
    assert mass["reuse_share"] == pytest.approx(mass["reused"] / mass["generated"])


def test_all_holds_the_dimension_table():
    text = invoke("reuse", TONGLING, "-q", "--by", "all").stdout
    assert "Residual streams by dimension (per year)" in text
    assert "Residuals by generating firm" in text


def test_a_dimension_without_sizes_says_unknown(tmp_path):
    (tmp_path / "firms.csv").write_text("id,role\nA,firm\nB,firm\nL,disposal\n", encoding="utf-8")
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "A,B,slag,30,t,by-product\nA,L,slag,10,t,waste\nA,B,steam,,GJ,by-product\n",
        encoding="utf-8",
    )
    text = invoke("reuse", tmp_path, "-q", "--by", "dimension").stdout
    assert _row(text, "mass")[2:4] == ["40", "30"]
    assert _row(text, "energy")[1:3] == ["GJ/yr", "unknown"]
    assert "unknown: no energy flow of known size" in text  # what the word means
