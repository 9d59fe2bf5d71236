"""``reuse --by firm`` showed firm ids only, where a register's ids are credit codes
(91340700MA2N0005B5) and the firms table gives the company's name (tester-areas8): the
text now shows the name beside the id where one differs, as text (never markup), and no
name column where every name is its id."""

from __future__ import annotations

from typer.testing import CliRunner

from symbiosis.cli import app

FLOWS = (
    "source,target,material,quantity,unit,category\n"
    "91340700MA2N0005B5,LF,sludge,94,t,waste\n"
    "91340700MA2N0005B5,B,scrap,10,t,by-product\n"
)


def _reuse(tmp_path, firms: str) -> str:
    (tmp_path / "firms.csv").write_text(firms, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(FLOWS, encoding="utf-8")
    result = CliRunner().invoke(app, ["reuse", str(tmp_path), "--by", "firm", "-q"],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout.split("Residuals by generating firm", 1)[1]


def test_the_firms_name_is_shown_beside_its_id(tmp_path):
    text = _reuse(tmp_path, "id,name,role\n91340700MA2N0005B5,[bold]Jingda[/bold] Wire,firm\n"
                            "LF,Landfill,landfill\nB,B,firm\n")  # fmt: skip
    header = text.splitlines()[1]
    assert "name" in header
    assert "91340700MA2N0005B5" in text and "[bold]Jingda[/bold] Wire" in text


def test_no_name_column_when_names_are_the_ids(tmp_path):
    text = _reuse(tmp_path, "id,role\n91340700MA2N0005B5,firm\nLF,landfill\nB,firm\n")
    assert "name" not in text.splitlines()[1]
