"""Benchmark results that only compare like with like.

Tables are grouped by (dataset, protocol): numbers are ranked only inside one source table, or, when
tables cite the same protocol record, inside that protocol. The cross-paper views list every value
with its protocol group instead of ranking across groups, and the re-measurement spread compares the
numbers different sources report for one baseline under one protocol.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from thg.checks import numeric
from thg.corpus import Corpus
from thg.index import Index
from thg.models import EvalProtocol, Paper, Protocol, ResultRow, ResultTable, ResultValue, split_metric_key

RANKED_KINDS = ("comparison", "ablation", "checkpoint")
"""Table kinds whose columns get a 'best' mark; compiled tables (a survey's list of other people's numbers) never do."""


@dataclass
class ProtocolGroup:
    protocol: Protocol
    tables: list[tuple[Paper, ResultTable]] = field(default_factory=list)
    record: EvalProtocol | None = None
    """The protocol record the tables cite, when they cite one."""

    @property
    def label(self) -> str:
        p = self.protocol
        if self.record is not None:
            return f"{self.record.name} (protocol record {self.record.id})"
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

    @property
    def slug(self) -> str:
        """A file name for the group's downloads that stays the same while its protocol does."""
        if self.record is not None:
            return self.record.id
        key = self.protocol.key()
        if key is None:
            paper, table = self.tables[0]
            return f"{paper.id}-{table.id}"
        split = self.tables[0][1].split
        digest = hashlib.blake2b(json.dumps([split, *key], default=str).encode("utf-8"), digest_size=5).hexdigest()
        return f"protocol-{digest}"

    @property
    def shared(self) -> bool:
        """True when more than one source table can be ranked together (same protocol record)."""
        return self.record is not None and sum(t.kind in RANKED_KINDS for _, t in self.tables) > 1


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


def direction_of(corpus: Corpus, table: ResultTable, key: str) -> str | None:
    """How a column is ranked: as the source states it for this table, else by the metric record."""
    if key in table.directions:
        return table.directions[key]
    info = corpus.metrics.get(split_metric_key(key)[0])
    return info.direction if info else None


def _target(table: ResultTable, key: str) -> float | None:
    """The reference (ground-truth) value a 'closest to real' column is ranked against, if the table prints one."""
    values = [numeric(row.values.get(key)) for row in table.rows if row.reference]
    present = [v for v in values if v is not None]
    return present[0] if len(present) == 1 else None


def _choose(direction: str | None, present: list[tuple[float, ResultValue]], target: float | None) -> ResultValue:
    if len(present) < 2:
        return None
    if direction == "higher":
        return max(present, key=lambda pair: pair[0])[1]
    if direction == "lower":
        return min(present, key=lambda pair: pair[0])[1]
    if direction == "target" and target is not None:
        distances = sorted(abs(n - target) for n, _ in present)
        if distances[0] == distances[1]:
            return None  # a tie in distance to the target: nothing is best
        return min(present, key=lambda pair: abs(pair[0] - target))[1]
    return None


def best_value(corpus: Corpus, table: ResultTable, metric: str) -> ResultValue:
    """The best value of one column of one source table, by the column's direction.

    None when there is nothing to compare: no direction, fewer than two values in the column, a
    'closest to real' column without a reference row, or a compiled table (not a measurement).
    """
    if table.kind not in RANKED_KINDS:
        return None
    candidates = [(numeric(row.values.get(metric)), row.values.get(metric)) for row in table.rows
                  if not row.reference]
    present = [(n, raw) for n, raw in candidates if n is not None]
    return _choose(direction_of(corpus, table, metric), present, _target(table, metric))


def is_best(corpus: Corpus, table: ResultTable, row: ResultRow, metric: str) -> bool:
    """Whether this cell holds its column's best value; a reference row never does."""
    value = row.values.get(metric)
    return value is not None and not row.reference and value == best_value(corpus, table, metric)


def protocol_groups(index: Index, dataset: str) -> list[ProtocolGroup]:
    groups: dict[tuple[object, ...], ProtocolGroup] = {}
    corpus = index.corpus
    for pid, position in index.results_on.get(dataset, []):
        paper = corpus.papers[pid]
        table = paper.results[position]
        details = table.protocol.key()
        if table.protocol.id is not None:
            key: tuple[object, ...] = details or ()
        else:
            key = ("alone", pid, table.id) if details is None else (table.split, *details)
        record = corpus.protocols.get(table.protocol.id) if table.protocol.id else None
        groups.setdefault(key, ProtocolGroup(table.protocol, record=record)).tables.append((paper, table))
    return list(groups.values())


def reported_values(groups: list[ProtocolGroup], metric: str | None = None) -> list[ReportedValue]:
    rows = []
    for number, group in enumerate(groups, start=1):
        for paper, table in group.tables:
            for row in table.rows:
                for metric_id, value in row.values.items():
                    if metric is None or metric_id == metric:
                        rows.append(ReportedValue(row.method, metric_id, value, number, paper.id, table.table,
                                                  table.dataset or "", row.reference))
    rows.sort(key=lambda r: (r.method.casefold(), r.metric, r.group))
    return rows


@dataclass(frozen=True)
class RankedRow:
    """One row of a protocol-wide ranking: which source table it comes from, and its values."""

    paper: Paper
    table: ResultTable
    row: ResultRow


@dataclass
class ProtocolRanking:
    """Every row of every table that cites one protocol record, ranked per column across those tables."""

    columns: list[str]
    rows: list[RankedRow]
    best: dict[str, ResultValue]


