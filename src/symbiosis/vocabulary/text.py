"""Text helpers of the vocabulary: whitespace and case as the lookups ignore them, and the
closest known ids to a misspelt one."""

from __future__ import annotations

import difflib


def _collapsed(text: str) -> str:
    """Runs of whitespace as one space, none at the ends: ``re.sub(r"\\s+", " ",
    text).strip()`` without a regular expression (``\\s`` and ``str.split`` agree on
    every code point; tests/test_vocabulary.py)."""
    return " ".join(text.split())


def _spaced(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def close_ids(value: str, known: list[str], n: int = 1) -> list[str]:
    """The ``n`` ids of ``known`` closest to ``value`` as a typo would leave them:
    difflib's ratio at least 0.75, or at least 0.6 with the same first character or the
    same letters (case ignored): "CEN" or "ECM" for "CEM", never "ANODE" for "NOPE"
    (0.67, a far match that a hint would only mislead with). O(len(known)) comparisons."""
    first = value[:1].lower()
    close = difflib.get_close_matches(value, known, n=max(n, 10), cutoff=0.6)
    letters = sorted(value.lower())
    near = [c for c in close if c[:1].lower() == first or sorted(c.lower()) == letters
            or difflib.SequenceMatcher(None, value, c).ratio() >= 0.75]  # fmt: skip
    return near[:n]
