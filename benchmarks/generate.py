"""Seeded synthetic industrial-symbiosis networks for benchmarks and tests.

Writes ``firms.csv`` and ``flows.csv`` in the project's input format, shaped like a regional
by-product / waste-transfer register::

    python benchmarks/generate.py --flows 1000000 --seed 1 --out DIR [--core-size 8000]
                                  [--missing-share 0.005] [--stats]

``--flows`` also accepts ``1k``, ``10k``, ``1M``. From Python (import the file by path, the
``benchmarks`` folder is not installed)::

    firms_path, flows_path = generate(100_000, seed=1, out_dir="bench/100k")
    firms, flows = build_tables(1_000, seed=1)  # pyarrow tables, nothing written

Same ``(n_flows, seed, core_size, missing_share)`` gives byte-identical files (for a given numpy
version: the streams of ``numpy.random.Generator`` are stable within a numpy release line).

Shape (after the "Method" section of the project's performance notes):

* ``n_flows / 3`` actor firms in regions of about 150, laid out on a serpentine grid (regions next
  to each other in the region order are also next to each other on the map), plus the boundary
  nodes ``MARKET`` (role market), ``ENV`` (role environment) and one landfill and one tailings
  pond per disposal district (at most 4 districts, so at most 8 disposal nodes).
* 34 sectors in supply chains (extraction -> processing -> fabrication -> final use, with
  utilities, recyclers, treatment plants and households). Inside a region the firms are ranked by
  chain stage, and actor-to-actor flows go forward in that rank order (a supply-chain DAG). 90% of
  them stay in the region; the others go forward in the region order, to a nearby region.
* Pareto out-activity and in-attractiveness, rank-correlated (big firms both receive and send a
  lot), so there are hub processors; quantities scale with firm size. Every firm sends at least
  one exchange and 92% receive one from upstream (a register lists firms because they exchange).
* Four "core" regions (industrial parks) hold 10% of the firms, and there 25% of the flows run
  backwards, so strongly connected components (loops) exist only in the cores. ``core_size=N``
  replaces them by one core of N firms: the largest component is then about 0.92 N whatever the
  number of flows (the cost of the Finn cycling index follows the largest component).
  ``park_size=N`` spreads the same 10% of firms over many parks of about N firms instead (a
  regional register of many eco-industrial parks: largest component about N).
* Row mix: 78% actor-to-actor exchanges (products, by-products, wastes), 8% residues to disposal
  (waste, some by-product), 5% emissions to ``ENV``, 6% sales to ``MARKET`` (products and
  by-products) and 3% imports from ``MARKET`` into extraction and processing firms (and utilities).
* 82 materials with Zipf popularity, tilted towards the typical outputs of the sending sector
  (a smelter sends slag, acid and anode slime, a farm grain and manure). Every material has one
  unit everywhere: ``t`` (mass), ``MWh`` or ``GJ`` (energy), ``m3`` (volume).
* Quantities are lognormal, rounded to 3 significant digits and printed as plain decimals
  (between 0.01 and 9.99e9, so never in scientific notation). ``missing_share`` of the rows
  (default 0.5%) have an empty quantity: a known link of unknown size.
* No self-flows. (source, target, material) is unique, so no two rows are identical. Firm ids
  are handed out in random order, and rows are sorted by source id, target id and material.

Measured with seed 1 and default options. Time is ``generate()`` alone (building and writing
both files), in CPU seconds after a warm-up call, because the 2-vCPU project machine was shared
with other jobs during the measurement. Wall clock for 1M flows was 6 to 10 s on the loaded
machine, against about 2 s on the idle machine with an earlier revision of this file. Importing
the module with numpy and pyarrow takes about 0.3 s more, and the first call pays another 0.3 s
for pyarrow's lazy import of pandas. "largest SCC" counts actor firms only (boundary nodes
removed). The targets in the performance notes are 5 / 77 / 735 / 7,834.

=========  =======  =========  =========  =========  ===========  ==========
flows      nodes    CPU time   flows.csv  firms.csv  largest SCC  cyclic SCC
=========  =======  =========  =========  =========  ===========  ==========
1,000      337      0.01 s     40 kB      25 kB      5            6
10,000     3,337    0.03 s     403 kB     249 kB     82           4
100,000    33,343   0.19 s     4.2 MB     2.5 MB     785          4
1,000,000  333,343  1.8 s      43.9 MB    25.1 MB    7,779        5
=========  =======  =========  =========  =========  ===========  ==========

"nodes" are actor firms plus 4 or 10 boundary nodes; "cyclic SCC" counts the components with more
than one firm. With ``core_size=8000`` the largest SCC is 7,316 at 100k flows and 7,424 at 1M.
Other seeds move the largest SCC by a few percent (1M: 7,774 to 7,794 for seeds 1 to 3).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["build_tables", "generate", "largest_actor_scc", "parse_count"]

FIRM_COLUMNS = ("id", "name", "sector", "role", "lat", "lon", "region")
FLOW_COLUMNS = ("source", "target", "material", "category", "quantity", "unit")
UNIT_DIMENSION = {"t": "mass", "MWh": "energy", "GJ": "energy", "m3": "volume"}
ACTOR_ROLES = frozenset({"firm", "extraction", "recycling", "treatment", "utility", "household"})
BOUNDARY_ROLES = frozenset({"market", "disposal", "environment"})

# --- shape parameters --------------------------------------------------------------------------
FLOWS_PER_FIRM = 3.0  # n_firms ~ n_flows / 3
REGION_SIZE = 150  # firms per ordinary region
N_CORES = 4  # cyclic core regions (industrial parks) ...
CORE_SHARE = 0.10  # ... holding this share of the firms
P_LOCAL = 0.90  # share of actor flows that stay inside the source's region
P_BACKWARD = 0.25  # share of in-region flows that run backwards in a core region
P_NEXT_REGION = 0.4  # cross-region offset ~ geometric(P_NEXT_REGION): 1, 2, 3, ... regions on
P_IN_BASE = 0.92  # share of firms that get one guaranteed incoming exchange
P_SAME_PAIR = 0.5  # chance that a firm's next exchange goes to the same partner
PARETO_OUT = 1.5  # Pareto shape of out-activity (smaller = stronger hubs)
PARETO_IN = 1.3  # Pareto shape of in-attractiveness
ACTIVITY_CORRELATION = 0.8  # rank correlation of a firm's out-activity and in-attractiveness
MAX_DISTRICTS = 4  # disposal districts, each with one landfill and one tailings pond
ROW_MIX = {  # share of rows per kind; actor-to-actor exchanges take the rest
    "disposal": 0.08,
    "emission": 0.05,
    "sale": 0.06,
    "import": 0.03,
}
OVERSAMPLE = {"actor": 1.03, "disposal": 1.15, "emission": 1.15, "sale": 1.2, "import": 1.2}
ZIPF_EXPONENT = 1.0
FAMILY_TILT = 0.005  # weight of materials outside the source sector's families
SIGMA_QUANTITY = 1.6  # lognormal sigma of quantities (on top of the firm-size factor)
P_BYPRODUCT = 0.65  # residues exchanged between actors: by-product, else waste
P_DISPOSAL_WASTE = 0.85  # residues sent to disposal: waste, else by-product
LAT_RANGE = (36.0, 56.0)
LON_RANGE = (-6.0, 26.0)

# sector, role, chain stage, families of its outputs, noun used in firm names, relative frequency
SECTORS = (
    ("copper mining", "extraction", 0, "metals", "Copper Mine", 0.8),
    ("iron ore mining", "extraction", 0, "metals", "Iron Mine", 0.8),
    ("quarrying", "extraction", 0, "minerals", "Quarry", 1.5),
    ("coal mining", "extraction", 0, "energy minerals", "Colliery", 0.7),
    ("phosphate mining", "extraction", 0, "chemicals minerals", "Phosphate Mine", 0.4),
    ("forestry", "extraction", 0, "biomass", "Forestry", 1.0),
    ("agriculture", "extraction", 0, "biomass", "Farm", 2.0),
    ("copper smelting", "firm", 1, "metals chemicals", "Smelter", 0.8),
    ("iron and steel", "firm", 1, "metals minerals", "Steelworks", 1.0),
    ("cement", "firm", 1, "minerals", "Cement Works", 1.0),
    ("basic chemicals", "firm", 1, "chemicals", "Chemical Works", 1.5),
    ("petroleum refining", "firm", 1, "chemicals energy", "Refinery", 0.4),
    ("sawmilling", "firm", 1, "biomass", "Sawmill", 1.0),
    ("food processing", "firm", 1, "biomass", "Food Plant", 2.0),
    ("power generation", "utility", 1, "energy minerals", "Power Station", 1.0),
    ("water supply", "utility", 1, "water", "Waterworks", 0.5),
    ("metal fabrication", "firm", 2, "metals", "Metalworks", 2.5),
    ("copper semi-fabrication", "firm", 2, "metals", "Wire Mill", 0.8),
    ("concrete products", "firm", 2, "minerals", "Concrete Plant", 1.2),
    ("glass", "firm", 2, "minerals", "Glassworks", 0.5),
    ("fertilizers", "firm", 2, "chemicals", "Fertilizer Plant", 0.6),
    ("plastics", "firm", 2, "chemicals", "Plastics Plant", 1.2),
    ("pulp and paper", "firm", 2, "biomass", "Paper Mill", 0.8),
    ("beverages", "firm", 2, "biomass", "Brewery", 0.8),
    ("district heating", "utility", 2, "energy", "Heating Plant", 0.5),
    ("scrap recycling", "recycling", 2, "metals general", "Scrap Yard", 1.2),
    ("composting and digestion", "recycling", 2, "biomass energy", "Biogas Plant", 0.6),
    ("machinery", "firm", 3, "metals", "Engineering Works", 2.0),
    ("construction", "firm", 3, "minerals", "Builders", 2.0),
    ("packaging", "firm", 3, "biomass chemicals", "Packaging Plant", 1.0),
    ("wastewater treatment", "treatment", 3, "water", "Sewage Works", 0.6),
    ("waste management", "treatment", 3, "general energy", "Waste Centre", 0.8),
    ("material recovery", "recycling", 3, "general metals", "Recovery Facility", 0.6),
    ("households", "household", 3, "general biomass", "Households", 0.5),
)
UBIQUITOUS_FAMILIES = {"general": 0.15, "water": 0.15}  # every sector emits some of these
SIGNATURE_WEIGHT = 20.0  # weight of a sector's typical outputs (family materials weigh 1)
SIGNATURES = {  # typical outputs of each sector
    "copper mining": "copper concentrate; mine tailings; waste rock",
    "iron ore mining": "iron ore; mine tailings; waste rock",
    "quarrying": "limestone; aggregates",
    "coal mining": "coal; waste rock",
    "phosphate mining": "mine tailings; waste rock",
    "forestry": "timber; wood chips; bark",
    "agriculture": "grain; animal manure; food waste",
    "copper smelting": "cathode copper; copper slag; sulfuric acid; anode slime; waste heat; steam",
    "iron and steel": "pig iron; steel billets; hot-rolled coil; blast furnace slag; steel slag; "
    "mill scale; EAF dust; waste heat",
    "cement": "cement clinker; cement; waste heat",
    "basic chemicals": "sulfuric acid; caustic soda; ammonia; methanol; spent catalyst; "
    "waste solvents; steam",
    "petroleum refining": "natural gas; spent catalyst; steam; used oil",
    "sawmilling": "timber; sawdust; bark; wood chips",
    "food processing": "food waste; molasses; vegetable oil; wastewater",
    "power generation": "electricity; steam; fly ash; bottom ash; FGD gypsum; waste heat",
    "water supply": "process water; demineralised water; sewage sludge",
    "metal fabrication": "scrap steel; mill scale; used oil; foundry sand",
    "copper semi-fabrication": "copper rod; copper scrap",
    "concrete products": "ready-mixed concrete; construction and demolition waste",
    "glass": "glass cullet; waste heat",
    "fertilizers": "fertilizer; phosphogypsum",
    "plastics": "plastic pellets; waste plastics",
    "pulp and paper": "pulp; paper; black liquor; bark; sewage sludge",
    "beverages": "spent grain; carbon dioxide; wastewater",
    "district heating": "hot water; steam; bottom ash",
    "scrap recycling": "scrap steel; copper scrap; aluminium scrap",
    "composting and digestion": "biogas; digestate",
    "machinery": "scrap steel; used oil; packaging waste",
    "construction": "construction and demolition waste",
    "packaging": "waste paper; packaging waste",
    "wastewater treatment": "treated effluent; sewage sludge; biogas",
    "waste management": "refuse-derived fuel; bottom ash; electricity; mixed municipal waste",
    "material recovery": "glass cullet; waste paper; waste plastics; aluminium scrap",
    "households": "mixed municipal waste; food waste; waste paper; packaging waste; glass cullet",
}

# Materials in Zipf popularity order: name, unit, kind, family, median quantity, pools.
# kind: product / residue / emission. Pools: x actor exchange, s sold to MARKET, i imported from
# MARKET, d sent to disposal, t disposal in a tailings pond (not a landfill), e released to ENV.
MATERIALS = (
    ("steam", "GJ", "product", "energy", 20_000, "xs"),
    ("fly ash", "t", "residue", "minerals", 5_000, "xds"),
    ("scrap steel", "t", "residue", "metals", 2_000, "xds"),
    ("electricity", "MWh", "product", "energy", 5_000, "xsi"),
    ("waste heat", "MWh", "residue", "energy", 8_000, "xe"),
    ("process water", "m3", "product", "water", 50_000, "xsi"),
    ("FGD gypsum", "t", "residue", "minerals", 3_000, "xds"),
    ("blast furnace slag", "t", "residue", "metals", 20_000, "xds"),
    ("carbon dioxide", "t", "residue", "energy", 20_000, "xe"),
    ("treated effluent", "m3", "residue", "water", 30_000, "xe"),
    ("sewage sludge", "t", "residue", "water", 1_000, "xd"),
    ("wood chips", "t", "product", "biomass", 2_000, "xsi"),
    ("sulfuric acid", "t", "product", "chemicals", 2_000, "xsi"),
    ("limestone", "t", "product", "minerals", 10_000, "xsi"),
    ("bottom ash", "t", "residue", "minerals", 3_000, "xd"),
    ("coal", "t", "product", "energy", 20_000, "xsi"),
    ("cement", "t", "product", "minerals", 10_000, "xs"),
    ("aggregates", "t", "product", "minerals", 20_000, "xs"),
    ("natural gas", "GJ", "product", "energy", 50_000, "xsi"),
    ("food waste", "t", "residue", "biomass", 300, "xd"),
    ("sawdust", "t", "residue", "biomass", 500, "xds"),
    ("waste paper", "t", "residue", "general", 500, "xds"),
    ("copper concentrate", "t", "product", "metals", 10_000, "xsi"),
    ("steel slag", "t", "residue", "metals", 8_000, "xd"),
    ("construction and demolition waste", "t", "residue", "minerals", 5_000, "xd"),
    ("mine tailings", "t", "residue", "metals", 50_000, "xdt"),
    ("sulfur dioxide", "t", "emission", "energy", 50, "e"),
    ("nitrogen oxides", "t", "emission", "energy", 40, "e"),
    ("wastewater", "m3", "residue", "water", 20_000, "xe"),
    ("iron ore", "t", "product", "metals", 50_000, "xsi"),
    ("copper slag", "t", "residue", "metals", 10_000, "xd"),
    ("waste plastics", "t", "residue", "general", 300, "xds"),
    ("used oil", "t", "residue", "general", 50, "xd"),
    ("caustic soda", "t", "product", "chemicals", 500, "xsi"),
    ("spent grain", "t", "residue", "biomass", 1_000, "xd"),
    ("cathode copper", "t", "product", "metals", 5_000, "xs"),
    ("hot water", "GJ", "product", "energy", 10_000, "xs"),
    ("cooling water", "m3", "product", "water", 100_000, "xe"),
    ("particulate matter", "t", "emission", "minerals", 10, "e"),
    ("timber", "t", "product", "biomass", 3_000, "xsi"),
    ("pig iron", "t", "product", "metals", 20_000, "xs"),
    ("hot-rolled coil", "t", "product", "metals", 10_000, "xs"),
    ("phosphogypsum", "t", "residue", "chemicals", 20_000, "xdt"),
    ("animal manure", "t", "residue", "biomass", 2_000, "xd"),
    ("biogas", "GJ", "product", "energy", 5_000, "xs"),
    ("copper scrap", "t", "residue", "metals", 500, "xs"),
    ("ammonia", "t", "product", "chemicals", 1_000, "xsi"),
    ("methane", "t", "emission", "biomass", 100, "e"),
    ("glass cullet", "t", "residue", "minerals", 500, "xd"),
    ("quicklime", "t", "product", "minerals", 2_000, "xs"),
    ("cement clinker", "t", "product", "minerals", 10_000, "xs"),
    ("pulp", "t", "product", "biomass", 5_000, "xs"),
    ("paper", "t", "product", "biomass", 3_000, "xs"),
    ("fertilizer", "t", "product", "chemicals", 2_000, "xs"),
    ("refuse-derived fuel", "t", "residue", "general", 1_000, "xd"),
    ("waste rock", "t", "residue", "metals", 100_000, "xdt"),
    ("mill scale", "t", "residue", "metals", 500, "xd"),
    ("foundry sand", "t", "residue", "metals", 1_000, "xd"),
    ("red mud", "t", "residue", "minerals", 20_000, "xdt"),
    ("bark", "t", "residue", "biomass", 500, "xd"),
    ("black liquor", "t", "residue", "biomass", 5_000, "x"),
    ("molasses", "t", "residue", "biomass", 1_000, "xs"),
    ("spent catalyst", "t", "residue", "chemicals", 20, "xd"),
    ("waste solvents", "t", "residue", "chemicals", 50, "x"),
    ("packaging waste", "t", "residue", "general", 200, "xd"),
    ("mixed municipal waste", "t", "residue", "general", 2_000, "xd"),
    ("waste tyres", "t", "residue", "general", 100, "xd"),
    ("volatile organic compounds", "t", "emission", "chemicals", 5, "e"),
    ("grain", "t", "product", "biomass", 5_000, "xsi"),
    ("vegetable oil", "t", "product", "biomass", 500, "xs"),
    ("methanol", "t", "product", "chemicals", 1_000, "xs"),
    ("plastic pellets", "t", "product", "chemicals", 1_000, "xs"),
    ("steel billets", "t", "product", "metals", 10_000, "xs"),
    ("copper rod", "t", "product", "metals", 2_000, "xs"),
    ("aluminium scrap", "t", "residue", "metals", 200, "xs"),
    ("ready-mixed concrete", "m3", "product", "minerals", 5_000, "xs"),
    ("EAF dust", "t", "residue", "metals", 500, "xd"),
    ("anode slime", "t", "residue", "metals", 20, "x"),
    ("pyrite cinder", "t", "residue", "metals", 5_000, "xd"),
    ("digestate", "t", "residue", "biomass", 2_000, "xd"),
    ("coke", "t", "product", "energy", 10_000, "xsi"),
    ("demineralised water", "m3", "product", "water", 5_000, "xs"),
)

_TOWN_HEADS = (
    "Ash", "Bel", "Brack", "Carn", "Dun", "East", "Elm", "Fair", "Glen", "Hart", "Holm", "Kil",
    "Lang", "Mar", "Nor", "Oak", "Pen", "Red", "Ros", "Sal", "Stan", "Thorn", "Wes", "Wick", "Yar",
)  # fmt: skip
_TOWN_MIDS = (
    "", "a", "e", "i", "o", "ber", "den", "en", "er", "ing", "ley", "lin", "ow", "ring", "sel",
    "ton", "wen", "win", "y", "ard",
)  # fmt: skip
_TOWN_TAILS = (
    "bridge", "brook", "burn", "by", "castle", "dale", "field", "ford", "gate", "ham", "haven",
    "holt", "mere", "minster", "mouth", "port", "stead", "stow", "wick", "worth",
)  # fmt: skip

_ROW_KINDS = ("actor", "disposal", "emission", "sale", "import")
_CATEGORIES = ("product", "by-product", "waste", "emission")


def parse_count(text: str | int) -> int:
    """Parse a flow count such as ``1000000``, ``1_000_000``, ``100k`` or ``1M``."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d[\d_]*(?:\.\d+)?)\s*([kKmM]?)\s*", str(text))
    if not m:
        raise argparse.ArgumentTypeError(f"not a flow count: {text!r}")
    value = float(m.group(1).replace("_", ""))
    value *= {"": 1, "k": 1e3, "m": 1e6}[m.group(2).lower()]
    if value != int(value):
        raise argparse.ArgumentTypeError(f"not a whole number of flows: {text!r}")
    return int(value)


