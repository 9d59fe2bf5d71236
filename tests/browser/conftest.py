"""Real-browser tests: headless Chromium, network cut off, a fresh profile per run.

They skip, saying why, where no Chromium is installed (Debian:
``apt-get install -y chromium``; CI's .ci/run installs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "export"))

from chromium import Browser, find_chromium  # noqa: E402


@pytest.fixture(scope="session")
def browser():
    if find_chromium() is None:
        pytest.skip(
            "chromium is not installed (apt-get install -y chromium); browser tests skipped"
        )
    with Browser(width=1400, height=900) as instance:
        yield instance
