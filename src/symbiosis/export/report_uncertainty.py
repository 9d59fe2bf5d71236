"""The uncertainty section of the report: each headline indicator's recorded value with its
Monte Carlo interval, the shares drawn as error bars (inline SVG), the flows that drive
each spread, and how often each listed opportunity stays in the top N.

Everything is read from :meth:`symbiosis.analysis.uncertainty.UncertaintyResult.to_dict`
(the exporter computes no metric, only picks percentiles to show); names from the input
are escaped text, and nothing is loaded from the network. Registered as the
``uncertainty`` renderer of ``report_html.HTML_RENDERERS``; :func:`interval_text` gives
the headline cards their intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .markup import esc
from .report_headline import section_dict
from .report_tables import Shown, _format, records_table, shown

if TYPE_CHECKING:
    from .report_html import Context

__all__ = ["error_bars", "interval_text", "render_uncertainty"]

#: Share indicators drawn as error bars (0 to 100 %), in display order.
SHARES = (
    "reuse_share",
    "utilization_rate",
    "circular_input_rate",
    "finn_cycling_index",
    "extraction_dependence",
)
#: Quantities listed in the table after the shares.
QUANTITIES = (
    "generated",
    "reused",
    "sold",
    "disposed",
    "emitted",
    "total_system_throughflow",
    "cycled_throughflow",
)
_LOW, _HIGH = "p2.5", "p97.5"  # the 95 % interval
_ROW, _LABEL, _PLOT, _PAD = 26, 190, 380, 12


def interval_text(data: Mapping[str, Any] | None, dimension: str, indicator: str) -> str | None:
    """``"95 %: 24.7–32.1 %"`` for a share indicator of ``dimension`` in the uncertainty
    section's dict, or None when the section or the indicator is absent."""
    entry = _indicator(data, dimension, indicator)
    if entry is None or entry.get(_LOW) is None or entry.get(_HIGH) is None:
        return None
    digits = 1 if entry[_HIGH] >= 0.05 else 2  # a small share keeps two decimals
    return f"95 %: {100 * entry[_LOW]:.{digits}f}–{100 * entry[_HIGH]:.{digits}f} %"


def render_uncertainty(result: Any, context: Context | None = None) -> str:
    """The section as HTML, from an ``UncertaintyResult`` or its ``to_dict()``."""
    data = result if isinstance(result, Mapping) else section_dict(result)
    parts = [_intro(data)]
    for dimension, entry in data.get("dimensions", {}).items():
        shares = [(name, entry[name]) for name in SHARES if isinstance(entry.get(name), Mapping)]
        if shares:
            caption = f"{dimension}: shares, recorded (dot) and 95 % interval (bar)"
            parts.append(
                f'<figure class="uncertainty-figure">{error_bars(shares)}'
                f"<figcaption>{esc(caption)}</figcaption></figure>"
            )
        rows = [_row(name, entry[name], dimension) for name in (*SHARES, *QUANTITIES)
                if isinstance(entry.get(name), Mapping)]  # fmt: skip
        if rows:
            parts.append(records_table(rows, f"{dimension}: headline indicators", folded=False))
        parts.append(_sensitivity(data.get("sensitivity", {}).get(dimension, {}), dimension))
    parts.append(_opportunities(data.get("opportunities", {})))
    return "\n".join(p for p in parts if p)


def error_bars(shares: list[tuple[str, Mapping[str, Any]]]) -> str:
    """Inline SVG: one row per share indicator on a 0-100 % axis, the 2.5-97.5th
    percentiles as a line, the 25-75th as a box, the recorded value as a dot."""
    height = _ROW * len(shares) + 2 * _PAD + 14
    width = _LABEL + _PLOT + 2 * _PAD

    def x(value: float) -> float:
        return _LABEL + _PAD + _PLOT * min(max(value, 0.0), 1.0)

    parts = [
        f'<svg class="error-bars" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="shares with 95 % intervals">'
    ]
    axis = _PAD + _ROW * len(shares)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{_PAD}" y2="{axis}" '
            'stroke="#ccc" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis + 12}" font-size="10" text-anchor="middle" '
            f'fill="#555">{tick * 100:.0f} %</text>'
        )
    for i, (name, entry) in enumerate(shares):
        y = _PAD + _ROW * i + _ROW / 2
        parts.append(
            f'<text x="{_LABEL}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#222">{esc(name.replace("_", " "))}</text>'
        )
        parts.append(_bar(entry, x, y))
    parts.append("</svg>")
    return "".join(parts)


