"""Streams no opportunity covers, though the catalogue has rows for their material: the
table of uncovered streams was titled "no known pathway in the catalogue" and listed
Kaiyang's ferrophosphorus, which two catalogue rows name (to steel and foundries, of
which the network has none, and no plant is proposed for a minor input). The table now
says which rows the material matched (``pathways``), and the text lists such streams
apart from those the catalogue knows nothing of."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.cli import app

FIRMS = "id,name,sector,role\nYP,Phosphorus works,yellow phosphorus,firm\nMKT,Market,,market\n"
FLOWS = (
    "source,target,material,quantity,unit,category\n"
    "MKT,YP,phosphate rock,100,kt,product\n"
    "YP,MKT,ferrophosphorus,6,kt,by-product\n"
    "YP,MKT,zzqx,3,kt,waste\n"
)


def _network(folder):
    (folder / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS, encoding="utf-8")
    firms = pd.read_csv(folder / "firms.csv")
    return from_frames(firms, pd.read_csv(folder / "flows.csv"))


def test_uncovered_streams_name_the_rows_their_material_matched(tmp_path):
    result = find_opportunities(_network(tmp_path), top=5)
    table = result.uncovered.set_index("material")
    assert table.loc["ferrophosphorus", "pathways"] == "ferrophos-steel; ferrophos-foundry"
    assert table.loc["zzqx", "pathways"] == ""
    assert result.to_dict()["uncovered"][0]["pathways"] in (
        "",
        "ferrophos-steel; ferrophos-foundry",
    )


def test_the_text_lists_them_apart(tmp_path):
    _network(tmp_path)
    out = CliRunner().invoke(app, ["opportunities", str(tmp_path), "-q"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    text = out.stdout
    known, found = text.index("no known pathway"), text.index("find no receiver here")
    assert "zzqx" in text[known:found]
    assert "ferrophosphorus" in text[found:] and "ferrophosphorus" not in text[known:found]
    assert "ferrophos-steel; ferrophos-foundry" in text[found:]
