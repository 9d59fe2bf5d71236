"""One row per material in the reuse pass's ``by_material``: names the taxonomy lists for
one material (its name, synonyms, Chinese names and "English (中文)" of them) make one row;
fuzzy resolutions and unknown names do not merge (tester-cities6, defect 2)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.taxonomy import default_taxonomy, load_taxonomy

from .reuse_networks import network

FIRMS = [
    ("PA", "firm"),
    ("AL", "firm"),
    ("CEM", "firm"),
    ("ROAD", "firm"),
    ("POND", "disposal"),
    ("MKT", "market"),
]
PG = [  # Kaiyang 2020 in small: one material under three names
    ("PA", "CEM", "phosphogypsum", 500, "t", "by-product"),
    ("PA", "POND", "phosphogypsum", 3350, "t", "waste"),
    ("PA", "ROAD", "磷石膏", 1000, "t", "by-product"),
    ("PA", "POND", "磷石膏", 1225, "t", "waste"),
    ("PA", "CEM", "phosphogypsum (磷石膏)", 800, "t", "by-product"),
]
RED_MUD = [  # Baise in small: under four names; what iron recovery leaves is another
    ("AL", "CEM", "red mud", 150, "t", "by-product"),
    ("AL", "POND", "赤泥", 1800, "t", "waste"),
    ("AL", "POND", "bauxite residue", 1200, "t", "waste"),
    ("AL", "ROAD", "red mud (赤泥)", 450, "t", "by-product"),
    ("AL", "POND", "red mud tailings after iron recovery", 340, "t", "waste"),
]
APART = [  # resolved only by a rule that reads less than the whole name: not merged
    ("AL", "CEM", "copper slag", 10, "t", "by-product"),
    ("AL", "POND", "slag", 20, "t", "waste"),
    ("AL", "POND", "赤泥（拜耳法）", 30, "t", "waste"),  # a qualifier, not a translation
    ("AL", "POND", "gypsum (磷石膏)", 40, "t", "waste"),  # parts of two materials
    ("AL", "MKT", "widget offcuts", 5, "t", "by-product"),  # unknown to the taxonomy
    ("AL", "POND", "widget offcuts (小零件)", 7, "t", "waste"),
]


def materials(flows, **options):
    table = reuse_accounts(network(FIRMS, flows), **options).by_material
    return table.set_index(["dimension", "material"])


def test_phosphogypsum_under_three_names_is_one_row():
    table = materials(PG)
    assert len(table) == 1
    pg = table.loc[("mass", "phosphogypsum")]
    assert pg["generated"] == 6875 and pg["reused"] == 2300 and pg["disposed"] == 4575
    assert pg["reuse_share"] == pytest.approx(2300 / 6875)  # 33.5 %, not 13 / 45 / 100 %
    assert pg["streams"] == 5
    # the material's own name first, then the most frequent, then alphabetically
    assert pg["names"] == "phosphogypsum; 磷石膏; phosphogypsum (磷石膏)"
    assert pg["material_key"] == "phosphogypsum"


def test_red_mud_under_three_names_is_one_row_its_synonym_apart():
    table = materials(RED_MUD)
    # red mud and 赤泥 are both its own name (in English, in Chinese): the larger shows,
    # then the other, then the name in two scripts (tester15 D6: own names, then the
    # largest; red mud, the English one, came first whatever its size)
    red = table.loc[("mass", "赤泥")]
    assert red["generated"] == 3600 - 1200
    assert red["names"] == "赤泥; red mud; red mud (赤泥)"
    # an English synonym alone keeps its row (the taxonomy lists kinds among them), and
    # "red mud tailings ..." is only red mud by fuzzier rules: its own row
    assert table.loc[("mass", "bauxite residue"), "generated"] == 1200
    assert table.loc[("mass", "red mud tailings after iron recovery"), "generated"] == 340
    assert len(table) == 3


def test_names_the_taxonomy_does_not_list_exactly_stay_apart():
    table = materials(APART)
    assert len(table) == len(APART)
    assert table.loc[("mass", "slag"), "names"] == "slag"
    assert table.loc[("mass", "copper slag"), "generated"] == 10
    assert table.loc[("mass", "widget offcuts (小零件)"), "generated"] == 7
    assert table.loc[("mass", "gypsum (磷石膏)"), "generated"] == 40


def test_a_material_in_two_dimensions_stays_two_rows():
    # one name, one dimension (the loader's rule): the slurry's names are in m3
    flows = [
        ("AL", "CEM", "red mud", 150, "t", "by-product"),
        ("AL", "POND", "bauxite residue", 1200, "t", "waste"),
        ("AL", "POND", "red mud (赤泥)", 2000, "m3", "waste"),
        ("AL", "CEM", "赤泥", 500, "m3", "by-product"),
        ("AL", "ROAD", "赤泥", 300, "m3", "by-product"),
    ]
    table = materials(flows)
    assert table.loc[("mass", "red mud"), "generated"] == 150
    assert table.loc[("mass", "bauxite residue"), "generated"] == 1200
    # in m3 赤泥, its own Chinese name, shows before the larger name in two scripts
    volume = table.loc[("volume", "赤泥")]
    assert volume["generated"] == 2800 and volume["names"] == "赤泥; red mud (赤泥)"
    assert len(table) == 3


def test_rows_do_not_depend_on_the_order_of_the_flows():
    flows = PG + RED_MUD + APART
    base = reuse_accounts(network(FIRMS, flows)).by_material
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(len(flows))
        again = reuse_accounts(network(FIRMS, [flows[i] for i in order])).by_material
        assert again.equals(base)


def test_a_user_taxonomy_adds_its_names(tmp_path):
    path = tmp_path / "taxonomy.csv"
    path.write_text("family,material,synonyms,names_zh\nscrap,widget offcuts,,小零件\n")
    table = materials(APART, taxonomy=load_taxonomy(path))
    widget = table.loc[("mass", "widget offcuts")]
    assert widget["generated"] == 12
    assert widget["names"] == "widget offcuts; widget offcuts (小零件)"
    assert materials(APART, taxonomy=default_taxonomy()).shape[0] == len(APART)


def test_listed_reads_only_exact_names():
    taxonomy = default_taxonomy()
    assert taxonomy.listed("PG") == taxonomy.listed("磷石膏") == "phosphogypsum"
    assert taxonomy.listed("bauxite residue (赤泥)") == "red mud"
    assert taxonomy.listed("red mud slurry (赤泥)") == "red mud"  # translated by its part
    names = ("FGD gypsum slurry", "赤泥（拜耳法）", "gypsum (磷石膏)", "残渣", "废渣",
             "bauxite residue", "bark", "sawdust", "aluminium dross")  # fmt: skip
    for name in names:
        assert taxonomy.listed(name) is None, name


def test_reuse_command_shows_one_row_and_its_names(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    frames = network(FIRMS, PG + RED_MUD)
    frames.flows[["source", "target", "material", "quantity", "unit", "category"]].to_csv(
        tmp_path / "flows.csv", index=False
    )
    frames.firms.reset_index()[["id", "role"]].to_csv(tmp_path / "firms.csv", index=False)
    runner = CliRunner()
    text = runner.invoke(app, ["reuse", str(tmp_path), "-q"])
    assert text.exit_code == 0, text.output
    assert "phosphogypsum; 磷石膏; phosphogypsum (磷石膏)" in text.stdout
    assert "33.5 %" in text.stdout
    data = json.loads(runner.invoke(app, ["reuse", str(tmp_path), "-q", "-f", "json"]).stdout)
    rows = {r["material"]: r for r in data["by_material"]}
    assert set(rows) == {"phosphogypsum", "赤泥", "bauxite residue",
                         "red mud tailings after iron recovery"}  # fmt: skip
    assert rows["phosphogypsum"]["generated"] == 6875
    result = runner.invoke(app, ["reuse", str(tmp_path), "-q", "--csv", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    csv = (tmp_path / "t" / "by_material.csv").read_text(encoding="utf-8")
    assert "phosphogypsum; 磷石膏; phosphogypsum (磷石膏)" in csv
