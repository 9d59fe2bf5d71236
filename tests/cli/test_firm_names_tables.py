"""The text tables of ``opportunities`` and ``loops`` showed ids only, unreadable where the
ids are codes (tester-areas8, defect 6): a register's credit codes and licence numbers
(``电镀污泥 91340700MA2N0005B5 -> 皖危废经第340700008号``), an ENA model's ``N3 → N6 → N3``.
A firm whose id is a code is now shown by its name too: ``name (id)`` in the opportunities,
the name alone in the loops (with its id where two read the same), as text, never markup;
a readable id (Tongling's CONCH, JG) stays alone. The loops table of several dimensions
folded its headers (``bottleneck_ma…``) and squeezed the materials a word a line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.cli.app import stdout

SLUDGE = "91340700MA2N0005B5"
LANDFILL = "皖危废经第340700008号"
RECYCLER = "皖危废经第340700001号"


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Tables 250 columns wide, unless a test asks for another width: a cell on one line."""
    monkeypatch.setattr(stdout, "width", 250)


def _run(*args: str, columns: int | None = None) -> str:
    if columns is not None:
        stdout.width = columns  # the fixture puts the width back
    result = CliRunner().invoke(app, [*args, "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _network(folder, firms: str, flows: str):
    (folder / "firms.csv").write_text(firms, encoding="utf-8")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n" + flows, encoding="utf-8"
    )
    return str(folder)


@pytest.fixture
def register(tmp_path):
    """A register's network: credit codes and licence numbers as ids; the plater's
    sludge goes to a landfill, and a recycler of the same sludge takes some already."""
    return _network(
        tmp_path,
        "id,name,role\n"
        f"{SLUDGE},[bold]Jingda[/bold] <Wire>,firm\n"
        f"{LANDFILL},安徽省危险废物填埋场,landfill\n"
        f"{RECYCLER},Anhui Recycling Co,firm\n"
        "P2,P2,firm\nMKT,Market,market\n",
        f"{SLUDGE},{LANDFILL},plating sludge,94,t,waste\n"
        f"P2,{RECYCLER},plating sludge,10,t,waste\n"
        f"{RECYCLER},MKT,copper,5,t,product\n",
    )


def test_opportunities_show_the_names_of_coded_firms(register):
    text = _run("opportunities", register)
    table = text.split("Streams disposed or emitted", 1)[1]
    assert f"[bold]Jingda[/bold] <Wire> ({SLUDGE})" in table  # markup as text
    assert f"安徽省危险废物填埋场 ({LANDFILL})" in table
    assert f"Anhui Recycling Co ({RECYCLER})" in table


def test_opportunities_keep_readable_ids_alone(tmp_path):
    folder = _network(
        tmp_path,
        "id,name,role\nJG,Jinguan Copper smelter,firm\nLF,Landfill,landfill\n"
        "RC,Recycler,firm\nP2,P2,firm\nMKT,Market,market\n",
        "JG,LF,plating sludge,94,t,waste\nP2,RC,plating sludge,10,t,waste\n"
        "RC,MKT,copper,5,t,product\n",
    )
    table = _run("opportunities", folder).split("Streams disposed or emitted", 1)[1]
    assert "plating sludge JG -> LF" in table
    assert "Jinguan" not in table and "Recycler" not in table and "(RC)" not in table


def test_the_opportunities_json_is_unchanged(register):
    """The JSON had the source's and receiver's names already; it gains nothing."""
    import json

    listed = json.loads(_run("opportunities", register, "-f", "json"))["opportunities"]
    assert listed and all("stream_target_name" not in o for o in listed)


@pytest.fixture
def reef(tmp_path):
    """An ENA model's ids (N1 ...), two compartments of one name, a readable id."""
    return _network(
        tmp_path,
        "id,name,role\nN1,Meiofauna,firm\nN2,Deposited Detritus,firm\nN3,Bacteria,firm\n"
        "N4,Bacteria,firm\nN5,[red]Predators[/red],firm\nSED,Sediment,firm\n",
        "N1,N2,energy,5,GJ,by-product\nN2,N1,energy,4,GJ,by-product\n"
        "N2,N3,energy,3,GJ,by-product\nN3,N2,energy,2,GJ,by-product\n"
        "N2,N4,energy,3,GJ,by-product\nN4,N2,energy,1,GJ,by-product\n"
        "N2,N5,energy,1,GJ,by-product\nN5,SED,energy,1,GJ,by-product\n"
        "SED,N2,energy,1,GJ,by-product\n",
    )


def test_loops_name_coded_firms(reef):
    text = _run("loops", reef)
    assert "Meiofauna → Deposited Detritus → Meiofauna" in text
    assert "N1 →" not in text and "→ N2" not in text
    # two compartments named alike: each with its id
    assert "Deposited Detritus → Bacteria (N3) → Deposited Detritus" in text
    assert "Deposited Detritus → Bacteria (N4) → Deposited Detritus" in text
    # markup in a name as text; a readable id alone (SED, named Sediment)
    assert "[red]Predators[/red] → SED → Deposited Detritus" in text
    cores = text.split("Loops", 1)[0]
    assert "Meiofauna" in cores and "Bacteria (N3)" in cores and "N1," not in cores


def test_loops_keep_readable_ids(tmp_path):
    folder = _network(
        tmp_path,
        "id,name,role\nCONCH,Tongling Conch Cement,firm\nWN,Wanneng Power Plant,firm\n",
        "CONCH,WN,limestone,5,t,by-product\nWN,CONCH,fly ash,4,t,by-product\n",
    )
    text = _run("loops", folder)
    assert "CONCH → WN → CONCH" in text and "Conch" not in text and "Wanneng" not in text


@pytest.fixture
def dimensions(tmp_path):
    """Loops in mass (one of many materials on an arc), and one in energy."""
    return _network(
        tmp_path,
        "id,role\nF1,firm\nF2,firm\nF3,firm\nF4,firm\n",
        "F1,F2,construction and demolition waste,5,t,waste\n"
        "F1,F2,carbon dioxide,5,t,waste\nF1,F2,spent grain,5,t,waste\n"
        "F2,F1,cathode copper,4,t,product\nF2,F1,process water,3,m3,product\n"
        "F3,F4,steam,6,GJ,by-product\nF4,F3,heat,2,GJ,by-product\n",
    )


def test_loops_of_several_dimensions_read_at_160_columns(dimensions):
    text = _run("loops", dimensions, "--top", "1", columns=160)
    table = text.split("Loops:", 1)[1]
    header = next(line for line in table.splitlines() if line.startswith("rank"))
    # a header of words per dimension, none folded; the dimensions of no loop shown left out
    assert "mass bottleneck" in header and "mass total" in header
    assert "_" not in header and "energy" not in header
    # a few materials an arc, the others counted, on one line
    assert "construction and demolition waste + carbon dioxide +1 more |" in table
    assert "spent grain" not in table and "cathode copper + process water" in table


def test_a_loops_header_names_its_dimension_only_when_there_are_several(tmp_path):
    folder = _network(
        tmp_path, "id,role\nA,firm\nB,firm\n", "A,B,slag,5,t,waste\nB,A,iron,4,t,product\n"
    )
    header = next(line for line in _run("loops", folder).splitlines() if line.startswith("rank"))
    assert header.split() == ["rank", "┃", "core", "┃", "length", "┃", "kind", "┃", "firms",
                              "┃", "materials", "┃", "bottleneck", "┃", "total"]  # fmt: skip


def test_labels():
    from symbiosis.cli.firm_labels import code_name, loop_labels, name_and_id, shortened

    assert code_name("N3", "Meiofauna") == "Meiofauna"
    assert code_name("CONCH", "Tongling Conch Cement") is None  # the id reads
    assert code_name("firm_1", "Firm 1") is None and code_name("F1", " ") is None
    assert name_and_id("F1", "F1") == "F1" and name_and_id("F1", "Acme") == "Acme (F1)"
    assert loop_labels(["N1", "N2", "X"], {"N1": "A", "N2": "A"}) == {
        "N1": "A (N1)", "N2": "A (N2)", "X": "X"}  # fmt: skip
    assert loop_labels(["N1", "Acme"], {"N1": "Acme"}) == {"N1": "Acme (N1)", "Acme": "Acme"}
    long = "铜陵精达特种电磁线股份有限公司铜陵分公司"
    assert cell_len(shortened(long)) <= 30 and shortened(long).endswith("…")
    assert shortened("ab…cdef", 4) == "ab…"  # one ellipsis
