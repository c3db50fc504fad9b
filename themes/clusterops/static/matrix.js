// Conformance matrix filters: type, vendor and "certifiable now" narrow the rows and the count.
// Without JavaScript the form stays hidden and the type and vendor index links do the job.
(function () {
  "use strict";
  var form = document.getElementById("matrix-filters");
  var table = document.getElementById("conformance-matrix");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var count = document.querySelector("#matrix-count [data-count]");
  var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));

  function value(c) {
    if (c.type === "checkbox") return c.checked ? c.value : "";
    return c.value;
  }

  function apply() {
    var wanted = {};
    controls.forEach(function (c) { var v = value(c); if (v) wanted[c.getAttribute("data-filter")] = v; });
    var keys = Object.keys(wanted);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = keys.every(function (k) { return row.getAttribute("data-" + k) === wanted[k]; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = String(shown);
    var params = new URLSearchParams();
    keys.forEach(function (k) { params.set(k, wanted[k]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  var initial = new URLSearchParams(location.search);
  controls.forEach(function (c) {
    var v = initial.get(c.name);
    if (v) { if (c.type === "checkbox") c.checked = v === c.value; else c.value = v; }
    c.addEventListener("change", apply);
  });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  // Without filters in the URL every row is already shown: skip a pass over thousands of rows.
  if (controls.some(function (c) { return value(c) !== ""; })) apply();
})();
