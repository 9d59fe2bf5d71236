"""The net value of moving a stream sold already: its sale is earned, so moving it to an
in-network taker changes the buyer, not the revenue. A sawmill's sawdust sold at 20 a
tonne showed a net value of 1.2 million in its redirect to the board mill, and ranked so
with ``--rank-by net_value`` (tester-parks7). A disposed stream's value still counts."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = pd.DataFrame(
    [("SAW", "sawmill", "firm"), ("PB", "particleboard", "firm"),
     ("MKT", "", "market"), ("LF", "", "landfill")],
    columns=["id", "sector", "role"],
)  # fmt: skip
COLUMNS = ["source", "target", "material", "quantity", "unit", "category", "price"]


def _row(fate_target: str):
    flows = [("MKT", "SAW", "logs", 500, "kt", "product", None),
             ("MKT", "PB", "wood chips", 200, "kt", "product", None),
             ("SAW", fate_target, "sawdust", 60, "kt", "by-product", 20.0)]  # fmt: skip
    network = from_frames(FIRMS, pd.DataFrame(flows, columns=COLUMNS))
    table = find_opportunities(network, rank_by="net_value").table
    [row] = table[(table["material"] == "sawdust") & (table["target"] == "PB")].to_dict("records")
    return row


def test_a_sale_earned_already_is_no_gain():
    row = _row("MKT")
    assert row["fate"] == "sold"
    assert row["value"] == pytest.approx(row["quantity"] / 1000 * 20)  # per kt as written
    assert row["net_value"] == 0.0


def test_a_disposed_streams_value_still_counts():
    row = _row("LF")
    assert row["fate"] == "disposed" and row["net_value"] == pytest.approx(row["value"])
