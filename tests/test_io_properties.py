"""Property tests of ingest (hypothesis), on random valid networks written as real files.

* a valid network always loads, whatever the file form (encoding, separator and
  decimal mark, line ends, quoted names with separators, quotes and newlines), with every
  value equal to quantity x unit factor;
* the order of the rows does not matter;
* the unit does not matter: the same flows in t, kt, kg ... give the same values;
* one random corruption of a valid file always gives exit code 2 and a message located at
  the corrupted file, row and column, and never a traceback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError, SymbiosisWarning
from symbiosis.io import load

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
runner = CliRunner()

# Units by dimension with their factor to t, GJ, m3 (from the definitions, by hand).
UNITS = {
    "mass": {"t": 1.0, "kt": 1e3, "kg": 1e-3, "Mt": 1e6, "g": 1e-6, "tonnes": 1.0},
    "energy": {"GJ": 1.0, "MWh": 3.6, "kWh": 3.6e-3, "TJ": 1e3, "MJ": 1e-3, "GWh": 3600.0},
    "volume": {"m3": 1.0, "m³": 1.0, "l": 1e-3, "thousand m3": 1e3, "Mm3": 1e6},
}
MATERIALS = {
    "mass": ["slag", "fly ash", "gypsum", "scrap copper", "sulfuric acid", "tailings"],
    "energy": ["steam", "electricity", "waste heat"],
    "volume": ["process water", "wastewater", "cooling water"],
}
ROLES = ["firm", "", "extraction", "mine", "recycling", "treatment", "utility", "market"]
ROLES += ["import", "disposal", "landfill", "environment", "air", "household"]
CATEGORIES = ["product", "by-product", "byproduct", "waste", "emission", "Waste"]
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
# Any text but NUL (a binary file) and a lone CR: every CSV reader takes a bare CR for a
# line break, and Python's csv writer does not quote it when lines end with LF.
NAME_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12
)


@dataclass(frozen=True)
class Flow:
    source: int  # positions in the firm list
    target: int
    dimension: str
    material: str
    unit: str
    quantity: float | None  # in ``unit``; None = unknown size
    category: str

    @property
    def value(self) -> float:
        """The canonical value the reader must give (NaN when unknown)."""
        return np.nan if self.quantity is None else self.quantity * UNITS[self.dimension][self.unit]


@dataclass(frozen=True)
class Network:
    ids: list[str]
    names: list[str]
    roles: list[str]
    coordinates: list[tuple[float, float] | None]
    flows: list[Flow]


@dataclass(frozen=True)
class FileForm:
    encoding: str  # utf-8, utf-8-sig or utf-16
    separator: str  # ",", ";" (with decimal commas) or tab
    newline: str  # "\n" or "\r\n"


FILE_FORMS = st.builds(
    FileForm,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
PLAIN_FORM = FileForm("utf-8", ",", "\n")


@st.composite
def networks(draw) -> Network:
    n = draw(st.integers(2, 8))
    ids = draw(st.lists(st.text(ID_ALPHABET, min_size=1, max_size=8), min_size=n, max_size=n,
                        unique_by=str.lower))  # fmt: skip
    names = draw(st.lists(NAME_TEXT, min_size=n, max_size=n))
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=n, max_size=n))
    coordinates = draw(
        st.lists(
            st.none() | st.tuples(st.integers(-90_000, 90_000), st.integers(-180_000, 180_000)),
            min_size=n,
            max_size=n,
        )
    )
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    flows = []
    for source, target in draw(st.lists(pairs, min_size=1, max_size=12)):
        dimension = draw(st.sampled_from(list(UNITS)))
        quantity = draw(st.none() | st.integers(0, 10**9).map(lambda q: q / 100))
        flows.append(
            Flow(
                source,
                target,
                dimension,
                draw(st.sampled_from(MATERIALS[dimension])),
                draw(st.sampled_from(list(UNITS[dimension]))),
                quantity,
                draw(st.sampled_from(CATEGORIES)),
            )
        )
    coordinates = [None if c is None else (c[0] / 1000, c[1] / 1000) for c in coordinates]
    return Network(ids, names, roles, coordinates, flows)


def number(value: float, form: FileForm) -> str:
    text = repr(float(value))
    return text.replace(".", ",") if form.separator == ";" else text


def csv_text(header: list[str], rows: list[list[str]], form: FileForm) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=form.separator, lineterminator=form.newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def firms_rows(network: Network, form: FileForm, order=None) -> list[list[str]]:
    rows = []
    for i in order if order is not None else range(len(network.ids)):
        where = network.coordinates[i]
        lat, lon = ("", "") if where is None else (number(where[0], form), number(where[1], form))
        rows.append([network.ids[i], network.names[i], network.roles[i], lat, lon])
    return rows


def flows_rows(network: Network, form: FileForm, order=None) -> list[list[str]]:
    rows = []
    for i in order if order is not None else range(len(network.flows)):
        flow = network.flows[i]
        quantity = "" if flow.quantity is None else number(flow.quantity, form)
        rows.append(
            [
                network.ids[flow.source],
                network.ids[flow.target],
                flow.material,
                quantity,
                flow.unit,
                flow.category,
                str(i),  # a reference, so that no two rows are the same
            ]
        )
    return rows


FIRMS_HEADER = ["id", "name", "role", "lat", "lon"]
FLOWS_HEADER = ["source", "target", "material", "quantity", "unit", "category", "ref"]


def write(folder: Path, network: Network, form: FileForm, firm_order=None, flow_order=None):
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, rows in (
        ("firms.csv", FIRMS_HEADER, firms_rows(network, form, firm_order)),
        ("flows.csv", FLOWS_HEADER, flows_rows(network, form, flow_order)),
    ):
        (folder / name).write_bytes(csv_text(header, rows, form).encode(form.encoding))
    return folder


def values_by_ref(loaded) -> np.ndarray:
    flows = loaded.flows
    order = np.argsort(flows["ref"].astype(int).to_numpy())
    return flows["value"].to_numpy()[order]


def flow_matrix(loaded, dimension) -> dict[tuple[str, str], float]:
    matrix, nodes = loaded.matrix(dimension, actors_only=False)
    coo = matrix.tocoo()
    return {(nodes[i], nodes[j]): v for i, j, v in zip(coo.row, coo.col, coo.data, strict=True)}


def folder_for(tmp_path_factory, label: str) -> Path:
    return tmp_path_factory.mktemp(label)


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(network=networks(), form=FILE_FORMS)
def test_a_valid_network_always_loads(tmp_path_factory, network, form):
    loaded = load(write(folder_for(tmp_path_factory, "valid"), network, form))
    assert loaded.n_firms == len(network.ids)
    assert loaded.n_flows == len(network.flows)
    expected = np.array([flow.value for flow in network.flows])
    np.testing.assert_allclose(values_by_ref(loaded), expected, rtol=1e-12)
    assert list(loaded.flows["row"]) == list(range(2, len(network.flows) + 2))
    dimensions = loaded.flows.sort_values("ref", key=lambda r: r.astype(int))["dimension"]
    assert list(dimensions) == [flow.dimension for flow in network.flows]
    for i, firm in enumerate(network.ids):
        name = network.names[i].strip()
        assert loaded.firms.loc[firm, "name"] == (name or firm)
        where = network.coordinates[i]
        if where is not None:
            assert loaded.firms.loc[firm, "lat"] == pytest.approx(where[0])


@SETTINGS
@given(network=networks(), form=FILE_FORMS, data=st.data())
def test_row_order_does_not_matter(tmp_path_factory, network, form, data):
    firm_order = data.draw(st.permutations(range(len(network.ids))))
    flow_order = data.draw(st.permutations(range(len(network.flows))))
    first = load(write(folder_for(tmp_path_factory, "a"), network, form))
    second = load(write(folder_for(tmp_path_factory, "b"), network, form, firm_order, flow_order))
    np.testing.assert_array_equal(values_by_ref(first), values_by_ref(second))
    a, b = first.summary().to_dict(), second.summary().to_dict()
    totals_a, totals_b = a.pop("totals"), b.pop("totals")
    assert a == b
    assert totals_a.keys() == totals_b.keys()
    for dimension, entries in totals_a.items():
        assert entries == pytest.approx(totals_b[dimension], rel=1e-12)
        assert flow_matrix(first, dimension) == pytest.approx(flow_matrix(second, dimension))


@SETTINGS
@given(network=networks(), data=st.data())
def test_units_do_not_matter(tmp_path_factory, network, data):
    """The same flows written in other units of their dimension, quantities rescaled."""
    rescaled = []
    for flow in network.flows:
        unit = data.draw(st.sampled_from(list(UNITS[flow.dimension])))
        factor = UNITS[flow.dimension][flow.unit] / UNITS[flow.dimension][unit]
        quantity = None if flow.quantity is None else flow.quantity * factor
        rescaled.append(replace(flow, unit=unit, quantity=quantity))
    other = replace(network, flows=rescaled)
    first = load(write(folder_for(tmp_path_factory, "units_a"), network, PLAIN_FORM))
    second = load(write(folder_for(tmp_path_factory, "units_b"), other, PLAIN_FORM))
    np.testing.assert_allclose(values_by_ref(first), values_by_ref(second), rtol=1e-9)
    for dimension, entries in first.summary().totals.items():
        assert entries == pytest.approx(second.summary().totals[dimension], rel=1e-9)


# --------------------------------------------------------------------------- corruptions

# Each: (file, column or None, how to corrupt the cell or the row, what the message says).
CELL_CORRUPTIONS = [
    ("flows.csv", "quantity", "-1", "negative"),
    ("flows.csv", "quantity", "five", "not a number"),
    ("flows.csv", "quantity", "about 5", "says the number is approximate"),
    ("flows.csv", "quantity", "1,000", "thousands separator"),
    ("flows.csv", "quantity", "nan", "not a finite number"),
    ("flows.csv", "quantity", "1e999", "not a finite number"),
    ("flows.csv", "quantity", "#N/A", "spreadsheet error"),
    ("flows.csv", "unit", "ton", "ambiguous"),
    ("flows.csv", "unit", "xyz", "unknown unit"),
    ("flows.csv", "unit", "kn", "knot"),
    ("flows.csv", "category", "energy", "is a dimension"),
    ("flows.csv", "category", "bogus", "unknown category"),
    ("flows.csv", "category", "", "category is empty"),
    ("flows.csv", "source", "NO SUCH FIRM", "unknown firm"),
    ("flows.csv", "target", "", "target is empty"),
    ("flows.csv", "material", "", "material is empty"),
    ("firms.csv", "role", "no such role", "unknown role"),
    ("firms.csv", "lat", "91", "outside [-90, 90]"),
    ("firms.csv", "lon", "E117", "not a coordinate"),
    ("firms.csv", "id", "", "id is empty"),
]
ROW_CORRUPTIONS = ["duplicate id", "duplicate row", "latin-1 byte", "extra field"]


@st.composite
def corruptions(draw):
    kind = draw(st.sampled_from(["cell"] * 4 + ROW_CORRUPTIONS))
    if kind == "cell":
        return draw(st.sampled_from(CELL_CORRUPTIONS))
    return kind


def corrupt(network: Network, corruption, draw) -> tuple[dict[str, str], tuple]:
    """The two files' text with one corruption, and the expected (file, row, column,
    message) of the problem it must cause."""
    firms = firms_rows(network, PLAIN_FORM)
    flows = flows_rows(network, PLAIN_FORM)
    tables = {"firms.csv": (FIRMS_HEADER, firms), "flows.csv": (FLOWS_HEADER, flows)}
    if isinstance(corruption, tuple):
        file, column, text, message = corruption
        header, rows = tables[file]
        index = draw(st.integers(0, len(rows) - 1))
        rows[index][header.index(column)] = text
        if not any(rows[index]):  # a row left blank is skipped as a blank line, not refused
            rows[index][1 if header.index(column) != 1 else 0] = "x"
        expected = (file, index + 2, column, message)
    elif corruption == "duplicate id":
        index = draw(st.integers(1, len(firms) - 1))
        firms[index][0] = firms[0][0]
        expected = ("firms.csv", index + 2, "id", "is used again (first on row 2)")
    elif corruption == "duplicate row":
        index = draw(st.integers(0, len(flows) - 1))
        flows.append(list(flows[index]))
        expected = ("flows.csv", len(flows) + 1, None, f"repeats row {index + 2} exactly")
    elif corruption == "extra field":
        index = draw(st.integers(0, len(flows) - 1))
        flows[index].append("extra")
        expected = ("flows.csv", index + 2, None, "fields where the header has")
    else:  # a Latin-1 byte in a name: decoded at the end, below
        index = draw(st.integers(0, len(firms) - 1))
        firms[index][1] += "\udcfc"  # an undecodable byte, kept through csv as a surrogate
        expected = ("firms.csv", index + 2, None, "not UTF-8 text (byte 0xFC)")
    texts = {name: csv_text(header, rows, PLAIN_FORM) for name, (header, rows) in tables.items()}
    return texts, expected


@SETTINGS
@given(network=networks(), corruption=corruptions(), data=st.data())
def test_one_corruption_gives_exit_2_and_a_located_message(
    tmp_path_factory, network, corruption, data
):
    texts, (file, row, column, message) = corrupt(network, corruption, data.draw)
    folder = folder_for(tmp_path_factory, "corrupt")
    for name, text in texts.items():
        (folder / name).write_bytes(text.encode("utf-8", errors="surrogateescape"))
    result = runner.invoke(app, ["validate", str(folder)])
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert result.exit_code == 2, output
    where = f"error: {folder / file}:{row}: " + (f"{column}: " if column else "")
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert any(message in line for line in lines), f"{where} ... {message}\n{result.stderr}"
    with pytest.raises(InputError):  # the library says the same, as an exception
        load(folder)


TOKENS = [b",", b";", b"\t", b'"', b"\n", b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", b"-",
          b".", b"1e999", b"nan", b" ", b"\xc3", b"\xe2\x80\xaf", b"[red]", b"{value}"]  # fmt: skip


@SETTINGS
@given(
    network=networks(),
    form=FILE_FORMS,
    damage=st.lists(
        st.tuples(
            st.sampled_from(["firms.csv", "flows.csv"]),
            st.floats(0, 1),
            st.sampled_from(["insert", "delete", "replace"]),
            st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_bytes_never_crash_the_reader(tmp_path_factory, network, form, damage):
    """Bytes inserted, deleted or overwritten anywhere: the files load or every problem is
    an InputError with a file and a message; nothing else is ever raised."""
    folder = write(folder_for(tmp_path_factory, "damaged"), network, form)
    for name, where, how, token in damage:
        data = bytearray((folder / name).read_bytes())
        at = int(where * len(data))
        if how == "insert":
            data[at:at] = token
        elif how == "delete":
            del data[at : at + len(token)]
        else:
            data[at : at + len(token)] = token
        (folder / name).write_bytes(bytes(data))
    try:
        load(folder)
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.message
            assert problem.row is None or problem.row >= 1
            str(problem)


# --------------------------------------------------------------------------- magnitudes, ids

EXTREME_UNITS = ["t", "kt", "Mt", "g", "t/d", "t/h", "万t", "MWh", "GJ", "PJ", "MW", "m3", "Mm3"]


@SETTINGS
@given(
    quantities=st.lists(
        st.tuples(
            st.floats(min_value=0, allow_nan=False, allow_infinity=False)
            | st.sampled_from([1e306, 1.7976931348623157e308, 5e-324, 1e29, 9.9e29]),
            st.sampled_from(EXTREME_UNITS),
        ),
        min_size=1,
        max_size=6,
    )
)
@example(quantities=[(0.0, "MW")])  # a power, warned of: the warning is no failure
def test_any_quantity_in_any_unit_loads_in_range_or_is_refused(quantities):
    """Issue 18, item 10: a finite quantity in any unit either loads to a value of at most
    1e30 per year (and a total per dimension of at most 1e30) or is refused with its row;
    never a numpy warning, an inf or a NaN."""
    import warnings

    import pandas as pd

    from symbiosis import from_frames

    firms = pd.DataFrame({"id": ["A", "B"], "role": ["firm", "market"]})
    flows = pd.DataFrame(
        {
            "source": "A",
            "target": "B",
            "material": [f"m{i}" for i in range(len(quantities))],
            "quantity": [repr(q) for q, _ in quantities],
            "unit": [u for _, u in quantities],
            "category": "product",
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy warning (overflow, invalid value) fails
        warnings.simplefilter("ignore", SymbiosisWarning)  # what the tool says, e.g. of MW
        try:
            network = from_frames(firms, flows)
        except InputError as error:
            assert all(p.column == "quantity" for p in error.problems), error.problems
            assert any(
                p.row is None or "more than any real flow" in p.message for p in error.problems
            )
            return
        values = network.flows["value"].to_numpy()
        assert np.isfinite(values).all() and (values <= 1e30).all()
        for totals in network.summary().totals.values():
            assert totals["total"] <= 1e30


ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff"]


@SETTINGS
@given(
    ids=st.lists(
        st.text(st.sampled_from("AaEeÉéÇçÑñÅåŐőẞ中铜-_ \u0301\u0308"), min_size=1, max_size=6),
        min_size=1,
        max_size=5,
        unique_by=lambda text: __import__("unicodedata").normalize("NFC", text).strip(),
    ),
    data=st.data(),
)
def test_an_id_in_any_unicode_form_or_with_zero_width_characters_is_one_id(ids, data):
    """Issue 18, item 15: an id written NFC in firms.csv and NFD, or with zero-width
    characters inserted, in flows.csv is always the same firm."""
    import unicodedata

    import pandas as pd

    from symbiosis import from_frames

    ids = [i.strip() for i in ids]
    if any(not unicodedata.normalize("NFC", i) for i in ids) or len({*ids}) < len(ids):
        return
    variants = []
    for i in ids:
        text = unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), i)
        at = data.draw(st.integers(0, len(text)))
        variants.append(text[:at] + data.draw(st.sampled_from(["", *ZERO_WIDTH])) + text[at:])
    firms = pd.DataFrame({"id": [*ids, "MARKET"], "role": ["firm"] * len(ids) + ["market"]})
    flows = pd.DataFrame(
        {
            "source": variants,
            "target": "MARKET",
            "material": "slag",
            "quantity": 1.0,
            "unit": "t",
            "category": "waste",
        }
    )
    try:
        network = from_frames(firms, flows)
    except InputError as error:  # only ids made empty or repeated by the normalisation
        assert all(p.column == "id" for p in error.problems), error.problems
        return
    expected = [unicodedata.normalize("NFC", i) for i in ids]
    assert list(network.flows["source"]) == expected


_CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("ab c\t\n\r\x0b\x0c\x1f,é水\u3000\xa0\u2003\u200b\x85")),
    max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CELL_TEXT, max_size=12), st.integers(0, 3))
def test_cells_skip_the_strip_only_when_it_changes_nothing(cells, start):
    """The reader's shortcut (no copy when no cell may start or end with whitespace)
    gives what Arrow's trim gives, on whole arrays and on slices of them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from symbiosis.io.parsing import stripped

    column = pa.array(cells, type=pa.string())[min(start, len(cells)) :]
    assert stripped(column).to_pylist() == pc.utf8_trim_whitespace(column).to_pylist()


_CSV_BYTES = st.lists(
    st.sampled_from(
        [b"a", b"b", b",", b"\n", b" ", b'"', b"\xc3\xa9", b"\xe6\xb0\xb4", b"\xff", b"\xc3"]
    ),
    max_size=40,
).map(lambda parts: b"x,y\n" + b"".join(parts))


@settings(max_examples=400, deadline=None)
@given(_CSV_BYTES)
def test_ascii_files_skip_the_utf8_check_only_when_it_changes_nothing(data):
    """The reader leaves pyarrow's UTF-8 check out for ASCII bytes: the same table (or the
    same refusal, for bytes that are not UTF-8) as with the check."""
    from symbiosis.io.parsing import read_with_arrow

    fast, checked = read_with_arrow(data, ","), read_with_arrow(data, ",", check_utf8=True)
    assert (fast is None) == (checked is None)
    if fast is not None:
        assert fast.equals(checked)
