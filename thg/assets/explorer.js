/* Paper explorer: the page around thg's filtering core (filter.js). Rows come from loadRows(); the
   filter state lives in the URL hash so a view can be shared. Record text is always escaped. */
(function () {
  "use strict";
  const PAGE = 50;
  const NARROW = "(max-width: 59.99em)";

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  /* Where rows come from: today one JSON file, fetched as early as possible. */
  const prefetched = {};
  function loadRows(root) {
    const url = root.dataset.index;
    return prefetched[url] || fetch(url).then((r) => r.json());
  }

  function start(root) {
    const F = window.thgFilter;
    const $ = (id) => document.getElementById(id);
    const papersBase = root.dataset.papers;
    const form = $("thg-filters");
    let data = null, shown = PAGE, state = F.emptyState(), matches = [];
    const terms = Array.from(form.querySelectorAll(".thg-facet-box input[type=checkbox]")).map((input) => ({
      facet: input.name, term: input.value, input: input, label: input.closest("label"),
      count: input.parentElement.querySelector(".thg-count"), shownCount: null}));

    function readHash() { state = F.parseState(location.hash); }
    function writeHash() {
      const text = F.serializeState(state);
      history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    }
    function syncForm() {
      $("f-q").value = state.q || "";
      $("f-from").value = state.from || "";
      $("f-to").value = state.to || "";
      $("f-code").checked = state.code === "1";
      terms.forEach((t) => { t.input.checked = (state.sel[t.facet] || []).indexOf(t.term) >= 0; });
    }
    /* The state from the form; typing in the text box leaves the ticked terms as they were. */
    function fromForm(event) {
      const next = F.emptyState();
      if (state.sort) next.sort = state.sort;
      const q = $("f-q").value.trim(); if (q) next.q = q;
      if ($("f-from").value) next.from = $("f-from").value;
      if ($("f-to").value) next.to = $("f-to").value;
      if ($("f-code").checked) next.code = "1";
      if (event && event.target === $("f-q")) next.sel = state.sel;
      else terms.forEach((t) => { if (t.input.checked) (next.sel[t.facet] = next.sel[t.facet] || []).push(t.term); });
      state = next;
    }

    /* The facet counts are written when the browser is idle, after the matching rows have been painted:
       typing stays as fast as the rows alone, and a burst of keystrokes updates the counts once. */
    let countsTimer = 0;
    const idle = window.requestIdleCallback ? (fn) => requestIdleCallback(fn, {timeout: 150}) : (fn) => setTimeout(fn, 30);
    const cancelIdle = window.cancelIdleCallback || clearTimeout;
    function showCounts() {
      countsTimer = 0;
      const counts = F.countTerms(data.papers, state);
      terms.forEach((t) => {
        const n = counts[t.facet][t.term] || 0;
        if (n !== t.shownCount) { t.count.textContent = n; t.shownCount = n; }
        const hide = n === 0 && !t.input.checked;
        if (t.label.hidden !== hide) t.label.hidden = hide;
      });
      delete $("thg-count").dataset.counting;
    }
    function filter() {
      const result = F.run(data.papers, state);
      matches = F.sortRows(result.matches, state.sort);
      if (!$("thg-count").dataset.counting) $("thg-count").dataset.counting = "1";
      if (countsTimer) cancelIdle(countsTimer);
      countsTimer = idle(showCounts);
      const active = F.activeCount(state), summary = active ? "(" + active + " active)" : "";
      if ($("thg-active").textContent !== summary) $("thg-active").textContent = summary;  // no needless re-layout
    }

    function label(facet, term) { return data.facets[facet].terms[term] || term; }
    function row(p) {
      const name = !p.n ? esc(p.t) : p.t.indexOf(p.n) === 0 ? "<strong>" + esc(p.n) + "</strong>" + esc(p.t.slice(p.n.length))
        : "<strong>" + esc(p.n) + "</strong>: " + esc(p.t);
      const authors = p.a.length > 4 ? p.a.slice(0, 3).join(", ") + ", … " + p.a[p.a.length - 1] : p.a.join(", ");
      const chips = (f) => p.g[f].map((t) => esc(label(f, t))).join(", ");
      return "<tr><td>" + p.y + "</td><td><a href=\"" + esc(papersBase + p.id + "/") + "\">" + name +
        "</a><div class=\"thg-muted\">" + esc(authors) + "</div></td><td>" + esc(p.v) + "</td><td>" + chips("driving") +
        "</td><td>" + chips("output") + "</td><td>" + chips("architecture") + "</td><td>" + chips("task") + "</td><td>" +
        (p.c ? "yes" : "") + "</td></tr>";
    }
    function render() {
      const rows = matches.slice(0, shown).map(row).join("");
      $("thg-rows").innerHTML = rows || "<tr><td colspan=\"8\">No paper matches these filters.</td></tr>";
      $("thg-count").textContent = matches.length + " of " + data.papers.length + " papers";
      $("thg-more").hidden = matches.length <= shown;
      root.querySelectorAll("th button[data-sort]").forEach((b) => {
        const sort = state.sort || "-y", key = b.dataset.sort;
        const th = b.parentElement;
        if (sort === key) th.setAttribute("aria-sort", "ascending");
        else if (sort === "-" + key) th.setAttribute("aria-sort", "descending");
        else th.removeAttribute("aria-sort");
      });
    }
    function update(event) { fromForm(event); writeHash(); shown = PAGE; filter(); render(); }

    const exportCache = {};
    async function exportAs(format) {
      const url = root.dataset.bibtex.replace("bibtex.json", format + ".json");
      if (!exportCache[format]) exportCache[format] = await (await fetch(url)).json();
      const map = exportCache[format];
      const parts = matches.map((p) => map[p.id]).filter(Boolean);
      let text, type, ext;
      if (format === "bibtex") { text = parts.join("\n"); type = "application/x-bibtex"; ext = "bib"; }
      else if (format === "ris") { text = parts.join("\r\n"); type = "application/x-research-info-systems"; ext = "ris"; }
      else { text = JSON.stringify(parts, null, 1); type = "application/vnd.citationstyles.csl+json"; ext = "json"; }
      const blob = new Blob([text], {type: type + ";charset=utf-8"});
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "thg-selection." + ext;
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }

    loadRows(root).then((json) => {
      data = json;
      F.prepare(data.papers);
      readHash(); syncForm(); filter(); render();
      if (F.activeCount(state) && window.matchMedia(NARROW).matches) $("thg-filter-panel").open = true;
      form.addEventListener("submit", (e) => e.preventDefault());
      form.addEventListener("input", update);
      form.addEventListener("change", update);
      $("f-reset").addEventListener("click", () => { state = F.emptyState(); syncForm(); update(null); });
      $("thg-more").addEventListener("click", () => { shown += PAGE; render(); });
      root.querySelectorAll("th button[data-sort]").forEach((b) => b.addEventListener("click", () => {
        const key = b.dataset.sort, cur = state.sort || "-y";
        state.sort = cur === "-" + key ? key : "-" + key;
        writeHash(); filter(); render();
      }));
      ["bibtex", "csljson", "ris"].forEach((f) => $("export-" + f).addEventListener("click", () => exportAs(f)));
      window.addEventListener("hashchange", () => { readHash(); syncForm(); shown = PAGE; filter(); render(); });
      root.dataset.ready = "1";
      if (window.performance && performance.mark) performance.mark("thg-explorer-ready");
    });
  }

  /* Start downloading the index as soon as this script runs, before the theme has finished booting;
     on a phone, fold the filters away so the first screen shows papers. */
  (function early() {
    const root = document.getElementById("thg-explorer");
    if (!root) return;
    if (root.dataset.index) prefetched[root.dataset.index] = fetch(root.dataset.index).then((r) => r.json());
    const panel = document.getElementById("thg-filter-panel");
    if (panel && window.matchMedia(NARROW).matches) panel.open = false;
  })();

  function boot() {
    const root = document.getElementById("thg-explorer");
    if (root && !root.dataset.booted) { root.dataset.booted = "1"; start(root); }
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
