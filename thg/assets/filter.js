/* thg's filtering core, shared by the explorer and the Search page: text folding, filter state and its
   URL form, matching with live facet counts, sorting. Pure functions over an array of paper rows (the
   explorer's index, assets/thg/explorer/, as rows.js builds them): nothing here knows how or when rows are loaded, so the rows can come
   from one file or from many shards. Exposed as window.thgFilter. */
(function () {
  "use strict";
  const FACETS = ["driving", "identity", "output", "architecture", "task", "flags", "venue"];
  const SCALARS = ["q", "from", "to", "code", "sort"];
  /* Letters that Unicode does not decompose, spelled the way people type them without the key. */
  const LETTERS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
    "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h"};
  /* Combining marks (left by NFKD) and those letters, in one pass over the text. */
  const STRIP = /[\u0300-\u036fßẞæÆœŒøØđĐðÐłŁþÞıħĦ]/g;

  /* Lower case without accents: "Nießner" -> "niessner", "Öztürk" -> "ozturk", "Núñez" -> "nunez". */
  function fold(text) {
    return String(text).normalize("NFKD").replace(STRIP, (c) => LETTERS[c] || "").toLowerCase();
  }
  /* Folded, letters and digits only: "IP-LAP" and "IP LAP" -> "iplap". */
  function compact(text) { return fold(text).replace(/[^a-z0-9\u0080-\uffff]+/g, ""); }

  /* Adds what matching needs to each row, once: its folded text, names first, then the names again
     without punctuation (_h). */
  const NAME_END = "\u0002", NAME_SEP = "\u0001";
  function prepare(rows) {
    for (const p of rows) {
      const aliases = p.l || [];
      let names = p.t + NAME_SEP + p.n;
      for (let i = 0; i < aliases.length; i++) names += NAME_SEP + aliases[i];
      p._h = fold(names + NAME_END + p.a.join(" ") + " " + p.s + " " + p.k + " " + p.v);
      p._h += NAME_END + compactNames(p);  // "IP-LAP" is then found as "iplap" by the same single search
    }
    return rows;
  }
  function facetTerms(p, f) { return f === "venue" ? [p.v] : p.g[f]; }

  /* For counting, a row's facet terms as small integers, all facets together (_all) and per facet (_ids),
     made on first need: counting then fills a typed array instead of string-keyed objects. */
  const terms = {ids: {}, names: []};  // one numbering for every row ever counted: ids[facet][term]
  FACETS.forEach((f) => { terms.ids[f] = Object.create(null); });
  function idOf(facet, term) {
    const ids = terms.ids[facet];
    let id = ids[term];
    if (id === undefined) { id = ids[term] = terms.names.length; terms.names.push([facet, term]); }
    return id;
  }
  function termIds(p) {
    if (p._ids === undefined) {
      const all = [], byFacet = new Array(FACETS.length);
      for (let f = 0; f < FACETS.length; f++) {
        const list = facetTerms(p, FACETS[f]), ids = new Array(list.length);
        for (let i = 0; i < list.length; i++) { ids[i] = idOf(FACETS[f], list[i]); all.push(ids[i]); }
        byFacet[f] = ids;
      }
      p._ids = byFacet;
      p._all = all;
    }
    return p._ids;
  }
  const NON_NAME = /[^a-z0-9\u0001\u0080-\uffff]+/g;  // keeps NAME_SEP

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
  /* Every word occurs in the row's folded text (which ends with its names without punctuation). */
  function matchesText(p, words) {
    const h = p._h;
    for (let i = 0; i < words.length; i++) if (h.indexOf(words[i]) < 0) return false;
    return true;
  }
  /* A prepared row's names without punctuation ("IP-LAP" -> "iplap"). */
  function compactNames(p) {
    const h = p._h;
    return h.slice(0, h.indexOf(NAME_END)).replace(NON_NAME, "").split(NAME_SEP).join(" ");
  }

  /* The filters that do not depend on facets, as one test. */
  function baseTest(state) {
    const words = queryWords(state.q);
    const from = state.from ? +state.from : -Infinity, to = state.to ? +state.to : Infinity;
    const code = state.code === "1";
    return (p) => !(p.y < from || p.y > to || (code && !p.c) || !matchesText(p, words));
  }

  /* The rows that pass every filter: OR within a facet, AND across facets. */
  function run(rows, state) {
    const test = baseTest(state);
    const chosen = FACETS.filter((f) => (state.sel[f] || []).length).map((f) => {
      const set = Object.create(null);
      state.sel[f].forEach((term) => { set[term] = true; });
      return [f, set];
    });
    const matches = [];
    outer: for (const p of rows) {
      if (!test(p)) continue;
      for (const [f, set] of chosen) {
        const list = facetTerms(p, f);
        let hit = false;
        for (let i = 0; i < list.length; i++) if (set[list[i]]) { hit = true; break; }
        if (!hit) continue outer;
      }
      matches.push(p);
    }
    return {matches: matches};
  }

  /* For each facet, how many rows each term would give with that facet's own selection set aside: the
     count beside a term is what ticking it would add. One pass: a row failing only facet f counts
     toward f alone. Separate from run() so a page can show the rows first and count when idle. */
  function countTerms(rows, state) {
    const test = baseTest(state);
    const chosen = [];  // [facet position, Uint8Array marking its selected term ids]
    FACETS.forEach((f, position) => {
      const selected = state.sel[f] || [];
      if (selected.length) chosen.push([position, selected.map((term) => idOf(f, term))]);
    });
    rows.forEach(termIds);
    const size = terms.names.length;
    const marks = chosen.map(([position, ids]) => {
      const m = new Uint8Array(size);
      ids.forEach((id) => { m[id] = 1; });
      return [position, m];
    });
    const tally = new Int32Array(size);
    for (const p of rows) {
      if (!test(p)) continue;
      let failed = -1, fails = 0;
      for (let c = 0; c < marks.length && fails < 2; c++) {
        const ids = p._ids[marks[c][0]], m = marks[c][1];
        let hit = false;
        for (let i = 0; i < ids.length; i++) if (m[ids[i]]) { hit = true; break; }
        if (!hit) { fails += 1; failed = marks[c][0]; }
      }
      const ids = fails === 0 ? p._all : fails === 1 ? p._ids[failed] : null;
      if (ids) for (let i = 0; i < ids.length; i++) tally[ids[i]] += 1;
    }
    const counts = {};
    FACETS.forEach((f) => { counts[f] = Object.create(null); });
    for (let id = 0; id < size; id++) if (tally[id]) counts[terms.names[id][0]][terms.names[id][1]] = tally[id];
    return counts;
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
    queryWords, compactNames, matchesText, run, countTerms, sortRows};
})();
