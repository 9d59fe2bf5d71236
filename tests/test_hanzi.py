"""Traditional Chinese read as simplified (symbiosis/_hanzi.py, by OpenCC): a tester found
many Baotou sources in it, and Taiwan and Hong Kong write it. Only units and the roles and
categories were read (two hand-made maps); material names and sectors met nothing, so a
Taiwanese park's network got no opportunities. Names are shown as written."""

from __future__ import annotations

import csv
import warnings
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiosis import InputError, analyze, from_frames, load
from symbiosis._hanzi import simplified, simplified_characters
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.hazards import hazardous_name, hazardous_names
from symbiosis.catalogue import default_sectors, sector_terms
from symbiosis.catalogue.origins import default_origins
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key


@pytest.mark.parametrize(
    ("written", "name"),
    [("廢水", "废水"), ("鋼渣", "钢渣"), ("爐渣", "炉渣"), ("脫硫石膏", "脱硫石膏"),
     ("高爐煤氣", "高炉煤气"), ("汙泥", "污泥"), ("汙泥 (sludge)", "污泥 (sludge)"),
     ("電廠粉煤灰", "电厂粉煤灰"), ("廢硫酸", "废硫酸")],
)  # fmt: skip
def test_the_taxonomy_reads_traditional_names(written, name):
    taxonomy = default_taxonomy()
    assert taxonomy.resolve_closely(name) is not None or taxonomy.resolve(name) is not None
    assert taxonomy.resolve_closely(written) == taxonomy.resolve_closely(name)
    assert taxonomy.resolve(written) == taxonomy.resolve(name)
    assert taxonomy.listed(written) == taxonomy.listed(name)
    assert material_key(written) == material_key(name)


def test_japanese_with_kana_is_left_as_written():
    """製鋼スラグ would read 制钢スラグ, which no Japanese name of the taxonomy is; and a
    Japanese name in kanji alone keeps its match (産業廃棄物 is no material, 下水汚泥 is)."""
    for name in ("製鋼スラグ", "高炉スラグ", "燃え殻", "동 슬래그", "下水汚泥 (スラッジ)"):
        assert simplified(name) == name and material_key(name) == name.lower()
    taxonomy = default_taxonomy()
    assert taxonomy.resolve_closely("製鋼スラグ").material == "steel slag"
    assert taxonomy.resolve_closely("排煙脱硫石膏").material == "fgd gypsum"
    assert taxonomy.resolve_closely("電力").material == "electricity"


def test_sector_texts_are_read_character_by_character():
    """A term is found in a text in traditional characters, and in a Japanese one whose
    kanji the term shares (each character converted on its own, in both)."""
    sectors = default_sectors()
    pairs = [("鋼鐵廠", "钢铁厂"), ("發電廠", "发电厂"), ("煉油廠", "炼油厂"), ("水泥廠", "水泥厂"),
             ("台灣水泥股份有限公司", "台湾水泥股份有限公司")]  # fmt: skip
    for written, text in pairs:
        assert sectors.memberships(text), text
        assert sectors.memberships(written) == sectors.memberships(text), written
    assert sector_terms("JFEスチール製鉄所") == sector_terms("JFEスチール制鉄所")
    assert sector_terms("製鉄所").split() == ["制", "鉄", "所"]
    families = default_taxonomy().family_of
    for text in ("製鉄所", "JFEスチール東日本製鉄所", "鋼鐵廠", "钢铁厂"):
        found = default_origins().members("slag", text, families)
        assert found == ("blast furnace slag", "steel slag"), text


def _zh_names() -> list[str]:
    text = resources.files("symbiosis.taxonomy").joinpath("materials.csv").read_text("utf-8")
    names = {n.strip() for row in csv.DictReader(text.splitlines()) for n in
             row["names_zh"].split(";") if n.strip()}  # fmt: skip
    return sorted(names)


@given(st.sampled_from(_zh_names()))
def test_a_simplified_name_is_itself_and_its_traditional_form_reads_as_it(name):
    from opencc import OpenCC

    assert simplified(name) == name and simplified_characters(name) == name
    written = OpenCC("s2t").convert(name)
    taxonomy = default_taxonomy()
    assert taxonomy.resolve(written) == taxonomy.resolve(name)
    assert material_key(written) == material_key(name)


