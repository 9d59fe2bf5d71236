"""The map view of the network page: firms at their coordinates, exchanges as lines.

Offline by default: ``assets/network_map.js`` draws the firms and the exchanges on a canvas in
the Web Mercator projection (EPSG:3857) of their bounding box, with a scale bar in km and
a north arrow; no tile, nothing loaded from the network. Only when the user passes a
basemap URL template (``--basemap https://.../{z}/{x}/{y}.png``) does the page load tiles,
from that server only (the page's Content-Security-Policy then allows images from its
origin, and the map names the server). Web Mercator is used in both cases so that the
drawing and the tiles line up.

The data are compact arrays: firm coordinates rounded to 1e-4 degree (about 11 m), a role
code per firm, and the exchanges of one dimension (the one that sizes the nodes) as
``[from, to, category, value, material, flags(, year)]`` rows, the largest
:data:`MAP_FLOWS` by quantity when there are more; the material, the flags (on a loop,
disposed, the unit's dimension) and the year let the map follow the page's filters.
Reference: EPSG:3857 / the "slippy map" tile scheme (OpenStreetMap wiki, *Slippy map
tilenames*).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult, urlsplit

import numpy as np
import pandas as pd

from ..arguments import Arguments
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, ROLES
from .markup import visible
from .network_data import disposed_flows, given_dimension, loop_flows

__all__ = ["MAP_FLOWS", "MAP_NAMES", "basemap_origin", "check_basemap", "map_data"]

#: At most this many exchanges are drawn on the map (the largest).
MAP_FLOWS = 20_000
#: Up to this many located nodes, the map also carries their names (labels, hover).
MAP_NAMES = 2_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")  # of a lower-cased host name
_EXAMPLE = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def check_basemap(
    template: Any, arguments: Arguments | None = None, *, name: str = "--basemap"
) -> str | None:
    """Validate a tile URL template and return it: text, ``https://`` only, a host, and the
    three placeholders ``{z}``, ``{x}``, ``{y}`` (None passes: no basemap). Raises
    InputError saying what to fix; with ``arguments``, the problem is noted there instead,
    to be raised with the call's others. ``name``: the option as the caller knows it."""
    noted = arguments if arguments is not None else Arguments()
    if isinstance(template, str):
        problems = _template_problems(template)
        if problems:
            example = f"{name} {_EXAMPLE!r}" if name.startswith("-") else f"{name}={_EXAMPLE!r}"
            noted.add(f"{name} {template!r}: " + "; ".join(problems) + f". Example: {example}")
    else:
        noted.instance(name, template, str, what=f"a tile URL template (text) like {_EXAMPLE!r}")
    if arguments is None:
        noted.check()
    return template


def _template_problems(template: str) -> list[str]:
    """What is wrong with a tile URL template (text), each as a phrase saying what to do.
    The URL is split by :func:`urllib.parse.urlsplit`, as a URL parser reads it."""
    problems = []
    if _CONTROL.search(template):  # urlsplit, like a browser, drops tabs and line breaks
        problems.append(
            "it contains a tab, a line break or another control character; write the URL "
            "without them"
        )
    try:
        parts = urlsplit(template)
    except ValueError as exc:  # an unclosed [ of an IPv6 address
        return [*problems, f"it is not a URL ({exc}); give https://HOST/.../{{z}}/{{x}}/{{y}}.png"]
    if "://" not in template:
        problems.append("it must start with https:// and the tile server's host")
    elif parts.scheme != "https":
        problems.append("it must start with https:// (tiles are never fetched unencrypted)")
    else:
        problems += _origin_problems(parts)
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in template]
    if missing:
        problems.append(f"it lacks the placeholder(s) {', '.join(missing)}")
    if any(c in template for c in "\"'<> \\`"):
        problems.append("it contains quotes, spaces, angle brackets or backslashes")
    return problems


def _origin_problems(parts: SplitResult) -> list[str]:
    """What is wrong with the host and port of an https:// template: the page's
    Content-Security-Policy names them as its one origin of images, so they must be a
    host name (dot-separated labels of letters, digits and hyphens, RFC 1123) and, if
    given, a port from 1 to 65535 (urllib's ``port`` reads it)."""
    if parts.username is not None:
        return ["it names a user before @; give the server's host alone"]
    if "[" in parts.netloc:  # an IPv6 address: CSP has no syntax for one
        return ["an IP address in brackets cannot be named in the page's security policy; "
                "give the server's host name"]  # fmt: skip
    problems = []
    host = parts.hostname or ""
    if not host:
        problems.append("it needs the tile server's host after https://")
    elif not all(_LABEL.match(label) for label in host.split(".")):
        problems.append(
            f"{host!r} is not a host name: letters, digits and hyphens between dots (a name "
            "in another script in its xn-- form)"
        )
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = -1
    if (port is not None and not 0 < port <= 65535) or parts.netloc.endswith(":"):
        given = parts.netloc.rpartition(":")[2]
        problems.append(f"the port {given!r} is not a number from 1 to 65535; give the server's "
                        "port, or none for https's 443")  # fmt: skip
    return problems


