"""``symbiosis opportunities`` on the tester's hazardous-waste cases (tester-cities4 defect 1,
tests/data/tester_cities4): residues the analyst categorised ``hazardous waste`` and sent to
a hazardous-waste landfill were proposed as farm liming fertiliser and sinter flux,
"established"."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from symbiosis.cli import app

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data" / "tester_cities4"
SLAGS = ("molten salt electrolysis slag", "rare earth molten salt slag (fluoride)",
         "neutralisation slag")  # fmt: skip


def _table(*args: str) -> tuple[pd.DataFrame, str]:
    result = runner.invoke(app, ["opportunities", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return pd.read_csv(io.StringIO(result.stdout)), result.stderr


def test_names4_hazardous_waste_goes_to_no_farm_sinter_or_family_row():
    table, _ = _table(str(DATA / "names4"), "-q")
    assert not set(SLAGS) & set(table["material"])
    assert "FARM" not in set(table["target"]) and "SIN" not in set(table["target"])
    # spent pot lining keeps its own row, to the cement kiln
    assert set(table["pathway"]) == {"spl-cement"}


def test_baotou_haz_residues_keep_only_the_rows_that_name_them():
    """REMET's electrolysis slag had new fertiliser, mineral wool and asphalt plants and the
    sinter plant ("substitutes limestone", established); now only the spent pot lining
    goes anywhere, to the cement kiln."""
    for year in ("2015", "2022"):
        table, _ = _table(str(DATA / "baotou_haz"), "--year", year, "-q")
        hazardous = table[table["stream_target"].isin(["HAZ_LF", "RAD_STORE"])]
        assert set(hazardous["material"]) == {"spent pot lining"}, year
        assert set(hazardous["target"]) == {"CEMENT"}
        assert not (table["source"] == "REMET").any()


def test_the_hazardous_landfill_makes_the_stream_hazardous_with_a_warning(tmp_path):
    """The same Baotou network with the flows categorised plain ``waste`` and the landfill's
    role written 危废填埋场 (refused before: "did you mean '填埋场'?"): the target says it."""
    folder = tmp_path / "baotou"
    shutil.copytree(DATA / "baotou_haz", folder)
    flows = (folder / "flows.csv").read_text(encoding="utf-8")
    flows = flows.replace(",hazardous waste,", ",waste,")
    (folder / "flows.csv").write_text(flows, encoding="utf-8")
    firms = (folder / "firms.csv").read_text(encoding="utf-8")
    firms = firms.replace("(危废填埋场),,landfill", "(危废填埋场),,危废填埋场")
    (folder / "firms.csv").write_text(firms, encoding="utf-8")
    table, stderr = _table(str(folder))
    assert (table["material"] == "molten salt electrolysis slag").sum() == 0
    said = " ".join(stderr.split())
    assert "warning: 3 stream(s) go to a node that takes hazardous waste ('HAZ_LF'" in said
    assert "'molten salt electrolysis slag'" in said
    _, quiet = _table(str(folder), "-q")
    assert "hazardous" not in quiet
