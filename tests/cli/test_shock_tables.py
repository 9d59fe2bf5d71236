"""The flow tables of ``symbiosis shock`` (cli/shock.py): flows that grow by rationing
"redirect", residues sent to disposal and by-product exchanges broken, each with its title
and count, the flows' ends, material, values before and after, the column of its own and
the unit; at most --top rows."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from symbiosis.cli import app

KAIYANG = Path(__file__).parents[1] / "data" / "resource_cities" / "kaiyang_2022"
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
MILL = [
    ("EST", "MILL", "fruit", 100, "t", "product"),
    ("MILL", "MKT", "oil", 20, "t", "product"),
    ("MILL", "EST", "bunches", 20, "t", "by-product"),
    ("MILL", "COMP", "bunches", 30, "t", "by-product"),
    ("MILL", "LF", "bunches", 16, "t", "waste"),
    ("COMP", "MKT", "compost", 15, "t", "product"),
]
ROLES = {"EST": "farm", "MILL": "firm", "COMP": "composting", "MKT": "market", "LF": "landfill"}


def tables(*arguments: str) -> dict[str, list[list[str]]]:
    """Each table's title (its first words, up to the count) -> its header and rows' cells."""
    result = CliRunner().invoke(app, ["shock", *arguments, "-q"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    found: dict[str, list[list[str]]] = {}
    title = None
    for line in result.stdout.splitlines():
        if "┃" in line or "│" in line:
            cells = [c.strip() for c in line.replace("┃", "│").split("│")]
            if title is not None:
                found[title].append(cells)
        elif heading := re.match(r"[A-Z][\w -]* \([\d,]+\)", line):
            title = heading.group(0)
            found[title] = []
        elif title is not None and found[title] and not line.startswith("━"):
            title = None  # the table ended
    return found


def test_the_flows_that_grow_and_the_broken_exchanges_at_most_top_rows():
    found = tables(str(KAIYANG), "--firm", "KY_MINE", "--change", "-1",
                   "--rationing", "redirect", "--top", "2")  # fmt: skip
    assert found["Flows that grow (1)"] == [
        ["source", "target", "material", "value_before", "value_after", "redirected", "unit"],
        ["XF_MINE", "YP", "phosphate rock", "400,000", "800,000", "400,000", "t/yr"],
    ]
    assert found["By-product exchanges broken (6)"] == [
        ["source", "target", "material", "value_before", "value_after", "retained", "unit"],
        ["SA_SULF", "PACID", "steam", "2,600,000", "0", "0.0 %", "GJ/yr"],
        ["PACID", "PG_BM", "phosphogypsum", "1,200,000", "0", "0.0 %", "t/yr"],
    ]


def test_the_residues_sent_to_disposal(tmp_path):
    pd.DataFrame(MILL, columns=COLUMNS).to_csv(tmp_path / "flows.csv", index=False)
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    firms.to_csv(tmp_path / "firms.csv", index=False)
    found = tables(str(tmp_path), "--firm", "COMP", "--change", "-0.6")
    assert found["Residues to disposal (1)"] == [
        ["source", "target", "material", "value_before", "value_after", "to disposal", "unit"],
        ["MILL", "LF", "bunches", "16", "34", "18", "t/yr"],
    ]
    assert found["By-product exchanges broken (1)"] == [
        ["source", "target", "material", "value_before", "value_after", "retained", "unit"],
        ["MILL", "COMP", "bunches", "30", "12", "40.0 %", "t/yr"],
    ]
