"""Results leave the site in the forms readers paste elsewhere: CSV, LaTeX rows and JSON.

One protocol group at a time (the only numbers that may sit in one table), plus a full JSON dump of
every table. The LaTeX rows cite each method's paper with the key the BibTeX export gives it, so they
paste into a related-work table next to `all.bib`.
"""

from __future__ import annotations

import json
from typing import Any

from thg.export.latex import escape
from thg.export.spreadsheet import csv_text
from thg.index import Index
from thg.models import EvalProtocol, Paper, ResultRow, ResultTable
from thg.results import DIRECTION_TEXT, ProtocolGroup, column_name, direction_of

DUMP_VERSION = 1
LATEX_ARROWS = {"higher": r"$\uparrow$", "lower": r"$\downarrow$", "target": r"$\odot$"}


def group_columns(group: ProtocolGroup) -> list[str]:
    return list(dict.fromkeys(key for _, table in group.tables for key in table.columns()))


def _method_cells(index: Index, row: ResultRow) -> tuple[str, str, str]:
    """(name as shown, paper id, citation key) of a row's method; the last two empty for a plain name."""
    paper = index.corpus.papers.get(row.method)
    if paper is None:
        return row.method, "", ""
    return paper.display_name, paper.id, index.bibkeys[paper.id]


def _printed(value: Any) -> str:
    return "" if value is None else str(value)


def group_csv(index: Index, group: ProtocolGroup) -> str:
    """One row per method row of every table in the group; spreads (±) in their own columns."""
    corpus = index.corpus
    columns = group_columns(group)
    with_spread = [key for key in columns if any(key in row.spread for _, t in group.tables for row in t.rows)]
    heads = []
    for key in columns:
        heads.append(column_name(corpus, key))
        if key in with_spread:
            heads.append(f"{column_name(corpus, key)} ±")
    header = ["method", "method_paper", "bibkey", "reference_row", "note", *heads,
              "reported_by", "table", "table_kind", "source", "protocol"]
    rows: list[list[Any]] = []
    for paper, table in group.tables:
        for row in table.rows:
            name, pid, key = _method_cells(index, row)
            cells: list[Any] = []
            for column in columns:
                cells.append(_printed(row.values.get(column)))
                if column in with_spread:
                    cells.append(_printed(row.spread.get(column)))
            rows.append([name, pid, key, row.reference, row.note or "", *cells, paper.id, table.table,
                         table.kind, table.source, group.label])
    return csv_text(header, rows)


def group_latex(index: Index, group: ProtocolGroup) -> str:
    """LaTeX table rows, method cited as \\cite{key}; each row notes the source it was reported in."""
    corpus = index.corpus
    columns = group_columns(group)
    first_table = group.tables[0][1]
    lines = [
        f"% Results on {_dataset_name(index, group)}; protocol: {_comment(group.label)}",
        "% From the thg knowledge base. Values exactly as printed by each source; -- means not reported.",
        "% Numbers from different source tables are comparable only as far as this protocol says.",
        "% Cite keys match thg's BibTeX export (downloads/all.bib).",
    ]
    heads = ["Method"]
    for key in columns:
        arrow = LATEX_ARROWS.get(direction_of(corpus, first_table, key) or "", "")
        heads.append(escape(column_name(corpus, key)) + (f" {arrow}" if arrow else ""))
    lines.append(" & ".join(heads) + r" \\")
    lines.append(r"\midrule")
    for paper, table in group.tables:
        for row in table.rows:
            name, _pid, key = _method_cells(index, row)
            method = escape(name) + (f"~\\cite{{{key}}}" if key else "")
            if row.note and table.kind in ("ablation", "checkpoint"):
                method += f" ({escape(row.note)})"  # the note names the variant the row is
            cells = [method]
            for column in columns:
                value = row.values.get(column)
                text = "--" if value is None else str(value)
                if row.spread.get(column) is not None:
                    text += f" $\\pm$ {row.spread[column]}"
                cells.append(text)
            source = f"{paper.display_name}, {table.table}"
            if row.note and table.kind not in ("ablation", "checkpoint"):
                source += f"; {row.note}"
            lines.append(" & ".join(cells) + r" \\ % reported in " + _comment(source))
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text for a LaTeX comment: one line, nothing that ends the comment early."""
    return " ".join(text.split())


def _dataset_name(index: Index, group: ProtocolGroup) -> str:
    dataset = group.tables[0][1].dataset
    if dataset is None:
        return "a test set the source does not name"
    record = index.corpus.datasets.get(dataset)
    return record.name if record else dataset


def _protocol_json(group: ProtocolGroup) -> dict[str, Any]:
    details = group.protocol.model_dump(mode="json", exclude_none=True)
    return {"label": group.label, "slug": group.slug, "record": group.record.id if group.record else None,
            "details": details}


def _table_json(index: Index, paper: Paper, table: ResultTable) -> dict[str, Any]:
    corpus = index.corpus
    rows = []
    for row in table.rows:
        name, pid, key = _method_cells(index, row)
        rows.append({"method": name, "method_paper": pid or None, "bibkey": key or None, "reference": row.reference,
                     "note": row.note, "values": dict(row.values), "spread": dict(row.spread)})
    return {
        "paper": paper.id, "bibkey": index.bibkeys[paper.id], "table_id": table.id, "table": table.table,
        "kind": table.kind, "source": table.source, "dataset": table.dataset, "split": table.split,
        "caption": table.caption, "protocol": table.protocol.model_dump(mode="json", exclude_none=True),
        "columns": {key: {"name": column_name(corpus, key), "direction": direction_of(corpus, table, key)}
                    for key in table.columns()},
        "rows": rows,
        "corrections": [c.model_dump(mode="json", exclude_none=True) for c in table.corrections],
    }


def group_json(index: Index, group: ProtocolGroup) -> str:
    payload = {"dataset": group.tables[0][1].dataset, "protocol": _protocol_json(group),
               "tables": [_table_json(index, paper, table) for paper, table in group.tables]}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def _protocol_record_json(record: EvalProtocol) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True)


def results_dump(index: Index) -> str:
    """Every results table of the corpus, with the metric, dataset and protocol records they refer to."""
    corpus = index.corpus
    tables = [_table_json(index, corpus.papers[pid], table) for pid in index.ordered
              for table in corpus.papers[pid].results]
    used_metrics = sorted({key.split("[", 1)[0] for t in tables for key in t["columns"]})
    payload = {
        "format": "thg-results", "version": DUMP_VERSION,
        "directions": DIRECTION_TEXT,
        "metrics": {m: {"name": corpus.metrics[m].name, "direction": corpus.metrics[m].direction}
                    for m in used_metrics if m in corpus.metrics},
        "datasets": {d: corpus.datasets[d].name for d in sorted({t["dataset"] for t in tables if t["dataset"]})
                     if d in corpus.datasets},
        "protocols": {pid: _protocol_record_json(record) for pid, record in sorted(corpus.protocols.items())},
        "tables": tables,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
