"""The command line as people pipe and script it (issue 14, item 6): stdin as ``-``,
``-V``, shell completion, a quiet broken pipe, a path with ``--example`` refused, the
headline first in ``analyze`` and ``--sections``; ``--xlsx`` and ``--csv`` of every table
(item 5). Each test failed before these changes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis import __version__
from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}


def invoke(*args, input: bytes | str | None = None):
    result = runner.invoke(app, [str(a) for a in args], input=input)
    assert "Traceback" not in result.output
    return result


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The real console entry point in a fresh process."""
    command = [sys.executable, "-m", "symbiosis", *args]
    return subprocess.run(command, capture_output=True, env=ENV, timeout=120, **kwargs)


# ------------------------------------------------------------------------ usage mistakes


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("analyze", SMALL, "--nope"), "No such option: --nope (see "),
        (("analyze", SMALL, "-f", "xml"), "Invalid value for '--format' / '-f': 'xml'"),
        (("uncertainty", SMALL, "-n", "5", "--seed", "-1"), "Invalid value for '--seed'"),
        (("analyze", SMALL, "--out"), "Option '--out' requires an argument"),
        (("nosuchcommand",), "No such command 'nosuchcommand'"),
    ],
)
def test_usage_mistakes_are_one_error_line(args, said):
    """Reported like bad input (docs/errors.md): one `error:` line, exit 2, nothing on
    standard output; they were click's boxed panel of five lines."""
    done = run(*map(str, args))
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], lines


def test_every_value_the_command_line_refuses_is_said_at_once():
    """click stopped at the first bad value: three mistakes took three runs to find."""
    done = run("uncertainty", str(SMALL), "-n", "1", "--seed", "-1", "--top", "0",
               "--sensitivity", "x", "extra")  # fmt: skip
    assert done.returncode == 2 and done.stdout == b""
    lines = done.stderr.decode().splitlines()
    said = "error: Invalid value for '--sensitivity': 'x' is not a valid"  # click's wording
    assert lines[3].startswith(said)  # "int range" or "integer range", by click's release
    assert lines[:3] + lines[4:] == [
        "error: Invalid value for '--samples' / '-n': 1 is not in the range x>=2.",
        "error: Invalid value for '--seed': -1 is not in the range x>=0.",
        "error: Invalid value for '--top': 0 is not in the range x>=1.",
        "error: Got unexpected extra argument(s) (extra)",
        "5 problems found (see python -m symbiosis uncertainty -h); nothing was run",
    ]


# ------------------------------------------------------------------------ -V, completion


@pytest.mark.parametrize("args", [["-V"], ["--version"]])
def test_dash_v_is_the_version_in_both_paths(args):
    """-V was refused ("No such option"); the fast path of __main__ answers it too."""
    assert invoke(*args).stdout.strip() == f"symbiosis {__version__}"
    assert run(*args).stdout.decode().strip() == f"symbiosis {__version__}"


