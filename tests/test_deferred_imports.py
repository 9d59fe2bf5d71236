"""symbiosis._deferred_imports: modules that the CLI's process loads on first use only."""

import subprocess
import sys

from symbiosis import _deferred_imports


def _python(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a fresh interpreter, its output captured as text."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def test_scipy_no_longer_loads_numpys_test_tools_and_they_still_work_when_used():
    done = _python(
        "import sys\n"
        "from symbiosis import _deferred_imports\n"
        "_deferred_imports.defer()\n"
        "import scipy.sparse\n"
        "print('numpy.testing' in sys.modules, 'unittest' in sys.modules)\n"
        "from numpy.testing import assert_equal\n"
        "import numpy\n"
        "assert_equal(numpy.arange(2), [0, 1])\n"
        "print('unittest' in sys.modules, numpy.f2py.__name__)\n"
    )
    # scipy's clone of numpy's namespace imported the module, but none of its code ran
    assert done.stdout.split() == ["True", "False", "True", "numpy.f2py"]


def test_without_it_scipy_loads_them():
    """The check above can fail: scipy's import does load them when nothing defers them."""
    done = _python("import sys, scipy.sparse\nprint('unittest' in sys.modules)")
    assert done.stdout.split() == ["True"]


def test_the_cli_process_defers_them_and_its_report_is_unchanged(tmp_path):
    code = (
        "import sys\n"
        "from symbiosis.__main__ import main\n"
        "sys.argv = ['symbiosis', 'analyze', '--example', 'tongling', '-q', '-f', 'json',"
        f" '-o', {str(tmp_path / 'report.json')!r}]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    loaded = ('unittest' in sys.modules, 'numpy.f2py.crackfortran' in sys.modules)\n"
        "    print(*loaded, file=sys.stderr)\n"
    )
    assert _python(code).stderr.split()[-2:] == ["False", "False"]
    plain = subprocess.run(
        [sys.executable, "-c", "from symbiosis.cli import main; main()", "analyze",
         "--example", "tongling", "-q", "-f", "json", "-o", str(tmp_path / "plain.json")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "report.json").read_bytes() == (tmp_path / "plain.json").read_bytes()


def test_defer_installs_one_finder_however_often_it_is_called(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    _deferred_imports.defer()
    _deferred_imports.defer(["json"])
    finders = [f for f in sys.meta_path if isinstance(f, _deferred_imports._Deferring)]
    assert len(finders) == 1 and finders[0].names == frozenset(_deferred_imports.UNUSED_BY_ANALYSES)


def test_a_deferred_name_that_does_not_exist_fails_to_import_as_usual():
    done = _python(
        "from symbiosis import _deferred_imports\n"
        "_deferred_imports.defer(['numpy.no_such_module'])\n"
        "try:\n"
        "    import numpy.no_such_module\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc.name)\n"
    )
    assert done.stdout.split() == ["numpy.no_such_module"]
