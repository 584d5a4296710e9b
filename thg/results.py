"""Benchmark results that only compare like with like.

Tables are grouped by (dataset, protocol): numbers are ranked only inside one source table, and
the cross-paper view lists every value with its protocol group instead of ranking across groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thg.checks import numeric
from thg.corpus import Corpus
from thg.index import Index
from thg.models import Paper, Protocol, ResultRow, ResultTable, ResultValue


@dataclass
class ProtocolGroup:
    protocol: Protocol
    tables: list[tuple[Paper, ResultTable]] = field(default_factory=list)

    @property
    def label(self) -> str:
        p = self.protocol
        if p.key() is None:
            # Such a protocol groups nothing but its own table: name the table, not the notes.
            paper, table = self.tables[0]
            state = "not stated by the source" if not p.stated else "stated, no details recorded"
            return f"{state} ({paper.display_name}, {table.table})"
        parts = [f"{name.replace('_', ' ')} {value}" for name, value in (
            ("setting", p.setting), ("reenactment", p.reenactment), ("resolution", p.resolution),
            ("face_crop", p.face_crop), ("audio_source", p.audio_source), ("test_clips", p.test_clips))
            if value is not None]
        return ", ".join(parts)


@dataclass(frozen=True)
class ReportedValue:
    method: str
    metric: str
    value: ResultValue
    group: int
    paper: str
    table: str
    dataset: str
    reference: bool = False


def best_value(corpus: Corpus, table: ResultTable, metric: str) -> ResultValue:
    """The best value of one column of one source table, by the metric's direction.

    None when there is nothing to compare: no direction, or fewer than two values in the column.
    """
    info = corpus.metrics.get(metric)
    candidates = [(numeric(row.values.get(metric)), row.values.get(metric)) for row in table.rows
                  if not row.reference]
    present = [(n, raw) for n, raw in candidates if n is not None]
    if info is None or info.direction not in ("higher", "lower") or len(present) < 2:
        return None
    chooser = max if info.direction == "higher" else min
    return chooser(present, key=lambda pair: pair[0])[1]


def is_best(corpus: Corpus, table: ResultTable, row: ResultRow, metric: str) -> bool:
    """Whether this cell holds its column's best value; a reference row never does."""
    value = row.values.get(metric)
    return value is not None and not row.reference and value == best_value(corpus, table, metric)


def protocol_groups(index: Index, dataset: str) -> list[ProtocolGroup]:
    groups: dict[tuple[object, ...], ProtocolGroup] = {}
    for pid, position in index.results_on.get(dataset, []):
        paper = index.corpus.papers[pid]
        table = paper.results[position]
        details = table.protocol.key()
        key = ("alone", pid, table.id) if details is None else (table.split, *details)
        groups.setdefault(key, ProtocolGroup(table.protocol)).tables.append((paper, table))
    return list(groups.values())


def reported_values(groups: list[ProtocolGroup], metric: str | None = None) -> list[ReportedValue]:
    rows = []
    for number, group in enumerate(groups, start=1):
        for paper, table in group.tables:
            for row in table.rows:
                for metric_id, value in row.values.items():
                    if metric is None or metric_id == metric:
                        rows.append(ReportedValue(row.method, metric_id, value, number, paper.id, table.table,
                                                  table.dataset, row.reference))
    rows.sort(key=lambda r: (r.method.casefold(), r.metric, r.group))
    return rows
