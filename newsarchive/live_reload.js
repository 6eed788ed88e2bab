// Injected by `build.py serve` only. Reloads the page after each successful rebuild (at the item's
// new address when the rebuild moved the item this tab shows), and shows content errors
// (file:line: field: message) in an overlay until they are fixed.
(function () {
  var seen = null;
  var source = new EventSource("/__live/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var first = seen === null;
    if (!first && state.generation === seen) return;
    seen = state.generation;
    document.documentElement.setAttribute("data-live-generation", String(seen));  // connected
    if (state.errors.length) {
      show(state.errors);
    } else if (!first) {
      source.close();
      var moved = (state.moved || {})[window.location.pathname];
      if (moved) window.location.replace(moved + window.location.hash);
      else window.location.reload();
    }
  };
  function show(errors) {
    var old = document.getElementById("live-errors");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "live-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.93);color:#fff;" +
      "padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("h2");
    title.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      " — the page shows the last good build; save a fix to reload";
    title.style.cssText = "margin:0 0 1rem;font-size:16px;color:#ffb4a8";
    var list = document.createElement("pre");
    list.textContent = errors.join("\n");
    list.style.cssText = "white-space:pre-wrap;margin:0";
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }
})();
