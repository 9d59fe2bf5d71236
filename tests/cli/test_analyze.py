"""The analyze and validate commands, the version option and the bundled example."""

import importlib
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis import __version__
from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()
analyze_command = importlib.import_module("symbiosis.cli.analyze")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"symbiosis {__version__}"


def test_no_arguments_shows_help_and_exits_2():
    result = invoke()
    assert result.exit_code == 2
    assert "analyze" in result.output


def test_validate_valid_network():
    result = invoke("validate", SMALL)
    assert result.exit_code == 0, result.output
    assert "valid: 7 nodes (4 actors, 3 boundary) and 9 flows (1 of unknown size)" in result.stdout
    assert "1 flow(s) have no quantity" in result.stderr


def test_validate_quiet_hides_warnings():
    result = invoke("validate", SMALL, "--quiet")
    assert result.exit_code == 0 and result.stderr == ""


def test_analyze_json_is_the_report_and_only_json_on_stdout():
    result = invoke("analyze", SMALL, "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["flows"] == 9
    assert report["summary"]["totals"]["mass"]["imports"] == 1_000_000
    assert report["symbiosis_version"] == __version__


def test_analyze_throughflow_rule_is_used_and_stated():
    result = invoke("analyze", SMALL, "-f", "json", "-q", "--throughflow", "inflow")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cycling"]["throughflow_rule"] == "inflow"
    assert report["options"]["throughflow"] == "inflow"
    balanced = invoke("analyze", SMALL, "-f", "json", "-q", "--balance", "avg2")
    assert balanced.exit_code == 0, balanced.output
    assert json.loads(balanced.stdout)["cycling"]["balance"] == "avg2"
    refused = invoke("analyze", SMALL, "--throughflow", "average")
    assert refused.exit_code == 2 and "average" in refused.output


def test_analyze_json_and_html_together(tmp_path):
    page = tmp_path / "report.html"
    result = invoke("analyze", SMALL, "-f", "json", "-q", "--html", page)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["flows"] == 9
    assert "<html" in page.read_text(encoding="utf-8").lower()


def test_two_outputs_on_one_path_are_refused(tmp_path):
    """--out r.json --html r.json would keep only the HTML (issue 18, item 3)."""
    both = tmp_path / "r.json"
    result = invoke("analyze", SMALL, "-q", "--out", both, "--html", both)
    assert result.exit_code == 2 and "give two file names" in result.output
    assert not both.exists()


def test_analyze_text_prints_the_summary():
    result = invoke("analyze", SMALL)
    assert result.exit_code == 0, result.output
    assert "Network: 7 nodes (4 actors, 3 boundary), 9 flows, 1 of unknown size" in result.stdout
    assert "mass (t/yr)" in result.stdout


def test_analyze_without_path_explains_the_example():
    result = invoke("analyze")
    assert result.exit_code == 2
    assert "symbiosis analyze --example tongling" in result.stderr


def test_analyze_out_writes_json_and_refuses_to_overwrite_inputs(tmp_path):
    target = tmp_path / "deep" / "report.json"
    result = invoke("analyze", SMALL, "--out", target, "--quiet")
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["firms"] == 7
    before = (SMALL / "flows.csv").read_bytes()
    result = invoke("analyze", SMALL, "--out", SMALL / "flows.csv", "--quiet")
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert (SMALL / "flows.csv").read_bytes() == before


def test_missing_path_is_an_input_error():
    result = invoke("analyze", "no/such/folder")
    assert result.exit_code == 2
    assert "no/such/folder: does not exist" in result.stderr


def test_bundled_example_validates():
    result = invoke("validate", "--example", "tongling", "--quiet")
    assert result.exit_code == 0, result.output


def test_unknown_example_is_an_input_error():
    result = invoke("validate", "--example", "atlantis")
    assert result.exit_code == 2
    assert "no bundled example 'atlantis'" in result.stderr


@pytest.mark.parametrize("entry", [["-m", "symbiosis"]])
def test_module_entry_point_runs(entry):
    completed = subprocess.run(
        [sys.executable, *entry, "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("symbiosis ")


def test_analyze_passes_the_search_bounds_and_tolerance():
    result = invoke(
        "analyze",
        SMALL,
        "-f",
        "json",
        "-q",
        "--max-length",
        "2",
        "--max-loops",
        "7",
        "--tolerance",
        "0.1",
    )
    assert result.exit_code == 0, result.output
    options = json.loads(result.stdout)["options"]
    assert (options["max_loop_length"], options["max_loops"], options["balance_tolerance"]) == (
        2,
        7,
        0.1,
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max-length", "0", "--max-length must be a whole number >= 1"),
        ("--tolerance", "-1", "--tolerance must be a number >= 0"),
        ("--time-budget", "0", "--time-budget must be a number > 0"),
    ],
)
def test_analyze_bad_bounds_are_input_errors(option, value, message):
    result = invoke("analyze", SMALL, option, value, "-q")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["analyze", "report"])
@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--seed", "3"], "--seed changes nothing without --samples"),
        (["--seed", "0"], "--seed changes nothing without --samples"),
        (["-u", "0.1"], "--uncertainty changes nothing without --samples"),
        (["-u", "0.1", "--seed", "3"], "--seed and --uncertainty change nothing without --samples"),
    ],
)
def test_sampling_options_without_samples_are_refused(tmp_path, command, given, said):
    """They did nothing, exit 0: refused, exit 2, nothing written (a tester's report)."""
    page = tmp_path / "r.html"
    result = invoke(command, SMALL, *given, *(["--out", page] if command == "report" else []))
    assert result.exit_code == 2 and said in result.stderr, result.output
    assert "add --samples N, e.g. --samples 1000" in result.stderr
    assert not page.exists() and "Traceback" not in result.output


