/* symbiosis network view: tooltips, frozen layout, filters and search.
 *
 * pyvis's drawGraph() calls symbiosisPrepare() before it creates the vis.Network and
 * symbiosisAttach() right after. Names come from user files: they are only ever written
 * with textContent (never innerHTML), so no name can become markup or script.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sym-data").textContent);
  var tip = document.createElement("div");
  tip.className = "sym-tip";

  function number(value, unit) {
    if (value === null || value === undefined) return "unknown";
    var magnitude = Math.abs(value), text;
    if (magnitude >= 1000) text = Math.round(value).toLocaleString("en-US");
    else if (magnitude === 0) text = "0";
    else text = Number(value.toPrecision(4)).toLocaleString("en-US", { maximumFractionDigits: 8 });
    return unit ? text + " " + unit : text;
  }

  // A name of thousands of characters, shortened (as in the report's tables).
  function clip(text, length) {
    text = String(text);
    length = length || data.textLength;
    if (text.length <= length) return text;
    var chars = Array.from(text);  // code points: an emoji is never cut in two
    return chars.length <= length ? text : chars.slice(0, length - 1).join("") + "…";
  }
  window.symbiosisClip = clip;

  function add(parent, tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    parent.appendChild(element);
    return element;
  }

  function row(table, label, values) {
    var tr = add(table, "tr");
    add(tr, "th", label);
    values.forEach(function (value) { add(tr, "td", value); });
  }

  function fillNode(node) {
    add(tip, "strong", clip(node.name));
    var kind = node.members > 1 ? node.members.toLocaleString("en-US") + " nodes" : node.id.slice(2);
    add(tip, "div", [kind, node.role, node.sector].filter(Boolean).join(" · "), "sym-sub");
    if (node.throughflow !== undefined && data.sizeDimension) {
      add(tip, "div", "throughflow (" + data.sizeDimension + "): " +
        number(node.throughflow, data.units[data.sizeDimension]));
    }
    if (node.expandable) add(tip, "div", node.expandable, "sym-note");
    if (!node.inputs) return;
    var table = add(tip, "table");
    row(table, "", ["in", "out"]);
    Object.keys(node.inputs).forEach(function (dim) {
      var unit = data.units[dim];
      if (node.inputs[dim] || node.outputs[dim]) {
        row(table, dim, [number(node.inputs[dim], unit), number(node.outputs[dim], unit)]);
      }
    });
    row(table, "flows", [node.n_in.toLocaleString("en-US"), node.n_out.toLocaleString("en-US")]);
    if (data.years) {
      add(tip, "div", "in and out: the " + data.years.length + " years " + data.years[0] + "-" +
        data.years[data.years.length - 1] + " added up", "sym-note");
    }
    if (node.loop) add(tip, "div", "in a symbiosis core: part of a loop", "sym-note");
  }

  function nameOf(nodes, id) {
    var node = nodes.get(id);
    return clip(node ? node.name : id);
  }

  function fillEdge(edge, nodes) {
    add(tip, "strong", clip(edge.material));
    add(tip, "div", nameOf(nodes, edge.from) + " → " + nameOf(nodes, edge.to), "sym-sub");
    var table = add(tip, "table");
    row(table, "category", [edge.category]);
    if (edge.year !== undefined) row(table, "year", [edge.year === null ? "not given (in every year)" : String(edge.year)]);
    row(table, "quantity", [number(edge.quantity, edge.unit) + (edge.quantity === null ? "" : "/yr")]);
    if (edge.dimension && edge.value !== null && edge.unit + "/yr" !== data.units[edge.dimension]) {
      row(table, edge.dimension, [number(edge.value, data.units[edge.dimension])]);
    }
    if (edge.flows > 1) row(table, "flows", [edge.flows.toLocaleString("en-US")]);
    if (edge.loop) add(tip, "div", "on a loop (both ends in one symbiosis core)", "sym-note");
    if (edge.disposed) add(tip, "div", "leaves the system to disposal or the environment", "sym-note");
  }

  function fillTip(id, nodes, edges) {
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    var edge = edges.get(id);
    if (edge) fillEdge(edge, nodes);
    else if (nodes.get(id)) fillNode(nodes.get(id));
  }

  function markReady() {
    if (document.documentElement.dataset.ready) return;
    window.symbiosisReadyAt = performance.now();
    document.documentElement.dataset.ready = "1";
    if (window.parent !== window) window.parent.postMessage({ symbiosis: "ready" }, "*");
  }

  function checkedValues(selector) {
    var values = {};
    document.querySelectorAll(selector).forEach(function (box) { if (box.checked) values[box.value] = true; });
    return values;
  }

  function isChecked(id) {
    var box = document.getElementById(id);
    return Boolean(box && box.checked);
  }

  // What the filter panel asks for; the graph and the map both follow it.
  function filterState() {
    var state = {
      material: document.getElementById("sym-material").value,
      categories: checkedValues(".sym-category"), dimensions: checkedValues(".sym-dimension"),
      onlyLoops: isChecked("sym-only-loops"), onlyDisposed: isChecked("sym-only-disposed"),
      year: selected("sym-year")
    };
    state.filtering = Boolean(state.material) || Boolean(state.year) || state.onlyLoops ||
      state.onlyDisposed ||
      document.querySelectorAll(".sym-category:not(:checked), .sym-dimension[type=checkbox]:not(:checked)").length > 0;
    return state;
  }

  // Whether a flow passes the filter (undated flows are in every year).
  function passes(state, material, category, dimension, loop, disposed, year) {
    return (!state.material || material) && Boolean(state.categories[category]) &&
      (dimension === null || Boolean(state.dimensions[dimension])) &&
      (!state.onlyLoops || loop) && (!state.onlyDisposed || disposed) &&
      (!state.year || year === null || year === undefined || String(year) === state.year);
  }
  window.symbiosisFilterState = filterState;
  window.symbiosisPasses = passes;

  function applyFilter(nodes, edges) {
    var state = filterState(), material = state.material, filtering = state.filtering;
    var dimensions = state.dimensions;
    var reached = {}, edgeUpdates = [], nodeUpdates = [], shown = 0, total = 0;
    var passing = [], inside = [], show = {}, extra = 0;
    edges.forEach(function (edge) {
      var carries = edge.mkeys ? edge.mkeys.indexOf(material) >= 0 : edge.mkey === material;
      var pass = !edge.off && passes(state, carries, edge.category, edge.dimension, edge.loop,
        edge.disposed, edge.year);
      if (!edge.expansion) total += 1;
      else extra += 1;
      if (pass) (edge.expansion ? inside : passing).push(edge);
    });
    // Aggregated views draw the largest links only (the panel says how many): readable.
    var limit = linkLimit();
    passing = largest(passing, limit);
    inside = largest(inside, limit);
    passing.forEach(function (edge) { show[edge.id] = true; shown += 1; });
    inside.forEach(function (edge) { show[edge.id] = true; });
    edges.forEach(function (edge) {
      var visible = Boolean(show[edge.id]);
      if (visible) { reached[edge.from] = true; reached[edge.to] = true; }
      if (Boolean(edge.hidden) === visible) edgeUpdates.push({ id: edge.id, hidden: !visible });
    });
    nodes.forEach(function (node) {
      var hide = Boolean(node.off) || (filtering && !reached[node.id] && !node.expansion);
      if (Boolean(node.hidden) !== hide) nodeUpdates.push({ id: node.id, hidden: hide });
    });
    edges.update(edgeUpdates);
    nodes.update(nodeUpdates);
    document.getElementById("sym-count").textContent =
      shown.toLocaleString("en-US") + " of " + total.toLocaleString("en-US") + " links shown" +
      (limit && shown === limit ? " (the largest)" : "") +
      (extra ? "; " + inside.length.toLocaleString("en-US") + " of " + extra.toLocaleString("en-US") +
        " links of the open sector's firms" : "");
    showMatrix(dimensions);
    if (window.symbiosisMapRedraw) window.symbiosisMapRedraw();
  }

  function largest(edges, limit) {
    if (!limit || edges.length <= limit) return edges;
    edges.sort(function (a, b) {
      return (b.value === null ? -1 : b.value) - (a.value === null ? -1 : a.value);
    });
    return edges.slice(0, limit);
  }

  function selected(id) {
    var select = document.getElementById(id);
    return select ? select.value : "";
  }

  function linkLimit() {
    var select = document.getElementById("sym-limit");
    return select ? Number(select.value) : 0;
  }

  function showMatrix(dimensions) {
    document.querySelectorAll(".sym-matrix").forEach(function (table) {
      table.hidden = !dimensions[table.dataset.dimension];
    });
  }

  function resetFilter(nodes, edges) {
    document.getElementById("sym-material").value = "";
    document.querySelectorAll(".sym-category, .sym-dimension").forEach(function (box) {
      box.checked = box.type === "radio" ? box.defaultChecked : true;
    });
    var limit = document.getElementById("sym-limit");
    if (limit) limit.value = String(data.linkLimit);
    var year = document.getElementById("sym-year");
    if (year) year.value = "";
    ["sym-only-loops", "sym-only-disposed"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box) box.checked = false;
    });
    applyFilter(nodes, edges);
  }

  // Text as the page shows it: a run of whitespace (a newline in a name) is one space.
  function shown(text) {
    return text.replace(/\s+/g, " ").trim().toLowerCase();
  }

  function search(network, nodes) {
    var query = shown(document.getElementById("sym-search").value);
    var found = document.getElementById("sym-found");
    if (!query) { found.textContent = ""; network.unselectAll(); return; }
    var matches = nodes.get({
      filter: function (node) {
        return !node.hidden && (shown(node.name).indexOf(query) >= 0 ||
          shown(node.id.slice(2)).indexOf(query) >= 0);
      }
    });
    found.textContent = matches.length ? matches.length + " found: " + clip(matches[0].name) : "no match";
    if (!matches.length) network.unselectAll();  // the previous match is no answer
    if (matches.length) {
      network.selectNodes(matches.map(function (node) { return node.id; }));
      network.focus(matches[0].id, { scale: 1.1, animation: { duration: 400 } });
    }
  }

  // In the report's frame: answer the report's question if it comes after we were ready.
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.symbiosis === "ping" &&
        document.documentElement.dataset.ready) {
      window.parent.postMessage({ symbiosis: "ready" }, "*");
    }
  });

  window.symbiosisPrepare = function (nodes, edges) {
    var hint = data.expand ? "click to show its firms (click again to fold)" : undefined;
    nodes.update(nodes.getIds().map(function (id) { return { id: id, title: tip, expandable: hint }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, title: tip }; }));
  };

  window.symbiosisTip = tip;
  window.symbiosisAttach = function (network, nodes, edges) {
    window.symbiosisNetwork = network;
    network.on("showPopup", function (id) { fillTip(id, nodes, edges); });
    if (data.physics) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.once("afterDrawing", markReady);
        network.fit();
      });
    } else {
      network.once("afterDrawing", markReady);
    }
    var apply = function () { applyFilter(nodes, edges); };
    document.getElementById("sym-material").addEventListener("change", apply);
    document.querySelectorAll("#sym-panel input[type=checkbox], #sym-panel input.sym-dimension").forEach(function (box) {
      box.addEventListener("change", apply);
    });
    ["sym-limit", "sym-year"].forEach(function (id) {
      var select = document.getElementById(id);
      if (select) select.addEventListener("change", apply);
    });
    if (data.expand) window.SymbiosisExpand.attach(network, nodes, edges, data, apply);
    if (data.map) window.SymbiosisMap.attach(data);
    document.getElementById("sym-reset").addEventListener("click", function () { resetFilter(nodes, edges); });
    var searchBox = document.getElementById("sym-search");
    searchBox.addEventListener("change", function () { search(network, nodes); });
    searchBox.addEventListener("keydown", function (event) {
      if (event.key === "Enter") search(network, nodes);
    });
    window.symbiosisFilter = function (settings) {
      if (settings.material !== undefined) document.getElementById("sym-material").value = settings.material;
      if (settings.year !== undefined) document.getElementById("sym-year").value = String(settings.year);
      apply();
    };
    apply();
  };
  // ---------------------------------------------------------------- expansion of a group
  // A click on a group shows its largest firms (data.expand, computed in Python) around
  // its position, with their links summed per (end, end, category, dimension); a second
  // click (on the group's firms' remainder node, or on the same group) folds it back.
  // One group is open at a time.
  window.SymbiosisExpand = {
    attach: function (network, nodes, edges, data, apply) {
      var ex = data.expand, index = {}, open = null, LABELS = 12;
      ex.ids.forEach(function (id, g) { index[id] = g; });
      var low = data.edgeWidth[0], high = data.edgeWidth[1];

      function width(value, dimension) {
        var top = dimension && data.widthMax ? data.widthMax[dimension] : 0;
        if (!top || value === null || !(value > 0)) return low;
        return low + (high - low) * Math.sqrt(Math.min(1, value / top));
      }

      function endId(g, k) {
        if (k < 0) return ex.ids[-1 - k];
        return k < ex.firms[g].length ? "n:" + ex.firms[g][k][0] : "x:" + g;
      }

      function fold() {
        if (open === null) return;
        nodes.remove(open.nodes);
        edges.remove(open.edges);
        nodes.update({ id: ex.ids[open.group], off: false });
        edges.update(open.covered.map(function (id) { return { id: id, off: false }; }));
        note("");
        open = null;
      }

      function note(text) {
        var element = document.getElementById("sym-expanded");
        if (element) element.textContent = text || "Click a sector to show its largest firms; click again to fold it back.";
      }

      function unfold(g) {
        var id = ex.ids[g], group = nodes.get(id), center = network.getPositions([id])[id];
        var firms = ex.firms[g], rest = ex.members[g] - firms.length;
        var count = firms.length + (rest > 0 ? 1 : 0), spread = 30 + 10 * Math.sqrt(count);
        var color = group.color, added = [];
        firms.forEach(function (firm, k) {
          // A sunflower around the group's place; the remainder node takes the centre.
          var angle = k * 2.399963, radius = spread * Math.sqrt((k + 1.5) / (count + 1));
          added.push({
            // Labels on the largest few only: 200 labels would cover each other.
            id: "n:" + firm[0], label: k >= LABELS ? undefined : firm[1].length > 30 ? firm[1].slice(0, 29) + "…" : firm[1],
            name: firm[1], role: firm[3], sector: group.sector, members: 1, loop: Boolean(firm[4]),
            throughflow: firm[5], x: center.x + radius * Math.cos(angle),
            y: center.y + radius * Math.sin(angle), size: Math.max(4, firm[2] * 0.6), shape: "dot",
            color: color, borderWidth: firm[4] ? 3 : 1, title: window.symbiosisTip, expansion: true
          });
        });
        if (rest > 0) {
          added.push({
            id: "x:" + g, label: rest.toLocaleString("en-US") + " other firms",
            name: rest.toLocaleString("en-US") + " other firms of " + group.name, members: rest,
            role: "", sector: group.sector, x: center.x, y: center.y, size: 12,
            shape: "dot", color: "#d0d7de", title: window.symbiosisTip, expansion: true,
            expandable: "click to fold the group back"
          });
        }
        var links = ex.links[g].map(function (link, i) {
          var dimension = link[3] >= 0 ? data.dimensions[link[3]] : null;
          var category = data.categories[link[2]];
          var record = {
            id: "x:" + g + ":" + i, from: endId(g, link[0]), to: endId(g, link[1]),
            width: width(link[4], dimension), color: data.categoryColors[category],
            category: category, dimension: dimension, quantity: link[4], value: link[4],
            unit: dimension ? data.canonicalUnits[dimension] : "", flows: link[5],
            material: link[5].toLocaleString("en-US") + (link[5] > 1 ? " flows" : " flow"),
            mkey: null, loop: Boolean(link[6] & 1), disposed: Boolean(link[6] & 2),
            expansion: true, title: window.symbiosisTip,
            smooth: { enabled: true, type: "curvedCW", roundness: 0.12 }
          };
          if (record.disposed) record.dashes = [8, 6];
          if (record.loop) record.shadow = { enabled: true, color: "#ffb000", size: 6, x: 0, y: 0 };
          return record;
        });
        var covered = edges.getIds({ filter: function (edge) { return edge.from === id || edge.to === id; } });
        edges.update(covered.map(function (edgeId) { return { id: edgeId, off: true }; }));
        nodes.update({ id: id, off: true });
        nodes.add(added);
        edges.add(links);
        open = { group: g, nodes: added.map(function (n) { return n.id; }), edges: links.map(function (e) { return e.id; }), covered: covered };
        var shownFirms = firms.length.toLocaleString("en-US");
        note("Showing " + group.name + ": " + (rest > 0 ? "the " + shownFirms + " largest of " +
          ex.members[g].toLocaleString("en-US") + " firms (by throughflow; the others as one grey node)"
          : "its " + shownFirms + (firms.length > 1 ? " firms" : " firm")) +
          ". Click the sector's grey node or press Escape to fold it back.");
      }

      network.on("click", function (params) {
        if (params.nodes.length !== 1) return;
        var id = params.nodes[0];
        if (open !== null && id === "x:" + open.group) { fold(); apply(); return; }
        if (index[id] === undefined) return;
        fold();
        unfold(index[id]);
        apply();
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && open !== null) { fold(); apply(); }
      });
      window.symbiosisExpand = function (id) {
        fold();
        if (index[id] !== undefined) unfold(index[id]);
        apply();
        return open === null ? 0 : open.nodes.length;
      };
      window.symbiosisFold = function () { fold(); apply(); };
    }
  };
})();