def test_shell_completion_script_and_completions():
    """--show-completion prints the script; the script's protocol completes commands."""
    script = Path(sys.executable).parent / "symbiosis"
    if not script.exists():
        pytest.skip("the symbiosis console script is not installed beside this Python")
    # the shell named, not detected from the parent processes (none is a shell when the
    # suite runs in the background: "Shell  not supported")
    named = {**ENV, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run(
        [script, "--show-completion", "bash"], capture_output=True, env=named, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "_SYMBIOSIS_COMPLETE=complete_bash" in shown.stdout.decode()
    env = {**ENV, "_SYMBIOSIS_COMPLETE": "complete_bash", "COMP_WORDS": "symbiosis ana"}
    completed = subprocess.run(
        [script], capture_output=True, env={**env, "COMP_CWORD": "1"}, timeout=60
    )
    assert completed.returncode == 0, completed.stdout
    assert "analyze" in completed.stdout.decode().split()
    help_text = invoke("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text


# ------------------------------------------------------------------------------- stdin


def test_stdin_flows_with_firms_equal_the_files():
    from_files = json.loads(invoke("analyze", SMALL, "-f", "json", "-q").stdout)
    flows = (SMALL / "flows.csv").read_bytes()
    piped = invoke("analyze", "-", "--firms", SMALL / "firms.csv", "-f", "json", "-q", input=flows)
    assert piped.exit_code == 0, piped.output
    piped_report = json.loads(piped.stdout)
    assert piped_report.pop("warnings") == [
        w.replace(str((SMALL / "flows.csv").resolve()), "<stdin>")
        for w in from_files.pop("warnings")
    ]
    assert piped_report == from_files


def test_stdin_alone_infers_the_nodes_and_names_stdin():
    flows = (SMALL / "flows.csv").read_bytes()
    result = invoke("validate", "-", input=flows)
    assert result.exit_code == 0, result.output
    assert "valid: 7 nodes" in result.stdout  # MKT, LF, AIR named after their roles
    assert "<stdin>: 1 flow(s) have no quantity" in result.stderr
    assert "symbiosis-stdin" not in result.stderr


def test_stdin_problems_are_located_at_stdin_rows():
    text = (
        "source,target,material,quantity,unit,category\nA,B,slag,abc,t,waste\nA,B,x,1,ton,waste\n"
    )
    result = invoke("validate", "-", input=text)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("error: <stdin>:2: quantity: 'abc'") for line in lines), lines
    assert any(line.startswith("error: <stdin>:3: unit:") for line in lines), lines
    assert "symbiosis-stdin" not in result.stderr


def test_stdin_empty_is_a_clear_error():
    result = invoke("validate", "-", input=b"")
    assert result.exit_code == 2
    assert "error: <stdin>: is empty" in result.stderr


# ------------------------------------------------------------------------- broken pipe


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_pipe_exits_quietly(fmt):
    """The reader is gone before the first write (``| head -1`` once head has exited):
    exit 141 (128 + SIGPIPE), nothing on stderr. Before: exit 1."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "symbiosis", "analyze", "--example", "tongling", "-qf", fmt],
            stdout=write,
            stderr=subprocess.PIPE,
            env=ENV,
            timeout=120,
        )
    finally:
        os.close(write)
    stderr = done.stderr.decode()
    assert done.returncode in (0, 141), stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "Broken pipe" not in stderr and stderr == ""


def test_a_reader_leaving_mid_output_gives_141():
    """The reader takes a byte and goes while the output (170 kB, more than a pipe
    holds) is being written: exit 141. Before: the large write stopped silently at what
    the pipe took, and the command exited 0."""
    read, write = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-m", "symbiosis", "analyze", "--example", "tongling", "-qf", "json"],
        stdout=write,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    os.close(write)
    try:
        assert os.read(read, 1) == b"{"
    finally:
        os.close(read)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 141, stderr
    assert stderr == b""


def test_head_one_through_a_shell():
    pipeline = f"{sys.executable} -m symbiosis analyze --example tongling -q | head -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, env=ENV, timeout=120
    )
    assert done.returncode in (0, 141), done.stderr
    assert done.stdout.decode().startswith("Headline")
    assert done.stderr == b""


# --------------------------------------------------------------------- path + example


@pytest.mark.parametrize("command", ["loops", "analyze", "validate", "reuse"])
def test_a_path_with_example_is_refused(command):
    result = invoke(command, "/nope", "--example", "tongling")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: both a network path (/nope) and --example tongling were given; give one of them"
    )
    assert result.stdout == ""


# ---------------------------------------------------------------- headline, --sections


def test_analyze_opens_with_the_headline_hand_computed():
    """tests/data/small by hand: residuals from actors 500 + 300 + 100 + 800 kt = 1.7 Mt;
    reused 800 kt (SO2 off-gas to the acid plant, slag to cement): 47.1 %; disposed
    100 kt (slag to the landfill); 2 loops in 1 core."""
    result = invoke("analyze", SMALL, "-q")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == "Headline"
    headline = lines[: lines.index(next(x for x in lines if x.startswith("Network:")))]
    assert "47.1 %  reuse share (mass)" in headline
    assert "100 kt/yr  disposed (mass)" in headline
    assert "2  loops found" in headline and "1  symbiosis cores" in headline
    generated = next(x for x in headline if x.startswith("Residuals generated"))
    assert "1.70 Mt/yr" in generated


def test_headline_numbers_are_the_report_s():
    data = json.loads(invoke("analyze", "--example", "tongling", "-f", "json", "-q").stdout)
    text = invoke("analyze", "--example", "tongling", "-q").stdout
    share = data["reuse"]["dimensions"]["mass"]["reuse_share"]
    assert f"{100 * share:.1f} %  reuse share (mass)" in text
    assert f"{data['loops']['found']:,}  loops found" in text
    assert text.index("reuse share (mass)") < text.index("Network:")


def test_sections_pick_the_passes():
    result = invoke("analyze", SMALL, "--sections", "loops, reuse", "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"reuse", "loops"} <= set(data) and not {"summary", "cycling", "balance"} & set(data)
    text = invoke("analyze", SMALL, "-s", "loops", "-q").stdout
    assert "loops found" in text and "Network:" not in text and "reuse share" not in text


@pytest.mark.parametrize("value", ["loop,x", "", " , "])
def test_unknown_sections_are_listed_with_the_valid_ones(value):
    result = invoke("analyze", SMALL, "--sections", value)
    assert result.exit_code == 2
    # none named: not "unknown section(s) nothing", which read as a section called so
    said = "unknown section(s)" if value.strip(" ,") else "no section named"
    assert f"--sections: {said}" in result.stderr
    from symbiosis.report import SECTIONS

    assert f"choose from {', '.join(SECTIONS)} (comma-separated" in " ".join(result.stderr.split())
    if value == "loop,x":
        assert "'loop', 'x'" in result.stderr


# ------------------------------------------------------------------------ --xlsx, --csv


def _workbook(path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(path)


def test_analyze_xlsx_and_csv_hold_every_table(tmp_path):
    result = invoke(
        "analyze", SMALL, "-q", "--xlsx", tmp_path / "r.xlsx", "--csv", tmp_path / "csv"
    )
    assert result.exit_code == 0, result.output
    book = _workbook(tmp_path / "r.xlsx")
    csvs = sorted(p.stem for p in (tmp_path / "csv").glob("*.csv"))
    assert sorted(book.sheetnames) == csvs
    for name in ("summary_totals", "reuse_by_material", "loops", "loops_cores", "balance_firms"):
        assert name in book.sheetnames
    # one table read back from both: the reuse totals per dimension
    import pandas as pd

    from_csv = pd.read_csv(tmp_path / "csv" / "reuse_network.csv")
    sheet = book["reuse_network"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(from_csv.columns)
    mass = next(r for r in rows[1:] if r[0] == "mass")
    assert mass[list(rows[0]).index("reused")] == pytest.approx(800_000)
    assert mass[list(rows[0]).index("generated")] == pytest.approx(1_700_000)


@pytest.mark.parametrize(
    ("command", "sheets"),
    [
        ("reuse", {"network", "by_category", "by_material", "by_generator", "by_receiver"}),
        ("balance", {"summary", "firms"}),
        ("structure", {"dimensions", "sectors", "stages", "origins"}),
        ("loops", {"loops", "cores"}),
        ("opportunities", {"opportunities", "uncovered"}),
    ],
)
def test_per_pass_xlsx(tmp_path, command, sheets):
    result = invoke(command, SMALL, "-q", "--xlsx", tmp_path / "t.xlsx")
    assert result.exit_code == 0, result.output
    assert sheets <= set(_workbook(tmp_path / "t.xlsx").sheetnames)


def test_loops_csv_folder(tmp_path):
    result = invoke("loops", SMALL, "-q", "--csv", tmp_path / "out")
    assert result.exit_code == 0, result.output
    loops = (tmp_path / "out" / "loops.csv").read_text().splitlines()
    assert loops[0].startswith("rank,") and len(loops) == 3  # header + the 2 loops


def test_table_outputs_are_one_set(tmp_path):
    """A --csv folder that cannot be made: neither the workbook nor the JSON is left."""
    (tmp_path / "blocker").write_text("a file where the folder should be")
    result = invoke(
        "analyze",
        SMALL,
        "-q",
        "--out",
        tmp_path / "r.json",
        "--xlsx",
        tmp_path / "r.xlsx",
        "--csv",
        tmp_path / "blocker" / "sub",
    )
    assert result.exit_code != 0
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "r.xlsx").exists()


def test_xlsx_names_from_the_input_are_never_formulas(tmp_path):
    net = tmp_path / "net"
    net.mkdir()
    (net / "firms.csv").write_text(
        'id,name,sector,role\nA,"=HYPERLINK(""http://x"",""y"")",smelting,firm\n'
        "B,@SUM(1),cement,firm\nLF,Landfill,,landfill\n"
    )
    (net / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nA,B,=1+1,5,t,by-product\n"
        "A,LF,-slag,2,t,waste\n"
    )
    result = invoke("reuse", net, "-q", "--xlsx", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    book = _workbook(tmp_path / "r.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=1+1" in texts and "-slag" in texts
    assert not [c for c in cells if c.data_type == "f"]
    import zipfile

    with zipfile.ZipFile(tmp_path / "r.xlsx") as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if "sheet" in n)
    assert "<f>" not in xml and "<f " not in xml


def test_workbook_is_readable_in_memory(tmp_path):
    """The bytes written are a whole workbook (no temporary left in the folder)."""
    invoke("structure", SMALL, "-q", "--xlsx", tmp_path / "s.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]
    data = (tmp_path / "s.xlsx").read_bytes()
    assert data[:2] == b"PK"
    _workbook(io.BytesIO(data))


# ------------------------------------------------------------------------ many problems


def test_the_count_of_unlisted_rows_is_shown_past_the_first_problems(tmp_path):
    """A rule lists its first 1,000 rows, then counts the rest in a line without a row; the
    command line shows the first 50 problems, then that count (how many rows to fix), then
    how many problems it leaves unshown."""
    rows = 1_300
    (tmp_path / "firms.csv").write_text("id\nA\nB\n")
    flows = "source,target,material,category,quantity,unit\n"
    flows += "".join(f"A,NOPE{i},slag,waste,1,t\n" for i in range(rows))
    (tmp_path / "flows.csv").write_text(flows)
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 50 + 3
    assert all(": target: unknown firm 'NOPE" in line for line in lines[:50])
    assert lines[50].startswith(f"error: {tmp_path / 'flows.csv'}: target: 300 more rows")
    assert "have the same problem as the rows above" in lines[50]
    assert lines[51].startswith("... and 950 more problems")
    assert lines[52] == "1,001 problems found; nothing was analysed"


def test_many_problems_without_a_row_are_counted_not_printed(monkeypatch):
    """Problems that name no row but count none either (a reconciliation's balances that
    cannot close, one per firm: 212,029 at a million flows, 20 s of printing when each was
    shown) stay behind the first 50, counted."""
    from symbiosis.cli.app import print_problems, stderr
    from symbiosis.errors import InputError, Problem

    problems = [Problem("flows.csv", None, None, f"the balances of F{i} cannot close")
                for i in range(5_000)]  # fmt: skip
    problems.append(Problem("flows.csv", None, "target", "7 more rows (rows 3 to 9) ...",
                            more_rows=7))  # fmt: skip
    with stderr.capture() as captured:
        print_problems(InputError(problems))
    lines = captured.get().splitlines()
    assert len(lines) == 50 + 3
    assert lines[49].endswith("the balances of F49 cannot close")
    assert "7 more rows" in lines[50]
    assert lines[51].startswith("... and 4,950 more problems")
    assert lines[52] == "5,001 problems found; nothing was analysed"


# ------------------------------------------------------------------------ option names


def test_bad_option_values_are_named_as_options():
    """The library's argument checks, said on the command line: ``--max-length``, not
    ``max_length``, and no "or None" (the library's "not given")."""
    result = invoke(
        "loops", "--example", "tongling", "--max-length", "0", "--time-budget", "-1", "-n", "-3"
    )
    assert result.exit_code == 2
    message = result.stderr
    assert "--max-length must be a whole number >= 1 (got 0)" in message
    assert "--max-loops must be a whole number >= 0 (got -3)" in message
    assert "--time-budget must be a number > 0 (seconds) (got -1.0)" in message
    assert "max_length" not in message and "None" not in message
    result = invoke("loops", "--example", "tongling", "-d", "heat")
    assert result.exit_code == 2
    said = "this network has flows in: mass, energy, volume\n"  # the network's, as shock says
    assert said in result.stderr.replace("\n\n", "\n")


@pytest.mark.parametrize(
    ("arguments", "said", "not_said"),
    [
        # an option whose parameter has another name (``default``, ``-u``)
        (("uncertainty", "-u", "nan", "-n", "3"), "--uncertainty must be", "--default"),
        # a library parameter of another name than the option that passes it
        (("opportunities", "--max-distance", "nan"), "--max-distance must be", "_km"),
        (("opportunities", "--per-stream", "5000"), "--per-stream must be", "receivers_"),
        (("analyze", "-f", "json", "--max-length", "0"), "--max-length must be", "max_loop"),
        (("analyze", "-f", "json", "--tolerance", "-1"), "--tolerance must be", "balance_"),
        # an option named in a message that says more before "must"
        (
            ("shock", "--firm", "JL", "--change", "-0.5", "--break-below", "2"),
            "--break-below must be a share",
            "break_below",
        ),
    ],
)
def test_every_option_is_named_as_the_user_wrote_it(arguments, said, not_said):
    """Found by a tester: ``-u nan`` was reported as ``--default``, ``--max-distance nan``
    as ``max_distance_km``, ``--break-below 2`` as ``break_below``."""
    command, *rest = arguments
    result = invoke(command, "--example", "tongling", *rest)
    assert result.exit_code == 2
    assert said in result.stderr and not_said not in result.stderr
