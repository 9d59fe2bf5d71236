"""Safe file writing: whole files, whole sets of files, never over an input file.

Every file symbiosis writes goes through :func:`write_files_atomic` (or its one-file forms
:func:`write_text_atomic` and :func:`write_bytes_atomic`). What it guarantees, exactly:

* **Checked first.** Every target of the set is checked before anything is written: not
  an input file (the same path however spelt, or the same file through a symbolic or hard
  link: :class:`ProtectedFileError`, exit code 2), not a folder, not a device, pipe or
  socket, not twice in the set. One bad target and nothing is written.
* **One file** is written to a temporary file in the target's folder, flushed to disk
  (``fsync``) and renamed over the target. POSIX makes the rename atomic: a reader, or the
  disk after a crash, sees the old file or the new one, never a mixture.
* **A symbolic link** given as a target stays a link: the file it leads to is written
  (as ``open(link, "w")`` would), in that file's folder. A link in a loop, or into a
  folder that does not exist, is refused with the other checks, before anything is
  written.
* **A set of files** is written whole or not at all: every file goes to its temporary
  first, and only when all are written (no full disk, no read-only folder, no Ctrl-C) are
  they renamed, one after the other. Before a file is replaced, a hard link keeps its
  previous version; if a rename fails, the files already renamed are put back (a replaced
  file from its previous version, a new file removed) and the error says that nothing was
  written. Ctrl-C is held during the renames and acted on once they are done (in the
  main thread, where Python receives it).
* **What POSIX does not allow.** The renames of a set are several system calls, not one:
  for the short time they take (microseconds on a local disk), another process may see
  new files beside old ones, and a power cut or a ``kill -9`` in that window leaves a
  mixed set, with the previous versions beside it as ``.NAME.*.tmp`` files. On a file
  system without hard links (FAT, some network drives) the previous version is moved
  aside instead of linked, so during that window the target is missing. If putting a file
  back fails too, the error names the file and where its previous version was kept.
* Missing folders are created, and removed again when the set is not written. A new file
  gets the permissions of the file it replaces, or 0666 less the umask (not the 0600 of a
  temporary file). Errors become :class:`~symbiosis.errors.OutputError` with a plain
  message: ``PATH: cannot write (REASON); check the folder and free space``.

The files a run reads are protected two ways: by the ``protected`` argument of each write
(a network's :attr:`~symbiosis.model.FlowNetwork.source_files`) and, for every write inside
a :func:`protecting` block, by the inputs declared there (the CLI declares every file a
command reads).
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError

__all__ = [
    "STDOUT",
    "InputFile",
    "ProtectedFileError",
    "check_target",
    "protecting",
    "write_all",
    "write_bytes_atomic",
    "write_files_atomic",
    "write_text_atomic",
]


class ProtectedFileError(OutputError):
    """An output names a file the run reads: a usage mistake, so exit code 2."""

    exit_code = 2


@dataclass(frozen=True)
class InputFile:
    """A file a run reads: its path as given, resolved, and its device and inode (when it
    exists), so that a link to it or another spelling of its path is recognised."""

    path: Path
    label: str = ""  # how the user named it, e.g. "--catalogue"; "" when not known
    resolved: Path = field(init=False, repr=False)
    identity: tuple[int, int] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "resolved", _resolved(self.path))
        object.__setattr__(self, "identity", _identity(self.path))

    def is_named_by(self, target: Path) -> bool:
        """Whether writing ``target`` would replace this file."""
        if _resolved(target) == self.resolved:
            return True
        return self.identity is not None and _identity(target) == self.identity

    def describe(self) -> str:
        return f"an input file ({self.label})" if self.label else "an input file"


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of symbolic links, a NUL
        return Path(os.path.abspath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


_RUN_INPUTS: ContextVar[tuple[InputFile, ...]] = ContextVar("symbiosis_run_inputs", default=())


@contextlib.contextmanager
def protecting(inputs: Iterable[InputFile]) -> Iterator[None]:
    """Inside the block, every write of this module also refuses ``inputs``."""
    token = _RUN_INPUTS.set((*inputs, *_RUN_INPUTS.get()))
    try:
        yield
    finally:
        _RUN_INPUTS.reset(token)


def _inputs(protected: Iterable[Path | InputFile]) -> tuple[InputFile, ...]:
    """The run's declared inputs (they carry labels), then those given to this write."""
    given = tuple(p if isinstance(p, InputFile) else InputFile(Path(p)) for p in protected)
    return (*_RUN_INPUTS.get(), *given)


