"""Issue 14, item 2: round trips and a network immutable to callers.

The library's own tables, its networkx graph, its JSON and pickle all come back as the same
network (or report); changing ``net.flows`` never changes the network; ``with_flows`` /
``with_firms`` validate and derive everything again."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import FlowNetwork, InputError, Report, analyze, from_frames, load

TONGLING = Path(__file__).parents[1] / "examples" / "tongling"


@pytest.fixture(scope="module")
def network() -> FlowNetwork:
    return load(TONGLING)


def _same_tables(a: FlowNetwork, b: FlowNetwork) -> None:
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.flows, b.flows)


def _headline(report: Report) -> dict:
    data = report.to_dict()
    return {k: v for k, v in data.items() if k not in ("symbiosis_version",)}


# --------------------------------------------------------------------------- own tables


def test_own_tables_fed_back_give_the_same_network(network):
    """Measured: net.firms (indexed by id) could not be fed back in."""
    _same_tables(load(network.firms, network.flows), network)
    _same_tables(from_frames(network.firms.reset_index(), network.flows), network)
    _same_tables(network.with_flows(network.flows), network)
    _same_tables(network.with_firms(network.firms), network)


def test_own_tables_keep_the_rows_of_the_file(network):
    """A problem in a table derived from net.flows names the row of the original file."""
    flows = network.flows
    flows.loc[5, "unit"] = "furlong"
    with pytest.raises(InputError) as caught:
        network.with_flows(flows.iloc[3:])
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (int(network.flows.loc[5, "row"]), "unit")
    ]


def test_with_flows_derives_everything_again(network):
    """Measured: with_tables(flows=...) kept a stale `value`."""
    flows = network.flows
    flows.loc[0, "quantity"] = 2.0
    flows.loc[0, "unit"] = "kt"
    changed = network.with_flows(flows)
    assert changed.flows.loc[0, "value"] == 2000.0
    assert network.flows.loc[0, "value"] != 2000.0  # the original is untouched
    mass = changed.summary().totals["mass"]["total"]
    expected = network.summary().totals["mass"]["total"] - network.flows.loc[0, "value"] + 2000
    assert mass == pytest.approx(expected)


def test_a_user_value_column_survives_the_round_trip(network):
    """A user's ``value`` is kept as ``user_value``, and stays so when fed back."""
    flows = pd.read_csv(TONGLING / "flows.csv").assign(value="mine")
    first = from_frames(pd.read_csv(TONGLING / "firms.csv"), flows)
    assert (first.flows["user_value"] == "mine").all()
    again = load(first.firms, first.flows)
    _same_tables(again, first)


def test_edgelist_of_the_graph_is_accepted(network):
    """Measured: nx.to_pandas_edgelist(net.graph) could not be fed back in."""
    edges = nx.to_pandas_edgelist(network.graph)
    again = from_frames(network.firms, edges)
    assert sorted(again.flows["value"].fillna(-1)) == sorted(network.flows["value"].fillna(-1))


# --------------------------------------------------------------------------- immutability


@pytest.mark.filterwarnings("ignore:.*inplace")
def test_changing_the_tables_handed_out_never_changes_the_network(network):
    """Measured: dropping rows of net.flows in place broke analyze (shapes 63 vs 66)."""
    fresh = load(TONGLING)
    before = _headline(analyze(fresh, sections=["summary", "reuse", "cycling"]))
    flows = fresh.flows
    flows.drop(index=[0, 1, 2], inplace=True)
    flows["value"] = 0.0
    firms = fresh.firms
    firms.loc[firms.index[0], "role"] = "market"
    assert len(fresh.flows) == 66
    after = _headline(analyze(fresh, sections=["summary", "reuse", "cycling"]))
    assert after == before


def test_the_network_cannot_be_reassigned(network):
    with pytest.raises(AttributeError, match="immutable"):
        network.flows = network.flows  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        network.warnings = ()  # type: ignore[misc]


# --------------------------------------------------------------------------- graph


def test_graph_round_trip(network):
    _same_tables(FlowNetwork.from_graph(network.graph), network)
    _same_tables(load(network.graph), network)


# --------------------------------------------------------------------------- JSON


def test_network_json_round_trip(network):
    data = json.loads(json.dumps(network.to_dict()))
    again = FlowNetwork.from_dict(data)
    _same_tables(again, network)
    assert again.warnings == network.warnings


def test_network_from_dict_validates():
    data = load(TONGLING).to_dict()
    data["flows"][3]["unit"] = "furlong"
    with pytest.raises(InputError, match="furlong"):
        FlowNetwork.from_dict(data)
    with pytest.raises(InputError, match="not a network"):
        FlowNetwork.from_dict({"firms": []})


def test_a_network_emptied_by_edits_says_why_it_cannot_be_read_back():
    """Edits may remove every flow; the dict of such a network is refused by from_dict
    with one line saying that it holds no flows (it said six columns were missing)."""
    from symbiosis.edits import RemoveFirm, apply

    network = load(TONGLING)
    senders = sorted(set(network.flows["source"]) | set(network.flows["target"]))
    emptied = apply(network, [RemoveFirm(firm) for firm in senders if firm in network.firms.index])
    assert len(emptied.flows) == 0
    data = json.loads(json.dumps(emptied.to_dict()))
    with pytest.raises(InputError, match="holds no flows") as raised:
        FlowNetwork.from_dict(data)
    assert len(raised.value.problems) == 1


def test_report_json_round_trip(network):
    """Report.from_dict reads back what to_dict wrote: equal data, typed options."""
    report = analyze(network)
    data = json.loads(json.dumps(report.to_dict()))
    again = Report.from_dict(data)
    assert again.to_dict() == data
    assert again.options == report.options
    assert list(again.sections) == list(report.sections)
    with pytest.raises(TypeError, match="read from JSON"):
        _ = again.reuse


# --------------------------------------------------------------------------- pickle


def test_network_and_report_pickle(network):
    """Measured: a Report could not be pickled (a lambda inside opportunities)."""
    again = pickle.loads(pickle.dumps(network))
    _same_tables(again, network)
    np.testing.assert_array_equal(again.core.value, network.core.value)
    report = analyze(network)
    restored = pickle.loads(pickle.dumps(report))
    assert _headline(restored) == _headline(report)
    assert type(restored.reuse) is type(report.reuse)


def test_an_unpickled_network_validates_in_a_fresh_process(network, tmp_path):
    """Unpickling imports the readers (io), so with_flows works in a worker process that
    never imported them (multiprocessing, joblib)."""
    path = tmp_path / "network.pickle"
    path.write_bytes(pickle.dumps(network))
    script = (
        "import pickle, sys\n"
        f"network = pickle.loads(open({str(path)!r}, 'rb').read())\n"
        "assert 'symbiosis.report' not in sys.modules\n"
        "flows = network.flows\n"
        "flows.loc[0, 'quantity'] = 1.0\n"
        "print(network.with_flows(flows).flows.loc[0, 'value'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) == 1.0


def test_the_package_names_are_the_classes():
    assert symbiosis.FlowNetwork is FlowNetwork
    assert symbiosis.Report is Report


# --------------------------------------------------------------------------- properties

_NODES = {"A": "firm", "B": "recycling", "C": "utility", "MKT": "market", "LF": "disposal"}
_UNITS = {"slag": "t", "steam": "MWh", "water": "m3", "scrap": "kt"}


@st.composite
def _networks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random valid tables: every role kind, units of the three dimensions, unknown
    quantities, self-flows, and a user column named like a derived one."""
    n = draw(st.integers(1, 15))
    pick = st.sampled_from(sorted(_NODES))
    materials = draw(st.lists(st.sampled_from(sorted(_UNITS)), min_size=n, max_size=n))
    quantity = st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False).map(lambda q: round(q, 4)))
    flows = pd.DataFrame(
        {
            "source": draw(st.lists(pick, min_size=n, max_size=n)),
            "target": draw(st.lists(pick, min_size=n, max_size=n)),
            "material": materials,
            "quantity": draw(st.lists(quantity, min_size=n, max_size=n)),
            "unit": [_UNITS[m] for m in materials],
            "category": draw(
                st.lists(
                    st.sampled_from(["product", "by-product", "waste"]), min_size=n, max_size=n
                )
            ),
            "value": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
            "ref": [f"r{i}" for i in range(n)],  # no two rows alike (repeats are refused)
        }
    )
    firms = pd.DataFrame({"id": list(_NODES), "role": list(_NODES.values())})
    return firms, flows


def _written_and_read(network: FlowNetwork) -> FlowNetwork:
    """``network`` written as firms.csv and flows.csv (symbiosis.export.write_network) and
    loaded from them."""
    from symbiosis.export import write_network

    with tempfile.TemporaryDirectory() as folder:
        write_network(network, Path(folder) / "net")
        return load(Path(folder) / "net")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_networks(), st.sampled_from(["numpy", "numpy_nullable", "pyarrow"]))
def test_every_round_trip_gives_the_same_network(tables, backend):
    firms, flows = tables
    if backend != "numpy":
        firms = firms.convert_dtypes(dtype_backend=backend)
        flows = flows.convert_dtypes(dtype_backend=backend)
    network = from_frames(firms, flows)
    assert (network.flows["user_value"].to_numpy() == tables[1]["value"].to_numpy()).all()
    for again in (
        load(network.firms, network.flows),
        FlowNetwork.from_graph(network.graph),
        FlowNetwork.from_dict(json.loads(json.dumps(network.to_dict()))),
        pickle.loads(pickle.dumps(network)),
        _written_and_read(network),
    ):
        _same_tables(again, network)
        np.testing.assert_array_equal(again.core.value, network.core.value)
    half = network.flows.iloc[::2]
    pd.testing.assert_frame_equal(
        network.with_flows(half).flows.drop(columns="row"),
        from_frames(firms, flows.iloc[::2].reset_index(drop=True)).flows.drop(columns="row"),
    )