# --- static tables ------------------------------------------------------------------------------


def _material_table() -> dict[str, np.ndarray]:
    names = [m[0] for m in MATERIALS]
    units = [m[1] for m in MATERIALS]
    kinds = np.array([m[2] for m in MATERIALS])
    families = [m[3] for m in MATERIALS]
    pools = [m[5] for m in MATERIALS]
    rank = np.arange(1, len(MATERIALS) + 1, dtype=np.float64)
    if len(set(names)) != len(names) or not set(units) <= set(UNIT_DIMENSION):
        raise ValueError("material names must be unique, with units from UNIT_DIMENSION")
    return {
        "name": np.array(names, dtype=object),
        "unit": np.array(units, dtype=object),
        "kind": kinds,
        "family": np.array(families),
        "median": np.array([m[4] for m in MATERIALS], dtype=np.float64),
        "zipf": rank**-ZIPF_EXPONENT,
        **{f"pool_{c}": np.array([c in p for p in pools]) for c in "xsidte"},
    }


def _family_affinity(mats: dict[str, np.ndarray]) -> np.ndarray:
    """(sector x material) weight: high for typical outputs, 1 in the families, small outside."""
    aff = np.full((len(SECTORS), len(MATERIALS)), FAMILY_TILT)
    index = {name: i for i, name in enumerate(mats["name"])}
    for s, sector in enumerate(SECTORS):
        for fam, w in UBIQUITOUS_FAMILIES.items():
            aff[s, mats["family"] == fam] = w
        for fam in sector[3].split():
            aff[s, mats["family"] == fam] = 1.0
        for name in SIGNATURES[sector[0]].split(";"):
            aff[s, index[name.strip()]] = SIGNATURE_WEIGHT
    return aff


