"""Distances in the text and HTML tables to the 100 m (tester-bioports14 defect 7: the
opportunities' km column read ``0.1771`` and ``0.8729``, four decimals of a kilometre
between two sites given by one coordinate each); the JSON keeps them as computed."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis._percent import distance_text
from symbiosis.cli import app
from symbiosis.export.report_tables import _cell


@pytest.mark.parametrize(
    ("km", "text"),
    [(0.1771, "0.2"), (0.8729, "0.9"), (9.94, "9.9"), (14.6, "15"), (1240.4, "1,240"),
     (0.03, "< 0.1"), (0.0, "0"), (None, "–"), (float("nan"), "–")],
)  # fmt: skip
def test_distance_text(km, text):
    assert distance_text(km) == text


def test_the_html_tables_show_distances_so():
    assert ">0.2</td>" in _cell("distance_km", 0.1771, None)
    assert 'data-v="0.1771"' in _cell("distance_km", 0.1771, None)  # sorted as computed


def test_the_opportunities_table_shows_km_to_the_100_m(tmp_path, monkeypatch):
    """A pulp mill 222 m (0.002 degrees of latitude) from a paper mill that takes river
    water: its treated effluent is offered to the paper mill."""
    monkeypatch.setenv("COLUMNS", "250")
    firms = pd.DataFrame(
        {
            "id": ["PULP", "PAPER", "WOOD", "RIVER", "WATER", "MKT"],
            "sector": ["pulp mill", "paper", "", "", "", ""],
            "role": ["firm", "firm", "market", "environment", "market", "market"],
            "lat": [61.0, 61.002, None, None, None, None],
            "lon": [25.0, 25.0, None, None, None, None],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["WOOD", "PULP", "PULP", "WATER", "PAPER"],
            "target": ["PULP", "PAPER", "RIVER", "PAPER", "MKT"],
            "material": ["pulpwood", "pulp", "treated effluent", "fresh water", "paper"],
            "quantity": [500_000, 200_000, 2_000_000, 1_500_000, 210_000],
            "unit": ["t", "t", "m3", "m3", "t"],
            "category": ["product", "product", "emission", "product", "product"],
        }
    )
    firms.to_csv(tmp_path / "firms.csv", index=False)
    flows.to_csv(tmp_path / "flows.csv", index=False)
    runner = CliRunner()
    result = runner.invoke(app, ["opportunities", str(tmp_path), "-f", "json", "-q"])
    near = [o for o in json.loads(result.stdout)["opportunities"] if o["target"] == "PAPER"]
    assert near and near[0]["distance_km"] == pytest.approx(0.2224, abs=1e-3)  # as computed
    text = runner.invoke(app, ["opportunities", str(tmp_path), "-q"]).stdout
    row = next(line for line in text.splitlines() if "PULP" in line and "PAPER" in line)
    assert "│ 0.2 │" in row and "0.222" not in row
