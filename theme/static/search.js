// Starts Pagefind's UI on the search page. Pagefind picks the index matching <html lang>.
// A query in the address (?q=…, as sent by the header search form) is searched at once.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    baseUrl: element.dataset.base,
    showSubResults: true,
    showImages: true,   // the lead photo of items that have one (data-pagefind-meta on it)
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
});
