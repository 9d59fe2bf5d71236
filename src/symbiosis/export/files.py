"""Safe file writing: whole or not at all, never over an input file.

Every file symbiosis writes goes through :func:`write_text_atomic`: the content is
written to a temporary file in the target folder, flushed, and renamed over the target
(an atomic replace on POSIX), so an interrupted run never leaves a half-written file.
Missing parent folders are created. Writing over one of the network's input files is
refused. Errors become :class:`~symbiosis.errors.OutputError` with a plain message.
The file gets the permissions a plain ``open(path, "w")`` would give it (those of the
file it replaces, or 0666 less the umask), not the 0600 of a temporary file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_bytes_atomic(path: str | Path, data: bytes, *, protected: Iterable[Path] = ()) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite any ``protected`` file."""
    target = Path(path)
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in protected):
        raise OutputError(f"{target}: refusing to overwrite an input file; choose another name")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and not target.is_file():  # never replace /dev/null or a FIFO
        raise OutputError(
            f"{target}: is not a regular file (a device, a pipe or a socket); "
            "give the path of a file"
        )
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), _mode_for(target))
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"{target}: cannot write ({reason}); check the folder and free space"
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return target


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or those of a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str, *, protected: Iterable[Path] = ()) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"), protected=protected)
