"""Headers in Chinese read as the English columns (io/header_names.py), and a column of
roles under another name refused (io/firms.py).

Found by a tester: a GBK firms.csv headed ``id,名称,行业,类型`` with roles ``矿山``, ``填埋场``,
``大气``, ``市场`` was valid as "8 nodes (8 actors, 0 boundary)": ``类型`` was not read as the
role, every landfill and market was a firm, and the reuse share was 100 %; the flows'
``来源,去向,...`` were refused with one rename hint per column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io import from_frames, load
from symbiosis.io.firms import FIRM_REQUIRED
from symbiosis.io.headers import header_problem

FIRMS = """\
编号,名称,行业,类型,纬度,经度
KS,平朔露天矿,煤炭开采,矿山,39.45,112.35
XM,选煤厂,洗选煤,企业,39.46,112.37
DC,神头电厂,燃煤发电,电厂,39.37,112.45
GSS,矸石山,,填埋场,,
DQ,大气,,大气,,
SC,外部市场,,市场,,
"""
FLOWS = """\
来源,去向,物料,数量,单位,类别,年份,单价
KS,XM,原煤,9000,万吨,产品,2020,
XM,SC,商品煤,7200,万吨,产品,2020,500
XM,DC,中煤,300,万吨,副产品,2020,
XM,GSS,煤矸石,900,万吨,固废,2020,
DC,SC,电力,110,亿千瓦时,产品,2020,
DC,DQ,二氧化碳,1000,万吨,排放,2020,
"""
ROLES = {
    "KS": "extraction",
    "XM": "firm",
    "DC": "utility",
    "GSS": "disposal",
    "DQ": "environment",
    "SC": "market",
}


def write(folder: Path, firms: str = FIRMS, flows: str = FLOWS, encoding: str = "utf-8") -> Path:
    (folder / "firms.csv").write_bytes(firms.encode(encoding))
    (folder / "flows.csv").write_bytes(flows.encode(encoding))
    return folder


def problems(folder: Path) -> list:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_headers_are_read_as_the_columns(tmp_path, encoding):
    network = load(write(tmp_path, encoding=encoding), warn=False)
    firms = network.firms
    assert firms["role"].to_dict() == ROLES
    assert firms.loc["DC", "name"] == "神头电厂" and firms.loc["KS", "sector"] == "煤炭开采"
    assert firms.loc["KS", "lat"] == 39.45 and firms.loc["KS", "lon"] == 112.35
    flows = network.flows
    assert flows["category"].tolist()[:4] == ["product", "product", "by-product", "waste"]
    assert flows["year"].tolist() == [2020] * 6 and flows["price"].iloc[1] == 500
    assert not [w for w in network.warnings if "is not read as" in w]


def test_the_tester_s_register_has_its_boundary(tmp_path):
    """The tester's case, from the command line: 4 actors and 4 boundary nodes, not 8
    firms."""
    firms = FIRMS.replace("编号,", "id,", 1)  # an English id beside Chinese headers
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, firms=firms))])
    assert result.exit_code == 0, result.output
    assert "6 nodes (3 actors, 3 boundary)" in result.output


def test_one_word_is_a_firm_s_role_and_a_flow_s_category(tmp_path):
    network = load(write(tmp_path, flows=FLOWS.replace("类别", "类型", 1)), warn=False)
    assert network.firms["role"]["GSS"] == "disposal"
    assert network.flows["category"].iloc[3] == "waste"


def test_tables_in_memory_are_read_the_same(tmp_path):
    firms = pd.read_csv(pd.io.common.StringIO(FIRMS), dtype=str, keep_default_na=False)
    flows = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    network = from_frames(firms, flows)
    assert network.firms["role"].to_dict() == ROLES


@pytest.mark.parametrize(
    ("header", "column", "other"),
    [("role,类型", "类型", "'role'"), ("类型,角色", "角色", "'类型' (read as 'role')")],
)
def test_a_header_read_as_a_column_present_is_refused(tmp_path, header, column, other):
    """Neither is chosen silently: which holds the roles is the user's to say."""
    lines = FIRMS.splitlines()
    firms = "\n".join(
        [f"编号,{header}", *(f"{line.split(',')[0]},企业,企业" for line in lines[1:])]
    )
    found = problems(write(tmp_path, firms=firms + "\n"))
    assert [(Path(p.file).name, p.row, p.column) for p in found] == [("firms.csv", 1, column)]
    assert found[0].message == (
        f"column '{column}' is read as 'role', and the table has {other} already"
    )
    assert found[0].hint == (
        f"keep one of the two columns, or rename '{column}' if it holds something else"
    )


