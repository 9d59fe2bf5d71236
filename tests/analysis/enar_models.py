"""enaR's published model library as test fixtures (tests/data/enar; built by
tools/enar_library.py), shared by the ENA tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "enar"
PATHS = sorted(LIBRARY.glob("*.json*"))
RTOL = 1e-6


def load_model(path: Path) -> dict:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return json.load(handle)
