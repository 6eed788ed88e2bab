// What search matches, in the browser: a query folded and made into tokens exactly as
// newsarchive/searchtext.py folds pages (read its docstring), and excerpts cut from a result's
// text around what the query found. A browser test holds fold() and the tokens to Python's.
(function () {
  var SPECIAL = {"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "ı": "i",
                 "ħ": "h", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ŧ": "t"};
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var RUN = new RegExp("([" + HAN + "]+)|([a-z0-9]+(?:-[a-z0-9]+)*)", "gu");
  var IS_HAN = new RegExp("[" + HAN + "]", "u");
  var WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
  var table = {};

  // Traditional -> simplified characters, as pairs in one string (written by the build from
  // OpenCC's data), fetched once, when a query first holds Chinese.
  var tableUrl = null, loading = null;
  function load(url) {
    tableUrl = url;
    loading = loading || fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(addPairs)
      .catch(function () {});
    return loading;
  }
  function addPairs(pairs) {
    var chars = Array.from(pairs);
    for (var i = 0; i + 1 < chars.length; i += 2) table[chars[i]] = chars[i + 1];
  }
  // The stemmer (porter2.js), loaded once, when a query first holds a Latin word or digits.
  var stemmerUrl = null, stemming = null;
  function loadStemmer() {
    stemming = stemming || (window.porter2 ? Promise.resolve() : new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = stemmerUrl;
      script.onload = script.onerror = function () { resolve(); };
      document.head.appendChild(script);
    }));
    return stemming;
  }
  function ready(query) {
    return Promise.all([IS_HAN.test(query) && tableUrl ? load(tableUrl) : null,
                        /[a-z0-9]/.test(fold(query)) && stemmerUrl ? loadStemmer() : null]);
  }

  function foldChar(ch) {
    var out = "";
    for (var lower of (table[ch] || ch).toLowerCase()) {
      lower = SPECIAL[lower] || lower;
      out += lower < "\u2000" ? lower.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : lower;
    }
    return out;
  }

  function fold(text) {
    var out = "";
    for (var ch of text.normalize("NFKC")) out += foldChar(ch);
    return out;
  }

  var DIGITS = "0123456789abcdefghijklmnoprstuvw";   // base 32 without q, the end mark
  function code(ch) {
    var n = ch.codePointAt(0);
    return [15, 10, 5, 0].map(function (shift) { return DIGITS[(n >> shift) & 31]; }).join("");
  }
  function hanToken(chars) { return "z" + chars.map(code).join("") + "q"; }
  function wordToken(word) { return "w" + window.porter2.stem(word).replace(/8/g, "88").replace(/9/g, "8i") + "9"; }

  // A page's tokens (tests compare them with Python's).
  function pageTokens(text) {
    var found = [];
    fold(text).replace(RUN, function (all, han, word) {
      if (han) {
        var chars = Array.from(han);
        for (var i = 0; i + 1 < chars.length; i++) found.push(hanToken([chars[i], chars[i + 1]]));
        found.push(hanToken([chars[chars.length - 1]]));
      } else {
        var parts = word.split("-").filter(function (p) { return p.length <= 40; });
        parts.forEach(function (p) { found.push(wordToken(p)); });
        if (parts.length > 1) found.push(wordToken(parts.join("")));
      }
      return all;
    });
    return found;
  }

  // A query's tokens: its Chinese as pairs, each of its words. A Chinese character alone goes
  // without its end mark, and so finds every token that starts with it. (Pairs that do not
  // overlap would read fewer parts of the index, but a 4-character word's results then hold its
  // pairs, not always the word: precision fell from 98 % to 93 % at 2,000 items.)
  function queryTokens(query) {
    var found = [];
    fold(query).replace(RUN, function (all, han, word) {
      if (han) {
        var chars = Array.from(han);
        if (chars.length === 1) found.push("z" + code(chars[0]));
        for (var i = 0; i + 1 < chars.length; i++) found.push(hanToken([chars[i], chars[i + 1]]));
      } else {
        word.split("-").forEach(function (p) { if (p && p.length <= 40) found.push(wordToken(p)); });
      }
      return all;
    });
    return found.join(" ");
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // Where the query is found in a text: [start, end) spans of code points, in order. Chinese by
  // folded substring, words by stem, as the tokens match.
  function spans(chars, query) {
    var folded = chars.map(foldChar);
    var flat = folded.join(""), starts = [], at = 0;
    folded.forEach(function (f) { starts.push(at); at += f.length; });
    function index(offset) {   // the code point whose folded text holds ``offset``
      var lo = 0, hi = starts.length - 1;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
      return lo;
    }
    var found = [], han = [], stems = {};
    fold(query).replace(RUN, function (all, h, word) {
      if (h) han.push(h);
      else word.split("-").forEach(function (p) { if (p) stems[window.porter2.stem(p)] = true; });
      return all;
    });
    han.forEach(function (run) {
      for (var i = flat.indexOf(run); i >= 0; i = flat.indexOf(run, i + run.length)) {
        found.push([index(i), index(i + run.length - 1) + 1]);
      }
    });
    if (Object.keys(stems).length) flat.replace(/[a-z0-9]+/g, function (word, offset) {
      if (stems[window.porter2.stem(word)]) found.push([index(offset), index(offset + word.length - 1) + 1]);
      return word;
    });
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }

  // An excerpt of ``text`` about ``width`` wide (a Chinese character 1, other characters 0.5):
  // around the first place the query is found, every place marked; the text's start when the
  // query matched only the headline or the item's terms.
  function excerpt(text, query, width) {
    var chars = Array.from(text.replace(/\s+/g, " ").trim());
    var found = spans(chars, query);
    var start = found.length ? found[0][0] : 0, used = 0;
    for (var back = 0; start > 0 && back < width / 4; start--) back += WIDE.test(chars[start - 1]) ? 1 : 0.5;
    while (start > 0 && /\w/.test(chars[start - 1]) && /\w/.test(chars[start])) start--;   // whole words
    var end = start;
    while (end < chars.length && used < width) used += WIDE.test(chars[end++]) ? 1 : 0.5;
    while (end < chars.length && /\w/.test(chars[end - 1]) && /\w/.test(chars[end])) end++;
    var html = "", at = start;
    found.forEach(function (span) {
      if (span[0] < at || span[0] >= end) return;
      html += escapeHtml(chars.slice(at, span[0]).join("")) + "<mark>" +
        escapeHtml(chars.slice(span[0], Math.min(span[1], end)).join("")) + "</mark>";
      at = Math.min(span[1], end);
    });
    html += escapeHtml(chars.slice(at, end).join(""));
    return (start > 0 ? "…" : "") + html + (end < chars.length ? "…" : "");
  }

  // Pagefind leaves out of a search the words it finds no page for (search_term in its
  // search.rs): "Belgium tank" found every page about Belgium. So a query of several tokens is
  // first asked token by token; when one finds nothing, the whole query is made a token that
  // matches nothing (tokens all start with w or z, and nothing is indexed under "n").
  var NOTHING = "nothing";
  var absent = {};   // query -> true when one of its tokens finds no page

  function check(pagefind, query) {
    return ready(query).then(function () {
      var terms = queryTokens(query).split(" ").filter(Boolean);
      if (terms.length < 2) return;
      return Promise.all(terms.map(function (t) { return pagefind.search(t); })).then(function (found) {
        if (found.some(function (r) { return r && r.results.length === 0; })) absent[query] = true;
        else delete absent[query];
      });
    });
  }

  function processTerm(query) { return absent[query] ? NOTHING : queryTokens(query); }

  // A search as the search page makes it, for tests and benchmarks: the tokens, the check above.
  function find(pagefind, query, options) {
    return check(pagefind, query).then(function () { return pagefind.search(processTerm(query), options); });
  }

  window.searchText = {use: function (table, stemmer) { tableUrl = table; stemmerUrl = stemmer; }, addPairs: addPairs,
                       ready: ready, fold: fold, pageTokens: pageTokens, queryTokens: queryTokens, excerpt: excerpt,
                       check: check, processTerm: processTerm, find: find, escapeHtml: escapeHtml};
})();
