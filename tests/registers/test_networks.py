"""Yearly networks from summed shipments (:mod:`symbiosis.registers.networks`): the
output folder as a whole, and the firms' roles."""

from __future__ import annotations

import shutil

import pytest

import symbiosis
from symbiosis.errors import SymbiosisError
from symbiosis.registers import import_registers

from .test_reading import SHIPMENTS, write


def earlier_import(out):
    """A folder an earlier import wrote: 2018 (and 0, from before years were checked)."""
    for year in ("2018", "0"):
        (out / year).mkdir(parents=True)
        (out / year / "flows.csv").write_text("source,target\n", encoding="utf-8")
        (out / year / "firms.csv").write_text("id\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "2019").mkdir()
    (out / "2019" / "flows.csv").write_text("old", encoding="utf-8")


def test_an_import_replaces_the_year_folders_of_an_earlier_one(tmp_path):
    """A stale 2018/ stayed beside the new 2019/ and 2020/: a network of shipments the
    register no longer holds."""
    out = tmp_path / "out"
    earlier_import(out)
    (out / "2018" / "keep.txt").write_text("mine too", encoding="utf-8")
    result = import_registers([write(tmp_path / "r.csv", SHIPMENTS)], out)
    assert sorted(p.name for p in out.iterdir()) == [
        "2018", "2019", "2020", "firms.csv", "flows.csv", "notes.txt"
    ]  # fmt: skip
    assert sorted(p.name for p in (out / "2018").iterdir()) == ["keep.txt"]  # the user's
    assert any("removed the network(s) of 0, 2018" in w for w in result.warnings)
    assert len(symbiosis.load(out / "2019").flows) == 2


def test_nothing_is_removed_when_the_new_networks_cannot_be_written(tmp_path):
    out = tmp_path / "out"
    earlier_import(out)
    # the register lies where the networks would go: refused, nothing written or removed
    register = write(out / "flows.csv", SHIPMENTS)
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    with pytest.raises(SymbiosisError):
        import_registers([register], out)
    after = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert after == before
    assert (out / "2018" / "flows.csv").read_text(encoding="utf-8") == "source,target\n"


def test_other_folders_are_left_alone(tmp_path):
    out = tmp_path / "out"
    (out / "archive").mkdir(parents=True)
    (out / "archive" / "flows.csv").write_text("x", encoding="utf-8")
    import_registers([write(tmp_path / "r.csv", SHIPMENTS)], out)
    assert (out / "archive" / "flows.csv").exists()
    shutil.rmtree(out)
