// The search page: a search box, results and filters over Pagefind's JS API, for this language's
// index (pagefind/<lang>/). What a query matches and how excerpts are cut: searchtext.js.
//
// The page draws its own results rather than loading Pagefind's UI (120 KB of script and 14 KB of
// style, a third of what a reader downloaded for a first search), and so decides what that UI
// did not let it: no index parts preloaded for words as typed, ten results a load, filter values
// that give no results left out and the rest in the order readers expect, counts in each
// language's own words, everything drawn as text. Its markup keeps Pagefind UI's class names
// (pagefind-ui__…), which the style sheet and the tests use.
//
// The address holds the search (?q=…&sort=date&<filter>=<value>…), so that it can be bookmarked,
// shared and reloaded; the header's search box on every page sends ?q= here.

window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  var data = element.dataset;
  var tools = document.querySelector(".search-tools");
  var toggle = tools.querySelector(".filters-toggle");
  var orderSelect = tools.querySelector('select[name="order"]');
  var text = window.searchText;
  var PAGE = 10;
  var collator = new Intl.Collator(document.documentElement.lang === "zh" ? "zh-u-co-pinyin" : "en");
  var allFilters = null;   // every filter value and its count, loaded first: then searches count them too
  var pagefind = import(data.bundle + "pagefind.js").then(function (pf) {
    return pf.options({baseUrl: data.base}).then(function () { return pf.filters(); })
      .then(function (all) { allFilters = all; return pf; });
  });

  function make(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  // --- the address ---------------------------------------------------------------------------
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

  // --- the page's parts ------------------------------------------------------------------------
  var form = make("form", "pagefind-ui__form");
  form.setAttribute("role", "search");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var label = make("label", "search-label", data.label);
  label.htmlFor = "search-input";
  var input = make("input", "pagefind-ui__search-input");
  input.type = "search";
  input.id = "search-input";
  input.autocomplete = "off";
  var clear = make("button", "pagefind-ui__search-clear", data.clearLabel);
  clear.type = "button";
  var drawer = make("div", "pagefind-ui__drawer");
  var panel = make("fieldset", "pagefind-ui__filter-panel");
  panel.appendChild(make("legend", "pagefind-ui__filter-panel-label", data.filtersLabel));
  var resultsArea = make("div", "pagefind-ui__results-area");
  var message = make("p", "pagefind-ui__message");
  message.setAttribute("role", "status");
  var results = make("ol", "pagefind-ui__results");
  var more = make("button", "pagefind-ui__button", data.loadMore);
  more.type = "button";
  more.hidden = true;
  form.append(label, input, clear);
  resultsArea.append(message, results, more);
  drawer.append(panel, resultsArea);
  element.append(form, drawer);

  // --- searching -------------------------------------------------------------------------------
  var current = null;   // the search shown: {query, found, shown}
  var generation = 0;

  function chosen() {
    var filters = {};
    panel.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function run(s) {
    var mine = ++generation;
    var query = s.q.trim();
    var options = {filters: s.filters, sort: s.sort === "date" ? {date: "desc"} : undefined};
    if (!query && !Object.keys(s.filters).length) {
      show(mine, query, null);
      return;
    }
    pagefind.then(function (pf) {
      var term = null;
      return (query ? text.check(pf, query).then(function () { term = text.processTerm(query); }) : Promise.resolve())
        .then(function () { return pf.search(term, options); });
    }).then(function (found) { show(mine, query, found); });
  }

  function show(mine, query, found) {
    if (mine !== generation) return;   // a newer search was started meanwhile
    current = {query: query, found: found, shown: 0};
    results.replaceChildren();
    more.hidden = true;
    if (!found) {
      message.textContent = "";
      return;
    }
    var n = found.results.length;
    var words = n === 0 ? data.zeroResults : n === 1 ? data.oneResult : data.manyResults;
    message.textContent = query || n ? words.replace("[COUNT]", String(n)).replace("[SEARCH_TERM]", query || "…") : "";
    drawFilters(found.filters, found.totalFilters);
    showMore();
  }

  // The next ten results, drawn together once their data is in (nothing on screen jumps).
  function showMore() {
    var search = current, mine = generation;
    var next = search.found.results.slice(search.shown, search.shown + PAGE);
    search.shown += next.length;
    element.classList.add("settling");
    Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return;
      items.forEach(function (item) { results.appendChild(drawResult(item, search.query)); });
      more.hidden = search.shown >= search.found.results.length;
      element.classList.remove("settling");
    });
  }

  function drawResult(item, query) {
    var li = make("li", "pagefind-ui__result");
    var meta = item.meta || {};
    var thumb = make("div", "pagefind-ui__result-thumb");
    if (meta.image) {
      var img = make("img", "pagefind-ui__result-image");
      img.src = meta.image;
      img.alt = meta.image_alt || "";
      img.loading = "lazy";
      thumb.appendChild(img);
    }
    var inner = make("div", "pagefind-ui__result-inner");
    var title = make("p", "pagefind-ui__result-title");
    var link = make("a", "pagefind-ui__result-link", meta.title || item.url);
    link.href = item.url;
    title.appendChild(link);
    var excerpt = make("p", "pagefind-ui__result-excerpt");
    var date = meta[data.dateKey];
    excerpt.innerHTML = (date ? '<span class="result-date">' + text.escapeHtml(date) + "</span> · " : "") +
      text.excerpt(meta.text || "", query, Number(data.excerptWidth));   // built from escaped text
    inner.append(title, excerpt);
    li.append(thumb, inner);
    return li;
  }

  // Filters: each name a block, its values with their counts for the search as it is; a value
  // that would give no results is left out (unless it is chosen). Years newest first, names as
  // the language sorts them (pinyin in Chinese).
  var open = {}, boxes = 0;
  function drawFilters(counts, totals) {
    var selected = chosen();
    var wanted = Object.keys(selected).length ? selected : state().filters;
    panel.querySelectorAll(".pagefind-ui__filter-block").forEach(function (b) { open[b.dataset.name] = b.open; });
    panel.querySelectorAll(".pagefind-ui__filter-block").forEach(function (b) { b.remove(); });
    Object.keys(totals || counts || {}).sort(collator.compare).forEach(function (name) {
      var values = Object.keys((totals || counts)[name]).filter(function (v) {
        return ((counts[name] || {})[v] || 0) > 0 || (wanted[name] || []).indexOf(v) >= 0;
      });
      if (!values.length) return;
      values.sort(name === data.yearFilter ? function (a, b) { return b.localeCompare(a); } : collator.compare);
      var block = make("details", "pagefind-ui__filter-block");
      block.dataset.name = name;
      block.open = !!open[name];
      block.appendChild(make("summary", "pagefind-ui__filter-name", name));
      var group = make("div", "pagefind-ui__filter-group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", name);
      values.forEach(function (value) {
        var row = make("div", "pagefind-ui__filter-value");
        var box = make("input", "pagefind-ui__filter-checkbox");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.id = "filter-" + (++boxes);
        box.checked = (wanted[name] || []).indexOf(value) >= 0;
        var caption = make("label", "pagefind-ui__filter-label", value + " (" + ((counts[name] || {})[value] || 0) + ")");
        caption.htmlFor = box.id;
        row.append(box, caption);
        group.appendChild(row);
      });
      block.appendChild(group);
      panel.appendChild(block);
    });
  }

  // --- what the reader does --------------------------------------------------------------------
  var typing = null;
  input.addEventListener("input", function () {
    var s = {q: input.value, sort: state().sort, filters: chosen()};
    save(s);
    clearTimeout(typing);
    typing = setTimeout(function () { run(s); }, 150);   // a search per pause, not per key
  });
  clear.addEventListener("click", function () {
    input.value = "";
    var s = {q: "", sort: state().sort, filters: chosen()};
    save(s);
    run(s);
    input.focus();
  });
  panel.addEventListener("change", function (event) {
    if (!event.target.classList.contains("pagefind-ui__filter-checkbox")) return;
    var s = {q: input.value, sort: state().sort, filters: chosen()};
    save(s);
    run(s);
  });
  more.addEventListener("click", showMore);
  orderSelect.addEventListener("change", function () {
    var s = {q: input.value, sort: orderSelect.value, filters: chosen()};
    save(s);
    run(s);
  });
  // On a narrow screen the filters fold away behind a button.
  toggle.addEventListener("click", function () {
    var opened = element.classList.toggle("filters-open");
    toggle.setAttribute("aria-expanded", String(opened));
  });

  tools.hidden = false;
  text.use(data.table, data.stemmer);   // each fetched when a query first needs it
  var initial = state();
  orderSelect.value = initial.sort;
  input.value = initial.q;
  save(initial);
  input.focus();
  if (initial.q || Object.keys(initial.filters).length) {
    run(initial);
  } else {
    pagefind.then(function () { if (!current) drawFilters(allFilters, allFilters); });   // before any query
  }
});
