"""Spent acids go to their takers, not to the buyers of product acid (tester: "spent
sulfuric acid reads as sulfuric acid"). A TiO2 plant's dilute waste acid, a refinery's
alkylation acid and a rolling mill's pickle liquor read as the product acids, so the
fertilizer plant and the copper leaching plant that buy sulfuric acid were proposed them
(the product-acid rows, or "takes this material (taxonomy)"), and the liquor went to
oxychlorination as by-product HCl; a product acid named otherwise met the spent-acid
rows (regeneration, neutralisation)."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
# rows written for the product acids
PRODUCT_ROWS = {"acid-fertilizer", "acid-tio2", "acid-leaching", "acid-foil", "hcl-chemicals",
                "hcl-pickling", "hcl-pac"}  # fmt: skip
# rows written for the spent acids
SPENT_ROWS = {"spent-h2so4-regen", "spent-h2so4-fertilizer", "spent-h2so4-neutralisation",
              "waste-acid", "tio2-weak-acid", "tio2-acid-phosphoric", "tio2-acid-gypsum",
              "pickle-liquor-arp", "pickle-liquor-coagulant"}  # fmt: skip
SPENT = ["dilute sulfuric acid", "废硫酸", "waste acid", "spent acid (alkylation)",
         "waste hydrochloric acid", "废盐酸"]  # fmt: skip


def _table(spent: list[str], sold: list[str] = ()) -> pd.DataFrame:
    """A park with buyers of sulfuric and hydrochloric acid (a phosphate fertilizer plant,
    a copper leaching plant, a PVC plant), an acid plant burning sulfur and a neutralisation
    station; the TiO2 plant dumps each ``spent`` stream, the smelter sells each ``sold``."""
    firms = pd.DataFrame(
        [("TIO2", "titanium dioxide pigment", "firm"), ("FERT", "phosphate fertilizer", "firm"),
         ("SX", "copper hydrometallurgy", "firm"), ("PVC", "chemicals; chlor-alkali", "firm"),
         ("ACID", "sulfuric acid plant", "firm"), ("NEUTR", "wastewater treatment", "firm"),
         ("SMELT", "copper smelting", "firm"), ("MKT", "", "market"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = [("MKT", "FERT", "sulfuric acid", 500, "kt", "product"),
             ("MKT", "TIO2", "sulfuric acid", 300, "kt", "product"),
             ("MKT", "SX", "sulfuric acid", 50, "kt", "product"),
             ("MKT", "PVC", "hydrochloric acid", 20, "kt", "product"),
             ("MKT", "ACID", "sulfur", 100, "kt", "product"),
             ("MKT", "NEUTR", "lime", 5, "kt", "product")]  # fmt: skip
    flows += [("TIO2", "LF", name, 10 + i, "kt", "waste") for i, name in enumerate(spent)]
    flows += [("SMELT", "MKT", name, 100 + i, "kt", "by-product") for i, name in enumerate(sold)]
    network = from_frames(firms, pd.DataFrame(flows, columns=COLUMNS))
    table = find_opportunities(network, top=0, impact=False).table
    assert len(table) == count_opportunities(network)
    return table


def test_a_spent_acid_goes_to_its_takers_not_to_the_buyers_of_product_acid():
    table = _table(SPENT)
    for name in SPENT:
        rows = table[table["material"] == name]
        assert len(rows), name  # each has a taker
        assert not set(rows["pathway"].dropna()) & PRODUCT_ROWS, name
        assert set(rows["pathway"].dropna()) <= SPENT_ROWS, name
        # no buyer of product acid by the network's evidence: the leaching plant and the
        # PVC plant take none of it, the fertilizer plant only by a spent-acid row
        assert not set(rows["target"]) & {"SX", "PVC"}, name
        assert set(rows[rows["target"] == "FERT"]["pathway"]) <= {"spent-h2so4-fertilizer"}
    targets = table.groupby("material")["target"].agg(set)
    # the acid plant regenerates spent sulfuric acid; the station neutralises it
    assert {"ACID", "NEUTR"} <= targets["dilute sulfuric acid"]
    assert {"ACID", "NEUTR"} <= targets["spent acid (alkylation)"]
    assert "NEUTR" in targets["waste acid"]
    # the pickle liquor: regenerated at a rolling mill (none here: a new one) or made
    # into coagulant at the station
    for name in ("waste hydrochloric acid", "废盐酸"):
        rows = table[table["material"] == name]
        assert set(rows["pathway"]) == {"pickle-liquor-arp", "pickle-liquor-coagulant"}, name
        assert "NEUTR" in set(rows["target"])


def test_the_tio2_plants_waste_acid_goes_to_phosphoric_acid_at_a_fifth_of_its_mass():
    """The sulfate-route TiO2 waste acid (about 20 % H2SO4) replaces sulfuric acid at the
    phosphate plant, a fifth of its mass (tio2-acid-phosphoric), and is neutralised to
    titanium gypsum at the station."""
    table = _table(["TiO2 waste acid"])
    rows = table[table["material"] == "TiO2 waste acid"].set_index("pathway")
    assert rows.loc["tio2-acid-phosphoric", "target"] == "FERT"
    assert rows.loc["tio2-acid-phosphoric", "kind"] == "redirect"
    assert rows.loc["tio2-acid-gypsum", "target"] == "NEUTR"
    assert not set(rows.index) & PRODUCT_ROWS


def test_a_product_acid_meets_no_spent_acid_row():
    """A smelter's acid named otherwise than the rows name it ("98% sulfuric acid") met the
    rows filed under sulfuric acid through the taxonomy, the spent-acid ones among them:
    regeneration at the acid plant, neutralisation at the station."""
    table = _table([], sold=["98% sulfuric acid", "31% hydrochloric acid"])
    acid = table[table["material"] == "98% sulfuric acid"]
    assert "acid-fertilizer" in set(acid["pathway"])  # still the product's rows
    assert not set(acid["pathway"].dropna()) & SPENT_ROWS
    hcl = table[table["material"] == "31% hydrochloric acid"]
    assert len(hcl) and not set(hcl["pathway"].dropna()) & SPENT_ROWS
