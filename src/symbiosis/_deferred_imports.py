"""Modules that the command line's process loads only on first use (a leaf: no project
imports).

Importing scipy imports every submodule of numpy: scipy's vendored ``array_api_compat``
clones numpy's namespace (``from numpy import *``, then ``getattr`` on each name of
``dir(numpy)``), and numpy loads its submodules lazily, on that first ``getattr``. Two of
them are test and build tools that no analysis uses: ``numpy.testing`` (it imports
``unittest`` and ``difflib``) and ``numpy.f2py`` (a Fortran wrapper generator; it imports
``charset_normalizer`` when that is installed). :func:`defer` makes such modules lazy in
the standard library's way (:class:`importlib.util.LazyLoader`): the import gives a module
object at once, and the module's code runs on the first access to one of its attributes.
Nothing changes for code that uses them; scipy's clone only holds them unused.

Measured (interleaved runs, medians of 7): the imports of ``symbiosis analyze`` (numpy,
pyarrow, pandas, scipy's sparse, graph and spatial modules) 0.493 -> 0.461 s in a fresh
virtual environment, 0.532 -> 0.470 s where ``charset_normalizer`` is installed.

The command line defers them (:mod:`symbiosis.__main__`); the library, imported by other
code, leaves that code's imports as they are. Only modules that nothing in the command's
process uses are deferred: before Python 3.13 a lazy module's first use from two threads
at once can find it half loaded (CPython gh-114763).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["UNUSED_BY_ANALYSES", "defer"]

#: Submodules of numpy that scipy's import loads, and that no analysis, nor any library
#: the command loads, uses: 0.03-0.06 s of the command's imports. (``numpy.polynomial``
#: and ``numpy.ctypeslib`` would add a few milliseconds; libraries may use them.)
UNUSED_BY_ANALYSES = ("numpy.f2py", "numpy.testing")


class _Deferring(importlib.abc.MetaPathFinder):
    """Finds the modules named, as the path finder does, with a lazy loader."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return None  # the import goes on as it would have
        spec.loader = importlib.util.LazyLoader(spec.loader)  # type: ignore[arg-type]
        return spec


def defer(names: Sequence[str] = UNUSED_BY_ANALYSES) -> None:
    """From now on in this process, the modules ``names`` (full dotted names) not imported
    yet load their code on first use instead of on import. Once per process: a second
    call changes nothing. O(1)."""
    if not any(isinstance(finder, _Deferring) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Deferring(names))
