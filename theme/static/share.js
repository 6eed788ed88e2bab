// The article's share button: the system's share sheet where the browser has one (Web Share API),
// else the page's address copied to the clipboard. Without JavaScript the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector(".share-button");
  if (!button || !(navigator.share || (navigator.clipboard && window.isSecureContext))) return;
  var status = document.querySelector(".share-status");
  var canonical = document.querySelector('link[rel="canonical"]');
  var address = canonical ? canonical.href : location.href;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: document.querySelector("h1").textContent, url: address }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(address).then(
      function () { status.textContent = button.dataset.copied; },
      function () { status.textContent = button.dataset.failed; });
  });
})();
