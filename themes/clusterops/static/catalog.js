// Catalog facet filters: narrows the tool grid and its counts as selects change. Without
// JavaScript the form stays hidden and the facet links (plain index pages) do the job.
(function () {
  "use strict";
  var form = document.getElementById("catalog-filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll("#catalog .tool-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("#catalog .category"));
  var count = document.querySelector("#catalog-count [data-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));

  function apply() {
    var wanted = {};
    selects.forEach(function (s) { if (s.value) wanted[s.getAttribute("data-facet")] = s.value; });
    var keys = Object.keys(wanted);
    var shown = 0;
    cards.forEach(function (card) {
      var ok = keys.every(function (facet) {
        var values = (card.getAttribute("data-" + facet) || "").split(" ");
        return values.indexOf(wanted[facet]) !== -1;
      });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (group) {
      var n = group.querySelectorAll(".tool-card:not([hidden])").length;
      group.hidden = n === 0;
      var c = group.querySelector("[data-group-count]");
      if (c) c.textContent = String(n);
    });
    if (count) count.textContent = String(shown);
    var params = new URLSearchParams();
    keys.forEach(function (k) { params.set(k, wanted[k]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  var initial = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var v = initial.get(s.name);
    if (v) s.value = v;
    s.addEventListener("change", apply);
  });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  // What the filters leave out is said only where there are filters.
  var note = document.getElementById("catalog-filter-note");
  if (note) note.hidden = false;
  apply();
})();
