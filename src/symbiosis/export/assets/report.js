/* symbiosis report: sortable tables, dimension tabs, the network frame. Names from user
 * files are already escaped text in the page; this script only moves rows and toggles
 * visibility. */
(function () {
  "use strict";

  // A cell's sort value: its data-v (a number; "" for a blank), else its text; a blank
  // ("", "–") is null, and sorts last either way.
  function sortKey(cell) {
    var raw = cell.getAttribute("data-v");
    if (raw !== null) return raw === "" ? null : Number(raw);
    var text = cell.textContent.trim().toLowerCase();
    return text === "" || text === "–" ? null : text;
  }

  // Quantities of different dimensions (data-d) are never ordered by value: tonnes first,
  // then gigajoules, then cubic metres, each by value, in either direction.
  var DIMENSIONS = ["mass", "energy", "volume"];
  function group(cell) {
    return DIMENSIONS.indexOf(cell.getAttribute("data-d"));
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }

  function sortTable(table, column, header) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = sortKey(x.cells[column]), b = sortKey(y.cells[column]);
      if (a === null || b === null) return compare(a, b);  // blanks last either way
      var apart = group(x.cells[column]) - group(y.cells[column]);
      if (apart) return apart;
      return ascending ? compare(a, b) : compare(b, a);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, column) {
      var button = header.querySelector("button");
      if (button) button.addEventListener("click", function () { sortTable(table, column, header); });
    });
  });

  document.querySelectorAll(".tabs").forEach(function (group) {
    var tabs = group.querySelectorAll(".tab");
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        tabs.forEach(function (other) {
          var on = other === tab;
          other.setAttribute("aria-pressed", on ? "true" : "false");
          document.getElementById(other.getAttribute("data-target")).hidden = !on;
        });
      });
    });
  });

  var frame = document.getElementById("network-frame");
  var open = document.getElementById("open-network");
  if (frame && open) {
    open.addEventListener("click", function () {
      var blob = new Blob([frame.getAttribute("srcdoc")], { type: "text/html" });
      window.open(URL.createObjectURL(blob), "_blank", "noopener");
    });
  }
  window.addEventListener("message", function (event) {
    if (frame && event.source === frame.contentWindow && event.data && event.data.symbiosis === "ready") {
      document.documentElement.dataset.networkReady = "1";
    }
  });
  // The frame may have been ready before this script ran: ask again.
  if (frame && frame.contentWindow) frame.contentWindow.postMessage({ symbiosis: "ping" }, "*");
  document.documentElement.dataset.ready = "1";
})();
