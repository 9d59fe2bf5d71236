"""symbiosis.__main__: the collector settings of the CLI process and the exit handler."""

import os
import platform
import subprocess
import sys

import pytest


def _python(code: str, **options) -> subprocess.CompletedProcess:
    """``code`` run by a fresh interpreter, its output captured as text."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, **options)


def test_main_sets_the_thresholds_and_freezes_once_at_exit_however_often_it_runs():
    code = (
        "import gc, sys\n"
        "from symbiosis import __main__ as entry\n"
        "freeze = gc.freeze\n"
        "gc.freeze = lambda: (print('frozen'), freeze())\n"
        "sys.argv = ['symbiosis', '--version']\n"
        "entry.main(); entry.main()\n"
        "print(gc.get_threshold() == entry.GC_THRESHOLDS)\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["True", "frozen"]
    assert done.stdout.count("frozen") == 1


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_run_ends_cleanly_with_its_output_whole(tmp_path, fmt):
    """The freeze at exit skips the shutdown's collections only: the report is written
    whole, standard output flushed, and the exit code kept."""
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "symbiosis", "analyze", "--example", "tongling", "-q",
         "-f", fmt, "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_text().rstrip().endswith("}")
    if fmt == "json":
        assert done.stdout.rstrip().endswith("}")
    else:  # the last section printed too (standard output flushed before the freeze)
        assert done.stdout.startswith("Headline") and "Loops" in done.stdout


@pytest.mark.parametrize(("preset", "expected"), [(None, "False"), ("1", "True")])
def test_the_cli_turns_numpys_huge_pages_off_unless_the_user_chose(preset, expected):
    """numpy reads NUMPY_MADVISE_HUGEPAGE once, at import: the CLI sets it first (to 0),
    and keeps a value the user set."""
    last = _after_main("import numpy._core.multiarray as m\nprint(m._get_madvise_hugepage())\n",
                       "NUMPY_MADVISE_HUGEPAGE", preset)  # fmt: skip
    assert last == expected


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc arenas")
@pytest.mark.parametrize(("preset", "expected"), [(None, "True"), ("2", "False")])
def test_the_cli_shares_one_heap_between_threads_unless_the_user_chose(preset, expected):
    """One malloc arena for every thread (symbiosis._memory.share_one_heap), set before
    any thread starts; a number of arenas the user set is kept."""
    code = "from symbiosis import _memory\nprint(_memory.heap_shared())\n"
    assert _after_main(code, "MALLOC_ARENA_MAX", preset) == expected


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc thresholds")
@pytest.mark.parametrize(("preset", "expected"), [(None, "True"), ("0", "False")])
def test_the_cli_heap_keeps_its_blocks_unless_the_user_chose(preset, expected):
    """The one heap keeps large blocks and its free top (symbiosis._memory
    ._keep_freed_blocks); a trim threshold the user set is kept."""
    code = "from symbiosis import _memory\nprint(_memory._heap_kept)\n"
    assert _after_main(code, "MALLOC_TRIM_THRESHOLD_", preset) == expected


def _after_main(code: str, setting: str, preset: str | None) -> str:
    """The last line ``code`` prints in a fresh interpreter after the CLI's ``main()``
    ran (``--version``), with the environment variable ``setting`` unset or ``preset``."""
    script = (
        "import sys\n"
        "from symbiosis import __main__ as entry\n"
        "sys.argv = ['symbiosis', '--version']\n"
        "entry.main()\n" + code
    )
    env = {k: v for k, v in os.environ.items() if k != setting}
    if preset is not None:
        env[setting] = preset
    done = _python(script, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


def _thp_line() -> bool:
    try:
        with open("/proc/self/status") as status:
            return any(line.startswith("THP_enabled:") for line in status)
    except OSError:
        return False


@pytest.mark.skipif(not _thp_line(), reason="the kernel does not report THP_enabled")
@pytest.mark.parametrize(("preset", "expected"), [(None, "0"), ("1", "1")])
def test_the_cli_turns_pyarrows_huge_pages_off_unless_the_user_chose(preset, expected):
    """pyarrow's allocator (mimalloc) reads MIMALLOC_ALLOW_THP when it starts; at 0 it
    turns transparent huge pages off for the process (THP_enabled: 0). The CLI sets it
    first, and keeps a value the user set."""
    code = (
        "import pyarrow as pa\n"
        "pa.array(range(100_000))\n"
        "status = open('/proc/self/status').read().splitlines()\n"
        "print([l.split()[1] for l in status if l.startswith('THP_enabled:')][0])\n"
    )
    assert _after_main(code, "MIMALLOC_ALLOW_THP", preset) == expected


@pytest.mark.parametrize(
    ("body", "status", "out", "err"),
    [
        ("print('done', end='')", 0, "done", ""),  # unflushed output is flushed
        ("sys.exit(2)", 2, "", ""),
        ("sys.exit('boom')", 1, "", "boom\n"),  # a message: on standard error, status 1
        ("sys.exit(None)", 0, "", ""),
    ],
)
def test_entry_ends_the_process_with_mains_status_after_the_exit_handlers(body, status, out, err):
    """entry() (python -m symbiosis, the console script) runs main(), then the exit
    handlers, flushes, and ends the process with the status main() exited with, as
    sys.exit gives it; the shutdown that would follow is skipped."""
    code = (
        "import atexit, sys\n"
        "from symbiosis import __main__ as entry\n"
        "atexit.register(lambda: sys.stderr.write('handler ran\\n'))\n"
        f"entry.main = lambda: {body}\n"
        "entry.entry()\n"
        "print('never here')\n"
    )
    done = _python(code)
    assert done.returncode == status
    assert done.stdout == out
    assert done.stderr == err + "handler ran\n"


def test_the_module_and_the_console_script_run_entry():
    """``python -m symbiosis`` and the installed script both end through entry()."""
    import tomllib
    from pathlib import Path

    import symbiosis.__main__ as module

    root = Path(__file__).resolve().parents[1]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["symbiosis"] == "symbiosis.__main__:entry"
    assert 'if __name__ == "__main__":\n    entry()' in Path(module.__file__).read_text()


def test_entry_waits_for_threads_that_are_no_daemons():
    """As the interpreter's exit does: a thread that is no daemon ends its work first."""
    code = (
        "import sys, threading, time\n"
        "from symbiosis import __main__ as entry\n"
        "def work():\n"
        "    time.sleep(0.2)\n"
        "    print('thread done', flush=True)\n"
        "entry.main = lambda: threading.Thread(target=work).start()\n"
        "entry.entry()\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "thread done\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("code", "status"),
    [
        # the version written straight away: said, status 1, no traceback
        ("sys.argv = ['symbiosis', '--version']\nentry.entry()\n", 1),
        # output still buffered when main() returns: flushed by entry(), said, Python's 120
        ("entry.main = lambda: sys.stdout.write('x')\nentry.entry()\n", 120),
    ],
)
def test_a_full_disk_on_standard_output_is_said_without_a_traceback(code, status):
    script = "import sys\nfrom symbiosis import __main__ as entry\n" + code
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as
    with open("/dev/full", "w") as full:  # standard output to a file is by default
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=full, stderr=subprocess.PIPE, text=True,
            env=env,
        )  # fmt: skip
    assert done.returncode == status
    assert "could not write standard output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_full_disk_under_a_command_is_said_not_called_internal(fmt):
    """A command whose standard output cannot be written (a full disk) says so and what to
    do, exit 1: not an "internal error" to report."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "symbiosis", "analyze", "--example", "tongling", "-q",
             "-f", fmt],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1
    assert "could not write standard output: No space left on device" in done.stderr
    assert "--out FILE" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