class _RowSampler:
    """Draw material indices per row from a (sector x material) probability table, vectorised."""

    def __init__(self, weights: np.ndarray):
        weights = np.asarray(weights, dtype=np.float64)
        if (weights.sum(axis=1) <= 0).any():
            raise ValueError("every sector needs a material")
        cdf = np.cumsum(weights, axis=1)
        cdf /= cdf[:, -1:]  # each row ends at exactly 1.0
        self._k = weights.shape[1]
        # rows shifted apart by 2 so that one searchsorted serves every sector
        self._flat = (cdf + 2.0 * np.arange(len(weights))[:, None]).ravel()
        self._last = self._k - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)

    def draw(self, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        u = 2.0 * rows + rng.random(len(rows))
        j = np.searchsorted(self._flat, u, side="right") - rows * self._k
        return np.minimum(j, self._last[rows])


# --- layout of firms ----------------------------------------------------------------------------


def _core_sizes(n_actors: int, core_size: int | None, park_size: int | None = None) -> list[int]:
    if core_size is not None:
        if not 2 <= core_size <= n_actors:
            raise ValueError(f"core_size must be between 2 and the {n_actors} actor firms")
        return [int(core_size)]
    total = round(CORE_SHARE * n_actors)
    if park_size is not None:  # many parks of about park_size firms instead of N_CORES big ones
        if park_size < 3:
            raise ValueError("park_size must be at least 3")
        k = max(1, total // park_size)
    else:
        k = min(N_CORES, total // 3)
    if k == 0:
        return [min(3, n_actors)]
    sizes = [total // k] * k
    for i in range(total - sum(sizes)):
        sizes[i] += 1
    return sizes


def _region_sizes(
    n_actors: int, core_size: int | None, rng: np.random.Generator, park_size: int | None = None
):
    cores = _core_sizes(n_actors, core_size, park_size)
    n_reg = n_actors - sum(cores)
    r_reg = max(1, round(n_reg / REGION_SIZE)) if n_reg > 0 else 0
    regular: list[int] = []
    if r_reg:
        cuts = np.linspace(0.0, n_reg, r_reg + 1)
        cuts[1:-1] += rng.uniform(-0.35, 0.35, r_reg - 1) * (n_reg / r_reg)
        regular = [int(x) for x in np.diff(np.round(cuts).astype(np.int64)) if x > 0]
    # spread the cores evenly along the region order
    sizes: list[int] = []
    flags: list[bool] = []
    slots = [(j + 1) * len(regular) // (len(cores) + 1) for j in range(len(cores))]
    for i in range(len(regular) + 1):
        for c in (c for c, slot in zip(cores, slots, strict=True) if slot == i):
            sizes.append(c)
            flags.append(True)
        if i < len(regular):
            sizes.append(regular[i])
            flags.append(False)
    return np.array(sizes, dtype=np.int64), np.array(flags, dtype=bool)


def _region_centres(n_regions: int, rng: np.random.Generator):
    """Serpentine grid over the map, so consecutive regions are neighbours."""
    g = max(1, int(np.ceil(np.sqrt(n_regions))))
    cell = min(1.0, (LAT_RANGE[1] - LAT_RANGE[0]) / g, (LON_RANGE[1] - LON_RANGE[0]) / g)
    q = np.arange(n_regions)
    row, col = q // g, q % g
    col = np.where(row % 2 == 1, g - 1 - col, col)
    lat = LAT_RANGE[0] + (row + 0.5 + rng.uniform(-0.25, 0.25, n_regions)) * cell
    lon = LON_RANGE[0] + (col + 0.5 + rng.uniform(-0.25, 0.25, n_regions)) * cell
    return lat, lon, cell


def _town_names(n: int, rng: np.random.Generator) -> np.ndarray:
    heads, mids, tails = (np.array(x, dtype=object) for x in (_TOWN_HEADS, _TOWN_MIDS, _TOWN_TAILS))
    space = len(heads) * len(mids) * len(tails)
    code = rng.choice(space, size=n, replace=n > space)
    h, rest = np.divmod(code, len(mids) * len(tails))
    m, t = np.divmod(rest, len(tails))
    return heads[h] + mids[m] + tails[t]


# --- sampling helpers ---------------------------------------------------------------------------


def _pick(cum0: np.ndarray, lo: np.ndarray, hi: np.ndarray, rng: np.random.Generator):
    """One index in [lo, hi) per row, with probability proportional to the weights.

    ``cum0`` is the cumulative weight with a leading 0; requires hi > lo.
    """
    base = cum0[lo]
    u = base + rng.random(len(lo)) * (cum0[hi] - base)
    j = np.searchsorted(cum0, u, side="right") - 1
    return np.clip(j, lo, hi - 1)


def _draw_counts(m: int, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``m`` indices drawn with probabilities ``p``, returned sorted."""
    return np.repeat(np.arange(len(p)), rng.multinomial(m, p))


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    # np.unique in numpy >= 2.3 goes through a hash table, which is ~20x slower here than a sort
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def _kind_of(src: np.ndarray, tgt: np.ndarray, n_act: int) -> np.ndarray:
    """Row kind (index into ``_ROW_KINDS``) from the node indices."""
    kind = np.zeros(len(src), np.int64)  # actor -> actor
    kind[tgt >= n_act + 2] = 1  # disposal nodes
    kind[tgt == n_act + 1] = 2  # ENV
    kind[tgt == n_act] = 3  # MARKET
    kind[src == n_act] = 4  # imports from MARKET
    return kind


def _codes(prefix: str, n: int, first: int = 0) -> pa.Array:
    """``prefix`` + zero-padded numbers ``first .. first + n - 1``, e.g. F000123."""
    width = max(4, len(str(first + n - 1)))
    numbers = pa.array(np.arange(first, first + n)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, padding="0"), "")


def _round_sig(x: np.ndarray, digits: int = 3) -> np.ndarray:
    """Round to significant digits so that the shortest repr is the short decimal."""
    exp = np.floor(np.log10(x)).astype(np.int64) - (digits - 1)
    mant = np.round(x / 10.0**exp)
    # dividing an integer by an exact power of ten gives the nearest double to the decimal
    return np.where(exp >= 0, mant * 10.0 ** np.maximum(exp, 0), mant / 10.0 ** np.maximum(-exp, 0))


# --- the generator ------------------------------------------------------------------------------


def build_tables(
    n_flows: int,
    seed: int = 1,
    *,
    core_size: int | None = None,
    park_size: int | None = None,
    missing_share: float = 0.005,
) -> tuple[pa.Table, pa.Table]:
    """Build the ``(firms, flows)`` tables of a synthetic network with ``n_flows`` rows."""
    n_flows = int(n_flows)
    if n_flows < 1:
        raise ValueError("n_flows must be positive")
    if not 0.0 <= missing_share < 1.0:
        raise ValueError("missing_share must be in [0, 1)")
    rng = np.random.default_rng(seed)
    mats = _material_table()
    n_mat = len(MATERIALS)

    # ---- firms: regions, sectors, ranks, activity
    n_act = max(3, round(n_flows / FLOWS_PER_FIRM))
    if core_size is not None and core_size > n_act:
        raise ValueError(f"core_size={core_size} exceeds the {n_act} actor firms")
    sizes, is_core = _region_sizes(n_act, core_size, rng, park_size)
    n_reg = len(sizes)
    end = np.cumsum(sizes)
    start = end - sizes
    region = np.repeat(np.arange(n_reg), sizes)

    sec_w = np.array([s[5] for s in SECTORS])
    sector = rng.choice(len(SECTORS), size=n_act, p=sec_w / sec_w.sum())
    stage = np.array([s[2] for s in SECTORS])[sector]
    # rank inside a region = chain stage, ties in random order
    order = np.argsort((region * 4 + stage) * n_act + rng.permutation(n_act))
    sector, stage = sector[order], stage[order]

    label = rng.permutation(n_act)  # id number of each firm
    # big firms both receive and send a lot: Pareto marginals tied by a Gaussian rank copula
    z_out = rng.standard_normal(n_act)
    z_in = ACTIVITY_CORRELATION * z_out + np.sqrt(1 - ACTIVITY_CORRELATION**2) * (
        rng.standard_normal(n_act)
    )
    w_out = np.empty(n_act)
    w_in = np.empty(n_act)
    w_out[np.argsort(z_out)] = np.sort(rng.pareto(PARETO_OUT, n_act) + 1.0)
    w_in[np.argsort(z_in)] = np.sort(rng.pareto(PARETO_IN, n_act) + 1.0)
    stage_sale = np.array([0.4, 0.7, 1.0, 1.3])[stage]
    cum_in = np.concatenate([[0.0], np.cumsum(w_in)])
    w_imp = w_out * (stage <= 1)
    if not w_imp.any():  # tiny network without extraction or processing firms
        w_imp = w_out

    n_dist = int(min(MAX_DISTRICTS, max(1, n_reg // 50)))
    district = np.arange(n_reg) * n_dist // n_reg
    i_market, i_env = n_act, n_act + 1
    landfill = n_act + 2 + 2 * district  # per region
    tailings = landfill + 1
    n_nodes = n_act + 2 + 2 * n_dist

    aff = _family_affinity(mats)
    zipf = mats["zipf"]
    samplers = {
        "actor": _RowSampler(aff * zipf * mats["pool_x"]),
        "disposal": _RowSampler(aff * zipf * mats["pool_d"]),
        "emission": _RowSampler(np.broadcast_to(zipf * mats["pool_e"], aff.shape)),
        "sale": _RowSampler(aff * zipf * mats["pool_s"]),
        "import": _RowSampler((aff + 0.5 * (mats["family"] == "energy")) * zipf * mats["pool_i"]),
    }

    p_out = w_out / w_out.sum()
    cum_out = np.concatenate([[0.0], np.cumsum(w_out)])

    def actor_rows(m: int, first: bool):
        src_b = tgt_b = np.empty(0, np.int64)
        if first:
            # firms with an upstream neighbour in their region receive at least one exchange
            tgt_b = np.flatnonzero(rng.random(n_act) < P_IN_BASE)
            r = region[tgt_b]
            back = is_core[r] & (rng.random(len(tgt_b)) < P_BACKWARD)
            lo = np.where(back, tgt_b + 1, start[r])
            hi = np.where(back, end[r], tgt_b)
            ok = hi > lo
            src_b, tgt_b = _pick(cum_out, lo[ok], hi[ok], rng), tgt_b[ok]
        m = max(m - len(tgt_b), 0)
        # every firm sends at least one exchange; the rest follows the out-activity
        base = n_act if first and m > n_act else 0
        src = _draw_counts(m - base, p_out, rng)
        if base:
            src = np.sort(np.concatenate([np.arange(n_act), src]))
        r = region[src]
        # the guaranteed rows stay in the region; the others leave it so often that P_LOCAL of
        # all actor rows stay in their region
        p_local = (P_LOCAL * (m + len(tgt_b)) - base - len(tgt_b)) / max(m - base, 1)
        local = rng.random(m) < min(max(p_local, 0.0), 1.0)
        if base:
            local[np.searchsorted(src, np.arange(n_act))] = True
        back = is_core[r] & (rng.random(m) < P_BACKWARD)
        r2 = np.minimum(r + rng.geometric(P_NEXT_REGION, m), n_reg - 1)
        lo = np.where(local, np.where(back, start[r], src + 1), start[r2])
        hi = np.where(local, np.where(back, src, end[r]), end[r2])
        ok = (hi > lo) & (local | (r2 > r))
        src, local = src[ok], local[ok]
        tgt = _pick(cum_in, lo[ok], hi[ok], rng)
        # partners often exchange several materials: reuse the previous partner (src is sorted)
        same = (src[1:] == src[:-1]) & (local[1:] == local[:-1])
        again = np.flatnonzero(same & (rng.random(max(len(src) - 1, 0)) < P_SAME_PAIR))
        tgt[again + 1] = tgt[again]
        src, tgt = np.concatenate([src_b, src]), np.concatenate([tgt_b, tgt])
        return src, tgt, sector[src]

    p_kind = {
        "disposal": p_out,
        "emission": p_out,
        "sale": w_out * stage_sale / (w_out * stage_sale).sum(),
        "import": w_imp / w_imp.sum(),
    }

    def boundary_rows(kind: str, m: int):
        firm = _draw_counts(m, p_kind[kind], rng)
        if kind == "import":
            return np.full(m, i_market), firm, sector[firm]
        return firm, np.full(m, i_market if kind == "sale" else i_env), sector[firm]

    # ---- flows: draw candidates per kind, keep distinct (source, target, material), top up
    need = {k: round(ROW_MIX.get(k, 0.0) * n_flows) for k in _ROW_KINDS}
    need["actor"] = n_flows - sum(need.values())
    keys = np.empty(0, np.int64)
    have = dict.fromkeys(_ROW_KINDS, 0)
    for attempt in range(50):
        new_keys = [keys]
        for kind in _ROW_KINDS:
            deficit = need[kind] - have[kind]
            if deficit <= 0:
                continue
            m = int(deficit * (OVERSAMPLE[kind] if attempt == 0 else 1.5)) + 16
            if kind == "actor":
                src, tgt, sec = actor_rows(m, first=attempt == 0)
            else:
                src, tgt, sec = boundary_rows(kind, m)
            mat = samplers[kind].draw(sec, rng)
            if kind == "disposal":
                tgt = np.where(mats["pool_t"][mat], tailings[region[src]], landfill[region[src]])
            keep = src != tgt
            new_keys.append((src[keep] * n_nodes + tgt[keep]) * n_mat + mat[keep])
        keys = _sorted_unique(np.concatenate(new_keys))
        kind_of = _kind_of(keys // n_mat // n_nodes, keys // n_mat % n_nodes, n_act)
        counts = np.bincount(kind_of, minlength=len(_ROW_KINDS))
        have = {k: int(counts[i]) for i, k in enumerate(_ROW_KINDS)}
        if all(have[k] >= need[k] for k in _ROW_KINDS):
            break
    else:  # pragma: no cover - needs a pathological configuration
        raise RuntimeError("could not draw enough distinct flows")
    # drop the surplus of every kind at random (the order stays sorted)
    sel = np.ones(len(keys), bool)
    for i, kind in enumerate(_ROW_KINDS):
        rows = np.flatnonzero(kind_of == i)
        if len(rows) > need[kind]:
            sel[rng.choice(rows, len(rows) - need[kind], replace=False)] = False
    keys, kind_of = keys[sel], kind_of[sel]
    mat = keys % n_mat
    tgt = keys // n_mat % n_nodes
    src = keys // n_mat // n_nodes
    # firm ids are handed out at random (registration order), rows are sorted by id like a
    # register; boundary nodes sort after the firms
    node_label = np.concatenate([label, np.arange(n_act, n_nodes)])
    order = np.argsort((node_label[src] * n_nodes + node_label[tgt]) * n_mat + mat)
    src, tgt, mat, kind_of = src[order], tgt[order], mat[order], kind_of[order]
    n = len(keys)

    # ---- categories
    is_residue = mats["kind"][mat] == "residue"
    u = rng.random(n)
    cat = np.where(is_residue & (u < P_BYPRODUCT), 1, np.where(is_residue, 2, 0))  # actor rows
    cat = np.where(kind_of == 1, np.where(u < P_DISPOSAL_WASTE, 2, 1), cat)
    cat = np.where(kind_of == 2, 3, cat)
    cat = np.where(kind_of == 3, np.where(is_residue, 1, 0), cat)
    cat = np.where(kind_of == 4, 0, cat)

    # ---- quantities: material scale x firm size x lognormal noise
    size = w_out[np.where(kind_of == 4, tgt, src)]  # the actor end of the row
    q = mats["median"][mat] * np.sqrt(size) * rng.lognormal(0.0, SIGMA_QUANTITY, n) / 1.5
    q = _round_sig(np.clip(q, 0.01, 9.99e9))
    missing = rng.random(n) < missing_share

    # ---- firm attributes
    lat_c, lon_c, cell = _region_centres(n_reg, rng)
    spread = cell * 0.12 * np.sqrt(np.maximum(sizes / REGION_SIZE, 1.0))
    lat = np.round(lat_c[region] + rng.normal(0.0, 1.0, n_act) * spread[region], 4)
    lon = np.round(lon_c[region] + rng.normal(0.0, 1.0, n_act) * spread[region], 4)
    towns = _town_names(n_reg, rng)

    # number firms of the same sector in the same region: "Ashford Quarry 2"
    grp = region * len(SECTORS) + sector
    g_order = np.argsort(grp, kind="stable")
    g_sorted = grp[g_order]
    g_first = np.r_[True, g_sorted[1:] != g_sorted[:-1]]
    g_start = np.maximum.accumulate(np.where(g_first, np.arange(n_act), 0))
    g_size = np.diff(np.r_[np.flatnonzero(g_first), n_act])
    number = np.empty(n_act, np.int64)
    number[g_order] = np.arange(n_act) - g_start + 1
    multi = np.empty(n_act, bool)
    multi[g_order] = np.repeat(g_size, g_size) > 1

    region_ids = _codes("R", n_reg, first=1)
    d_mid = [np.flatnonzero(district == d) for d in range(n_dist)]
    d_lat = [round(float(lat_c[ix].mean()), 4) for ix in d_mid]
    d_lon = [round(float(lon_c[ix].mean()), 4) for ix in d_mid]
    d_region = [int(ix[len(ix) // 2]) for ix in d_mid]
    b_ids, b_names, b_sectors, b_roles = ["MARKET", "ENV"], [], [], []
    b_names += ["Market (outside the system boundary)", "Environment (air water soil)"]
    b_sectors += ["market", "environment"]
    b_roles += ["market", "environment"]
    b_lat: list[float | None] = [None, None]
    b_lon: list[float | None] = [None, None]
    b_region: list[str | None] = [None, None]
    for d in range(n_dist):
        b_ids += [f"LANDFILL_{d + 1}", f"TAILINGS_{d + 1}"]
        b_names += [f"{towns[d_region[d]]} landfill", f"{towns[d_region[d]]} tailings pond"]
        b_sectors += ["landfill", "tailings storage"]
        b_roles += ["disposal", "disposal"]
        b_lat += [d_lat[d]] * 2
        b_lon += [d_lon[d]] * 2
        b_region += [region_ids[d_region[d]].as_py()] * 2

    # firms.csv lists the actors by id, then the boundary nodes
    by_id = np.argsort(label)
    reg_i, sec_i = pa.array(region[by_id]), pa.array(sector[by_id])
    actor_ids = _codes("F", n_act)  # in id order
    names = pc.binary_join_element_wise(
        pa.array(towns).take(reg_i),
        pa.array([s[4] for s in SECTORS]).take(sec_i),
        pc.if_else(
            multi[by_id], pa.array(number[by_id]).cast(pa.string()), pa.scalar(None, pa.string())
        ),
        " ",
        null_handling="skip",
    )
    firms = pa.table(
        {
            "id": pa.concat_arrays([actor_ids, pa.array(b_ids)]),
            "name": pa.concat_arrays([names, pa.array(b_names)]),
            "sector": pa.concat_arrays(
                [pa.array([s[0] for s in SECTORS]).take(sec_i), pa.array(b_sectors)]
            ),
            "role": pa.concat_arrays(
                [pa.array([s[1] for s in SECTORS]).take(sec_i), pa.array(b_roles)]
            ),
            "lat": pa.concat_arrays([pa.array(lat[by_id]), pa.array(b_lat, pa.float64())]),
            "lon": pa.concat_arrays([pa.array(lon[by_id]), pa.array(b_lon, pa.float64())]),
            "region": pa.concat_arrays([region_ids.take(reg_i), pa.array(b_region, pa.string())]),
        }
    )
    node_ids = pa.concat_arrays([actor_ids.take(pa.array(label)), pa.array(b_ids)])
    flows = pa.table(
        {
            "source": node_ids.take(pa.array(src)),
            "target": node_ids.take(pa.array(tgt)),
            "material": pa.array(mats["name"].tolist()).take(pa.array(mat)),
            "category": pa.array(list(_CATEGORIES)).take(pa.array(cat)),
            "quantity": pa.array(q, mask=missing),
            "unit": pa.array(mats["unit"].tolist()).take(pa.array(mat)),
        }
    )
    assert tuple(firms.column_names) == FIRM_COLUMNS
    assert tuple(flows.column_names) == FLOW_COLUMNS
    return firms, flows


def _write_csv(table: pa.Table, path: Path) -> None:
    with path.open("wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def generate(
    n_flows: int,
    seed: int,
    out_dir: str | Path,
    *,
    core_size: int | None = None,
    park_size: int | None = None,
    missing_share: float = 0.005,
) -> tuple[Path, Path]:
    """Write ``firms.csv`` and ``flows.csv`` for ``n_flows`` flows into ``out_dir``.

    Returns ``(firms_path, flows_path)``. Same arguments, same bytes.
    """
    firms, flows = build_tables(
        n_flows, seed, core_size=core_size, park_size=park_size, missing_share=missing_share
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    firms_path, flows_path = out / "firms.csv", out / "flows.csv"
    _write_csv(firms, firms_path)
    _write_csv(flows, flows_path)
    return firms_path, flows_path


def largest_actor_scc(firms: pa.Table, flows: pa.Table) -> tuple[int, int]:
    """(size of the largest SCC, number of nontrivial SCCs) among actor firms only."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    is_actor = pc.is_in(firms.column("role"), value_set=pa.array(sorted(ACTOR_ROLES)))
    actors = firms.column("id").filter(is_actor).combine_chunks()
    s = pc.index_in(flows.column("source"), value_set=actors).to_numpy(zero_copy_only=False)
    t = pc.index_in(flows.column("target"), value_set=actors).to_numpy(zero_copy_only=False)
    ok = ~(np.isnan(s) | np.isnan(t))
    s, t = s[ok].astype(np.int64), t[ok].astype(np.int64)
    n = len(actors)
    graph = coo_matrix((np.ones(len(s)), (s, t)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels)
    return int(sizes.max()), int((sizes > 1).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a seeded synthetic industrial-symbiosis network (firms.csv, flows.csv)."
    )
    parser.add_argument("--flows", type=parse_count, required=True, help="rows, e.g. 1000 or 1M")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--core-size", type=int, default=None, help="one cyclic core region of this many firms"
    )
    parser.add_argument(
        "--park-size",
        type=int,
        default=None,
        help="cyclic cores as many parks of about this many firms (default: 4 big cores)",
    )
    parser.add_argument(
        "--missing-share", type=float, default=0.005, help="share of rows without quantity"
    )
    parser.add_argument(
        "--stats", action="store_true", help="also report the largest SCC among actors"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    firms_path, flows_path = generate(
        args.flows,
        args.seed,
        args.out,
        core_size=args.core_size,
        park_size=args.park_size,
        missing_share=args.missing_share,
    )
    elapsed = time.perf_counter() - t0
    for p in (firms_path, flows_path):
        print(f"{p}  {p.stat().st_size / 1e6:.2f} MB")
    print(f"{args.flows} flows in {elapsed:.2f} s")
    if args.stats:
        firms = pacsv.read_csv(firms_path)
        flows = pacsv.read_csv(flows_path)
        big, count = largest_actor_scc(firms, flows)
        print(f"{firms.num_rows} nodes; largest actor SCC {big}; nontrivial SCCs {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
