"""What to say of a firm id that a network does not have: the firm whose name it is, the
firms whose names hold it, or the ids close to it.

Users name firms by their names (``包钢``, ``Conch Cement``) where the commands want ids
(``BTS``, ``CONCH``); the hints say which id to give. Used by the shocks' and the scenarios'
checks of their firm ids. Nothing here computes a result.
"""

from __future__ import annotations

from ..model import FlowNetwork
from ..vocabulary import close_ids

__all__ = ["name_hint", "suggest"]

#: The most firms a hint names.
_SHOWN = 3
#: The most characters of a firm's name a hint quotes.
_NAME_WIDTH = 40


def name_hint(network: FlowNetwork, name: object) -> str:
    """`` (the name of X: give its id)`` when ``name`` is a firm's display name (case
    ignored) rather than its id; else `` (in the name of X 'its name': give its id)``
    for the firms whose names hold ``name`` (two characters or more: ``包钢`` in
    ``包钢股份 Baotou Steel``); else ``""``. O(firms)."""
    wanted = str(name).casefold()
    core = network.core
    # a name of its own (a firm without one is named by its id: suggest() speaks of that)
    named = [(str(i), str(n)) for i, n in zip(core.ids, core.names, strict=True) if n != i]
    exact = [i for i, n in named if n.casefold() == wanted]
    if exact:
        return f" (the name of {', '.join(exact[:_SHOWN])}: give {_its(exact)})"
    if len(wanted.strip()) < 2:
        return ""
    holding = [(i, n) for i, n in named if wanted in n.casefold()]
    if not holding:
        return ""
    shown = ", ".join(f"{i} {_shortened(n)!r}" for i, n in holding[:_SHOWN])
    more = f" and {len(holding) - _SHOWN} more" if len(holding) > _SHOWN else ""
    names = "the name" if len(holding) == 1 else "the names"
    return f" (in {names} of {shown}{more}: give {_its(holding)})"


def suggest(name: str, ids) -> str:
    """`` (did you mean X, Y?)`` for ids close to ``name`` (case ignored), or ``""``."""
    by_lower: dict[str, str] = {}
    for known in map(str, ids):
        by_lower.setdefault(known.lower(), known)
    close = close_ids(str(name).lower(), list(by_lower), n=3)
    return f" (did you mean {', '.join(repr(by_lower[c]) for c in close)}?)" if close else ""


def _its(found: list) -> str:
    return "its id" if len(found) == 1 else "an id"


def _shortened(text: str) -> str:
    return text if len(text) <= _NAME_WIDTH else text[: _NAME_WIDTH - 1] + "…"
