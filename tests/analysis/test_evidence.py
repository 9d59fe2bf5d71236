"""Network evidence in the opportunities pass (analysis/opportunities/evidence.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

FIRMS = pd.DataFrame(
    [
        ("P1", "power station", "utility"),
        ("P2", "power station", "utility"),
        ("W", "gypsum wallboard", "firm"),
        ("W2", "gypsum wallboard", "firm"),
        ("FERT", "fertilizer", "firm"),
        ("CEM", "cement works", "firm"),
        ("REF", "petroleum refinery", "firm"),
        ("MKT", "", "market"),
        ("LF", "", "disposal"),
    ],
    columns=["id", "sector", "role"],
)
FLOWS = pd.DataFrame(
    [
        ("P1", "LF", "Gypsum (from flue gas desulfurization)", 200, "kt", "waste"),
        ("P2", "W", "FGD gypsum", 150, "kt", "by-product"),
        ("MKT", "W2", "natural gypsum rock", 100, "kt", "product"),
        ("FERT", "CEM", "phosphogypsum", 50, "kt", "by-product"),
        ("REF", "LF", "spent unobtainium", 5, "kt", "waste"),
        ("MKT", "P1", "coal", 900, "kt", "product"),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    # A catalogue that knows nothing of gypsum: everything below is the network's evidence.
    path = tmp_path_factory.mktemp("catalogue") / "pathways.csv"
    path.write_text(
        "id,material,receiving_sector,source\nunrelated,copper scrap,copper smelting,a book\n"
    )
    network = from_frames(FIRMS, FLOWS)
    return find_opportunities(network, load_catalogue(path, replace=True), top=50)


def proposals(result, material: str) -> dict[str, tuple[str, str]]:
    """receiver -> (kind, rule) for the stream of ``material``."""
    return {
        o.target: (o.kind, o.evidence[0]["rule"]) for o in result.listed if o.material == material
    }


def test_a_firm_taking_the_material_under_another_name_is_proposed(result):
    found = proposals(result, "Gypsum (from flue gas desulfurization)")
    assert found["W"] == ("expand", "network: takes this material (taxonomy)")


def test_the_generic_material_stands_for_any_member_of_its_family(result):
    # The stream resolves to plain gypsum: a firm taking FGD gypsum (W), natural gypsum
    # rock (W2) or phosphogypsum (CEM) takes "this material"; W, with the closest name,
    # comes first among them only by distance and size, so just check all are there.
    found = proposals(result, "Gypsum (from flue gas desulfurization)")
    assert {"W", "W2", "CEM"} <= found.keys()
    assert {found[t][0] for t in ("W", "W2", "CEM")} == {"expand"}


def test_a_specific_material_finds_its_relatives_as_weaker_proposals(tmp_path):
    flows = FLOWS.copy()
    flows.loc[0, "material"] = "titanium gypsum"  # P1 dumps titanogypsum
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,copper scrap,copper smelting,a\n")
    result = find_opportunities(from_frames(FIRMS, flows), load_catalogue(path, replace=True),
                                top=50, receivers_per_stream=5)  # fmt: skip
    found = proposals(result, "titanium gypsum")
    assert found["W2"] == ("expand", "network: takes this material (taxonomy)")  # gypsum rock
    assert found["W"] == ("new_link", "network: takes a related material")  # FGD gypsum
    assert found["CEM"] == ("new_link", "network: takes a related material")  # phosphogypsum
    first = next(o for o in result.listed if o.material == "titanium gypsum")
    assert first.target == "W2"  # the strongest evidence first


def test_never_the_source_a_boundary_node_or_an_unresolved_material(result):
    table = result.table
    assert not ((table["source"] == "P1") & (table["target"] == "P1")).any()
    assert not table["target"].isin(["LF", "MKT"]).any()
    assert "spent unobtainium" in set(result.uncovered["material"])


def test_evidence_says_which_rule_and_why(result):
    o = next(o for o in result.listed if o.target == "W" and o.source == "P1")
    assert o.pathway is None
    assert o.evidence[0]["source"] == "the receiver already takes this material under another name"


def test_peer_of_a_taker(tmp_path):
    firms = pd.concat(
        [FIRMS, pd.DataFrame([("W3", "gypsum wallboard", "firm")], columns=FIRMS.columns)]
    )
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,copper scrap,copper smelting,a\n")
    result = find_opportunities(from_frames(firms, FLOWS), load_catalogue(path, replace=True),
                                top=50, receivers_per_stream=5)  # fmt: skip
    found = proposals(result, "Gypsum (from flue gas desulfurization)")
    assert found["W3"] == ("new_link", "network: peer of a taker")


@pytest.mark.parametrize("blank", ["", "  "])
def test_firms_without_a_sector_are_no_peers(blank):
    """A blank sector is no sector: the takerless firms are not the taker's peers."""
    firms = pd.DataFrame(
        [("A", blank, "firm"), ("B", blank, "firm"), ("R", blank, "recycling"),
         ("C", blank, "firm"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("A", "R", "zorblium residue", 100, "t", "waste"),
         ("B", "LF", "zorblium residue", 50, "t", "waste")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=50, receivers_per_stream=5)
    expanded = ("expand", "network: takes this material")
    assert proposals(result, "zorblium residue") == {"R": expanded}


def test_a_catalogue_row_keeps_its_pathway_with_the_network_kind():
    # The default catalogue has gypsum -> plasterboard rows: W is proposed by both; the
    # row shown is the sourced pathway, with the kind the network justifies.
    result = find_opportunities(from_frames(FIRMS, FLOWS), top=50)
    o = next(o for o in result.listed if o.target == "W" and o.source == "P1")
    assert o.kind == "expand"
    rules = {e["rule"] for e in o.evidence}
    assert "network: takes this material (taxonomy)" in rules
    assert o.pathway is not None and o.evidence[0]["id"] == o.pathway
    table = result.table
    row = table[(table["source"] == "P1") & (table["target"] == "W")]
    assert row["pathway"].tolist() == [o.pathway]  # the listing says what the table says


def test_a_user_taxonomy_teaches_new_names(tmp_path):
    flows = FLOWS.copy()
    flows.loc[0, "material"] = "Agremax"  # AES Puerto Rico's ash aggregate: unknown name
    flows.loc[3, "material"] = "fly ash"  # FERT -> CEM now carries fly ash
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,copper scrap,copper smelting,a\n")
    catalogue = load_catalogue(path, replace=True)
    network = from_frames(FIRMS, flows)
    assert "CEM" not in proposals(find_opportunities(network, catalogue, top=50), "Agremax")
    mine = tmp_path / "materials.csv"
    mine.write_text("family,material,synonyms\nash,fly ash,agremax\n")
    result = find_opportunities(network, catalogue, top=50, taxonomy=mine)
    assert proposals(result, "Agremax")["CEM"] == (
        "expand",
        "network: takes this material (taxonomy)",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("family,material\n,fly ash\n")
    with pytest.raises(InputError, match=r"bad\.csv:2: family: family is empty"):
        find_opportunities(network, catalogue, taxonomy=bad)


def test_every_piece_of_evidence_has_a_score(result):
    # "Gypsum (from flue gas desulfurization)" resolves once its qualifier is removed
    # (0.9): taking it "under another name" scores that; a plain name match scores 1.
    o = next(o for o in result.listed if o.target == "W" and o.source == "P1")
    assert o.evidence[0]["score"] == pytest.approx(0.9)
    for opportunity in result.listed:
        assert all(0 < e["score"] <= 1 for e in opportunity.evidence)


def _evidence_only(tmp_path, firms, flows, **options):
    """The pass with a catalogue that knows none of these materials: every proposal is
    the network's own evidence."""
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,unobtainium,mining,a\n")
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=list(FLOWS.columns)))  # fmt: skip
    return find_opportunities(network, load_catalogue(path, replace=True), top=50, **options)


_PARK = [
    ("STEEL", "integrated steel works", "firm"), ("POWER", "coal-fired power plant", "utility"),
    ("CEM", "cement", "firm"), ("HAPP", "home appliance recycling", "recycling"),
    ("DEAL", "scrap dealer", "recycling"),
    ("MKT", "", "market"), ("AIR", "", "environment"), ("LF", "", "disposal"),
]  # fmt: skip


def test_an_emission_is_not_related_to_the_fuel_gases(tmp_path):
    """CO2 was in one family with blast-furnace gas: a power plant burning the steel
    works' gas was proposed its 5.5 Mt of CO2 (Kitakyushu, Map Ta Phut)."""
    flows = [
        ("STEEL", "POWER", "blast furnace gas", 12, "PJ", "by-product"),
        ("STEEL", "AIR", "CO2", 5500, "kt", "emission"),
        ("CEM", "AIR", "flue gas", 800, "kt", "emission"),
        ("MKT", "POWER", "natural gas", 3, "PJ", "product"),
    ]
    result = _evidence_only(tmp_path, _PARK, flows)
    assert proposals(result, "CO2") == {}
    assert proposals(result, "flue gas") == {}


def test_one_metal_scrap_is_no_evidence_for_another(tmp_path):
    """A steelworks taking iron scrap was proposed copper and aluminium scrap ("same
    family: metal"); copper is a tramp element in steel. A scrap dealer taking any scrap
    may still take each, and EAF dust is not cement kiln dust."""
    flows = [
        ("HAPP", "STEEL", "iron scrap", 7.5, "kt", "by-product"),
        ("MKT", "STEEL", "press scrap", 60, "kt", "product"),  # scrap by its head noun
        ("HAPP", "MKT", "copper scrap", 1.5, "kt", "by-product"),
        ("HAPP", "MKT", "aluminium scrap", 0.9, "kt", "by-product"),
        ("MKT", "DEAL", "scrap metal", 20, "kt", "product"),
        ("STEEL", "CEM", "cement kiln dust", 5, "kt", "by-product"),
        ("STEEL", "LF", "EAF dust", 15, "kt", "waste"),
        ("STEEL", "LF", "metal scrap", 2, "kt", "waste"),
    ]
    result = _evidence_only(tmp_path, _PARK, flows)
    assert proposals(result, "copper scrap") == {
        "DEAL": ("expand", "network: takes this material (taxonomy)")
    }
    assert "STEEL" not in proposals(result, "aluminium scrap")
    assert "CEM" not in proposals(result, "EAF dust")
    # a stream of scrap of unknown metal is not proposed to the taker of one metal's
    assert "STEEL" not in proposals(result, "metal scrap")


def test_a_treatment_receiver_comes_after_every_reuse_of_its_stream(tmp_path):
    """An incinerator (role treatment) taking PET residue was the first proposal for the
    recycler's PET flakes, ahead of a textiles plant: its intake is treated, not reused.
    (It burns PET bottles here: PET is a plastic of its own since the plastics round, and
    a taker of the recycler's mixed residue is no taker of PET.)"""
    firms = [("PET", "PET bottle recycling", "recycling"),
             ("INC", "shredder residue melting", "waste-to-energy"),
             ("TEX", "textiles", "firm"), ("MKT", "", "market"), ("HH", "", "market")]  # fmt: skip
    flows = [("HH", "PET", "PET bottles", 20, "kt", "waste"),
             ("HH", "INC", "PET bottles", 3, "kt", "waste"),
             ("PET", "MKT", "PET flakes", 16, "kt", "by-product")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=list(FLOWS.columns)))  # fmt: skip
    result = find_opportunities(network, top=10)
    flakes = [o for o in result.listed if o.material == "PET flakes"]
    targets = [o.target for o in flakes]
    assert "INC" in targets and targets[-1] == "INC"
    assert flakes[-1].target_role == "treatment"


