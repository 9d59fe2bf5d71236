"""The helpers of symbiosis/jsonable.py shared by the results' to_dict and the JSON
writer."""

from __future__ import annotations

import gc

import pytest

from symbiosis.jsonable import gc_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_state_it_found(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), gc_paused():
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_gc_paused_nests():
    """A page built inside a paused section (the HTML exports pause while they build)
    leaves the collector paused until the outer section ends."""
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