@given(st.text(st.sampled_from("鋼渣廢水高爐煤氣スラグのダスト製鉄所"), min_size=1, max_size=8))
def test_a_text_with_kana_is_never_converted(text):
    if any("\u3040" <= c <= "\u30ff" for c in text):
        assert simplified(text) == text
    else:
        assert simplified(text) == simplified(simplified(text))


# A park written twice: in simplified characters, and in traditional ones as Taiwan writes
# them (汙 for 污, 公噸 for the tonne), with the same ids
FIRMS = [
    ("GT", "包头钢铁", "包頭鋼鐵", "钢铁厂", "鋼鐵廠", "企业", "企業"),
    ("DC", "热电", "熱電", "发电厂", "發電廠", "企业", "企業"),
    ("SN", "水泥", "水泥", "水泥厂", "水泥廠", "企业", "企業"),
    ("LY", "石化", "石化", "炼油厂", "煉油廠", "企业", "企業"),
    ("WS", "污水厂", "汙水廠", "", "", "污水处理厂", "汙水處理廠"),
    ("DAM", "渣场", "渣場", "", "", "填埋场", "填埋場"),
    ("MKT", "市场", "市場", "", "", "市场", "市場"),
    ("HE", "黄河", "黃河", "", "", "河流", "河流"),
    ("AIR", "大气", "大氣", "", "", "大气", "大氣"),
    # a boiler house by its name (a part of a power plant: no condenser to cool)
    ("WB", "热电锅炉房", "熱電鍋爐房", "发电厂", "發電廠", "企业", "企業"),
    # nearly pure CO2 by the words of its sector (no sector of the catalogue)
    ("QJ", "气田", "氣田", "天然气净化厂", "天然氣淨化廠", "企业", "企業"),
    ("PJ", "啤酒", "啤酒", "啤酒厂", "啤酒廠", "企业", "企業"),
]
FLOWS = [
    ("MKT", "GT", "铁矿石", "鐵礦石", 800, "万吨", "萬噸", "产品", "產品"),
    ("GT", "MKT", "钢材", "鋼材", 600, "万吨", "萬噸", "产品", "產品"),
    ("GT", "DAM", "钢渣", "鋼渣", 90, "万吨", "萬噸", "废物", "廢物"),
    ("GT", "SN", "高炉渣", "高爐渣", 40, "万吨", "萬噸", "副产品", "副產品"),
    ("DC", "DAM", "粉煤灰", "粉煤灰", 30, "万吨", "萬噸", "废物", "廢物"),
    ("DC", "SN", "粉煤灰", "粉煤灰", 10, "万吨", "萬噸", "副产品", "副產品"),
    ("DC", "DAM", "脱硫石膏", "脫硫石膏", 200000, "公吨", "公噸", "废物", "廢物"),
    ("GT", "WS", "废水", "廢水", 300, "万吨", "萬噸", "废水", "廢水"),
    ("WS", "HE", "废水", "廢水", 280, "万吨", "萬噸", "废水", "廢水"),
    ("GT", "AIR", "高炉煤气", "高爐煤氣", 300, "万吉焦", "萬吉焦", "废气", "廢氣"),
    ("MKT", "SN", "石灰石", "石灰石", 100, "万吨", "萬噸", "产品", "產品"),
    ("SN", "MKT", "水泥", "水泥", 150, "万吨", "萬噸", "产品", "產品"),
    ("MKT", "DC", "煤炭", "煤炭", 200, "万吨", "萬噸", "产品", "產品"),
    ("MKT", "LY", "原油", "原油", 500, "万吨", "萬噸", "产品", "產品"),
    ("LY", "DAM", "污泥", "汙泥", 2, "万吨", "萬噸", "废物", "廢物"),
    ("MKT", "WB", "煤炭", "煤炭", 50, "万吨", "萬噸", "产品", "產品"),
    ("WB", "DAM", "炉渣", "爐渣", 5, "万吨", "萬噸", "废物", "廢物"),
    ("QJ", "AIR", "二氧化碳", "二氧化碳", 20, "万吨", "萬噸", "废气", "廢氣"),
    ("MKT", "PJ", "大麦", "大麥", 10, "万吨", "萬噸", "产品", "產品"),
    ("PJ", "MKT", "啤酒", "啤酒", 80, "万吨", "萬噸", "产品", "產品"),
]


