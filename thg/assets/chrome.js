/* Theme chrome shared by record pages (thg/site/chrome.py): the build appends this folder's skeleton as HTML,
   and a call to thgChromeStart. A record page loads the script in its head, where Material's inline script
   stood, as a blocking script; it calls thgChrome("start") right after <body> and thgChrome("end") right
   after its content. Each call writes its part with document.write where the calling script stands, so the
   parser builds the document Material would have written, scripts included: they run in the same order and
   block parsing as they would have. The calling scripts remove themselves. */
function thgChromeStart(parts) {
  "use strict";
  const loader = document.currentScript;
  const title = (loader.dataset.title || "").replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  const html = { start: parts.start.join(title), end: parts.end };
  window.thgChrome = (name) => {
    document.currentScript.remove();
    document.write(html[name]);
  };
  loader.remove();
  document.write(parts.scope);
}
