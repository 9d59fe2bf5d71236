"""scipy's k-d tree class, loaded on first use without the rest of ``scipy.spatial``.

The receivers of the opportunities pass query a k-d tree for large pools only; a small
network's analysis never loads it.
"""

from __future__ import annotations

import threading

__all__ = ["kd_tree_class"]


def kd_tree_class() -> type:
    """scipy's ``cKDTree``, loaded on first use without ``scipy.spatial``'s package
    (whose ``__init__`` imports scipy.special, distance, qhull and transform: 0.17 s of CPU
    when scipy.linalg is loaded already, against 3 ms for the compiled tree alone). The
    extension is registered under its own name, so a later ``import scipy.spatial`` finds
    it and shares the class; any surprise (another scipy layout) falls back to the
    package import. Thread-safe: the candidate stages call it from two threads at once,
    and a module is in ``sys.modules`` before it has run (another thread would find
    it without its class)."""
    import sys

    name = "scipy.spatial._ckdtree"
    with _LOADING:
        if name not in sys.modules and "scipy.spatial" not in sys.modules:
            try:
                _load_extension(name)
            except Exception:  # a layout this does not know: the plain import below
                sys.modules.pop(name, None)
        if name in sys.modules:
            return sys.modules[name].cKDTree
        from scipy.spatial import cKDTree

        return cKDTree


_LOADING = threading.Lock()


def _load_extension(name: str) -> None:
    """Load the compiled module ``name`` of scipy's tree from its file (its package's
    ``__init__`` is not run) and register it in ``sys.modules``."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    import scipy

    folder = Path(scipy.__file__).parent / "spatial"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_ckdtree{suffix}"
        if path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return
    raise ImportError(name)
