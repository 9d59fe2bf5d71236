"""Which files a path given to :func:`~symbiosis.io.loading.load` names: a folder's
``firms.csv`` and ``flows.csv``, or a flows file and the ``firms.csv`` beside it; links that
lead nowhere; and, for a folder without them, the file that is plainly one of them under
another name (``Flows.csv``, ``flows.xlsx``, ``flow.csv``), named in the problem rather
than a firms file left out without a word. O(files in the folder).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .reading import BROKEN_LINK

__all__ = ["resolve_tables", "resolved"]


def resolve_tables(path: Path, firms: Any, flows: Any) -> tuple[Any, Any]:
    """A folder's or a flows file's tables (``firms``, ``flows`` given override them)."""
    if path.is_dir():
        flows = flows if flows is not None else path / "flows.csv"
        if firms is None and ((path / "firms.csv").exists() or _broken_link(path / "firms.csv")):
            firms = path / "firms.csv"
        broken = [p for p in (firms, flows) if isinstance(p, Path) and _broken_link(p)]
        if broken:
            raise InputError([_broken_link_problem(p) for p in broken])
        problems = []
        if isinstance(flows, Path) and not flows.exists():
            meant = _meant(path, "flows.csv", close=True)
            problems.append(_missing_problem(path, "flows.csv", meant))
        if firms is None and (meant := _meant(path, "firms.csv")) is not None:
            problems.append(_missing_problem(path, "firms.csv", meant))
        if problems:
            raise InputError(problems)
        return firms, flows
    if flows is not None:  # load("firms.csv", "flows.csv")
        if firms is not None:
            raise InputError("firms given twice: as the first argument and as firms=")
        return path, flows
    sibling = path.parent / "firms.csv"
    # not for a flows path that is not there: its problem alone, not the sibling's
    if firms is None and sibling.exists() and sibling != path and path.exists():
        firms = sibling
    return firms, path


#: Other forms of a table that a folder may hold instead of its CSV file.
_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".tsv", ".txt")


def _meant(folder: Path, wanted: str, *, close: bool = False) -> str | None:
    """A file of the folder that is plainly ``wanted`` ("flows.csv") under another name:
    the name in other case (Flows.csv), the table in another form (flows.xlsx), or, with
    ``close``, a close misspelling (flow.csv). O(files in the folder)."""
    try:
        names = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    except OSError:
        return None
    stem = Path(wanted).stem
    for name in names:
        other_form = Path(name).suffix.lower() in _TABLE_SUFFIXES
        if name.lower() == wanted or (other_form and Path(name).stem.lower() == stem):
            return name
    if not close:
        return None
    found = difflib.get_close_matches(wanted, [n.lower() for n in names], n=1, cutoff=0.8)
    return next((n for n in names if found and n.lower() == found[0]), None)


def _missing_problem(folder: Path, wanted: str, meant: str | None) -> Problem:
    """The folder holds no ``wanted`` file; ``meant``: a file that is plainly it under
    another name (a firms file is then not left out without a word)."""
    if meant is None:  # flows.csv only: no firms.csv is a network of the flows' endpoints
        return Problem(str(folder), None, None, f"holds no {wanted}",
                       "a network folder needs flows.csv (and usually firms.csv)")  # fmt: skip
    if meant.lower() == wanted:
        hint = f"rename it {wanted} (file names differ by case here)"
    elif Path(meant).stem.lower() == Path(wanted).stem:
        hint = f"save it as {wanted}, or give that file itself instead of the folder"
    else:
        hint = f"rename it {wanted}"
    return Problem(str(folder), None, None, f"holds no {wanted}, but {meant}", hint)


def _broken_link(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that leads to no file (a missing target, or a
    loop of links): it is there, but cannot be read."""
    return path.is_symlink() and not path.exists()


def _broken_link_problem(path: Path) -> Problem:
    return Problem(str(path), None, None, *BROKEN_LINK)


def resolved(path: Path) -> Path:
    """The absolute path of a file read, its links followed where they lead somewhere
    (a loop of links: the path as given, made absolute)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop of links
        return Path(os.path.abspath(path))
