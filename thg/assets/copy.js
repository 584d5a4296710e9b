/* "Copy BibTeX" and "Copy LaTeX" buttons: copy the text of [data-copy-source=NAME] for
   button[data-copy-target=NAME]. A data attribute, not an id: Material's code-copy feature rewrites
   the ids of code blocks. Falls back to a selection copy where the Clipboard API is missing. */
(function () {
  "use strict";
  function legacyCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand && document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function announce(button, message) {
    const status = button.parentElement.querySelector(".thg-copy-status");
    if (status) status.textContent = message;
    const old = button.dataset.label || button.textContent;
    button.dataset.label = old;
    button.textContent = message;
    clearTimeout(button._thgTimer);
    button._thgTimer = setTimeout(function () {
      button.textContent = old;
      if (status) status.textContent = "";
    }, 2000);
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button[data-copy-target]");
    if (!button) return;
    const name = button.dataset.copyTarget;
    const source = document.querySelector("[data-copy-source=\"" + CSS.escape(name) + "\"]");
    if (!source) { announce(button, "Nothing to copy"); return; }
    const text = source.textContent;
    const copy = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); })
      : legacyCopy(text);
    copy.then(function () { announce(button, "Copied"); },
              function () { announce(button, "Copy failed: select the text and copy it"); });
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