def check_target(
    target: Path, inputs: Iterable[InputFile] = (), *, option: str | None = None
) -> None:
    """Refuse ``target`` as an output file: an input (exit 2), a folder, a device, a pipe
    or a socket, a symbolic link that cannot be written through (exit 1). ``option``
    names the output in the message."""
    for source in inputs:
        if source.is_named_by(target):
            hint = f"give {option} another name" if option else "choose another name"
            raise ProtectedFileError(f"{target}: refusing to overwrite {source.describe()}; {hint}")
    _through_links(target)  # a link in a loop, or into a missing folder: refused now
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return  # absent (or unreachable: writing it will say why)
    if stat.S_ISDIR(mode):
        raise OutputError(f"{target}: is a folder; give a file name")
    if not stat.S_ISREG(mode):  # never replace /dev/null or a FIFO
        raise OutputError(
            f"{target}: is not a regular file (a device, a pipe or a socket); "
            "give the path of a file"
        )


def write_bytes_atomic(
    path: str | Path, data: bytes, *, protected: Iterable[Path | InputFile] = ()
) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite any ``protected`` file."""
    return write_files_atomic({path: data}, protected=protected)[0]


def write_text_atomic(
    path: str | Path, text: str, *, protected: Iterable[Path | InputFile] = ()
) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"), protected=protected)


def write_files_atomic(
    contents: Mapping[str | Path, str | bytes], *, protected: Iterable[Path | InputFile] = ()
) -> list[Path]:
    """Write every file of ``contents`` (text as UTF-8), whole or not at all (see the
    module's docstring); refuse to overwrite any ``protected`` file. Returns the paths.

    The path ``-`` is standard output (``--html -``): written once the files are, and
    refused for binary data when standard output is a terminal."""
    piped = [data for path, data in contents.items() if str(path) == STDOUT]
    if len(piped) > 1:
        raise OutputError("- (standard output) is named twice; give the other outputs files")
    if piped and isinstance(piped[0], bytes) and _stdout_is_terminal():
        raise OutputError("-: a binary file cannot go to the terminal; redirect it (> FILE)")
    staged = [
        _Staged(Path(path), data.encode("utf-8") if isinstance(data, str) else data)
        for path, data in contents.items()
        if str(path) != STDOUT
    ]
    _check_set([item.target for item in staged], _inputs(protected))
    for item in staged:
        item.destination = _through_links(item.target)
    _write_set(staged)
    for data in piped:
        _write_stdout(data.encode("utf-8") if isinstance(data, str) else data)
    return [item.target for item in staged] + [Path(STDOUT)] * len(piped)


#: The output path that means standard output.
STDOUT = "-"


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()  # after what was printed before, never inside it
    write_all(sys.stdout.buffer, data)


def write_all(stream: Any, data: bytes) -> None:
    """Write every byte of ``data`` to the binary ``stream`` and flush it. A large write
    into a pipe whose reader went away (``| head -1``) returns the bytes the pipe took
    and raises nothing, and nothing else would say the rest was lost: the write is
    repeated for the rest, which raises ``BrokenPipeError`` then. O(len(data))."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written if written is not None else len(view) :]
    stream.flush()


def _check_set(targets: list[Path], inputs: tuple[InputFile, ...]) -> None:
    for target in targets:
        check_target(target, inputs)
    seen: list[InputFile] = []
    for target in targets:
        twice = next((s for s in seen if s.is_named_by(target)), None)
        if twice is not None:
            raise OutputError(
                f"{target}: named twice ({twice.path}); give each output its own name"
            )
        seen.append(InputFile(target))


@dataclass
class _Staged:
    """One file of a set, on its way: its temporary, and the previous version kept."""

    target: Path  # as given: named in messages, returned
    data: bytes
    destination: Path = Path()  # what is written: the target, or the file its link names
    temporary: str | None = None
    previous: str | None = None
    renamed: bool = False


def _write_set(staged: list[_Staged]) -> None:
    created: list[Path] = []
    failed: list[str] = []  # targets that could not be put back as they were
    current = staged[0].target if staged else Path()
    try:
        for item in staged:
            current = item.target
            created += _make_folders(item.destination.parent)
            item.temporary = _write_temporary(item.destination, item.data)
        with _holding_ctrl_c():
            try:
                for index, item in enumerate(staged):
                    current = item.target
                    _rename(item, keep_previous=index < len(staged) - 1)
            except OSError:
                failed = _roll_back(staged)
                raise
    except BaseException as exc:
        _discard(staged)
        _remove_folders(created)
        if isinstance(exc, OSError):
            raise _write_error(current, exc, len(staged), failed) from None
        raise
    _discard(staged)  # the previous versions, kept until the set was whole
    _sync_folders(item.destination.parent for item in staged)


def _rename(item: _Staged, *, keep_previous: bool) -> None:
    if keep_previous:  # the last file needs none: once it is renamed, the set is whole
        item.previous = _keep_previous(item.destination)
    os.replace(item.temporary, item.destination)  # type: ignore[arg-type]
    item.temporary, item.renamed = None, True


def _through_links(target: Path) -> Path:
    """The file that writing ``target`` should change: ``target`` itself, or, when it is a
    symbolic link, the file it leads to (as ``open(target, "w")`` would write), so that the
    link stays a link. A link to a file not yet there is written through when the folder
    it names exists; no folder is created for it."""
    if not os.path.islink(target):
        return target
    try:
        destination = Path(os.path.realpath(target, strict=False))
        if os.path.islink(destination):  # realpath gave up: a loop of links
            raise OSError("a loop of symbolic links")
    except (OSError, RuntimeError, ValueError) as exc:
        raise OutputError(
            f"{target}: is a symbolic link that leads nowhere ({_reason(exc)}); "
            "remove it or give another name"
        ) from None
    if not destination.parent.is_dir():
        raise OutputError(
            f"{target}: is a symbolic link to {destination}, whose folder does not exist; "
            "create the folder, or remove the link"
        )
    return destination


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _write_temporary(target: Path, data: bytes) -> str:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), _mode_for(target))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def _keep_previous(target: Path) -> str | None:
    """A second name for the file about to be replaced, to put it back if the set fails."""
    if not os.path.lexists(target):
        return None
    while True:
        kept = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            os.link(target, kept, follow_symlinks=False)
            return str(kept)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some network drives): move it aside
            if os.path.lexists(kept):
                continue
            os.replace(target, kept)
            return str(kept)


