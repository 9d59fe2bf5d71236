"""The network page: pyvis's output, made offline, standard and ours (see
:mod:`symbiosis.export.network_html`)."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..units import CANONICAL_UNITS, DIMENSIONS, yearly_unit
from ..vocabulary import CATEGORIES, ROLES
from .markup import (
    CONTENT_SECURITY_POLICY,
    TEXT_LENGTH,
    asset,
    esc,
    esc_page,
    head_meta,
    script_json,
    visible,
)
from .network_map import basemap_origin
from .palette import CATEGORY_COLORS, EDGE_WIDTH, OTHER_COLOR, ROLE_COLORS

if TYPE_CHECKING:
    from .network_html import NetworkView

__all__ = ["panel_html", "postprocess", "render_view", "vis_options"]


def render_view(view: NetworkView, *, title: str) -> str:
    """The page for a :class:`NetworkView`: pyvis's output, post-processed.

    pyvis's template is rendered with the variables pyvis's ``Network.generate_html``
    gives it, for ``Network(height="100%", width="100%", directed=True, heading="",
    cdn_resources="in_line")`` holding these nodes, edges and options, without importing
    pyvis (its import, IPython, networkx and jsonpickle, costs 0.3-0.4 s of a run). A test
    checks the page against pyvis's own."""
    options = vis_options(view)
    physics = options.get("physics")
    template = _template_environment(_pyvis_templates()).get_template("template.html")
    page = template.render(
        height="100%",
        width="100%",
        nodes=view.nodes,
        edges=view.edges,
        heading="",
        options=json.dumps(options),
        physics_enabled=physics["enabled"]
        if isinstance(physics, dict) and "enabled" in physics
        else True,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor="#ffffff",
        conf=False,
        # pyvis's switch to an innerHTML popup; our records never have a title
        tooltip_link=any("href" in (node.get("title") or "") for node in view.nodes),
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )
    return postprocess(page, view, title=title)


