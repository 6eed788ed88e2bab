// Starts Pagefind's UI on the search page. Pagefind picks the index matching <html lang>.
// A query in the address (?q=…, as sent by the header search form) is searched at once.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    baseUrl: element.dataset.base,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});
