/* thg's filtering core, shared by the explorer and the Search page: text folding, filter state and its
   URL form, matching with live facet counts, sorting. Pure functions over an array of paper rows (the
   explorer's index, assets/thg/explorer/, as rows.js builds them): nothing here knows how or when rows are loaded, so the rows can come
   from one file or from many shards. Exposed as window.thgFilter. */
(function () {
  "use strict";
  if (window.thgFilter) return;  // loaded twice on the explorer page (early, and with the theme's scripts)
  /* The taxonomy's facets, the venue, the dataset, metric and loss records a paper lists, and the fields it
     lacks (thg/site/explorer.py EXTRA_GROUPS): each filters the same way. */
  const FACETS = ["driving", "identity", "output", "architecture", "task", "flags", "venue", "dataset", "metric", "loss",
    "missing"];
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
  /* Facet terms and venues are numbered by the index's term list (rows.js calls useTerms); a row carries its
     terms as `x`, a string with one character per term, code TERM_BASE + number. Filtering and counting
     work on those numbers with typed arrays: no per-row lists, no string keys. */
  const TERM_BASE = 0x100;
  const terms = {ids: {}, names: [], facetOf: new Uint8Array(0)};  // ids[facet][term] -> number
  function useTerms(list) {
    if (terms.names.length) {
      if (terms.names.length !== list.length || list.some(([f, t], k) => terms.names[k][0] !== f || terms.names[k][1] !== t)) {
        throw new Error("thgFilter: a second, different term list");
      }
      return;
    }
    FACETS.forEach((f) => { terms.ids[f] = Object.create(null); });
    terms.facetOf = new Uint8Array(list.length);
    list.forEach(([facet, term], k) => {
      terms.ids[facet][term] = k;
      terms.facetOf[k] = FACETS.indexOf(facet);
    });
    terms.names = list.slice();
  }
  /* For each facet with a selection: [facet position, marks over term numbers]. A selected term unknown to the
     index marks nothing, so that facet then matches no row, as a term no paper carries would. */
  function selectionMarks(state) {
    const out = [];
    FACETS.forEach((f, position) => {
      const selected = state.sel[f] || [];
      if (!selected.length) return;
      const m = new Uint8Array(terms.names.length);
      selected.forEach((term) => { const id = (terms.ids[f] || {})[term]; if (id !== undefined) m[id] = 1; });
      out.push([position, m]);
    });
    return out;
  }
  /* Does the row carry a marked term? */
  function carries(x, m) {
    for (let k = 0; k < x.length; k++) if (m[x.charCodeAt(k) - TERM_BASE]) return true;
    return false;
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
  /* True when every row matching the words `after` also matches `before`: each earlier word lies inside a later
     one (typing on: "dif" -> "diff", or a word added). Then the rows to test are the earlier matches. */
  function narrows(before, after) {
    return before.every((w) => after.some((v) => v.indexOf(w) >= 0));
  }
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
    const test = baseTest(state), marks = selectionMarks(state), matches = [];
    outer: for (let r = 0; r < rows.length; r++) {
      const p = rows[r];
      if (!test(p)) continue;
      for (let c = 0; c < marks.length; c++) if (!carries(p.x, marks[c][1])) continue outer;
      matches.push(p);
    }
    return {matches: matches};
  }

  /* For each facet, how many rows each term would give with that facet's own selection set aside: the
     count beside a term is what ticking it would add. One pass: a row failing only facet f counts
     toward f alone. Separate from run() so a page can show the rows first and count when idle. */
  function countTerms(rows, state) {
    const test = baseTest(state), marks = selectionMarks(state), facetOf = terms.facetOf;
    const tally = new Int32Array(terms.names.length);
    for (let r = 0; r < rows.length; r++) {
      const p = rows[r];
      if (!test(p)) continue;
      let failed = -1, fails = 0;
      for (let c = 0; c < marks.length && fails < 2; c++) {
        if (!carries(p.x, marks[c][1])) { fails += 1; failed = marks[c][0]; }
      }
      if (fails > 1) continue;
      const x = p.x;
      for (let k = 0; k < x.length; k++) {
        const id = x.charCodeAt(k) - TERM_BASE;
        if (fails === 0 || facetOf[id] === failed) tally[id] += 1;
      }
    }
    const counts = {};
    FACETS.forEach((f) => { counts[f] = Object.create(null); });
    for (let id = 0; id < tally.length; id++) if (tally[id]) counts[terms.names[id][0]][terms.names[id][1]] = tally[id];
    return counts;
  }

  const FACET_SORTS = {dr: "driving", ou: "output", ar: "architecture", ta: "task"};
  /* Rows in place, stably, by one key; each row's key is worked out once, not at every comparison. */
  function sortRows(rows, sort) {
    sort = sort || "-y";
    const desc = sort[0] === "-", key = desc ? sort.slice(1) : sort;
    const value = (p) => {
      if (key === "t") return fold(p.n || p.t);
      if (FACET_SORTS[key]) return (p.g[FACET_SORTS[key]] || []).join(",");
      return p[key];
    };
    const keyed = rows.map((p, at) => [value(p), at, p]);
    keyed.sort((a, b) => {
      const c = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
      return (desc ? -c : c) || a[1] - b[1];
    });
    for (let k = 0; k < keyed.length; k++) rows[k] = keyed[k][2];
    return rows;
  }

  window.thgFilter = {FACETS, TERM_BASE, useTerms, fold, compact, prepare, emptyState, parseState, serializeState,
    activeCount, queryWords, narrows, compactNames, matchesText, run, countTerms, sortRows};
})();
