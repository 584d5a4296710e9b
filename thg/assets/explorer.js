/* Paper explorer: filters, sorts and exports the generated JSON index entirely in the browser.
   State lives in the URL hash so a view can be shared. Record text is always escaped. */
(function () {
  "use strict";
  const PAGE = 50;
  const FACETS = ["driving", "identity", "output", "architecture", "task", "flags"];
  const FIELDS = ["q", "from", "to", "venue", "code", "sort"].concat(FACETS);

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function start(root) {
    const $ = (id) => document.getElementById(id);
    const papersBase = root.dataset.papers;
    let data = null, shown = PAGE, state = {}, matches = [];

    function readHash() {
      const params = new URLSearchParams(location.hash.replace(/^#/, ""));
      state = {};
      FIELDS.forEach((f) => { const v = params.get(f); if (v) state[f] = v; });
    }
    function writeHash() {
      const params = new URLSearchParams();
      FIELDS.forEach((f) => { if (state[f]) params.set(f, state[f]); });
      const text = params.toString();
      history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    }
    function syncForm() {
      $("f-q").value = state.q || "";
      $("f-from").value = state.from || "";
      $("f-to").value = state.to || "";
      $("f-venue").value = state.venue || "";
      $("f-code").checked = state.code === "1";
      FACETS.forEach((f) => { $("f-" + f).value = state[f] || ""; });
    }
    function fromForm() {
      const next = {sort: state.sort};
      const q = $("f-q").value.trim(); if (q) next.q = q;
      if ($("f-from").value) next.from = $("f-from").value;
      if ($("f-to").value) next.to = $("f-to").value;
      if ($("f-venue").value) next.venue = $("f-venue").value;
      if ($("f-code").checked) next.code = "1";
      FACETS.forEach((f) => { const v = $("f-" + f).value; if (v) next[f] = v; });
      state = next;
    }

    function filter() {
      const words = state.q ? fold(state.q).split(/\s+/).filter(Boolean) : [];
      const from = state.from ? +state.from : -Infinity, to = state.to ? +state.to : Infinity;
      matches = data.papers.filter((p) => {
        if (p.y < from || p.y > to) return false;
        if (state.venue && p.v !== state.venue) return false;
        if (state.code === "1" && !p.c) return false;
        for (const f of FACETS) if (state[f] && p.g[f].indexOf(state[f]) < 0) return false;
        for (const w of words) if (p._h.indexOf(w) < 0) return false;
        return true;
      });
      const sort = state.sort || "-y";
      const desc = sort[0] === "-", key = desc ? sort.slice(1) : sort;
      const value = (p) => {
        if (key === "t") return fold(p.n || p.t);
        if (["dr", "ar", "ta"].indexOf(key) >= 0) return (p.g[{dr: "driving", ar: "architecture", ta: "task"}[key]] || []).join(",");
        return p[key];
      };
      matches.sort((a, b) => {
        const x = value(a), y = value(b);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return desc ? -c : c;
      });
    }

    function label(facet, term) { return data.facets[facet].terms[term] || term; }
    function row(p) {
      const name = !p.n ? esc(p.t) : p.t.indexOf(p.n) === 0 ? "<strong>" + esc(p.n) + "</strong>" + esc(p.t.slice(p.n.length))
        : "<strong>" + esc(p.n) + "</strong>: " + esc(p.t);
      const authors = p.a.length > 4 ? p.a.slice(0, 3).join(", ") + ", … " + p.a[p.a.length - 1] : p.a.join(", ");
      const chips = (f) => p.g[f].map((t) => esc(label(f, t))).join(", ");
      return "<tr><td>" + p.y + "</td><td><a href=\"" + esc(papersBase + p.id + "/") + "\">" + name +
        "</a><div class=\"thg-muted\">" + esc(authors) + "</div></td><td>" + esc(p.v) + "</td><td>" + chips("driving") +
        "</td><td>" + chips("architecture") + "</td><td>" + chips("task") + "</td><td>" + (p.c ? "yes" : "") + "</td></tr>";
    }
    function render() {
      const rows = matches.slice(0, shown).map(row).join("");
      $("thg-rows").innerHTML = rows || "<tr><td colspan=\"7\">No paper matches these filters.</td></tr>";
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
    function update() { fromForm(); writeHash(); shown = PAGE; filter(); render(); }

    function fillSelects() {
      const venues = {};
      data.papers.forEach((p) => { venues[p.v] = (venues[p.v] || 0) + 1; });
      Object.keys(venues).sort().forEach((v) => {
        $("f-venue").insertAdjacentHTML("beforeend", "<option value=\"" + esc(v) + "\">" + esc(v) + " (" + venues[v] + ")</option>");
      });
      FACETS.forEach((f) => {
        const counts = {};
        data.papers.forEach((p) => p.g[f].forEach((t) => { counts[t] = (counts[t] || 0) + 1; }));
        Object.keys(data.facets[f].terms).forEach((t) => {
          if (!counts[t]) return;
          $("f-" + f).insertAdjacentHTML("beforeend", "<option value=\"" + esc(t) + "\">" + esc(label(f, t)) + " (" + counts[t] + ")</option>");
        });
      });
    }

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

    (prefetched[root.dataset.index] || fetch(root.dataset.index).then((r) => r.json())).then((json) => {
      data = json;
      data.papers.forEach((p) => { p._h = fold([p.t, p.n, p.a.join(" "), p.s, p.k, p.v].join(" ")); });
      fillSelects();
      readHash(); syncForm(); filter(); render();
      const form = $("thg-filters");
      form.addEventListener("submit", (e) => e.preventDefault());
      form.addEventListener("input", update);
      form.addEventListener("change", update);
      $("f-reset").addEventListener("click", () => { state = {}; syncForm(); update(); });
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

  /* Start downloading the index as soon as this script runs, before the theme has finished booting. */
  const prefetched = {};
  (function prefetch() {
    const root = document.getElementById("thg-explorer");
    if (root && root.dataset.index) prefetched[root.dataset.index] = fetch(root.dataset.index).then((r) => r.json());
  })();

  function boot() {
    const root = document.getElementById("thg-explorer");
    if (root && !root.dataset.booted) { root.dataset.booted = "1"; start(root); }
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
