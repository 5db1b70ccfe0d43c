// warta: small conveniences only; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box, as on most news and code sites.
  document.addEventListener("keydown", function (ev) {
    var box = document.querySelector(".searchbox input");
    if (ev.key === "/" && box && document.activeElement !== box &&
        !(document.activeElement && /INPUT|TEXTAREA/.test(document.activeElement.tagName))) {
      ev.preventDefault();
      box.focus();
      box.select();
    }
  });
})();

// Facets of a search come after the hits: fetch the server-rendered (escaped) fragment and show it.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("#facets[data-src]");
  if (!box || !window.fetch) { return; }
  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.text() : ""; })
    .then(function (html) { if (html) { box.innerHTML = html; box.classList.add("loaded"); } })
    .catch(function () { /* keep the link to the page with facets */ });
});
