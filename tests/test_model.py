"""The flow model: tables, positions, matrices and the summary, on hand-made networks."""

import math
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from symbiosis import FlowNetwork, InputError, from_frames, load
from symbiosis.errors import SymbiosisWarning

FIRMS = pd.DataFrame(
    {
        "id": ["MINE", "SMELT", "ACID", "CEM", "MKT", "LF", "AIR"],
        "name": ["Mine", "Smelter", "Acid plant", "Cement", "Market", "Landfill", "Air"],
        "sector": ["mining", "smelting", "chemicals", "cement", "", "", ""],
        "role": ["mine", "", "firm", "firm", "market", "landfill", "air"],
    }
)
FLOWS = pd.DataFrame(
    [
        ("MKT", "SMELT", "copper concentrate", 1000, "kt", "product"),
        ("MINE", "SMELT", "copper concentrate", 100, "kt", "product"),
        ("SMELT", "ACID", "SO2 off-gas", 500000, "t", "by-product"),
        ("ACID", "SMELT", "steam", 2, "GWh", "by-product"),
        ("SMELT", "CEM", "copper slag", 300, "kt", "by-product"),
        ("SMELT", "LF", "copper slag", 100, "kt", "waste"),
        ("SMELT", "MKT", "copper cathode", 250, "kt", "product"),
        ("CEM", "AIR", "CO2", 800, "kt", "emission"),
        ("CEM", "SMELT", "process water", None, "m3", "product"),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)


@pytest.fixture(scope="module")
def network():
    return from_frames(FIRMS, FLOWS)


def test_roles_are_canonical_and_split_actors_from_boundary(network):
    assert network.firms.loc["MINE", "role"] == "extraction"
    assert network.firms.loc["SMELT", "role"] == "firm"
    assert network.firms.loc["LF", "role"] == "disposal"
    assert list(network.actors) == ["MINE", "SMELT", "ACID", "CEM"]
    assert list(network.boundary) == ["MKT", "LF", "AIR"]


def test_quantities_are_normalised_per_dimension(network):
    flows = network.flows
    assert flows.loc[0, "value"] == 1_000_000.0 and flows.loc[0, "dimension"] == "mass"
    assert flows.loc[3, "value"] == pytest.approx(7200.0) and flows.loc[3, "dimension"] == "energy"
    assert math.isnan(flows.loc[8, "value"]) and flows.loc[8, "dimension"] == "volume"
    assert flows.loc[2, "material_key"] == "so2 off gas"
    assert network.dimensions == ("mass", "energy", "volume")


def test_inflow_and_outflow_sum_known_values_of_one_dimension(network):
    inflow = network.inflow("mass")
    assert inflow["SMELT"] == 1_100_000.0
    assert inflow["MINE"] == 0.0
    assert network.outflow("mass")["SMELT"] == 500_000 + 300_000 + 100_000 + 250_000
    assert network.inflow("energy")["SMELT"] == pytest.approx(7200.0)
    assert network.inflow("volume").sum() == 0.0  # the only water flow has no size


def test_matrix_sums_parallel_flows_and_keeps_actors(network):
    matrix, nodes = network.matrix("mass")
    assert list(nodes) == ["MINE", "SMELT", "ACID", "CEM"]
    dense = matrix.toarray()
    assert dense[0, 1] == 100_000
    assert dense[1, 2] == 500_000 and dense[1, 3] == 300_000
    assert dense.sum() == 900_000  # boundary flows left out
    structure, _ = network.matrix()
    # structure: every actor-to-actor link, whatever its dimension or size
    assert structure.toarray().tolist() == [[0, 1, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0], [0, 1, 0, 0]]


def test_matrix_with_boundary_nodes(network):
    matrix, nodes = network.matrix("mass", actors_only=False)
    assert len(nodes) == 7
    assert matrix.sum() == pytest.approx(network.flows_in("mass", known=True)["value"].sum())


def test_graph_is_a_multidigraph_with_builtin_attributes(network):
    graph = network.graph
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == len(FLOWS)
    assert graph.nodes["SMELT"]["name"] == "Smelter"
    edge = graph.edges["SMELT", "CEM", 4]
    assert edge["material"] == "copper slag" and type(edge["value"]) is float
    assert graph.edges["CEM", "SMELT", 8]["value"] is None


def test_summary_counts_and_totals(network):
    summary = network.summary()
    assert summary.firms == 7 and summary.actors == 4 and summary.boundary_nodes == 3
    assert summary.flows_unknown_quantity == 1
    assert summary.firms_by_role == {
        "firm": 3,
        "extraction": 1,
        "market": 1,
        "disposal": 1,
        "environment": 1,
    }
    mass = summary.totals["mass"]
    assert mass["imports"] == 1_000_000
    assert mass["internal"] == 900_000
    assert mass["outputs"] == 100_000 + 250_000 + 800_000
    assert mass["by-product_from_actors"] == 800_000
    assert summary.units == {"mass": "t/yr", "energy": "GJ/yr", "volume": "m3/yr"}
    assert summary.to_frame().loc["mass", "total"] == mass["total"]


def test_from_frames_reports_every_problem():
    flows = FLOWS.copy()
    flows.loc[1, "unit"] = "furlongs"
    flows.loc[2, "target"] = "NOWHERE"
    with pytest.raises(InputError) as caught:
        from_frames(FIRMS, flows)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(3, "unit"), (4, "target")}


