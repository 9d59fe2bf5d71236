"""A report read back from JSON (``Report.from_dict``: each section a RecordedSection, its
dict alone) in every view and export that takes a report.

Before: the notebook's view of such a report (``report_block_html``, what IPython shows
for ``report`` in a cell, and the view of each section) raised ``AttributeError:
'RecordedSection' object has no attribute 'to_frame'``, and so did the tables of --xlsx
and --csv (``section_tables``, ``report_tables``): a user who loaded a saved report in
Jupyter got a traceback. Now the notebook shows the tables each section's dict holds
(the headline as for the analysed report), and the typed tables of the exports, which the
dict does not hold whole, are refused with a TypeError that says to analyze the network
again. The HTML report and the network page already read a section through its dict."""

from __future__ import annotations

import html
import json
import re
import warnings

import pandas as pd
import pytest
from html_networks import HOSTILE, hostile_network

import symbiosis
import symbiosis.notebook as nb
from symbiosis.examples import example_path
from symbiosis.export.network_html import network_html
from symbiosis.export.notebook import report_block_html, section_block_html
from symbiosis.export.xlsx import csv_files, report_tables, section_tables, workbook_bytes
from symbiosis.report import RecordedSection, Report


def _register_network() -> symbiosis.FlowNetwork:
    """Waste codes and operations over two years: the recovery and trends sections."""
    firms = pd.DataFrame({"id": ["SMELT", "REC", "LF"], "role": ["firm", "recycling", "disposal"]})
    flows = pd.DataFrame(
        [("SMELT", "REC", 10.5, "17 04 05", "R4", 2019),
         ("SMELT", "LF", 20, "10 06 01", "D1", 2019),
         ("SMELT", "REC", 4, "10 06 01", "R5", 2020),
         ("SMELT", "LF", 5, "10 06 01", "D1", 2020)],
        columns=["source", "target", "quantity", "waste_code", "operation", "year"],
    ).assign(unit="t", material="waste", category="waste")  # fmt: skip
    return symbiosis.from_frames(firms, flows)


def _analysed(name: str) -> tuple[symbiosis.FlowNetwork, Report, Report]:
    """The network, its report and the report read back from its JSON text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "hostile":
            network = hostile_network()
        elif name == "register":
            network = _register_network()
        else:
            network = symbiosis.load(example_path(name))
        report = symbiosis.analyze(network, **({"samples": 30} if name == "tongling" else {}))
        recorded = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert all(isinstance(s, RecordedSection) for s in recorded.sections.values())
    return network, report, recorded


@pytest.fixture(scope="module", params=["tongling", "years", "hostile", "register"])
def analysed(request):
    return _analysed(request.param)


@pytest.fixture(scope="module")
def tongling():
    return _analysed("tongling")


def _headline(block: str) -> str:
    """The report block up to its first section."""
    return block[: block.index("<details><summary>summary</summary>")]


def test_the_notebook_shows_a_report_read_back_from_json(analysed):
    _, report, recorded = analysed
    block = report_block_html(recorded)  # AttributeError: ... 'to_frame' before
    assert nb.html(recorded) == block  # what IPython shows for it
    assert _headline(block) == _headline(report_block_html(report))  # the same numbers
    for name in recorded.sections:
        assert f"<details><summary>{name}</summary>" in block
        section = section_block_html(name, recorded[name])
        assert nb.html(recorded[name]) == section
        assert "read from JSON" in section and "analyze the network again" in section


def test_a_recorded_section_shows_the_values_of_its_dict(tongling):
    _, report, recorded = tongling
    data = report.to_dict()
    reuse = section_block_html("reuse", recorded["reuse"], max_rows=100)
    for row in data["reuse"]["by_material"]:
        assert f"<td>{html.escape(row['material'])}</td>" in reuse
    balance = section_block_html("balance", recorded["balance"], max_rows=100)
    for row in data["balance"]["flagged"]:
        assert f"<td>{html.escape(row['name'])}</td>" in balance
    # blocks per dimension: a row each, with its unit
    for dimension, block in data["cycling"]["dimensions"].items():
        assert f"<td>{dimension}</td>\n      <td>{html.escape(block['unit'])}</td>" in (
            section_block_html("cycling", recorded["cycling"])
        )
    shown = section_block_html("loops", recorded["loops"])
    assert f'<strong>loops</strong> <span class="unit">({data["loops"]["found"]} rows)' in shown


def test_a_list_cut_at_the_listed_rows_says_its_full_count(tongling):
    """A big section's dict lists at most the listed rows of a table (``rows`` gives
    each full count): the caption says both."""
    _, report, _ = tongling
    data = report.to_dict()
    data["reuse"] = report.reuse.to_dict(limit=2)
    listed = len(data["reuse"]["by_material"])
    whole = data["reuse"]["rows"]["by_material"]
    assert listed < whole
    block = section_block_html("reuse", Report.from_dict(data)["reuse"])
    said = f"({listed} of {whole} rows; {listed} in the saved report)"
    assert f'<strong>by_material</strong> <span class="unit">{said}</span>' in block


def test_ipython_shows_a_recorded_report_and_its_sections():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert nb.register(shell)
    _, _, recorded = _analysed("years")
    for obj in (recorded, *recorded.sections.values()):
        data, _ = shell.display_formatter.format(obj)
        assert data["text/html"].startswith('<div class="symbiosis-nb">'), type(obj)


def test_the_tables_of_the_exports_refuse_a_recorded_section_clearly(tongling):
    _, report, recorded = tongling
    for name, section in recorded.sections.items():
        with pytest.raises(TypeError, match=rf"section '{name}' was read from JSON") as caught:
            section_tables(name, section)
        assert "analyze the network again" in str(caught.value)
        assert f"report[{name!r}].to_dict()" in str(caught.value)
    with pytest.raises(TypeError, match="analyze the network again") as caught:
        workbook_bytes(report_tables(recorded.sections))
    listed = ", ".join(repr(name) for name in recorded.sections)
    assert f"the sections {listed} were read from JSON" in str(caught.value)
    mixed = {**report.sections, "loops": recorded["loops"]}  # one recorded: it alone named
    with pytest.raises(TypeError, match=r"the section 'loops' was read from JSON"):
        csv_files(report_tables(mixed))
    assert report_tables(report.sections)  # the analysed report's, as before


def test_the_pages_of_a_recorded_report_are_the_analysed_report_s(tongling):
    """The network page and the inline view read the loops' cores from the dict."""
    network, report, recorded = tongling
    assert network_html(network, recorded) == network_html(network, report)
    assert nb.show(network, recorded).data == nb.show(network, report).data


