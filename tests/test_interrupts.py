"""symbiosis._interrupts: a Ctrl-C is never lost, and an interrupted command ends with 130.

The two ways Python 3.11 mishandled a Ctrl-C while a command imported its modules are
reproduced in a real child process: an interrupt raised inside ``exec`` of source text
(the process then ended by SIGINT, status -2, after the message), and one raised inside a
callback, reported as "ignored" (the command then ran to its end, status 0)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from symbiosis import _interrupts

EXAMPLE = Path(__file__).parents[1] / "examples" / "tongling"

# Loaded by the child's interpreter at start-up (a ``sitecustomize`` on its path), before
# ``python -m symbiosis`` runs: it restores Python's SIGINT handler (a shell that started the
# tests in the background leaves SIGINT ignored, and the CLI keeps an ignored SIGINT
# ignored), then makes the loading raise SIGINT in the way the test names.
SITECUSTOMIZE = """
import os, signal, weakref

signal.signal(signal.SIGINT, signal.default_int_handler)
import symbiosis.io

real_load = symbiosis.io.load
way = os.environ["INTERRUPT_WAY"]


def load(*args, **kwargs):
    if way == "exec":  # as dataclasses makes a class's methods, while a module is imported
        exec("import signal\\nsignal.raise_signal(signal.SIGINT)\\n")
    else:  # in a callback: Python reports the interrupt as ignored, and goes on
        class Thing:
            pass

        thing = Thing()
        ref = weakref.ref(thing, lambda ref: signal.raise_signal(signal.SIGINT))
        del thing
    return real_load(*args, **kwargs)


symbiosis.io.load = load
"""


def _interrupted_run(tmp_path: Path, way: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "INTERRUPT_WAY": way, "PYTHONPATH": os.pathsep.join(paths)}
    return subprocess.run(
        [sys.executable, "-m", "symbiosis", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("way", ["exec", "callback"])
@pytest.mark.parametrize("command", ["validate", "analyze"])
def test_an_interrupt_while_loading_ends_the_command_with_130(tmp_path, way, command):
    """Before: the interrupt in a callback was lost (the report printed, status 0)."""
    done = _interrupted_run(tmp_path, way, command, str(EXAMPLE), "-f", "json")
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert _interrupts.MESSAGE in done.stderr
    assert done.stderr.count("interrupted") == 1
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stdout == ""  # stopped before any result was written


def _fresh_state(monkeypatch) -> None:
    monkeypatch.setattr(_interrupts, "_state", {"received": False, "reported": False})


def test_check_raises_only_after_a_sigint(monkeypatch):
    _fresh_state(monkeypatch)
    _interrupts.check()  # nothing came
    assert not _interrupts._state["received"]
    with pytest.raises(KeyboardInterrupt):
        _interrupts._noted(signal.SIGINT, None)
    assert _interrupts._state["received"]
    with pytest.raises(KeyboardInterrupt):
        _interrupts.check()


def test_exit_if_received_does_nothing_without_an_interrupt(monkeypatch):
    _fresh_state(monkeypatch)
    _interrupts.exit_if_received()  # returns: the process goes on


@pytest.mark.parametrize("kept", [signal.SIG_IGN, "custom"])
def test_install_keeps_an_ignored_sigint_and_another_handler(kept):
    def custom(number, frame):
        return None

    handler = custom if kept == "custom" else kept
    previous = signal.signal(signal.SIGINT, handler)
    hook = sys.unraisablehook
    try:
        _interrupts.install()
        assert signal.getsignal(signal.SIGINT) is handler
        assert sys.unraisablehook is hook
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook


def test_install_quiets_only_interrupts_reported_as_ignored():
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    hook = sys.unraisablehook
    seen = []
    record = seen.append
    sys.unraisablehook = record
    try:
        _interrupts.install()
        _interrupts.install()  # once only, however often main() runs
        assert signal.getsignal(signal.SIGINT) is _interrupts._noted
        quiet = sys.unraisablehook
        assert quiet.__closure__[0].cell_contents is record  # not wrapped twice

        class Unraisable:
            def __init__(self, exc):
                self.exc_value = exc

        quiet(Unraisable(KeyboardInterrupt()))
        other = Unraisable(ValueError("kept"))
        quiet(other)
        assert seen == [other]
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook
