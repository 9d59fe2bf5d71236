"""Results frozen in depth: the dicts and frames inside a frozen dataclass made read-only.

A result is a frozen dataclass, but its attributes were plain dicts and DataFrames that a
caller could change in place (``rep.cycling.dimensions.pop("energy")``,
``rep.reuse.network.loc[0, "reuse_share"] = 0.99``), and ``to_dict()`` then wrote the
changed figures. :func:`freeze` makes them read-only without copying data:

- a dict becomes a :class:`FrozenDict` (a ``dict``, so JSON, ``isinstance`` and pickle
  work as before; every method that would change it raises ``TypeError``);
- a pandas DataFrame or Series has its numpy arrays flagged read-only: setting a value in
  place raises ``ValueError: assignment destination is read-only``, while a copy
  (``frame.copy()``, or any frame derived from it) is the caller's to change (pandas
  copies on write). No row is copied: O(columns);
- a dataclass inside (a dimension's result) is frozen the same way.

A leaf: pandas is recognised by its attributes, never imported here.

Complexity: O(dict entries + columns) per result, whatever the number of rows.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn, TypeVar

__all__ = ["FrozenDict", "FrozenResult", "freeze"]

_FRAMES = ("DataFrame", "Series")

T = TypeVar("T")


class FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that cannot be changed: ``d[k] = v``, ``del d[k]``, ``pop``, ``update`` ...
    raise ``TypeError``. Reads, iteration, ``json.dumps``, ``copy.copy`` (a plain
    ``dict(d)`` is the caller's to change) and pickling work as for a dict."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(
            "this dict is part of a result and is read-only; dict(it) is a copy to change"
        )

    __setitem__ = __delitem__ = _refuse
    pop = popitem = clear = update = setdefault = __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[dict[Any, Any]]]:
        return FrozenDict, (dict(self),)

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict:
        import copy

        return FrozenDict({k: copy.deepcopy(v, memo) for k, v in self.items()})


class FrozenResult:
    """The base of the results: a public attribute holding a dict is frozen on first
    access (:func:`freeze`, in place: once); one holding a pandas frame is handed out as
    a shallow copy of it, its arrays read-only: O(columns), no row copied. With pandas'
    copy on write (pandas >= 3) the copy is the caller's to change; with pandas 2 a
    value set in place raises instead of reaching the result. The results' own
    methods (``to_dict``, ``to_frame``) read the same way."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name[0] == "_":  # dunders, private fields: as they are
            return value
        kind = type(value)
        if kind is dict:
            value = freeze(value)
            object.__setattr__(self, name, value)
        elif kind.__name__ in _FRAMES and hasattr(value, "_mgr"):
            _read_only_arrays(value)
            return value.copy(deep=False)
        return value


def freeze(value: T) -> T:
    """``value`` frozen in depth (module docstring): a dict as a :class:`FrozenDict` (its
    values frozen), a frame's arrays read-only, a dataclass's fields frozen in place;
    anything else as it is. O(dict entries + columns)."""
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})  # type: ignore[return-value]
    if hasattr(value, "_mgr") and hasattr(value, "iloc"):  # a pandas DataFrame or Series
        _read_only_arrays(value)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            current = object.__getattribute__(value, field.name)  # not a copy
            frozen = freeze(current)
            if frozen is not current:
                object.__setattr__(value, field.name, frozen)
    return value


def _read_only_arrays(frame: Any) -> None:
    """Flag the numpy arrays behind ``frame`` read-only (those of nullable columns too).
    A frame another frame shares them with (pandas' copy on write) is then read-only too:
    pandas copies before writing to a shared array, so it stays what it was."""
    for array in _frame_arrays(frame):
        for part in (array, getattr(array, "_ndarray", None), getattr(array, "_data", None),
                     getattr(array, "_mask", None)):  # fmt: skip
            flags = getattr(part, "flags", None)
            if flags is not None and hasattr(flags, "writeable"):
                flags.writeable = False


def _frame_arrays(frame: Any) -> list[Any]:
    try:
        return list(frame._mgr.arrays)  # pandas' own: no public access to the blocks
    except AttributeError:
        return []
