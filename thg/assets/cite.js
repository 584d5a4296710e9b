/* Citation files assembled in the reader's browser. The site publishes each paper's citation once per
   format, in downloads/all.bib, all.json and all.ris (index order, thg/site/generate.py:download_files);
   any facet term's file, and the explorer's selection, is cut out of them here, so the site no longer
   grows with papers x terms. Splitting and joining follow thg/export exactly, so a file made here has the
   same bytes as `thg export` for the same papers in the same order.
   Exposed as window.thgCite; buttons with data-cite-format (and data-cite-terms="facet=term") work by
   themselves inside an element carrying data-cite-index and data-cite-downloads. */
(function () {
  "use strict";
  const BIBTEX_START = /\n(?=@[A-Za-z]+\{)/;  // values escape "{", so only an entry can start a line with @type{
  const RIS_END = "ER  - \r\n\r\n";  // RIS values never hold a line break
  const FORMATS = {
    bibtex: {file: "all.bib", ext: "bib", type: "application/x-bibtex", label: "BibTeX",
      split: (text) => (text ? text.split(BIBTEX_START) : []),
      join: (entries) => entries.join("\n")},
    csljson: {file: "all.json", ext: "json", type: "application/vnd.citationstyles.csl+json", label: "CSL-JSON",
      /* "[\n" + one item per line, joined by ",\n" + "\n]\n"; JSON escapes line breaks inside strings, so ",\n"
         only ever separates two items. */
      split: (text) => (text.trim() === "[]" ? [] : text.slice(2, -3).split(",\n")),
      join: (entries) => (entries.length ? "[\n" + entries.join(",\n") + "\n]\n" : "[]\n")},
    ris: {file: "all.ris", ext: "ris", type: "application/x-research-info-systems", label: "RIS",
      split: (text) => (text ? (text + "\r\n").split(RIS_END).slice(0, -1).map((s) => s + RIS_END) : []),
      join: (entries) => entries.join("").replace(/\r\n$/, "")},
  };
  const loaded = {};

  /* Every paper's entry in one format, in index order; checked against the number of papers. */
  function entries(format, downloads, count) {
    const url = new URL(FORMATS[format].file, downloads).href;
    if (!loaded[url]) {
      loaded[url] = fetch(url).then((r) => {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.text();
      }).then((text) => {
        const parts = FORMATS[format].split(text);
        if (parts.length !== count) throw new Error(FORMATS[format].file + " holds " + parts.length + " entries, not " + count);
        return parts;
      });
      loaded[url].catch(() => { delete loaded[url]; });
    }
    return loaded[url];
  }

  /* The file for the papers at these positions (index order), in the order given. */
  function assemble(format, downloads, count, positions) {
    return entries(format, downloads, count).then((parts) => FORMATS[format].join(positions.map((i) => parts[i])));
  }

  function save(text, format, name) {
    const spec = FORMATS[format];
    const blob = new Blob([text], {type: spec.type + ";charset=utf-8"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name + "." + spec.ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function download(format, downloads, count, positions, name) {
    return assemble(format, downloads, count, positions).then((text) => save(text, format, name));
  }

  /* Positions of the papers carrying any of these facet terms ("task=lip-sync"), in index order. */
  function positionsWith(index, selected) {
    const wanted = selected.map((s) => s.split("="));
    return index.rows.filter((row) => wanted.some(([facet, term]) =>
      (facet === "venue" ? row.v === term : (row.g[facet] || []).indexOf(term) >= 0))).map((row) => row.i);
  }

  /* A button: <button data-cite-format="bibtex" data-cite-terms="task=lip-sync"> inside an element with
     data-cite-index (the explorer's index.json) and data-cite-downloads (the downloads/ folder); with
     data-cite-select instead, the terms come from that <select>'s chosen option. */
  function termsOf(button) {
    if (button.dataset.citeTerms) return button.dataset.citeTerms;
    const select = document.getElementById(button.dataset.citeSelect);
    return select ? select.value : "";
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button[data-cite-format]");
    const host = button && button.closest("[data-cite-index]");
    if (!host) return;
    const terms = termsOf(button);
    if (!terms) return;
    const status = host.querySelector(".thg-cite-status");
    const say = (text) => { if (status) status.textContent = text; };
    const format = button.dataset.citeFormat;
    const downloads = new URL(host.dataset.citeDownloads, location.href).href;
    button.disabled = true;
    say("Preparing " + FORMATS[format].label + "…");
    window.thgRows.open(host.dataset.citeIndex).then((index) => {
      const positions = positionsWith(index, terms.split(","));
      return download(format, downloads, index.count, positions, "thg-" + terms.replace(/[=,]/g, "-")).then(() => {
        say(FORMATS[format].label + ": " + positions.length + (positions.length === 1 ? " paper" : " papers") + " saved.");
      });
    }).catch((error) => {
      say("Could not assemble the file (" + error.message + "); " + FORMATS[format].file + " holds every paper.");
    }).finally(() => { button.disabled = false; });
  });

  window.thgCite = {FORMATS, entries, assemble, download, save, positionsWith};
})();
