"""Volumes of several kinds in the one volume dimension (tester-bioports14 remark 9):
Baotou's 9 billion m3 of blast-furnace gas, all burnt by the power plant, beside 2 million
m3 of wastewater sent to the river, made its volume reuse share 100.0 %, printed in the
headline as any other share. The summary and the reuse accounts now say which kinds a
dimension adds (JSON ``mixed``), the reuse accounts split the residual streams by kind, and
the text and HTML mark the shares and say what they add.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import analyze, from_frames
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.export.report_headline import mixed_notes
from symbiosis.vocabulary.volumes import VOLUME_KINDS, volume_kinds

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ROLES = {"COKE": "firm", "BOILER": "utility", "WWTP": "treatment", "RIVER": "environment",
         "MKT": "market"}  # fmt: skip


def coke_works(gas="coke oven gas", unit="m3"):
    """A coke works whose 400,000 m3 of gas the boiler burns and whose 30,000 m3 of
    wastewater go 10,000 to the treatment plant, 20,000 to the river; 1,000 t of coke."""
    rows = [
        ("COKE", "BOILER", gas, 400_000, unit, "by-product"),
        ("COKE", "WWTP", "phenolic wastewater", 10_000, "m3", "waste"),
        ("COKE", "RIVER", "phenolic wastewater", 20_000, "m3", "emission"),
        ("COKE", "MKT", "coke", 1_000, "t", "product"),
        ("BOILER", "MKT", "steam", 5_000, "GJ", "product"),
    ]
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


def test_the_reuse_accounts_split_a_mixed_volume_by_kind():
    accounts = reuse_accounts(coke_works())
    assert accounts["volume"]["reuse_share"] == pytest.approx(400 / 430)  # as before
    assert accounts.mixed_kinds() == {"volume": ["gas", "water"]}  # the largest first
    mixed = accounts.to_dict()["mixed"]["volume"]
    assert mixed["gas"]["reuse_share"] == 1.0 and mixed["gas"]["generated"] == 400_000
    assert mixed["water"]["reuse_share"] == 0.0
    assert mixed["water"]["treated"] == 10_000 and mixed["water"]["emitted"] == 20_000


def test_a_gas_volume_unit_makes_a_gas_whatever_its_name():
    accounts = reuse_accounts(coke_works(gas="purge stream", unit="Nm3"))
    assert accounts.mixed_kinds() == {"volume": ["gas", "water"]}
    summary = coke_works(gas="purge stream", unit="Nm3").summary().to_dict()
    assert summary["mixed"] == {"volume": {"gas": 400_000.0, "water": 30_000.0}}


def test_volumes_of_one_kind_are_not_mixed():
    network = coke_works(gas="recycled cooling water")
    assert reuse_accounts(network).mixed_kinds() == {}
    assert reuse_accounts(network).to_dict()["mixed"] == {}
    assert network.summary().to_dict()["mixed"] == {}


def test_the_kinds_of_names_and_units():
    names = ["blast furnace gas", "高炉煤气", "wastewater", "sawlogs", "ethanol", "gas oil"]
    units = ["m3", "Nm3"]
    kinds = volume_kinds([0, 1, 2, 3, 4, 5, 2], names, [0, 0, 0, 0, 0, 0, 1], units).tolist()
    said = [VOLUME_KINDS[k] for k in kinds]
    assert said == ["gas", "gas", "water", "solid", "liquid fuel or chemical",
                    "liquid fuel or chemical", "gas"]  # fmt: skip


def test_the_headline_marks_the_mixed_shares_and_says_what_they_add(monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "250")
    network = coke_works()
    data = analyze(network, sections=["summary", "reuse"]).to_dict()
    notes = mixed_notes(data)
    assert len(notes) == 1
    assert notes[0].startswith("* volume (mixed: gas + water) adds 400 thousand m³/yr of gas")
    assert "gas 100.0 % of 400 thousand m³/yr; water 0.0 % of 30.0 thousand m³/yr" in notes[0]
    network.flows.to_csv(tmp_path / "flows.csv", index=False)
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    firms.to_csv(tmp_path / "firms.csv", index=False)
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    share = next(line for line in result.stdout.splitlines() if line.startswith("Reuse share"))
    assert share.rstrip().endswith("93.0 % *")  # 400 of 430, marked
    assert "volume *" in result.stdout and "* volume (mixed: gas + water)" in result.stdout
    result = runner.invoke(app, ["reuse", str(tmp_path), "-q"])
    assert "volume (m3/yr) (mixed: gas + water)" in result.stdout
    assert "Residual streams of volume by kind" in result.stdout
    result = runner.invoke(app, ["reuse", str(tmp_path), "-q", "-f", "json"])
    assert json.loads(result.stdout)["mixed"]["volume"]["water"]["reuse_share"] == 0.0
