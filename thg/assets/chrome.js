/* Theme chrome shared by record pages (thg/site/chrome.py): the build appends this depth's parts, the
   header, tabs, navigation drawer, footer and Material's configuration, as HTML, and a call to
   thgChromeStart. A record page loads the script where its header belongs, as a blocking script, so the
   header is in place before anything is painted; the page then calls thgChrome("tabs"), ("nav"),
   ("footer") and ("config") where those parts belong. Each call puts its part where the calling script
   stands and removes that script, so the document is the one Material would have written. */
function thgChromeStart(parts) {
  "use strict";
  let title = "";
  function put(name) {
    const here = document.currentScript;
    const template = document.createElement("template");
    template.innerHTML = parts[name];
    const nodes = Array.from(template.content.childNodes);
    if (name === "header") {
      const topic = template.content.querySelector("[data-md-component=header-topic] .md-ellipsis");
      if (topic) topic.textContent = title;
    }
    here.parentNode.insertBefore(template.content, here);
    here.remove();
    /* Scripts inside a part (Material's palette switch) run as they would have in the page. */
    nodes.forEach((node) => {
      const scripts = node.nodeName === "SCRIPT" ? [node] : node.querySelectorAll ? Array.from(node.querySelectorAll("script")) : [];
      scripts.forEach((old) => {
        if (old.type && old.type !== "text/javascript") return;
        const fresh = document.createElement("script");
        Array.from(old.attributes).forEach((a) => fresh.setAttribute(a.name, a.value));
        fresh.textContent = old.textContent;
        old.replaceWith(fresh);
      });
    });
  }
  window.thgChrome = put;
  title = document.currentScript.dataset.title || "";
  put("header");
}
