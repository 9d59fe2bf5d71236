"""A scenario's flow that the year analysed lacks but another year has: the error names
the year analysed, the years that have the flow, and --year (tester-cities4 #13:
"no flow PACID -> PG_STACK of 'fluosilicic acid'" for a flow of 2015, 2022 analysed)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import InputError, load, select_year
from symbiosis import edits as ed
from symbiosis.cli import app

runner = CliRunner()

FLOWS = [
    ("ACID", "STACK", "fluosilicic acid", "waste", 38000, "t", 2015),
    ("ACID", "FLUOR", "fluosilicic acid", "by-product", 38000, "t", 2022),
    ("ACID", "MKT", "phosphoric acid", "product", 500000, "t", 2015),
    ("ACID", "MKT", "phosphoric acid", "product", 600000, "t", 2022),
    ("FLUOR", "MKT", "aluminium fluoride", "product", 10000, "t", 2022),
]
FIRMS = [
    ("ACID", "firm", "phosphoric acid"),
    ("FLUOR", "firm", "fluorochemicals"),
    ("STACK", "disposal", ""),
    ("MKT", "market", ""),
]
SCENARIO = """title = "fluorine in 2015"

[[add_firm]]
id = "NEW"
sector = "fluorochemicals"

[[redirect]]
source = "ACID"
target = "STACK"
material = "fluosilicic acid"
to = "NEW"
"""


@pytest.fixture
def folder(tmp_path):
    columns = ["source", "target", "material", "category", "quantity", "unit", "year"]
    pd.DataFrame(FLOWS, columns=columns).to_csv(tmp_path / "flows.csv", index=False)
    pd.DataFrame(FIRMS, columns=["id", "role", "sector"]).to_csv(
        tmp_path / "firms.csv", index=False
    )
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


def test_the_error_names_the_year_and_the_option(folder):
    result = runner.invoke(app, ["scenario", str(folder), str(folder / "s.toml"), "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert (
        "s.toml:10: material: [[redirect]] #1: no flow ACID -> STACK of 'fluosilicic acid' in "
        "2022, the year analysed (the flows of 2015 have one); analyse 2015 with --year 2015 "
        "(select_year(network, 2015) in Python), or select a flow of 2022"
    ) in said
    ok = runner.invoke(app, ["scenario", str(folder), str(folder / "s.toml"), "-q",
                             "--year", "2015"])  # fmt: skip
    assert ok.exit_code == 0, ok.output


def test_a_flow_of_no_year_says_only_that(folder):
    other = SCENARIO.replace('target = "STACK"', 'target = "MKT"')
    (folder / "s.toml").write_text(other, encoding="utf-8")
    result = runner.invoke(app, ["scenario", str(folder), str(folder / "s.toml"), "-q"])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert (
        "no flow ACID -> MKT of 'fluosilicic acid'; ACID -> MKT carries 'phosphoric acid'" in said
    )
    assert "--year" not in said


def test_library_edits_of_a_year_say_it_too(folder):
    year = select_year(load(folder))
    with pytest.raises(InputError) as raised:
        ed.apply(year, [ed.RedirectFlow("ACID", "STACK", "fluosilicic acid", to="FLUOR")])
    problem = raised.value.problems[0]
    assert problem.message.endswith("in 2022, the year analysed (the flows of 2015 have one)")
    assert "--year 2015" in problem.hint
