"""The tester's registers (tests/data/registers/tester): transfer stations, names, ids."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from symbiosis.cli.register import _recovery
from symbiosis.errors import InputError
from symbiosis.registers import Mapping, import_registers

DATA = Path(__file__).parents[1] / "data" / "registers" / "tester"


def imported(name: str, tmp_path: Path):
    return import_registers([DATA / name], tmp_path / "net")


def test_a_transfer_station_is_counted_once_in_the_recovery_rate(tmp_path):
    result = imported("repro_transfer.csv", tmp_path)
    table = _recovery(result).table
    total = table[table["chapter"] == "all"].iloc[0]
    assert (total["recovered"], total["disposed"], total["preliminary"]) == (100, 100, 100)
    assert total["recovery_rate"] == pytest.approx(0.5)  # was 200 / 300
    said = [w for w in result.warnings if "interim operations" in w]
    assert len(said) == 1 and "100 t went" in said[0] and "send 100 t on" in said[0]


def test_the_most_frequent_name_is_kept_and_the_others_are_listed(tmp_path):
    result = imported("repro_name.csv", tmp_path)
    firms = pd.read_csv(tmp_path / "net" / "firms.csv").set_index("id")
    assert firms.loc["L1", "name"] == "Deponie Hügel"  # not the greatest spelling
    said = [w for w in result.warnings if "several names" in w]
    assert "L1: 'Deponie Hügel' (20 rows), 'Schrott Recycling GmbH' (1 row)" in said[0]


def test_names_tied_keep_the_first_seen(tmp_path):
    register = tmp_path / "tie.csv"
    register.write_text(
        "date,sender,receiver,receiver_name,waste_code,operation,quantity,unit\n"
        "2022-01-01,F1,L1,Mueller,17 05 04,D1,1,t\n"
        "2022-01-02,F1,L1,Müller,17 05 04,D1,1,t\n"
    )
    import_registers([register], tmp_path / "net")
    firms = pd.read_csv(tmp_path / "net" / "firms.csv").set_index("id")
    assert firms.loc["L1", "name"] == "Mueller"  # the greatest was Müller


def test_a_shipment_to_oneself_warns_and_keeps_the_senders_role(tmp_path):
    result = imported("repro_self.csv", tmp_path)
    firms = pd.read_csv(tmp_path / "net" / "firms.csv").set_index("id")
    assert firms.loc["STEEL", "role"] == "firm"  # was recycling
    said = [w for w in result.warnings if "same sender and receiver" in w]
    assert "STEEL (1 row(s), 1 t)" in said[0]


def test_ids_that_differ_in_case_or_spacing_are_listed(tmp_path):
    result = imported("repro_case.csv", tmp_path)
    said = [w for w in result.warnings if "differ only in case or spacing" in w]
    assert "'DE F002', 'DE-F002', 'de-f002'" in said[0]
    assert len(result.firms) == 4  # kept apart, as written


def test_t_is_the_tonne_and_kg_is_read_in_any_case(tmp_path):
    result = import_registers(
        [DATA / "repro_T.csv", DATA / "repro_KG.csv"], None
    )  # both were refused: 'T' with a short_ton hint, 'KG' on every row
    assert result.shipments > 0
    flows = result.flows
    assert flows["quantity"].sum() == pytest.approx(
        _tonnes(DATA / "repro_T.csv") + _tonnes(DATA / "repro_KG.csv")
    )


def _tonnes(path: Path) -> float:
    rows = pd.read_csv(path)
    factor = (
        rows["unit"]
        .str.lower()
        .map({"t": 1.0, "tonnes": 1.0, "kg": 0.001, "kgm": 0.001, "kilograms": 0.001})
    )
    return float((rows["quantity"] * factor).sum())


def test_litres_are_a_volume_outside_the_e_manifest(tmp_path):
    with pytest.raises(InputError) as caught:
        import_registers([DATA / "repro_L.csv"], None)
    message = str(caught.value.problems[0])
    assert "'L' is a unit of volume" in message and "e-Manifest" not in message


def test_the_e_manifest_keeps_its_letters(tmp_path):
    register = tmp_path / "em.csv"
    register.write_text(
        "date,sender,receiver,waste_code,operation,quantity,UNIT_OF_MEASURE\n"
        "2022-01-01,F1,R1,17 04 05,R4,1,T\n"
    )
    with pytest.raises(InputError, match="e-Manifest's code for short tons"):
        import_registers([register], None, mapping=Mapping(columns={"unit": "UNIT_OF_MEASURE"}))


def test_a_chapter_that_does_not_exist_is_refused():
    with pytest.raises(InputError) as caught:
        import_registers([DATA / "repro_ch99.csv"], None)
    assert "its chapter 99 is none of the list's chapters, 01 to 20" in str(caught.value)


def test_a_starred_non_hazardous_entry_is_not_starred_and_names_its_mirror(tmp_path):
    result = imported("repro_star.csv", tmp_path)
    assert list(result.flows["waste_code"]) == ["17 05 04"]  # was 17 05 04* for both rows
    said = [w for w in result.warnings if "non-hazardous entry" in w]
    assert "in 1 row(s); did you mean 17 05 03*?" in said[0]


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("80111*", "did you mean 08 01 11*?"),
        ("F006", "US RCRA hazardous waste code"),
        ("D008|F006", "US RCRA hazardous waste code"),
    ],
)
def test_codes_from_excel_and_rcra_are_explained(code, said):
    from symbiosis.registers.fields import code_problem

    message, hint = code_problem(code)
    assert said in message + hint
