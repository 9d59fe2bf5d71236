"""A user's taxonomy file is read as the network files are (docs/errors.md): the messy
layouts they accept give the same taxonomy as a plain CSV, and every bad file is refused
with ``file:row: column`` problems, exit code 2, never a traceback or a hang (found by
fuzzing ``symbiosis opportunities --taxonomy``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.taxonomy import load_taxonomy, parse_taxonomy, read_taxonomy

SMALL = Path(__file__).parent / "data" / "small"
ROWS = [
    ["family", "material", "synonyms", "names_zh", "notes"],
    ["slag", "copper slag", "slag tailings; flotation tailings", "铜渣尾矿", "x"],
    ["ash", "fly ash", "agremax", "", ""],
    ["gypsum", "gypsum", "copperas", "", ""],
]
PLAIN = "".join(",".join(f'"{c}"' if ";" in c else c for c in row) + "\n" for row in ROWS)
DATA = PLAIN.split("\n", 1)[1]  # the rows below the header
UTF16 = ("\ufeff" + "".join("\t".join(row) + "\r\n" for row in ROWS)).encode("utf-16-le")


def written(tmp_path: Path, text: str | bytes, name: str = "materials.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def contents(taxonomy):
    return taxonomy.family_of, taxonomy.by_key, taxonomy.by_chinese


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_taxonomy(path)
    return [str(problem) for problem in caught.value.problems]


def separated(separator: str) -> str:
    """:data:`ROWS` with ``separator``, every cell quoted (cells hold ``;``)."""
    return "".join(separator.join(f'"{c}"' for c in row) + "\r\n" for row in ROWS)


# ---------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semicolon", separated(";")),
        ("tab", "".join("\t".join(row) + "\n" for row in ROWS)),
        ("sep line", "sep=;\n" + separated(";")),
        ("header case and spaces", " Family , MATERIAL ,Synonyms, NAMES_ZH ,notes\n" + DATA),
        ("UTF-8 BOM", "\ufeff" + PLAIN),
        ("UTF-16 BOM", UTF16),
        ("CRLF and blank lines", PLAIN.replace("\n", "\r\n\r\n")),
        ("trailing empty fields", PLAIN.replace("\n", ",,\n")),
    ],
)
def test_messy_layouts_give_the_plain_taxonomy(tmp_path, name, text):
    plain = read_taxonomy(written(tmp_path, PLAIN, "plain.csv"))
    assert plain.resolve("agremax").material == "fly ash"
    assert contents(read_taxonomy(written(tmp_path, text))) == contents(plain), name


def test_plain_text_path_agrees_with_the_file_reader(tmp_path):
    """The shipped file's fast path (parse_taxonomy) and read_taxonomy give one taxonomy."""
    assert contents(parse_taxonomy(PLAIN, "p.csv")) == contents(
        read_taxonomy(written(tmp_path, PLAIN))
    )


def test_a_cell_past_the_csv_module_s_limit_is_read(tmp_path):
    material = "g" * 200_000  # Python's csv stops at 131,072 characters a field
    path = written(tmp_path, f"family,material,synonyms,names_zh,notes\ngypsum,{material},,,\n")
    assert load_taxonomy(path, replace=True).family_of == {material: "gypsum"}
    with pytest.raises(InputError) as caught:  # the shipped file's path: located, no crash
        parse_taxonomy(path.read_text(encoding="utf-8"), "t.csv")
    assert [str(p) for p in caught.value.problems] == [
        "t.csv:2: is not a readable CSV file (field larger than field limit (131072)); "
        "check quotes and separators"
    ]


# ---------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["materials.csv: is empty; add a header row and data rows"]),
        (
            "family,material\ngypsum,a\ngypsum,gyps\xfcm\n".encode("latin-1"),
            [
                "materials.csv:3: is not UTF-8 text (byte 0xFC): it looks like Windows-1252 or "
                "Latin-1 (Western European); save the file as 'CSV UTF-8'"
            ],
        ),
        (
            "family,material,synonyms\n\n\ngypsum,a,b\n\nash,,x\n",
            ["materials.csv:6: material: material is empty; name the material"],
        ),
        (
            'family,material,synonyms\ngypsum,"abc,,\nash,def,\n',
            ['materials.csv:2: material: has a quote (") that is never closed'],
        ),
        (
            "family,material,synonyms\ngypsum,a,b,c,d,e\n",
            ["materials.csv:2: has 6 fields where the header has 3; quote fields that contain"],
        ),
        (
            # a ;-separated file whose synonyms cell is not quoted: one field too many
            "family;material;synonyms;notes\ngypsum;pg gypsum;stack gypsum; pond gypsum;n\n",
            ["materials.csv:2: has 5 fields where the header has 4"],
        ),
        (
            "family,material,synonyms\ngypsum,a\x00b,\n",
            ["materials.csv:2: has a NUL byte (character 0, invisible) in a cell"],  # located
        ),
        (
            "family,material,material\ngypsum,a,b\n",
            ["materials.csv:1: material: column appears more than once; keep one"],
        ),
        (
            "family,material\ngypsum,widget\nash,widget\n",
            [
                "materials.csv:3: material: 'widget' is in family 'gypsum' on row 2 and in "
                "family 'ash' here; give each material one family"
            ],
        ),
        (
            "family,material,synonyms\ngypsum\n",
            ["materials.csv:2: has 1 fields where the header has 3; give every row one field"],
        ),
        (
            "famly,material\ngypsum,x\n",
            [
                "materials.csv:1: family: required column is missing; "
                "rename column 'famly' to 'family'"
            ],
        ),
        (
            "family,material\n",
            ["materials.csv: has a header but no data rows; add rows"],
        ),
        (  # the header as written in the hint, not lower-cased
            "Famly,Material\ngypsum,x\n",
            [
                "materials.csv:1: family: required column is missing; "
                "rename column 'Famly' to 'family'"
            ],
        ),
    ],
    ids=[
        "empty",
        "latin-1",
        "blank lines",
        "unclosed quote",
        "long row",
        "unquoted separator",
        "NUL",
        "repeated column",
        "two families",
        "short row",
        "misspelt column",
        "header only",
        "misspelt column as written",
    ],
)
def test_bad_files_are_refused_located(tmp_path, text, expected):
    path = written(tmp_path, text)
    found = problems(path)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):  # the path as given, then the row
        assert line.startswith(str(path) + start.removeprefix("materials.csv")), line


