/* Click a column header of a .thg-sortable table to sort it; numbers sort as numbers, blanks last. */
(function () {
  "use strict";
  function key(cell) {
    const text = (cell ? cell.textContent : "").trim();
    const number = parseFloat(text.replace(/,/g, ""));
    return text === "" || text === "—" ? null : (isNaN(number) || !/^[\d.,-]+$/.test(text) ? text.toLowerCase() : number);
  }
  function sort(table, column, th) {
    const body = table.tBodies[0];
    const descending = th.getAttribute("aria-sort") === "ascending";
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = key(a.cells[column]), y = key(b.cells[column]);
      if (x === null) return 1;
      if (y === null) return -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function boot() {
    document.querySelectorAll("table.thg-sortable").forEach(function (table) {
      if (table.dataset.sortable) return;
      table.dataset.sortable = "1";
      Array.from(table.tHead ? table.tHead.rows[0].cells : []).forEach(function (th, column) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sort(table, column, th); });
      });
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(boot);
  else document.addEventListener("DOMContentLoaded", boot);
})();
