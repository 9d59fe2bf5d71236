"""Tests for benchmarks/ab.py, the interleaved comparison of two checkouts (kept small:
Tongling, one run a side)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SRC = BENCHMARKS.parent / "src"
TONGLING = str(BENCHMARKS.parent / "examples" / "tongling")


def _load_ab():
    sys.path.insert(0, str(BENCHMARKS))  # the script imports its sibling _common
    try:
        spec = importlib.util.spec_from_file_location("_symbiosis_bench_ab", BENCHMARKS / "ab.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


ab = _load_ab()


def test_the_same_checkout_writes_the_same_bytes(capsys):
    code = ab.main([TONGLING, "--against", str(SRC), "--runs", "1", "--warmup", "0"])
    out = capsys.readouterr().out
    assert code == 0
    assert "outputs: byte-identical" in out
    assert out.count("| 1 |") == 2  # a row per side, one run each


def _fake_runs(monkeypatch, *runs):
    """ab.run replaced: the given runs in turn (no process started)."""
    given = iter(runs)
    monkeypatch.setattr(ab, "run", lambda src, args: next(given))
    monkeypatch.setattr(ab, "compile_package", lambda src: None)


def test_outputs_that_differ_are_said_so(capsys, monkeypatch):
    _fake_runs(monkeypatch, ab.Run(1.0, 1.0, 10, 5, 0, "x"), ab.Run(2.0, 1.5, 12, 6, 0, "y"))
    assert ab.main([TONGLING, "--against", str(SRC), "--runs", "1", "--warmup", "0"]) == 1
    assert "outputs: DIFFER" in capsys.readouterr().out


def test_a_failed_run_is_said_so(capsys, monkeypatch):
    _fake_runs(monkeypatch, ab.Run(1.0, 1.0, 10, 5, 2, "x"), ab.Run(1.0, 1.0, 10, 5, 0, "x"))
    assert ab.main([TONGLING, "--against", str(SRC), "--runs", "1", "--warmup", "0"]) == 1
    assert "exit codes: [0, 2]" in capsys.readouterr().out


def test_the_summary_is_per_side():
    runs = {
        "a": [ab.Run(1.0, 1.0, 10, 5, 0, "x"), ab.Run(3.0, 2.0, 11, 7, 0, "x")],
        "b": [ab.Run(2.0, 1.5, 12, 6, 0, "x")],
    }
    a, b = ab.summary(runs)
    assert (a["side"], a["runs"], a["wall time (s)"], a["range (s)"]) == (
        "a",
        2,
        2.0,
        "1.000-3.000",
    )
    assert (a["CPU time (s)"], a["peak memory (MB)"], a["page faults"]) == (1.5, 11, 6)
    assert (b["side"], b["runs"], b["wall time (s)"]) == ("b", 1, 2.0)


def test_the_sides_take_turns(monkeypatch):
    calls = []
    monkeypatch.setattr(ab, "run", lambda src, args: calls.append(src) or ab.Run(0, 0, 0, 0, 0, ""))
    ab.interleaved({"a": Path("A"), "b": Path("B")}, ["analyze"], runs=3, warmup=1)
    assert calls == [Path(p) for p in ("A", "B", "A", "B", "B", "A", "A", "B")]


@pytest.mark.skipif(not (BENCHMARKS.parent / ".git").exists(), reason="not a git checkout")
def test_a_revision_is_checked_out_and_removed():
    with ab.other_side("HEAD") as src:
        assert (src / "symbiosis" / "__init__.py").is_file()
        tree = src.parent
    assert not tree.exists()


def test_an_unknown_revision_is_a_message(tmp_path):
    unknown = ab.other_side(str(tmp_path / "nowhere"))
    with pytest.raises(SystemExit, match="neither a src folder nor a revision"), unknown:
        pass
