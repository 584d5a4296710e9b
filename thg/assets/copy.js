/* "Copy BibTeX" and "Copy LaTeX" buttons. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button[data-copy-target]");
    if (!button) return;
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent).then(function () {
      const old = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = old; }, 1500);
    });
  });
})();
/* Material's search overlay is a dialog without a name; give it one for screen readers. */
(function () {
  "use strict";
  function nameDialogs() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Search the site");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameDialogs);
  else nameDialogs();
})();
