"""On a large flows file the firm ids are looked up on one thread while the flows' other
columns are checked on another (io.validating._looked_up): the same network, the same
problems in the same order, the same warnings, as one after the other."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import symbiosis
from symbiosis._threads import PARALLEL_FLOWS
from symbiosis.errors import InputError
from symbiosis.io import flows as flows_module
from symbiosis.io import validating

ROWS = PARALLEL_FLOWS + 2_000


def _write(folder, flow_rows: list[str], firm_rows: list[str], extra: str = "") -> None:
    header = "source,target,material,quantity,unit,category" + extra
    (folder / "flows.csv").write_text("\n".join([header, *flow_rows]) + "\n")
    (folder / "firms.csv").write_text("\n".join(["id,name,sector,role", *firm_rows]) + "\n")


def _firms(n: int = 500) -> list[str]:
    return [f"F{i},Firm {i},cement,firm" for i in range(n)] + ["LF,Landfill,,disposal"]


def _flows(extra: str = "") -> list[str]:
    return [f"F{i % 500},F{(i * 7 + 1) % 500},slag {i % 13},{i % 97 + 1},t,waste{extra}"
            for i in range(ROWS)]  # fmt: skip


def _load_both_ways(folder, monkeypatch):
    """(the threaded outcome, the sequential one), each a network or the InputError's
    problems, and the threads the flows' columns were checked on."""
    seen = []
    checked = flows_module.check_flow_columns

    def recorded(*args):
        seen.append(threading.get_ident())
        return checked(*args)

    monkeypatch.setattr(validating, "check_flow_columns", recorded)
    monkeypatch.setattr(flows_module, "check_flow_columns", recorded)

    def outcome():
        try:
            return symbiosis.load(folder)
        except InputError as error:
            return error.problems

    threaded = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(validating, "worth_threads", lambda n: False)
        sequential = outcome()
    return threaded, sequential, seen


def test_every_kind_of_problem_comes_in_the_same_order(tmp_path, monkeypatch):
    flows, firms = _flows(), _firms()
    flows[10] = "F99999,F1,slag 1,5,t,waste"  # unknown firm (endpoint rule)
    flows[20] = "F1,,slag 1,5,t,waste"  # empty target
    flows[30] = "F1,F2,,5,t,waste"  # empty material (a column rule)
    flows[40] = "F1,F2,slag 1,5,t,energy"  # a dimension as category
    flows[50] = "F1,F2,slag 1,abc,t,waste"  # not a number
    flows[60] = "F1,F2,slag 1,5,furlong,waste"  # unknown unit
    flows[70] = flows[69]  # a repeated row (needs the endpoints again)
    flows[80] = "F1,F2,slag 2,5,GJ,waste"  # slag 2 in two dimensions
    firms[3] = "F2,Again,cement,firm"  # a repeated id (firms.csv)
    _write(tmp_path, flows, firms)
    threaded, sequential, seen = _load_both_ways(tmp_path, monkeypatch)
    assert threaded == sequential
    assert seen[0] != threading.get_ident() and seen[1] == threading.get_ident()
    columns = [p.column for p in threaded]
    assert columns.index("id") < columns.index("target") < columns.index("material")
    assert columns.index("quantity") < columns.index(None)  # the repeat after the columns


def test_warnings_and_the_network_are_the_same(tmp_path, monkeypatch):
    flows = _flows(",x")
    flows[5] = "F1,F2,slag 1,,t,waste,y"  # a flow of unknown size: a warning
    _write(tmp_path, flows, _firms(), extra=",value")  # 'value' is derived: kept as user_value
    threaded, sequential, seen = _load_both_ways(tmp_path, monkeypatch)
    # user_value, the unknown size, and firm F500 that no flow uses
    assert threaded.warnings == sequential.warnings and len(threaded.warnings) == 3
    assert threaded.flows.equals(sequential.flows)
    assert threaded.firms.equals(sequential.firms)
    for name in ("source", "target", "value", "material_code", "dimension"):
        mine, theirs = getattr(threaded.core, name), getattr(sequential.core, name)
        assert np.array_equal(mine, theirs, equal_nan=mine.dtype.kind == "f")
    assert seen[0] != threading.get_ident()


@pytest.mark.parametrize("missing", ["quantity", "unit"])
def test_a_missing_column_is_said_after_the_firms_problems(tmp_path, monkeypatch, missing):
    names = ["source", "target", "material", "quantity", "unit", "category"]
    keep = [i for i, name in enumerate(names) if name != missing]
    rows = [",".join(row.split(",")[i] for i in keep) for row in _flows()]
    firms = _firms()
    firms[3] = "F2,Again,cement,firm"
    (tmp_path / "flows.csv").write_text("\n".join([",".join(names[i] for i in keep), *rows]) + "\n")
    (tmp_path / "firms.csv").write_text("\n".join(["id,name,sector,role", *firms]) + "\n")
    threaded, sequential, seen = _load_both_ways(tmp_path, monkeypatch)
    assert threaded == sequential and seen  # the columns present are checked too
    assert [p.column for p in threaded][:1] == ["id"]
    flows_said = [p for p in threaded if p.file.endswith("flows.csv")]
    assert (flows_said[0].row, flows_said[0].column) == (1, missing)  # then the rows': F4 is gone
    assert {p.column for p in flows_said[1:]} <= {"source", "target"}