@functools.cache
def _pyvis_templates() -> str:
    """pyvis's template folder, found without importing pyvis."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvis is not installed: the network page needs it")
    return os.path.join(next(iter(spec.submodule_search_locations)), "templates") + os.sep


@functools.cache
def _template_environment(template_dir: str) -> Any:
    """pyvis's Jinja environment, made once per process (pyvis makes a new one, and
    recompiles its template, for every page), with pyvis's default settings. The bundled
    libraries (``lib/...``: vis-network, its CSS) are inlined verbatim inside a
    ``{% raw %}`` block, which Jinja does not tokenise: the same text, half the compile
    time. A test checks that the page is unchanged."""
    from jinja2 import Environment, FileSystemLoader

    class VerbatimLibraries(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if template.startswith("lib/") and "{% endraw %}" not in source:
                source = "{% raw %}" + source + "{% endraw %}"
            return source, filename, uptodate

    return Environment(loader=VerbatimLibraries(template_dir))


def vis_options(view: NetworkView) -> dict[str, Any]:
    """vis-network options (a dict, serialised by pyvis with json.dumps)."""
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            # multi=False: labels are plain text, never vis's <b>/<i> label markup.
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "multi": False},
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "color": {"inherit": False, "opacity": 0.85},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": True,
        },
    }
    if view.physics:
        options["layout"] = {"randomSeed": 7, "improvedLayout": True}
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.01,
                "springLength": 130,
                "springConstant": 0.05,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25},
            "minVelocity": 1.0,
        }
    else:
        options["layout"] = {"improvedLayout": False}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


_BOOTSTRAP = re.compile(
    r"<link[^>]*bootstrap[^>]*>|<script[^>]*bootstrap[^>]*>\s*</script>", re.IGNORECASE
)
_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A tag that loads from elsewhere (names cannot form tags: they are escaped everywhere).
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
_CREATE = "network = new vis.Network(container, data, options);"
_RETURN = "return network;"


def postprocess(page: str, view: NetworkView, *, title: str) -> str:
    """Make pyvis's page offline, standard and ours (see the module docstring).

    Raises RuntimeError if pyvis's template changed so that an anchor is missing: a
    silently half-processed page could load from a CDN or lack its safeguards.
    """
    for anchor in ("<html>", '<meta charset="utf-8">', "<body>", "</head>", _CREATE, _RETURN):
        if page.count(anchor) != 1:
            raise RuntimeError(f"unexpected pyvis template: {anchor!r} found {page.count(anchor)}x")
    page = _BOOTSTRAP.sub("", page)
    page = _HEADING.sub("", page)
    page = _COMMENT.sub("", page)
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="en">', 1)
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head_meta(title))
    if view.basemap:  # the user asked for tiles: images from that one server only
        policy = CONTENT_SECURITY_POLICY.replace(
            "img-src data:", f"img-src data: {basemap_origin(view.basemap)}"
        )
        page = page.replace(CONTENT_SECURITY_POLICY, esc(policy), 1)
    page = page.replace(
        "</head>",
        f"<style>{asset('network.css')}</style>\n"
        f'<script type="application/json" id="sym-data">{script_json(page_data(view))}</script>\n'
        f"<script>{asset('network.js')}</script>\n"
        + (f"<script>{asset('network_map.js')}</script>\n" if view.map else "")
        + "</head>",
    )
    body = '<body class="sym-with-matrix">' if view.matrix else "<body>"
    page = page.replace("<body>", body + "\n" + panel_html(view, title) + _extra_html(view))
    page = page.replace(_CREATE, "symbiosisPrepare(nodes, edges, options);\n" + _CREATE)
    page = page.replace(_RETURN, "symbiosisAttach(network, nodes, edges);\n" + _RETURN)
    if _REMOTE.search(page):
        raise RuntimeError("the page still references a network resource")
    return page


def page_data(view: NetworkView) -> dict[str, Any]:
    """What assets/network.js needs besides the nodes and edges."""
    return {
        # a flow's unit, per year (its year is said); a node's sums over several years
        # say so in their tooltip (``years``, flow_years)
        "units": {d: yearly_unit(d) for d in DIMENSIONS},
        "canonicalUnits": {d: CANONICAL_UNITS[d] for d in DIMENSIONS},
        "sizeDimension": view.size_dimension,
        "physics": view.physics,
        "loopsKnown": view.loops_known,
        "widthScale": view.width_scale,
        "widthMax": view.width_max,
        "edgeWidth": list(EDGE_WIDTH),
        "categories": list(CATEGORIES),
        "dimensions": list(DIMENSIONS),
        "categoryColors": {c: CATEGORY_COLORS.get(c, OTHER_COLOR) for c in CATEGORIES},
        "roleColors": [ROLE_COLORS.get(r, OTHER_COLOR) for r in ROLES],
        "expand": view.expand,
        "linkLimit": LINK_LIMIT if view.expand else None,
        "map": view.map,
        "basemap": view.basemap,
        "years": list(view.years) if len(view.years) > 1 else None,
        "textLength": TEXT_LENGTH,
    }


#: Aggregated views first show this many links (the largest); the panel offers more.
LINK_LIMIT = 150


def _extra_html(view: NetworkView) -> str:
    """The matrix column and the map's container (when there are data for them)."""
    parts = []
    if view.map:
        parts.append(
            '<div id="sym-map" hidden><canvas id="sym-map-canvas"></canvas>'
            '<p id="sym-map-note"></p></div>'
        )
    if view.matrix:
        parts.append(
            '<aside id="sym-matrix-panel" aria-label="Sector by sector matrix">'
            "<h2>Sector × sector</h2>"
            '<p class="sym-explain">Rows send, columns receive; hover a cell for its '
            "quantity. Shown: the dimension chosen on the left.</p>"
            f"{view.matrix}</aside>"
        )
    return "\n".join(parts) + "\n"


def panel_html(view: NetworkView, title: str) -> str:
    """The header, legend and filter panel (every name escaped)."""
    size = (
        f"node area ∝ {esc(view.size_dimension)} throughflow"
        if view.size_dimension
        else "no flow of known size"
    )
    layout = "physics, frozen once settled" if view.physics else "positions precomputed"
    width = "√ of quantity" if view.width_scale == "sqrt" else "log of quantity"
    subtitle = (f"Year {view.year} · " if view.year else "") + (
        f"{view.firms:,} nodes · {view.flows:,} flows · {size} · edge width: {width}, "
        f"per dimension · layout: {layout}"
    )
    parts = [
        '<header id="sym-header">',
        f'<h1 id="sym-title">{esc(title)}</h1>',
        f'<p id="sym-subtitle">{esc(subtitle)}</p>',
    ]
    if view.aggregated:
        parts.append(f'<p id="sym-aggregated">{esc(view.aggregated)}</p>')
    if len(view.years) > 1:
        parts.append(f'<p id="sym-years">{esc(years_text(view))}</p>')
    if view.expand:
        parts.append(
            '<p id="sym-expanded">Click a sector to show its largest firms; click again '
            "to fold it back.</p>"
        )
    parts += ["</header>", '<aside id="sym-panel">', _views_html(view)]
    parts += [_legend_html(view), _filter_html(view)]
    parts.append("</aside>")
    return "\n".join(parts) + "\n"


def years_text(view: NetworkView) -> str:
    """The header's warning for flows of several years, which every sum adds up (the
    words of the data warning)."""
    years = view.years
    text = (
        f"Flows of {len(years)} years ({years[0]}-{years[-1]}) are added up: node sizes, "
        "totals and links are over all of them, not per year"
    )
    if view.expand:  # aggregated: links are sums over the years
        return text + "."
    return text + "; each flow's tooltip gives its year, and the Year filter shows one."


