"""The network whose flows CSV comes on standard input (``symbiosis COMMAND -``)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError

__all__ = ["STDIN", "STDIN_NAME", "load_stdin"]

STDIN = "-"
STDIN_NAME = "<stdin>"


def load_stdin(firms: Path | None, *, command: str):
    """The network whose flows CSV comes on standard input (its firms from ``--firms``).

    The bytes go to a private temporary file, read by the same rules as any flows file
    (encodings, separators, row numbers); problems and warnings name ``<stdin>``."""
    import tempfile
    from dataclasses import replace

    from ..export.files import write_bytes_atomic
    from ..io import load

    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(
            f"PATH is -, which reads a flows CSV from standard input, but none is piped in; "
            f"e.g. cat flows.csv | symbiosis {command} - --firms firms.csv"
        )
    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory(prefix="symbiosis-stdin-") as folder:
        flows = Path(folder) / "flows.csv"
        write_bytes_atomic(flows, data)  # every write goes through the safe writer

        def named(text: str) -> str:
            return text.replace(str(flows.resolve()), STDIN_NAME).replace(str(flows), STDIN_NAME)

        try:
            network = load(None, firms=firms, flows=flows, warn=False)  # printed by the command
        except InputError as exc:
            raise InputError(
                [
                    replace(p, file=named(p.file), message=named(p.message), hint=named(p.hint))
                    for p in exc.problems
                ]
            ) from None
    # The network is new and not yet shared: its warnings are renamed in place (it has no
    # public constructor taking them), and the temporary file, now gone, is no source.
    kept = tuple(p for p in network.source_files if p != flows.resolve())
    object.__setattr__(network, "warnings", tuple(named(w) for w in network.warnings))
    object.__setattr__(network, "source_files", kept)
    return network
