"""Networks for the HTML tests: hostile names, Chinese names, and big random ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

from symbiosis import FlowNetwork, from_frames

#: Names that would run script or make markup if they were ever put into HTML unescaped.
HOSTILE = {
    "script": '<script>alert("firm")</script>',
    "img": "<img src=x onerror=alert('img')>",
    "json": '"\'><svg onload=alert("svg")> & </script><script>alert("json")</script>',
    "href": 'see href="javascript:alert(1)" <a href="javascript:alert(2)">link</a>',
    "style": "</style><b>bold</b> <!-- --> \u2028 ${alert(3)}",
}


def hostile_network() -> FlowNetwork:
    """Five firms and a landfill whose ids, names, sectors and materials are hostile."""
    h = HOSTILE
    firms = pd.DataFrame(
        {
            "id": ["<b>A</b>", "B", "C", "D", "E", "DUMP"],
            "name": [h["script"], h["img"], h["json"], h["href"], h["style"], h["img"] + " dump"],
            "sector": [h["style"], h["script"], "steel", h["json"], "cement", "landfill"],
            "role": ["firm", "firm", "firm", "recycling", "firm", "landfill"],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["<b>A</b>", "B", "C", "D", "C", "E", "B"],
            "target": ["B", "C", "<b>A</b>", "C", "D", "DUMP", "E"],
            "material": [h["json"], h["img"], h["script"], "slag", h["href"], h["style"], "heat"],
            "quantity": [10.0, 5.0, 2.0, 1.0, 3.0, 4.0, 50.0],
            "unit": ["t", "t", "t", "t", "kt", "t", "MWh"],
            "category": [
                "product",
                "by-product",
                "waste",
                "by-product",
                "waste",
                "waste",
                "by-product",
            ],
        }
    )
    return from_frames(firms, flows)


def chinese_network() -> FlowNetwork:
    """A small copper chain named in Chinese, with a loop (slag concentrate back)."""
    firms = pd.DataFrame(
        {
            "id": ["MINE", "SMELT", "SLAG", "CEM", "DUMP"],
            "name": ["冬瓜山铜矿", "金冠铜业", "渣选矿", "铜陵海螺水泥", "尾矿库"],
            "sector": ["采矿", "冶炼", "渣选", "水泥", "处置"],
            "role": ["mine", "firm", "recycling", "firm", "landfill"],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["MINE", "SMELT", "SLAG", "SLAG", "MINE"],
            "target": ["SMELT", "SLAG", "SMELT", "CEM", "DUMP"],
            "material": ["铜精矿", "铜渣", "渣精矿", "尾渣", "尾矿"],
            "quantity": [150.0, 110.0, 8.6, 100.0, 30.0],
            "unit": ["kt", "kt", "kt", "kt", "kt"],
            "category": ["product", "by-product", "by-product", "by-product", "waste"],
        }
    )
    return from_frames(firms, flows)


def random_network(n_firms: int, n_flows: int, *, seed: int = 0) -> FlowNetwork:
    """A sparse random network: mostly chains forward in id order (some backward, so
    loops exist), heavy-tailed quantities, three dimensions, a market and a landfill."""
    rng = np.random.default_rng(seed)
    ids = [f"F{i:05d}" for i in range(n_firms)]
    sectors = [f"sector {i % 17}" for i in range(n_firms)]
    firms = pd.DataFrame(
        {
            "id": [*ids, "MARKET", "LANDFILL"],
            "name": [f"Firm {i}" for i in range(n_firms)] + ["Market", "Landfill"],
            "sector": [*sectors, "economy", "landfill"],
            "role": ["firm"] * n_firms + ["market", "landfill"],
        }
    )
    source = rng.integers(0, n_firms, n_flows)
    step = rng.integers(1, 40, n_flows) * np.where(rng.random(n_flows) < 0.1, -1, 1)
    target = np.clip(source + step, 0, n_firms - 1)
    target = np.where(target == source, (source + 1) % n_firms, target)
    src = np.array(ids, dtype=object)[source]
    tgt = np.array(ids, dtype=object)[target]
    kind = rng.random(n_flows)
    tgt = np.where(kind < 0.05, "LANDFILL", np.where(kind < 0.10, "MARKET", tgt))
    code = rng.integers(0, 30, n_flows)
    material = np.array([f"material {m}" for m in code], dtype=object)
    unit = np.array(["t", "t", "t", "MWh", "m3"], dtype=object)[code % 5]  # one per material
    frame = pd.DataFrame(
        {
            "source": src,
            "target": tgt,
            "material": material,
            "quantity": np.round(rng.lognormal(5, 2, n_flows), 1),
            "unit": unit,
            "category": rng.choice(np.array(["product", "by-product", "waste"]), n_flows),
        }
    )
    frame = frame.drop_duplicates(["source", "target", "material"]).reset_index(drop=True)
    return from_frames(firms, frame)


#: Sixteen plain names: the stages of :func:`chain_network`.
STAGES = [
    "Acid plant", "Cement works", "Paper mill", "Steel mill", "Power station", "Glass works",
    "Brewery", "Fish farm", "Greenhouse", "Brick works", "Sugar mill", "Chemical plant",
    "Refinery", "Fertiliser plant", "Board mill", "Compost yard",
]  # fmt: skip


def chain_network(stages: int = 16) -> FlowNetwork:
    """A ring of ``stages`` firms (each sends a by-product to the next, the last to the
    first), each fed by a market and sending waste to a landfill: a Sankey of as many
    columns, whose labels once overprinted each other."""
    ids = [f"F{i}" for i in range(stages)]
    firms = pd.DataFrame(
        {
            "id": [*ids, "MKT", "LF"],
            "name": [*STAGES[:stages], "Market", "Landfill"],
            "role": ["firm"] * stages + ["market", "landfill"],
        }
    )
    rows = []
    for i, firm in enumerate(ids):
        rows.append((firm, ids[(i + 1) % stages], f"residue {i}", "by-product", 100 + 10 * i))
        rows += [("MKT", firm, "raw", "product", 1000), (firm, "LF", "waste", "waste", 50)]
    flows = pd.DataFrame(rows, columns=["source", "target", "material", "category", "quantity"])
    flows["unit"] = "t"
    return from_frames(firms, flows)
