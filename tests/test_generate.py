"""Tests for the synthetic network generator in benchmarks/generate.py (kept small and fast)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

GENERATOR_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("_symbiosis_bench_generate", GENERATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

FIRM_COLUMNS = ["id", "name", "sector", "role", "lat", "lon", "region"]
FLOW_COLUMNS = ["source", "target", "material", "category", "quantity", "unit"]
ACTOR_ROLES = {"firm", "extraction", "recycling", "treatment", "utility", "household"}
BOUNDARY_ROLES = {"market", "disposal", "environment"}
UNIT_DIMENSION = {"t": "mass", "MWh": "energy", "GJ": "energy", "m3": "volume"}
N_FLOWS = 3_000


def _read(firms_path: Path, flows_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    firms = pd.read_csv(firms_path, dtype=str, keep_default_na=False)
    flows = pd.read_csv(flows_path, dtype=str, keep_default_na=False)
    return firms, flows


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    firms_path, flows_path = gen.generate(N_FLOWS, 7, tmp_path_factory.mktemp("net"))
    return _read(firms_path, flows_path)


def _largest_actor_scc(firms: pd.DataFrame, flows: pd.DataFrame) -> tuple[int, int]:
    actors = firms.loc[firms.role.isin(ACTOR_ROLES), "id"].to_numpy()
    index = pd.Index(actors)
    s = index.get_indexer(flows.source)
    t = index.get_indexer(flows.target)
    keep = (s >= 0) & (t >= 0)
    n = len(actors)
    graph = coo_matrix((np.ones(keep.sum()), (s[keep], t[keep])), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels)
    return int(sizes.max()), int((sizes > 1).sum())


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = gen.generate(800, 3, tmp_path / "a")
    b = gen.generate(800, 3, tmp_path / "b")
    c = gen.generate(800, 4, tmp_path / "c")
    for pa_, pb in zip(a, b, strict=True):
        assert pa_.read_bytes() == pb.read_bytes()
    assert a[1].read_bytes() != c[1].read_bytes()
    assert a[0].read_bytes() != c[0].read_bytes()


def test_returns_paths_named_like_the_input_format(tmp_path):
    firms_path, flows_path = gen.generate(50, 1, tmp_path / "out")
    assert firms_path == tmp_path / "out" / "firms.csv"
    assert flows_path == tmp_path / "out" / "flows.csv"


@pytest.mark.parametrize("n_flows", [1, 2, 10, 97, 1_000, 4_321])
def test_row_counts(tmp_path, n_flows):
    firms_path, flows_path = gen.generate(n_flows, 11, tmp_path)
    firms, flows = _read(firms_path, flows_path)
    assert len(flows) == n_flows
    n_actors = int(firms.role.isin(ACTOR_ROLES).sum())
    assert n_actors == max(3, round(n_flows / 3))
    assert flows_path.read_bytes().count(b"\n") == n_flows + 1


def test_schema(network):
    firms, flows = network
    assert list(firms.columns) == FIRM_COLUMNS
    assert list(flows.columns) == FLOW_COLUMNS
    assert firms.id.is_unique
    assert set(firms.role) <= ACTOR_ROLES | BOUNDARY_ROLES
    assert set(flows.category) <= {"product", "by-product", "waste", "emission"}
    assert set(flows.unit) <= set(UNIT_DIMENSION)


def test_no_self_flows(network):
    _, flows = network
    assert (flows.source != flows.target).all()


def test_no_duplicate_rows(network):
    _, flows = network
    assert not flows.duplicated().any()
    assert not flows.duplicated(["source", "target", "material"]).any()


def test_every_endpoint_is_a_listed_node(network):
    firms, flows = network
    ids = set(firms.id)
    assert set(flows.source) <= ids
    assert set(flows.target) <= ids


def test_one_unit_and_dimension_per_material(network):
    _, flows = network
    units = flows.groupby("material").unit.nunique()
    assert (units == 1).all()
    dims = flows.assign(dim=flows.unit.map(UNIT_DIMENSION)).groupby("material").dim.nunique()
    assert (dims == 1).all()
    assert set(flows.unit.map(UNIT_DIMENSION)) == {"mass", "energy", "volume"}
    assert flows.material.nunique() > 40


def test_the_material_table_is_consistent():
    names = [m[0] for m in gen.MATERIALS]
    assert len(names) == len(set(names))
    assert 70 <= len(names) <= 90
    assert {m[1] for m in gen.MATERIALS} == set(UNIT_DIMENSION)
    for sector in gen.SECTORS:
        for name in gen.SIGNATURES[sector[0]].split(";"):
            assert name.strip() in names


def test_quantities_are_positive_plain_decimals(network):
    _, flows = network
    given = flows.quantity[flows.quantity != ""]
    assert given.str.fullmatch(r"\d+(\.\d+)?").all()
    values = given.astype(float)
    assert (values > 0).all()
    assert values.max() / values.min() > 1e4  # heavy-tailed
    missing = (flows.quantity == "").mean()
    assert 0 < missing < 0.02


def test_missing_share_option(tmp_path):
    _, flows = _read(*gen.generate(2_000, 5, tmp_path / "none", missing_share=0.0))
    assert (flows.quantity != "").all()
    _, flows = _read(*gen.generate(2_000, 5, tmp_path / "many", missing_share=0.2))
    assert 0.15 < (flows.quantity == "").mean() < 0.25


def test_boundary_nodes(network):
    firms, flows = network
    roles = firms.set_index("id").role
    assert roles["MARKET"] == "market"
    assert roles["ENV"] == "environment"
    assert (roles == "market").sum() == 1
    assert (roles == "environment").sum() == 1
    assert 1 <= (roles == "disposal").sum() <= 8
    target_role = flows.target.map(roles)
    source_role = flows.source.map(roles)
    # every kind of boundary row is present
    assert (target_role == "market").any()
    assert (source_role == "market").any()
    assert (target_role == "disposal").any()
    assert (target_role == "environment").any()
    # boundary rows have the right categories and directions
    assert (flows.category[target_role == "environment"] == "emission").all()
    assert (flows.category == "emission").sum() == (target_role == "environment").sum()
    assert set(flows.category[target_role == "disposal"]) <= {"waste", "by-product"}
    assert set(flows.category[target_role == "market"]) <= {"product", "by-product"}
    assert (flows.category[source_role == "market"] == "product").all()
    assert not source_role.isin({"environment", "disposal"}).any()
    imports_to = set(firms.set_index("id").sector[flows.target[source_role == "market"]])
    assert imports_to <= {s[0] for s in gen.SECTORS if s[2] <= 1}
    residual = target_role.isin({"disposal", "environment"}).mean()
    assert 0.08 < residual < 0.2


def test_region_share_of_actor_flows(network):
    firms, flows = network
    info = firms.set_index("id")
    actor = flows.source.map(info.role).isin(ACTOR_ROLES) & flows.target.map(info.role).isin(
        ACTOR_ROLES
    )
    same = flows.source.map(info.region)[actor] == flows.target.map(info.region)[actor]
    assert 0.85 < same.mean() < 0.95


def test_loops_exist_among_actors(network):
    firms, flows = network
    largest, count = _largest_actor_scc(firms, flows)
    assert largest >= 3
    assert 1 <= count <= 20
    # the loops live in the cores: most actor firms are not in any cycle
    assert largest < 0.1 * firms.role.isin(ACTOR_ROLES).sum()


def test_core_size_sets_the_largest_component(tmp_path):
    firms, flows = _read(*gen.generate(N_FLOWS, 7, tmp_path, core_size=300))
    largest, _ = _largest_actor_scc(firms, flows)
    assert 0.5 * 300 <= largest <= 300
    with pytest.raises(ValueError):
        gen.generate(300, 1, tmp_path / "bad", core_size=1_000)


def test_build_tables_matches_files(tmp_path):
    firms, flows = gen.build_tables(500, 2)
    assert flows.num_rows == 500
    assert flows.column_names == FLOW_COLUMNS
    assert firms.column_names == FIRM_COLUMNS
    largest, _ = gen.largest_actor_scc(firms, flows)
    f2, fl2 = _read(*gen.generate(500, 2, tmp_path))
    assert largest == _largest_actor_scc(f2, fl2)[0]


@pytest.mark.parametrize(
    ("text", "value"), [("1000", 1000), ("1_000", 1000), ("10k", 10_000), ("1M", 1_000_000)]
)
def test_parse_count(text, value):
    assert gen.parse_count(text) == value


def test_cli(tmp_path, capsys):
    assert gen.main(["--flows", "1k", "--seed", "2", "--out", str(tmp_path), "--stats"]) == 0
    out = capsys.readouterr().out
    assert "largest actor SCC" in out
    _, flows = _read(tmp_path / "firms.csv", tmp_path / "flows.csv")
    assert len(flows) == 1_000


def test_park_size_bounds_the_largest_core():
    firms, flows = gen.build_tables(30_000, seed=3, park_size=60)
    largest, count = gen.largest_actor_scc(firms, flows)
    assert 10 <= largest <= 72  # about the park size: neighbours may join a park
    assert count >= 10