def test_sampling_and_section_problems_are_reported_together():
    result = invoke("analyze", SMALL, "--seed", "3", "--sections", "nope")
    assert result.exit_code == 2 and "2 problems found" in result.stderr
    assert "--sections: unknown section(s) 'nope'" in result.stderr and "--seed" in result.stderr


@pytest.mark.parametrize("extra", [[], ["--sections", "loops,reuse"]])
def test_streamed_text_and_json_are_those_of_the_kept_report(tmp_path, extra):
    """Without --html/--xlsx/--csv each section is printed (and put in --out) as it is
    made, one typed result held at a time; with --csv the whole report is kept. The
    printed text and the JSON written are the same either way."""
    kept = invoke("analyze", "--example", "tongling", "--csv", tmp_path / "t", "-o",
                  tmp_path / "kept.json", *extra)  # fmt: skip
    streamed = invoke("analyze", "--example", "tongling", "-o", tmp_path / "s.json", *extra)
    assert kept.exit_code == streamed.exit_code == 0, kept.output + streamed.output
    assert streamed.stdout == kept.stdout and "Headline" in streamed.stdout
    assert (tmp_path / "s.json").read_bytes() == (tmp_path / "kept.json").read_bytes()
    as_json = invoke("analyze", "--example", "tongling", "-f", "json", "-q", *extra)
    assert json.loads(as_json.stdout) == json.loads((tmp_path / "s.json").read_text())


@pytest.mark.parametrize("extra", [[], ["--sections", "loops,reuse,structure"], ["--out"]])
def test_the_text_rendered_on_the_lanes_threads_is_the_same(monkeypatch, tmp_path, extra):
    """From symbiosis._threads.PARALLEL_FLOWS flows on, each section is rendered (and,
    with --out, made a dict) in the lane (thread) that made it: the same text, in the
    same order, and the same JSON, as in one thread."""
    import symbiosis._threads

    def run(name):
        out = [tmp_path / name] if extra == ["--out"] else []
        return invoke("analyze", "--example", "tongling", "-q", *extra, *out)

    in_turn = run("in_turn.json")  # 60-odd flows: one thread
    threads: set[threading.Thread] = set()  # the objects: a finished thread's id is reused
    real = analyze_command.rendered

    def recording(name, result, **options):  # whole, names
        threads.add(threading.current_thread())
        return real(name, result, **options)

    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)
    monkeypatch.setattr(analyze_command, "rendered", recording)
    on_threads = run("on_threads.json")
    assert in_turn.exit_code == on_threads.exit_code == 0, on_threads.output
    assert on_threads.stdout == in_turn.stdout and len(on_threads.stdout) > 1000
    # the calling thread, the summary's beside the opportunities, the second lane of the
    # stage after them (the summary not asked for: two)
    assert len(threads) == (2 if extra[:1] == ["--sections"] else 3)
    if extra == ["--out"]:
        written = [(tmp_path / n).read_bytes() for n in ("in_turn.json", "on_threads.json")]
        assert written[0] == written[1]


