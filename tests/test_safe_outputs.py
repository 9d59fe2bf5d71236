"""Safe outputs: whole files or none, never over an input, clear errors; and Ctrl-C.

Running as root (as CI does) ignores file permissions, so read-only folders, full disks
and failed renames are simulated by making the system call fail the way it would.
"""

from __future__ import annotations

import ast
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis.export.files as files
from symbiosis.cli import app
from symbiosis.errors import OutputError
from symbiosis.export.files import write_bytes_atomic, write_text_atomic

CLEAN = Path(__file__).parent / "data" / "bad" / "accepted-clean"
SOURCE = Path(files.__file__).parents[1]  # src/symbiosis
runner = CliRunner()


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.fixture
def network_copy(tmp_path) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(CLEAN, folder)
    (folder / "case.toml").unlink()
    return folder


# --------------------------------------------------------------------------- the writer


def test_writes_whole_file_and_creates_folders(tmp_path):
    target = tmp_path / "a" / "b" / "report.json"
    assert write_text_atomic(target, '{"x": "é"}') == target
    assert target.read_text(encoding="utf-8") == '{"x": "é"}'
    assert leftovers(target.parent) == []


def test_replaces_an_existing_file_keeping_its_permissions(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_new_file_gets_ordinary_permissions_not_those_of_a_temporary_file(tmp_path):
    target = tmp_path / "report.html"
    write_text_atomic(target, "<html></html>")
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask()


def test_refuses_to_overwrite_an_input_file_however_it_is_named(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = data / "flows.csv"
    source.write_text("source,target\n")
    (tmp_path / "link.csv").symlink_to(source)
    spellings = [source, data / ".." / "data" / "flows.csv", tmp_path / "link.csv"]
    for spelling in spellings:
        with pytest.raises(OutputError, match="refusing to overwrite an input file"):
            write_text_atomic(spelling, "oops", protected=[source])
    assert source.read_text() == "source,target\n"
    assert leftovers(data) == [] and leftovers(tmp_path) == []


def test_a_folder_is_not_a_file_name(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_text_atomic(tmp_path, "x")


def test_a_file_in_the_way_of_a_folder(tmp_path):
    (tmp_path / "reports").write_text("a file, not a folder")
    with pytest.raises(OutputError, match="cannot write"):
        write_text_atomic(tmp_path / "reports" / "r.json", "x")


@pytest.mark.parametrize(
    ("call", "error", "reason"),
    [
        ("mkstemp", errno.EACCES, "Permission denied"),  # a read-only folder
        ("mkstemp", errno.EROFS, "Read-only file system"),
        ("fsync", errno.ENOSPC, "No space left on device"),  # disk full while writing
        ("replace", errno.EROFS, "Read-only file system"),
        ("replace", errno.EXDEV, "cross-device"),
    ],
)
def test_write_errors_are_clear_and_leave_nothing_behind(
    tmp_path, monkeypatch, call, error, reason
):
    target = tmp_path / "report.json"
    target.write_text("previous report")

    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    module = files.tempfile if call == "mkstemp" else files.os
    monkeypatch.setattr(module, call, fail)
    with pytest.raises(OutputError) as caught:
        write_text_atomic(target, "new report")
    message = str(caught.value)
    assert message.startswith(f"{target}: cannot write (")
    assert reason.lower() in message.lower()
    assert target.read_text() == "previous report"  # untouched
    assert leftovers(tmp_path) == []
    assert caught.value.exit_code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            write_text_atomic(folder / "r.json", "x")
    finally:
        folder.chmod(0o755)


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("previous report")

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"half a rep")
    assert target.read_text() == "previous report"
    assert leftovers(tmp_path) == []


def test_every_write_in_the_package_goes_through_the_atomic_writer():
    """No module but export/files.py opens a file for writing, writes a path directly or
    hands a path to pandas/json/pyvis writers (a static check of the source)."""
    writing_methods = {"write_text", "write_bytes", "to_parquet", "to_excel", "write_html",
                       "save_graph", "savefig", "dump"}  # fmt: skip
    path_writers = {"to_csv", "to_json"}  # fine without a path: they return text
    offenders = []
    for module in SOURCE.rglob("*.py"):
        if module == Path(files.__file__):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            method = getattr(node.func, "attr", None)  # obj.method(...)
            name = method or getattr(node.func, "id", None)
            if (
                method in writing_methods
                or (method in path_writers and (node.args or _keyword(node, "path_or_buf")))
                or (name == "open" and _opens_for_writing(node))
            ):
                offenders.append(f"{module.relative_to(SOURCE)}:{node.lineno} {name}")
    assert offenders == []


def _keyword(node: ast.Call, name: str):
    return next((k for k in node.keywords if k.arg == name), None)


def _opens_for_writing(node: ast.Call) -> bool:
    mode = node.args[1] if len(node.args) > 1 else _keyword(node, "mode")
    mode = getattr(mode, "value", mode)
    if isinstance(mode, ast.Constant):
        mode = mode.value
    return isinstance(mode, str) and any(flag in mode for flag in "wax+")


# --------------------------------------------------------------------------- through the CLI


def test_cli_refuses_to_write_over_an_input_file(network_copy):
    before = (network_copy / "flows.csv").read_bytes()
    spelled = network_copy / ".." / network_copy.name / "flows.csv"
    result = runner.invoke(app, ["analyze", str(network_copy), "--out", str(spelled), "-q"])
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert "Traceback" not in result.output
    assert (network_copy / "flows.csv").read_bytes() == before
    assert leftovers(network_copy) == []


def test_cli_creates_output_folders(network_copy, tmp_path):
    out = tmp_path / "new" / "deeper" / "report.json"
    result = runner.invoke(app, ["analyze", str(network_copy), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")


def test_cli_write_error_is_exit_1_with_a_clear_message(network_copy, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(files.os, "replace", read_only)
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["analyze", str(network_copy), "--out", str(out), "-q"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (
        f"error: {out}: cannot write (Read-only file system); check the folder and free space"
    )
    assert "Traceback" not in result.output
    assert not out.exists() and leftovers(tmp_path) == []


# --------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_while_loading_exits_130_without_traceback(monkeypatch):
    import symbiosis.io

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(symbiosis.io, "load", interrupted)
    result = runner.invoke(app, ["validate", str(CLEAN)])
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_ctrl_c_while_writing_leaves_no_file(network_copy, tmp_path, monkeypatch):
    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["analyze", str(network_copy), "--out", str(out), "-q"])
    assert result.exit_code == 130
    assert "no file was left half-written" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and leftovers(tmp_path) == []


def test_out_of_memory_is_a_clear_error(monkeypatch):
    import symbiosis.io

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(symbiosis.io, "load", exhausted)
    result = runner.invoke(app, ["validate", str(CLEAN)])
    assert result.exit_code == 1
    assert "out of memory" in result.stderr and "Traceback" not in result.output


# The child of the Ctrl-C test: `symbiosis validate` whose loading waits until interrupted.
# It restores Python's SIGINT handler first: a shell that started the tests in the background
# leaves SIGINT ignored, Python keeps an ignored SIGINT ignored, and the signal would be lost.
# The wait is short sleeps, not one blocking call: whichever thread the kernel hands the signal
# to, the main thread sees it within 10 ms. The marker file says the command is waiting.
INTERRUPTIBLE_CHILD = """
import signal, sys, time
from pathlib import Path

signal.signal(signal.SIGINT, signal.default_int_handler)
import symbiosis.io

ready = Path(sys.argv.pop(1))


def load(*args, **kwargs):
    ready.touch()
    while True:
        time.sleep(0.01)


symbiosis.io.load = load
from symbiosis.__main__ import main

main()
"""


def test_ctrl_c_in_a_real_process(tmp_path):
    """SIGINT to a running ``symbiosis validate`` in its own process, sent once the command
    is inside (past every import): exit 130, a message, no traceback. Every wait is bounded."""
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE_CHILD, str(ready), "validate", str(CLEAN)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120  # start-up on a loaded machine
        while not ready.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the command never started loading"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr + stdout


def test_special_files_are_never_replaced(tmp_path):
    """An output path that is a FIFO, or a symlink to a device, is refused and left as it
    is: as root, replacing /dev/null would break the machine (issue 18, item 2)."""
    import os
    import stat

    from symbiosis.errors import OutputError
    from symbiosis.export.files import write_text_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    for target in (fifo, link):
        with pytest.raises(OutputError, match="not a regular file"):
            write_text_atomic(target, "{}")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_special_files_are_refused_as_inputs(tmp_path):
    """flows.csv as a symlink to /dev/zero, or a FIFO, is refused at once with exit 2
    instead of growing memory or blocking (issue 18, item 7)."""
    import os

    from symbiosis import InputError, load

    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "flows.csv").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        load(folder)
    (folder / "flows.csv").unlink()
    os.mkfifo(folder / "flows.csv")
    with pytest.raises(InputError, match="not a regular file"):
        load(folder)


def test_links_that_lead_nowhere_are_located_input_errors(tmp_path):
    """A flows.csv linked to itself, a firms.csv linked to a missing file, a --firms path
    in a loop of links: each one a located problem (exit 2), all at once; they were an
    "internal error" (Python's RuntimeError on a loop of links) or, for firms.csv, read
    as no firms file at all."""
    from symbiosis import InputError, load

    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "flows.csv").symlink_to(folder / "flows.csv")
    (folder / "firms.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(InputError) as caught:
        load(folder)
    said = {(p.file, p.message.split(" (")[0]) for p in caught.value.problems}
    assert said == {
        (str(folder / "flows.csv"), "is a symbolic link that leads to no file"),
        (str(folder / "firms.csv"), "is a symbolic link that leads to no file"),
    }
    with pytest.raises(InputError, match="symbolic link that leads to no file"):
        load(folder / "flows.csv")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    example = Path(__file__).parents[1] / "examples" / "tongling"
    result = CliRunner().invoke(app, ["validate", str(example), "--firms", str(tmp_path / "a")])
    assert result.exit_code == 2
    assert "a: is a symbolic link that leads to no file" in result.output
    assert "internal error" not in result.output


# --------------------------------------------------------------------------- sets of files
# A set of outputs (reuse --csv FOLDER, analyze --out --html) is written whole or not at all
# (issue 18, item 14): every target checked, every file written to a temporary, then all
# renamed; a failure midway puts back what was replaced.

SIX = ("network", "by_category", "by_material", "by_generator", "by_receiver", "circular")


def six_files(folder: Path) -> dict[Path, str]:
    return {folder / f"{name}.csv": f"new {name}\n" for name in SIX}


def previous_set(folder: Path) -> dict[str, str]:
    """Three of the six files there already, from an earlier run."""
    folder.mkdir(exist_ok=True)
    old = {f"{name}.csv": f"old {name}\n" for name in SIX[:3]}
    for name, text in old.items():
        (folder / name).write_text(text)
    return old


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def failing_on(call: int, error: int, real):
    """``real``, except that its ``call``-th call (from 1) fails with ``error``."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == call:
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    return wrapper


def test_a_set_is_written_whole(tmp_path):
    folder = tmp_path / "tables"
    previous_set(folder)
    written = files.write_files_atomic(six_files(folder))
    assert written == list(six_files(folder))
    assert contents(folder) == {f"{n}.csv": f"new {n}\n" for n in SIX}


def test_full_disk_on_the_fourth_file_leaves_the_previous_set(tmp_path, monkeypatch):
    folder = tmp_path / "tables"
    old = previous_set(folder)
    monkeypatch.setattr(files.os, "fsync", failing_on(4, errno.ENOSPC, os.fsync))
    with pytest.raises(OutputError) as caught:
        files.write_files_atomic(six_files(folder))
    assert str(caught.value) == (
        f"{folder / 'by_generator.csv'}: cannot write (No space left on device); check the "
        "folder and free space; none of the 6 files was written (those already there are "
        "unchanged)"
    )
    assert contents(folder) == old  # no partial set, no temporary left
    assert caught.value.exit_code == 1


def test_full_disk_in_a_new_folder_leaves_no_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "fsync", failing_on(4, errno.ENOSPC, os.fsync))
    with pytest.raises(OutputError, match="No space left on device"):
        files.write_files_atomic(six_files(tmp_path / "new" / "tables"))
    assert list(tmp_path.iterdir()) == []


def failing_renames(folder: Path, *failures: tuple[str, int]):
    """``os.replace``, except that the ``n``-th rename onto ``folder/name`` fails (EIO),
    for each ``(name, n)``."""
    real, seen = os.replace, []

    def replace(source, target):
        seen.append(Path(target))
        if (Path(target).name, seen.count(Path(target))) in failures:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(source, target)

    return replace


def no_hard_links(*args, **kwargs):
    raise OSError(errno.EPERM, os.strerror(errno.EPERM))


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_rename_failing_midway_puts_back_what_was_replaced(tmp_path, monkeypatch, hard_links):
    """The third file's rename fails (an I/O error): the two files already renamed are put
    back, the replaced one from its previous version, the new one removed. Without hard
    links (FAT), the previous versions are moved aside instead, and put back the same way."""
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "by_category.csv").write_text("old by_category\n")
    (folder / "by_material.csv").write_text("old by_material\n")
    old = contents(folder)
    if not hard_links:
        monkeypatch.setattr(files.os, "link", no_hard_links)
    monkeypatch.setattr(files.os, "replace", failing_renames(folder, ("by_material.csv", 1)))
    with pytest.raises(OutputError) as caught:
        files.write_files_atomic(six_files(folder))
    assert str(caught.value).startswith(f"{folder / 'by_material.csv'}: cannot write (Input/")
    assert str(caught.value).endswith("none of the 6 files was written (those already there "
                                      "are unchanged)")  # fmt: skip
    assert contents(folder) == old


def test_a_set_that_cannot_be_put_back_says_where_the_previous_file_is(tmp_path, monkeypatch):
    """If putting a file back fails too, the error says where its previous version is."""
    folder = tmp_path / "tables"
    previous_set(folder)
    failures = (("by_material.csv", 1), ("by_category.csv", 2))  # the rename, then the undoing
    monkeypatch.setattr(files.os, "replace", failing_renames(folder, *failures))
    with pytest.raises(OutputError) as caught:
        files.write_files_atomic(six_files(folder))
    message = str(caught.value)
    assert "; these files could not be put back as they were: " in message
    kept = message.split("its previous version is kept as ")[1].rstrip(")")
    assert Path(kept).read_text() == "old by_category\n"
    assert (folder / "by_category.csv").read_text() == "new by_category\n"
    assert (folder / "network.csv").read_text() == "old network\n"  # put back
    assert (folder / "by_material.csv").read_text() == "old by_material\n"
    assert leftovers(folder) == [Path(kept).name]  # the one the message names


def test_a_refused_target_writes_nothing(tmp_path):
    """One target of six is a folder, or an input, or a FIFO: checked before anything is
    written, so no file of the set is written."""
    folder = tmp_path / "tables"
    old = previous_set(folder)
    (folder / "by_generator.csv").mkdir()
    with pytest.raises(OutputError, match=r"by_generator\.csv: is a folder"):
        files.write_files_atomic(six_files(folder))
    (folder / "by_generator.csv").rmdir()
    source = folder / "circular.csv"
    source.write_text("an input\n")
    with pytest.raises(files.ProtectedFileError, match="refusing to overwrite an input file"):
        files.write_files_atomic(six_files(folder), protected=[source])
    source.unlink()
    os.mkfifo(folder / "by_receiver.csv")
    with pytest.raises(OutputError, match="not a regular file"):
        files.write_files_atomic(six_files(folder))
    (folder / "by_receiver.csv").unlink()
    assert contents(folder) == old


def test_the_same_file_twice_in_a_set_is_refused(tmp_path):
    target = tmp_path / "r.json"
    with pytest.raises(OutputError, match="named twice"):
        files.write_files_atomic({target: "a", tmp_path / "sub" / ".." / "r.json": "b"})
    assert not target.exists()


def test_ctrl_c_while_writing_a_set_leaves_the_previous_set(tmp_path, monkeypatch):
    folder = tmp_path / "tables"
    old = previous_set(folder)
    real, calls = os.fsync, []

    def interrupt(fd):
        calls.append(fd)
        if len(calls) == 4:
            raise KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        files.write_files_atomic(six_files(folder))
    assert contents(folder) == old


def test_ctrl_c_during_the_renames_is_held_until_the_set_is_whole(tmp_path, monkeypatch):
    """SIGINT arriving between two renames is delivered once all are done: the set is
    whole (all new), and the interrupt still stops the program."""
    folder = tmp_path / "tables"
    previous_set(folder)
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)
        return real(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        files.write_files_atomic(six_files(folder))
    assert contents(folder) == {f"{n}.csv": f"new {n}\n" for n in SIX}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_output_that_is_a_link_is_written_through(tmp_path):
    """A symbolic link given as an output stays a link: the file it leads to gets the new
    content, as ``open(link, "w")`` would write it (it was replaced by a plain file)."""
    real = tmp_path / "reports" / "out.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    assert write_text_atomic(link, "new") == link
    assert link.is_symlink() and real.read_text() == "new"
    assert leftovers(tmp_path) == leftovers(real.parent) == []
    # a link to a file not yet there, in a folder that is: written through, created
    fresh = tmp_path / "fresh.json"
    fresh.symlink_to(real.parent / "fresh.json")
    files.write_files_atomic({fresh: "a", link: "b"})
    assert fresh.is_symlink() and (real.parent / "fresh.json").read_text() == "a"
    assert real.read_text() == "b"


def test_a_link_that_leads_nowhere_is_refused_before_anything_is_written(tmp_path):
    """A loop of links, or a link into a missing folder, in a set of outputs: an
    OutputError naming it, and no file of the set written, no folder created."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "c").symlink_to(tmp_path / "missing" / "c.json")
    good = tmp_path / "good.json"
    for bad, reason in (("a", "leads nowhere"), ("c", "whose folder does not exist")):
        with pytest.raises(OutputError, match=f"{bad}: is a symbolic link.*{reason}"):
            files.write_files_atomic({good: "x", tmp_path / bad: "y"})
    assert not good.exists() and not (tmp_path / "missing").exists()
    assert leftovers(tmp_path) == []


def test_cli_writes_through_a_linked_output(tmp_path):
    """``analyze --out LINK`` updates the file the link leads to; exit 0."""
    real = tmp_path / "kept" / "report.json"
    real.parent.mkdir()
    link = tmp_path / "report.json"
    link.symlink_to(real)
    result = runner.invoke(app, ["analyze", str(CLEAN), "--out", str(link), "-q"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("{")
    # a link into a missing folder: refused before the analysis, exit 1, nothing created
    broken = tmp_path / "broken.json"
    broken.symlink_to(tmp_path / "gone" / "report.json")
    result = runner.invoke(app, ["analyze", str(CLEAN), "--out", str(broken), "-q"])
    assert result.exit_code == 1
    assert "whose folder does not exist" in result.output
    assert not (tmp_path / "gone").exists()
