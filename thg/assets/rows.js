/* The explorer's index of papers, as the browser loads it (assets/thg/explorer/, written by
   thg/site/explorer.py): index.json holds what filtering and counting need for every paper (year, venue,
   code flag, facet terms), and shards by year hold what matching text and drawing rows need (id, title,
   names, authors, summary, citation key), fetched only when a view needs them. Rows are in index order
   (newest first), the order of downloads/all.*: a row's `i` is its position there.
   A paper's facet terms and venue arrive as one short string, `x`, one character per term (its position in
   the index's term list, offset by thgFilter.TERM_BASE): filtering and counting read those codes directly
   (filter.js), and the readable form (`g`, facet -> terms, and `v`, the venue) is made only for the rows
   that are drawn or exported. So at 100,000 papers the filters go live without building 100,000 lists.
   Exposed as window.thgRows: open(url) -> Promise of an index (one per url). The explorer page loads this
   script twice (early, beside its table, and with the theme's scripts): the second run keeps the first. */
(function () {
  "use strict";
  if (window.thgRows) return;
  const opened = {};

  function fetchJson(url) {
    return fetch(url).then((r) => {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function build(url, data) {
    const terms = data.terms, rows = new Array(data.count), tags = data.tags, code = data.code;
    const facets = Object.keys(data.facets), base = window.thgFilter.TERM_BASE;
    window.thgFilter.useTerms(terms);
    /* A row: position, year, code flag and term codes; `g` and `v` are spelled out on first read. */
    function Row(i, y, c, x) { this.i = i; this.y = y; this.c = c; this.x = x; }
    function spell(row) {
      const g = {};
      facets.forEach((f) => { g[f] = []; });
      for (let k = 0; k < row.x.length; k++) {
        const [facet, term] = terms[row.x.charCodeAt(k) - base];
        if (g[facet]) g[facet].push(term);  // taxonomy facets only; the venue and record filters are not drawn
      }
      Object.defineProperty(row, "g", {value: g});
      return g;
    }
    function venue(row) {
      let v = "";
      for (let k = 0; k < row.x.length; k++) {
        const [facet, term] = terms[row.x.charCodeAt(k) - base];
        if (facet === "venue") v = term;
      }
      Object.defineProperty(row, "v", {value: v});
      return v;
    }
    Object.defineProperty(Row.prototype, "g", {get() { return spell(this); }});
    Object.defineProperty(Row.prototype, "v", {get() { return venue(this); }});
    let at = 0;
    for (let r = 0; r < data.years.length; r++) {
      const year = data.years[r][0], count = data.years[r][1];
      for (let k = 0; k < count; k++, at++) rows[at] = new Row(at, year, code.charCodeAt(at) === 49 ? 1 : 0, tags[at]);
    }
    const shards = data.shards.map((s) => Object.assign({url: new URL(s.file, url).href, loading: null, done: false}, s));
    const byRow = new Array(data.count);
    shards.forEach((s) => { for (let k = 0; k < s.count; k++) byRow[s.start + k] = s; });

    function load(shard) {
      if (!shard.loading) {
        shard.loading = fetchJson(shard.url).then((part) => {
          const fresh = [];
          part.papers.forEach((text, k) => { fresh.push(Object.assign(rows[part.start + k], text)); });
          window.thgFilter.prepare(fresh);
          shard.done = true;
          index.version += 1;
        });
      }
      return shard.loading;
    }
    /* Shards whose years overlap from..to (numbers or empty for open ends). */
    function shardsForYears(from, to) {
      const lo = from ? +from : -Infinity, hi = to ? +to : Infinity;
      return shards.filter((s) => s.newest >= lo && s.oldest <= hi);
    }
    /* The dataset, metric, loss and missing-field terms (thg/site/explorer.py GROUPS_FILE), appended to each
       row's codes when they arrive. */
    let groups = null;
    function loadGroups() {
      if (!groups) {
        groups = fetchJson(new URL(data.groups, url).href).then((part) => {
          for (let k = 0; k < rows.length; k++) if (part.tags[k]) rows[k].x += part.tags[k];
          index.groupsLoaded = true;
          index.version += 1;
        });
        groups.catch(() => { groups = null; });
      }
      return groups;
    }
    const index = {
      groupsLoaded: !data.groups,
      loadGroups: loadGroups,
      version: 0,  // counts arrived shards and the groups file: views built before an arrival are stale
      count: data.count,
      facets: data.facets,
      rows: rows,
      shards: shards,
      /* The shards holding these rows that have not arrived yet. */
      missing(list) {
        const out = [];
        list.forEach((row) => { const s = byRow[row.i]; if (!s.done && out.indexOf(s) < 0) out.push(s); });
        return out;
      },
      shardsForYears: shardsForYears,
      hasText(list) { return list.every((s) => s.done); },
      load(list) { return Promise.all(list.map(load)); },
      /* Every row with its text: for pages that search everything (the Search page). */
      loadAll() { return Promise.all(shards.map(load)).then(() => rows); },
    };
    return index;
  }

  function open(url) {
    const key = new URL(url, location.href).href;
    if (!opened[key]) opened[key] = fetchJson(key).then((data) => build(key, data));
    return opened[key];
  }

  window.thgRows = {open: open};
})();
