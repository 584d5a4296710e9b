/* thg's filtering core, shared by the explorer and the Search page: text folding, filter state and its
   URL form, matching with live facet counts, sorting. Pure functions over an array of paper rows (the
   rows of assets/thg/papers.json): nothing here knows how or when rows are loaded, so the rows can come
   from one file or from many shards. Exposed as window.thgFilter. */
(function () {
  "use strict";
  const FACETS = ["driving", "identity", "output", "architecture", "task", "flags", "venue"];
  const SCALARS = ["q", "from", "to", "code", "sort"];
  /* Letters that Unicode does not decompose, spelled the way people type them without the key. */
  const LETTERS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
    "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h"};
  const SPECIAL = /[ßẞæÆœŒøØđĐðÐłŁþÞıħĦ]/g;

  /* Lower case without accents: "Nießner" -> "niessner", "Öztürk" -> "ozturk", "Núñez" -> "nunez". */
  function fold(text) {
    return String(text).replace(SPECIAL, (c) => LETTERS[c]).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }
  /* Folded, letters and digits only: "IP-LAP" and "IP LAP" -> "iplap". */
  function compact(text) { return fold(text).replace(/[^a-z0-9\u0080-\uffff]+/g, ""); }

  /* Adds what matching needs to each row, once: the folded text (_h), folded names without punctuation
     (_c) and the terms of every facet, venue included (_f). */
  function prepare(rows) {
    rows.forEach((p) => {
      const names = [p.t, p.n].concat(p.l || []);
      p._h = fold([p.t, p.n, (p.l || []).join(" "), p.a.join(" "), p.s, p.k, p.v].join(" "));
      p._c = names.map(compact).join(" ");
      p._f = Object.assign({venue: [p.v]}, p.g);
    });
    return rows;
  }

  function emptyState() { return {sel: {}}; }

  /* State from the URL hash: q, from, to, code, sort once; each facet any number of times
     (#architecture=nerf&architecture=gaussian-splatting&task=lip-sync). */
  function parseState(hash) {
    const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    const state = emptyState();
    SCALARS.forEach((k) => { const v = params.get(k); if (v) state[k] = v; });
    FACETS.forEach((f) => {
      const terms = params.getAll(f).flatMap((v) => v.split(",")).filter(Boolean);
      if (terms.length) state.sel[f] = Array.from(new Set(terms));
    });
    return state;
  }
  function serializeState(state) {
    const params = new URLSearchParams();
    SCALARS.forEach((k) => { if (state[k]) params.set(k, state[k]); });
    FACETS.forEach((f) => (state.sel[f] || []).forEach((t) => params.append(f, t)));
    return params.toString();
  }
  function activeCount(state) {
    let n = ["q", "from", "to", "code"].filter((k) => state[k]).length;
    FACETS.forEach((f) => { n += (state.sel[f] || []).length; });
    return n;
  }

  function queryWords(q) { return q ? fold(q).split(/\s+/).filter(Boolean) : []; }
  function matchesText(p, words) {
    for (const w of words) {
      if (p._h.indexOf(w) < 0 && p._c.indexOf(compact(w) || w) < 0) return false;
    }
    return true;
  }

  /* The rows that pass every filter (OR within a facet, AND across facets), and for each facet how
     many rows each term would give with that facet's own selection set aside: the count shown beside
     a term is what ticking it would add. One pass: a row failing only facet f counts toward f alone. */
  function run(rows, state) {
    const words = queryWords(state.q);
    const from = state.from ? +state.from : -Infinity, to = state.to ? +state.to : Infinity;
    const code = state.code === "1";
    const chosen = FACETS.filter((f) => (state.sel[f] || []).length).map((f) => {
      const set = Object.create(null);
      state.sel[f].forEach((t) => { set[t] = true; });
      return [f, set];
    });
    const counts = {};
    FACETS.forEach((f) => { counts[f] = Object.create(null); });
    const tally = (p, f) => { const c = counts[f]; for (const t of p._f[f]) c[t] = (c[t] || 0) + 1; };
    const matches = [];
    for (const p of rows) {
      if (p.y < from || p.y > to || (code && !p.c) || !matchesText(p, words)) continue;
      let failed = null, fails = 0;
      for (const [f, set] of chosen) {
        let hit = false;
        for (const t of p._f[f]) if (set[t]) { hit = true; break; }
        if (!hit) { fails += 1; failed = f; if (fails > 1) break; }
      }
      if (fails === 0) { matches.push(p); FACETS.forEach((f) => tally(p, f)); }
      else if (fails === 1) tally(p, failed);
    }
    return {matches: matches, counts: counts};
  }

  const FACET_SORTS = {dr: "driving", ou: "output", ar: "architecture", ta: "task"};
  function sortRows(rows, sort) {
    sort = sort || "-y";
    const desc = sort[0] === "-", key = desc ? sort.slice(1) : sort;
    const value = (p) => {
      if (key === "t") return fold(p.n || p.t);
      if (FACET_SORTS[key]) return (p.g[FACET_SORTS[key]] || []).join(",");
      return p[key];
    };
    return rows.sort((a, b) => {
      const x = value(a), y = value(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return desc ? -c : c;
    });
  }

  window.thgFilter = {FACETS, fold, compact, prepare, emptyState, parseState, serializeState, activeCount,
    queryWords, matchesText, run, sortRows};
})();
