"""The files a command reads and writes, checked before the command does any work.

Every command registered with ``@command()`` runs through :func:`guarded` (see
:mod:`.lazy`). Its path parameters are sorted by their annotations: an output is an option
made by :func:`output_option` (marked :class:`Writes`); every other parameter typed
``Path`` or ``list[Path]`` is an input, and so are the network's files, named by the
``path``, ``firms`` and ``example`` parameters that every command hands to
``load_network``. A new path option is therefore protected as an input unless it is
declared as an output. Before the command runs:

* an output naming an input (the same path however spelt, or the same file through a
  symbolic or hard link) is refused, exit 2, naming the output option and the input;
* a folder output where a file it always writes (``Writes.files``: reconcile's
  firms.csv and flows.csv) is an input is refused, exit 2, naming each such file;
* two outputs naming the same file are refused, exit 2; so is an output written to
  standard output (``-``) beside a ``--format`` that prints something else there
  (``analyze --format json --html -``: the page took stdout, the JSON was dropped);
* a file output that is a folder, a device, a pipe or a socket is refused, exit 1;
* an empty output path (``--out ''``), or a file output ending with a path separator
  (``--out new/``, a folder), is refused when the option is read, exit 2.

While the command runs, every write (:mod:`symbiosis.export.files`) also refuses those
inputs: the files of a folder output (``--csv FOLDER``) are checked when their names are
known, before any of them is written.
"""

from __future__ import annotations

import functools
import inspect
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ..export.files import InputFile

__all__ = [
    "PathParameter",
    "Reads",
    "Writes",
    "guarded",
    "option_names",
    "output_option",
    "path_parameters",
]

# The parameters naming the network, as every command passes them to app.load_network.
NETWORK = ("path", "firms", "example")


@dataclass(frozen=True)
class Writes:
    """Annotation marking a parameter as a path the command writes."""

    folder: bool = False  # a folder the command writes several files into
    files: tuple[str, ...] = ()  # the files it always writes there, checked before any work
    json: bool = False  # the file holds what --format json prints (the same bytes)


@dataclass(frozen=True)
class Reads:
    """Annotation naming what an input argument is, for messages: an argument has no
    option name to show, and its Python name (FILES) is no name the user wrote."""

    what: str  # e.g. "a register file"


def output_option(
    *names: str, help: str, folder: bool = False, files: tuple[str, ...] = (), json: bool = False
) -> Any:
    """The annotation of an output option: an optional, non-empty path, marked as written
    (``files``: those a folder output always holds, refused before any work when they
    are inputs; ``json``: the file holds what ``--format json`` prints)."""
    kind = "folder" if folder else "file"

    def parse(value: str) -> Path:
        if not value.strip():
            raise typer.BadParameter(f"an empty path; give the name of the {kind} to write")
        if folder and value == "-":  # else a folder named '-' was made in the current one
            raise typer.BadParameter(
                "'-' (standard output) cannot hold a folder of files; give a folder name"
            )
        if not folder and value.endswith(("/", os.sep)):
            # Path() drops the separator, and the file would be written where the user
            # meant a folder to be: o/new/ would become a file named o/new
            raise typer.BadParameter(
                f"'{value}' ends with '{value[-1]}', so it names a folder; give the name "
                f"of the file to write, after the '{value[-1]}'"
            )
        return Path(value)

    option = typer.Option(
        *names,
        help=help,
        parser=parse,
        metavar=kind.upper(),
        rich_help_panel="Output",
        show_default=False,
    )
    return Annotated[Path | None, option, Writes(folder, files, json)]


@dataclass(frozen=True)
class PathParameter:
    """A path parameter of a command: its Python name, how the user writes it, and
    whether the command writes it (``writes`` is None for an input)."""

    name: str
    shown: str
    writes: Writes | None


@functools.cache
def path_parameters(command: Callable[..., Any]) -> tuple[PathParameter, ...]:
    """The path parameters of ``command``, from its annotations."""
    hints = typing.get_type_hints(inspect.unwrap(command), include_extras=True)
    found = []
    for name, hint in hints.items():
        base, *extras = typing.get_args(hint) if typing.get_origin(hint) is Annotated else (hint,)
        writes = next((e for e in extras if isinstance(e, Writes)), None)
        if writes is None and not _holds_paths(base):
            continue
        info = next((e for e in extras if isinstance(e, typer.models.ParameterInfo)), None)
        reads = next((e.what for e in extras if isinstance(e, Reads)), None)
        found.append(PathParameter(name, reads or _shown(name, info), writes))
    return tuple(found)