def test_every_problem_of_a_row_is_said_at_once(tmp_path):
    """A tester's: an empty material or family, or a material in two families, hid the
    row's other problems (a bad 'interchangeable', a synonym taken): said after a fix."""
    path = written(
        tmp_path,
        "family,material,synonyms,interchangeable\nslag,,,maybe\n,dust,fly ash,perhaps\n"
        "slag,x,,no\nash,x,fly ash,hmm\n",
    )
    name = str(path)
    assert problems(path) == [
        f"{name}:2: material: material is empty; name the material",
        f"{name}:2: interchangeable: 'maybe' is neither yes nor no; write yes (the default) or no",
        f"{name}:3: family: family is empty; name the family",
        f"{name}:3: interchangeable: 'perhaps' is neither yes nor no; write yes (the default) "
        "or no",
        f"{name}:5: material: 'x' is in family 'slag' on row 4 and in family 'ash' here; give "
        "each material one family",
        f"{name}:5: interchangeable: 'hmm' is neither yes nor no; write yes (the default) or no",
        f"{name}:5: synonyms: 'fly ash' already names 'dust' (row 3); give each name to one "
        "material",
    ]


def test_the_same_material_twice_in_one_family_is_accepted(tmp_path):
    path = written(tmp_path, "family,material,synonyms\nash,fly ash,pfa\nash,fly ash,agremax\n")
    taxonomy = load_taxonomy(path, replace=True)
    assert taxonomy.family_of == {"fly ash": "ash"}
    assert taxonomy.resolve("pfa").material == taxonomy.resolve("agremax").material == "fly ash"


def test_folders_missing_files_and_link_loops_are_one_line_each(tmp_path):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    cases = {
        tmp_path: "is a folder, not a file",
        tmp_path / "missing.csv": "does not exist",
        tmp_path / "loop1": "is a symbolic link that leads to no file",
    }
    for path, message in cases.items():
        found = problems(path)
        assert len(found) == 1 and found[0].startswith(f"{path}: {message}"), found


# ---------------------------------------------------------------------------- devices

_LOAD = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a bug must not eat the machine
    from symbiosis.errors import InputError
    from symbiosis.taxonomy import load_taxonomy
    try:
        load_taxonomy(sys.argv[1])
    except InputError as error:
        print(error.problems[0])
    """
)


def _load_in_a_process(path: Path) -> str:
    """``load_taxonomy(path)`` in a separate process, which must end within 20 s."""
    result = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)], capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "materials.csv"
    os.mkfifo(fifo)
    assert _load_in_a_process(fifo).startswith(f"{fifo}: is not a regular file")
    result = subprocess.run(
        [sys.executable, "-m", "symbiosis", "opportunities", str(SMALL), "--taxonomy", str(fifo)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {fifo}: is not a regular file (a device, a pipe")
    assert not result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_at_once(tmp_path):
    link = tmp_path / "materials.csv"
    link.symlink_to("/dev/zero")
    assert _load_in_a_process(link).startswith(f"{link}: is not a regular file")


# ---------------------------------------------------------------------------- command line


def invoke(*args):
    return CliRunner().invoke(app, ["opportunities", str(SMALL), *map(str, args)])


def test_the_command_line_reports_every_problem_and_exits_2(tmp_path):
    path = written(tmp_path, "family,material\n\ngypsum,widget\nash,widget\n,slag\n")
    result = invoke("--taxonomy", path, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {path}:4: material: 'widget' is in family 'gypsum' on row 3 and in family "
        "'ash' here; give each material one family",
        f"error: {path}:5: family: family is empty; name the family",
        "2 problems found; nothing was analysed",
    ]


def test_the_command_line_reads_a_huge_cell_and_messy_layouts(tmp_path):
    plain = invoke("--taxonomy", written(tmp_path, PLAIN, "plain.csv"), "--format", "json")
    assert plain.exit_code == 0, plain.output
    messy = invoke("--taxonomy", written(tmp_path, UTF16), "--format", "json")
    assert (messy.exit_code, messy.stdout) == (0, plain.stdout)
    huge = PLAIN + "slag," + "s" * 200_000 + ",,,\n"
    result = invoke("--taxonomy", written(tmp_path, huge, "huge.csv"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
