"""symbiosis._memory.tune_process: huge pages off for the process, only when asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import symbiosis
from symbiosis import _memory

ROOT = Path(__file__).resolve().parents[1]
STATUS = Path("/proc/self/status")
needs_linux_status = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not STATUS.exists()
    or "THP_enabled:" not in STATUS.read_text(),
    reason="the kernel does not report THP_enabled in /proc/self/status",
)

# A fresh interpreter: whether huge pages are on for it before and after each step.
PROBE = """
import symbiosis
def on():
    text = open("/proc/self/status").read()
    return text.split("THP_enabled:")[1].split()[0]
steps = [on()]
network = symbiosis.load("examples/tongling")
steps.append(on())
if ASK:
    steps.append(str(symbiosis.tune_process()))
    steps.append(str(symbiosis.tune_process()))
    steps.append(on())
print(" ".join(steps))
"""


def _probe(ask: bool) -> list[str]:
    code = PROBE.replace("ASK", str(ask))
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return found.stdout.split()


@needs_linux_status
def test_the_library_leaves_the_process_as_it_was():
    """Importing symbiosis and loading a network (pyarrow, numpy and all) change nothing:
    the process had huge pages on, and keeps them."""
    assert _probe(ask=False) == ["1", "1"]


@needs_linux_status
def test_tune_process_turns_them_off_and_says_so():
    """Asked (twice: the same answer), huge pages are off for the rest of the process."""
    assert _probe(ask=True) == ["1", "1", "True", "True", "0"]


def test_elsewhere_it_does_nothing(monkeypatch):
    calls = []
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(_memory, "_libc_function", lambda name: lambda *a: calls.append(a))
    assert _memory.tune_process() is False
    assert calls == []


def test_it_is_public():
    assert symbiosis.tune_process is _memory.tune_process
    assert "tune_process" in symbiosis.__all__