def test_related_materials_and_peers_are_shown_as_they_rank(tmp_path):
    """They rank like a demonstrated pathway but were shown as established. So does a
    taker of the material under another name (gypsum rock): what it takes is related,
    no pathway is documented (tester-cities item 3)."""
    flows = FLOWS.copy()
    flows.loc[0, "material"] = "titanium gypsum"
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,copper scrap,copper smelting,a\n")
    result = find_opportunities(from_frames(FIRMS, flows), load_catalogue(path, replace=True),
                                top=50, receivers_per_stream=5)  # fmt: skip
    shown = {
        o.target: (o.kind, o.maturity) for o in result.listed if o.material == "titanium gypsum"
    }
    assert shown["W"] == ("new_link", "demonstrated") and shown["W2"] == ("expand", "demonstrated")
    table = result.table[result.table["material"] == "titanium gypsum"].set_index("target")
    assert table.loc["W", "maturity"] == "demonstrated"


def test_a_sector_named_as_a_plant_is_not_doubled():
    from symbiosis.analysis.opportunities.result import plant_name

    assert plant_name("asphalt plant") == "asphalt plant"
    assert plant_name("cement") == "cement plant"
    assert plant_name("Power Plant") == "Power Plant"


def test_network_evidence_is_capped_at_as_much_again_as_the_receiver_takes(tmp_path):
    """Network evidence had no capacity: --plan sent 255 Mm3 of cooling water and 5.5 Mt
    of CO2 to receivers that took a fraction of it. A receiver takes at most as much again
    as it takes of the stream's family now, shared by every stream proposed to it."""
    firms = [("A", "gypsum wallboard", "firm"), ("B", "power station", "utility"),
             ("C", "power station", "utility"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("B", "A", "FGD gypsum", 100, "kt", "by-product"),
             ("B", "LF", "phosphogypsum", 900, "kt", "waste"),
             ("C", "LF", "titanium gypsum", 500, "kt", "waste")]  # fmt: skip
    result = _evidence_only(tmp_path, firms, flows)
    to_a = [o for o in result.listed if o.target == "A"]
    assert {o.material for o in to_a} == {"phosphogypsum", "titanium gypsum"}
    for o in to_a:
        assert o.quantity == 100_000
        assert o.capacity["source"] == "network" and o.capacity["limit"] == 100_000
    assert len({o.capacity_group for o in to_a}) == 1  # one room for both streams
    assert result.cumulative.moved["mass"] == 100_000