def _roll_back(staged: list[_Staged]) -> list[str]:
    """Put back every target as it was; what could not be put back, said in words."""
    failed = []
    for item in reversed(staged):
        if not item.renamed and (item.previous is None or os.path.lexists(item.destination)):
            continue  # untouched (a linked previous version goes with the temporaries)
        try:
            if item.previous is not None:  # replaced, or moved aside: put it back
                os.replace(item.previous, item.destination)
                item.previous = None
            else:  # a new file: remove it
                os.unlink(item.destination)
        except OSError:
            if item.previous is not None:
                failed.append(f"{item.target} (its previous version is kept as {item.previous})")
                item.previous = None  # kept on disk: the message says where
            else:
                failed.append(f"{item.target} (new, could not be removed)")
    return failed


def _write_error(target: Path, exc: OSError, count: int, failed: list[str]) -> OutputError:
    reason = exc.strerror or str(exc)
    message = f"{target}: cannot write ({reason}); check the folder and free space"
    if failed:
        message += "; these files could not be put back as they were: " + ", ".join(failed)
    elif count > 1:
        message += f"; none of the {count} files was written (those already there are unchanged)"
    return OutputError(message)


def _discard(staged: list[_Staged]) -> None:
    """Remove the temporaries and the previous versions still on disk."""
    for item in staged:
        for name in (item.temporary, item.previous):
            if name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(name)
        item.temporary = item.previous = None


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; those created, outermost first."""
    missing = []
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to remove
        created.append(path)
    return created


def _remove_folders(created: list[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only if still empty


def _sync_folders(folders: Iterable[Path]) -> None:
    """Flush the folders' entries too, so that the renames survive a crash (best effort)."""
    for folder in dict.fromkeys(folders):
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


@contextlib.contextmanager
def _holding_ctrl_c() -> Iterator[None]:
    """Hold SIGINT during the block (the renames of a set and their undoing, a few system
    calls), then deliver it: a set is never left half renamed by Ctrl-C."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is None  # a handler not set from Python
    ):
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            signal.raise_signal(signal.SIGINT)


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
