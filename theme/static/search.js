// Starts Pagefind's UI on the search page. Pagefind picks the index matching <html lang>.
// A query in the address (?q=…, as sent by the header search form) is searched at once.
// Each Chinese run of a query as overlapping pairs of characters ("韦斯特" -> "韦斯 斯特"); pages
// carry every character and pair in their "han" field. benchmarks/search.py calls it too.
function hanPairs(term) {
  return term.replace(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}/g, function (run) {
    var pairs = [];
    for (var i = 0; i + 1 < run.length; i++) pairs.push(run.slice(i, i + 2));
    return " " + pairs.join(" ") + " ";
  }).trim().replace(/\s+/g, " ");
}
window.hanPairs = hanPairs;

window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    baseUrl: element.dataset.base,
    showSubResults: true,
    showImages: true,   // the lead photo of items that have one (data-pagefind-meta on it)
    // Chinese: pages carry every character and pair of adjacent characters in a "han" field; a
    // query's Chinese runs become the same overlapping pairs, so a name matches whichever way
    // the indexer and the browser would each have split it into words.
    processTerm: hanPairs,
    processResult: function (result) {
      delete result.meta.han;   // an index field, not for readers
      var date = result.meta[element.dataset.dateKey];
      if (date) {   // the item's date before its excerpt (the excerpt is Pagefind's escaped HTML)
        var span = document.createElement("span");
        span.textContent = date;
        result.excerpt = '<span class="result-date">' + span.innerHTML + "</span> · " + result.excerpt;
      }
      return result;
    },
    resetStyles: false,
    autofocus: true
  });
  // Pagefind's input is labelled by a title only; give it a visible label (WCAG 3.3.2, axe
  // label-title-only). Made here, not in the page: without JavaScript there is no input to label.
  var input = element.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.className = "search-label";
    label.textContent = element.dataset.label;
    element.insertBefore(label, element.firstChild);
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  // The address follows the query (?q=…), so that a search can be bookmarked, shared and reloaded.
  if (input) {
    input.addEventListener("input", function () {
      var url = new URL(window.location.href);
      if (input.value.trim()) {
        url.searchParams.set("q", input.value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
    });
  }
});