def _network(traditional: bool):
    at = int(traditional)
    firms = pd.DataFrame(
        [(f[0], f[1 + at], f[3 + at], f[5 + at]) for f in FIRMS],
        columns=["id", "name", "sector", "role"],
    )
    flows = pd.DataFrame(
        [(f[0], f[1], f[2 + at], f[4], f[5 + at], f[7 + at]) for f in FLOWS],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    return from_frames(firms, flows)


def _read(value):
    """A report's values with its texts in simplified characters (the names as written
    are the only difference allowed)."""
    if isinstance(value, dict):
        return {_read(k): _read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_read(v) for v in value]
    return simplified(value) if isinstance(value, str) else value


def test_a_park_in_traditional_characters_reads_as_in_simplified():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simple, written = _network(False), _network(True)
        reports = [analyze(simple).to_dict(), analyze(written).to_dict()]
        found = [find_opportunities(simple, top=50), find_opportunities(written, top=50)]
    listed = [[(o.source, o.target, o.pathway, o.kind, o.quantity, simplified(o.material))
               for o in result.listed] for result in found]  # fmt: skip
    # the streams of the brief: steel slag to the cement plant, BF gas to the power plant,
    # FGD gypsum, fly ash and sludge to the cement plant and to new plants
    pathways = {row[:3] for row in listed[0]}
    assert {("GT", "SN", "steel-slag-cement"), ("GT", "DC", "bfg-power"),
            ("DC", "SN", "fgd-cement"), ("DC", "SN", "fly-ash-cement"),
            ("LY", "SN", "sludge-kiln"), ("DC", "NEW_PLASTERBOARD", "fgd-plasterboard"),
            ("GT", "NEW_STEEL_SLAG_ROAD", "steel-slag-road")} <= pathways  # fmt: skip
    assert listed[1] == listed[0]
    assert {o.material for o in found[1].listed} >= {"鋼渣", "高爐煤氣", "脫硫石膏", "汙泥"}
    simple_report, written_report = reports
    assert written_report["reuse"]["dimensions"] == simple_report["reuse"]["dimensions"]
    for section in ("reuse", "opportunities", "balance", "summary", "structure"):
        assert _read(written_report[section]) == _read(simple_report[section]), section


FIRMS_WRITTEN = (
    "id,name,role\nGT,鋼廠,firm\nWS,汙水廠,treatment\nHE,河,environment\nDAM,渣場,disposal\n"
)
FLOWS_WRITTEN = (
    "source,target,material,quantity,unit,category\n"
    "GT,WS,廢水,300,萬立方米,waste\n"
    "GT,HE,高爐煤氣,50,億立方米,emission\n"
    "WS,HE,懸浮物,120,噸,waste\n"
    "GT,DAM,鋼渣,90,萬噸,waste\n"
)


def _load(tmp_path, firms: str, flows: str):
    tmp_path.mkdir()
    (tmp_path / "firms.csv").write_text(firms, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(flows, encoding="utf-8")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        network = load(tmp_path)
    return network, [str(w.message).replace(str(tmp_path), "") for w in said]


def test_the_warnings_of_gases_and_loads_read_traditional_names(tmp_path):
    """The names the warnings of gas volumes and effluent loads look for (高爐煤氣: 气;
    懸浮物: 悬浮) read as the simplified ones; the warnings name them as written."""
    _, said = _load(tmp_path / "a", FIRMS_WRITTEN, FLOWS_WRITTEN)
    _, simply_said = _load(tmp_path / "b", FIRMS_WRITTEN, simplified(FLOWS_WRITTEN))
    assert len(said) == 2 and "gas volumes ('高爐煤氣'" in said[0] and "'懸浮物' (噸)" in said[1]
    assert [simplified(s) for s in said] == simply_said


def test_headers_and_roles_in_traditional_characters(tmp_path):
    """Headers (編號, 類型, 來源, 數量, 單位, 類別) and roles (企業, Taiwan's 汙水處理廠, 填埋場)
    read as the simplified ones."""
    firms = (
        "編號,名稱,行業,類型\nGT,鋼廠,鋼鐵廠,企業\nWS,汙水廠,,汙水處理廠\nHE,河,,河流\n"
        "DAM,渣場,,填埋場\n"
    )
    categories = ("廢水", "廢氣", "廢物", "廢物")
    rows = FLOWS_WRITTEN.splitlines()[1:]
    flows = "來源,去向,物料,數量,單位,類別\n" + "\n".join(
        row.rsplit(",", 1)[0] + "," + category
        for row, category in zip(rows, categories, strict=True)
    )
    written, _ = _load(tmp_path / "a", firms, flows + "\n")
    simple, _ = _load(tmp_path / "b", FIRMS_WRITTEN, FLOWS_WRITTEN)
    assert written.firms["role"].tolist() == ["firm", "treatment", "environment", "disposal"]
    assert written.firms["sector"].tolist()[0] == "鋼鐵廠"
    assert written.flows["material"].tolist() == ["廢水", "高爐煤氣", "懸浮物", "鋼渣"]
    assert written.flows["category"].tolist() == simple.flows["category"].tolist()
    assert written.flows["value"].tolist() == simple.flows["value"].tolist()


def test_a_hazardous_name_in_traditional_characters():
    names = np.array(["危險廢物", "含鈾廢渣", "非危險廢物", "鋼渣"], dtype=object)
    assert hazardous_names(names).tolist() == [True, True, False, False]
    assert hazardous_name("危險廢物") and not hazardous_name("非危險廢物")


def test_a_part_of_a_sector_named_in_traditional_characters():
    """A power plant's boiler house named 熱電鍋爐房 is a boiler house, as 热电锅炉房 is: the
    names are searched for a word of the part terms (锅) in the terms' characters."""
    from symbiosis.analysis.opportunities import receivers, streams
    from symbiosis.analysis.opportunities.node_sectors import node_readings, text_memberships
    from symbiosis.catalogue import default_catalogue
    from symbiosis.catalogue.sectors import PART_MARK

    read = []
    for traditional in (False, True):
        network = _network(traditional)
        found = streams.find_streams(network)
        ctx = receivers.Context(network, default_catalogue(), found, None, 3)
        at = list(ctx.core.ids).index("WB")
        read.append(text_memberships(ctx)[node_readings(ctx)[at]])
    assert PART_MARK in read[0]["power generation"]
    assert read[1] == read[0]


@pytest.mark.parametrize(
    ("sector", "receiving"), [("園林綠化", "园林绿化"), ("园林绿化", "園林綠化")]
)
def test_a_sector_of_ones_own_catalogue_in_the_other_characters(tmp_path, sector, receiving):
    """A row of a user's catalogue for a sector the vocabulary does not know (园林绿化,
    landscaping) meets the firms whose sector is that word in either characters."""
    from symbiosis.catalogue import load_catalogue

    path = tmp_path / "catalogue.csv"
    path.write_text(
        f"id,material,receiving_sector,source\nzh1,污泥,{receiving},x\n", encoding="utf-8"
    )
    firms = pd.DataFrame(
        [("WS", "", "treatment"), ("GREEN", sector, "firm"), ("DAM", "", "disposal")],
        columns=["id", "sector", "role"],
    )
    flows = pd.DataFrame(
        [("WS", "DAM", "汙泥", 1000, "t", "waste")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    result = find_opportunities(from_frames(firms, flows), catalogue=load_catalogue(path))
    assert ("WS", "GREEN", "zh1") in [(o.source, o.target, o.pathway) for o in result.listed]


def test_a_misspelt_role_in_traditional_characters_is_guessed(tmp_path):
    """汙水處理場 (場 for 廠) is guessed as an alias it misspells, in simplified characters
    (the traditional aliases were listed, and guessed, before OpenCC read them)."""
    firms = FIRMS_WRITTEN.replace("WS,汙水廠,treatment", "WS,汙水廠,汙水處理場")
    with pytest.raises(InputError, match="did you mean '污水处理"):
        _load(tmp_path / "a", firms, FLOWS_WRITTEN)
