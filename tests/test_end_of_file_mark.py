"""A DOS end-of-file mark (Ctrl-Z, 0x1A) after the last row is named, in every kind of
file (a tester's: a network file called it "notes below the table (row 5): one cell of
text", a demands file "after the last flow", a catalogue, taxonomy or register "has 1
fields where the header has 4", none saying which character; a firms file took it for a
firm with the id '\\x1a')."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiosis.catalogue import read_pathways
from symbiosis.errors import InputError
from symbiosis.io import load
from symbiosis.io.demands import read_demands
from symbiosis.taxonomy import load_taxonomy

MARK = "holds a Ctrl-Z (0x1A) after the last row, the end-of-file mark of old DOS programs"
HINT = "delete it (it is read as a row of its own)"
FIRMS = "id,name,role\nMINE,Mine,extraction\nSMELT,Smelter,firm\nLF,Landfill,landfill\n"
FLOWS = (
    "source,target,material,quantity,unit,category\nMINE,SMELT,ore,1200,t,product\n"
    "SMELT,LF,slag,300,t,waste\n"
)


def said(read, path: Path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        read(path)
    return [(Path(p.file).name, p.row, p.column, p.message, p.hint) for p in caught.value.problems]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize("name", ["flows.csv", "firms.csv"])
def test_a_network_file(tmp_path, name, end):
    texts = {"firms.csv": FIRMS, "flows.csv": FLOWS}
    texts[name] += "\x1a"
    for file, text in texts.items():
        (tmp_path / file).write_bytes(text.replace("\n", end).encode())
    rows = {"firms.csv": 5, "flows.csv": 4}
    assert said(load, tmp_path) == [(name, rows[name], None, MARK, HINT)]


def test_a_catalogue(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(b"id,material,receiving_sector,source\nd1,dust,brick making,Paper\n\x1a")
    assert said(read_pathways, path) == [("mine.csv", 3, None, MARK, HINT)]


def test_a_taxonomy(tmp_path):
    path = tmp_path / "materials.csv"
    path.write_bytes(b"family,material\nslag,x slag\n\x1a")
    assert said(load_taxonomy, path) == [("materials.csv", 3, None, MARK, HINT)]


def test_a_demands_file(tmp_path):
    path = tmp_path / "demands.csv"
    path.write_bytes(b"firm,material,quantity,unit\nCEM,slag,300,t\n\x1a")
    assert said(read_demands, path) == [("demands.csv", 3, None, MARK, HINT)]


def test_a_register(tmp_path):
    pytest.importorskip("ibis")
    from symbiosis.registers import import_registers

    path = tmp_path / "reg.csv"
    path.write_bytes(
        b"date,sender,receiver,waste_code,operation,quantity,unit\r\n"
        b"2019-01-01,A,B,170405,R4,1,t\r\n2019-01-01,,B,170405,R4,1,t\r\n\x1a"
    )
    problems = said(lambda p: import_registers([p], None), path)
    assert [p[1:3] for p in problems] == [(3, "sender"), (4, None)]
    assert problems[1][3:] == (MARK, HINT)
