"""Streams sent to a treatment actor, searched when asked for (``fates=("treated",)``,
``--fate treated``; tester-cities item 15: Baotou's 200 kt of fluorine-bearing waste acid
sent to a neutralisation station and Daqing's 0.86 Mt of oily sludge were never
candidates)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import DEFAULT_FATES, FATES, KINDS, find_opportunities
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.export.report_sections import none_found_text

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _daqing():
    """An oil field and two refineries sending oily sludge to a sludge plant (role
    treatment), which sends its residue to a landfill."""
    firms = pd.DataFrame(
        [("OF", "oil and gas extraction", "extraction"), ("REF", "petroleum refinery", "firm"),
         ("REF2", "petroleum refinery", "firm"), ("SLUDGE", "oily sludge treatment", "treatment"),
         ("MKT", "", "market"), ("LANDF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("OF", "REF", "crude oil", 9_000, "kt", "product"),
         ("OF", "REF2", "crude oil", 6_000, "kt", "product"),
         ("OF", "SLUDGE", "oily sludge", 500, "kt", "waste"),
         ("REF", "SLUDGE", "oily sludge", 40, "kt", "waste"),
         ("SLUDGE", "LANDF", "treated oily sludge residue", 600, "kt", "waste"),
         ("REF", "MKT", "gasoline and diesel", 8_500, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


def test_treated_streams_are_not_searched_unless_asked_for():
    result = find_opportunities(_daqing(), top=50)
    assert "oily sludge" not in set(result.table["material"])
    assert "treated" not in result.streams_by_fate  # the default result's keys
    assert result.parameters["fates"] == list(DEFAULT_FATES) == list(FATES[:4])


def test_a_stream_sent_to_treatment_is_a_candidate_when_asked_for():
    network = _daqing()
    result = find_opportunities(network, top=50, fates=["treated"])
    table = result.table
    sludge = table[table["material"] == "oily sludge"]
    assert set(sludge["fate"]) == {"treated"} and set(sludge["group"]) == {"dumped"}
    assert set(sludge["stream_target"]) == {"SLUDGE"}
    # the refineries' cokers take it (oily-sludge-coker); never the sludge plant itself
    assert "REF2" in set(sludge["target"]) and "SLUDGE" not in set(sludge["target"])
    assert result.streams_by_fate["treated"] == 2
    assert set(table["fate"]) == {"treated"}  # the leaving streams are not asked for
    o = next(o for o in result.listed if o.material == "oily sludge" and o.target == "REF2")
    after = ed.apply(network, list(o.edits))
    accounts = reuse_accounts(after)["mass"]
    assert accounts["reuse_share"] == pytest.approx(o.impact.reuse_share["mass"][1])
    assert accounts["reuse_share"] > o.impact.reuse_share["mass"][0]


def test_treated_and_leaving_streams_together():
    result = find_opportunities(_daqing(), top=50, fates=["disposed", "treated"])
    assert set(result.table["fate"]) == {"treated"}
    # the sludge plant's residue, disposed, has no pathway: listed as uncovered, by fate
    uncovered = result.uncovered.set_index("material")["fate"].to_dict()
    assert uncovered == {"treated oily sludge residue": "disposed"}
    assert result.streams_by_fate["treated"] == 2 and result.streams_by_fate["disposed"] == 1


def test_the_default_fates_do_not_narrow_the_search_said_when_none_is_found():
    data = {"streams": 2, "streams_by_fate": {"disposed": 2}, "counts": {},
            "parameters": {"kinds": list(KINDS), "fates": list(DEFAULT_FATES)}}  # fmt: skip
    assert "narrow" not in none_found_text(data)
    data["parameters"]["fates"] = ["treated"]
    assert "narrow the search" in none_found_text(data)


def test_fate_treated_on_the_command_line(tmp_path):
    network = _daqing()
    network.firms.reset_index().to_csv(tmp_path / "firms.csv", index=False)
    network.flows[COLUMNS].to_csv(tmp_path / "flows.csv", index=False)
    result = CliRunner().invoke(app, ["opportunities", str(tmp_path), "--fate", "treated", "-q"])
    assert result.exit_code == 0, result.output
    assert "Streams disposed, emitted or sent to treatment" in result.stdout
    assert "oily sludge OF -> SLUDGE" in result.stdout
    plain = CliRunner().invoke(app, ["opportunities", str(tmp_path), "-q"])
    assert "oily sludge OF" not in plain.stdout
