"""``-`` as an output path is standard output (issue 14: ``export --html -`` wrote a file
named ``-``), and ``-`` as the network is standard input, whose firms.csv does not exist."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from io import BytesIO

import pytest

from symbiosis.errors import OutputError
from symbiosis.export import files

FLOWS = "source,target,material,quantity,unit,category\nA,B,slag,10,t,by-product\n"


def _run(args: list[str], cwd, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "symbiosis", *args],
        cwd=cwd,
        input=stdin.encode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_export_html_to_stdout_writes_no_file_named_dash(tmp_path):
    done = _run(["export", "--example", "tongling", "--html", "-", "-q"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"<!DOCTYPE html>") and done.stdout.rstrip().endswith(b"</html>")
    assert not (tmp_path / "-").exists()


def test_analyze_out_to_stdout_prints_the_json_alone(tmp_path):
    done = _run(["analyze", "--example", "tongling", "-q", "--out", "-"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["flows"] == 66


def test_xlsx_to_stdout_is_a_whole_workbook(tmp_path):
    done = _run(["analyze", "--example", "tongling", "-q", "--xlsx", "-"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert zipfile.ZipFile(BytesIO(done.stdout)).testzip() is None


def test_stdin_network_does_not_protect_a_firms_csv_of_the_current_folder(tmp_path):
    """The flows come from stdin: ./firms.csv is not an input, and may be written."""
    done = _run(["analyze", "-", "-q", "--out", "firms.csv", "-f", "json"], tmp_path, FLOWS)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "firms.csv").read_text())["summary"]["flows"] == 1


def test_two_outputs_to_stdout_are_refused(tmp_path):
    with pytest.raises(OutputError, match="named twice"):
        files.write_files_atomic({"-": "a", tmp_path / "x": "b", files.Path("-"): "c"})
    assert not (tmp_path / "x").exists()


def test_binary_to_a_terminal_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_stdout_is_terminal", lambda: True)
    with pytest.raises(OutputError, match="binary"):
        files.write_files_atomic({"-": b"PK\x03\x04", tmp_path / "x": "b"})
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["trends", "--example", "years", "--html", "-"], b"<!DOCTYPE html>"),
        (["balance", "--example", "tongling", "--csv", "-"], b"dimension,firm,"),
        (["opportunities", "--example", "tongling", "--scenario", "-"], b"title = "),
        (["opportunities", "--example", "tongling", "--plan-scenario", "-"], b"title = "),
    ],
)
def test_a_file_written_to_stdout_is_all_that_goes_there(tmp_path, args, starts):
    """Found by a tester: ``trends --html -`` printed its tables (or its JSON) after the
    page, ``balance --csv -`` its table after the CSV, ``opportunities --scenario -``
    its listing and 'scenario written to -' after the TOML."""
    done = _run([*args, "-q"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(starts)
    if starts.startswith(b"<!DOCTYPE"):
        assert done.stdout.rstrip().endswith(b"</html>")
    elif starts.startswith(b"title"):
        import tomllib

        tomllib.loads(done.stdout.decode())  # the whole of it is the scenario file
    else:  # a CSV alone: every row as wide as the header (a table after it is not)
        import csv

        rows = list(csv.reader(done.stdout.decode().splitlines()))
        assert len(rows) > 1 and {len(row) for row in rows} == {len(rows[0])}


@pytest.mark.parametrize(
    "args",
    [
        ["reuse", "--example", "tongling", "--csv", "-"],
        ["analyze", "--example", "tongling", "--csv", "-"],
        ["reconcile", "--example", "tongling", "--out", "-"],
    ],
)
def test_a_folder_output_refuses_stdout(tmp_path, args):
    """Found on the way: ``reuse --csv -`` (a folder of tables) made a folder named '-'
    in the current folder."""
    done = _run([*args, "-q"], tmp_path)
    assert done.returncode == 2
    assert b"cannot hold a folder of files" in done.stderr
    assert not (tmp_path / "-").exists() and done.stdout == b""


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--example", "tongling", "--format", "json", "--html", "-"],
        ["analyze", "--example", "tongling", "-f", "json", "--xlsx", "-"],
        ["analyze", "--example", "tongling", "--format", "text", "--html", "-"],
        ["analyze", "--example", "tongling", "--format", "text", "--out", "-"],
        ["trends", "--example", "years", "-f", "json", "--html", "-"],
        ["balance", "--example", "tongling", "-f", "json", "--csv", "-"],
        ["opportunities", "--example", "tongling", "-f", "csv", "--scenario", "-"],
        ["criticality", "--example", "tongling", "-f", "text", "--out", "-"],
    ],
)
def test_a_format_and_a_file_both_on_stdout_are_refused(tmp_path, args):
    """Found by a tester: ``analyze --format json --html -`` wrote the page alone, the
    JSON asked for dropped without a word. Refused before any work, exit 2."""
    done = _run([*args, "-q"], tmp_path)
    fmt = args[args.index("--format" if "--format" in args else "-f") + 1]
    option = next(a for a in args if a.startswith("--") and a != "--format" and a != "--example")
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip() == (
        f"error: --format {fmt} and {option} - both write to standard output, where only one "
        f"output can go; give {option} a file name, or leave out --format {fmt}"
    )
    assert done.stdout == b"" and not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["analyze", "--example", "tongling", "-f", "json", "--out", "-"], b"{"),  # one JSON
        (["criticality", "--example", "tongling", "-f", "json", "--out", "-"], b"{"),
        (["analyze", "--example", "tongling", "--html", "-"], b"<!DOCTYPE html>"),  # default
    ],
)
def test_one_output_on_stdout_is_written(tmp_path, args, starts):
    done = _run([*args, "-q"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(starts)
    if starts == b"{":
        json.loads(done.stdout)  # the JSON once, not twice