@pytest.mark.parametrize("extra", [["-f", "json"], [], ["--sections", "loops,reuse"]])
def test_the_html_page_is_drawn_from_the_streamed_dicts(tmp_path, monkeypatch, extra):
    """With --html (and no tables) the sections are streamed as dicts, never all held
    as typed results (at a million flows those hold ~0.5 GB), and the page is the one
    drawn from the kept report, byte for byte; the printed output and --out too."""
    html, out = ("--html", tmp_path / "kept.html"), ("-o", tmp_path / "kept.json")
    kept = invoke("analyze", "--example", "tongling", "--csv", tmp_path / "t", "-q", *html, *out,
                  *extra)  # fmt: skip
    assert kept.exit_code == 0, kept.output

    def refused(*args, **kwargs):
        raise AssertionError("the typed report was built")

    monkeypatch.setattr("symbiosis.report.analyze", refused)
    streamed = invoke("analyze", "--example", "tongling", "-q", "--html",
                      tmp_path / "s.html", "-o", tmp_path / "s.json", *extra)  # fmt: skip
    assert streamed.exit_code == 0, streamed.output
    assert (tmp_path / "s.html").read_bytes() == (tmp_path / "kept.html").read_bytes()
    assert (tmp_path / "s.json").read_bytes() == (tmp_path / "kept.json").read_bytes()
    assert streamed.stdout == kept.stdout


def test_the_report_command_draws_its_page_from_the_dicts(tmp_path, monkeypatch):
    """``symbiosis report`` streams the sections as dicts too: the same page as the one
    drawn from the typed report."""
    import symbiosis
    from symbiosis.export.report_html import report_html
    from symbiosis.report import analyze

    network = symbiosis.load(SMALL)
    expected = report_html(network, analyze(network, samples=20, seed=4))
    monkeypatch.setattr("symbiosis.report.analyze", lambda *a, **k: 1 / 0)
    page = tmp_path / "r.html"
    done = invoke("report", SMALL, "-q", "--out", page, "--samples", "20", "--seed", "4")
    assert done.exit_code == 0, done.output
    assert page.read_text(encoding="utf-8") == expected


def test_the_headline_counts_the_opportunities_found_not_the_rows_listed(tmp_path):
    """The analyze headline said "10 opportunities" (the rows listed, top 10 a group)
    where trends, compare and opportunities said 55 (a tester, on TEDA): the text, the
    HTML card and the notebook say the count of count_opportunities, and how many are
    listed."""
    import symbiosis
    from symbiosis.analysis.opportunities import count_opportunities
    from symbiosis.examples import example_path

    network = symbiosis.load(example_path("tongling"))
    found = count_opportunities(network)
    listed = len(symbiosis.analysis.opportunities.find_opportunities(network, impact=False))
    assert listed < found
    said = f"{found:,}  opportunities ({listed:,} listed)"
    page = tmp_path / "r.html"
    text = invoke("analyze", "--example", "tongling", "-q", "-s", "opportunities", "--html", page)
    assert text.exit_code == 0, text.output
    assert said in text.stdout
    card = f'<div class="big">{found:,}</div><div>opportunities ({listed:,} listed)</div>'
    assert card in page.read_text(encoding="utf-8")
