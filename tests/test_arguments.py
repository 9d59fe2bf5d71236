"""The option checks of the public functions (symbiosis.arguments): wrong types and
values named with what they should be, every problem of a call at once."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiosis.arguments import Arguments, is_number, is_whole
from symbiosis.errors import InputError


def problems(check) -> list[str]:
    arguments = Arguments()
    check(arguments)
    return arguments.problems


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(0)])
def test_whole_numbers_of_any_integer_type(value):
    arguments = Arguments()
    assert arguments.whole("n", value) == int(value) and type(arguments.whole("n", value)) is int
    assert arguments.problems == []


@pytest.mark.parametrize("value", ["6", 2.5, 3.0, None, True, np.bool_(True), [1], math.nan])
def test_not_whole_numbers(value):
    (message,) = problems(lambda a: a.whole("max_length", value, minimum=1))
    assert message.startswith("max_length must be a whole number >= 1")
    assert message.endswith(f"(got {value!r})")


def test_whole_bounds_and_none():
    assert problems(lambda a: a.whole("top", -1)) == ["top must be a whole number >= 0 (got -1)"]
    assert problems(lambda a: a.whole("k", 11, minimum=1, maximum=10)) == [
        "k must be a whole number >= 1 and <= 10 (got 11)"
    ]
    assert problems(lambda a: a.whole("k", None, none=True)) == []
    assert problems(lambda a: a.whole("k", "x", none=True)) == [
        "k must be a whole number >= 0 or None (got 'x')"
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0.5, True), (1, True), (np.float32(2), True), (0, False), (-1, False), (math.nan, False),
     (math.inf, False), ("6", False), (True, False), (None, False)],
)  # fmt: skip
def test_numbers_above_a_bound(value, ok):
    found = problems(lambda a: a.number("budget", value, above=0))
    assert (found == []) is ok
    if not ok:
        assert found == [f"budget must be a finite number > 0 (got {value!r})"]


def test_infinity_only_when_allowed():
    assert problems(lambda a: a.number("t", math.inf, above=0, infinite=True)) == []
    assert problems(lambda a: a.number("t", -math.inf, above=0, infinite=True)) == [
        "t must be a number > 0 (got -inf)"
    ]


def test_choices_and_names():
    assert problems(lambda a: a.choice("dimension", "mass", ("mass", "energy"))) == []
    assert problems(lambda a: a.choice("dimension", "bogus", ("mass", "energy"))) == [
        "unknown dimension 'bogus'; choose from mass, energy"
    ]
    assert problems(lambda a: a.choice("dimension", 0, ("mass",))) == [
        "unknown dimension 0, not text; choose from mass"
    ]
    arguments = Arguments()
    assert arguments.names("kinds", "expand", ("expand", "redirect")) == ("expand",)
    assert arguments.names("kinds", ["redirect"], ("expand", "redirect")) == ("redirect",)
    assert arguments.names("kinds", None) is None and arguments.problems == []
    assert problems(lambda a: a.names("kinds", 5)) == ["kinds must be a list of names (got 5)"]
    assert problems(lambda a: a.names("kinds", ["a", 1])) == [
        "kinds must be a list of names (got 1 in it)"
    ]
    assert problems(lambda a: a.names("kinds", ["x"], ("expand",))) == [
        "unknown kinds 'x'; choose from expand"
    ]


def test_every_problem_in_one_error():
    arguments = Arguments()
    arguments.whole("max_length", "6", minimum=1)
    arguments.number("time_budget", None, above=0)
    arguments.function("progress", 5)
    arguments.flag("parallel", "no")
    with pytest.raises(InputError) as raised:
        arguments.check()
    text = str(raised.value)
    for name in ("max_length", "time_budget", "progress", "parallel"):
        assert name in text


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.text(max_size=3)))
def test_kinds_agree_with_the_checks(value):
    """is_whole / is_number never accept a bool or text; a whole number is a number."""
    if isinstance(value, bool | str):
        assert not is_whole(value) and not is_number(value)
    if is_whole(value):
        assert is_number(value)
    checked = Arguments().number("x", value, infinite=True)
    assert (checked is not None) == (is_number(value) and not math.isnan(value))


def test_numpy_bools_are_flags_and_not_numbers():
    arguments = Arguments()
    assert arguments.flag("parallel", np.True_) is True and arguments.problems == []
    assert not is_number(np.True_) and not is_whole(np.False_)
