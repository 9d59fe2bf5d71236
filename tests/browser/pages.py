"""What the browser tests read off a symbiosis network page."""

from __future__ import annotations


def node_point(page, node_id: str) -> list[float]:
    """Where a node of the graph is on the screen: its ``[x, y]`` in page pixels, for a
    real mouse event."""
    return page.evaluate(
        f"""(function () {{
          var net = window.symbiosisNetwork, id = {node_id!r};
          var p = net.canvasToDOM(net.getPositions([id])[id]);
          var box = document.getElementById('mynetwork').getBoundingClientRect();
          return [p.x + box.left, p.y + box.top];
        }})()"""
    )
