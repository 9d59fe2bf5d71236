"""The typer application, shared options and the one place errors become exit codes.

Cheap to import (typer and rich only): `symbiosis --help` and every command's own help load
it, so the library is imported inside functions, when a command runs.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from .. import _interrupts as interrupts
from ..errors import InputError, SymbiosisError
from .lazy import LazyGroup, click_errors, registry
from .option_names import with_option_names
from .render import markup_safe, terminal_text
from .stdin import STDIN, load_stdin

if TYPE_CHECKING:
    from rich.text import Text

app = typer.Typer(
    name="symbiosis",
    cls=LazyGroup,
    help="Analyse industrial-symbiosis networks: circular loops, waste reuse and "
    "chain-extension opportunities, from firms.csv and flows.csv.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    # --install-completion / --show-completion: typer.main imports its completion module
    # anyway, so they cost nothing at start-up (benchmarks/bench_startup.py).
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class SafeConsole(Console):
    """A console that shows the control characters and bidi controls of every string it
    prints as escapes (:func:`~symbiosis.cli.render.terminal_text`), newlines and tabs
    apart: whatever an input file holds, nothing printed can act on the terminal. Text
    from the input is also escaped where it is put into markup (``markup_safe``)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(terminal_text(text, lines=True), **kwargs)

    def on_broken_pipe(self) -> None:
        """The reader went away (``| head``): exit quietly (rich's own exits with 1)."""
        self.quiet = True
        raise SystemExit(quiet_broken_pipe())


# Tables are wide: when stdout is not a terminal (a pipe, a file), do not squeeze them
# into 80 columns; COLUMNS still wins when set.
# emoji=False: a firm called ':fire:' is printed as written, not as an emoji.
stdout = SafeConsole(
    highlight=False,
    soft_wrap=False,
    emoji=False,
    width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", 160)),
)
stderr = SafeConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)


MAX_PROBLEMS_SHOWN = 50
# Every output is written to a temporary file and renamed (export.files), so an
# interrupted run leaves whole files or none, never a half-written one.
INTERRUPTED = interrupts.MESSAGE


class Format(StrEnum):
    text = "text"
    json = "json"


NetworkPath = Annotated[
    Path | None,
    typer.Argument(
        help="Network folder holding firms.csv and flows.csv, or a flows CSV file; - reads "
        "the flows CSV from standard input (firms with --firms).",
        show_default=False,
    ),
]
FirmsOption = Annotated[
    Path | None,
    typer.Option(
        "--firms",
        help="Firms CSV, when it is not firms.csv beside the flows.",
        rich_help_panel="Input",
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="text: tables for people; json: for programs.",
        rich_help_panel="Output",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Do not print warnings about the data.", rich_help_panel="Output"
    ),
]


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"symbiosis {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Analyse industrial-symbiosis networks from firms.csv and flows.csv."""


# `@command()` registers a command function; its module is imported only when that command
# is used (lazy.COMMANDS lists each command with its module).
command = registry.command

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(command: F) -> F:
    """Turn the library's errors into a short message on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            refuse_path_with_example(kwargs)
            return command(*args, **kwargs)
        except BrokenPipeError:
            raise typer.Exit(quiet_broken_pipe()) from None
        except InputError as exc:
            print_problems(with_option_names(exc, kwargs, command))
            raise typer.Exit(exc.exit_code) from None
        except SymbiosisError as exc:
            stderr.print(f"[bold red]error:[/] {_escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            stderr.print(INTERRUPTED)
            interrupts.reported()
            raise typer.Exit(130) from None
        except MemoryError:
            stderr.print(
                "[bold red]error:[/] out of memory; the network is too large for this "
                "machine: split it into smaller regions, or use a machine with more memory"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def refuse_path_with_example(values: dict[str, Any]) -> None:
    """Refuse a network PATH given together with ``--example``: one of them would be
    ignored without a word. (``scenario --example NAME FILE...`` reads its PATH as a
    scenario file, so a command with scenario files is left alone.)"""
    if values.get("example") and values.get("path") is not None and "scenarios" not in values:
        raise InputError(
            f"both a network path ({values['path']}) and --example {values['example']} were "
            "given; give one of them"
        )


def quiet_broken_pipe() -> int:
    """Prepare to exit quietly when the reader of stdout went away (``symbiosis analyze |
    head -1``): the rest of the output goes to the null device, so that neither this
    process nor the interpreter's final flush prints an error. Returns the exit code, the
    shell's 128 + SIGPIPE (the Python docs' recipe, "Note on SIGPIPE", without resetting
    SIGPIPE, which would also kill the process on a closed socket)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout closed, or not a file
        pass
    return BROKEN_PIPE


BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, as a shell reports a process killed by it


def _escape(text: str) -> str:
    """A message for one line of stderr: control characters shown as escapes, no markup."""
    return markup_safe(text)


def print_problems(error: InputError) -> None:
    """The first :data:`MAX_PROBLEMS_SHOWN` problems, then those of the rest that count
    the rows a rule found after the ones it listed (``Problem.more_rows``: how many rows
    to fix), then how many are left unshown. Other problems past the first ones, with a
    row or without (a reconciliation's balances that cannot close: 212,029 at a million
    flows), are counted, not printed."""
    problems = error.problems
    hidden = problems[MAX_PROBLEMS_SHOWN:]
    counts = [problem for problem in hidden if problem.more_rows]
    for problem in [*problems[:MAX_PROBLEMS_SHOWN], *counts]:
        stderr.print(f"[bold red]error:[/] {_escape(str(problem))}", soft_wrap=True)
    if len(hidden) > len(counts):
        stderr.print(
            f"... and {len(hidden) - len(counts):,} more problems "
            "(fix these first, or use the library to list them all)"
        )
    if len(problems) > 1:
        stderr.print(f"{len(problems):,} problems found; nothing was analysed")


def print_warnings(warnings, quiet: bool) -> None:
    if quiet:
        return
    for warning in warnings:
        stderr.print(f"[yellow]warning:[/] {_escape(warning)}", soft_wrap=True)


#: How the note of a year taken from a network of several says to choose otherwise.
YEAR_CHOICE = (
    "--year YEAR takes another year, --year all adds them all up, and 'symbiosis trends' "
    "gives each year"
)


def load_network(path: Path | None, firms: Path | None, *, command: str, year: str | None = "all"):
    """Load the network named on the command line, or explain how to name one. Its data
    warnings are not issued: the command prints them (:func:`print_warnings`). ``year``:
    the ``--year`` of a command that analyses one network (None: the latest year of flows
    of several, :func:`~symbiosis.analysis.years.select_year`); ``"all"`` (what the
    commands of several years, validate, trends and compare, take) keeps every flow."""
    from ..io import load

    interrupts.check()  # a Ctrl-C swallowed while the command imported its modules
    if path is None:
        raise InputError(
            f"no network given. Try the bundled example: symbiosis {command} --example tongling "
            f"(or, in a clone of the repository: symbiosis {command} examples/tongling)"
        )
    network = (
        load_stdin(firms, command=command)
        if str(path) == STDIN
        else load(path, firms=firms, warn=False)
    )
    if year != "all":
        from ..analysis.years import select_year

        network = select_year(network, year, how=YEAR_CHOICE)
    interrupts.check()  # and one swallowed while it loaded
    return network


def example_path(name: str) -> Path:
    from ..examples import example_path as locate

    return locate(name)


def main() -> None:
    """Console entry point: run the app; no traceback ever reaches the user. A usage
    mistake (an unknown option, a bad option value, a missing argument) is one ``error:``
    line naming it, exit 2, as bad input is (docs/errors.md), not click's boxed panel."""
    click_error, usage_error = click_errors()
    os.environ.setdefault("TYPER_STANDARD_TRACEBACK", "1")
    try:
        code = app(standalone_mode=False)
    except click_error as exc:  # a usage error and its kinds: exit 2
        context = getattr(exc, "ctx", None) if isinstance(exc, usage_error) else None
        see = f" (see {context.command_path} -h)" if context is not None else ""
        errors = getattr(exc, "errors", None)  # several mistakes: a line each, then a count
        for each in errors or [exc]:
            said = _escape(each.format_message())
            stderr.print(f"[bold red]error:[/] {said}{'' if errors else see}")
        if errors:
            stderr.print(f"{len(errors)} problems found{see}; nothing was run")
        sys.exit(exc.exit_code)
    except typer.Abort:  # end of input at a prompt (there is none): as click says it
        stderr.print("Aborted!")
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(quiet_broken_pipe())
    except KeyboardInterrupt:
        stderr.print(INTERRUPTED)
        interrupts.reported()
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _NO_ROOM:
            _internal_error(exc)
        # output files say their own errors (export.files): this is standard output
        stderr.print(
            f"[bold red]error:[/] could not write standard output: "
            f"{_escape(exc.strerror or str(exc))}; free some space, or send the output "
            "elsewhere (--out FILE)"
        )
        sys.exit(1)
    except Exception as exc:
        _internal_error(exc)
    sys.exit(code if isinstance(code, int) else 0)  # an Exit's code; a command's return: 0


