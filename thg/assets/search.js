/* The Search page: every paper, dataset, metric, loss and taxonomy term, matched the way people type
   (accents and ß folded: "niessner" finds Nießner; short names and aliases without punctuation: "iplap"
   finds IP-LAP) and ranked names first. Pressing Enter in the header's search box opens this page.
   Uses thg's filtering core (filter.js) for folding and matching. */
(function () {
  "use strict";
  const PAGE = 50;
  /* Not "q": Material opens its own search overlay over any page whose address carries ?q=. */
  const PARAM = "query";
  const KINDS = {paper: "Paper", dataset: "Dataset", metric: "Metric", loss: "Loss", term: "Taxonomy term"};

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  function siteBase() {
    const config = document.getElementById("__config");
    let base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* a page without Material's config */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  /* Papers and records as one list of hits, each with the folded fields ranking reads. */
  function entries(papers, records) {
    const F = window.thgFilter;  // the rows arrive prepared (rows.js)
    const hits = papers.map((p) => ({kind: "paper", url: "papers/" + p.id + "/", row: p, year: p.y,
      names: [p.n].concat(p.l || []).filter(Boolean).map(F.compact), title: F.fold(p.t + " " + p.n + " " + (p.l || []).join(" ")),
      people: F.fold(p.a.join(" ")), h: p._h, c: F.compactNames(p)}));
    records.forEach((r) => {
      const names = [r.n, r.f].concat(r.l).filter(Boolean);
      hits.push({kind: r.k, url: r.u, row: r, year: r.y || 0, names: names.map(F.compact),
        title: F.fold(names.join(" ")), people: "", h: F.fold(names.join(" ") + " " + r.d),
        c: names.map(F.compact).join(" ")});
    });
    return hits;
  }

  /* Every word must occur somewhere; names outrank titles, titles outrank authors, authors the rest. */
  function score(hit, words, whole) {
    const F = window.thgFilter;
    let total = hit.names.indexOf(whole) >= 0 ? 1000 : 0;
    for (const w of words) {
      const cw = F.compact(w) || w;
      if (hit.names.some((n) => n.indexOf(cw) === 0)) total += 40;
      else if (hit.title.indexOf(w) >= 0 || hit.c.indexOf(cw) >= 0) total += 10;
      else if (hit.people.indexOf(w) >= 0) total += 8;
      else if (hit.h.indexOf(w) >= 0) total += 1;
      else return 0;
    }
    return total;
  }

  function describe(hit, base) {
    const link = (text) => "<a href=\"" + esc(new URL(hit.url, base).href) + "\">" + text + "</a>";
    const kind = "<span class=\"thg-kind\">" + KINDS[hit.kind] + "</span> ";
    if (hit.kind === "paper") {
      const p = hit.row;
      const name = !p.n ? esc(p.t) : p.t.indexOf(p.n) === 0 ? "<strong>" + esc(p.n) + "</strong>" + esc(p.t.slice(p.n.length))
        : "<strong>" + esc(p.n) + "</strong>: " + esc(p.t);
      const also = (p.l || []).length ? " · also known as " + esc(p.l.join(", ")) : "";
      return "<li>" + kind + link(name) + "<div class=\"thg-muted\">" + esc(p.a.join(", ")) + " · " + esc(p.v) + " " +
        p.y + also + "</div><p>" + esc(p.s.length > 240 ? p.s.slice(0, 237) + "…" : p.s) + "</p></li>";
    }
    const r = hit.row;
    const extra = [r.f].concat(r.l).filter(Boolean).join(" · ");
    return "<li>" + kind + link("<strong>" + esc(r.n) + "</strong>") + (extra ? "<div class=\"thg-muted\">" + esc(extra) +
      "</div>" : "") + "<p>" + esc(r.d.length > 240 ? r.d.slice(0, 237) + "…" : r.d) + "</p></li>";
  }

  function start(root) {
    const F = window.thgFilter;
    const input = document.getElementById("s-q");
    const status = document.getElementById("s-status");
    const list = document.getElementById("s-results");
    const more = document.getElementById("s-more");
    const base = siteBase();
    let hits = [], found = [], shown = PAGE;
    function show() {
      list.innerHTML = found.slice(0, shown).map((f) => describe(f.hit, base)).join("");
      more.hidden = found.length <= shown;
    }
    function search() {
      const q = input.value.trim();
      const url = new URL(location.href);
      if (q) url.searchParams.set(PARAM, q); else url.searchParams.delete(PARAM);
      history.replaceState(null, "", url.pathname + url.search);
      const words = F.queryWords(q);
      shown = PAGE;
      if (!words.length) { found = []; status.textContent = "Type a name, title word, author or term."; show(); return; }
      const whole = F.compact(q);
      found = [];
      for (const hit of hits) {
        const s = score(hit, words, whole);
        if (s) found.push({hit: hit, score: s});
      }
      found.sort((a, b) => b.score - a.score || b.hit.year - a.hit.year);
      status.textContent = found.length + (found.length === 1 ? " result" : " results") + " for “" + q + "”";
      show();
    }
    Promise.all([window.thgRows.open(root.dataset.index).then((index) => index.loadAll()),
      fetch(root.dataset.records).then((r) => r.json())])
      .then(([papers, records]) => {
        hits = entries(papers, records);
        input.value = new URLSearchParams(location.search).get(PARAM) || input.value;
        document.getElementById("thg-search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
        input.addEventListener("input", search);
        more.addEventListener("click", () => { shown += PAGE; show(); });
        search();
        root.dataset.ready = "1";
      });
  }

  /* Enter in the header's search box (with no result selected) opens the full results page. */
  document.addEventListener("keydown", function (event) {
    const input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("input.md-search__input") || !input.value.trim()) return;
    if (document.getElementById("thg-pagefind")) return;
    event.preventDefault();
    event.stopPropagation();
    location.href = new URL("search/?" + PARAM + "=" + encodeURIComponent(input.value.trim()), siteBase()).href;
  }, true);

  function boot() {
    const root = document.getElementById("thg-search");
    if (root && !root.dataset.booted) { root.dataset.booted = "1"; start(root); }
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
