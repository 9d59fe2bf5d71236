"""Coordinates in degrees, minutes and seconds (symbiosis.io.degrees): read as decimal
degrees by hand-computed values, refused where they are no coordinate of their axis."""

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiosis import load
from symbiosis.errors import InputError
from symbiosis.io.degrees import decimal_degrees


@pytest.mark.parametrize(
    ("cell", "axis", "degrees"),
    [
        ("30°55′12″N", "lat", 30.92),  # 30 + 55/60 + 12/3600
        ("30° 55' 12\" N", "lat", 30.92),  # ASCII marks, spaced
        ("30°55′12″n", "lat", 30.92),
        ("30°55′S", "lat", -(30 + 55 / 60)),
        ("北纬30°55′", "lat", 30 + 55 / 60),
        ("南纬30°30′", "lat", -30.5),
        ("-30.5°", "lat", -30.5),
        ("117°49'E", "lon", 117 + 49 / 60),
        ("东经117°49′30″", "lon", 117.825),
        ("117°49′W", "lon", -(117 + 49 / 60)),
        ("西经0°30′", "lon", -0.5),
        # traditional characters (Taiwan: Taipei at 北緯25°02′, 東經121°33′)
        ("北緯25°02′", "lat", 25 + 2 / 60),
        ("南緯30°30′", "lat", -30.5),
        ("東經121°33′", "lon", 121.55),
        ("西經0°30′", "lon", -0.5),
    ],
)
def test_degrees_minutes_seconds_are_decimal_degrees(cell, axis, degrees):
    rewritten = decimal_degrees(pa.array([cell, "1.5"]), axis).to_pylist()
    assert float(rewritten[0]) == pytest.approx(degrees, rel=1e-12)
    assert rewritten[1] == "1.5"  # decimal cells as written


@pytest.mark.parametrize(
    ("cell", "axis"),
    [("30°75′N", "lat"), ("30°55′70″N", "lat"), ("117°49′E", "lat"), ("30°55′N", "lon"),
     ("北纬30°55′N", "lat"), ("about 30°", "lat")],
)  # fmt: skip
def test_what_is_no_coordinate_of_its_axis_stays_as_written(cell, axis):
    assert decimal_degrees(pa.array([cell]), axis).to_pylist() == [cell]


def test_a_column_without_degrees_is_left_alone():
    assert decimal_degrees(pa.array(["30.9", "", None]), "lat") is None


@given(st.integers(0, 89), st.integers(0, 59), st.integers(0, 59), st.sampled_from(["N", "S"]))
def test_any_latitude_in_degrees_minutes_seconds(degrees, minutes, seconds, hemisphere):
    cell = f"{degrees}°{minutes}′{seconds}″{hemisphere}"
    value = float(decimal_degrees(pa.array([cell]), "lat").to_pylist()[0])
    expected = (degrees + minutes / 60 + seconds / 3600) * (1 if hemisphere == "N" else -1)
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-12)


def _folder(tmp_path, lat, lon):
    firms = pd.DataFrame({"id": ["A", "B", "L"], "role": ["firm", "firm", "disposal"],
                          "lat": [lat, "30.9", ""], "lon": [lon, "117.8", ""]})  # fmt: skip
    flows = pd.DataFrame({"source": ["A", "A"], "target": ["B", "L"], "material": ["slag"] * 2,
                          "quantity": ["5", "1"], "unit": ["kt"] * 2,
                          "category": ["by-product", "waste"]})  # fmt: skip
    firms.to_csv(tmp_path / "firms.csv", index=False)
    flows.to_csv(tmp_path / "flows.csv", index=False)
    return tmp_path


def test_a_firms_file_in_degrees_and_minutes_loads(tmp_path):
    """Measured: "'30°55′N' is not a coordinate; give decimal degrees"."""
    network = load(_folder(tmp_path, "北纬30°55′", "117°49′E"))
    located = network.firms
    assert located.loc["A", "lat"] == pytest.approx(30 + 55 / 60)
    assert located.loc["A", "lon"] == pytest.approx(117 + 49 / 60)


def test_a_bad_degree_cell_is_refused_as_written(tmp_path):
    with pytest.raises(InputError) as caught:
        load(_folder(tmp_path, "30°75′N", "117°49′E"))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "lat")
    assert "'30°75′N' is not a coordinate" in problem.message
    assert "minutes below 60" in problem.hint
