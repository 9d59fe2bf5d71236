"""symbiosis trends: text, JSON, the HTML page (offline, names escaped), clear errors."""

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from symbiosis.cli import app

YEARS = Path(__file__).parents[2] / "examples" / "years"
runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_json_has_every_year_and_the_changes():
    result = invoke("trends", YEARS, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["years"] == [2019, 2020, 2021] and data["notes"] == []
    shares = [year["values"]["mass"]["reuse_share"] for year in data["per_year"]]
    # generated: slag 300 + fly ash 60 + gypsum 70 + CO2 1,900 + offcuts 30 + scrap 120 kt
    # in 2019, of which the scrap yard's offcuts (30) and the scrap (120) are reused
    assert shares[0] == 150 / 2480 and shares == sorted(shares)
    appeared = data["changes"][0]["links_appeared"]
    assert {"source": "STL", "target": "CEM", "material": "blast furnace slag"} in appeared
    assert data["changes"][1]["loops_appeared"]


def test_text_lists_the_indicators_per_year_and_the_links_that_changed():
    result = invoke("trends", YEARS)
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "2019" in line)
    assert [c.strip() for c in header.split("┃")[3:]] == ["2019", "2020", "2021"]
    assert "From 2020 to 2021" in result.stdout
    assert "PWR → BRD: FGD gypsum" in result.stdout