def protocol_ranking(corpus: Corpus, group: ProtocolGroup) -> ProtocolRanking | None:
    """Rank across source tables only when they cite one protocol record; otherwise None."""
    if not group.shared:
        return None
    tables = [(paper, table) for paper, table in group.tables if table.kind in RANKED_KINDS]
    columns = list(dict.fromkeys(key for _, table in tables for key in table.columns()))
    rows = [RankedRow(paper, table, row) for paper, table in tables for row in table.rows]
    best: dict[str, ResultValue] = {}
    for key in columns:
        present = [(n, row.row.values.get(key)) for row in rows if not row.row.reference
                   for n in [numeric(row.row.values.get(key))] if n is not None]
        directions = {direction_of(corpus, row.table, key) for row in rows if key in row.row.values}
        targets = {_target(table, key) for _, table in tables if key in table.columns()} - {None}
        direction = directions.pop() if len(directions) == 1 else None
        target = targets.pop() if len(targets) == 1 else None
        best[key] = _choose(direction, present, target)
    return ProtocolRanking(columns, rows, best)


@dataclass(frozen=True)
class Report:
    """One source's number for one method and metric."""

    value: float
    printed: ResultValue
    paper: Paper
    table: ResultTable


@dataclass
class Spread:
    """The values that different sources report for one method and metric under one protocol."""

    method: str
    metric: str
    reports: list[Report]

    @property
    def low(self) -> float:
        return min(r.value for r in self.reports)

    @property
    def high(self) -> float:
        return max(r.value for r in self.reports)

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Claim:
    """A paper's own number against the strongest baseline in its table, beside that baseline's spread."""

    paper: Paper
    table: ResultTable
    metric: str
    own: float
    baseline: str
    baseline_value: float
    gain: float
    spread: Spread

    @property
    def flagged(self) -> bool:
        """The claimed gain is smaller than the disagreement between sources about the baseline itself."""
        return self.gain < self.spread.width


def _method_key(method: str) -> str:
    """Rows name the same method when they link the same paper record, or print the same name."""
    return method.casefold()


def spreads(group: ProtocolGroup) -> list[Spread]:
    """Per method and metric, the values reported by two or more source tables of this protocol group."""
    found: dict[tuple[str, str], Spread] = {}
    for paper, table in group.tables:
        if table.kind != "comparison":
            continue
        for row in table.rows:
            if row.reference:
                continue
            for key, printed in row.values.items():
                value = numeric(printed)
                if value is None:
                    continue
                spread = found.setdefault((_method_key(row.method), key), Spread(row.method, key, []))
                if all(r.table is not table for r in spread.reports):
                    spread.reports.append(Report(value, printed, paper, table))
    kept = [s for s in found.values() if len({(r.paper.id, r.table.id) for r in s.reports}) > 1]
    kept.sort(key=lambda s: (s.method.casefold(), s.metric))
    return kept


def claims(corpus: Corpus, group: ProtocolGroup, found: list[Spread] | None = None) -> list[Claim]:
    """Each paper's gain over its strongest baseline, wherever that baseline has a re-measurement spread."""
    by_key = {(_method_key(s.method), s.metric): s for s in (found if found is not None else spreads(group))}
    result: list[Claim] = []
    for paper, table in group.tables:
        if table.kind != "comparison":
            continue
        own_rows = [row for row in table.rows if row.method == paper.id and not row.reference]
        others = [row for row in table.rows if row.method != paper.id and not row.reference]
        for own in own_rows:
            for key, printed in own.values.items():
                mine = numeric(printed)
                direction = direction_of(corpus, table, key)
                if mine is None or direction not in ("higher", "lower"):
                    continue
                rivals = [(numeric(r.values.get(key)), r) for r in others]
                present = [(v, r) for v, r in rivals if v is not None]
                if not present:
                    continue
                sign = 1.0 if direction == "higher" else -1.0
                value, rival = max(present, key=lambda pair: sign * pair[0])
                gain = sign * (mine - value)
                spread = by_key.get((_method_key(rival.method), key))
                if gain > 0 and spread is not None:
                    result.append(Claim(paper, table, key, mine, rival.method, value, gain, spread))
    return result


def column_name(corpus: Corpus, key: str) -> str:
    """A column's heading: the metric's name, with the variant in brackets (FVD [16])."""
    base, variant = split_metric_key(key)
    info = corpus.metrics.get(base)
    name = info.name if info else base
    return f"{name} [{variant}]" if variant else name


ARROWS = {"higher": "↑", "lower": "↓", "target": "◎"}
DIRECTION_TEXT = {"higher": "higher is better", "lower": "lower is better", "target": "closest to real footage is better"}


@dataclass(frozen=True)
class Column:
    """What a results column heading shows: name, direction arrow and its meaning, and the metric record."""

    key: str
    name: str
    metric: str | None
    direction: str | None

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction or "", "")

    @property
    def direction_text(self) -> str:
        return DIRECTION_TEXT.get(self.direction or "", "direction depends on the implementation")


def column(corpus: Corpus, table: ResultTable | None, key: str) -> Column:
    base = split_metric_key(key)[0]
    if table is not None:
        direction = direction_of(corpus, table, key)
    else:
        info = corpus.metrics.get(base)
        direction = info.direction if info else None
    return Column(key, column_name(corpus, key), base if base in corpus.metrics else None, direction)


KIND_NOTES = {
    "comparison": "",
    "ablation": "Ablation: variants of the paper's own method.",
    "checkpoint": "The repository's results for its released checkpoint, not the paper's table.",
    "compiled": "Numbers the source lists from other work, without a protocol: not a measurement, never ranked.",
}
