"""Where the nodes are: their coordinates as the receiver search reads them
(:class:`Geo`: unit vectors for the k-d tree, radians and cosines for the haversine, a
spatial order, the sites several actors share) and great-circle distances
(:func:`great_circle`), each pair's computed in place, in one fixed order (the same bits
on every machine)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..._sorting import lexorder
from ...model import FlowNetwork

__all__ = ["Geo", "great_circle", "pair_distances", "shared_sites"]

_EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, eq=False)
class Geo:
    """Coordinates of the nodes (unit vectors for the k-d tree, radians and cosines for
    the haversine) and their number of input flows. Shared through the core's cache."""

    lat: np.ndarray
    lon: np.ndarray
    located: np.ndarray
    size: np.ndarray
    unit: np.ndarray
    phi: np.ndarray
    cos_phi: np.ndarray
    cell: np.ndarray  # a Morton-like code of a 1/4-degree grid: a spatial query order
    # a code per node, equal for located nodes at one coordinate (-1 for the others): None
    # when no two located nodes share one
    site: np.ndarray | None = None

    @classmethod
    def of(cls, network: FlowNetwork) -> Geo:
        def build() -> Geo:
            lat = network.firms["lat"].to_numpy(dtype=float)
            lon = network.firms["lon"].to_numpy(dtype=float)
            phi, lam = np.radians(lat), np.radians(lon)
            unit = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam),
                                    np.sin(phi)])  # fmt: skip
            core, located = network.core, ~np.isnan(lat) & ~np.isnan(lon)
            size = np.bincount(core.target, minlength=core.n_nodes)
            return cls(lat, lon, located, size, unit, phi, np.cos(phi), _cells(lat, lon),
                       shared_sites(lat, lon, located))  # fmt: skip

        return network.core.cached(("opportunities", "geo"), build)

    def sites(self, pool: np.ndarray) -> np.ndarray | None:
        """The site codes of the nodes (:func:`.nearest.nearest`'s ``site``) when two
        actors of ``pool`` share a site, else None. O(pool)."""
        if self.site is None or not self.shared[pool].any():
            return None
        return self.site

    @cached_property
    def shared(self) -> np.ndarray:
        """Whether each node shares its site with another (all false without sites)."""
        if self.site is None:
            return np.zeros(len(self.lat), dtype=bool)
        located = self.site >= 0
        shared = np.zeros(len(self.site), dtype=bool)
        shared[located] = np.bincount(self.site[located])[self.site[located]] > 1
        return shared

    @cached_property
    def by_cell(self) -> np.ndarray:
        """The node positions in spatial order: by :attr:`cell`, then position."""
        return lexorder(self.cell)


def shared_sites(lat: np.ndarray, lon: np.ndarray, located: np.ndarray) -> np.ndarray | None:
    """:attr:`Geo.site`: None when no two located nodes share a coordinate. O(n): a hash
    of the coordinates."""
    at = np.flatnonzero(located)
    code, found = pd.factorize(lat[at] + 1j * lon[at])
    if len(found) == len(at):
        return None
    site = np.full(len(lat), -1, dtype=np.int64)
    site[at] = code
    return site


def _cells(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Interleaved bits of the row and column of a quarter-degree grid (Z order)."""
    row = np.nan_to_num((lat + 90) * 4, nan=0).astype(np.int64).clip(0, 1023)
    col = np.nan_to_num((lon + 180) * 4, nan=0).astype(np.int64).clip(0, 2047)
    code = np.zeros(len(lat), dtype=np.int64)
    for bit in range(11):
        code |= ((row >> bit) & 1) << (2 * bit + 1) | ((col >> bit) & 1) << (2 * bit)
    return code


def great_circle(geo: Geo, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Haversine distance in km between nodes ``a`` and ``b`` (broadcast; NaN where a
    coordinate is missing), on a sphere of radius 6371.0088 km. O(pairs).

    ``sin(dphi / 2) ** 2 + cos_a cos_b sin(dlam / 2) ** 2``, then ``2 R asin(sqrt(h))``,
    computed in place (the same operations in the same order: the same bits), which
    spares the page faults of eight fresh arrays of every pair."""
    h = geo.phi[b] - geo.phi[a]
    dlam = np.radians(geo.lon[b] - geo.lon[a])
    if np.ndim(h) == 0 or h.shape != dlam.shape:  # one pair, or an odd broadcast
        h = np.sin(h / 2) ** 2 + geo.cos_phi[a] * geo.cos_phi[b] * np.sin(dlam / 2) ** 2
        return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return _haversine(h, dlam, geo.cos_phi[a], geo.cos_phi[b])


def _haversine(h, dlam, cos_a, cos_b) -> np.ndarray:
    """The in-place tail of :func:`great_circle` from ``h = phi_b - phi_a`` and ``dlam``
    (fresh arrays of one shape, overwritten) and the cosines."""
    np.square(np.sin(np.divide(h, 2, out=h), out=h), out=h)
    np.square(np.sin(np.divide(dlam, 2, out=dlam), out=dlam), out=dlam)
    both = cos_a * cos_b
    h += np.multiply(both, dlam, out=both) if both.shape == dlam.shape else both * dlam
    np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0, out=h), out=h), out=h)
    return np.multiply(h, 2 * _EARTH_RADIUS_KM, out=h)


def pair_distances(geo: Geo, sources: np.ndarray, members, local) -> np.ndarray:
    """``great_circle(geo, sources[:, None], members[local])``, the same operations on
    the same values (the same bits), but the members' coordinates gathered once: the
    pairs then read a pool's small arrays, not the coordinates of every node."""
    a = sources[:, None]
    h = np.take(geo.phi[members], local)
    h -= geo.phi[a]
    dlam = np.take(geo.lon[members], local)
    dlam -= geo.lon[a]
    np.radians(dlam, out=dlam)
    return _haversine(h, dlam, geo.cos_phi[a], np.take(geo.cos_phi[members], local))
