"""`thg results`: the per-dataset results views in the terminal."""

from __future__ import annotations

from typing import TextIO

from thg.errors import UsageError
from thg.index import NO_DATASET, Index
from thg.results import KIND_NOTES, column, is_best, protocol_groups, reported_values


def _name(method: str, reference: bool) -> str:
    """A row's method as printed; reference rows (real video, ground truth) are marked, never ranked."""
    return f"{method} (ref)" if reference else method


def print_results(index: Index, dataset: str, metric: str | None, out: TextIO) -> int:
    corpus = index.corpus
    if dataset == "none":
        dataset = NO_DATASET  # tables whose source names no test set
    elif dataset not in corpus.datasets:
        raise UsageError(f"no dataset record has id {dataset!r} (or none, for tables whose source names no test set)")
    if metric is not None and metric not in corpus.metrics:
        raise UsageError(f"no metric record has id {metric!r}")
    groups = protocol_groups(index, dataset)
    if not groups:
        name = corpus.datasets[dataset].name if dataset else "test sets the sources do not name"
        out.write(f"No reported results on {name} yet.\n")
        return 0
    out.write("* marks the best value of a column within one source table, by the metric's direction; "
              "(ref) rows are references such as real video, never ranked.\n\n")
    for number, group in enumerate(groups, start=1):
        scope = "ranked within this protocol" if group.record else "ranked within each table"
        out.write(f"== Protocol {number}: {group.label} ({scope})\n")
        for paper, table in group.tables:
            columns = [m for m in table.columns() if metric is None or m == metric or m.startswith(f"{metric}[")]
            if not columns:
                continue
            out.write(f"-- {paper.display_name}, {table.table} ({table.source})\n")
            if KIND_NOTES[table.kind]:
                out.write(f"   {KIND_NOTES[table.kind]}\n")
            heads = [f"{column(corpus, table, c).name}{column(corpus, table, c).arrow}" for c in columns]
            width = max(len(_name(r.method, r.reference)) for r in table.rows) + 2
            widths = [max(12, len(h) + 2) for h in heads]
            out.write("".ljust(width) + "".join(h.rjust(w) for h, w in zip(heads, widths, strict=True)) + "\n")
            for row in table.rows:
                cells = []
                for c, cell_width in zip(columns, widths, strict=True):
                    value = row.values.get(c)
                    text = "—" if value is None else str(value)
                    if is_best(corpus, table, row, c):
                        text = f"*{text}"
                    cells.append(text.rjust(cell_width))
                out.write(_name(row.method, row.reference).ljust(width) + "".join(cells) + "\n")
        out.write("\n")
    out.write("== Every reported value by method, its protocol group in brackets "
              "(values from different groups were measured differently)\n")
    for reported in reported_values(groups, metric):
        shown = "—" if reported.value is None else str(reported.value)
        out.write(f"{_name(reported.method, reported.reference):<28} {reported.metric:<10} {shown:>10}  [{reported.group}]  "
                  f"{reported.paper}, {reported.table}\n")
    return 0
