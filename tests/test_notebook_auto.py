"""In an IPython session, ``import symbiosis`` alone makes networks and reports display as
HTML (issue 14: no ``_repr_html_`` anywhere; the views had to be switched on by hand)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("IPython")

SESSION = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
import symbiosis
network = symbiosis.load(sys.argv[1])
html = shell.display_formatter.formatters["text/html"](network)
print("symbiosis-nb" in html, "Tongling" in html or "tongling" in html)
"""


def test_importing_symbiosis_in_ipython_registers_the_views():
    from symbiosis.examples import example_path

    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + SESSION, str(example_path("tongling"))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_outside_ipython_nothing_is_imported():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, symbiosis; print('symbiosis.notebook' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "False"


def test_load_issues_each_data_warning_through_python_warnings():
    """The data warnings reach Python's warnings machinery (filters, notebooks) as well as
    network.warnings; the CLI, which prints them itself, shows each once."""
    import symbiosis
    from symbiosis.errors import SymbiosisWarning
    from symbiosis.examples import example_path

    with pytest.warns(SymbiosisWarning, match="have no quantity") as caught:
        network = symbiosis.load(example_path("tongling"))
    assert [str(w.message) for w in caught] == list(network.warnings)
    done = subprocess.run(
        [sys.executable, "-m", "symbiosis", "validate", "--example", "tongling"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stderr.count("have no quantity") == 1
