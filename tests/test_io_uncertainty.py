"""The uncertainty columns of flows.csv (symbiosis.io.uncertainty): every rule reported at
its file, row and column, all at once, and the accepted values kept in the model table."""

import numpy as np
import pytest

from symbiosis.errors import InputError
from symbiosis.io import load

HEADER = (
    "source,target,material,quantity,unit,category,quantity_low,quantity_high,uncertainty,quality\n"
)


def write(tmp_path, rows: str, header: str = HEADER):
    path = tmp_path / "flows.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def located(path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        load(path)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_valid_columns_are_kept_as_numbers(tmp_path):
    path = write(
        tmp_path,
        "A,B,slag,10,kt,by-product,8,12,,\n"
        "A,C,slag,5,t,waste,,,0.2,\n"
        "B,C,dust,3,t,waste,,,,3\n"
        "B,C,ash,3,t,waste,,,,\n",
    )
    flows = load(path).flows
    assert flows["quantity_low"].tolist()[:1] == [8.0]
    assert flows["quantity_high"].tolist()[:1] == [12.0]
    assert flows["uncertainty"].tolist()[1] == 0.2
    assert flows["quality"].tolist()[2] == 3
    assert np.isnan(flows["uncertainty"].iloc[3])


def test_every_problem_is_located_at_once(tmp_path):
    path = write(
        tmp_path,
        "A,B,a,3,t,waste,4,5,,\n"  # row 2: low above the quantity
        "A,B,b,3,t,waste,1,2,,\n"  # row 3: high below
        "A,B,c,3,t,waste,1,,,\n"  # row 4: one bound only
        "A,B,d,3,t,waste,,,-1,\n"  # row 5: negative
        "A,B,e,3,t,waste,,,,2.5\n"  # row 6: not whole
        "A,B,f,3,t,waste,,,,6\n"  # row 7: out of 1-5
        "A,B,g,3,t,waste,,,0.1,2\n"  # row 8: two kinds of spread
        "A,B,h,,t,waste,,,0.1,\n"  # row 9: a spread without a quantity
        "A,B,i,3,t,waste,abc,4,,\n"  # row 10: not a number
        "A,B,j,3,t,waste,,,10%,\n",  # row 11: not a number
    )
    found = {(row, column): message for row, column, message in located(path)}
    assert found[(2, "quantity_low")] == "'4' is above the quantity"
    assert found[(3, "quantity_high")] == "'2' is below the quantity"
    assert found[(4, "quantity_low")] == "quantity_low is given without quantity_high"
    assert found[(5, "uncertainty")] == "-1 is negative"
    assert found[(6, "quality")] == "'2.5' is not a quality score from 1 to 5"
    assert found[(7, "quality")] == "'6' is not a quality score from 1 to 5"
    assert found[(8, "quality")] == "the row gives more than one kind of spread"
    assert found[(9, "uncertainty")] == "a spread is given but the quantity is empty"
    assert found[(10, "quantity_low")] == "'abc' is not a quantity"
    assert found[(11, "uncertainty")] == "'10%' is not a relative standard deviation"
    assert len(found) == 10


def test_a_file_without_the_columns_is_unchanged(tmp_path):
    path = write(tmp_path, "A,B,slag,10,t,waste\n", header=HEADER.split(",quantity_low")[0] + "\n")
    assert not {"quantity_low", "uncertainty", "quality"} & set(load(path).flows.columns)


def test_a_partial_set_of_columns_is_checked(tmp_path):
    header = "source,target,material,quantity,unit,category,quantity_high\n"
    path = write(tmp_path, "A,B,slag,10,t,waste,12\n", header=header)
    assert located(path) == [
        (
            2,
            "quantity_high",
            "quantity_high is given without quantity_low",
        )
    ]


def test_decimal_commas_in_a_semicolon_file(tmp_path):
    header = HEADER.replace(",", ";")
    path = write(tmp_path, "A;B;slag;10,5;t;waste;9,5;11,5;;\n", header=header)
    flows = load(path).flows
    assert flows["quantity_low"].iloc[0] == 9.5 and flows["quantity_high"].iloc[0] == 11.5


def test_spreads_past_what_a_flow_can_be_are_refused(tmp_path):
    """Found by fuzzing: a relative standard deviation of 1e100 or more passed, and the
    reconciliation squared it into numpy overflow warnings and an internal error (1e300)
    or a chi-square of "-" (1e160); a bound of 1e31 t passed the 1e30 limit."""
    path = write(
        tmp_path,
        "A,B,a,3,t,waste,,,1e300,\n"  # row 2
        "A,B,b,3,t,waste,,,1000.5,\n"  # row 3: just above the bound
        "A,B,c,3,t,waste,,,1000,\n"  # row 4: the bound itself: kept
        "A,B,d,3,kt,waste,1,1e28,,\n"  # row 5: 1e31 t once in tonnes
        "A,B,e,3,kg,waste,1,1e31,,\n",  # row 6: 1e28 t: kept
    )
    found = {(row, column): message for row, column, message in located(path)}
    assert set(found) == {(2, "uncertainty"), (3, "uncertainty"), (5, "quantity_high")}
    assert found[(2, "uncertainty")].startswith("'1e300' is above 1,000 (a standard deviation")
    assert "more than any real flow once converted (1e30 t" in found[(5, "quantity_high")]


def test_the_largest_spreads_accepted_reconcile_without_warnings(tmp_path):
    """At the bounds (a relative standard deviation of 1,000 on a flow of 1e29 t), the
    reconciliation computes without a numpy warning."""
    import warnings

    from symbiosis.analysis.reconcile import reconcile

    write(
        tmp_path,
        "IN,A,ore,1e29,t,product,,,1000,\n"
        "A,OUT,metal,5e28,t,product,,,1000,\n"
        "A,OUT2,slag,4e28,t,waste,1,1e30,,\n",
    )
    firms = tmp_path / "firms.csv"
    firms.write_text(
        "id,name,role\nIN,in,extraction\nA,a,firm\nOUT,out,market\nOUT2,out2,landfill\n",
        encoding="utf-8",
    )
    network = load(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = reconcile(network)
    (test,) = result.to_dict()["tests"]
    assert np.isfinite(test["statistic"]) and test["gross_error"] is False
