"""Steam in tonnes: an energy carrier that plants meter by mass.

Korean, Japanese and Chinese plants give their steam in t or t/h (吨蒸汽), European ones in
GJ; a tonne of steam holds about 2.7 GJ saturated, up to 3.5 superheated, which the table
does not say. The catalogue writes its steam rows in ``energy`` (``steam-process``, a
refinery's steam; ``steam-chemicals``: 1.1 GJ of boiler fuel saved per GJ), and a row of a
``dimension`` matches only streams of it: steam in tonnes met none of them, and went to
whatever row its name met without a dimension (Ulsan's 50 t/h of SK Chemicals' surplus steam
to a chemical plant as condensate, never to the refinery it has gone to over the steam
highway since 2013: tester-parks10 defect 2).

A stream of a material of :data:`MASS_METERED` (by its taxonomy material) in mass meets the
``energy`` rows its name matches (:func:`admits`): it is steam. What such a row says in its
own units is not said of tonnes (:func:`crossed`): its substitution ratio (GJ of fuel per GJ
of steam) is applied to no substitute bought in the stream's dimension but one of the
stream's own taxonomy material (tonnes of steam for tonnes of steam: :func:`comparable`),
never to fuel oil bought in tonnes (by its heat a tonne of steam is 0.07 t of fuel oil, not
1.1 t), in a redirect or in the bound of the receiver's purchases (:mod:`.redirects`,
:mod:`.capacity`); its CO2 factor, per GJ, to none (:mod:`.economics`). Its typical intake is
read in its own dimension only already (:func:`.intake.typical_fits`).

Complexity: one look at each distinct material key's taxonomy match (cached on the core),
then O(p) for p (stream, row) pairs, and the taxonomy codes gathered only for the few
pairs whose dimensions differ.
"""

from __future__ import annotations

import numpy as np

from ...units import DIMENSIONS
from .materials import taxonomy_classes, taxonomy_of
from .receivers import Context

__all__ = ["MASS_METERED", "admits", "comparable", "crossed", "mass_metered", "metered"]

#: Taxonomy materials of energy that plants also meter by mass (module docstring).
MASS_METERED = frozenset({"steam"})
_MASS, _ENERGY = DIMENSIONS.index("mass"), DIMENSIONS.index("energy")


def mass_metered(ctx: Context) -> np.ndarray:
    """Per material key code of the core, whether its taxonomy material is one of
    :data:`MASS_METERED` (by any rule of :meth:`~symbiosis.taxonomy.Taxonomy.resolve`:
    "medium pressure steam" is steam by its head noun). Cached on the core, per
    taxonomy. O(k) for k keys."""
    taxonomy = taxonomy_of(ctx)

    def build() -> np.ndarray:
        matches = taxonomy_classes(ctx)[4]
        return np.array([bool(m) and m.material in MASS_METERED for m in matches], dtype=bool)

    return ctx.core.cached(("opportunities", "mass metered", taxonomy), build)


def metered(ctx: Context) -> bool:
    """Whether some material key of the network is of :data:`MASS_METERED`: else no pair
    is crossed, and the callers skip the checks of :func:`comparable`. O(1) once
    :func:`mass_metered` is made."""
    return bool(mass_metered(ctx).any())


def admits(ctx: Context, path: np.ndarray, stream: np.ndarray) -> np.ndarray:
    """Per (catalogue row, stream) pair, whether the row's dimension admits the stream: the
    row has none, the stream's is unknown or the same, or the row is of energy and the
    stream a material of :data:`MASS_METERED` in mass. O(p)."""
    row_dim, stream_dim = ctx.row_dimension[path], ctx.streams.dimension[stream]
    fits = (row_dim < 0) | (stream_dim < 0) | (row_dim == stream_dim)
    if not metered(ctx):
        return fits
    steam = np.flatnonzero(~fits & (row_dim == _ENERGY) & (stream_dim == _MASS))
    if len(steam):
        key = ctx.streams.key_code[stream[steam]]
        fits[steam[key >= 0]] = mass_metered(ctx)[key[key >= 0]]
    return fits


def crossed(ctx: Context, path: np.ndarray, stream: np.ndarray) -> np.ndarray:
    """Per (catalogue row, stream) pair (row -1: none), whether the row is of one
    dimension and the stream of another (steam in tonnes on a row of GJ, :func:`admits`):
    what the row gives per unit of its dimension does not hold for the stream. Only such
    a stream is admitted so: nothing is read when the network has none. O(p)."""
    found = np.zeros(len(path), dtype=bool)
    if not metered(ctx):
        return found
    key = ctx.streams.key_code[stream]
    rows = np.flatnonzero((path >= 0) & (key >= 0))
    rows = rows[mass_metered(ctx)[key[rows]]]
    row_dim, stream_dim = ctx.row_dimension[path[rows]], ctx.streams.dimension[stream[rows]]
    found[rows] = (row_dim >= 0) & (stream_dim >= 0) & (row_dim != stream_dim)
    return found


def comparable(
    ctx: Context, path: np.ndarray, stream: np.ndarray, substitute: np.ndarray
) -> np.ndarray:
    """Per (catalogue row, stream, substitute key code) triple, whether the row's
    substitution ratio may relate the stream to the substitute bought in the stream's
    dimension: the row is of the stream's dimension (or of none), or the substitute is
    of the stream's own taxonomy material (steam bought in tonnes for steam in tonnes),
    not a fuel whose tonnes hold another heat. O(p), the taxonomy codes read for the
    crossed triples only."""
    ok = ~crossed(ctx, path, stream)
    rows = np.flatnonzero(~ok)
    if len(rows):
        material = np.append(taxonomy_classes(ctx)[0], -1)  # key code -1: none
        mine = material[ctx.streams.key_code[stream[rows]]]
        ok[rows] = (mine >= 0) & (mine == material[substitute[rows]])
    return ok
