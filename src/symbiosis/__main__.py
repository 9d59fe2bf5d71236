"""``python -m symbiosis`` and the ``symbiosis`` console script."""

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

from symbiosis import _deferred_imports, _interrupts, _memory

# The cyclic garbage collector's young-generation threshold, raised as mypy does for its own
# run: importing pandas, scipy and the CLI allocates a few hundred thousand container objects
# that live to the end, and at the default (700) the collector scanned them about 250 times,
# 0.18 s of CPU on the Tongling example (9 %) and 0.32 s at 100k flows. Garbage freed by
# reference counting (nearly all of it) is unaffected; cycles are collected in larger batches.
GC_THRESHOLDS = (200_000, 30, 30)

# Transparent huge pages off for the CLI process. Where the kernel compacts memory on a
# huge-page fault (defrag "madvise", as here and on Ubuntu's default), the many short-lived
# large arrays of a big run pay for it in system time, and by a varying amount. Two
# libraries ask for such pages: numpy, for every array of 4 MB or more (madvise), and
# pyarrow's allocator, mimalloc, for its arenas; mimalloc's setting at 0 turns them off for
# the whole process (prctl PR_SET_THP_DISABLE). Measured at a million flows (interleaved
# runs): numpy's, 6.08 -> 5.31 s; then mimalloc's, 6.23 -> 5.26 s (medians of 6), peak
# 918 -> 886 MB. Each library reads its documented setting once, when it loads: set only
# before that, and a value the user set is kept. The library, imported by other code,
# leaves these settings to that code.
#
# OpenBLAS (numpy's and scipy's copies) keeps its idle threads spinning for 2^28 cycles
# (about 0.1 s) after each threaded call and after each change of its thread count, which
# the dense blocks of the cycling pass make (one BLAS thread for blocks of more than 64
# actors, symbiosis._numeric.blas_threads_for): at a million flows the spinning took
# 0.15-0.19 s of CPU (perf: blas_thread_server, 3.4 % of the samples), beside the other
# lane's work. 2^4 cycles: 3.705 -> 3.635 s, 5.69 -> 5.52 s of CPU (medians of 8
# interleaved runs); the threads still run every call that wants them.
ALLOCATOR_SETTINGS = {
    "numpy": {"NUMPY_MADVISE_HUGEPAGE": "0", "OPENBLAS_THREAD_TIMEOUT": "4"},
    "pyarrow": {"MIMALLOC_ALLOW_THP": "0"},
}


def _freeze_at_exit() -> None:
    """At exit, after the other exit handlers: everything alive moves to the collector's
    permanent generation, so the collections of the interpreter's shutdown no longer
    traverse it. On the Tongling example they took 0.42 s of CPU after the work was done
    (0.06 s now); objects are still freed, and files closed, by reference counting."""
    gc.freeze()


def entry() -> NoReturn:
    """The process's entry point (``python -m symbiosis``, the console script): :func:`main`,
    then the process ends without the interpreter's shutdown, once the exit handlers have
    run and standard output and error are flushed, with the status ``main`` exited with.

    The shutdown only frees what the process holds, object by object, and unloads modules:
    0.035 s of the Tongling example's 0.6 s (0.615 -> 0.58 s, medians of 10 interleaved
    runs; 100,000 flows 1.12 -> 1.11 s). Nothing is lost without it: a file is written
    whole or not at all before the command returns (:mod:`symbiosis.export.files`), and
    the threads still alive then are daemons with nothing left to do. :func:`main`
    itself returns (or raises ``SystemExit``): other code may call it."""
    try:
        main()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """End the process as the interpreter would at exit with ``sys.exit(code)``, less the
    freeing of every object: the threads that are no daemons joined, the exit handlers
    run, standard output and error flushed. A standard output whose reader went away ends
    with the shell's 128 + SIGPIPE, quietly; one that cannot be flushed otherwise (a full
    disk) with Python's own 120."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on standard error, status 1
        _say(str(code), prefix="")
        status = 1
    try:
        for thread in threading.enumerate():  # as the shutdown would: non-daemons first
            if thread is not threading.current_thread() and not thread.daemon:
                thread.join()
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError) as exc:  # closed, full, gone
                if stream is not sys.stdout or status != 0:
                    continue
                if isinstance(exc, BrokenPipeError):  # as a shell reports SIGPIPE
                    status = 128 + 13
                else:  # Python's own status when standard output fails at exit
                    status = 120
                    _say(f"could not write standard output: {_reason(exc)}")
    except KeyboardInterrupt:  # a Ctrl-C at the very end: as anywhere else
        _interrupts.exit_if_received()
        status = 130
    os._exit(status & 0xFF)


def _say(message: str, *, prefix: str = "error: ") -> None:
    """``message`` on standard error, if it can be written at all."""
    try:
        sys.stderr.write(f"{prefix}{message}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def main() -> None:
    """Import the command-line app and run it; a Ctrl-C while importing exits cleanly too,
    and an interrupted process always ends with status 130 (:mod:`symbiosis._interrupts`)."""
    _interrupts.install()
    try:
        _run()
    finally:
        _interrupts.exit_if_received()


def _run() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    for module, settings in ALLOCATOR_SETTINGS.items():
        if module not in sys.modules:  # read when the module loads, only
            for name, value in settings.items():
                os.environ.setdefault(name, value)
    _memory.share_one_heap()  # before any thread allocates: see there
    _deferred_imports.defer()  # numpy's test and build tools, which scipy's import loads
    atexit.unregister(_freeze_at_exit)  # once, however often main() runs in a process
    atexit.register(_freeze_at_exit)  # first registered: runs after every other handler
    if sys.argv[1:] in (["--version"], ["-V"]):
        # Answered before importing typer and rich, which the version does not need.
        from symbiosis import __version__

        try:
            sys.stdout.write(f"symbiosis {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:  # symbiosis --version | true: quietly, as the shell
            sys.exit(128 + 13)
        except OSError as exc:  # a full disk: said, not a traceback
            _say(f"could not write standard output: {_reason(exc)}")
            sys.exit(1)
        return
    try:
        from symbiosis.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write(_interrupts.MESSAGE + "\n")
        _interrupts.reported()
        sys.exit(130)
    run()


if __name__ == "__main__":
    entry()
