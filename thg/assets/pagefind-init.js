/* Load Pagefind's UI on the Search page only (large corpora), themed through Material's colours. */
(function () {
  "use strict";
  function boot() {
    const host = document.getElementById("thg-pagefind");
    if (!host || host.dataset.booted) return;
    host.dataset.booted = "1";
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = host.dataset.css;
    document.head.appendChild(css);
    const script = document.createElement("script");
    script.src = host.dataset.bundle;
    script.onload = function () {
      /* global PagefindUI */
      new PagefindUI({element: "#thg-pagefind", showSubResults: false, showImages: false, resetStyles: false});
      const input = host.querySelector("input");
      const params = new URLSearchParams(location.search), query = params.get("query") || params.get("q");
      if (input && query) { input.value = query; input.dispatchEvent(new Event("input", {bubbles: true})); }
    };
    document.head.appendChild(script);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
