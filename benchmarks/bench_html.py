"""How big a network the HTML view takes: build time, file size, load and response time in
headless Chromium (network cut off), for random networks of growing size.

    python benchmarks/bench_html.py [--sizes 100,1000,5000,10000] [--repeat 2]

For each size (nodes; flows = 2.4 x nodes) it prints one row of a Markdown table:

* ``build``: :func:`symbiosis.export.network_html.network_html` in this process;
* ``size``: the HTML file;
* ``ready``: from navigation start to the first frame drawn after the layout has settled
  (``window.symbiosisReadyAt``, measured by the page), median of ``--repeat`` loads;
* ``filter``: applying a material filter and drawing the result;
* ``redraw``: one redraw after zooming out to the whole network.

Needs Chromium (``apt-get install -y chromium``). The helpers come from the test suite
(``tests/browser/chromium.py``, ``tests/export/html_networks.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "browser"), str(ROOT / "tests" / "export")]

from chromium import Browser  # noqa: E402
from html_networks import random_network  # noqa: E402

from symbiosis.export.network_html import (  # noqa: E402
    MAX_FLOWS,
    MAX_NODES,
    PHYSICS_MAX_NODES,
    write_network_html,
)

FILTER = """new Promise(function (done) {
  var net = window.symbiosisNetwork, start = performance.now();
  net.once('afterDrawing', function () { done(performance.now() - start); });
  window.symbiosisFilter({material: 'material 3'});
  net.redraw();
})"""
REDRAW = """new Promise(function (done) {
  var net = window.symbiosisNetwork;
  window.symbiosisFilter({material: ''});
  net.fit({animation: false});
  var start = performance.now();
  net.once('afterDrawing', function () { done(performance.now() - start); });
  net.redraw();
})"""


def measure(browser: Browser, path: Path) -> tuple[float, float, float]:
    page = browser.open(path, timeout=300)
    page.wait_for("document.documentElement.dataset.ready === '1'", timeout=300)
    ready = page.evaluate("window.symbiosisReadyAt") / 1000
    filtered = page.evaluate(FILTER) / 1000
    redraw = page.evaluate(REDRAW) / 1000
    errors = page.errors()
    if errors:
        raise SystemExit(f"{path}: {errors}")
    browser.close_page(page)
    return ready, filtered, redraw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"physics up to {PHYSICS_MAX_NODES:,} nodes, precomputed positions up to "
        f"{MAX_NODES:,} nodes and {MAX_FLOWS:,} flows, aggregated by sector above\n"
    )
    print("| nodes | flows | layout | build | size | ready | filter | redraw |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder, Browser(width=1400, height=900) as browser:
        for n in sizes:
            network = random_network(n, int(2.4 * n), seed=1)
            path = Path(folder) / f"n{n}.html"
            start = time.perf_counter()
            write_network_html(network, path)
            build = time.perf_counter() - start
            runs = [measure(browser, path) for _ in range(args.repeat)]
            ready, filtered, redraw = (statistics.median(r[i] for r in runs) for i in range(3))
            if network.n_firms > MAX_NODES or network.n_flows > MAX_FLOWS:
                layout = "by sector"
            elif network.n_firms > PHYSICS_MAX_NODES:
                layout = "precomputed"
            else:
                layout = "physics"
            print(
                f"| {network.n_firms:,} | {network.n_flows:,} | {layout} | {build:.1f} s "
                f"| {path.stat().st_size / 1e6:.1f} MB | {ready:.1f} s | {filtered:.2f} s "
                f"| {redraw:.2f} s |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
