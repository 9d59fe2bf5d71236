"""Reading and validating the input tables.

A network is a folder holding ``firms.csv`` and ``flows.csv`` (or the two files given
separately, or ``flows.csv`` alone; or a workbook, Parquet files, a database, data frames or a
graph). :func:`load` reads both, checks every rule, and returns
a :class:`~symbiosis.model.FlowNetwork`, or raises one :class:`~symbiosis.errors.InputError`
carrying every problem found, each located as ``file:row: column: what is wrong; what to
do``. Rows are numbered as a spreadsheet shows them: the header is row 1.
:func:`from_frames` (:func:`validate_frames`) applies the same rules to in-memory tables.

The pipeline, one module per stage:

- :mod:`~symbiosis.io.folders`: the files a path names (a folder's two files, a flows file
  and the firms.csv beside it), and a file under another name said so;
- :mod:`~symbiosis.io.reading`: bytes to a :class:`Table` of text cells (encodings,
  separator sniffing, size, memory and width limits, pyarrow's reader, pandas' as fallback);
  :mod:`~symbiosis.io.parsing`, its fast path: pyarrow's parse, then contiguous stripped
  columns;
- :mod:`~symbiosis.io.sources`: every other source (Excel, Parquet, SQLite, pandas, polars,
  pyarrow) made the same :class:`Table`, and problems relabelled for them;
  :mod:`~symbiosis.io.graphs`: networkx graphs, through the frames;
- :mod:`~symbiosis.io.problems`: the collector of located problems;
- :mod:`~symbiosis.io.columns` and :mod:`~symbiosis.io.numbers`: header checks, dictionary
  encoding, numeric cells (:mod:`~symbiosis.io.number_hints`: the number each hint
  suggests, the cell's own); :mod:`~symbiosis.io.headers`: a header below a title, the other
  table, or no table at all, said in one line; :mod:`~symbiosis.io.header_names`: headers
  in Chinese read as the columns they name;
- :mod:`~symbiosis.io.firms` and :mod:`~symbiosis.io.flows`: the rules of each file;
- :mod:`~symbiosis.io.validating`: both tables' rules applied, every problem raised
  together, the network built (the flows' columns checked on a second thread);
- :mod:`~symbiosis.io.quantities`: quantities converted to canonical units, within the range
  every analysis computes with; :mod:`~symbiosis.io.gases`: gas volumes added to water's,
  :mod:`~symbiosis.io.steam`, :mod:`~symbiosis.io.waters` and :mod:`~symbiosis.io.loads`:
  steam, water and an effluent's load in tonnes added to materials, warned (the warnings'
  shape: :mod:`~symbiosis.io.beside`);
- :mod:`~symbiosis.io.encoding` (bytes to text) and :mod:`~symbiosis.io.ids` (one Unicode
  form per id, no zero-width characters);
- :mod:`~symbiosis.io.building`: the network's columnar core from the validated codes.

When ``firms.csv`` is absent every flow endpoint becomes a node: an id that is a role
name or alias (``market``, ``landfill``, ``air`` ...) becomes a boundary node of that
role, every other id a ``firm``.

Complexity: O(rows) in the number of rows (O(cells) for the exact-repeat check), vectorised
on Arrow arrays; every distinct unit, role, category and material string is parsed once.

The package itself is cheap to import (neither pandas nor the model): its names load
:mod:`~symbiosis.io.loading` on first use (PEP 562), so that the CLI can read a network's
files ahead (:mod:`~symbiosis.io.readahead`) while it imports everything else.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pkgutil import iter_modules
from typing import TYPE_CHECKING, Any

from .._readers import READERS

if TYPE_CHECKING:  # the lazy names below, for type checkers (PEP 562 hides them)
    from .firms import FIRM_COLUMNS
    from .flows import FLOW_COLUMNS
    from .loading import TableSource, from_dict, from_frames, from_graph, load, validate_frames
    from .problems import MAX_ROWS_PER_RULE
    from .reading import MAX_COLUMNS, Table, read_table

__all__ = [
    "FIRM_COLUMNS",
    "FLOW_COLUMNS",
    "MAX_COLUMNS",
    "MAX_ROWS_PER_RULE",
    "Table",
    "TableSource",
    "from_dict",
    "from_frames",
    "from_graph",
    "load",
    "read_table",
    "validate_frames",
]


# Where the public names that are not loading's live: reading them loads no more.
_HOMES = {
    "FIRM_COLUMNS": "firms",
    "FLOW_COLUMNS": "flows",
    "MAX_COLUMNS": "reading",
    "MAX_ROWS_PER_RULE": "problems",
    "Table": "reading",
    "read_table": "reading",
}


def __getattr__(name: str) -> Any:
    """A public name (:data:`_HOMES`, else :mod:`~symbiosis.io.loading`'s; also the
    private ones the notebook reaches, ``_load``), loaded on first use and kept here.
    O(1) after it. A submodule's name is no attribute: ``from . import reading`` then
    imports the submodule alone."""
    if name.startswith("__") or name in _submodules():
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES.get(name, 'loading')}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


@cache
def _submodules() -> frozenset[str]:
    return frozenset(module.name for module in iter_modules(__path__))


# FlowNetwork's constructors validate through io (the model must not import io): these
# call loading's functions, loading it on first use. ``restore`` is pickled by reference
# with every network, as ``symbiosis.io._restore_network``: a module-level function.
def _restore_network(state: dict[str, Any]) -> Any:
    """A network unpickled (see ``FlowNetwork.__reduce__``; ``loading.unpickled``)."""
    return import_module(".loading", __name__).unpickled(state)


def _reader(name: str) -> Any:
    """loading's function ``name``, looked up (and loading imported) when called."""

    def read(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(".loading", __name__), name)(*args, **kwargs)

    return read


READERS.update(  # the model issues the warnings itself, at its caller: silent readers
    from_frames=_reader("validate_frames"),
    from_graph=_reader("from_graph"),
    from_dict=_reader("from_dict"),
    restore=_restore_network,
)
