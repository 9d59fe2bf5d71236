"""Leave-one-out on published eco-industrial parks: does the engine find known exchanges again?

::

    python benchmarks/bench_parks.py                       # every park under benchmarks/parks
    python benchmarks/bench_parks.py --park kalundborg     # one park (repeat --park for more)
    python benchmarks/bench_parks.py --markdown            # Markdown tables (for docs/parks.md)
    python benchmarks/bench_parks.py --details             # one line per exchange, hits and misses
    python benchmarks/bench_parks.py --json out.json       # every cut, its proposals and scores

The parks (``benchmarks/parks/<park>/firms.csv`` and ``flows.csv``, see the README there) are
networks assembled from the literature, wording kept as published. For every documented
exchange ``A -> B`` of material ``m`` whose category is ``by-product`` or ``waste`` and whose
two ends are actors:

1. copy the park's flow table and send that row to the park's disposal node instead of ``B``
   (same material, quantity and unit): ``A`` now dumps ``m``;
2. build the network (:func:`symbiosis.from_frames`) and run
   :func:`symbiosis.analysis.opportunities.find_opportunities` with the default shipped
   catalogue, ``top=0`` and no impact: the full ranked table of candidates;
3. the stream's *proposals* are the receivers (``target``) of the table's rows whose source is
   ``A``, whose material has the key of ``m`` (:func:`symbiosis.vocabulary.material_key`) and
   whose stream goes to the disposal node, in table order, each receiver once.

Scores, per park and pooled over every cut:

* ``recall@any``: share of cuts where ``B`` is among the proposals;
* ``recall@1``: share of cuts where ``B`` is the stream's first proposal;
* ``cands/stream``: mean number of proposals per cut (proposed plants included);
* ``precision``: proposals that are documented exchanges of the park (``A -> T`` of a
  material with the key of ``m``, in the original flow table; the cut one counts) over all
  proposals;
* ``no candidate``: cuts with no proposal at all.

Only the public API is used (``symbiosis.from_frames``, ``find_opportunities``,
``load_catalogue``, ``Opportunities.table`` and ``symbiosis.vocabulary``). Which symbiosis is
measured is printed first: to measure the committed engine rather than a working tree under
change, export it (``git archive HEAD src | tar -x -C /tmp/base``) and run with
``PYTHONPATH=/tmp/base/src``. Twelve parks and 70 cuts take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue
from symbiosis.vocabulary import canonical_category, canonical_role, material_key

PARKS = Path(__file__).resolve().parent / "parks"
BOUNDARY = ("market", "disposal", "environment")
CUT_CATEGORIES = ("by-product", "waste")


@dataclass
class Cut:
    """One leave-one-out trial: a documented exchange sent to disposal, and what came back."""

    park: str
    row: int  # row of flows.csv as a spreadsheet numbers it (header = 1)
    source: str
    target: str
    material: str
    category: str
    unit: str
    source_name: str
    source_sector: str
    target_name: str
    target_sector: str
    proposals: list[dict] = field(default_factory=list)  # target, kind, pathway, rule, sector
    documented: int = 0  # proposals that are documented exchanges of the park

    @property
    def receivers(self) -> list[str]:
        return [p["target"] for p in self.proposals]

    @property
    def hit_any(self) -> bool:
        return self.target in self.receivers

    @property
    def hit_first(self) -> bool:
        return bool(self.proposals) and self.proposals[0]["target"] == self.target

    @property
    def rank(self) -> int | None:
        return self.receivers.index(self.target) + 1 if self.hit_any else None


def read_park(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The park's two tables as text, exactly as written (validation is from_frames' job)."""
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    return pd.read_csv(folder / "firms.csv", **read), pd.read_csv(folder / "flows.csv", **read)


def _role(text: str) -> str:
    return canonical_role(text) or "firm"


def exchanges(firms: pd.DataFrame, flows: pd.DataFrame) -> list[int]:
    """Index of every flow row that is a documented by-product or waste exchange between two
    actors (what the benchmark cuts)."""
    roles = dict(zip(firms["id"], firms["role"].map(_role), strict=True))
    rows = []
    for i, flow in flows.iterrows():
        category = canonical_category(flow["category"])
        if category not in CUT_CATEGORIES:
            continue
        if roles[flow["source"]] in BOUNDARY or roles[flow["target"]] in BOUNDARY:
            continue
        rows.append(i)
    return rows


def disposal_node(firms: pd.DataFrame) -> str:
    """The park's first node of role disposal (every park has one)."""
    for node, role in zip(firms["id"], firms["role"].map(_role), strict=True):
        if role == "disposal":
            return node
    raise SystemExit("a park needs a node of role disposal (a landfill) to cut exchanges to")


