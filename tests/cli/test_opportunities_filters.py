"""``--fate`` and ``--kind`` of ``symbiosis opportunities``: the streams they leave out are
not listed as having no known pathway (tester-cities4 #9: ``--fate treated`` listed
phosphogypsum, fly ash and slag, which the catalogue covers, under "Streams with no known
pathway in the catalogue"), and one line says how many were not searched."""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import load
from symbiosis.analysis.opportunities import DEFAULT_FATES, KINDS, find_opportunities
from symbiosis.cli import app

runner = CliRunner()

# fly ash has candidates (cement works B: new_link; new plants), zorblium disposed and
# quuxium vapour emitted have none
FLOWS = [
    ("A", "DUMP", "fly ash", "waste", 100, "t"),
    ("A", "DUMP", "zorblium", "waste", 10, "t"),
    ("A", "AIR", "quuxium vapour", "waste", 5, "t"),
    ("A", "MKT", "electricity", "product", 50, "MWh"),
    ("B", "MKT", "cement", "product", 300, "t"),
]
FIRMS = [
    ("A", "firm", "power generation"),
    ("B", "firm", "cement"),
    ("DUMP", "disposal", ""),
    ("AIR", "environment", ""),
    ("MKT", "market", ""),
]


@pytest.fixture
def folder(tmp_path):
    columns = ["source", "target", "material", "category", "quantity", "unit"]
    pd.DataFrame(FLOWS, columns=columns).to_csv(tmp_path / "flows.csv", index=False)
    pd.DataFrame(FIRMS, columns=["id", "role", "sector"]).to_csv(
        tmp_path / "firms.csv", index=False
    )
    return tmp_path


def run(*args: str):
    result = runner.invoke(app, ["opportunities", *args])
    assert result.exit_code == 0, result.output
    return result


def _uncovered_text(out: str) -> str:
    """The text after the uncovered table's title (empty when there is none)."""
    title = "Streams with no known pathway in the catalogue"
    return out.split(title, 1)[1] if title in out else ""


def test_a_fate_asked_lists_only_its_streams_as_uncovered(folder):
    out = " ".join(run(str(folder), "--fate", "emitted", "-q").stdout.split())
    listed = _uncovered_text(out)
    assert "quuxium vapour" in listed
    assert "zorblium" not in listed and "fly ash" not in listed  # of another fate
    assert (
        "4 stream(s) not searched because of --fate or --kind (of another fate, or with "
        "candidates of other kinds only); a run without them lists their candidates or "
        "their lack of one."
    ) in out


def test_a_kind_asked_does_not_make_a_covered_stream_uncovered(folder):
    out = run(str(folder), "--kind", "redirect", "-q").stdout
    listed = _uncovered_text(out)
    # fly ash has new links and new plants, no redirect: left out, not uncovered
    assert "zorblium" in listed and "quuxium vapour" in listed and "fly ash" not in listed
    assert "1 stream(s) not searched" in " ".join(out.split())


def test_json_and_csv_tables_say_the_same(folder, tmp_path):
    data = json.loads(run(str(folder), "--fate", "disposed", "-q", "-f", "json").stdout)
    assert [row["material"] for row in data["uncovered"]] == ["zorblium"]
    assert data["not_searched"] == 3  # quuxium vapour emitted, two products
    tables = tmp_path / "tables"
    run(str(folder), "--fate", "disposed", "--kind", "new_link", "-q", "--csv", str(tables))
    assert list(pd.read_csv(tables / "uncovered.csv")["material"]) == ["zorblium"]
    # without a filter: every uncovered stream, and no count of streams left out
    data = json.loads(run(str(folder), "-q", "-f", "json").stdout)
    assert [row["material"] for row in data["uncovered"]] == ["zorblium", "quuxium vapour"]
    assert "not_searched" not in data
    assert "not searched" not in run(str(folder), "-q").stdout


def test_library_uncovered_is_the_unfiltered_one_within_the_fates_asked(folder):
    """For every fate and kind asked, ``uncovered`` is the default run's, within those
    fates, and ``not_searched`` the streams of other fates or found only other kinds."""
    network = load(folder)
    default = find_opportunities(network, top=0, impact=False)
    assert default.not_searched is None
    assert list(default.uncovered["material"]) == ["zorblium", "quuxium vapour"]
    table = default.table
    for fates, kinds in itertools.product(
        [None, *([f] for f in DEFAULT_FATES)], [None, *([k] for k in KINDS)]
    ):
        if fates is None and kinds is None:
            continue
        found = find_opportunities(network, top=0, impact=False, fates=fates, kinds=kinds)
        within = default.uncovered[default.uncovered["fate"].isin(fates or DEFAULT_FATES)]
        assert found.uncovered.to_dict("records") == within.to_dict("records"), (fates, kinds)
        fate_of = {"fly ash": "disposed", "zorblium": "disposed", "quuxium vapour": "emitted"}
        other_fate = [m for m, fate in fate_of.items() if fates and fate not in fates]
        products = 0 if fates and "product" in fates else 2 if fates else 0
        found_kinds = set(table[table["material"] == "fly ash"]["kind"])
        fly_ash_left_out = "fly ash" not in other_fate and kinds and not found_kinds & set(kinds)
        expected = len(other_fate) + products + bool(fly_ash_left_out)
        assert found.not_searched == expected, (fates, kinds)
        assert found.to_dict()["not_searched"] == expected
