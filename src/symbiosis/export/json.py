"""JSON output: plain, strict JSON (no NaN), UTF-8, stable key order."""

from __future__ import annotations

import json
from typing import Any

from ..jsonable import to_jsonable

__all__ = ["to_json", "to_jsonable"]


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise results as strict JSON text (non-ASCII kept as is)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)
