// Client of the static search index written by `opsbook build` (see src/emit/search.rs): it
// loads meta.json and filters.json, then only the word shards a query needs and the page chunks
// holding the results. Query words are split exactly as the indexer splits page text.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var base = form.getAttribute("data-index");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filterBox = document.getElementById("search-filters");
  var STOP = ["an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "we", "with"];
  var MAX_RESULTS = 50;
  var cache = {};

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  function words(text) {
    var found = text.match(/(?:[\p{L}\p{N}]|(?<=[0-9])\.(?=[0-9]))+/gu) || [];
    return found.map(function (w) { return w.toLowerCase(); }).filter(function (w) {
      return Array.from(w).length >= 2 && STOP.indexOf(w) === -1;
    });
  }

  function shardOf(word) {
    var bytes = new TextEncoder().encode(Array.from(word).slice(0, 2).join(""));
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function slug(s) { return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }

  // A light English stem for prefix matching: "upgrades" and "upgrading" both look for words
  // starting with "upgrad", so each finds the others.
  function stem(word) {
    var m = /^(.{4,}?)(?:ing|ed|es|s)$/.exec(word);
    return m && !/[0-9]/.test(word) ? m[1] : word;
  }

  // word → Map(page → score): exact matches count fully, other words sharing its stem half.
  function lookup(word) {
    var base = stem(word);
    return load("words/" + shardOf(base) + ".json").then(function (shard) {
      var scores = new Map();
      if (!shard) return scores;
      Object.keys(shard).forEach(function (w) {
        if (w.indexOf(base) !== 0) return;
        var weight = w === word ? 1 : 0.5;
        var postings = shard[w];
        for (var i = 0; i + 1 < postings.length; i += 2) {
          var page = postings[i];
          scores.set(page, Math.max(scores.get(page) || 0, postings[i + 1] * weight));
        }
      });
      return scores;
    });
  }

  var filters = [];
  var selects = [];

  function allowedPages() {
    var allowed = null;
    selects.forEach(function (s, n) {
      if (!s.value) return;
      var value = filters[n].values[Number(s.value)];
      var set = new Set(value ? value.pages : []);
      allowed = allowed === null ? set : new Set(Array.from(allowed).filter(function (p) { return set.has(p); }));
    });
    return allowed;
  }

  function rows(pages, meta) {
    var chunks = {};
    pages.forEach(function (p) { chunks[Math.floor(p / meta.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) {
      return load("pages/" + c + ".json").then(function (data) { return [Number(c), data]; });
    })).then(function (loaded) {
      var byChunk = {};
      loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
      return pages.map(function (p) { return byChunk[Math.floor(p / meta.chunk)][p % meta.chunk]; });
    });
  }

  function show(found, total, query) {
    list.textContent = "";
    found.forEach(function (row) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = row[0];
      a.textContent = row[1];
      li.appendChild(a);
      if (row[2]) {
        var section = document.createElement("span");
        section.className = "meta";
        section.textContent = " · " + row[2];
        li.appendChild(section);
      }
      if (row[3]) {
        var p = document.createElement("p");
        p.textContent = row[3];
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var shown = total > found.length ? " (showing the first " + found.length + ")" : "";
    status.textContent = total === 0
      ? "No results" + (query ? " for “" + query + "”" : "") + "."
      : total + " result" + (total === 1 ? "" : "s") + (query ? " for “" + query + "”" : "") + shown + ".";
  }

  var generation = 0;
  function run() {
    var query = input.value.trim();
    var terms = words(query);
    var allowed = allowedPages();
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    selects.forEach(function (s, n) { if (s.value) params.set(slug(filters[n].name), filters[n].values[Number(s.value)].value); });
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    if (terms.length === 0 && allowed === null) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    var mine = ++generation;
    Promise.all([load("meta.json"), Promise.all(terms.map(lookup))]).then(function (res) {
      var meta = res[0];
      var perTerm = res[1];
      var scored;
      if (perTerm.length === 0) {
        scored = Array.from(allowed).map(function (p) { return [p, 0]; });
      } else {
        scored = [];
        perTerm[0].forEach(function (score, page) {
          var total = score;
          for (var i = 1; i < perTerm.length; i += 1) {
            var s = perTerm[i].get(page);
            if (s === undefined) return;
            total += s;
          }
          if (allowed === null || allowed.has(page)) scored.push([page, total]);
        });
        scored.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      }
      var top = scored.slice(0, MAX_RESULTS).map(function (x) { return x[0]; });
      return rows(top, meta).then(function (found) {
        if (mine === generation) show(found, scored.length, query);
      });
    }).catch(function (e) {
      status.textContent = "Search is unavailable: " + e.message;
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });

  var initial = new URLSearchParams(location.search);
  input.value = initial.get("q") || "";
  load("filters.json").then(function (data) {
    filters = data || [];
    filters.forEach(function (f) {
      var label = document.createElement("label");
      label.textContent = f.name + " ";
      var select = document.createElement("select");
      select.name = slug(f.name);
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "Any";
      select.appendChild(any);
      f.values.forEach(function (v, n) {
        var o = document.createElement("option");
        o.value = String(n);
        o.textContent = v.value + " (" + v.pages.length + ")";
        if (initial.get(select.name) === v.value) o.selected = true;
        select.appendChild(o);
      });
      select.addEventListener("change", run);
      label.appendChild(select);
      filterBox.appendChild(label);
      selects.push(select);
    });
    filterBox.hidden = filters.length === 0;
    run();
  }).catch(function (e) {
    status.textContent = "Search is unavailable: " + e.message;
  });
})();
