"""Networks for the reuse, balance and structure tests: small hand-made ones, and a
hypothesis strategy drawing random valid networks."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from symbiosis import FlowNetwork, from_frames

FLOW_COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network(firms: list[tuple], flows: list[tuple]) -> FlowNetwork:
    """Build a network from ``(id, role[, sector])`` and ``(source, target, material,
    quantity, unit, category)`` tuples (quantity ``None`` = unknown size)."""
    firm_rows = [(f[0], f[1], f[2] if len(f) > 2 else "") for f in firms]
    firm_frame = pd.DataFrame(firm_rows, columns=["id", "role", "sector"])
    return from_frames(firm_frame, pd.DataFrame(flows, columns=FLOW_COLUMNS))


# A small industrial park, accounted by hand in test_reuse.py and test_balance.py.
PARK_FIRMS = [
    ("mine", "extraction"),
    ("smelter", "firm"),
    ("cement", "firm"),
    ("backfill", "recycling"),
    ("recycler", "recycling"),
    ("sewage", "treatment"),
    ("market", "market"),
    ("landfill", "disposal"),
    ("air", "environment"),
    ("river", "environment"),
]
PARK_FLOWS = [
    ("mine", "smelter", "copper ore", 1000, "t", "product"),
    ("mine", "backfill", "tailings", 600, "t", "waste"),
    ("mine", "landfill", "Tailings", 200, "t", "waste"),
    ("smelter", "cement", "Slag", 300, "t", "by-product"),
    ("smelter", "landfill", "slag", 100, "t", "waste"),
    ("smelter", "market", "sulfuric acid", 0.5, "kt", "by-product"),
    ("smelter", "air", "SO2", 2, "t", "emission"),
    ("smelter", "sewage", "wastewater", 1000, "m3", "waste"),
    ("sewage", "river", "treated effluent", 1000, "m3", "emission"),
    ("market", "smelter", "copper scrap", 50, "t", "waste"),
    ("smelter", "market", "copper cathode", 400, "t", "product"),
    ("smelter", "cement", "flue dust", None, "", "by-product"),
    ("recycler", "cement", "recycled aggregate", 100, "t", "product"),
    ("cement", "market", "cement", 2000, "t", "product"),
]


def park() -> FlowNetwork:
    return network(PARK_FIRMS, PARK_FLOWS)


ACTOR_ROLES = ["firm", "extraction", "recycling", "treatment", "utility", "household"]
BOUNDARY = [("MKT", "market"), ("DUMP", "disposal"), ("AIR", "environment")]
CATEGORIES = ["product", "by-product", "waste", "emission"]
# one unit per material keeps the "one dimension per material" rule
MATERIAL_UNITS = {"slag": "t", "ash": "kg", "gypsum": "kt", "heat": "MWh", "water": "m3"}


@st.composite
def random_frames(draw, max_actors: int = 6, max_flows: int = 25):
    """(firms, flows) DataFrames of a random valid network."""
    n = draw(st.integers(2, max_actors))
    roles = draw(st.lists(st.sampled_from(ACTOR_ROLES), min_size=n, max_size=n))
    sectors = draw(
        st.lists(st.sampled_from(["metal", "cement", "chem", ""]), min_size=n, max_size=n)
    )
    firms = [(f"F{i}", roles[i], sectors[i]) for i in range(n)] + [
        (node, role, "") for node, role in BOUNDARY
    ]
    ids = [f[0] for f in firms]
    rows = []
    for _ in range(draw(st.integers(1, max_flows))):
        source = draw(st.sampled_from(ids))
        target = draw(st.sampled_from([i for i in ids if i != source]))
        material = draw(st.sampled_from(sorted(MATERIAL_UNITS)))
        quantity = draw(
            st.one_of(
                st.none(),
                st.floats(0, 1e6, allow_nan=False).map(lambda q: round(q, 3)),
            )
        )
        rows.append(
            (
                source,
                target,
                material,
                quantity,
                MATERIAL_UNITS[material],
                draw(st.sampled_from(CATEGORIES)),
            )
        )
    flows = pd.DataFrame(rows, columns=FLOW_COLUMNS).drop_duplicates()
    return pd.DataFrame(firms, columns=["id", "role", "sector"]), flows


def build(frames) -> FlowNetwork:
    firms, flows = frames
    return from_frames(firms, flows)
