"""A candidate whose receiver has no room (a capacity of 0) ranks after every other row of
its group (tester-cities6, defect 7): Kaiyang's cement kiln, which takes 400 kt of
phosphogypsum, above its set-retarder share, took ranks 9 and 12 of the top list with
"expand phosphogypsum -> CEM, 0 t", ahead of proposals that move something."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = pd.DataFrame(
    [("P1", "phosphate fertilizers", "firm"), ("P2", "phosphate fertilizers", "firm"),
     ("PW", "coal power", "firm"), ("CEM", "cement", "firm"),
     ("PB", "plasterboard", "firm"), ("MKT", "", "market"), ("LF", "", "disposal")],
    columns=["id", "sector", "role"],
)  # fmt: skip


def _network():
    flows = [
        ("MKT", "CEM", "limestone", 600, "kt", "product"),
        ("P1", "CEM", "phosphogypsum", 400, "kt", "by-product"),  # 40 %: above 8.6 %
        ("CEM", "MKT", "cement", 1000, "kt", "product"),
        ("P2", "LF", "phosphogypsum", 300, "kt", "waste"),
        ("PW", "LF", "fly ash", 20, "kt", "waste"),
        ("PW", "LF", "bottom ash", 10, "kt", "waste"),
        ("MKT", "PB", "natural gypsum", 100, "kt", "product"),
        ("PB", "MKT", "plasterboard", 100, "kt", "product"),
    ]
    return from_frames(FIRMS, pd.DataFrame(flows, columns=COLUMNS))


@pytest.mark.parametrize("table", [True, False])
def test_no_room_ranks_after_every_row_that_moves_something(table):
    """The phosphogypsum's first alternative, the kiln (an expansion, 0 t), comes after
    the plasterboard maker's (a redirect or new link of its second round) and every other
    row of known size; the listing (with or without the whole table) says the same."""
    result = find_opportunities(_network(), top=50, table=table)
    dumped = [o for o in result.listed if o.group == "dumped"]
    empty = [o for o in dumped if o.no_room]
    assert [(o.source, o.target) for o in empty] == [("P2", "CEM")]
    moving = [o for o in dumped if not o.no_room]
    assert any(o.target == "PB" for o in moving)
    assert max(o.rank for o in moving) < empty[0].rank  # last of its group


def test_no_room_does_not_crowd_the_top_list():
    """With a top as long as the rows that move something, the kiln's 0 t is not listed;
    it stays in the table, last of its group."""
    whole = find_opportunities(_network(), top=50)
    moving = [o for o in whole.listed if o.group == "dumped" and not o.no_room]
    top = find_opportunities(_network(), top=len(moving), table=False)
    assert not [o for o in top.listed if o.no_room]
    rows = whole.table[whole.table["group"] == "dumped"]
    assert rows["quantity"].iloc[-1] == 0 and rows["target"].iloc[-1] == "CEM"