@functools.cache
def option_names(command: Callable[..., Any]) -> dict[str, str]:
    """How the user writes each parameter of ``command`` that is an option: its long
    option (``default`` -> ``--uncertainty``), from its annotations."""
    hints = typing.get_type_hints(inspect.unwrap(command), include_extras=True)
    found = {}
    for name, hint in hints.items():
        extras = typing.get_args(hint)[1:] if typing.get_origin(hint) is Annotated else ()
        info = next((e for e in extras if isinstance(e, typer.models.OptionInfo)), None)
        if info is not None:
            found[name] = _shown(name, info)
    return found


def _shown(name: str, info: Any) -> str:
    """How the user writes the parameter: its long option, else the argument's metavar
    (as the usage line shows it), else its name in capitals (PATH, as the help of
    --example calls it). (typer keeps an option's first declaration as its ``default``.)"""
    declared = (getattr(info, "default", None), *(getattr(info, "param_decls", None) or ()))
    option = next((d for d in declared if isinstance(d, str) and d.startswith("--")), None)
    return option or getattr(info, "metavar", None) or name.upper()


def _holds_paths(annotation: Any) -> bool:
    """Whether ``annotation`` is Path, or a union or list holding Path."""
    if annotation is Path:
        return True
    return any(_holds_paths(a) for a in typing.get_args(annotation))


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command``, run only once its outputs are checked against its inputs, and with
    its inputs protected from every write while it runs."""

    @functools.wraps(command)
    def run(**values: Any) -> Any:
        from ..export.files import protecting
        from ..io import readahead
        from .app import handle_errors, stdout_reserved

        files = network_files(values)
        inputs = handle_errors(check_paths)(command, values, files)
        # the network's CSV files read on a thread while the command imports its code
        readahead.start(file for file, _ in files)
        # an output written to standard output ('-') is all that goes there: the report
        # the command prints otherwise would be appended to the file's bytes
        piped = any(str(values.get(p.name)) == "-" for p in path_parameters(command) if p.writes)
        with protecting(inputs), stdout_reserved(piped):
            return command(**values)

    return run


def check_paths(
    command: Callable[..., Any],
    values: dict[str, Any],
    files: list[tuple[Path, str]] | None = None,
) -> list[InputFile]:
    """Refuse the outputs of this run that name an input, a folder, a special file or
    the same file twice; return the inputs. ``files``: :func:`network_files` of
    ``values``, when known already."""
    from ..errors import InputError
    from ..export.files import InputFile, check_target

    parameters = path_parameters(command)
    inputs = network_inputs(values, files)
    inputs += [
        InputFile(path, p.shown)
        for p in parameters
        if p.writes is None and p.name not in NETWORK
        for path in _given(values.get(p.name))
    ]
    outputs = [(p, path) for p in parameters if p.writes for path in _given(values.get(p.name))]
    written: list[tuple[str, InputFile, bool]] = []  # option, output, whether a folder
    for parameter, path in outputs:
        writes = parameter.writes
        folder = writes is not None and writes.folder
        if writes is not None and writes.folder:
            _check_folder(path, inputs, parameter.shown, writes.files)
        else:
            check_target(path, inputs, option=parameter.shown)
        # a folder output too: --out X --csv X wrote the report, then failed midway
        same = next((w for w in written if w[1].is_named_by(path)), None)
        if same is not None:
            names = "paths" if folder or same[2] else "file names"
            raise InputError(
                f"{same[0]} and {parameter.shown} both name {path}: the second would replace "
                f"the first; give two {names}"
            )
        written.append((parameter.shown, InputFile(path), folder))
    clash = standard_output_clash(parameters, values)
    if clash:
        raise InputError(clash)
    return inputs


def standard_output_clash(parameters: tuple[PathParameter, ...], values: dict[str, Any]) -> str:
    """The message ('' if none) when an output goes to standard output (``-``) and the
    command's ``--format`` would print something else there: only one can, and the
    printed one was dropped without a word. The default format gives way to the file
    (``analyze --html -`` writes the page, as documented); ``--format json`` beside a
    file of the same JSON (``analyze --format json --out -``) is one output."""
    piped = [p for p in parameters if p.writes and str(values.get(p.name)) == "-"]
    chosen = values.get("fmt")
    if not piped or chosen is None:
        return ""
    fmt = str(getattr(chosen, "value", chosen))
    if fmt == "text" and not _given_by_user("fmt"):
        return ""
    if fmt == "json" and all(p.writes is not None and p.writes.json for p in piped):
        return ""
    option = piped[0].shown
    return (
        f"--format {fmt} and {option} - both write to standard output, where only one "
        f"output can go; give {option} a file name, or leave out --format {fmt}"
    )


def _given_by_user(name: str) -> bool:
    """Whether the parameter ``name`` of the running command was given by the user (on
    the command line or in the environment), not left at its default. Read from the
    running click context: typer's copy of click from typer 0.16 on, click before."""
    import importlib

    core = typer.Context.__mro__[1].__module__  # "typer._click.core" or "click.core"
    package = core.rsplit(".", 1)[0]
    context = importlib.import_module(f"{package}.globals").get_current_context(silent=True)
    if context is None:
        return False
    sources = importlib.import_module(core).ParameterSource
    return context.get_parameter_source(name) in (sources.COMMANDLINE, sources.ENVIRONMENT)


