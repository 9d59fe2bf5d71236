"""The cumulative effect of the listed opportunities names each loop it closes once
(tester cities3, defect 9: the plan said "closes the loop CCPP -> PP -> CCPP" and again
"closes the loop PP -> CCPP -> PP", one loop closed by its two new links)."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.impact import distinct_cycles
from symbiosis.catalogue import load_catalogue

FIRMS = [("A", "steel works", "firm"), ("B", "cement", "firm"), ("S", "quarry", "firm"),
         ("LF", "", "disposal")]  # fmt: skip
#: A dumps a slag that B takes from S; B dumps a fly ash that A takes from S: the plan
#: links A -> B and B -> A, each closing the loop A -> B -> A.
FLOWS = [("A", "LF", "steel slag", 100, "kt", "waste"),
         ("S", "B", "steel slag", 50, "kt", "by-product"),
         ("B", "LF", "coal fly ash", 80, "kt", "waste"),
         ("S", "A", "coal fly ash", 40, "kt", "by-product")]  # fmt: skip


def test_a_loop_closed_by_both_of_its_new_links_is_named_once(tmp_path):
    path = tmp_path / "pathways.csv"  # no catalogue row: the network's evidence alone
    path.write_text("id,material,receiving_sector,source\nx,unobtainium,mining,a\n")
    columns = ["source", "target", "material", "quantity", "unit", "category"]
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=columns))  # fmt: skip
    result = find_opportunities(network, load_catalogue(path, replace=True), top=50)
    links = {(o.source, o.target) for o in result.listed if o.kind != "new_plant"}
    assert {("A", "B"), ("B", "A")} <= links
    assert result.cumulative is not None
    assert len(result.cumulative.applied) >= 2
    assert len(result.cumulative.impact.loops) == 1
    assert set(result.cumulative.impact.loops[0]) == {"A", "B"}


def test_only_rotations_are_the_same_cycle():
    loops = [("A", "B"), ("B", "A"), ("A", "B", "C"), ("C", "A", "B"), ("A", "C", "B"),
             ("B", "C")]  # fmt: skip
    # A -> C -> B -> A runs the other way round from A -> B -> C -> A: another cycle
    assert distinct_cycles(loops) == (("A", "B"), ("A", "B", "C"), ("A", "C", "B"), ("B", "C"))
    assert distinct_cycles([]) == ()
