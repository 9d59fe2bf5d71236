"""What every command may write: never a file it reads, never an empty path, a set of
outputs whole or not at all (issue 18, items 1, 14 and 15).

The table below lists every command's path parameters; a new path option is an input
unless it is declared with ``paths.output_option``, and this test says which are which.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

import symbiosis.catalogue
import symbiosis.export.files as files
from symbiosis.cli import app
from symbiosis.cli.lazy import COMMANDS, registry
from symbiosis.cli.paths import path_parameters

SMALL = Path(__file__).parents[1] / "data" / "small"
CATALOGUE_FILE = Path(symbiosis.catalogue.__file__).parent / "pathways.csv"
runner = CliRunner()

# command -> {parameter as written: "input", "file" (an output) or "folder" (an output)}
NETWORK = {"PATH": "input", "--firms": "input"}
PATHS = {
    "validate": NETWORK,
    "analyze": {**NETWORK, "--out": "file", "--html": "file", "--xlsx": "file", "--csv": "folder"},
    "loops": {**NETWORK, "--xlsx": "file", "--csv": "folder"},
    "reuse": {**NETWORK, "--csv": "folder", "--xlsx": "file"},
    "balance": {**NETWORK, "--csv": "file", "--xlsx": "file"},
    "reconcile": {**NETWORK, "--out": "folder"},
    "structure": {**NETWORK, "--csv": "folder", "--xlsx": "file"},
    "opportunities": {
        **NETWORK,
        "--catalogue": "input",
        "--taxonomy": "input",
        "--reach": "input",
        "--demands": "input",
        "--scenario": "file",
        "--plan-scenario": "file",
        "--xlsx": "file",
        "--csv": "folder",
    },
    "scenario": {**NETWORK, "a scenario file": "input", "--out": "file", "--network": "folder"},
    "shock": {**NETWORK, "--out": "file"},
    "criticality": {**NETWORK, "--out": "file"},
    "trends": {**NETWORK, "--html": "file"},
    "compare": {"A": "input", "B": "input"},
    "uncertainty": {**NETWORK, "--out": "file"},
    "export": {**NETWORK, "--html": "file"},
    "report": {**NETWORK, "--out": "file"},
    "register": {"a register file": "input", "--out": "folder", "--mapping": "input"},
}
# The arguments before the options, for commands that do not take a network first.
LEADING = {"register": ["import", SMALL / "flows.csv"]}
OUTPUTS = [
    (command, option, kind)
    for command, table in PATHS.items()
    for option, kind in table.items()
    if kind != "input"
]
SCENARIO = '[[remove_firm]]\nid = "CEM"\n'


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def one_line(text: str) -> str:
    """stderr with rich's panel borders and line breaks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def callback(command: str):
    for info in registry.registered_commands:
        if (info.name or info.callback.__name__) == command:
            return info.callback
    raise KeyError(command)


@pytest.fixture
def network(tmp_path) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(SMALL, folder)
    return folder


@pytest.fixture
def not_loaded(monkeypatch):
    """Loading the network fails the test: refusals must come before any work."""
    import symbiosis.io

    def load(*args, **kwargs):
        raise AssertionError("the network was loaded before the outputs were checked")

    monkeypatch.setattr(symbiosis.io, "load", load)


def test_every_command_s_inputs_and_outputs_are_declared():
    group = typer.main.get_command(app)
    for name in COMMANDS:
        group.load(name)  # registers the command
    assert set(PATHS) == set(COMMANDS)
    for command, expected in PATHS.items():
        found = {
            p.shown: "input" if p.writes is None else ("folder" if p.writes.folder else "file")
            for p in path_parameters(callback(command))
        }
        assert found == expected, command


def test_inputs_are_named_as_the_user_knows_them():
    """An input argument is named in messages by what it is ("a register file"), or by
    the metavar its usage line shows ({A}), never by its Python name in capitals: 'an
    input file (FILES)' named nothing the user wrote (found by a tester)."""
    group = typer.main.get_command(app)
    for command in COMMANDS:
        usage = " ".join(group.load(command).collect_usage_pieces(click.Context(group)))
        for p in path_parameters(callback(command)):
            if p.writes is None and p.name not in ("path", "firms", "example"):
                named = p.shown.startswith("--") or " " in p.shown or f"{{{p.shown}}}" in usage
                assert named, (command, p.shown, usage)


