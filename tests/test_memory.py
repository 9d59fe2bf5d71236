"""symbiosis._memory: huge pages off for the process only when asked; the CLI's one heap."""

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


# ----------------------------------------------------------- the CLI's heap keeps its blocks


def _fake_libc(monkeypatch, *, mallopt_accepts=lambda param: True):
    """Record mallopt and malloc_trim calls instead of making them."""
    calls: list[tuple] = []

    def mallopt(param, value):
        calls.append(("mallopt", param, value))
        return int(mallopt_accepts(param))

    functions = {"mallopt": mallopt, "malloc_trim": lambda pad: calls.append(("trim", pad))}
    monkeypatch.setattr(_memory, "_libc_function", functions.get)
    monkeypatch.setattr(_memory, "_heap_shared", False)
    monkeypatch.setattr(_memory, "_heap_kept", False)
    for name in ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GLIBC_TUNABLES", "")
    return calls


def test_one_heap_keeps_large_blocks_then_its_free_top(monkeypatch):
    """One arena, then the mmap threshold, then (only then) the trim threshold."""
    calls = _fake_libc(monkeypatch)
    assert _memory.share_one_heap() is True
    assert calls == [
        ("mallopt", _memory._M_ARENA_MAX, 1),
        ("mallopt", _memory._M_MMAP_THRESHOLD, _memory._KEPT_BLOCKS),
        ("mallopt", _memory._M_TRIM_THRESHOLD, _memory._KEPT_TOP),
    ]
    assert _memory._heap_kept is True


def test_a_refused_mmap_threshold_leaves_the_trim_threshold_alone(monkeypatch):
    """Setting the trim threshold alone would fix the mmap threshold at 128 kB."""
    calls = _fake_libc(monkeypatch, mallopt_accepts=lambda p: p != _memory._M_MMAP_THRESHOLD)
    assert _memory.share_one_heap() is True
    assert [c[1] for c in calls] == [_memory._M_ARENA_MAX, _memory._M_MMAP_THRESHOLD]
    assert _memory._heap_kept is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MALLOC_MMAP_THRESHOLD_", "1048576"),
        ("MALLOC_TRIM_THRESHOLD_", "0"),
        ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"),
    ],
)
def test_thresholds_the_user_set_are_kept(monkeypatch, name, value):
    calls = _fake_libc(monkeypatch)
    monkeypatch.setenv(name, value)
    assert _memory.share_one_heap() is True
    assert calls == [("mallopt", _memory._M_ARENA_MAX, 1)]
    assert _memory._heap_kept is False


def test_a_kept_heap_is_trimmed_only_when_asked_whole(monkeypatch):
    calls = _fake_libc(monkeypatch)
    _memory.return_freed_memory()
    assert calls == [("trim", 0)]  # not kept (the library's default): trimmed
    calls.clear()
    _memory.share_one_heap()
    calls.clear()
    _memory.return_freed_memory()
    assert calls == []
    _memory.return_freed_memory(whole=True)
    assert calls == [("trim", 0)]
