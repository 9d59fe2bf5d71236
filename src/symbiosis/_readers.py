"""The readers that build a network, registered by :mod:`symbiosis.io` for the model.

``FlowNetwork``'s constructors (``from_frames``, ``from_graph``, ``from_dict``, unpickling)
validate through io, which the model must not import (the layer rules): io puts its
readers here when it is imported. A leaf, so that importing io's package loads neither
the model nor pandas (:mod:`symbiosis.io.readahead` reads files before they are loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["READERS"]

#: Name (``from_frames``, ``from_graph``, ``from_dict``, ``restore``) -> io's function.
READERS: dict[str, Callable[..., Any]] = {}