def documented_links(firms: pd.DataFrame, flows: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(source, target, material key) of every flow between two actors in the original park."""
    roles = dict(zip(firms["id"], firms["role"].map(_role), strict=True))
    return {
        (f["source"], f["target"], material_key(f["material"]))
        for _, f in flows.iterrows()
        if roles[f["source"]] not in BOUNDARY and roles[f["target"]] not in BOUNDARY
    }


def proposals_for(table: pd.DataFrame, source: str, key: str, sink: str) -> list[dict]:
    """The receivers proposed for the stream ``source`` -> ``sink`` of material ``key``, in
    the table's (ranked) order, each receiver once."""
    if table.empty:
        return []
    keys = table["material"].map(material_key)
    rows = table[(table["source"] == source) & (keys == key) & (table["stream_target"] == sink)]
    seen: dict[str, dict] = {}
    for _, r in rows.iterrows():
        if r["target"] not in seen:
            seen[r["target"]] = {
                "target": r["target"],
                "kind": r["kind"],
                "sector": r["target_sector"],
                "pathway": r["pathway"] if isinstance(r["pathway"], str) else None,
                "rule": r["rule"] if isinstance(r["rule"], str) else None,
            }
    return list(seen.values())


def run_park(name: str, catalogue, per_stream: int) -> list[Cut]:
    firms, flows = read_park(PARKS / name)
    sink = disposal_node(firms)
    links = documented_links(firms, flows)
    info = firms.set_index("id")
    cuts = []
    for i in exchanges(firms, flows):
        flow = flows.loc[i]
        cut_flows = flows.copy()
        cut_flows.loc[i, "target"] = sink
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            network = symbiosis.from_frames(firms, cut_flows)
            result = find_opportunities(
                network, catalogue, top=0, impact=False, receivers_per_stream=per_stream
            )
        key = material_key(flow["material"])
        proposals = proposals_for(result.table, flow["source"], key, sink)
        cut = Cut(
            park=name,
            row=int(i) + 2,
            source=flow["source"],
            target=flow["target"],
            material=flow["material"],
            category=flow["category"],
            unit=flow["unit"],
            source_name=info.loc[flow["source"], "name"],
            source_sector=info.loc[flow["source"], "sector"],
            target_name=info.loc[flow["target"], "name"],
            target_sector=info.loc[flow["target"], "sector"],
            proposals=proposals,
        )
        cut.documented = sum((cut.source, p["target"], key) in links for p in proposals)
        cuts.append(cut)
    return cuts


def scores(cuts: list[Cut]) -> dict:
    n = len(cuts)
    proposals = sum(len(c.proposals) for c in cuts)
    return {
        "exchanges": n,
        "recall_any": sum(c.hit_any for c in cuts) / n if n else None,
        "recall_1": sum(c.hit_first for c in cuts) / n if n else None,
        "cands_per_stream": proposals / n if n else None,
        "precision": sum(c.documented for c in cuts) / proposals if proposals else None,
        "no_candidate": sum(not c.proposals for c in cuts),
        "found": sum(c.hit_any for c in cuts),
        "first": sum(c.hit_first for c in cuts),
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f} %"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def table_rows(per_park: dict[str, dict], overall: dict) -> list[list[str]]:
    rows = []
    for name, s in [*per_park.items(), ("all parks", overall)]:
        rows.append(
            [
                name,
                str(s["exchanges"]),
                f"{_pct(s['recall_any'])} ({s['found']})",
                f"{_pct(s['recall_1'])} ({s['first']})",
                _num(s["cands_per_stream"]),
                _pct(s["precision"]),
                str(s["no_candidate"]),
            ]
        )
    return rows


HEADER = ["park", "exchanges", "recall@any", "recall@1", "cands/stream", "precision", "no cand."]


def render(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(HEADER) + " |", "|---|" + "---:|" * (len(HEADER) - 1)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines[-1] = "| " + " | ".join(f"**{c}**" for c in rows[-1]) + " |"
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [HEADER, *rows])


def detail_line(c: Cut) -> str:
    mark = "HIT " if c.hit_first else ("hit " if c.hit_any else "miss")
    got = ", ".join(
        f"{p['target']} ({p['kind']}, {p['pathway'] or p['rule'] or '-'})" for p in c.proposals
    )
    return (
        f"{mark} {c.park}:{c.row} {c.source} [{c.source_sector}] -> {c.target} "
        f"[{c.target_sector}]: {c.material!r} ({c.category}, {c.unit}); "
        f"rank {c.rank or '-'}; proposals: {got or 'none'}"
    )


def engine_line() -> str:
    """Which symbiosis is measured: version and the folder it is imported from."""
    return f"symbiosis {symbiosis.__version__} from {Path(symbiosis.__file__).parent}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--park", action="append", help="only this park (repeatable)")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables")
    parser.add_argument("--details", action="store_true", help="one line per exchange")
    parser.add_argument("--json", metavar="FILE", help="write every cut and the scores as JSON")
    parser.add_argument(
        "--per-stream",
        type=int,
        default=3,
        help="receivers_per_stream passed to the engine (default 3, the engine's default)",
    )
    args = parser.parse_args(argv)

    available = sorted(p.name for p in PARKS.iterdir() if (p / "flows.csv").is_file())
    names = args.park or available
    unknown = [n for n in names if n not in available]
    if unknown:
        parser.error(f"unknown park {', '.join(unknown)}; parks: {', '.join(available)}")

    start = time.perf_counter()
    catalogue = load_catalogue()
    cuts_by_park = {name: run_park(name, catalogue, args.per_stream) for name in names}
    elapsed = time.perf_counter() - start

    per_park = {name: scores(cuts) for name, cuts in cuts_by_park.items()}
    every = [c for cuts in cuts_by_park.values() for c in cuts]
    overall = scores(every)

    print(engine_line())
    print(f"{len(names)} park(s), {len(every)} exchanges cut, {elapsed:.1f} s\n")
    print(render(table_rows(per_park, overall), args.markdown))
    if args.details:
        print()
        for c in every:
            print(("- " if args.markdown else "") + detail_line(c))
    if args.json:
        payload = {
            "engine": engine_line(),
            "per_park": per_park,
            "overall": overall,
            "cuts": [
                {**asdict(c), "hit_any": c.hit_any, "hit_first": c.hit_first, "rank": c.rank}
                for c in every
            ],
        }
        Path(args.json).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