def test_one_year_and_no_year_are_said_plainly(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    flows = (folder / "flows.csv").read_text().splitlines()
    (folder / "flows.csv").write_text("\n".join([flows[0], *flows[1:16]]) + "\n")
    result = invoke("trends", folder)
    assert result.exit_code == 0, result.output
    assert "note: one year only (2019): nothing to compare" in result.stdout
    result = invoke("trends", "--example", "tongling", "-q")
    assert "note: the flows have no year: one period" in result.stdout


def test_undated_flows_are_warned_about(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    with (folder / "flows.csv").open("a") as file:
        file.write("STL,LF,refractory bricks,3,kt,waste,\n")
    result = invoke("trends", folder, "-f", "json")
    assert result.exit_code == 0
    assert "1 flows have no year: they are counted in every year (2019, 2020, 2021)" in (
        result.stderr
    )


def test_html_page_draws_charts_offline_with_names_escaped(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    firms = (folder / "firms.csv").read_text()
    (folder / "firms.csv").write_text(firms.replace("PWR,", "<script>x</script>,", 1))
    flows = (folder / "flows.csv").read_text().replace("PWR,", "<script>x</script>,")
    (folder / "flows.csv").write_text(flows.replace(",PWR,", ",<script>x</script>,"))
    page = tmp_path / "trends.html"
    result = invoke("trends", folder, "--html", page, "-q")
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.count('<svg class="trends"') == 4  # shares and quantities, mass and energy
    assert "<script>x</script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "Content-Security-Policy" in text


def test_html_may_not_name_an_input(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    before = (folder / "flows.csv").read_bytes()
    result = invoke("trends", folder, "--html", folder / "flows.csv")
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert (folder / "flows.csv").read_bytes() == before


def test_a_bad_year_is_located_and_exit_2(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    flows = (folder / "flows.csv").read_text().replace("product,2019", "product,19", 1)
    (folder / "flows.csv").write_text(flows)
    result = invoke("trends", folder)
    assert result.exit_code == 2
    assert "flows.csv:2: year: 19 is not a year from 1000 to 9999; write the year like 2019" in (
        result.stderr
    )


def test_a_year_with_a_leading_zero_is_not_said_to_lack_digits(tmp_path):
    """Measured: '0999' was 'not a four-digit year', which it is (four digits)."""
    folder = tmp_path / "net"
    shutil.copytree(YEARS, folder)
    flows = (folder / "flows.csv").read_text().replace("product,2019", "product,0999", 1)
    (folder / "flows.csv").write_text(flows)
    result = invoke("validate", folder)
    assert result.exit_code == 2
    assert "flows.csv:2: year: 0999 is not a year from 1000 to 9999; write the year like 2019" in (
        result.stderr
    )
    assert "four-digit" not in result.stderr


def test_a_report_with_a_trends_section_draws_it():
    """The report's hook: a ``trends`` section (added by a library user) is drawn with the
    charts; a report without one is unchanged (tests/test_golden.py)."""
    from symbiosis.analysis.trends import trends
    from symbiosis.export.report_html import report_html
    from symbiosis.io import load
    from symbiosis.report import Report

    network = load(YEARS)
    report = Report(sections={"summary": network.summary(), "trends": trends(network)})
    page = report_html(network, report, include_network=False)
    assert '<section id="section-trends"><h2>Trends by year</h2>' in page
    assert page.count('<svg class="trends"') == 4
    assert "From 2020 to 2021" in page


def test_the_page_counts_every_changed_link_when_the_dict_lists_the_first():
    """The report's dict lists the first links of each change (``rows`` has the full
    count): the page gives the full count."""
    from symbiosis.export.report_trends import _change_html

    change = {
        "from": 2019,
        "to": 2020,
        "loops_appeared": [],
        "loops_vanished": [],
        "links_appeared": [{"source": "A", "target": "B", "material": "slag"}],
        "links_vanished": [],
        "rows": {"links_appeared": 4321, "links_vanished": 0},
    }
    page = _change_html(change)
    assert 'Links that appeared <span class="count">(4,321 rows)</span>' in page
    assert page.count("4,321") == 2  # the caption and "First 1 of 4,321 rows"
    assert "First 1 of 4,321 rows" in page
    assert "Links that vanished: none." in page


def test_the_page_gives_each_count_once(tmp_path):
    page = tmp_path / "trends.html"
    assert invoke("trends", YEARS, "--html", page, "-q").exit_code == 0
    text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
    assert "Links that appeared (2)" in text and "Links that appeared (3)" in text
    assert not re.search(r"\(\d+\) \(\d+( rows)?\)", text)  # "(2) (2)", "(27) (27 rows)"


SMALL = Path(__file__).parents[1] / "data" / "small"
KALUNDBORG = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"


def cells(text: str) -> dict[tuple[str, str], list[str]]:
    """The rows of a text table of indicators: (dimension, indicator) -> the other cells."""
    rows = [[c.strip() for c in line.split("│")] for line in text.splitlines() if "│" in line]
    return {(row[0], row[1]): row[2:] for row in rows if len(row) > 3}


def test_a_dimension_without_a_known_size_is_unknown_not_zero(tmp_path):
    """README: "every command says what needs sizes instead of printing zeros". SMALL's
    one volume flow has no size in 2019 and a size in 2020: 2019's volume sums and shares
    say unknown (null in JSON), 2020's are numbers; cyclicity and loops, read from the
    links, stay numbers. Kalundborg has no size at all: no quantity row shows 0."""
    folder = tmp_path / "net"
    shutil.copytree(SMALL, folder)
    flows = (folder / "flows.csv").read_text().splitlines()
    dated = [flows[0] + ",year", *(row + ",2019" for row in flows[1:] if row)]
    dated += [row.replace(",,m3", ",40,m3") + ",2020" for row in flows[1:] if row]
    (folder / "flows.csv").write_text("\n".join(dated) + "\n")
    result = invoke("trends", folder, "-q")
    assert result.exit_code == 0, result.output
    table = cells(result.stdout)
    for indicator in ("generated", "total system throughflow", "reuse share"):
        assert table[("volume", indicator)][1] == "unknown", indicator  # 2019
        assert table[("volume", indicator)][2] != "unknown", indicator  # 2020
    assert table[("volume", "total system throughflow")][2] == "80"
    assert table[("volume", "loops")][1:] == ["0", "0"]
    assert "unknown" not in table[("mass", "generated")]
    assert "unknown: no volume flow of known size there" in result.stdout
    data = json.loads(invoke("trends", folder, "-q", "-f", "json").stdout)
    volume = [year["values"]["volume"] for year in data["per_year"]]
    assert volume[0]["generated"] is None and volume[0]["total_system_throughflow"] is None
    assert volume[1]["total_system_throughflow"] == 80.0 and volume[0]["loops"] == 0
    park = cells(invoke("trends", KALUNDBORG, "-q").stdout)
    shown = {key: row for key, row in park.items() if key[0] != "all"}
    assert shown and all(row[-1] != "0" for (_, i), row in shown.items() if row[0])
    assert park[("mass", "generated")][-1] == "unknown" and park[("energy", "loops")][-1] == "1"
