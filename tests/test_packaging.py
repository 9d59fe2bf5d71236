"""The wheel ships every package of the source tree (an editable install hides a missing
one; CI's plain install does not)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_source_package_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = ROOT / "src"
    found = {
        ".".join(path.parent.relative_to(source).parts) for path in source.rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml's packages: {sorted(found - listed)}"


def test_every_data_file_is_in_the_package_data():
    """CSV tables, assets and the py.typed marker reach a plain install (a missing pattern
    only shows up there, as a FileNotFoundError at run time)."""
    import fnmatch

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setup["package-data"]
    source = ROOT / "src"
    missing = []
    for path in (source / "symbiosis").rglob("*"):
        if path.is_dir() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(source).parts)
        while package and package not in patterns:
            package = package.rpartition(".")[0]
        root = source.joinpath(*package.split(".")) if package else source
        relative = path.relative_to(root).as_posix()
        if not any(fnmatch.fnmatch(relative, p) for p in patterns.get(package, [])):
            missing.append(str(path.relative_to(source)))
    assert not missing, f"add to [tool.setuptools.package-data]: {missing}"
    assert (source / "symbiosis" / "py.typed").is_file()


def test_the_version_constant_is_the_installed_version():
    """``symbiosis.__version__`` is a constant (reading the metadata costs ~70 ms per
    start); pyproject.toml takes the version from it, so the two cannot drift apart."""
    from importlib.metadata import version

    import symbiosis

    dynamic = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert dynamic["dynamic"]["version"] == {"attr": "symbiosis._version.__version__"}
    assert symbiosis.__version__ == version("symbiosis")


def test_the_warning_category_is_a_top_level_name_for_filters():
    import symbiosis
    from symbiosis.errors import SymbiosisWarning

    assert "SymbiosisWarning" in symbiosis.__all__
    assert symbiosis.SymbiosisWarning is SymbiosisWarning
