/* symbiosis network view: the map. Web Mercator (EPSG:3857) of the firms' bounding box on
 * a canvas, a scale bar in km and a north arrow. Tiles only when the page was made with
 * --basemap (data.basemap). It follows the filter panel (network.js's symbiosisFilterState
 * and symbiosisPasses). Names are canvas text or textContent: never markup.
 */
(function () {
  "use strict";
  var LINE = 13, LABELS = 60, NEAR = 8;  // px of a label's line; labelled nodes at most; hover reach

  window.SymbiosisMap = {
    attach: function (data) {
      var map = data.map, box = document.getElementById("sym-map"), clip = window.symbiosisClip;
      var canvas = document.getElementById("sym-map-canvas"), tiles = {};
      var xs = map.lon.map(function (lon) { return (lon + 180) / 360; });
      var ys = map.lat.map(function (lat) {
        var s = Math.sin(lat * Math.PI / 180);
        return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
      var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var top = map.flows.length ? map.flows[0][3] : 1;
      var zoom = 1, panX = 0, panY = 0, drag = null;  // the view: wheel zooms, drag pans
      var view = null, drawn = null, hover = document.createElement("div");
      hover.className = "sym-map-hover";
      box.appendChild(hover);

      // The exchanges the filter panel lets through, and the nodes they reach (all nodes
      // when nothing is filtered).
      function chosen() {
        var state = window.symbiosisFilterState(), flows = [], reached = {};
        map.flows.forEach(function (f) {
          var dimension = (f[5] >> 2) - 1;
          if (window.symbiosisPasses(state, map.materials[f[4]] === state.material,
              map.categories[f[2]], dimension >= 0 ? data.dimensions[dimension] : null,
              f[5] & 1, f[5] & 2, f[6])) {
            flows.push(f);
            reached[f[0]] = true; reached[f[1]] = true;
          }
        });
        var nodes = [];
        for (var k = 0; k < xs.length; k++) if (!state.filtering || reached[k]) nodes.push(k);
        return { flows: flows, nodes: nodes, filtering: state.filtering };
      }

      function draw() {
        var w = box.clientWidth, h = box.clientHeight, pad = 40, ratio = window.devicePixelRatio || 1;
        if (!w || !h) return;
        canvas.width = w * ratio; canvas.height = h * ratio;
        canvas.style.width = w + "px"; canvas.style.height = h + "px";
        var ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.fillStyle = "#f8fafc"; ctx.fillRect(0, 0, w, h);
        var fit = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1e-9), (h - 2 * pad) / Math.max(y1 - y0, 1e-9));
        var scale = fit * zoom;
        var ox = w / 2 - scale * (x0 + x1) / 2 + panX, oy = h / 2 - scale * (y0 + y1) / 2 + panY;
        view = { scale: scale, ox: ox, oy: oy };
        drawn = chosen();
        if (data.basemap) drawTiles(ctx, scale, ox, oy, w, h);
        ctx.lineCap = "round";
        for (var i = drawn.flows.length - 1; i >= 0; i--) {
          var f = drawn.flows[i];
          ctx.strokeStyle = data.categoryColors[map.categories[f[2]]];
          ctx.globalAlpha = 0.35;
          ctx.lineWidth = top > 0 ? 0.4 + 3 * Math.sqrt(Math.max(0, f[3]) / top) : 1.2;
          ctx.beginPath();
          ctx.moveTo(ox + scale * xs[f[0]], oy + scale * ys[f[0]]);
          ctx.lineTo(ox + scale * xs[f[1]], oy + scale * ys[f[1]]);
          ctx.stroke();
        }
        ctx.globalAlpha = 0.9;
        var dot = xs.length <= 500 ? 4 : 1.5;
        drawn.nodes.forEach(function (k) {
          ctx.fillStyle = data.roleColors[map.role[k]] || "#8c959f";
          ctx.fillRect(ox + scale * xs[k] - dot, oy + scale * ys[k] - dot, 2 * dot, 2 * dot);
        });
        ctx.globalAlpha = 1;
        drawn.labels = map.name && xs.length <= LABELS ? labels(ctx, drawn.nodes, w, h) : [];
        decorations(ctx, scale, oy, w, h);
        document.getElementById("sym-map-note").textContent = noteText(drawn);
        window.symbiosisMapShown = { flows: drawn.flows.length, nodes: drawn.nodes.length, labels: drawn.labels };
        window.symbiosisMapDrawn = (window.symbiosisMapDrawn || 0) + 1;
      }

      // Labels that cover no other label and no other dot: right of the dot, else on the
      // next lines below it (the firms of one place: a district's, given at district
      // precision), else left of it, inside the canvas; a label with no room is left out
      // (hovering shows the name).
      function labels(ctx, nodes, w, h) {
        ctx.font = "11px system-ui, sans-serif"; ctx.fillStyle = "#1f2328";
        var placed = [], dots = nodes.map(function (k) {
          var x = view.ox + view.scale * xs[k], y = view.oy + view.scale * ys[k];
          return [k, [x - 4, y - 4, x + 4, y + 4]];
        });
        function free(b, k) {
          var over = function (o) { return b[0] < o[1][2] && o[1][0] < b[2] && b[1] < o[1][3] && o[1][1] < b[3]; };
          return !placed.some(over) && !dots.some(function (d) { return d[0] !== k && over(d); });
        }
        nodes.forEach(function (k) {
          var text = clip(map.name[k], 28), width = ctx.measureText(text).width;
          var x = view.ox + view.scale * xs[k], y = view.oy + view.scale * ys[k];
          var spots = [], line;
          for (line = 0; line < 6; line++) spots.push([x + 6, y + 4 + line * LINE]);
          for (line = 0; line < 6; line++) spots.push([x - 6 - width, y + 4 + line * LINE]);
          for (var s = 0; s < spots.length; s++) {
            var b = [spots[s][0], spots[s][1] - 10, spots[s][0] + width, spots[s][1] + 3];
            if (b[0] < 0 || b[1] < 0 || b[2] > w || b[3] > h || !free(b, k)) continue;
            ctx.fillText(text, spots[s][0], spots[s][1]);
            placed.push([text, b]);
            return;
          }
        });
        return placed;
      }

      function noteText(shown) {
        var all = map.lat.length.toLocaleString("en-US") + " located nodes; " +
          (map.dimension ? (map.flows.length < map.total ? "the " + map.flows.length.toLocaleString("en-US") +
            " largest of " : "") + map.total.toLocaleString("en-US") + " " + map.dimension +
            " exchanges between them (line width ∝ √ quantity)" : (map.flows.length < map.total ?
            "the first " + map.flows.length.toLocaleString("en-US") + " of " : "") +
            map.total.toLocaleString("en-US") + " exchanges between them, none of known size (lines alike)");
        var filtered = shown.filtering ? "; the filters leave " + shown.flows.length.toLocaleString("en-US") +
          " exchanges and " + shown.nodes.length.toLocaleString("en-US") + " nodes" : "";
        return all + filtered + "; Web Mercator; scroll to zoom, drag to pan, double-click to reset; " +
          (data.basemap ? "tiles from " + data.basemap.split("/")[2] : "no tiles (offline)");
      }

      function decorations(ctx, scale, oy, w, h) {
        // Ground distance per px at the middle latitude: 2 pi R cos(lat) per world width.
        var yMid = (h / 2 - oy) / scale, latMid = Math.atan(Math.sinh(Math.PI * (1 - 2 * yMid)));
        var kmPerPx = 2 * Math.PI * 6378.137 * Math.cos(latMid) / scale;
        var target = 120 * kmPerPx, step = Math.pow(10, Math.floor(Math.log10(target)));
        var km = [5, 2, 1].map(function (m) { return m * step; }).filter(function (v) { return v <= target; })[0] || step;
        var px = km / kmPerPx;
        ctx.fillStyle = "#1f2328"; ctx.strokeStyle = "#1f2328"; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.moveTo(16, h - 20); ctx.lineTo(16 + px, h - 20); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(16, h - 25); ctx.lineTo(16, h - 15); ctx.moveTo(16 + px, h - 25); ctx.lineTo(16 + px, h - 15); ctx.stroke();
        ctx.font = "12px system-ui, sans-serif";
        ctx.fillText(Number(km.toPrecision(3)).toLocaleString("en-US") + " km", 16, h - 30);
        ctx.beginPath(); ctx.moveTo(w - 28, 18); ctx.lineTo(w - 36, 40); ctx.lineTo(w - 28, 34); ctx.lineTo(w - 20, 40); ctx.closePath(); ctx.fill();
        ctx.fillText("N", w - 32, 54);
      }

      function drawTiles(ctx, scale, ox, oy, w, h) {
        var z = Math.max(0, Math.min(19, Math.round(Math.log2(scale / 256)))), n = Math.pow(2, z);
        var size = scale / n;
        var tx0 = Math.max(0, Math.floor(-ox / size)), tx1 = Math.min(n - 1, Math.floor((w - ox) / size));
        var ty0 = Math.max(0, Math.floor(-oy / size)), ty1 = Math.min(n - 1, Math.floor((h - oy) / size));
        for (var tx = tx0; tx <= tx1; tx++) {
          for (var ty = ty0; ty <= ty1; ty++) {
            var url = data.basemap.replace("{z}", z).replace("{x}", tx).replace("{y}", ty);
            var image = tiles[url];
            if (!image) {
              image = tiles[url] = new Image();
              image.onload = draw;
              image.src = url;
            }
            if (image.complete && image.naturalWidth) ctx.drawImage(image, ox + tx * size, oy + ty * size, size, size);
          }
        }
      }

      document.querySelectorAll("input[name=sym-view]").forEach(function (radio) {
        radio.addEventListener("change", function () {
          var onMap = radio.value === "map" && radio.checked;
          if (!radio.checked) return;
          box.hidden = !onMap;
          document.querySelector("body > .card").style.visibility = onMap ? "hidden" : "";
          if (onMap) draw();
        });
      });
      window.addEventListener("resize", function () { if (!box.hidden) draw(); });
      window.symbiosisMapRedraw = function () { if (!box.hidden) draw(); };
      canvas.addEventListener("wheel", function (event) {
        event.preventDefault();
        // Zoom about the pointer: the point under it stays put.
        var rect = canvas.getBoundingClientRect(), factor = event.deltaY < 0 ? 1.25 : 0.8;
        var mx = event.clientX - rect.left - rect.width / 2, my = event.clientY - rect.top - rect.height / 2;
        var next = Math.max(1, Math.min(4096, zoom * factor));
        panX = mx - (mx - panX) * next / zoom; panY = my - (my - panY) * next / zoom;
        if (next === 1) { panX = 0; panY = 0; }
        zoom = next;
        draw();
      }, { passive: false });
      canvas.addEventListener("mousedown", function (event) { drag = [event.clientX - panX, event.clientY - panY]; });
      window.addEventListener("mouseup", function () { drag = null; });
      canvas.addEventListener("mousemove", function (event) {
        if (!drag) { nameUnder(event); return; }
        panX = event.clientX - drag[0]; panY = event.clientY - drag[1];
        draw();
      });
      // The names of the drawn nodes under the pointer (within NEAR px; several at one
      // place, a district's firms, are all named), as text, kept inside the map.
      function nameUnder(event) {
        hover.textContent = "";
        if (!map.name || !view || !drawn) return;
        var rect = canvas.getBoundingClientRect(), x = event.clientX - rect.left, y = event.clientY - rect.top;
        var near = drawn.nodes.filter(function (k) {
          var dx = view.ox + view.scale * xs[k] - x, dy = view.oy + view.scale * ys[k] - y;
          return dx * dx + dy * dy < NEAR * NEAR;
        });
        if (!near.length) return;
        var names = near.slice(0, 5).map(function (k) { return clip(map.name[k]) + " · " + (map.roles[map.role[k]] || ""); });
        if (near.length > 5) names.push((near.length - 5).toLocaleString("en-US") + " more here");
        hover.textContent = names.join("\n");
        var left = x + 12 + hover.offsetWidth > rect.width ? x - 12 - hover.offsetWidth : x + 12;
        hover.style.left = Math.max(0, left) + "px"; hover.style.top = (y + 12) + "px";
      }
      canvas.addEventListener("dblclick", function () { zoom = 1; panX = 0; panY = 0; draw(); });
      window.symbiosisShowMap = function () {
        var radio = document.querySelector("input[name=sym-view][value=map]");
        radio.checked = true;
        radio.dispatchEvent(new Event("change"));
        return window.symbiosisMapDrawn || 0;
      };
    }
  };
})();
