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