def _bar(entry: Mapping[str, Any], x, y: float) -> str:
    values = {k: entry.get(k) for k in (_LOW, "p25", "p75", _HIGH, "recorded")}
    out = []
    if values[_LOW] is not None and values[_HIGH] is not None:
        out.append(
            f'<line x1="{x(values[_LOW]):.1f}" x2="{x(values[_HIGH]):.1f}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#4e79a7" stroke-width="2"/>'
        )
    if values["p25"] is not None and values["p75"] is not None:
        left, right = x(values["p25"]), x(values["p75"])
        out.append(
            f'<rect x="{left:.1f}" y="{y - 5:.1f}" width="{max(right - left, 1):.1f}" '
            'height="10" fill="#a0cbe8" stroke="#4e79a7"/>'
        )
    if values["recorded"] is not None:
        out.append(f'<circle cx="{x(values["recorded"]):.1f}" cy="{y:.1f}" r="4" fill="#e15759"/>')
    title = (
        f"recorded {_format(values['recorded'], 'share')}, 95 % interval "
        f"{_format(values[_LOW], 'share')} to {_format(values[_HIGH], 'share')}"
    )
    return f"<g><title>{esc(title)}</title>{''.join(out)}</g>"


def _row(name: str, entry: Mapping[str, Any], dimension: str) -> dict[str, Any]:
    kind = "share" if name in SHARES else "quantity"

    def cell(key: str) -> Shown:
        return shown(entry.get(key), kind, dimension)

    low, high = cell(_LOW), cell(_HIGH)
    return {
        "indicator": name.replace("_", " "),
        "recorded": cell("recorded"),
        "mean": cell("mean"),
        "sd": cell("sd"),
        "95 % interval": Shown(f"{low.text} to {high.text}", low.sort, low.dimension),
        "samples with a value": int(entry.get("valid", 0)),
    }


def _sensitivity(by_indicator: Mapping[str, Any], dimension: str) -> str:
    rows = []
    for indicator, flows in by_indicator.items():
        for flow in flows:
            rows.append(
                {
                    "indicator": indicator.replace("_", " "),
                    "flow": f"{flow.get('source')} → {flow.get('target')}",
                    "material": flow.get("material"),
                    "row": flow.get("row"),
                    "share of variance": shown(flow.get("contribution"), "share"),
                }
            )
    if not rows:
        return ""
    return records_table(rows, f"{dimension}: the flows that drive each spread")


def _opportunities(data: Mapping[str, Any]) -> str:
    listed = data.get("listed") or []
    if not listed:
        return ""
    rows = []
    for entry in listed:
        dimension = entry.get("dimension")

        def quantity(key: str, entry=entry, dimension=dimension) -> Shown:
            return shown(entry.get(key), "quantity", dimension)

        low, high = quantity("quantity_p2.5"), quantity("quantity_p97.5")

        rows.append(
            {
                "group": entry.get("group"),
                "rank": entry.get("rank"),
                "kind": entry.get("kind"),
                "source": entry.get("source"),
                "target": entry.get("target"),
                "material": entry.get("material"),
                "in the top": shown(entry.get("top_share"), "share"),
                "quantity, 95 %": Shown(f"{low.text} to {high.text}", low.sort, low.dimension),
                "reuse share gain, mean": shown(entry.get("reuse_share_gain_mean"), "share"),
            }
        )
    caption = f"Opportunities: share of samples in which each stays in the top {data.get('top')}"
    return records_table(rows, caption)


def _intro(data: Mapping[str, Any]) -> str:
    flows = data.get("flows", {})
    sources = flows.get("by_source", {}) if isinstance(flows, Mapping) else {}
    told = ", ".join(f"{v:,} by {k}" for k, v in sources.items() if k != "none" and v)
    default = data.get("default_uncertainty")
    rest = (
        f"flows with no spread of their own vary by {100 * default:g} % (relative sd)"
        if default
        else "flows with no spread of their own are held at their recorded value"
    )
    return (
        f'<p class="explain">Monte Carlo of {data.get("samples", 0):,} samples (seed '
        f"{esc(data.get('seed'))}): {flows.get('uncertain_flows', 0):,} of "
        f"{flows.get('flows', 0):,} flows vary ({esc(told or 'none')}); {esc(rest)}. "
        "Intervals hold 95 % of the samples (2.5th to 97.5th percentile); flows are drawn "
        "independently.</p>"
    )


def _indicator(data: Mapping[str, Any] | None, dimension: str, name: str) -> Mapping | None:
    if not isinstance(data, Mapping):
        return None
    entry = data.get("dimensions", {}).get(dimension, {}).get(name)
    return entry if isinstance(entry, Mapping) else None
