// The Snowball English ("Porter2") stemmer, as the index's builder runs it (rust-stemmers'
// English algorithm): search.js loads this file only when a query word is not in the index as
// typed, to find it under its stem ("electing" → "elect", which "election" is indexed under).
// Words holding a digit are their own stem, as in the builder. tests/search_stemmer.rs checks
// that this file and the builder stem every word of the shipped site alike.
(function (root) {
  "use strict";

  function vowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  var DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
  var LI_ENDING = "cdeghkmnrt";

  var EXCEPTION1 = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
    idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
    sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EXCEPTION2 = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];

  // The word as an array of letters, with "Y" for a consonant y.
  function isV(w, i) { return vowel(w[i]); }

  // Where R1 and R2 start.
  function regions(w) {
    var s = w.join("");
    var p1 = w.length, p2 = w.length;
    var i = 0;
    var prefix = ["gener", "commun", "arsen"].filter(function (p) { return s.indexOf(p) === 0; })[0];
    if (prefix) {
      p1 = prefix.length;
    } else {
      while (i < w.length && !isV(w, i)) i++;
      while (i < w.length && isV(w, i)) i++;
      if (i < w.length) p1 = i + 1;
    }
    if (p1 < w.length) {
      i = p1;
      while (i < w.length && !isV(w, i)) i++;
      while (i < w.length && isV(w, i)) i++;
      if (i < w.length) p2 = i + 1;
    }
    return { p1: p1, p2: p2 };
  }

  // Whether the word w[0..end) ends in a short syllable.
  function shortSyllable(w, end) {
    if (end === 2) return isV(w, 0) && !isV(w, 1);
    if (end < 3) return false;
    var c = w[end - 1];
    return !isV(w, end - 3) && isV(w, end - 2) && !isV(w, end - 1) && c !== "w" && c !== "x" && c !== "Y";
  }

  function endsWith(w, suffix) {
    if (suffix.length > w.length) return false;
    for (var i = 0; i < suffix.length; i++) {
      if (w[w.length - suffix.length + i] !== suffix[i]) return false;
    }
    return true;
  }

  // The longest of `suffixes` the word ends with, or null.
  function longest(w, suffixes) {
    var best = null;
    suffixes.forEach(function (s) {
      if (endsWith(w, s) && (best === null || s.length > best.length)) best = s;
    });
    return best;
  }

  function replace(w, n, by) {
    return w.slice(0, w.length - n).concat(by.split(""));
  }

  function hasVowel(w, from, to) {
    for (var i = from; i < to; i++) if (isV(w, i)) return true;
    return false;
  }

  function step1a(w) {
    var s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    if (s === "sses") return replace(w, 4, "ss");
    if (s === "ied" || s === "ies") return replace(w, 3, w.length > 4 ? "i" : "ie");
    // "s": deleted when the word before the letter just before it holds a vowel.
    if (s === "s" && hasVowel(w, 0, w.length - 2)) return w.slice(0, -1);
    return w;
  }

  function step1b(w, r) {
    var s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === null) return w;
    if (s === "eed" || s === "eedly") {
      return w.length - s.length >= r.p1 ? replace(w, s.length, "ee") : w;
    }
    var stemmed = w.slice(0, w.length - s.length);
    if (!hasVowel(stemmed, 0, stemmed.length)) return w;
    var end = stemmed.join("");
    if (/(at|bl|iz)$/.test(end)) return stemmed.concat(["e"]);
    if (DOUBLES.some(function (d) { return end.slice(-2) === d; })) return stemmed.slice(0, -1);
    if (stemmed.length === r.p1 && shortSyllable(stemmed, stemmed.length)) return stemmed.concat(["e"]);
    return stemmed;
  }

  function step1c(w) {
    var n = w.length;
    if (n > 2 && (w[n - 1] === "y" || w[n - 1] === "Y") && !isV(w, n - 2)) return replace(w, 1, "i");
    return w;
  }

  var STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent",
    izer: "ize", ization: "ize", ational: "ate", ation: "ate", ator: "ate",
    alism: "al", aliti: "al", alli: "al", fulness: "ful", ousli: "ous", ousness: "ous",
    iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og", fulli: "ful",
    lessli: "less", li: ""
  };

  function step2(w, r) {
    var s = longest(w, Object.keys(STEP2));
    if (s === null || w.length - s.length < r.p1) return w;
    if (s === "ogi") return w[w.length - 4] === "l" ? replace(w, 3, "og") : w;
    if (s === "li") return LI_ENDING.indexOf(w[w.length - 3]) >= 0 ? w.slice(0, -2) : w;
    return replace(w, s.length, STEP2[s]);
  }

  var STEP3 = {
    tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic",
    ful: "", ness: "", ative: ""
  };

  function step3(w, r) {
    var s = longest(w, Object.keys(STEP3));
    if (s === null || w.length - s.length < r.p1) return w;
    if (s === "ative" && w.length - s.length < r.p2) return w;
    return replace(w, s.length, STEP3[s]);
  }

  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function step4(w, r) {
    var s = longest(w, STEP4);
    if (s === null || w.length - s.length < r.p2) return w;
    if (s === "ion") {
      var before = w[w.length - 4];
      return before === "s" || before === "t" ? w.slice(0, -3) : w;
    }
    return w.slice(0, w.length - s.length);
  }

  function step5(w, r) {
    var n = w.length;
    if (w[n - 1] === "e") {
      if (n - 1 >= r.p2 || (n - 1 >= r.p1 && !shortSyllable(w, n - 1))) return w.slice(0, -1);
      return w;
    }
    if (w[n - 1] === "l" && n - 1 >= r.p2 && w[n - 2] === "l") return w.slice(0, -1);
    return w;
  }

  function stem(word) {
    if (/[0-9]/.test(word)) return word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTION1, word)) return EXCEPTION1[word];
    var w = Array.from(word);
    if (w.length < 3) return word;
    if (w[0] === "'") w = w.slice(1);
    for (var i = 0; i < w.length; i++) {
      if (w[i] === "y" && (i === 0 || isV(w, i - 1))) w[i] = "Y";
    }
    var r = regions(w);
    w = step1a(w);
    if (EXCEPTION2.indexOf(w.join("")) < 0) {
      w = step1b(w, r);
      w = step1c(w);
      w = step2(w, r);
      w = step3(w, r);
      w = step4(w, r);
      w = step5(w, r);
    }
    return w.join("").replace(/Y/g, "y");
  }

  if (typeof module !== "undefined" && module.exports) module.exports = stem;
  else root.opsbookStem = stem;
})(this);