def test_hostile_names_of_a_recorded_report_are_text():
    _, _, recorded = _analysed("hostile")
    blocks = [nb.html(recorded)] + [nb.html(s) for s in recorded.sections.values()]
    for block in blocks:
        for text in HOSTILE.values():
            assert text not in block
        lowered = block.lower()
        for tag in ("<img", "<b>", '<a href="javascript', "<!--", "<script"):
            assert tag not in lowered
    assert "&lt;script&gt;alert(" in blocks[0]


def test_recorded_tables_of_a_hand_written_dict():
    from symbiosis.export.recorded import recorded_tables

    data = {
        "tolerance": 0.05,
        "kinds": ["redirect", "expand"],
        "units": {"mass": "t/yr"},
        "dimensions": {"mass": {"unit": "t/yr", "flagged": 2}, "energy": {"flagged": 0}},
        "flagged": [{"firm": "A", "total": {"mass": 3.0}}, {"firm": "B", "total": {}}],
        "cumulative": {"edits": 1, "applied": [{"rank": 1}], "loops": [["A", "B"]]},
        "uncovered": [],
        "rows": {"flagged": 7},
    }
    tables = recorded_tables(data, max_rows=1)
    assert list(tables) == ["values", "units", "dimensions", "flagged", "cumulative",
                            "cumulative_applied", "cumulative_loops", "uncovered"]  # fmt: skip
    values = tables["values"].frame
    assert values.to_dict("list") == {"key": ["tolerance", "kinds"],
                                      "value": [0.05, "redirect; expand"]}  # fmt: skip
    dimensions = tables["dimensions"].frame
    assert list(dimensions["dimension"]) == ["mass", "energy"]
    assert list(dimensions["flagged"]) == [2, 0]
    flagged = tables["flagged"]
    assert (flagged.recorded, flagged.total) == (2, 7)  # the dict's count of the whole
    assert flagged.frame.to_dict("records") == [{"firm": "A", "total_mass": 3.0}]  # 1 row
    assert tables["cumulative"].frame.to_dict("list") == {"key": ["edits"], "value": [1]}
    assert list(tables["cumulative_loops"].frame["value"]) == ["A; B"]
    assert tables["uncovered"].frame.empty and tables["uncovered"].total == 0
    assert re.fullmatch(r"\{\}", str(recorded_tables({"x": [{"y": {}}]})["x"].frame["y"][0]))