def _inputs_of(command: str, folder: Path) -> list[tuple[list[str], Path, str]]:
    """(arguments, the input file, its label in messages) for each input of ``command``."""
    flows, firms = folder / "flows.csv", folder / "firms.csv"
    cases = [
        ([str(folder)], flows, "the network's flows file"),
        ([str(folder)], firms, "the network's firms file"),
        ([str(flows), "--firms", str(firms)], firms, "--firms"),
    ]
    if command == "opportunities":
        catalogue = folder / "mine.csv"
        catalogue.write_text("".join(CATALOGUE_FILE.read_text().splitlines(True)[:3]))
        cases.append(([str(folder), "--catalogue", str(catalogue)], catalogue, "--catalogue"))
    if command == "register":
        mapping = folder / "mapping.toml"
        mapping.write_text("[defaults]\nunit = 't'\n")
        cases = [
            (["import", str(flows)], flows, "a register file"),
            (["import", str(flows), "--mapping", str(mapping)], mapping, "--mapping"),
        ]
    if command == "scenario":
        scenario = folder / "closed.toml"
        scenario.write_text(SCENARIO)
        cases = [([*args, str(scenario)], file, label) for args, file, label in cases]
        cases.append(([str(folder), str(scenario)], scenario, "a scenario file"))
    return cases


@pytest.mark.parametrize(("command", "option", "kind"), OUTPUTS)
def test_no_output_may_name_an_input(network, not_loaded, command, option, kind):
    """Every output option of every command, on every input of that command: exit 2
    before any work, a message naming the file, the input and the option; the input
    unchanged (issue 18, item 1)."""
    for args, source, label in _inputs_of(command, network):
        before = source.read_bytes()
        result = invoke(command, *args, option, source)
        assert result.exit_code == 2, (args, result.output)
        if kind == "file":
            expected = (
                f"error: {source}: refusing to overwrite an input file ({label}); "
                f"give {option} another name"
            )
        else:
            expected = (
                f"error: {source}: refusing to write into an input file ({label}); "
                f"give {option} the name of a folder"
            )
        assert result.stderr.strip() == expected
        assert source.read_bytes() == before
        assert result.stdout == ""


def test_the_catalogue_is_not_replaced_by_the_scenario(network, not_loaded, tmp_path):
    """The issue's case, and the same file through a symbolic link, a hard link and
    another spelling of its path."""
    catalogue = tmp_path / "mine.csv"
    catalogue.write_text("".join(CATALOGUE_FILE.read_text().splitlines(True)[:3]))
    before = catalogue.read_bytes()
    (tmp_path / "soft.csv").symlink_to(catalogue)
    os.link(catalogue, tmp_path / "hard.csv")
    spellings = [catalogue, tmp_path / "soft.csv", tmp_path / "hard.csv"]
    spellings.append(tmp_path / "net" / ".." / "mine.csv")
    for target in spellings:
        result = invoke("opportunities", network, "--catalogue", catalogue, "--scenario", target)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            f"error: {target}: refusing to overwrite an input file (--catalogue); "
            "give --scenario another name"
        )
    assert catalogue.read_bytes() == before and (tmp_path / "soft.csv").is_symlink()


def test_the_bundled_example_is_an_input(tmp_path, monkeypatch, not_loaded):
    """--example names the network too: its files are protected like a folder's."""
    from importlib import import_module

    copy = tmp_path / "tongling"
    shutil.copytree(SMALL, copy)
    monkeypatch.setattr(import_module("symbiosis.cli.app"), "example_path", lambda name: copy)
    result = invoke("analyze", "--example", "tongling", "--out", copy / "flows.csv")
    assert result.exit_code == 2
    assert "refusing to overwrite an input file (the network's flows file)" in result.stderr


@pytest.mark.parametrize(("command", "option", "kind"), OUTPUTS)
def test_an_empty_output_path_is_a_usage_error(tmp_path, monkeypatch, command, option, kind):
    """``--out ''`` named the current folder (exit 1, or CSV files written into it):
    now exit 2, naming the option (issue 18, item 15)."""
    monkeypatch.chdir(tmp_path)
    for empty in ("", "  "):
        result = invoke(command, *LEADING.get(command, [SMALL]), option, empty)
        assert result.exit_code == 2, result.output
        assert f"Invalid value for '{option}'" in one_line(result.stderr)
        assert f"an empty path; give the name of the {kind} to write" in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_two_outputs_on_one_file_through_a_link_are_refused(tmp_path, not_loaded):
    (tmp_path / "r.json").write_text("previous")
    os.link(tmp_path / "r.json", tmp_path / "same.html")
    result = invoke(
        "analyze", SMALL, "--out", tmp_path / "r.json", "--html", tmp_path / "same.html"
    )
    assert result.exit_code == 2
    assert "--out and --html both name" in result.stderr
    assert (tmp_path / "r.json").read_text() == "previous"


