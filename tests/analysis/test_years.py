"""select_year: one year of a network of several, as the commands analyse it (tester
cities2, defect 5: a three-year network's sums were labelled per year)."""

from pathlib import Path

import pandas as pd
import pytest

import symbiosis
from symbiosis import InputError, select_year
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.analysis.trends import split_years
from symbiosis.io.flows import YEARS_ADDED_UP

YEARS = Path(__file__).parents[2] / "examples" / "years"


@pytest.fixture(scope="module")
def park():
    return symbiosis.load(YEARS, warn=False)


def disposed(network) -> float:
    return float(reuse_accounts(network).network.set_index("dimension").loc["mass", "disposed"])


def test_the_latest_year_by_default_with_its_sums_not_those_of_every_year(park):
    latest = select_year(park)
    assert set(latest.flows["year"]) == {2021}
    assert latest.n_flows == (park.flows["year"] == 2021).sum()
    assert disposed(latest) == disposed(split_years(park).networks[2021])
    assert disposed(latest) < disposed(park)  # the whole network adds the three years up
    assert latest.firms.equals(park.firms)


def test_the_note_says_which_year_instead_of_that_the_years_are_added_up(park):
    assert any(YEARS_ADDED_UP in w for w in park.warnings)
    latest, chosen = select_year(park, "latest"), select_year(park, 2020)
    assert not any(YEARS_ADDED_UP in w for w in (*latest.warnings, *chosen.warnings))
    assert "the figures are for 2021, the latest year" in latest.warnings[-1]
    assert "(2019, 2020, 2021)" in latest.warnings[-1]
    assert "the figures are for 2020 and" in chosen.warnings[-1]
    assert "select_year(network, 'all')" in chosen.warnings[-1]
    assert select_year(park, 2020, how="--year all").warnings[-1].endswith("; --year all")


def test_a_year_given_as_text_or_numpy_and_all_years_added_up(park):
    assert select_year(park, " 2019 ").n_flows == (park.flows["year"] == 2019).sum()
    assert select_year(park, park.flows["year"].astype("int64").to_numpy()[0]).n_flows > 0
    assert select_year(park, "all") is park and select_year(park, "ALL") is park


@pytest.mark.parametrize(
    ("year", "said"),
    [
        (2018, "year must be a year of the flows (2019, 2020, 2021), 'latest' or 'all'; got 2018"),
        ("last", "year must be a year like 2019, 'latest' or 'all'; got 'last'"),
        (2020.5, "year must be a year like 2019, 'latest' or 'all'; got 2020.5"),
        (True, "year must be a year like 2019, 'latest' or 'all'; got True"),
    ],
)
def test_a_year_the_flows_do_not_have_is_refused_with_the_years_there_are(park, year, said):
    with pytest.raises(InputError) as caught:
        select_year(park, year)
    assert [p.message for p in caught.value.problems] == [said]


def test_flows_without_a_year_are_kept_in_the_year_taken_as_the_trends_count_them(park):
    flows = park.flows.drop(columns=["value", "dimension", "material_key"], errors="ignore")
    flows["year"] = flows["year"].astype("Int64").astype(object)
    flows.loc[flows.index[0], "year"] = None  # a standing exchange, recorded once
    undated = symbiosis.load(park.firms.reset_index(), flows, warn=False)
    latest = select_year(undated)
    assert latest.n_flows == split_years(undated).networks[2021].n_flows
    assert latest.n_flows == (flows["year"] == 2021).sum() + 1
    assert "1 flows have no year: they are counted in 2021, as in every year" in latest.warnings[-1]


def test_a_network_of_one_year_or_none_is_analysed_as_it_is(park):
    one = select_year(park, 2019)
    assert select_year(one) is one and select_year(one, 2019) is one
    tongling = symbiosis.load(Path(__file__).parents[2] / "examples" / "tongling", warn=False)
    assert "year" not in tongling.flows.columns or tongling.flows["year"].isna().all()
    assert select_year(tongling) is tongling and select_year(tongling, "all") is tongling
    with pytest.raises(InputError, match="year must be 'latest' or 'all': the flows have no year"):
        select_year(tongling, 2020)


def test_no_year_column_is_one_period():
    columns = ("source", "target", "material", "quantity", "unit", "category")
    flows = pd.DataFrame([("A", "B", "slag", 1.0, "t", "waste")], columns=columns)
    firms = pd.DataFrame([("A", "A", "x", "firm"), ("B", "B", "y", "firm")],
                         columns=["id", "name", "sector", "role"])  # fmt: skip
    network = symbiosis.load(firms, flows, warn=False)
    assert select_year(network) is network
