"""Redirect takers are chosen among the actors of the pathway's receiving sector.

A redirect of a substitute (FGD gypsum for the natural gypsum a plasterboard plant buys)
needs a taker of the row's receiving sector. The takers were chosen first, the nearest
``per_stream`` of every actor that buys the substitute from primary supply, and the
sector checked after: with ``per_stream`` nearer buyers of another sector (cement works
buying natural gypsum as a set retarder), the one plasterboard plant farther away was
never chosen, and the redirect was missed (tester, opportunities pass)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRM_COLUMNS = ["id", "sector", "role", "lat", "lon"]


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "pathways.csv"
    path.write_text(
        "id,material,receiving_sector,substitutes,source\n"
        "fgd-board,FGD gypsum,plasterboard,natural gypsum,a study\n"
    )
    return load_catalogue(path, replace=True)


def _network(crowd: int, boards=(("W", 30.45),), firms=(), flows=()):
    """A power station P disposing of FGD gypsum; ``crowd`` cement works C1.. buying
    natural gypsum 1 km apart from 1 km of it on, and the plasterboard plants of
    ``boards`` (id, latitude) buying it (W: 50 km away); then ``firms`` and ``flows``."""
    cement = [f"C{i}" for i in range(1, crowd + 1)]
    rows = [("P", "power station", "utility", 30.0, 117.0),
            ("MKT", "", "market", None, None), ("LF", "", "disposal", 30.0, 117.2)]  # fmt: skip
    rows += [(c, "cement", "firm", 30.0 + 0.01 * i, 117.0) for i, c in enumerate(cement, 1)]
    rows += [(board, "plasterboard", "firm", lat, 117.0) for board, lat in boards]
    links = [("P", "LF", "FGD gypsum", 80, "t", "waste")]
    links += [("MKT", b, "natural gypsum", 50, "t", "product") for b in [*dict(boards), *cement]]
    return from_frames(pd.DataFrame([*rows, *firms], columns=FIRM_COLUMNS),
                       pd.DataFrame([*links, *flows], columns=COLUMNS))  # fmt: skip


def _redirects(network, catalogue, per_stream: int = 3) -> list[str]:
    table = find_opportunities(network, catalogue, top=10, receivers_per_stream=per_stream).table
    return table.loc[table["kind"] == "redirect", "target"].tolist()


@pytest.mark.parametrize("crowd", [0, 2, 3, 6])
def test_nearer_buyers_of_another_sector_do_not_crowd_out_the_taker(catalogue, crowd):
    """However many cement works buy natural gypsum nearer to P, the plasterboard plant is
    the redirect's one taker (the cement works, of another sector, none). Before, with
    three of them or more (``per_stream`` 3), there was no redirect at all."""
    assert _redirects(_network(crowd), catalogue) == ["W"]


def test_the_sector_keeps_its_nearest_takers(catalogue):
    """Among several takers of the sector, still the nearest ``per_stream``: W2 (10 km)
    before W (50 km), W alone at one per stream, whatever the cement works nearer."""
    network = _network(4, boards=(("W", 30.45), ("W2", 30.09)))
    assert sorted(_redirects(network, catalogue)) == ["W", "W2"]
    assert _redirects(network, catalogue, per_stream=1) == ["W2"]


def test_no_taker_of_the_sector_no_redirect(catalogue):
    """No plasterboard plant, or one that buys no natural gypsum: no redirect of the FGD
    gypsum, however many cement works buy it."""
    assert _redirects(_network(4, boards=()), catalogue) == []
    network = _network(4, boards=(), firms=[("W", "plasterboard", "firm", 30.45, 117.0)],
                       flows=[("MKT", "W", "limestone", 10, "t", "product")])  # fmt: skip
    assert _redirects(network, catalogue) == []


def test_the_same_material_still_goes_to_any_buyer(catalogue):
    """Natural gypsum disposed of by D goes to the nearest buyers of it whatever their
    sector (the same material needs none), and to W by the plasterboard row (gypsum, the
    family): one group of buyers, chosen from whole for the one and by sector for the
    other, beside the FGD gypsum's redirect to W alone."""
    network = _network(4, firms=[("D", "mining", "firm", 30.0, 117.01)],
                       flows=[("D", "LF", "natural gypsum", 30, "t", "waste")])  # fmt: skip
    table = find_opportunities(network, catalogue, top=10).table
    redirects = table[table["kind"] == "redirect"]
    by_source = redirects.groupby("source")
    assert by_source["target"].apply(list)["P"] == ["W"]
    d = by_source.get_group("D")
    assert sorted(d.loc[d["rule"] == "same material", "target"]) == ["C1", "C2", "C3"]
    assert d.loc[d["pathway"] == "fgd-board", "target"].tolist() == ["W"]