def test_positions_align_with_firms(network):
    ids = network.firms.index.to_numpy()
    assert (ids[network.source_positions] == network.flows["source"].to_numpy()).all()
    assert (ids[network.target_positions] == network.flows["target"].to_numpy()).all()
    assert np.array_equal(
        network.source_is_actor, network.flows["source"].isin(network.actors).to_numpy()
    )


@pytest.mark.parametrize("folder", ["examples/tongling", "tests/data/small"])
def test_the_core_built_at_load_equals_the_core_of_the_tables(folder):
    """io assembles the core from its validated codes; a network built from tables
    (with_tables, from_frames) encodes them again: both must be the same arrays."""
    from dataclasses import fields

    import numpy as np

    from symbiosis import load
    from symbiosis.core import Core

    network = load(Path(__file__).parents[1] / folder)
    loaded, encoded = network.core, Core.from_tables(network.firms, network.flows)
    for field in fields(Core):
        if field.name.startswith("_"):
            continue
        a, b = getattr(loaded, field.name), getattr(encoded, field.name)
        assert a.dtype.kind == b.dtype.kind, field.name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), field.name


@pytest.mark.parametrize("folder", ["examples/tongling", "tests/data/literature/kalundborg"])
@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_a_network_cut_to_some_rows_has_the_core_its_tables_encode(folder, share):
    """with_rows cuts the core instead of encoding the strings again: the same arrays,
    codes (renumbered by first appearance) and vocabularies as Core.from_tables."""
    from dataclasses import fields

    from symbiosis import load
    from symbiosis.core import Core

    network = load(Path(__file__).parents[1] / folder)
    rows = np.flatnonzero(np.random.default_rng(7).random(network.n_flows) < share)
    cut = network.with_rows(rows)
    assert cut.n_flows == len(rows)
    assert cut.flows["row"].tolist() == network.flows["row"].iloc[rows].tolist()
    encoded = Core.from_tables(cut.firms, cut.flows)
    for field in fields(Core):
        if field.name.startswith("_"):
            continue
        a, b = getattr(cut.core, field.name), getattr(encoded, field.name)
        assert a.dtype == b.dtype, field.name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), field.name


def test_user_columns_named_like_derived_ones_are_kept_under_another_name():
    """Issue 18, item 11: a user column ``value``, ``dimension``, ``material_key`` or ``row``
    (flows), ``actor`` or ``row`` (firms) was overwritten, dropped or an internal error; it
    is kept as ``user_<name>`` and a warning says so."""
    from symbiosis.model import DERIVED_FIRM_COLUMNS, DERIVED_FLOW_COLUMNS

    firms = FIRMS.assign(actor="yes", row=range(100, 100 + len(FIRMS)))
    flows = FLOWS.assign(value="my value", dimension="weight", material_key="K", row=-1)
    flows["user_value"] = "taken"
    network = from_frames(firms, flows)
    assert network.firms["actor"].dtype == bool
    assert (network.firms["user_actor"] == "yes").all()
    assert list(network.firms["user_row"]) == [str(r) for r in range(100, 100 + len(FIRMS))]
    assert list(network.firms["row"]) == list(range(2, 2 + len(FIRMS)))
    assert (network.flows["user_value_2"] == "my value").all()
    assert (network.flows["user_value"] == "taken").all()
    assert (network.flows["user_dimension"] == "weight").all()
    assert (network.flows["user_material_key"] == "K").all()
    assert (network.flows["user_row"] == "-1").all()
    assert network.flows["value"].iloc[0] == 1_000_000
    assert set(network.flows["dimension"]) <= {"mass", "energy", "volume"}
    renamed = [w for w in network.warnings if "is kept as" in w]
    assert len(renamed) == 6, renamed
    assert "flows: column 'value' is kept as 'user_value_2'" in renamed[2]
    assert set(DERIVED_FIRM_COLUMNS) == {"actor", "row"}
    assert set(DERIVED_FLOW_COLUMNS) == {"material_key", "value", "dimension", "row"}


