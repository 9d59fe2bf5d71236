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
    add(tip, "strong", node.name);
    var kind = node.members > 1 ? node.members.toLocaleString("en-US") + " nodes" : node.id.slice(2);
    add(tip, "div", [kind, node.role, node.sector].filter(Boolean).join(" · "), "sym-sub");
    var table = add(tip, "table");
    row(table, "", ["in", "out"]);
    Object.keys(node.inputs).forEach(function (dim) {
      var unit = data.units[dim];
      if (node.inputs[dim] || node.outputs[dim]) {
        row(table, dim, [number(node.inputs[dim], unit), number(node.outputs[dim], unit)]);
      }
    });
    row(table, "flows", [node.n_in.toLocaleString("en-US"), node.n_out.toLocaleString("en-US")]);
    if (node.loop) add(tip, "div", "in a symbiosis core: part of a loop", "sym-note");
  }

  function nameOf(nodes, id) {
    var node = nodes.get(id);
    return node ? node.name : id;
  }

  function fillEdge(edge, nodes) {
    add(tip, "strong", edge.material);
    add(tip, "div", nameOf(nodes, edge.from) + " → " + nameOf(nodes, edge.to), "sym-sub");
    var table = add(tip, "table");
    row(table, "category", [edge.category]);
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

  function applyFilter(nodes, edges) {
    var material = document.getElementById("sym-material").value;
    var categories = checkedValues(".sym-category"), dimensions = checkedValues(".sym-dimension");
    var onlyLoops = isChecked("sym-only-loops"), onlyDisposed = isChecked("sym-only-disposed");
    var filtering = Boolean(material) || onlyLoops || onlyDisposed ||
      document.querySelectorAll(".sym-category:not(:checked), .sym-dimension:not(:checked)").length > 0;
    var reached = {}, edgeUpdates = [], nodeUpdates = [], shown = 0, total = 0;
    edges.forEach(function (edge) {
      var carries = edge.mkeys ? edge.mkeys.indexOf(material) >= 0 : edge.mkey === material;
      var show = (!material || carries) && Boolean(categories[edge.category]) &&
        (edge.dimension === null || Boolean(dimensions[edge.dimension])) &&
        (!onlyLoops || edge.loop) && (!onlyDisposed || edge.disposed);
      total += 1;
      if (show) { shown += 1; reached[edge.from] = true; reached[edge.to] = true; }
      if (Boolean(edge.hidden) === show) edgeUpdates.push({ id: edge.id, hidden: !show });
    });
    nodes.forEach(function (node) {
      var hide = filtering && !reached[node.id];
      if (Boolean(node.hidden) !== hide) nodeUpdates.push({ id: node.id, hidden: hide });
    });
    edges.update(edgeUpdates);
    nodes.update(nodeUpdates);
    document.getElementById("sym-count").textContent =
      shown.toLocaleString("en-US") + " of " + total.toLocaleString("en-US") + " links shown";
  }

  function resetFilter(nodes, edges) {
    document.getElementById("sym-material").value = "";
    document.querySelectorAll(".sym-category, .sym-dimension").forEach(function (box) { box.checked = true; });
    ["sym-only-loops", "sym-only-disposed"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box) box.checked = false;
    });
    applyFilter(nodes, edges);
  }

  function search(network, nodes) {
    var query = document.getElementById("sym-search").value.trim().toLowerCase();
    var found = document.getElementById("sym-found");
    if (!query) { found.textContent = ""; network.unselectAll(); return; }
    var matches = nodes.get({
      filter: function (node) {
        return !node.hidden && (node.name.toLowerCase().indexOf(query) >= 0 ||
          node.id.slice(2).toLowerCase().indexOf(query) >= 0);
      }
    });
    found.textContent = matches.length ? matches.length + " found: " + matches[0].name : "no match";
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
    nodes.update(nodes.getIds().map(function (id) { return { id: id, title: tip }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, title: tip }; }));
  };

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
    document.querySelectorAll("#sym-panel input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", apply);
    });
    document.getElementById("sym-reset").addEventListener("click", function () { resetFilter(nodes, edges); });
    var searchBox = document.getElementById("sym-search");
    searchBox.addEventListener("change", function () { search(network, nodes); });
    searchBox.addEventListener("keydown", function (event) {
      if (event.key === "Enter") search(network, nodes);
    });
    window.symbiosisFilter = function (settings) {
      if (settings.material !== undefined) document.getElementById("sym-material").value = settings.material;
      apply();
    };
    apply();
  };
})();