def test_a_refused_header_is_said_beside_the_flows_problems(tmp_path):
    flows = "来源,去向,物料,数量,quantity,单位,类别\nKS,XM,原煤,9000,1,万吨,产品\n"
    flows += "XM,SC,商品煤,1,x,万吨,产品\n"
    found = problems(write(tmp_path, flows=flows))
    assert [(p.row, p.column) for p in found] == [(1, "数量"), (3, "quantity")]


def test_a_chinese_header_of_a_file_with_refused_rows_is_no_title(tmp_path):
    """A file whose rows were refused in reading, headed in Chinese by three columns,
    was said to be no firms table at all (a title line)."""
    path = tmp_path / "firms.csv"
    path.write_text("编号,名称,类型\nKS,平朔露天矿,矿山\n", encoding="utf-8")
    assert header_problem(path, "firms.csv", "firms", FIRM_REQUIRED, readable=False) is None
    path.write_text("平朔,统计\nid,name\nKS,x\n", encoding="utf-8")
    found = header_problem(path, "firms.csv", "firms", FIRM_REQUIRED, readable=False)
    assert found is not None and found.message.startswith("the header is on row 2")


@pytest.mark.parametrize("header", ["Type", "kind", "category"])
def test_a_column_of_roles_under_another_name_is_refused(tmp_path, header):
    firms = FIRMS.replace("类型", header, 1)
    found = problems(write(tmp_path, firms=firms))
    assert [(Path(p.file).name, p.row, p.column) for p in found] == [("firms.csv", 1, header)]
    assert found[0].message == (
        f"column '{header}' holds roles ('矿山', '企业', '电厂', '填埋场' ...) but the table "
        "has no 'role' column"
    )
    assert found[0].hint.startswith("rename it 'role': without a 'role' column every node")


def test_a_column_of_other_words_is_only_warned(tmp_path):
    """Plant types that are no roles, or roles that are all 'firm', lose nothing."""
    for cells in (("露天矿", "选煤厂"), ("企业", "工厂")):
        firms = FIRMS.replace("类型", "Type", 1)
        for role, new in zip(("矿山", "企业"), cells, strict=True):
            firms = firms.replace(f",{role},", f",{new},")
        for role in ("电厂", "填埋场", "大气", "市场"):
            firms = firms.replace(f",{role},", f",{cells[1]},")
        network = load(write(tmp_path, firms=firms), warn=False)
        assert [w for w in network.warnings if "'Type' is not read as 'role'" in w]


# ------------------------------------------- a column missing from a table so headed

JAPANESE_FIRMS = "番号,名称,業種,役割\nKS,露天鉱山,石炭,鉱山\nXM,選炭工場,選炭,工場\n"
JAPANESE_FLOWS = "出荷元,出荷先,品目,数量,単位,区分\nKS,XM,原炭,9000,千トン,製品\n"
KOREAN_FIRMS = "번호,이름,업종,역할\nKS,광산,석탄,mine\nXM,선탄장,선탄,firm\n"
KOREAN_FLOWS = "공급처,수요처,물질,수량,단위,분류\nKS,XM,원탄,9000,kt,product\n"
TRADITIONAL_FLOWS = "來源,去向,物料,數量,單位,類別\nKS,XM,原煤,9000,千噸,產品\n"