def test_an_uncached_copy_shares_the_arrays_and_keeps_its_caches_to_itself():
    from symbiosis import load

    network = load(Path(__file__).parents[1] / "examples/tongling")
    network.core.matrix("mass")  # a cache on the original
    copy = network.uncached()
    assert copy.core.source is network.core.source and copy.flows.equals(network.flows)
    assert copy.core._cache == {}
    copy.core.matrix("energy")
    assert ("matrix", "energy", True) not in network.core._cache
    assert (copy.core.matrix("mass") != network.core.matrix("mass")).nnz == 0


def test_a_network_is_not_built_directly_from_raw_tables():
    """Measured: FlowNetwork(firms=df, flows=df) took raw frames unchecked; repr then
    raised KeyError 'actor', analyze KeyError 'value'."""
    with pytest.raises(TypeError, match=r"symbiosis.load\(firms, flows\)"):
        FlowNetwork(firms=FIRMS, flows=FLOWS)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda n: from_frames(FIRMS, FLOWS), id="from_frames"),
        pytest.param(lambda n: n.with_flows(FLOWS), id="with_flows"),
        pytest.param(lambda n: n.with_firms(FIRMS), id="with_firms"),
        pytest.param(lambda n: FlowNetwork.from_graph(n.graph), id="from_graph"),
        pytest.param(lambda n: FlowNetwork.from_dict(n.to_dict()), id="from_dict"),
        pytest.param(lambda n: load(n.graph), id="load(graph)"),
    ],
)
def test_every_way_to_build_a_network_issues_its_warnings_once_at_the_caller(network, build):
    """Measured: only load issued the data warnings; from_frames, with_flows, with_firms,
    from_graph and from_dict kept them in .warnings without a word."""
    assert network.warnings  # the process water has no quantity
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        built = build(network)
    assert [str(w.message) for w in caught] == list(built.warnings)
    assert all(w.category is SymbiosisWarning for w in caught)
    assert {w.filename for w in caught} == {__file__}


def test_the_graph_is_the_callers_to_change(network):
    """Measured: net.graph was one cached graph; a caller's remove_node or attribute
    change showed in every later net.graph (and in from_graph round trips)."""
    graph = network.graph
    graph.remove_node("SMELT")
    graph.nodes["CEM"]["role"] = "landfill"
    again = network.graph
    assert again.number_of_nodes() == network.n_firms
    assert again.number_of_edges() == network.n_flows
    assert again.nodes["CEM"]["role"] == "firm"


def test_the_cores_arrays_are_read_only(network):
    """Measured: net.core.throughflow('mass') handed out the shared cache: `t *= 2`
    changed every later analysis of the network."""
    core = network.core
    arrays = [core.value, core.source, core.ids, core.actor, core.actor_index,
              core.throughflow("mass"), core.node_sums("mass").inflow,
              network.throughflow("mass"), network.source_positions]  # fmt: skip
    assert not any(array.flags.writeable for array in arrays)
    with pytest.raises(ValueError, match="read-only"):
        core.throughflow("mass")[:] *= 2
    assert not core.matrix("mass").data.flags.writeable
    copy = core.throughflow("mass").copy()  # a copy is the caller's
    copy *= 2
    assert network.matrix("mass")[0].data.flags.writeable  # net.matrix: a copy


def test_summed_years_counts_the_years_a_networks_sums_add_up():
    """1 for flows of one year or none (their sums are per year); the distinct years for
    flows of several analysed together, whose quantities' units then say so."""
    from symbiosis import select_year

    years = load(Path(__file__).parents[1] / "examples" / "years", warn=False)
    assert years.summed_years == 3
    assert select_year(years).summed_years == 1  # a year, its undated flows too
    flows = pd.DataFrame(
        {"source": ["A", "A"], "target": ["B", "B"], "material": ["slag", "ash"],
         "quantity": [1, 2], "unit": ["t", "t"], "category": ["by-product"] * 2}
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SymbiosisWarning)
        assert from_frames(None, flows).summed_years == 1
        assert from_frames(None, flows.assign(year=[2020, None])).summed_years == 1
        assert from_frames(None, flows.assign(year=[2020, 2021])).summed_years == 2
