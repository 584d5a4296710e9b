/* Paper explorer: the page around thg's filtering core (filter.js). Rows come from the sharded index
   (rows.js): facets, years and counts work as soon as its small index.json has arrived; a row's text (title,
   authors, summary) is fetched with its shard when the row is shown, and every shard when the reader types
   in the text box or sorts by title. The filter state lives in the URL hash so a view can be shared.
   Record text is always escaped. */
(function () {
  "use strict";
  if (window.thgExplorerLoaded) return;  // loaded twice on the explorer page: early, and with the theme's scripts
  window.thgExplorerLoaded = true;
  const PAGE = 50;
  const NARROW = "(max-width: 59.99em)";

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  function start(root) {
    const F = window.thgFilter;
    const $ = (id) => document.getElementById(id);
    const papersBase = root.dataset.papers;
    const form = $("thg-filters");
    let data = null, shown = PAGE, state = F.emptyState(), matches = [];
    let sorted = {key: null, version: 0, rows: null};  // the rows in the current order, sorted once per order, not per keystroke
    let prerendered = true;  // the table still holds the rows written into the page at build time
    let drawn = 0;  // bumps on every render(), so a shard arriving late never draws a stale view
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
      /* A view filtered by a dataset, metric, loss or missing field shows those boxes. */
      if (GROUPS.some((f) => (state.sel[f] || []).length)) $("thg-more-filters").open = true;
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
      const counts = F.countTerms(data.rows, state);
      terms.forEach((t) => {
        const n = counts[t.facet][t.term] || 0;
        if (n !== t.shownCount) { t.count.textContent = n; t.shownCount = n; }
        const hide = n === 0 && !t.input.checked;
        if (t.label.hidden !== hide) t.label.hidden = hide;
      });
      delete $("thg-count").dataset.counting;
    }
    /* The shards whose text this state needs before it can be filtered: those of the years in view when
       there is text to match or the order is by title. */
    function textNeeded() {
      if (!state.q && (state.sort || "").replace("-", "") !== "t") return [];
      return data.shardsForYears(state.from, state.to).filter((s) => !s.done);
    }
    function inOrder() {
      const key = state.sort || "-y", version = key.replace("-", "") === "t" ? data.version : 0;
      if (sorted.key !== key || sorted.version !== version) {
        /* The index is newest first already (a stable sort by year would not move a row). */
        sorted = {key: key, version: version, rows: key === "-y" ? data.rows : F.sortRows(data.rows.slice(), key)};
      }
      return sorted.rows;
    }
    /* The last filtering: when only the text changed and it narrows the last one (a letter typed on), the next
       filtering tests the last matches instead of every row. */
    let last = null;
    function filtered() {
      const rows = inOrder(), words = F.queryWords(state.q);
      const key = JSON.stringify([state.from, state.to, state.code, state.sel]);
      const same = last && last.rows === rows && last.key === key && last.version === data.version;
      const result = F.run(same && F.narrows(last.words, words) ? last.matches : rows, state).matches;
      last = {rows: rows, key: key, version: data.version, words: words, matches: result};
      return result;
    }
    /* The dataset, metric, loss and missing-field terms are fetched when those filters are open or in use. */
    const GROUPS = ["dataset", "metric", "loss", "missing"];
    function groupsNeeded() {
      return !data.groupsLoaded && ($("thg-more-filters").open || GROUPS.some((f) => (state.sel[f] || []).length));
    }
    let waiting = null;
    /* False while the text or terms this state needs are still loading; it filters and renders when they arrive. */
    function filter() {
      const needed = textNeeded(), groups = groupsNeeded();
      if (needed.length || groups) {
        $("thg-count").textContent = needed.length ? "Loading titles, authors and summaries…" : "Loading datasets, metrics and losses…";
        const wait = waiting = Promise.all([data.load(needed), groups ? data.loadGroups() : null]).then(() => {
          if (waiting !== wait) return;
          waiting = null;
          if (!textNeeded().length && !groupsNeeded()) { markText(); filter(); render(); }
        });
        return false;
      }
      waiting = null;
      matches = filtered();
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
    /* The count, "Show more" and the sorted column follow the view at once; the rows follow when their text
       has arrived (the shard of the rows on screen). */
    function render() {
      if (waiting) return;
      const visible = matches.slice(0, shown), turn = ++drawn;
      $("thg-count").textContent = matches.length + " of " + data.count + " papers";
      $("thg-more").hidden = matches.length <= shown;
      root.querySelectorAll("th button[data-sort]").forEach((b) => {
        const sort = state.sort || "-y", key = b.dataset.sort;
        const th = b.parentElement;
        if (sort === key) th.setAttribute("aria-sort", "ascending");
        else if (sort === "-" + key) th.setAttribute("aria-sort", "descending");
        else th.removeAttribute("aria-sort");
      });
      const missing = data.missing(visible);
      if (missing.length) {
        data.load(missing).then(() => { if (turn === drawn) render(); });
        return;
      }
      if (!(prerendered && visible.length === Math.min(PAGE, data.count) && visible.every((p, k) => p.i === k))) {
        $("thg-rows").innerHTML = visible.map(row).join("") || "<tr><td colspan=\"8\">No paper matches these filters.</td></tr>";
        prerendered = false;
      }
    }
    function update(event) { fromForm(event); writeHash(); shown = PAGE; if (filter() !== false) render(); }
    function markText() {
      if (root.dataset.text !== "1" && data.shards.every((s) => s.done)) {
        root.dataset.text = "1";
        if (window.performance && performance.mark) performance.mark("thg-explorer-text");
      }
    }

    /* The selection in the order shown, cut out of downloads/all.* (cite.js). */
    function exportAs(format) {
      const button = $("export-" + format);
      button.disabled = true;
      window.thgCite.download(format, new URL(root.dataset.downloads, location.href).href, data.count,
        matches.map((p) => p.i), "thg-selection")
        .catch((error) => { $("thg-count").textContent = "Export failed: " + error.message; })
        .finally(() => { button.disabled = false; });
    }

    window.thgRows.open(root.dataset.index).then((index) => {
      data = index;
      readHash(); syncForm();
      if (filter() !== false) render();
      if (F.activeCount(state) && window.matchMedia(NARROW).matches) $("thg-filter-panel").open = true;
      form.addEventListener("submit", (e) => e.preventDefault());
      form.addEventListener("input", update);
      form.addEventListener("change", update);
      $("f-reset").addEventListener("click", () => { state = F.emptyState(); syncForm(); update(null); });
      $("thg-more").addEventListener("click", () => { shown += PAGE; render(); });
      /* Opening the dataset, metric and loss filters fetches their terms, then counts them. */
      $("thg-more-filters").addEventListener("toggle", () => { if (groupsNeeded() && filter() !== false) render(); });
      root.querySelectorAll("th button[data-sort]").forEach((b) => b.addEventListener("click", () => {
        const key = b.dataset.sort, cur = state.sort || "-y";
        state.sort = cur === "-" + key ? key : "-" + key;
        writeHash(); if (filter() !== false) render();
      }));
      /* A reader about to type: fetch the text of the years in view before the first keystroke. */
      $("f-q").addEventListener("focus", () => { data.load(data.shardsForYears(state.from, state.to)).then(markText); });
      ["bibtex", "csljson", "ris"].forEach((f) => $("export-" + f).addEventListener("click", () => exportAs(f)));
      window.addEventListener("hashchange", () => { readHash(); syncForm(); shown = PAGE; if (filter() !== false) render(); });
      root.dataset.ready = "1";
      if (window.performance && performance.mark) performance.mark("thg-explorer-ready");
    });
  }

  /* Start downloading the index as soon as this script runs, before the theme has finished booting;
     on a phone, fold the filters away so the first screen shows papers. */
  (function early() {
    const root = document.getElementById("thg-explorer");
    if (!root) return;
    if (root.dataset.index) window.thgRows.open(root.dataset.index);
    const panel = document.getElementById("thg-filter-panel");
    if (panel && window.matchMedia(NARROW).matches) panel.open = false;
  })();

  function boot() {
    const root = document.getElementById("thg-explorer");
    if (root && !root.dataset.booted) { root.dataset.booted = "1"; start(root); }
  }
  /* The explorer page loads this script right after its own markup, so the explorer starts while the theme's
     scripts are still loading and booting (about half a second on a slow machine); elsewhere, on load. */
  const here = document.currentScript;
  if (here && here.dataset.early !== undefined) boot();
  else if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
