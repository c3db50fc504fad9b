// The 404 page: fill its search box with the words of the address that was not found
// (/conformance/aks-1.33x/ → "conformance aks 1.33x"). Without JavaScript the form is empty.
(function () {
  "use strict";
  var form = document.getElementById("notfound-search");
  var input = document.getElementById("notfound-q");
  if (!form || !input || input.value) return;
  var path = location.pathname;
  var base = form.getAttribute("data-base") || "";
  if (base && path.indexOf(base + "/") === 0) path = path.slice(base.length);
  if (/^\/404(\.html)?$/.test(path)) return; // the page itself, not a missing address
  try { path = decodeURIComponent(path); } catch (e) { /* keep it as it came */ }
  var words = path
    .replace(/\.(html?|md|php|aspx?)$/i, "")
    .split(/[\/\-_+\s]+/)
    .filter(function (w) { return w && w !== "index"; });
  input.value = words.join(" ").slice(0, 200);
})();
