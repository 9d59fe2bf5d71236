"""The rules that match a stream to a receiver, by strength, and the maturity a match is
shown with: split from :mod:`.result`, which re-exports them."""

from __future__ import annotations

__all__ = ["CAPPED_RULES", "MATURITY_TIER", "NETWORK_RULES", "SOURCE_RULE", "WEAK_RULES",
           "match_maturity"]  # fmt: skip

#: The ranking's tier of a catalogue row's maturity (an unknown one as demonstrated).
MATURITY_TIER = {"established": 0, "demonstrated": 1, "": 1, "emerging": 2}

#: The rules of the network's own evidence (:mod:`.evidence`), in the order it tries them.
NETWORK_RULES: tuple[str, ...] = (
    "network: takes this material",
    "network: takes this material (taxonomy)",
    "network: takes a related material",
    "network: peer of a taker",
)
#: Rules matching a stream to a receiver only through what is related to it: a row of another
#: member of the stream's taxonomy family (``taxonomy (family)``, also through its source's
#: sector: :mod:`.origins`), the network's evidence of a taker of the material under another
#: name, of a related material, or a peer of a taker; never ``established`` (match_maturity).
WEAK_RULES: tuple[str, ...] = ("taxonomy (family)", "taxonomy (source sector, family)",
                               *NETWORK_RULES[1:])  # fmt: skip
#: The network's evidence of a taker of pure CO2 for a stream only partly pure (a
#: refinery's: :mod:`.purity`): shown ``demonstrated`` at most and ranked by that maturity,
#: as a catalogue row of it is, not after the direct matches as :data:`WEAK_RULES` are.
CAPPED_RULES: tuple[str, ...] = ("network: takes a purer grade",)
#: The rule of a catalogue row that a stream meets by its source's process, not its name
#: (:mod:`.purity`: an ammonia plant's plain "carbon dioxide" on the high-purity CO2 rows).
SOURCE_RULE = "source process"


def match_maturity(row_maturity: str | None, rule: str) -> str:
    """The maturity shown for a match by ``rule`` to a catalogue row of ``row_maturity``
    (``None``: no row, the network's evidence or a same-material redirect, which are
    ``established``): at most ``demonstrated`` by one of :data:`WEAK_RULES`, since what
    the row or the taker documents is another material (a related one, or one the
    stream's name only resolves to), or of :data:`CAPPED_RULES` (another grade of it)."""
    maturity = "established" if row_maturity is None else row_maturity
    if (rule in WEAK_RULES or rule in CAPPED_RULES) and MATURITY_TIER.get(maturity, 1) < 1:
        return "demonstrated"
    return maturity
