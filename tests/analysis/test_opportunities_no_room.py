"""A demand row whose total is below what its firm takes now (tester-lib2 defect 2: a
demands file written when a row meant an amount on top): a warning naming the row, and the
candidate shown as having no room, never as a 0 t opportunity used up by itself."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import SymbiosisWarning, from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.cli.opportunities_text import print_opportunities
from symbiosis.export.report_html import report_html
from symbiosis.io.demands import check_demands
from symbiosis.report import Report


def _network():
    firms = pd.DataFrame(
        [("MKT", "", "market"), ("PWR", "power generation", "utility"),
         ("CEM", "cement", "firm"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "CEM", "limestone", 1_000, "kt", "product"),
         ("CEM", "MKT", "cement", 1_200, "kt", "product"),
         ("MKT", "PWR", "coal", 300, "kt", "product"),
         ("PWR", "CEM", "fly ash", 50, "kt", "by-product"),
         ("PWR", "LF", "fly ash", 100, "kt", "by-product")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    return from_frames(firms, flows)


def test_a_demand_below_what_the_firm_takes_warns_and_leaves_no_room(tmp_path, capsys):
    network = _network()
    path = tmp_path / "d3.csv"
    path.write_text("firm,material,material_code,quantity,unit,notes\nCEM,fly ash,,20,kt,\n")
    with pytest.warns(SymbiosisWarning) as caught:
        result = find_opportunities(network, top=20, demands=path)
    said = [str(w.message) for w in caught if "it takes now" in str(w.message)]
    assert said == [
        f"{path}:2: quantity: 'fly ash' for 'CEM' is 20,000 t in all, less than the 50,000 t "
        "it takes now: a demand is the firm's total intake of the material, what it takes "
        "now included, so this row leaves it no room (for 20,000 t more, write 70,000)"
    ]
    assert check_demands(path, network).warnings[-1] == said[0]  # the command line's
    cem = next(o for o in result.listed if o.target == "CEM" and o.material == "fly ash")
    assert cem.no_room and cem.quantity == 0
    skip = next(s for s in result.cumulative.skipped if s.rank == cem.rank)
    assert skip.by is None and skip.to_dict()["by"] is None
    print_opportunities(result)
    text = capsys.readouterr().out
    assert "0 t (no room)" in text and "(capacity: no room from the start)" in text
    page = report_html(network, Report(sections={"opportunities": result}), include_network=False)
    assert "none: no room (a capacity of 0)" in page


def test_a_demand_of_the_total_it_takes_now_or_more_does_not_warn(tmp_path, recwarn):
    path = tmp_path / "d.csv"
    path.write_text("firm,material,quantity,unit\nCEM,fly ash,50,kt\n")
    find_opportunities(_network(), top=20, demands=path)
    assert not [w for w in recwarn if "it takes now" in str(w.message)]