def network_inputs(
    values: dict[str, Any], files: list[tuple[Path, str]] | None = None
) -> list[InputFile]:
    """The files ``load_network`` reads for these values (io.load's rules): the flows
    file, and firms.csv beside it unless --firms names the firms file; with --example,
    a PATH given too (scenario's: a scenario file). ``files``: :func:`network_files` of
    ``values``, when known already."""
    from ..export.files import InputFile

    path, example = values.get("path"), values.get("example")
    # scenario --example NAME FILE...: PATH is a scenario file
    scenario = [InputFile(path, "a scenario file")] if example and path is not None else []
    files = network_files(values) if files is None else files
    return scenario + [InputFile(file, label) for file, label in files]


def network_files(values: dict[str, Any]) -> list[tuple[Path, str]]:
    """The network's files ``load_network`` reads for these values, each with how the
    user named it: the flows file (PATH, a folder's flows.csv, the example's), the
    firms file (--firms, else firms.csv beside the flows, which may not exist); no flows
    file for standard input or an unknown example (load_network says so, in its turn)."""
    from ..errors import InputError
    from .app import example_path

    path, firms, example = (values.get(name) for name in NETWORK)
    if example:
        try:
            path = example_path(example)
        except InputError:
            path = None
    if path is not None and str(path) == "-":
        path = None  # the flows come from stdin: no file of the network to protect
    found = []
    if path is not None:
        folder = os.path.isdir(path)
        flows = path / "flows.csv" if folder else path
        beside = (path if folder else path.parent) / "firms.csv"
        found.append((flows, "the network's flows file"))
        if firms is None:
            found.append((beside, "the network's firms file"))
    if firms is not None:
        found.append((firms, "--firms"))
    return found


def _check_folder(
    folder: Path, inputs: list[InputFile], option: str, files: tuple[str, ...] = ()
) -> None:
    """A folder output: refuse an input file, and a folder where any of ``files`` (those
    it always holds) is an input, naming every such file at once; its other files are
    checked when their names are known, before any is written."""
    from ..errors import OutputError
    from ..export.files import ProtectedFileError

    for source in inputs:
        if source.is_named_by(folder):
            raise ProtectedFileError(
                f"{folder}: refusing to write into {source.describe()}; "
                f"give {option} the name of a folder"
            )
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise OutputError(f"{folder}: is not a folder; give {option} the name of a folder")
    replaced = [named for name in files if (named := _named(folder / name, inputs))]
    if replaced:
        listed = " and ".join(filter(None, (", ".join(replaced[:-1]), replaced[-1])))
        raise ProtectedFileError(
            f"{folder}: refusing to write into a folder of input files: {option} would "
            f"overwrite {listed}; give {option} another folder"
        )


def _named(path: Path, inputs: list[InputFile]) -> str | None:
    """``path`` with the input it is (``firms.csv (--firms)``), or None if no input."""
    source = next((s for s in inputs if s.is_named_by(path)), None)
    if source is None:
        return None
    return f"{path} ({source.label})" if source.label else str(path)


def _given(value: Any) -> list[Path]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
