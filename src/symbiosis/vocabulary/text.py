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


def _edits(a: str, b: str) -> int:
    """The edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of two
    neighbours (optimal string alignment). O(len(a) * len(b))."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        now = [i]
        for j, y in enumerate(b, 1):
            cost = min(row[j] + 1, now[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            now.append(cost)
        before, row = row, now
    return row[-1]


# Characters a pinyin input method types for another of the same sound (付 fù for 副 fù,
# 费 fèi for 废 fèi): among as close words, the one such a slip gives is the guess
_HOMOPHONE_SLIPS = str.maketrans({"付": "副", "费": "废", "级": "圾", "帐": "账", "原": "源"})


def close_words(value: str, words: list[str], n: int = 1) -> list[str]:
    """The ``n`` words of ``words`` (lower case) that a typo of ``value`` would be, the
    fewest edits first: one edit (a letter added, dropped, changed, or two swapped) for a
    word of 4 to 6 letters (2 to 6 characters in Chinese), two up to 12, three beyond, none
    for a shorter word; among as many edits, a pinyin homophone's slip first (``付`` for
    ``副``), then, in an East Asian script, a word of the same length. The words
    are a vocabulary's, many languages' (``stadtwerke`` is no guess for ``Stahlwerk``, nor
    ``cantera`` for ``castle``, ``gewässer`` for ``Wasser``), so stricter than
    :func:`close_ids`. O(len(words)) comparisons.

    >>> close_words("Extration", ["extraction", "recycling"]), close_words("castle", ["cantera"])
    (['extraction'], [])
    """
    text = " ".join(value.lower().split())
    short = 3 if text.isascii() else 1  # a Chinese word of two characters is a word
    allowed = 0 if len(text) <= short else 1 if len(text) <= 6 else 2 if len(text) <= 12 else 3
    close = difflib.get_close_matches(text, words, n=max(n, 10), cutoff=0.6)
    edits = {word: _edits(text, word) for word in close}
    # among as many edits, a homophone's slip first (付产品 -> 副产品, by-product, not 产品
    # nor 主产品, product), then, in Chinese, Japanese or Korean, a word of the same
    # length: a character is a morpheme, changed in place by an input method, where one
    # dropped is another word; a Latin key doubled ("wastee") is as likely as one changed
    slip = text.translate(_HOMOPHONE_SLIPS)
    cjk = not text.isascii()
    near = (w for w in close if edits[w] <= allowed)
    key = lambda w: (edits[w], w != slip, cjk and abs(len(w) - len(text)))  # noqa: E731
    return sorted(near, key=key)[:n]
