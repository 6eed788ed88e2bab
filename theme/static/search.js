// The search page: Pagefind's UI over this language's index (Pagefind picks it by <html lang>).
// The address holds the search (?q=…&sort=date&<filter>=<value>…), so that it can be bookmarked,
// shared and reloaded; the header's search box on every page sends ?q= here.

var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
// The tokens of a page's Chinese title (render.han_tokens), which are words of its text to Pagefind.
var TOKENS = /\s*\bz\d{5}(?:\d{5})?\b/g;
var WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

// Each Chinese run of a query as the tokens pages carry (render.han_tokens): overlapping pairs of
// characters as "z" + both code points ("韦斯特" -> "z3977726031 z2603129305"), one character alone as
// "z" + its code point, which matches every pair starting with it. benchmarks/search.py calls it too.
function hanTokens(term) {
  return term.replace(HAN_RUN, function (run) {
    var codes = Array.from(run, function (c) { return String(c.codePointAt(0)).padStart(5, "0"); });
    if (codes.length === 1) return " z" + codes[0] + " ";
    var tokens = [];
    for (var i = 0; i + 1 < codes.length; i++) tokens.push("z" + codes[i] + codes[i + 1]);
    return " " + tokens.join(" ") + " ";
  }).trim().replace(/\s+/g, " ");
}
window.hanTokens = hanTokens;

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Pagefind joins blocks (heading, paragraphs) with ". ": after Chinese text that is "。", and after
// Chinese punctuation nothing.
function joinBlocks(text) {
  return text.replace(/([\u3400-\u9fff\uf900-\ufaff])\. /g, "$1。").replace(/([。！？；：」』）”])\. /g, "$1");
}

// An excerpt for a query holding Chinese, cut from the page's text around the first place that
// holds it: Pagefind's own excerpt is placed by matched words, and Chinese matches the tokens, which
// are not text. About `width` Chinese characters long (Latin letters count half), as long to the eye
// as an English excerpt of 30 words; every occurrence of the query's Chinese marked.
function hanExcerpt(content, query, width) {
  var text = joinBlocks(content.replace(TOKENS, "")).trim();
  var runs = (query.match(HAN_RUN) || []).sort(function (a, b) { return b.length - a.length; });
  var at = -1;
  for (var i = 0; i < runs.length && at < 0; i++) at = text.indexOf(runs[i]);
  var start = Math.max(0, at - Math.round(width / 4));
  var end = start, used = 0;
  while (end < text.length && used < width) used += WIDE.test(text[end++]) ? 1 : 0.5;
  var piece = escapeHtml(text.slice(start, end));
  runs.forEach(function (run) {
    piece = piece.split(escapeHtml(run)).join("<mark>" + escapeHtml(run) + "</mark>");
  });
  return (start > 0 ? "…" : "") + piece + (end < text.length ? "…" : "");
}

window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  var data = element.dataset;
  var tools = document.querySelector(".search-tools");
  var toggle = tools.querySelector(".filters-toggle");
  var ui = null;

  function state() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    params.forEach(function (value, key) {
      if (key !== "q" && key !== "sort") (filters[key] = filters[key] || []).push(value);
    });
    return {q: params.get("q") || "", sort: params.get("sort") === "date" ? "date" : "", filters: filters};
  }

  function save(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) params.set("q", s.q);
    if (s.sort) params.set("sort", s.sort);
    Object.keys(s.filters).forEach(function (key) {
      s.filters[key].forEach(function (value) { params.append(key, value); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    var count = Object.keys(s.filters).reduce(function (n, key) { return n + s.filters[key].length; }, 0);
    toggle.textContent = data.filtersLabel + (count ? " (" + count + ")" : "");
  }

  function checkedFilters() {
    if (!element.querySelector(".pagefind-ui__filter-checkbox")) return state().filters;   // not drawn yet
    var filters = {};
    element.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function order(sort) {
    return sort === "date" ? {date: "desc"} : null;
  }

  function start(s) {
    ui = new PagefindUI({
      element: "#search",
      bundlePath: data.bundle,
      baseUrl: data.base,
      showImages: true,   // the lead photo of items that have one (data-pagefind-meta on it)
      showSubResults: false,   // news items are short; sections would repeat their item
      excerptLength: Number(data.excerptWords),
      sort: order(s.sort),
      processTerm: hanTokens,
      processResult: function (result) {
        var date = result.meta[data.dateKey];
        delete result.meta[data.dateKey];   // shown before the excerpt, not again as a tag
        delete result.meta.han;   // an index field, not for readers
        var query = element.querySelector(".pagefind-ui__search-input").value;
        result.excerpt = HAN.test(query) ? hanExcerpt(result.content, query, Number(data.excerptWidth))
          : joinBlocks(result.excerpt.replace(TOKENS, ""));
        if (date) result.excerpt = '<span class="result-date">' + escapeHtml(date) + "</span> · " + result.excerpt;
        return result;
      },
      resetStyles: false,
      autofocus: true
    });
    // Pagefind's input is labelled by a title only; give it a visible label (WCAG 3.3.2). Made here,
    // not in the page: without JavaScript there is no input to label.
    var input = element.querySelector(".pagefind-ui__search-input");
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.className = "search-label";
    label.textContent = data.label;
    element.parentNode.insertBefore(label, element);
    if (s.q) ui.triggerSearch(s.q);
    if (Object.keys(s.filters).length) ui.triggerFilters(s.filters);
  }

  // Pagefind draws results as placeholders and fills them in one by one, each changing height: the
  // list is shown once none is still loading, so that nothing on screen jumps (layout shift).
  new MutationObserver(function () {
    element.classList.toggle("settling", !!element.querySelector(".pagefind-ui__results .pagefind-ui__loading"));
  }).observe(element, {childList: true, subtree: true});

  tools.hidden = false;
  var initial = state();
  tools.querySelector('select[name="order"]').value = initial.sort;
  save(initial);
  start(initial);

  // The address follows the query, the filters and the order.
  element.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input")) {
      save({q: event.target.value, sort: state().sort, filters: checkedFilters()});
    }
  });
  element.addEventListener("change", function (event) {
    if (event.target.classList.contains("pagefind-ui__filter-checkbox")) {
      save({q: state().q, sort: state().sort, filters: checkedFilters()});
    }
  });
  element.addEventListener("click", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-clear")) {
      setTimeout(function () { save({q: "", sort: state().sort, filters: checkedFilters()}); }, 0);
    }
  });
  // A new order applies to the current query and filters. Pagefind's UI has no public call for it:
  // set its sort property, then give it the filters again, which runs the search. Destroying the UI
  // and starting another raced with the shared search worker's asynchronous teardown (a search that
  // never answered); if the property ever goes away, the page is loaded again from the address.
  tools.addEventListener("change", function (event) {
    if (event.target.name !== "order") return;
    var s = {q: state().q, sort: event.target.value, filters: checkedFilters()};
    save(s);
    if (!ui._pfs || typeof ui._pfs.$$set !== "function") {
      window.location.reload();
      return;
    }
    ui._pfs.$$set({sort: order(s.sort)});
    ui.triggerFilters(s.filters);
  });
  // On a narrow screen the filters fold away behind a button.
  toggle.addEventListener("click", function () {
    var open = element.classList.toggle("filters-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
