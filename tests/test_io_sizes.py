"""Flows with no size (io/quantities.py: size_warnings): no quantity, or a quantity of 0.

Found by a tester (agro11): a sugarcane mill's two flows of 0 t (a steam link kept for
its structure, an emission that did not happen) were read without a word, each a stream
of the reuse share by count.
"""

from __future__ import annotations

import warnings

import symbiosis

HEADER = "source,target,material,quantity,unit,category\n"


def loaded(tmp_path, rows: str):
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return symbiosis.load(path)


def test_flows_of_zero_are_warned_of_and_named(tmp_path):
    network = loaded(
        tmp_path,
        "USI,DEST,bagaço,730000,t,by-product\nCOGEN,DEST,vapor de processo,0,t,product\n"
        "DEST,ATM,óleo fúsel,0.0,t,emission\nDEST,LAV,vinhaça,,m3,by-product\n",
    )
    said = [w for w in network.warnings if "quantity of 0" in w]
    assert said == [
        f"{tmp_path / 'flows.csv'}: 2 flow(s) have a quantity of 0 (rows 3 'vapor de processo', "
        "4 'óleo fúsel'): each is kept as a link, in loops and structure and as a stream of "
        "the reuse share by count, and adds nothing to any sum; delete the rows of links that "
        "carried nothing, or leave the quantity empty where the size is unknown"
    ]
    assert len([w for w in network.warnings if "have no quantity" in w]) == 1
    assert len(network.flows) == 4  # read, as before: the warning says what they count in


def test_many_flows_of_zero_are_cut_short(tmp_path):
    rows = "".join(f"A,B,m{i},0,t,waste\n" for i in range(7))
    said = [w for w in loaded(tmp_path, rows).warnings if "quantity of 0" in w]
    assert len(said) == 1
    assert (
        "7 flow(s) have a quantity of 0 (rows 2 'm0', 3 'm1', 4 'm2', 5 'm3', 6 'm4' ...)"
        in (said[0])
    )


def test_no_zero_warning_without_a_flow_of_zero(tmp_path):
    network = loaded(tmp_path, "A,B,slag,0.5,t,waste\nB,C,slag,,t,waste\n")
    assert [w for w in network.warnings if "quantity of 0" in w] == []
