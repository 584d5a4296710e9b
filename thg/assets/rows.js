/* The explorer's index of papers, as the browser loads it (assets/thg/explorer/, written by
   thg/site/explorer.py): index.json holds what filtering and counting need for every paper (year, venue,
   code flag, facet terms), and shards by year hold what matching text and drawing rows need (id, title,
   names, authors, summary, citation key), fetched only when a view needs them. Rows are in index order
   (newest first), the order of downloads/all.*: a row's `i` is its position there.
   Exposed as window.thgRows: open(url) -> Promise of an index (one per url). */
(function () {
  "use strict";
  const opened = {};

  function fetchJson(url) {
    return fetch(url).then((r) => {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function build(url, data) {
    const terms = data.terms, rows = new Array(data.count);
    const facets = Object.keys(data.facets);
    let at = 0;
    data.years.forEach(([year, count]) => {
      for (let k = 0; k < count; k++, at++) {
        const g = {};
        facets.forEach((f) => { g[f] = []; });
        const row = {i: at, y: year, v: "", c: data.code.charCodeAt(at) === 49 ? 1 : 0, g: g};
        const tags = data.tags[at];
        for (let t = 0; t < tags.length; t++) {
          const [facet, term] = terms[tags[t]];
          if (facet === "venue") row.v = term; else g[facet].push(term);
        }
        rows[at] = row;
      }
    });
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
    const index = {
      version: 0,  // counts arrived shards: an order by title made before the last one arrived is stale
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