@pytest.mark.parametrize("order", [("--out", "--csv"), ("--csv", "--out")])
def test_a_file_and_a_folder_output_on_one_path_are_refused(tmp_path, not_loaded, order):
    """--out X --csv X ran the analysis, wrote the report as X, then failed on the
    tables, leaving a folder of temporaries behind (found by fuzzing)."""
    same = tmp_path / "same"
    result = invoke("analyze", SMALL, "-q", order[0], same, order[1], same)
    assert result.exit_code == 2
    assert "--out and --csv both name" in result.stderr
    assert "give two paths" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_is_a_folder_is_refused_before_any_work(tmp_path, not_loaded):
    result = invoke("report", SMALL, "--out", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path}: is a folder; give a file name"
    result = invoke("structure", SMALL, "--csv", SMALL / "flows.csv")
    assert result.exit_code == 2 and "refusing to write into an input file" in result.stderr
    (tmp_path / "file").write_text("x")
    result = invoke("reuse", SMALL, "--csv", tmp_path / "file")
    assert result.exit_code == 1
    assert f"{tmp_path / 'file'}: is not a folder; give --csv the name of a folder" in (
        result.stderr
    )


# --------------------------------------------------------------------------- sets of outputs


def failing_fsync(call: int, error: int):
    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == call:
            raise OSError(error, os.strerror(error))
        return real(fd)

    return fsync


def test_reuse_csv_on_a_full_disk_writes_no_file(tmp_path, monkeypatch):
    """The disk fills up on the fourth of six tables: no table is written, the previous
    ones stay, no temporary is left (issue 18, item 14)."""
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "network.csv").write_text("previous run")
    monkeypatch.setattr(files.os, "fsync", failing_fsync(4, errno.ENOSPC))
    result = invoke("reuse", SMALL, "--csv", folder, "-q")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert "none of the 6 files was written" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["network.csv"]
    assert (folder / "network.csv").read_text() == "previous run"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["reuse", "structure"])
def test_csv_folder_with_one_refused_target_writes_no_file(tmp_path, command):
    folder = tmp_path / "tables"
    (folder / "sectors.csv").mkdir(parents=True)  # a structure table
    (folder / "by_receiver.csv").mkdir()  # a reuse table
    result = invoke(command, SMALL, "--csv", folder, "-q")
    assert result.exit_code == 1
    assert "is a folder; give a file name" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["by_receiver.csv", "sectors.csv"]


def test_a_table_named_like_the_firms_file_is_refused_naming_the_option(network):
    """The files of a folder output are checked against every input once their names
    are known: --firms network.csv, and reuse writes network.csv."""
    (network / "firms.csv").rename(network / "network.csv")
    result = invoke(
        "reuse", network / "flows.csv", "--firms", network / "network.csv", "--csv", network
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {network / 'network.csv'}: refusing to overwrite an input file (--firms); "
        "choose another name"
    )
    assert sorted(p.name for p in network.iterdir()) == ["flows.csv", "network.csv"]


def test_analyze_writes_out_and_html_both_or_neither(tmp_path, monkeypatch):
    out, html = tmp_path / "r.json", tmp_path / "r.html"
    real = os.replace

    def replace(source, target):
        if Path(target) == html:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    result = invoke("analyze", SMALL, "--out", out, "--html", html, "-q")
    assert result.exit_code == 1
    assert f"error: {html}: cannot write (Input/output error)" in result.stderr
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(files.os, "replace", real)
    result = invoke("analyze", SMALL, "--out", out, "--html", html, "-q")
    assert result.exit_code == 0 and out.exists() and html.exists()


@pytest.mark.parametrize(("command", "option", "kind"), [o for o in OUTPUTS if o[2] == "file"])
def test_a_file_output_ending_with_a_separator_is_a_usage_error(
    tmp_path, monkeypatch, command, option, kind
):
    """``--out new/`` wrote a FILE named ``new`` (the slash lost in Path()): now exit 2,
    nothing written."""
    monkeypatch.chdir(tmp_path)
    result = invoke(command, *LEADING.get(command, [SMALL]), option, "new/")
    assert result.exit_code == 2, result.output
    assert "'new/' ends with '/', so it names a folder" in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_bundled_scenario_named_by_its_name_is_an_input(tmp_path, monkeypatch):
    """scenario --example NAME closed --out <the bundled closed.toml>: refused as what it
    is, a scenario file (the message named no input before)."""
    from importlib import import_module

    copy = tmp_path / "tongling"
    shutil.copytree(SMALL, copy)
    (copy / "scenarios").mkdir()
    bundled = copy / "scenarios" / "closed.toml"
    bundled.write_text(SCENARIO)
    for module in ("symbiosis.cli.app", "symbiosis.cli.scenario"):
        monkeypatch.setattr(import_module(module), "example_path", lambda name: copy)
    result = invoke("scenario", "--example", "tongling", "closed", "--out", bundled, "-q")
    assert result.exit_code == 2
    assert "refusing to overwrite an input file (a scenario file)" in result.stderr
    assert bundled.read_text() == SCENARIO