def _views_html(view: NetworkView) -> str:
    """The network/map switch (only when firms have coordinates)."""
    if not view.map:
        return ""
    return (
        '<section class="sym-box"><h2>View</h2>'
        '<label><input type="radio" name="sym-view" value="network" checked> network</label>'
        '<label><input type="radio" name="sym-view" value="map"> map'
        f"{' (tiles from the server you chose)' if view.basemap else ' (offline, no tiles)'}"
        "</label></section>"
    )


def _legend_html(view: NetworkView) -> str:
    rows = ['<section class="sym-box"><h2>Nodes</h2><ul class="sym-legend">']
    for label, color, shape in view.legend_nodes:
        rows.append(
            f'<li><span class="sym-swatch sym-{shape}" style="background:{esc(color)}">'
            f"</span>{esc(label)}</li>"
        )
    rows.append(
        f'<li><span class="sym-swatch sym-dot sym-loop-node"></span>in a loop '
        f"{'(gold ring)' if view.loops_known else '(loops not analysed)'}</li>"
    )
    rows.append('</ul><h2>Flows</h2><ul class="sym-legend">')
    for category in view.categories:
        rows.append(
            f'<li><span class="sym-line" style="background:{CATEGORY_COLORS[category]}">'
            f"</span>{esc(category)}</li>"
        )
    rows.append('<li><span class="sym-line sym-dashed"></span>to disposal or environment</li>')
    width = (
        f"width ∝ √ quantity (the largest link of the dimension: {EDGE_WIDTH[1]:g} px)"
        if view.width_scale == "sqrt"
        else "width: log of quantity, per dimension"
    )
    rows.append(f'<li class="sym-width">{width}</li>')
    if view.loops_known:
        rows.append('<li><span class="sym-line sym-glow"></span>on a loop (glow)</li>')
    rows.append("</ul></section>")
    return "\n".join(rows)


def _filter_html(view: NetworkView) -> str:
    rows = [
        '<section class="sym-box"><h2>Filter</h2>',
        '<label for="sym-material">Material</label>',
        '<select id="sym-material"><option value="">all materials</option>',
    ]
    for key, name, count in view.materials:
        # the value is compared with the edges' mkey (visible text), never shown
        value = esc_page(visible(key))
        rows.append(f'<option value="{value}">{esc(name)} ({count:,})</option>')
    rows.append('</select><fieldset id="sym-categories"><legend>Category</legend>')
    rows += _checkboxes("category", view.categories)
    rows.append('</fieldset><fieldset id="sym-dimensions"><legend>Dimension</legend>')
    if view.expand:  # aggregated: one dimension at a time, one link per pair and category
        rows += _radios("dimension", view.dimensions, view.size_dimension)
    else:
        rows += _checkboxes("dimension", view.dimensions)
    rows.append("</fieldset>")
    if len(view.years) > 1 and not view.expand:  # aggregated links sum the years
        rows.append('<label for="sym-year">Year</label><select id="sym-year">')
        rows.append('<option value="">all years (added up)</option>')
        rows += [f'<option value="{year}">{year}</option>' for year in view.years]
        rows.append("</select>")
    if view.expand:
        rows.append('<label for="sym-limit">Links drawn</label><select id="sym-limit">')
        for limit in (50, LINK_LIMIT, 500, 2000):
            selected = " selected" if limit == LINK_LIMIT else ""
            rows.append(f'<option value="{limit}"{selected}>the {limit:,} largest</option>')
        rows.append('<option value="0">all</option></select>')
    if view.loops_known:
        rows.append('<label><input type="checkbox" id="sym-only-loops"> only loops</label>')
    rows += [
        '<label><input type="checkbox" id="sym-only-disposed"> only disposed or emitted</label>',
        '<p id="sym-count" aria-live="polite"></p>',
        '<button type="button" id="sym-reset">Reset</button>',
        "</section>",
        '<section class="sym-box"><h2>Find a firm</h2>',
        '<input type="search" id="sym-search" placeholder="name or id" autocomplete="off">',
        '<p id="sym-found"></p></section>',
    ]
    return "\n".join(rows)


def _radios(kind: str, values: Iterable[str], chosen: str | None) -> list[str]:
    values = list(values)
    first = chosen if chosen in values else (values[0] if values else None)
    return [
        f'<label><input type="radio" name="sym-{kind}" class="sym-{kind}" value="{esc(v)}"'
        f"{' checked' if v == first else ''}> {esc(v)}</label>"
        for v in values
    ]


def _checkboxes(kind: str, values: Iterable[str]) -> list[str]:
    return [
        f'<label><input type="checkbox" class="sym-{kind}" value="{esc(v)}" checked> '
        f"{esc(v)}</label>"
        for v in values
    ]