@pytest.mark.parametrize(
    ("firms", "flows"),
    [
        (JAPANESE_FIRMS, JAPANESE_FLOWS),
        (KOREAN_FIRMS, KOREAN_FLOWS),
        (
            "編號,名稱,行業,類型\nKS,平朔露天矿,煤炭开采,矿山\nXM,选煤厂,洗选煤,企业\n",
            TRADITIONAL_FLOWS,
        ),
    ],
    ids=["japanese", "korean", "traditional"],
)
def test_japanese_korean_and_traditional_headers_are_read(tmp_path, firms, flows):
    """Each was 'required column is missing' for every column, with no word of the
    headers read as them."""
    network = load(write(tmp_path, firms, flows), warn=False)
    assert network.firms["role"].to_dict() == {"KS": "extraction", "XM": "firm"}
    assert network.flows[["source", "target", "value"]].values.tolist() == [["KS", "XM", 9e6]]


@pytest.mark.parametrize(
    ("firms", "flows", "column", "hint"),
    [
        # the one header read as no column, for the one column missing (was 'add a
        # 'quantity' column', the header not named)
        (FIRMS, FLOWS.replace("数量", "数值", 1), "quantity",
         "rename column '数值' to 'quantity' if that is what it holds (a Chinese header read "
         "as it: 数量, 流量, 重量 ...)"),
        (JAPANESE_FIRMS, JAPANESE_FLOWS.replace("出荷元", "送り元", 1), "source",
         "rename column '送り元' to 'source' if that is what it holds (a Japanese header read "
         "as it: 出荷元, 供給元, 排出元 ...)"),
        (KOREAN_FIRMS, KOREAN_FLOWS.replace("수량", "톤수", 1), "quantity",
         "rename column '톤수' to 'quantity' if that is what it holds (a Korean header read as "
         "it: 수량, 양, 물량 ...)"),
    ],
    ids=["chinese", "japanese", "korean"],
)  # fmt: skip
def test_a_header_read_as_no_column_is_named(tmp_path, firms, flows, column, hint):
    found = problems(write(tmp_path, firms, flows))
    assert [(Path(p.file).name, p.row, p.column, p.hint) for p in found] == [
        ("flows.csv", 1, column, hint)
    ]


def test_several_headers_read_as_no_column_are_named_for_each_column(tmp_path):
    flows = FLOWS.replace("来源", "起点", 1).replace("去向", "终点", 1)
    found = problems(write(tmp_path, flows=flows))
    assert [(p.column, p.hint) for p in found] == [
        ("source", "add a 'source' column, or rename to 'source' the one of '起点', '终点' that "
         "holds it (headers symbiosis reads as no column; a Chinese header read as it: 来源, "
         "来源单位, 产生单位 ...)"),
        ("target", "add a 'target' column, or rename to 'target' the one of '起点', '终点' that "
         "holds it (headers symbiosis reads as no column; a Chinese header read as it: 去向, "
         "目标, 去向单位 ...)"),
    ]  # fmt: skip


def test_a_firm_header_that_may_be_its_id_is_suggested(tmp_path):
    """企业 (a firm) heads the ids, or the names: suggested as the id, as 'company' is,
    never read so silently."""
    firms = FIRMS.replace("编号", "企业", 1)
    found = problems(write(tmp_path, firms=firms))
    assert [(Path(p.file).name, p.column, p.hint) for p in found] == [
        ("firms.csv", "id", "rename column '企业' to 'id'")
    ]
    firms = FIRMS.replace("名称", "企业", 1)
    network = load(write(tmp_path, firms=firms), warn=False)
    assert [w for w in network.warnings if "column '企业' is not read as 'name'" in w]


def test_one_word_names_one_column_of_a_table_in_every_language():
    """A word of two languages (名称, 数量, 分類) is read as one column in both."""
    from symbiosis.vocabulary.headers import HEADERS

    for what in ("firms", "flows", "demands"):
        columns: dict[str, set[str]] = {}
        for tables in HEADERS.values():
            for column, words in tables[what].items():
                for word in words:
                    columns.setdefault(word, set()).add(column)
        assert {w: c for w, c in columns.items() if len(c) > 1} == {}, what