#: The errors of a device with no room left (a full disk, a quota, a file size limit).
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _internal_error(exc: BaseException) -> NoReturn:
    """A bug: said plainly, without a traceback; exit status 1."""
    stderr.print(
        f"[bold red]internal error:[/] {_escape(type(exc).__name__)}: "
        f"{_escape(str(exc))}\nPlease report it with the command you ran."
    )
    sys.exit(1)


def table_outputs(
    tables: dict[str, Any],
    *,
    xlsx: Path | None,
    csv: Path | None,
    listed: int = 0,
    quiet: bool = False,
) -> dict[Path, str | bytes]:
    """The files of ``--xlsx`` and ``--csv`` for ``tables`` (name -> DataFrame), ready for
    one write set (export.files.write_files_atomic). Nothing when neither is asked. The
    workbook holds the ranked opportunities' first rows (export.xlsx.sheet_tables, at
    least the ``listed`` ones), the CSV files every row; a progress bar on stderr while
    the workbook is written (unless ``quiet``)."""
    outputs: dict[Path, str | bytes] = {}
    if xlsx is not None:
        from ..export.xlsx import sheet_tables, workbook_bytes
        from .progress import rows_progress

        with rows_progress("writing the workbook", quiet) as progress:
            outputs[xlsx] = workbook_bytes(*sheet_tables(tables, listed), progress=progress)
    if csv is not None:
        from ..export.xlsx import csv_files

        outputs.update({csv / name: text for name, text in csv_files(tables).items()})
    return outputs


def listed_top(result: Any) -> int:
    """How many opportunities of each group ``result`` lists (its ``top``), 0 for a
    result that lists none."""
    parameters = getattr(result, "parameters", None)
    top = parameters.get("top") if isinstance(parameters, Mapping) else None
    return top if isinstance(top, int) else 0


def write_result_tables(
    section: str,
    result: Any,
    *,
    xlsx: Path | None,
    csv: Path | None = None,
    also: dict[Path, str | bytes] | None = None,
    protected: Any = (),
    quiet: bool = False,
) -> None:
    """``--xlsx`` and ``--csv`` of a per-pass command: the tables of ``result``
    (export.xlsx.section_tables), with the files of ``also``, as one write set."""
    outputs = dict(also or {})
    if xlsx is not None or csv is not None:
        from ..export.xlsx import section_tables

        tables = section_tables(section, result)
        listed = listed_top(result)
        outputs.update(table_outputs(tables, xlsx=xlsx, csv=csv, listed=listed, quiet=quiet))
    if outputs:
        from ..export.files import write_files_atomic

        write_files_atomic(outputs, protected=protected)


@contextlib.contextmanager
def stdout_reserved(reserved: bool = True) -> Iterator[None]:
    """Within this block (when ``reserved``), :func:`echo` and the ``stdout`` console
    print nothing: standard output holds the file a command writes there (``--out -``),
    which is written directly (:func:`symbiosis.export.files.write_files_atomic`), and a
    report printed after it would corrupt it (``trends --html -`` and ``balance --csv
    -`` appended their tables to the page and the CSV). Messages on stderr go on."""
    if not reserved:
        yield
        return
    before, stdout.quiet = stdout.quiet, True
    try:
        yield
    finally:
        stdout.quiet = before


def echo(data: str | bytes, *, nl: bool = True) -> None:
    """``typer.echo`` for a command's output on standard output: every byte written, or
    ``BrokenPipeError`` when the reader went away before the end (exit 141, as
    documented), where a large write would stop silently at what the pipe took (and the
    command exit 0). Text is encoded as standard output encodes it."""
    from ..export.files import write_all

    if stdout.quiet:  # standard output reserved (stdout_reserved), or gone (a broken pipe)
        return
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (some test runners): as typer writes it
        typer.echo(data, nl=nl)
        return
    if isinstance(data, str):
        data = data.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict")
    sys.stdout.flush()  # after what was printed before, never inside it
    write_all(out, data)
    if nl:
        write_all(out, b"\n")


def print_json_listing(to_dict: Callable[[], Any]) -> None:
    """Print the JSON of ``to_dict()``, a result's dict with every row listed: its long
    listings made and encoded a block of rows at a time (``jsonable.lazy_rows``), the
    output written piece by piece. At a million flows the rows' dicts took more memory
    than their JSON: ``structure -f json`` peaked at 1.4 GB, ``reconcile -f json`` at 2.5 GB.
    The whole output is encoded before the first byte is written."""
    from ..export.json import json_pieces
    from ..jsonable import lazy_rows

    with lazy_rows():
        data = to_dict()
    pieces = json_pieces(data)
    del data
    pieces.reverse()  # popped from the end: each piece let go once written
    while pieces:
        echo(pieces.pop(), nl=False)
    echo(b"")