def basemap_origin(template: str) -> str:
    """``https://host[:port]`` of a checked template (for the page's policy)."""
    parts = urlsplit(template)
    return f"{parts.scheme}://{parts.netloc}"


def map_data(
    network: FlowNetwork,
    dimension: str | None,
    max_flows: int = MAP_FLOWS,
    node_core: np.ndarray | None = None,
) -> dict[str, Any] | None:
    """The map's arrays, or ``None`` when fewer than two nodes have coordinates.

    ``lat``/``lon`` per located node (rounded), ``role`` (index in ROLES), ``name``
    (up to :data:`MAP_NAMES` located nodes, else ``None``),
    ``flows`` (``[from, to, category, value, material, flags]`` between located nodes,
    in ``dimension``, largest first, at most ``max_flows``; with no ``dimension``, as for
    a network with no flow of known size, every flow between them in the flows' order,
    value 0: drawn alike; ``material`` indexes ``materials``, the material keys as the
    filter's options hold them; ``flags``: 1 on a loop (both ends in one core of
    ``node_core``, as :func:`~.network_data.loop_flows`), 2 disposed or emitted, plus 4
    times (the index in DIMENSIONS of the unit's dimension + 1); a seventh item, the
    year or None, when the flows have years), ``total`` (such exchanges in all) and the
    ``dimension``. O(nodes + flows log flows).
    """
    arguments = Arguments()
    arguments.choice("dimension", dimension, DIMENSIONS, none=True)
    arguments.whole("max_flows", max_flows)
    arguments.check()
    firms = network.firms
    if "lat" not in firms or "lon" not in firms:
        return None
    core = network.core
    located = pd.DataFrame(
        {
            "lat": pd.to_numeric(firms["lat"], errors="coerce").to_numpy(dtype=float),
            "lon": pd.to_numeric(firms["lon"], errors="coerce").to_numpy(dtype=float),
        },
        index=firms.index,
    ).reindex(pd.Index(core.ids))
    lat, lon = located["lat"].to_numpy(), located["lon"].to_numpy()
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 85.05)
    if ok.sum() < 2:
        return None
    position = np.full(core.n_nodes, -1, dtype=np.int64)
    position[ok] = np.arange(int(ok.sum()))
    s, t = position[core.source], position[core.target]
    between = (s >= 0) & (t >= 0)
    if dimension is None:  # sizes unknown: the links alone, in the flows' order, drawn alike
        chosen = np.flatnonzero(between)
        total = len(chosen)
        chosen = chosen[:max_flows]
        value = np.zeros(len(chosen))
    else:
        chosen = np.flatnonzero(between & (core.dimension == DIMENSIONS.index(dimension)))
        total = len(chosen)
        chosen = chosen[largest_first(core.value[chosen], max_flows)]
        value = core.value[chosen]
    cores = np.full(core.n_nodes, -1, dtype=np.int64) if node_core is None else node_core
    flags = (
        loop_flows(core, cores)[chosen].astype(np.int64)
        + 2 * disposed_flows(core)[chosen]
        + 4 * (given_dimension(network)[chosen].astype(np.int64) + 1)
    )
    columns = [
        s[chosen].tolist(),
        t[chosen].tolist(),
        core.category[chosen].tolist(),
        value.tolist(),
        core.material_key_code[chosen].tolist(),
        flags.tolist(),
    ]
    years = _years(network, chosen)
    if years is not None:
        columns.append(years)
    flows = [[a, b, c, float(v), *rest] for a, b, c, v, *rest in zip(*columns, strict=True)]
    names = [str(n) for n in core.names[ok]] if ok.sum() <= MAP_NAMES else None
    return {
        "materials": [visible(str(key)) for key in core.material_keys],
        "name": names,
        "lat": np.round(lat[ok], 4).tolist(),
        "lon": np.round(lon[ok], 4).tolist(),
        "role": core.role_code[ok].tolist(),
        "roles": list(ROLES),
        "categories": list(CATEGORIES),
        "flows": flows,
        "total": total,
        "dimension": dimension,
    }


def _years(network: FlowNetwork, chosen: np.ndarray) -> list[int | None] | None:
    """The year of each chosen flow (None where not given), or None without years."""
    if "year" not in network.flows.columns or not network.flows["year"].notna().any():
        return None
    years = network.flows["year"].to_numpy(dtype=object)[chosen]
    return [None if pd.isna(y) else int(y) for y in years]


def largest_first(values: np.ndarray, count: int) -> np.ndarray:
    """``np.argsort(-values, kind="stable")[:count]`` (no NaN in ``values``): the positions
    of the ``count`` largest values, largest first, ties in position order. Only those
    are sorted, after a partition: O(n + count log count) for n values."""
    keys = -values
    if len(keys) <= count or count <= 0:
        return np.argsort(keys, kind="stable")[:count]
    bound = np.partition(keys, count - 1)[count - 1]
    above = np.flatnonzero(keys < bound)
    ties = np.flatnonzero(keys == bound)[: count - len(above)]  # the first ones, as sorted
    picked = np.sort(np.concatenate([above, ties]))
    return picked[np.argsort(keys[picked], kind="stable")]
