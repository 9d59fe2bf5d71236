"""Golden reports: the whole ``analyze`` JSON of the Tongling example and of a 100k-flow
benchmark network, recorded before the columnar core (issue 12) and compared field by field.

Floats agree to 1e-9 relative (1e-12 absolute near zero); everything else exactly. A change
that moves a result on purpose re-records the file with ``--regold``-style care: run
``symbiosis analyze PATH -f json`` and replace the golden file in the same commit, saying why.
"""

from __future__ import annotations

import gzip
import json
import math
import shutil
from pathlib import Path

from symbiosis import analyze, load

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = Path(__file__).parents[1] / "examples" / "tongling"


def _differences(expected, actual, path="", out=None):
    """Every place where ``actual`` differs from ``expected`` (floats to 1e-9 relative)."""
    out = [] if out is None else out
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            if key not in actual or key not in expected:
                out.append(f"{path}/{key}: only in {'expected' if key in expected else 'actual'}")
            else:
                _differences(expected[key], actual[key], f"{path}/{key}", out)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} items expected, {len(actual)} found")
        for index, (a, b) in enumerate(zip(expected, actual, strict=False)):
            _differences(a, b, f"{path}[{index}]", out)
    elif isinstance(expected, float) or isinstance(actual, float):
        same_type = type(expected) is type(actual)
        if not same_type or not math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12):
            out.append(f"{path}: expected {expected!r}, found {actual!r}")
    elif expected != actual or type(expected) is not type(actual):
        out.append(f"{path}: expected {expected!r}, found {actual!r}")
    return out


def _report_json(folder: Path) -> dict:
    report = analyze(load(folder)).to_dict()
    report.pop("symbiosis_version")
    # Warnings name the input files: compare them relative to the folder.
    report["warnings"] = [w.replace(str(folder), "<dir>") for w in report["warnings"]]
    return json.loads(json.dumps(report))  # as the CLI prints it (tuples -> lists, ...)


def _golden(expected: dict, folder_text: str) -> dict:
    expected.pop("symbiosis_version")
    expected["warnings"] = [w.replace(folder_text, "<dir>") for w in expected["warnings"]]
    return expected


def _assert_same(expected: dict, actual: dict) -> None:
    problems = _differences(expected, actual)
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:40])


def test_differences_are_found():
    assert _differences({"a": 1.0, "b": [1, 2]}, {"a": 1.0 + 1e-12, "b": [1, 2]}) == []
    found = _differences({"a": 1.0, "b": [1, 2], "c": "x"}, {"a": 1.1, "b": [1], "d": "x"})
    assert len(found) == 4
    assert _differences({"n": 3}, {"n": 3.0})  # an integer count stays an integer


def test_tongling_report_is_unchanged():
    expected = json.loads((GOLDEN / "tongling_report.json").read_text(encoding="utf-8"))
    _assert_same(_golden(expected, "/work/main/examples/tongling"), _report_json(EXAMPLE))


def test_benchmark_100k_report_is_unchanged(tmp_path):
    folder = tmp_path / "100k"
    folder.mkdir()
    for name in ("firms.csv", "flows.csv"):
        compressed = GOLDEN / "bench100k" / f"{name}.gz"
        with gzip.open(compressed, "rb") as src, open(folder / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    with gzip.open(GOLDEN / "bench100k_report.json.gz", "rt", encoding="utf-8") as handle:
        expected = json.load(handle)
    _assert_same(_golden(expected, "/tmp/bench/100k"), _report_json(folder))
