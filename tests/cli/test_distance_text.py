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
    """A paper mill 300 m (0.30 km in latitude, 0.0027 degrees) from a dairy that disposes
    of its whey-rich wastewater; the mill takes process water from the river."""
    monkeypatch.setenv("COLUMNS", "250")
    firms = pd.DataFrame(
        {
            "id": ["DAIRY", "MILL", "RIVER", "LAKE"],
            "sector": ["dairy", "paper mill", "", ""],
            "role": ["firm", "firm", "market", "environment"],
            "lat": [60.0, 60.00271, 60.1, 60.2],
            "lon": [25.0, 25.0, 25.1, 25.2],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["RIVER", "DAIRY", "MILL"],
            "target": ["MILL", "LAKE", "LAKE"],
            "material": ["process water", "treated effluent", "treated effluent"],
            "quantity": [500_000, 80_000, 400_000],
            "unit": ["m3", "m3", "m3"],
            "category": ["product", "emission", "emission"],
        }
    )
    firms.to_csv(tmp_path / "firms.csv", index=False)
    flows.to_csv(tmp_path / "flows.csv", index=False)
    runner = CliRunner()
    data = json.loads(
        runner.invoke(app, ["opportunities", str(tmp_path), "-f", "json", "-q"]).stdout
    )
    near = [o for o in data["opportunities"] if o["target"] == "MILL"]
    assert near and near[0]["distance_km"] == pytest.approx(0.3013, abs=1e-3)  # as computed
    text = runner.invoke(app, ["opportunities", str(tmp_path), "-q"]).stdout
    row = next(line for line in text.splitlines() if "DAIRY" in line and "MILL" in line)
    assert "│ 0.3 │" in row and "0.301" not in row
