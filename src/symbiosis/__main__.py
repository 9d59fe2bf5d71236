"""``python -m symbiosis`` and the ``symbiosis`` console script."""

import atexit
import gc
import os
import sys

# The cyclic garbage collector's young-generation threshold, raised as mypy does for its own
# run: importing pandas, scipy and the CLI allocates a few hundred thousand container objects
# that live to the end, and at the default (700) the collector scanned them about 250 times,
# 0.18 s of CPU on the Tongling example (9 %) and 0.32 s at 100k flows. Garbage freed by
# reference counting (nearly all of it) is unaffected; cycles are collected in larger batches.
GC_THRESHOLDS = (200_000, 30, 30)

# numpy asks the kernel for transparent huge pages for every array of 4 MB or more
# (madvise). Where the kernel then compacts memory on the page fault (defrag "madvise", as
# here and on Ubuntu's default), the many short-lived arrays of a large run pay for it: at a
# million flows, 0.75 s of the wall time and 1 s of CPU, mostly system time (medians of 6
# interleaved runs). numpy reads this documented setting once, at import; a value the user
# set is kept. The library, imported by other code, leaves the setting to that code.
NUMPY_SETTINGS = {"NUMPY_MADVISE_HUGEPAGE": "0"}


def _freeze_at_exit() -> None:
    """At exit, after the other exit handlers: everything alive moves to the collector's
    permanent generation, so the collections of the interpreter's shutdown no longer
    traverse it. On the Tongling example they took 0.42 s of CPU after the work was done
    (0.06 s now); objects are still freed, and files closed, by reference counting."""
    gc.freeze()


def main() -> None:
    """Import the command-line app and run it; a Ctrl-C while importing exits cleanly too."""
    gc.set_threshold(*GC_THRESHOLDS)
    if "numpy" not in sys.modules:  # read at numpy's import only
        for name, value in NUMPY_SETTINGS.items():
            os.environ.setdefault(name, value)
    atexit.unregister(_freeze_at_exit)  # once, however often main() runs in a process
    atexit.register(_freeze_at_exit)  # first registered: runs after every other handler
    if sys.argv[1:] in (["--version"], ["-V"]):
        # Answered before importing typer and rich, which the version does not need.
        from symbiosis import __version__

        sys.stdout.write(f"symbiosis {__version__}\n")
        return
    try:
        from symbiosis.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
