// Client of the static search index written by `opsbook build` (src/emit/search/ describes the
// files). A query loads meta.json, the shards of its words and, for the results it shows, the
// passage blocks holding their excerpts; nothing else. Words are split as the indexer splits
// them; the index maps every word form it holds to its Snowball stem. A query word it does not
// hold ("electing") is stemmed by stem.js, the same algorithm, loaded only then.
(function () {
  "use strict";
  var self = document.currentScript;
  var form = document.getElementById("search-form");
  if (!form) return;
  var root = form.getAttribute("data-index");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var correction = document.getElementById("search-correction");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  var filterBox = document.getElementById("search-filters");
  var PAGE = 10;
  // Whose words an imported summary is, by the entry's `source` (the form's data-quoted, as
  // the theme's cards say it); a source not named there is attributed by its own name.
  var quotedBy = {};
  try { quotedBy = JSON.parse(form.getAttribute("data-quoted") || "{}") || {}; } catch (e) { quotedBy = {}; }
  var meta = null;
  var base = "";
  var stop = new Set();
  var split = new Set();
  var groupOf = new Map();
  var cache = {};

  // A file of the index, fetched once; a failed fetch is forgotten, so a later query tries
  // again instead of failing on it for the rest of the page's life.
  function load(path, asText) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return asText ? r.text() : r.json();
      });
      forget(path);
    }
    return cache[path];
  }

  function forget(key) {
    var p = cache[key];
    p.catch(function () { if (cache[key] === p) delete cache[key]; });
  }

  // meta.json names the content-hashed folder of this build; it is revalidated on every load.
  // The index's file layout this script reads (meta.json's `format`). After a deploy that
  // changed it, a cached older script would ask for files that are gone: it fetches itself
  // afresh and reloads the page, once.
  var FORMAT = 2;
  var ready = fetch(root + "meta.json", { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("meta.json: HTTP " + r.status);
    return r.json();
  }).then(function (m) {
    if (m.format !== FORMAT) {
      var marker = "opsbook-search-format-" + m.format;
      try {
        if (self && self.src && !sessionStorage.getItem(marker)) {
          sessionStorage.setItem(marker, "1");
          fetch(self.src, { cache: "reload" }).then(function () { location.reload(); });
        }
      } catch (e) { /* no sessionStorage: no reload */ }
      throw new Error("the index has format " + m.format + ", this script reads " + FORMAT);
    }
    meta = m;
    base = root + m.index;
    stop = new Set(m.stop);
    split = new Set(m.split);
    (m.groups || []).forEach(function (run) {
      for (var k = 0; k < run[1]; k++) groupOf.set(run[0] + k, run[0]);
    });
    return m;
  });

  var WORD = /(?:[\p{L}\p{N}]|(?<=[0-9])\.(?=[0-9]))+/gu;
  function chars(w) { return Array.from(w).length; }
  function words(text) {
    var out = [];
    (text.match(WORD) || []).forEach(function (w) {
      w = w.toLowerCase();
      if (/^v[0-9]+(\.[0-9]+)+$/.test(w)) w = w.slice(1);
      if (chars(w) >= 2 && !stop.has(w) && out.indexOf(w) === -1) out.push(w);
    });
    return out;
  }

  function shardOf(key) {
    var c = Array.from(key);
    var d = 2;
    while (d < c.length && split.has(c.slice(0, d).join(""))) d += 1;
    var bytes = new TextEncoder().encode(c.slice(0, d).join(""));
    return "w/" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("") + ".json";
  }
  function shard(key) {
    return load(shardOf(key)).then(function (s) { return s || { s: {}, w: {} }; });
  }

  function deltas(list, from) {
    var out = new Set();
    var doc = 0;
    for (var i = from; i < list.length; i += 1) { doc += list[i]; out.add(doc); }
    return out;
  }

  // stem → Map(page → {score, passages})
  // A stem's pages as a Map (doc → score and passages). `map.held` is how many pages hold the
  // stem: more than the map has when its postings were cut to the best-scoring ones (`s.n`).
  function postings(stem) {
    return shard(stem).then(function (s) {
      var raw = s.s[stem] || [];
      var map = new Map();
      var doc = 0;
      for (var i = 0; i < raw.length;) {
        doc += raw[i];
        var n = raw[i + 2];
        map.set(doc, { score: raw[i + 1], passages: raw.slice(i + 3, i + 3 + n) });
        i += 3 + n;
      }
      map.held = Math.max(map.size, (s.n && Object.prototype.hasOwnProperty.call(s.n, stem) && s.n[stem]) || 0);
      return map;
    });
  }

  // Optimal string alignment distance, giving up above `max`.
  function distance(a, b, max) {
    var m = a.length, n = b.length;
    if (Math.abs(m - n) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= n; j += 1) prev[j] = j;
    for (var i = 1; i <= m; i += 1) {
      cur = [i];
      var best = i;
      for (j = 1; j <= n; j += 1) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[n];
  }

  // Words within edit distance 1 (4+ letters) or 2 (8+), most used first, from the
  // vocabulary files of nearby lengths.
  function nearWords(word) {
    var w = Array.from(word);
    if (w.length < 4 || /[0-9]/.test(word)) return Promise.resolve([]);
    var max = w.length >= 8 ? 2 : 1;
    var lengths = meta.vocab.filter(function (n) { return Math.abs(n - w.length) <= max; });
    return Promise.all(lengths.map(function (n) { return load("v/" + n + ".txt", true); })).then(function (texts) {
      var found = [];
      texts.forEach(function (t) {
        (t || "").split("\n").forEach(function (v, rank) {
          var d = distance(w, Array.from(v), max);
          if (d <= max) found.push({ word: v, d: d, rank: rank });
        });
      });
      found.sort(function (a, b) { return a.d - b.d || a.rank - b.rank; });
      return found.filter(function (f) { return f.d === found[0].d; }).slice(0, 2).map(function (f) { return f.word; });
    });
  }

  // The stemmer (stem.js), loaded the first time a query word is not in the index as typed.
  // Without it (a failed load) a word is its own stem, and the next query tries again.
  var stemmer = null;
  function stemOf(word) {
    if (/[0-9]/.test(word)) return Promise.resolve(word);
    if (!stemmer) {
      var src = form.getAttribute("data-stemmer");
      var p = new Promise(function (done, fail) {
        if (!src) return fail(new Error("no stemmer"));
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () {
          if (typeof window.opsbookStem === "function") done(window.opsbookStem);
          else fail(new Error("stem.js defined no stemmer"));
        };
        script.onerror = function () { fail(new Error("stem.js did not load")); };
        document.head.appendChild(script);
      });
      p.catch(function () { if (stemmer === p) stemmer = null; });
      stemmer = p;
    }
    return stemmer.then(function (f) { return f(word); }, function () { return word; });
  }

  // The stem a word is indexed under: its own entry, else the stem it is a key of; null when
  // the index does not hold it.
  function known(word) {
    return shard(word).then(function (s) {
      var e = s.w[word];
      if (e !== undefined) return typeof e === "string" ? e : e[0];
      return s.s[word] ? word : null;
    });
  }

  // A word the index does not hold, written as two it does ("argocd" → "argo" "cd"): the
  // first split, longest first part first (a long word the index holds is rarely there by
  // chance), of parts of 2+ letters; null when there is none. The first parts share the word's
  // shard; each second part may need its own, so at most three are looked up.
  function splitWord(word) {
    var c = Array.from(word);
    var at = c.length - 2, seconds = 0;
    function next() {
      if (at < 2 || seconds >= 3 || /[0-9]/.test(word)) return Promise.resolve(null);
      var a = c.slice(0, at).join(""), b = c.slice(at).join("");
      at -= 1;
      return known(a).then(function (sa) {
        if (!sa || stop.has(a) || stop.has(b)) return next();
        seconds += 1;
        return known(b).then(function (sb) {
          return sb ? [{ word: a, stem: sa }, { word: b, stem: sb }] : next();
        });
      });
    }
    return next();
  }

  // A query word → {word shown, stems: [{stem, weight, exact}]}: its own form, else its
  // stem, else words it starts, else the nearest words by spelling, else two words it joins
  // (then `also` holds the second).
  function resolve(word, allowTypo) {
    return shard(word).then(function (s) {
      var entry = s.w[word];
      if (entry !== undefined) {
        var stem = typeof entry === "string" ? entry : entry[0];
        return { word: word, stems: [{ stem: stem, weight: 1, exact: typeof entry === "string" ? null : deltas(entry, 1) }] };
      }
      if (s.s[word]) return { word: word, stems: [{ stem: word, weight: 1, exact: null }] };
      if (!allowTypo) return unheld(word, s, false);
      return stemOf(word).then(function (st) {
        if (st === word) return unheld(word, s, true);
        return shard(st).then(function (t) {
          if (t.s[st]) return { word: word, stems: [{ stem: st, weight: 1, exact: null }] };
          return unheld(word, s, true);
        });
      });
    });
  }

  // A word the index holds neither as typed nor by its stem: words it starts (in its shard
  // `s`), else (when `allowTypo`) the nearest words by spelling, else two words it joins.
  function unheld(word, s, allowTypo) {
    return Promise.resolve().then(function () {
      var stems = [];
      if (chars(word) >= 3) {
        Object.keys(s.w).concat(Object.keys(s.s)).forEach(function (k) {
          if (k.indexOf(word) !== 0) return;
          var e = s.w[k];
          var st = e === undefined ? k : typeof e === "string" ? e : e[0];
          if (stems.length < 30 && !stems.some(function (x) { return x.stem === st; })) stems.push({ stem: st, weight: 0.7, exact: null });
        });
      }
      if (stems.length || !allowTypo) return { word: word, stems: stems };
      return nearWords(word).then(function (near) {
        return Promise.all(near.map(function (n) { return resolve(n, false); })).then(function (rs) {
          var all = [];
          rs.forEach(function (r) { r.stems.forEach(function (x) { all.push({ stem: x.stem, weight: 0.9, exact: null }); }); });
          if (near.length) return { word: near[0], corrected: true, stems: all };
          return splitWord(word).then(function (parts) {
            if (!parts) return { word: word, stems: [] };
            var term = function (p) { return { word: p.word, corrected: true, stems: [{ stem: p.stem, weight: 0.9, exact: null }] }; };
            var first = term(parts[0]);
            first.also = term(parts[1]);
            return first;
          });
        });
      });
    });
  }

  // One query word's pages: the best of its stems per page.
  function termPages(term) {
    return Promise.all(term.stems.map(function (x) { return postings(x.stem); })).then(function (maps) {
      var pages = new Map();
      var held = 0;
      maps.forEach(function (map, k) {
        held = Math.max(held, map.held || map.size);
        var x = term.stems[k];
        map.forEach(function (p, doc) {
          var score = p.score * x.weight * (x.exact && !x.exact.has(doc) ? 0.8 : 1);
          var had = pages.get(doc);
          if (!had || had.score < score) pages.set(doc, { score: score, passages: p.passages });
        });
      });
      term.pages = pages;
      term.held = Math.max(held, pages.size);
      return term;
    });
  }

  // How much a query word tells pages apart: its inverse document frequency, as BM25's, by
  // the pages holding it (not only those its cut postings list).
  function idf(term) {
    var n = meta.pages, df = Math.max(term.held || 0, term.pages.size);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // Pages scored: summed BM25F scores, scaled by the share of the query's words the page has,
  // each word counting by its rarity (a page lacking "tool" loses less than one lacking
  // "gitops"), and by how many of them meet in one passage.
  function rank(terms, allowed) {
    var docs = new Map();
    terms.forEach(function (t, k) {
      t.pages.forEach(function (p, doc) {
        if (allowed && !allowed.has(doc)) return;
        var d = docs.get(doc);
        if (!d) { d = { doc: doc, sum: 0, hits: [] }; docs.set(doc, d); }
        d.sum += p.score;
        d.hits.push({ term: k, score: p.score, passages: p.passages });
      });
    });
    var n = terms.length;
    var weights = terms.map(idf);
    var total = weights.reduce(function (a, w) { return a + w; }, 0);
    var out = [];
    docs.forEach(function (d) {
      var per = {};
      var best = 1;
      d.hits.forEach(function (h) {
        h.passages.forEach(function (p) {
          per[p] = (per[p] || 0) + 1;
          if (per[p] > best) best = per[p];
        });
      });
      var cover = total > 0
        ? d.hits.reduce(function (a, h) { return a + weights[h.term]; }, 0) / total
        : d.hits.length / n;
      var near = n > 1 ? 1 + 0.5 * (best - 1) / (n - 1) : 1;
      d.score = d.sum * cover * near;
      out.push(d);
    });
    out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return out;
  }

  // One result per run of pages that differ only by version (meta.groups: one product's
  // conformance results, 1.26, 1.27, …): one page in its place, the others after every other
  // result, so they do not fill the first page of results. The page shown is the newest (last
  // in the run) of those scoring close to the run's best: an old result that says the product's
  // name once more (its vendor's former name, "Rancher Inc.") does not stand for a product that
  // has results up to 1.32.
  // A run member holding every version the query names ("1.32 end of life") stands for its
  // run before any better-scoring one.
  function collapse(found, terms) {
    if (!groupOf.size) return found;
    var versions = (terms || []).filter(function (t) { return /^v?[0-9]+\.[0-9]/.test(t.word); });
    var named = function (d) { return versions.every(function (t) { return t.pages.has(d.doc); }); };
    var top = new Map(), members = new Map();
    found.forEach(function (d) {
      var g = groupOf.get(d.doc);
      if (g === undefined) return;
      members.set(g, (members.get(g) || 0) + 1);
      var t = top.get(g);
      if (!t || d.score > t) top.set(g, d.score);
    });
    var best = new Map();
    found.forEach(function (d) {
      var g = groupOf.get(d.doc);
      if (g === undefined) return;
      var b = best.get(g);
      var close = function (x) { return x.score >= 0.75 * top.get(g); };
      var better = !b || (versions.length && named(d) !== named(b)
        ? named(d)
        : close(d) !== close(b) ? close(d) : close(d) ? d.doc > b.doc : d.score > b.score);
      if (better) best.set(g, d);
    });
    // The page shown says how many of its run come last.
    best.forEach(function (d, g) { d.others = members.get(g) - 1; });
    var seen = new Set(), first = [], later = [];
    found.forEach(function (d) {
      var g = groupOf.get(d.doc);
      if (g === undefined) {
        first.push(d);
      } else if (!seen.has(g)) {
        seen.add(g);
        first.push(best.get(g));
        if (best.get(g) !== d) later.push(d);
      } else if (best.get(g) !== d) {
        later.push(d);
      }
    });
    return first.concat(later);
  }

  // The passage where the most (and best-scoring) query words meet; -1 when the page matched
  // only by its title.
  function bestPassage(d) {
    var weight = {};
    d.hits.forEach(function (h) {
      h.passages.forEach(function (p) { weight[p] = (weight[p] || 0) + 1 + h.score / 1e4; });
    });
    var best = -1;
    Object.keys(weight).forEach(function (p) {
      p = Number(p);
      if (best === -1 || weight[p] > weight[best] || (weight[p] === weight[best] && p < best)) best = p;
    });
    return best;
  }

  // Passage blocks are packed meta.pack pages to a file: d/<pack>.json is a JSON array of
  // blocks, page by page, and d/<pack>-i.json gives each block's byte length there (a list a
  // page). Block `p / meta.block` of page `doc` is fetched alone with an HTTP range request.
  function block(doc, p) {
    var b = Math.floor(Math.max(p, 0) / meta.block);
    var pack = Math.floor(doc / meta.pack);
    var first = pack * meta.pack;
    return load("d/" + pack + "-i.json").then(function (lengths) {
      if (!lengths) return null;
      var at = 0, start = 1; // the block's place in the array, and its first byte
      for (var k = 0; k <= doc - first; k++) {
        var mine = lengths[k] || [];
        for (var j = 0; j < mine.length; j++) {
          if (k === doc - first && j === b) return range("d/" + pack + ".json", at, start, start + mine[j] - 1);
          start += mine[j] + 1;
          at++;
        }
      }
      return null;
    });
  }

  // Item `at` of the JSON array at `path`, which spans bytes start..end (inclusive) of it. A
  // host that ignores ranges sends the whole file: it is kept for the file's other blocks. A
  // host that fails a range (some CDNs answer Firefox's with a range of the compressed file,
  // or 416) is sent no more ranges: whole packs from then on.
  var ranges = true;
  function range(path, at, start, end) {
    var pick = function (all) { return all ? all[at] || null : null; };
    if (cache[path] || !ranges) return load(path).then(pick);
    var key = path + "#" + start;
    if (!cache[key]) {
      cache[key] = fetch(base + path, { headers: { Range: "bytes=" + start + "-" + end } }).then(function (r) {
        if (r.status === 404) return null;
        if (r.status === 200) {
          cache[path] = r.json();
          return cache[path].then(pick);
        }
        var exact = r.status === 206 &&
          (r.headers.get("Content-Range") || "").indexOf("bytes " + start + "-" + end + "/") === 0;
        if (!exact) throw new Error(path + ": HTTP " + r.status + " to a range request");
        return r.json().then(function (b) {
          if (!b || typeof b.u !== "string") throw new Error(path + ": not a passage block");
          return b;
        });
      }).catch(function () {
        ranges = false;
        return load(path).then(pick);
      });
      forget(key);
    }
    return cache[key];
  }

  // Does this word of a passage match a query word?
  function matcher(terms) {
    var forms = [];
    terms.forEach(function (t) {
      forms.push(t.word);
      t.stems.forEach(function (x) {
        if (chars(x.stem) >= 3) forms.push(x.stem);
        if (/i$/.test(x.stem) && chars(x.stem) >= 5) forms.push(x.stem.slice(0, -1));
      });
    });
    return function (token) {
      var w = token.toLowerCase().replace(/^v(?=[0-9])/, "");
      return forms.some(function (f) {
        return w === f || (w.indexOf(f) === 0 && (/[0-9]/.test(f) ? w.charAt(f.length) === "." : true));
      });
    };
  }

  // The passage's text around its first match, with every match in <mark>.
  function excerpt(text, matches) {
    var parts = text.split(/(\s+)/);
    var wordsAt = [];
    parts.forEach(function (p, i) { if (p.trim()) wordsAt.push(i); });
    var first = -1;
    wordsAt.some(function (i, k) {
      var hit = (parts[i].match(WORD) || []).some(matches);
      if (hit) first = k;
      return hit;
    });
    if (first === -1) return null;
    // The window starts where a block does (a paragraph, list item or table row: the index
    // writes a line break before it) when one is close enough before the first match, so an
    // excerpt never starts in the middle of a row; else 10 words before the match.
    var from = Math.max(0, first - 10);
    for (var k = first; k >= 0 && first - k <= 25; k--) {
      if (k === 0 || parts[wordsAt[k] - 1].indexOf("\n") !== -1) { from = k; break; }
    }
    // A cut excerpt starts and ends at a word: never "… · CNCF" or "… , and", nor "run — …".
    var wordy = function (k) { return /[\p{L}\p{N}]/u.test(parts[wordsAt[k]]); };
    if (from > 0) while (from < first && !wordy(from)) from++;
    var to = Math.min(wordsAt.length, from + 36);
    if (to < wordsAt.length) while (to - 1 > first && !wordy(to - 1)) to--;
    var frag = document.createDocumentFragment();
    if (from > 0) frag.appendChild(document.createTextNode("… "));
    var start = wordsAt[from], end = to < wordsAt.length ? wordsAt[to - 1] : parts.length - 1;
    var chunk = parts.slice(start, end + 1).join("");
    // …and not at the closing punctuation of a word before it ("… ), the" becomes "… the").
    if (from > 0) chunk = chunk.replace(/^[.,;:!?)\]}»”’·•|—–]+\s*/u, "");
    var last = 0;
    chunk.replace(WORD, function (w, at) {
      if (matches(w)) {
        frag.appendChild(document.createTextNode(chunk.slice(last, at)));
        var m = document.createElement("mark");
        m.textContent = w;
        frag.appendChild(m);
        last = at + w.length;
      }
      return w;
    });
    frag.appendChild(document.createTextNode(chunk.slice(last) + (to < wordsAt.length ? " …" : "")));
    return frag;
  }

  // `<q>text</q> (the landscape’s words)` into `p`, as the cards quote an imported summary.
  function attribute(p, text, source) {
    var q = document.createElement("q");
    q.appendChild(text);
    p.appendChild(q);
    var who = document.createElement("span");
    who.className = "meta attribution";
    var words = Object.prototype.hasOwnProperty.call(quotedBy, source) ? String(quotedBy[source]) : "the words of " + source;
    who.textContent = " (" + words + ")";
    p.appendChild(who);
  }

  function item(d, row, matches) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = row.u;
    a.textContent = row.t;
    li.appendChild(a);
    if (row.s) {
      var section = document.createElement("span");
      section.className = "meta";
      section.textContent = " · " + row.s;
      li.appendChild(section);
    }
    if (row.l) {
      // The page's `[book] label` (an invented example says so here as on its page).
      var label = document.createElement("span");
      label.className = "badge badge-" + String(row.l).toLowerCase().replace(/[^a-z0-9-]/g, "-");
      label.textContent = row.l;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(label);
    }
    if (d.others > 0) {
      var others = document.createElement("span");
      others.className = "meta others";
      others.textContent = " · " + d.others + " other version" + (d.others === 1 ? "" : "s") + " listed last";
      li.appendChild(others);
    }
    var passage = d.passage >= 0 ? row.p[d.passage % meta.block] : null;
    var shown = passage ? excerpt(passage[0], matches) : null;
    var p = document.createElement("p");
    // The summary (passage 0, first in block 0) of an imported entry is its source's text:
    // quoted and attributed, never shown as the site's own words.
    var quoted = typeof row.q === "string" && row.q ? row.q : null;
    if (shown && quoted && d.passage === 0) {
      p.className = "excerpt quoted";
      attribute(p, shown, quoted);
    } else if (shown) {
      p.className = "excerpt";
      var heading = passage.length > 1 && row.h ? row.h[passage[1]] : null;
      if (heading) {
        var to = document.createElement("a");
        to.href = row.u + "#" + heading[0];
        to.textContent = heading[1] || heading[0];
        to.className = "excerpt-section";
        p.appendChild(to);
        p.appendChild(document.createTextNode(": "));
      }
      p.appendChild(shown);
    } else {
      // Matched by its title or panel alone: the page's summary, no excerpt to mark.
      var lede = d.passage >= meta.block ? null : row.p[0];
      p.className = "summary";
      if (lede && lede[0] && quoted) {
        p.className = "summary quoted";
        attribute(p, document.createTextNode(lede[0]), quoted);
      } else {
        p.textContent = lede ? lede[0] : "";
      }
    }
    if (p.textContent) li.appendChild(p);
    return li;
  }

  function slug(s) { return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }

  var filters = [];
  var selects = [];
  function allowedPages() {
    var chosen = [];
    selects.forEach(function (s, n) { if (s.value) chosen.push([n, Number(s.value)]); });
    if (!chosen.length) return Promise.resolve(null);
    return Promise.all(chosen.map(function (c) {
      return load("f/" + c[0] + ".json").then(function (values) { return new Set((values || [])[c[1]] || []); });
    })).then(function (sets) {
      return sets.reduce(function (a, b) { return new Set(Array.from(a).filter(function (p) { return b.has(p); })); });
    });
  }

  // A filter option's count is of the whole site: shown only while nothing is searched or
  // filtered. Once words or a filter narrow the results the site-wide number would read as a
  // count of them ("Conformance results (1123)" for q=upgrade), and counting the matches
  // would fetch every filter's page list on every query, so the options drop their numbers.
  // `matched` is true when words or a filter are in use.
  function showCounts(matched) {
    selects.forEach(function (select, n) {
      Array.from(select.options).forEach(function (o) {
        if (!o.value) return;
        var v = filters[n].values[Number(o.value)];
        o.textContent = matched ? v[0] : v[0] + " (" + v[1] + ")";
      });
    });
  }

  var state = null;
  function showMore() {
    if (!state) return Promise.resolve();
    var mine = state;
    var next = mine.found.slice(mine.shown, mine.shown + PAGE);
    next.forEach(function (d) { d.passage = bestPassage(d); });
    return Promise.all(next.map(function (d) { return block(d.doc, d.passage); })).then(function (rows) {
      if (mine !== state) return;
      var items = next.map(function (d, k) { return { d: d, row: rows[k] }; }).filter(function (x) { return x.row; });
      if (mine.shown === 0 && mine.titleWords) {
        // A page titled exactly as the query goes first ("Cluster API", "velero").
        var same = function (x) { return words(x.row.t).sort().join(" ") === mine.titleWords ? 0 : 1; };
        items.sort(function (a, b) { return same(a) - same(b); });
      }
      items.forEach(function (x) { list.appendChild(item(x.d, x.row, mine.matches)); });
      mine.shown += next.length;
      moreButton.hidden = mine.shown >= mine.found.length;
    });
  }

  var generation = 0;
  function run() {
    var query = input.value.trim();
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    selects.forEach(function (s, n) { if (s.value) params.set(slug(filters[n].name), filters[n].values[Number(s.value)][0]); });
    // The address names what is shown: it changes when the results do.
    var address = function () { history.replaceState(null, "", params.toString() ? "?" + params : location.pathname); };
    var mine = ++generation;
    list.setAttribute("aria-busy", "true");
    Promise.all([ready, allowedPages()]).then(function (res) {
      var allowed = res[1];
      var asked = words(query);
      if (mine !== generation) return null;
      if (asked.length === 0 && allowed === null) {
        address();
        list.removeAttribute("aria-busy");
        state = null;
        list.textContent = "";
        status.textContent = "";
        correction.hidden = true;
        moreButton.hidden = true;
        showCounts(false);
        return null;
      }
      return Promise.all(asked.map(function (w) {
        return resolve(w, true).then(function (t) { return t.also ? [t, t.also] : [t]; });
      })).then(function (resolved) {
        return Promise.all([].concat.apply([], resolved).map(termPages));
      }).then(function (terms) {
        if (mine !== generation) return null;
        var found = terms.length
          ? collapse(rank(terms, allowed), terms)
          : Array.from(allowed).sort(function (a, b) { return a - b; }).map(function (doc) { return { doc: doc, hits: [] }; });
        var fixed = terms.filter(function (t) { return t.corrected; });
        correction.hidden = fixed.length === 0;
        if (fixed.length) {
          correction.textContent = "Showing results for ";
          var strong = document.createElement("strong");
          strong.textContent = terms.map(function (t) { return t.word; }).join(" ");
          correction.appendChild(strong);
        }
        address();
        state = {
          found: found,
          shown: 0,
          matches: matcher(terms),
          titleWords: terms.length ? terms.map(function (t) { return t.word; }).sort().join(" ") : null,
        };
        list.textContent = "";
        var total = found.length;
        var q = query ? " for “" + query + "”" : "";
        status.textContent = total === 0 ? "No results" + q + "." : total + " result" + (total === 1 ? "" : "s") + q + ".";
        showCounts(true);
        return showMore().then(function () {
          if (mine === generation) list.removeAttribute("aria-busy");
        });
      });
    }).catch(function (e) {
      status.textContent = "Search is unavailable: " + e.message;
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  moreButton.addEventListener("click", function () { showMore(); });

  var initial = new URLSearchParams(location.search);
  input.value = initial.get("q") || "";
  ready.then(function () { return load("filters.json"); }).then(function (data) {
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
        o.textContent = v[0] + " (" + v[1] + ")";
        if (initial.get(select.name) === v[0]) o.selected = true;
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
