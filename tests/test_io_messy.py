"""Messy files as people send them (a tester's corpus of real-world exports): each test
names what was measured before the fix, and checks the located answer now.

Each network is the small park below; a test changes one file."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiosis.errors import InputError
from symbiosis.io import load

FIRMS = """\
id,name,sector,role
MINE,Dongguashan mine,copper mining,extraction
SMELT,Jinguan Copper,copper smelting,firm
CEM,Conch Cement,cement,firm
MKT,Outside market,,market
LF,Landfill,,disposal
"""
HEADER = "source,target,material,quantity,unit,category\n"
FLOWS = HEADER + "MINE,SMELT,copper,150,kt,product\nSMELT,CEM,slag,300,t,by-product\n"


def write(folder: Path, flows: str | bytes = FLOWS, firms: str | bytes | None = FIRMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("firms.csv", firms), ("flows.csv", flows)):
        if content is not None:
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
    return folder


def problems(folder: Path) -> list:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


def said(folder: Path) -> list[tuple]:
    """(file name, row, column, message, hint) of every problem, in the order reported."""
    return [(Path(p.file).name, p.row, p.column, p.message, p.hint) for p in problems(folder)]


# ------------------------------------------------------------------------------ headers


def test_one_column_is_suggested_for_one_required_column(tmp_path):
    """Measured: 'rename column 'amount' to 'quantity'' and 'rename column 'amount' to
    'unit'', for one column; and the name lower-cased, not as the header writes it."""
    folder = write(tmp_path, "source,target,material,Amount,category\nMINE,SMELT,cu,1,product\n")
    hints = {column: hint for _, _, column, _, hint in said(folder)}
    assert hints == {
        "quantity": "rename column 'Amount' to 'quantity'",
        "unit": "add a 'unit' column",
    }


def test_invisible_characters_in_the_header_are_removed(tmp_path):
    """Measured: "rename column 'category\u200b' to 'category'", the zero-width space
    unseen. Now read as 'category' (a no-break space too), with a warning."""
    folder = write(tmp_path, FLOWS.replace("quantity", "quantity\u00a0").replace(
        "category", "category\u200b"))  # fmt: skip
    network = load(folder)
    assert len(network.flows) == 2
    [warning] = [w for w in network.warnings if "invisible" in w]
    assert "'category\\u200b'" in warning and warning.endswith("they were removed")


# ------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("name", ["Compañía Minera", "Ação Metálica", "Größe Stahl"])
def test_windows_1252_text_is_not_read_as_chinese(tmp_path, name):
    """Measured: read as GB18030 with a mere warning, the names garbled: 'Compañía' ->
    'Compa耥a', 'Ação' -> 'A玢o', 'Größe' -> 'Gr鲞e' (common hanzi, so the
    rare-character test let them through). Now refused as not UTF-8, at its row."""
    firms = FIRMS.replace("Conch Cement", name).encode("cp1252")
    [(file, row, column, message, hint)] = said(write(tmp_path, firms=firms))
    assert (file, row, column) == ("firms.csv", 4, None)
    assert message.startswith("is not UTF-8 text (byte 0x")
    assert "CSV UTF-8" in hint


def test_chinese_text_beside_latin_letters_is_still_read(tmp_path):
    """GBK names mix hanzi with Latin letters and digits (a brand, a formula): runs of
    hanzi, not one inside a Latin word."""
    firms = FIRMS.replace("Conch Cement", "海螺水泥 Conch (SO2回收) A区").encode("gbk")
    network = load(write(tmp_path, firms=firms))
    assert "海螺水泥 Conch (SO2回收) A区" in set(network.firms["name"])
    assert any("read as GB18030" in w for w in network.warnings)
