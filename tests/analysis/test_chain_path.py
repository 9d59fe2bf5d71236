"""One longest chain, shown so that the chain depth can be checked: hand-computed paths,
ties by id, a loop that is one stage, and the path against the stages on random parks."""

from itertools import pairwise

import pandas as pd
from hypothesis import given, settings

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.structure import resource_city_indicators

from .test_criticality import random_parks

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


ROLES = {"M": "mine", "B": "firm", "A": "firm", "C": "firm", "D": "firm", "MKT": "market"}


def test_one_longest_chain_ties_by_id():
    """M feeds B and A, both feed C: stages 1, 2, 2, 3; A comes before B."""
    rows = [
        ("M", "B", "ore", 1, "t", "product"),
        ("M", "A", "ore", 1, "t", "product"),
        ("B", "C", "x", 1, "t", "product"),
        ("A", "C", "y", 1, "t", "product"),
        ("C", "MKT", "z", 1, "t", "product"),
    ]
    result = resource_city_indicators(network_of(rows, ROLES))
    assert result.chain_depth_longest == 3
    assert [(f, s) for f, _, s in result.chain_path] == [("M", 1), ("A", 2), ("C", 3)]
    assert result.to_dict()["longest_chain"][0] == {"firm": "M", "name": "M", "stage": 1}


def test_a_loop_is_one_stage_and_the_path_names_the_seller():
    """C and D feed each other (one stage, 3); only D sells: the path ends at D, entered
    through A's arc into C (the smallest id one stage before)."""
    rows = [
        ("M", "B", "ore", 1, "t", "product"),
        ("M", "A", "ore", 1, "t", "product"),
        ("B", "C", "x", 1, "t", "product"),
        ("A", "C", "y", 1, "t", "product"),
        ("C", "D", "z", 1, "t", "product"),
        ("D", "C", "w", 1, "t", "product"),
        ("D", "MKT", "v", 1, "t", "product"),
    ]
    result = resource_city_indicators(network_of(rows, ROLES))
    assert [(f, s) for f, _, s in result.chain_path] == [("M", 1), ("A", 2), ("D", 3)]


def test_no_chain_without_an_extraction_actor():
    rows = [("A", "B", "x", 1, "t", "product"), ("B", "MKT", "y", 1, "t", "product")]
    result = resource_city_indicators(network_of(rows, {"A": "firm", "B": "firm",
                                                        "MKT": "market"}))  # fmt: skip
    assert result.chain_depth_longest is None and result.chain_path == ()
    assert result.to_dict()["longest_chain"] == []


@settings(max_examples=25, deadline=None)
@given(random_parks())
def test_the_path_climbs_one_stage_at_a_time_to_the_longest(network):
    """Every actor also sells to the market: the path ends at a deepest actor, and each
    step is a link from the earlier actor into the later one's stage (its loop)."""
    network = ed.apply(
        network, [ed.AddFlow(a, "MKT", "sold", "t", 1.0, "product") for a in network.actors]
    )
    links = set(zip(network.flows["source"], network.flows["target"], strict=True))
    for chain in ("material", "links"):
        result = resource_city_indicators(network, chain=chain)
        path = result.chain_path
        assert len(path) == (result.chain_depth_longest or 0)
        assert [s for _, _, s in path] == list(range(1, len(path) + 1))
        stages = result.stages.set_index("firm")["stage"].fillna(0).astype(int)  # 0: none
        assert all(stages[f] == s for f, _, s in path)
        assert len(path) == stages.max()
        for (before, _, _), (_, _, stage) in pairwise(path):
            assert any(s == before and stages.get(t, 0) == stage for s, t in links)


def test_structure_prints_the_chain_of_jinchang(tmp_path):
    """The tester's Jinchang: 7 stages, through the acid plant (text, JSON and the
    report's structure section)."""
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from symbiosis.cli import app

    folder = Path(__file__).parents[1] / "data" / "resource_cities" / "jinchang"
    runner = CliRunner()
    text = runner.invoke(app, ["structure", str(folder), "-q"]).stdout
    assert (
        "One longest chain (stage in brackets): JC_MINE (1) -> JC_CONC (2) -> NI_SMELT (3) "
        "-> ACID (4) -> NI_REF (5) -> CO_PLANT (6) -> PRECURSOR (7)"
    ) in " ".join(text.split())
    data = json.loads(runner.invoke(app, ["structure", str(folder), "-q", "-f", "json"]).stdout)
    assert [step["firm"] for step in data["longest_chain"]][2:4] == ["NI_SMELT", "ACID"]
    report = tmp_path / "report.html"
    runner.invoke(app, ["report", str(folder), "--out", str(report), "-q"])
    html = report.read_text(encoding="utf-8")
    assert 'longest chain <span class="count">(7)' in html and "PRECURSOR" in html
