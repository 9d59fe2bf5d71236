"""The exceptions of symbiosis.

One exception type per kind of failure, each mapped to one CLI exit code:

* :class:`InputError` (exit 2): the input files, a catalogue, a scenario or an option
  value are wrong. It carries every :class:`Problem` found, not only the first.
* :class:`OutputError` (exit 1): a result could not be written (read-only folder, disk
  full); refusing to overwrite an input file is its subclass
  ``symbiosis.export.files.ProtectedFileError``, exit 2 (a usage mistake).
* :class:`AnalysisError` (exit 1): the data are valid but a computation cannot give a
  trustworthy number (for example a singular matrix); the message says why.

Data warnings are not exceptions: they are kept in ``network.warnings``, and
:class:`SymbiosisWarning` is the category they are issued under through
:func:`warnings.warn` (``symbiosis.notebook.load`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AnalysisError",
    "InputError",
    "OutputError",
    "Problem",
    "SymbiosisError",
    "SymbiosisWarning",
    "add_column_hint",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as possible.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1, the first
    data row is row 2); for an in-memory table with its own labels, the label (a frame's
    index label, a graph's node id); ``None`` when the problem concerns the whole file.
    ``column`` is the column name, or ``None``. ``more_rows``: how many rows of the same
    problem this one stands for, when a rule lists its first rows one by one and then
    counts the others in one problem (``row`` is then ``None``), or says the rows of one
    reason in one problem (``row`` is then the first of them: register import); 0
    otherwise.
    """

    file: str
    row: int | str | None
    column: str | None
    message: str
    hint: str = ""
    more_rows: int = 0

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [p for p in (where, self.column, self.message) if p]
        text = ": ".join(parts)
        return f"{text}; {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "more_rows": self.more_rows,
        }


class SymbiosisError(Exception):
    """Base class of every error symbiosis raises on purpose."""

    exit_code = 1


class InputError(SymbiosisError, ValueError):
    """Invalid input: files, catalogue, scenario or parameters. Holds all problems found."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        head = str(self.problems[0]) if self.problems else "invalid input"
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(head + more)


class OutputError(SymbiosisError, OSError):
    """A result could not be written; nothing partial is left behind."""

    exit_code = 1


class AnalysisError(SymbiosisError):
    """Valid data for which a metric cannot be computed reliably."""

    exit_code = 1


class SymbiosisWarning(UserWarning):
    """A warning about the data that does not stop the analysis (a flow of unknown size,
    a flow between two boundary nodes, an id normalised ...): the same text as in
    ``network.warnings``, issued through :func:`warnings.warn` so that Python's filters
    apply (``warnings.simplefilter("error", SymbiosisWarning)`` turns them into errors)."""


def add_column_hint(name: str) -> str:
    """The hint for a missing column: ``add a 'unit' column``, ``add an 'id' column``
    (``an`` before a vowel but u, which mostly sounds as ``you`` in the column names)."""
    return f"add {'an' if name[:1] in 'aeio' else 'a'} '{name}' column"
