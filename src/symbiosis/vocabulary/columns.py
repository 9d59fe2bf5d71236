"""The yes-or-no columns of the flow and firm tables: ``substitutable`` and ``hazardous``."""

from __future__ import annotations

#: The optional flow column that marks an input substitutable: its receiver makes up for
#: its loss from outside the recorded flows, so it never limits the receiver's output in a
#: supply shock (docs/scenarios.md); empty is the shock model's default rule.
SUBSTITUTABLE = "substitutable"
#: The words of that column (case and spacing ignored): yes first, then no.
SUBSTITUTABLE_WORDS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("yes", "y", "true", "1", "是"),
    ("no", "n", "false", "0", "否"),
)

#: The optional column of flows.csv and firms.csv that marks hazardous waste: a flow that
#: is hazardous waste (its category ``hazardous waste`` sets it), a node that takes only
#: hazardous waste (its role ``hazardous waste landfill`` sets it). Read by the
#: opportunities' hazard rules (docs/opportunities.md); yes, no or empty.
HAZARDOUS = "hazardous"


def yes_no(text: str) -> bool | None:
    """A cell of a yes-or-no column (``substitutable``, ``hazardous``): True (yes), False
    (no), None (empty); a ValueError for any other word. O(len(text)).

    >>> yes_no(" Yes "), yes_no("FALSE"), yes_no("")
    (True, False, None)
    """
    word = str(text).strip().casefold()
    if not word:
        return None
    for value, words in zip((True, False), SUBSTITUTABLE_WORDS, strict=True):
        if word in words:
            return value
    raise ValueError(f"{text!r} is not yes or no")
