"""The ``substitutable`` column of flows.csv (symbiosis.io.substitutable): the words
accepted, every other cell reported at its file, row and column with the other problems,
and the marks kept in the model table through frames, dicts and edits."""

import pandas as pd
import pytest

import symbiosis
from symbiosis.errors import InputError
from symbiosis.io import load

HEADER = "source,target,material,quantity,unit,category,substitutable\n"


def write(tmp_path, rows: str, header: str = HEADER):
    path = tmp_path / "flows.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_yes_no_and_empty_are_read_as_nullable_booleans(tmp_path):
    path = write(
        tmp_path,
        "A,B,a,1,t,product,yes\n"
        "A,B,b,1,t,product, No \n"
        "A,B,c,1,t,product,TRUE\n"
        "A,B,d,1,t,product,false\n"
        "A,B,e,1,t,product,\n"
        "A,B,f,1,t,product,1\n"
        "A,B,g,1,t,product,0\n"
        "A,B,h,1,t,product,是\n"
        "A,B,i,1,t,product,否\n",
    )
    flags = load(path).flows["substitutable"]
    assert str(flags.dtype) == "boolean"
    assert flags.tolist() == [True, False, True, False, pd.NA, True, False, True, False]
    # a file without the column has none
    header = "source,target,material,quantity,unit,category\n"
    assert "substitutable" not in load(write(tmp_path, "A,B,a,1,t,product\n", header)).flows


def test_other_words_are_refused_at_their_rows_with_the_other_problems(tmp_path):
    path = write(
        tmp_path,
        "A,B,a,1,t,product,maybe\n"  # row 2
        "A,B,b,x,t,product,yes\n"  # row 3: a bad quantity, said with the rest
        "A,B,c,1,t,product,#N/A\n",  # row 4
    )
    with pytest.raises(InputError) as caught:
        load(path)
    found = [(p.file, p.row, p.column, p.message) for p in caught.value.problems]
    assert (str(path), 2, "substitutable", "'maybe' is not yes or no") in found
    assert (str(path), 4, "substitutable", "'#N/A' is not yes or no") in found
    assert any(row == 3 and column == "quantity" for _, row, column, _ in found)
    hint = next(p.hint for p in caught.value.problems if p.column == "substitutable")
    assert hint.startswith("write yes (its receiver makes up for its loss")


def test_frames_dicts_and_the_models_own_table_keep_the_marks(tmp_path):
    firms = pd.DataFrame({"id": ["A", "B"], "role": ["firm", "firm"]})
    flows = pd.DataFrame(
        {
            "source": ["A", "A", "A"],
            "target": ["B", "B", "B"],
            "material": ["a", "b", "c"],
            "quantity": [1, 2, 3],
            "unit": "t",
            "category": "product",
            "substitutable": [True, False, None],
        }
    )
    network = symbiosis.from_frames(firms, flows)
    expected = [True, False, pd.NA]
    assert network.flows["substitutable"].tolist() == expected
    assert "user_substitutable" not in network.flows
    again = symbiosis.from_frames(network.firms, network.flows)
    assert again.flows["substitutable"].tolist() == expected
    back = symbiosis.FlowNetwork.from_dict(network.to_dict())
    assert back.flows["substitutable"].tolist() == expected
    # a frame of words, as a spreadsheet gives them
    words = symbiosis.from_frames(firms, flows.assign(substitutable=["Yes", "no", ""]))
    assert words.flows["substitutable"].tolist() == expected
