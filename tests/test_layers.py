"""The architecture's layer rules, checked on the source, and every module importable alone.

Layers (README, "Architecture"): the leaves import no project module, but for the pairs
:data:`LEAF_PARTS` names (``units`` reads its unit words from ``_unit_words``; ``_unit_words``
and ``vocabulary`` read traditional Chinese by ``_hanzi``); ``model`` never
imports ``io``; analysis never imports export, scenarios, report or the CLI (it may
build edits: an opportunity is a set of edits); edits never import analysis; the report
computes nothing and export writes what it is given. Imports inside functions count
too: a lazy import still ties the layers together.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "src" / "symbiosis"
MAX_LINES = 500  # "a module past ~500 lines is two modules"

LEAVES = {
    "errors",
    "units",
    "_unit_words",
    "vocabulary",
    "_numeric",
    "_percent",
    "_sorting",
    "_memory",
    "_readers",
    "_views",
    "_year_notes",
    "jsonable",
    "_hanzi",
}
#: A leaf split in two: the importer may read the other part, itself a leaf of no imports;
#: and ``_hanzi`` (traditional Chinese read as simplified), read by the leaves that read
#: Chinese.
LEAF_PARTS = {"units": {"_unit_words"}, "_unit_words": {"_hanzi"}, "vocabulary": {"_hanzi"}}
FORBIDDEN = {
    # importer (first dotted part of the module) -> project packages it must not import
    "model": {"io", "analysis", "report", "export", "scenarios", "edits", "cli"},
    "summary": {"io", "analysis", "report", "export", "scenarios", "edits", "cli"},
    "core": {"io", "model", "analysis", "report", "export", "scenarios", "edits", "cli"},
    "io": {"analysis", "report", "export", "scenarios", "edits", "cli"},
    "analysis": {"export", "scenarios", "report", "cli"},  # edits: opportunities propose them
    "report": {"export", "scenarios", "edits", "cli"},
    "edits": {"analysis", "report", "export", "scenarios", "cli"},
    "scenarios": {"export", "cli"},
    "export": {"scenarios", "edits", "cli"},
    "catalogue": {"analysis", "report", "export", "scenarios", "edits", "cli"},
    "registers": {"analysis", "report", "scenarios", "edits", "cli"},  # io layer (+ export.files)
    # taxonomy may import io: a user's taxonomy file is read by io's reader, as the catalogue's is
    "taxonomy": {
        "model",
        "core",
        "analysis",
        "report",
        "export",
        "scenarios",
        "edits",
        "cli",
        "catalogue",
    },
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _project_imports(name: str, path: Path) -> set[str]:
    """Every project module that ``name`` imports, anywhere in its file (absolute names)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names if a.name.startswith("symbiosis")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("symbiosis"):
                imported.add(target)
                imported |= {f"{target}.{a.name}" for a in node.names}
    return imported


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _existing(module: str) -> bool:
    relative = Path(*module.split(".")[1:])
    return (SOURCE / relative).with_suffix(".py").exists() or (SOURCE / relative).is_dir()


@pytest.mark.parametrize(("name", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_layer_rules(name, path):
    layer = _layer(name)
    targets = {t for t in _project_imports(name, path) if _existing(t)}
    layers = {_layer(t) for t in targets} - {None, layer}
    if layer in LEAVES:
        extra = layers - LEAF_PARTS.get(layer, set())
        assert not extra, f"{name} is a leaf but imports {sorted(extra)}"
    bad = layers & FORBIDDEN.get(layer, set())
    assert not bad, f"{name} imports {sorted(bad)}: against the layer rules"


@pytest.mark.parametrize(("name", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_size(name, path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along its sections"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_every_module_imports_alone():
    """Each module imported first in a fresh process (forked after the third-party
    libraries load, so that only project modules start fresh): no import cycle breaks."""
    names = [name for name, _ in _modules() if not name.startswith("symbiosis._examples")]
    script = f"""
import os, sys, importlib
import numpy, pandas, scipy.sparse, networkx, pyarrow  # third-party: loaded once
failed = []
for name in {names!r}:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException as error:
            sys.stderr.write(f"{{name}}: {{type(error).__name__}}: {{error}}\\n")
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
print("failed:", failed)
sys.exit(1 if failed else 0)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
