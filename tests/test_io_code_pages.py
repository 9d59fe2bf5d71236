"""Text that is not UTF-8 (symbiosis.io.code_pages): Chinese GB18030 is read, other code
pages are refused and named.

Found by a tester: Korean EUC-KR files (Excel's 'CSV' on Korean Windows) and Cyrillic
Windows-1251 files whose words paired up into hanzi were read as GB18030, the names
garbled ('광석' as '堡籍', 'руда' as '痼溧'), with a mere warning calling them Chinese.
And then, by a reviewer: very small Chinese files of common industrial names (火力发电厂,
大气排放, 电力 and 废气) were refused as Korean, their hanzi all in GB2312's first rows.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io import load
from symbiosis.io.code_pages import chinese_text, other_encoding, western_text

PACKAGE = Path(__file__).parents[1] / "src" / "symbiosis"

KOREAN = {
    "firms.csv": "id,name,sector,role\nMINE,울산 광산,광업,extraction\n"
    "SMELT,고려아연 온산제련소,제련,firm\nCEM,쌍용양회,시멘트,firm\nLF,매립지,landfill,landfill\n",
    "flows.csv": "source,target,material,quantity,unit,category\nMINE,SMELT,광석,1200.5,t,product\n"
    "SMELT,CEM,슬래그,300,t,by-product\nCEM,LF,분진,50,t,waste\n",
}
CYRILLIC = {
    "firms.csv": "id,name,sector,role\nMINE,Норильский рудник,горное дело,extraction\n"
    "SMELT,Надеждинский завод,металлургия,firm\nCEM,Цементный завод,цемент,firm\n"
    "LF,Полигон,landfill,landfill\n",
    "flows.csv": "source,target,material,quantity,unit,category\nMINE,SMELT,руда,1200.5,t,product\n"
    "SMELT,CEM,шлак,300,t,by-product\nCEM,LF,пыль,50,t,waste\n",
}
CHINESE = {
    "firms.csv": "id,name,sector,role\nMINE,铜陵有色冬瓜山铜矿,采矿,extraction\n"
    "SMELT,金隆铜业有限公司,冶炼,firm\nCEM,铜陵海螺水泥,水泥,firm\nLF,填埋场,landfill,landfill\n",
    "flows.csv": "source,target,material,quantity,unit,category\n"
    "MINE,SMELT,铜精矿,1200.5,t,product\nSMELT,CEM,铜渣,300,t,by-product\nCEM,LF,粉尘,50,t,waste\n",
}


def write(folder: Path, files: dict[str, str], encoding: str, only: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        data = text.encode(encoding if only in (None, name) else "utf-8")
        (folder / name).write_bytes(data)
    return folder


def refused(folder: Path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        load(folder)
    return [(Path(p.file).name, p.row, p.message, p.hint) for p in caught.value.problems]


HINT = "save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8)"


def converted(code: str, western: bool = False) -> str:
    """The hint naming how to convert a file of the code page ``code``."""
    said = " if its text is Western European" if western else ""
    return (
        f"{HINT}, or convert it{said}: iconv -f {code} -t UTF-8 FILE > NEW.csv (in Python, "
        f"read it with encoding='{code}' and write it with encoding='utf-8')"
    )


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949"])
def test_korean_files_are_refused_and_named(tmp_path, encoding):
    assert refused(write(tmp_path, KOREAN, encoding)) == [
        (
            "firms.csv",
            2,
            "is not UTF-8 text (byte 0xBF): it looks like Korean (EUC-KR)",
            converted("CP949"),
        ),
        (
            "flows.csv",
            2,
            "is not UTF-8 text (byte 0xB1): it looks like Korean (EUC-KR)",
            converted("CP949"),
        ),
    ]


@pytest.mark.parametrize("only", [None, "flows.csv"])
def test_cyrillic_files_are_refused_and_named(tmp_path, only):
    """Measured: firms.csv refused (an odd-length word is no GB18030 pair), flows.csv read
    as '痼溧', '嚓' and '稃朦'."""
    found = refused(write(tmp_path, CYRILLIC, "cp1251", only))
    flows = ("flows.csv", 2, "is not UTF-8 text (byte 0xF0): it looks like Cyrillic (Windows-1251)",
             converted("CP1251"))  # fmt: skip
    firms = ("firms.csv", 2, "is not UTF-8 text (byte 0xCD): it looks like Cyrillic (Windows-1251)",
             converted("CP1251"))  # fmt: skip
    assert found == ([flows] if only else [firms, flows])


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_chinese_files_still_load(tmp_path, encoding):
    network = load(write(tmp_path, CHINESE, encoding))
    utf8 = load(write(tmp_path / "utf8", CHINESE, "utf-8"))
    assert network.firms.equals(utf8.firms) and network.flows.equals(utf8.flows)
    assert "金隆铜业有限公司" in set(network.firms["name"])
    assert len([w for w in network.warnings if "read as GB18030" in w]) == 2


@pytest.mark.parametrize(
    "text",
    [
        "铜陵有色金属集团股份有限公司,冶炼,硫酸,粉煤灰,脱硫石膏",
        "安徽海螺水泥（芜湖）,熟料,水泥,余热发电,℃,①",
        "粉煤灰,炉渣",  # hanzi whose bytes are Hangul's, beside others
        "海螺水泥 Conch (SO2回收) A区",
        "铜渣,尾矿,煤矿",  # whose bytes read in Windows-1251 as capitalised words
    ],
)
def test_chinese_text_is_chinese(text):
    raw = f"id,name\nA,{text}\n".encode("gbk")
    assert chinese_text(raw) == raw.decode("gbk")
    assert other_encoding(raw) is None


@pytest.mark.parametrize(
    ("text", "encoding", "name"),
    [
        ("광석,슬래그,분진", "euc-kr", "Korean (EUC-KR)"),
        ("포스코 광양제철소,석탄재,폐수 슬러지", "cp949", "Korean (EUC-KR)"),
        ("руда,шлак,пыль", "cp1251", "Cyrillic (Windows-1251)"),
        ("ООО Северсталь,Череповец", "cp1251", "Cyrillic (Windows-1251)"),
        ("Металургійний комбінат", "cp1251", "Cyrillic (Windows-1251)"),  # Ukrainian
    ],
)
def test_other_code_pages_are_not_chinese(text, encoding, name):
    raw = f"id,name\nA,{text}\n".encode(encoding)
    assert chinese_text(raw) is None
    assert other_encoding(raw) == name


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Müller Größe", "cp1252"), ("Compañía Ação", "cp1252"), ("Θεσσαλονίκη", "cp1253")],
)
def test_text_of_other_scripts_is_named_by_no_wrong_code_page(text, encoding):
    assert other_encoding(f"id,name\nA,{text}\n".encode(encoding)) is None


# ------------------------------------------------------------- Western European code pages

#: tester-agro11: a Brazilian Excel's 'CSV' (Windows-1252), refused with no encoding named.
PORTUGUESE = {
    "firms.csv": "id,name,role\nUSI,Usina São Martinho,firm\nDEST,Destilaria,firm\n"
    "LAV,Lavouras de cana,farm\n",
    "flows.csv": "source,target,material,quantity,unit,category\n"
    "DEST,LAV,vinhaça,1350000,m3,by-product\nUSI,DEST,melaço,250000,t,by-product\n",
}


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_western_european_file_is_refused_and_named(tmp_path, encoding):
    name = "it looks like Windows-1252 or Latin-1 (Western European)"
    assert refused(write(tmp_path, PORTUGUESE, encoding)) == [
        ("firms.csv", 2, f"is not UTF-8 text (byte 0xE3): {name}", converted("CP1252", True)),
        ("flows.csv", 2, f"is not UTF-8 text (byte 0xE7): {name}", converted("CP1252", True)),
    ]


@pytest.mark.parametrize(
    ("text", "encoding", "western"),
    [
        ("Müller Größe", "cp1252", True),
        ("Compañía Ação", "cp1252", True),
        ("Société Générale,Île-de-France,15 °C", "cp1252", True),
        ("Θεσσαλονίκη", "cp1253", False),  # Greek: whole words outside ASCII
        ("руда,шлак,пыль", "cp1251", False),
        ("광석,슬래그,분진", "euc-kr", False),
        ("铜渣,尾矿,煤矿", "gbk", False),
    ],
)
def test_western_text_is_told(text, encoding, western):
    assert western_text(f"id,name\nA,{text}\n".encode(encoding)) is western


# ---------------------------------------------------------------------------- tiny files

TINY = {  # each file was refused as Korean (EUC-KR), its hanzi all Hangul's bytes
    "firms.csv": "id,name,sector,role\nPWR,火力发电厂,电力,firm\nHD,华电,电力,firm\n",
    "flows.csv": "source,target,material,quantity,unit,category\n"
    "PWR,HD,电力,500,MWh,product\nHD,PWR,废气,100,t,by-product\n",
}


@pytest.mark.parametrize("command", ["validate", "analyze"])
def test_tiny_chinese_files_are_read_as_chinese_by_the_command_line(tmp_path, command):
    folder = write(tmp_path / "gbk", TINY, "gbk")
    result = CliRunner().invoke(app, [command, str(folder)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    said = [line for line in result.stderr.splitlines() if "read as GB18030" in line]
    assert [line.split(": ")[1] for line in said] == [
        str(folder / "firms.csv"),
        str(folder / "flows.csv"),
    ]
    assert all("save the file as 'CSV UTF-8'" in line for line in said)
    network, utf8 = load(folder), load(write(tmp_path / "utf8", TINY, "utf-8"))
    assert network.firms.equals(utf8.firms) and network.flows.equals(utf8.flows)
    assert set(network.firms["name"]) == {"火力发电厂", "华电"}


@pytest.mark.parametrize(
    "text",
    ["火力发电厂", "垃圾发电厂", "大气排放", "废气排放", "千立方米", "电力,废气", "煤气,大气排放"],
)
def test_short_chinese_industrial_names_are_chinese(text):
    raw = f"id,name\nA,{text}\n".encode("gbk")
    assert chinese_text(raw) == raw.decode("gbk")


def _shipped_chinese_words() -> list[str]:
    """The Chinese words of the package's data: the taxonomy's, the catalogue's, its
    sectors' and sector codes' names (not the taxonomy's Japanese and Korean names, whose
    kanji are no Chinese text, nor a word with a character outside GB2312: the Japanese
    kanji among the slag origins' terms, 製鉄所, 電炉, are no simplified Chinese)."""
    words: set[str] = set()
    for path in PACKAGE.rglob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        kept = [i for i, name in enumerate(rows[0]) if name not in ("names_ja", "names_ko")]
        text = "\n".join(",".join(row[i] for i in kept if i < len(row)) for row in rows)
        words.update(re.findall(r"[\u4e00-\u9fff]+", text))
    return sorted(w for w in words if _simplified(w))


def _simplified(word: str) -> bool:
    try:
        word.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_every_shipped_chinese_name_alone_in_a_file_is_chinese():
    """Measured before: 5 of them alone in a file were refused as Korean (火力发电,
    垃圾发电, 废耐火材料, 玻璃钢废料, 面包废料)."""
    words = _shipped_chinese_words()
    assert len(words) > 500
    refused = [w for w in words if chinese_text(f"id,name\nA,{w}\n".encode("gbk")) is None]
    assert refused == []
