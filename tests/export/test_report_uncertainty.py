"""The uncertainty section of the HTML report (export/report_uncertainty.py) and
``symbiosis report --samples``."""

from __future__ import annotations

import re

import pandas as pd
from typer.testing import CliRunner

import symbiosis
from symbiosis.cli import app
from symbiosis.examples import example_path
from symbiosis.export.report_html import report_html
from symbiosis.export.report_uncertainty import interval_text, render_uncertainty

EVIL = "<script>alert(1)</script>"


def _evil_network():
    firms = pd.DataFrame(
        {
            "id": [EVIL, "B", "L"],
            "role": ["firm", "firm", "landfill"],
        }
    )
    flows = pd.DataFrame(
        {
            "source": [EVIL, EVIL, "B"],
            "target": ["B", "L", EVIL],
            "material": ["slag", "slag", "scrap"],
            "quantity": [60.0, 40.0, 10.0],
            "unit": ["t", "t", "t"],
            "category": ["by-product", "waste", "by-product"],
            "uncertainty": [0.2, 0.3, 0.1],
        }
    )
    return symbiosis.from_frames(firms, flows)


def test_the_section_shows_intervals_and_names_as_text():
    network = _evil_network()
    report = symbiosis.analyze(network, samples=50, seed=2)
    html = render_uncertainty(report.uncertainty)
    assert EVIL not in html and "&lt;script&gt;" in html
    assert "<svg" in html and "reuse share" in html
    page = report_html(network, report)
    assert EVIL not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # nothing from the network


def test_the_cards_give_the_95_percent_interval_of_the_reuse_share():
    network = symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(network, samples=100, seed=1)
    data = report.uncertainty.to_dict()
    low, high = report.uncertainty.interval("mass", "reuse_share")
    text = interval_text(data, "mass", "reuse_share")
    assert text == f"95 %: {100 * low:.1f}–{100 * high:.1f} %"
    assert text in report_html(network, report, include_network=False)
    assert interval_text(None, "mass", "reuse_share") is None
    assert interval_text(data, "mass", "no_such_indicator") is None


def test_report_command_with_samples(tmp_path):
    out = tmp_path / "report.html"
    args = ["report", "--example", "tongling", "--out", str(out), "--samples", "60", "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'id="section-uncertainty"' in page and "95 %:" in page
    plain = tmp_path / "plain.html"
    result = CliRunner().invoke(app, ["report", "--example", "tongling", "--out", str(plain)])
    assert result.exit_code == 0 and 'id="section-uncertainty"' not in plain.read_text()
    bad = CliRunner().invoke(app, [*args[:5], "--samples", "1"])
    assert bad.exit_code == 2 and "samples must be" in bad.output


def test_analyze_with_samples_puts_the_intervals_in_the_json():
    args = ["analyze", "--example", "tongling", "-q", "-f", "json", "--samples", "30"]
    result = CliRunner().invoke(app, [*args, "--seed", "4", "--uncertainty", "0.1"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["uncertainty"]["samples"] == 30 and data["uncertainty"]["seed"] == 4
    assert data["uncertainty"]["default_uncertainty"] == 0.1
    mass = data["uncertainty"]["dimensions"]["mass"]["reuse_share"]
    assert mass["p2.5"] <= mass["p50"] <= mass["p97.5"]
