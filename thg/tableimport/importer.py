"""`thg new results`: import a paper's table (LaTeX, Markdown, HTML or CSV) as a validated `results:` block.

Pipeline: read the file's tables (readers) -> clean every cell (cells) -> find header rows, label and
value columns -> map headers, methods and datasets to record ids (mapping) -> build the tables ->
check the whole record as `thg validate` would -> write (write). Nothing is written while anything is
unmapped, ambiguous or unreadable: every such cell is reported with its line, row and column, and the
command says which option settles it.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from thg.corpus import Corpus
from thg.errors import UsageError
from thg.models import ID_PATTERN, Paper, TableKind, split_metric_key
from thg.tableimport import cells as cellmod
from thg.tableimport import write
from thg.tableimport.mapping import OWN_NAMES, REFERENCE_NAMES, Names, metric_for, norm, paper_for, suggest
from thg.tableimport.readers import GridCell, SourceTable, expand, read_tables

SKIP = "-"
"""--map NAME=- leaves a column or a row out."""
NOTE = "note"
"""--map HEADER=note folds a text column into each row's note."""
UNNAMED = "none"
"""--dataset none: the source names no test set (say so with --split and --notes)."""
_METHOD_HEADERS = {norm(n) for n in ("method", "methods", "model", "models", "approach", "name", "setting",
                                     "settings", "variant", "variants", "baseline", "baselines", "")}
_DATASET_HEADERS = {norm(n) for n in ("dataset", "datasets", "data", "benchmark", "test set", "testset")}


@dataclass
class ImportOptions:
    paper: str
    path: Path
    source: str
    table: int | None = None
    dataset: str | None = None
    maps: dict[str, str] = field(default_factory=dict)
    plain: set[str] = field(default_factory=set)
    keep_names: bool = False
    directions: dict[str, str] = field(default_factory=dict)
    kind: TableKind = "comparison"
    protocol: str | None = None
    label: str | None = None
    table_id: str | None = None
    split: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str
    hint: str = ""
    row: int | None = None
    col: int | None = None

    def render(self, path: Path) -> str:
        where = ", ".join(p for p in (f"row {self.row}" if self.row else "", f"column {self.col}" if self.col else "") if p)
        hint = f" ({self.hint})" if self.hint else ""
        return f"{path}:{self.line}: {where + ': ' if where else ''}{self.message}{hint}"


@dataclass
class Imported:
    tables: list[dict[str, Any]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    datasets_added: list[str] = field(default_factory=list)
    metrics_added: list[str] = field(default_factory=list)
    text: str = ""
    """The paper record with the new tables, when there are no problems."""


@dataclass
class _Column:
    index: int
    header: str
    groups: list[str]
    arrow: str | None
    line: int
    role: str = "value"
    """value | method | dataset | note | skip"""
    key: str | None = None
    dataset: str | None = None


def choose_table(tables: list[SourceTable], number: int | None, path: Path) -> SourceTable:
    if not tables:
        raise UsageError(f"{path}: no table found (a LaTeX tabular, a Markdown or HTML table, or CSV rows)")
    if number is None:
        if len(tables) == 1:
            return tables[0]
        listing = "; ".join(f"{n} (line {t.line}{': ' + t.caption[:50] if t.caption else ''})"
                            for n, t in enumerate(tables, start=1))
        raise UsageError(f"{path} holds {len(tables)} tables; pick one with --table N: {listing}")
    if not 1 <= number <= len(tables):
        raise UsageError(f"{path} holds {len(tables)} table(s); --table must be 1..{len(tables)}")
    return tables[number - 1]


def import_table(corpus: Corpus, bibkeys: dict[str, str], options: ImportOptions) -> Imported:
    paper = corpus.papers.get(options.paper)
    if paper is None:
        raise UsageError(f"no paper record has id {options.paper!r}; create it first with thg new paper")
    for name, target in options.directions.items():
        if target not in ("higher", "lower", "target"):
            raise UsageError(f"--direction {name}={target}: write higher, lower or target")
    if options.dataset == UNNAMED and not (options.split and options.notes):
        raise UsageError("--dataset none records that the source names no test set: say what it does say with "
                         "--split (e.g. \"Mandarin test videos (not named)\") and --notes")
    if options.dataset not in (None, UNNAMED) and options.dataset not in corpus.datasets:
        raise UsageError(f"--dataset {options.dataset}: no dataset record has that id")
    if options.protocol is not None and options.protocol not in corpus.protocols:
        raise UsageError(f"--protocol {options.protocol}: no protocol record has that id")
    source = choose_table(read_tables(options.path), options.table, options.path)
    names = Names.build(corpus, bibkeys)
    return _Import(corpus, paper, names, options, source).run()


class _Import:
    def __init__(self, corpus: Corpus, paper: Paper, names: Names, options: ImportOptions, source: SourceTable) -> None:
        self.corpus, self.paper, self.names, self.options, self.source = corpus, paper, names, options, source
        self.out = Imported()
        self.grid = expand(source)
        self.clean = [[self._clean(cell) for cell in row] for row in self.grid]
        self.caption = self._clean_text(source.caption or "")
        self.footnotes = self._clean_text(source.notes)
        self.directions: dict[str, str] = {}
        """metric key -> direction, where this table is ranked differently from the metric record."""

    # -- helpers

    def _clean(self, cell: GridCell) -> cellmod.Text:
        if self.source.markup == "latex":
            return cellmod.latex_text(cell.text, self.source.macros)
        return cellmod.plain_text(cell.text)

    def _clean_text(self, text: str) -> str:
        if not text:
            return ""
        if self.source.markup == "latex":
            return cellmod.latex_text(text, self.source.macros, keep_marks=True).text
        return " ".join(text.split())

    def problem(self, cell: GridCell | None, message: str, hint: str = "") -> None:
        if cell is not None and cell.spanned:
            return  # a copy of a spanning cell: reported once, where the cell is printed
        if cell is None:
            self.out.problems.append(ImportProblem(self.source.line, message, hint))
        else:
            self.out.problems.append(ImportProblem(cell.line, message, hint, cell.row, cell.col))

    def mapped(self, printed: str) -> str | None:
        return self.options.maps.get(printed, self.options.maps.get(printed.strip()))

    # -- stages

    def run(self) -> Imported:
        header_rows = self._header_rows()
        if header_rows == 0 or header_rows >= len(self.grid):
            self.problem(None, "cannot tell the header row(s) from the data rows",
                         "the table needs a header row of metric names above rows of numbers")
            return self.out
        columns = self._columns(header_rows)
        if not any(c.role == "method" for c in columns):
            self.problem(None, "no column of method names found", "the first column should name each row's method")
            return self.out
        self._map_headers(columns, header_rows)
        tables = self._rows(columns, header_rows)
        if self.out.problems:
            return self.out
        self._finish(tables)
        return self.out

    def _header_rows(self) -> int:
        if self.source.header_rows is not None:
            return self.source.header_rows
        count = 0
        for row in self.clean:
            if any(cellmod.read_value(c.text).state == "number" for c in row[1:]):
                break
            count += 1
        return count

    def _columns(self, header_rows: int) -> list[_Column]:
        width = len(self.grid[0])
        columns = []
        for c in range(width):
            heads = [self.clean[r][c] for r in range(header_rows)]
            texts = [h.text for h in heads]
            leaf = next((t for t in reversed(texts) if t), "")
            groups = [t for t in dict.fromkeys(texts[:-1]) if t and t != leaf]
            arrow = next((h.arrow for h in heads if h.arrow), None)
            line = self.grid[header_rows - 1][c].line
            column = _Column(c + 1, leaf, groups, arrow, line)
            data = [self.clean[r][c].text for r in range(header_rows, len(self.grid))]
            states = [cellmod.read_value(t).state for t in data]
            numbers, words = states.count("number"), states.count("unreadable")
            mapped = self.mapped(leaf)
            if mapped == SKIP:
                column.role = "skip"
            elif mapped == NOTE:
                column.role = "note"
            elif c == 0 or numbers == 0 or words > numbers:
                column.role = "label"
            columns.append(column)
        labels = [c for c in columns if c.role == "label"]
        for column in labels if len(labels) > 1 else []:
            cells = [self.grid[r][column.index - 1] for r in range(header_rows, len(self.grid))]
            present = [self.clean[r][column.index - 1].text for r in range(header_rows, len(self.grid))
                       if self.clean[r][column.index - 1].text]
            grouping = not column.header and any(cell.spanned for cell in cells)
            # A headerless column whose cells span several rows groups the rows (by dataset).
            if norm(column.header) in _DATASET_HEADERS or grouping or (
                    present and all(self._dataset_name(v) for v in present)):
                column.role = "dataset"
        method = next((c for c in columns if c.role == "label" and c.header and norm(c.header) in _METHOD_HEADERS),
                      None)
        method = method or next((c for c in columns if c.role == "label"), None)
        if method is not None:
            method.role = "method"
        for column in columns:
            if column.role == "label":
                column.role = "note"
        return columns

    def _dataset_name(self, text: str) -> str | None:
        mapped = self.mapped(text)
        if mapped in self.corpus.datasets:
            return mapped
        found = self.names.datasets.get(norm(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def _map_headers(self, columns: list[_Column], header_rows: int) -> None:
        seen: dict[tuple[str | None, str], _Column] = {}
        for column in columns:
            if column.role != "value":
                continue
            cell = self.grid[header_rows - 1][column.index - 1]
            for group in column.groups:
                dataset = self._dataset_name(group)
                if dataset:
                    column.dataset = dataset
            column.key = self._metric_key(column, cell)
            if column.key is None:
                continue
            other = seen.get((column.dataset, column.key))
            if other is not None:
                self.problem(cell, f"columns {other.index} and {column.index} both map to {column.key}",
                             f'tell them apart with a variant, e.g. --map "{column.header}={column.key}[...]", '
                             f'or leave one out with --map "{column.header}=-"')
            seen[(column.dataset, column.key)] = column
            self._check_direction(column, cell)

    def _metric_key(self, column: _Column, cell: GridCell) -> str | None:
        printed = column.header
        target = self.mapped(printed)
        if target is not None:
            base = split_metric_key(target)[0]
            if base not in self.corpus.metrics:
                self.problem(cell, f"--map {printed}={target}: no metric record has id {base!r}",
                             "a metric id from metrics/, optionally with [variant]")
                return None
            return target
        if self.options.protocol:
            # A table that follows a protocol prints its columns under the protocol's own labels.
            for variant in self.corpus.protocols[self.options.protocol].metrics:
                metric = self.corpus.metrics.get(variant.metric)
                names = [variant.label or "", variant.key] + ([metric.name, *metric.aliases] if metric and
                                                              not variant.variant else [])
                if norm(printed) in {norm(n) for n in names if n}:
                    return variant.key
        candidates = [printed, *[f"{group} {printed}" for group in column.groups if not self._dataset_name(group)]]
        for text in candidates:
            match = metric_for(self.names, text)
            if match.target:
                if match.via == "variant":
                    self.out.notes.append(f"column {column.index} '{printed}' read as {match.target} "
                                          f"(metric {split_metric_key(match.target)[0]}, variant "
                                          f"{split_metric_key(match.target)[1]})")
                return match.target
            if match.ambiguous:
                self.problem(cell, f"header {printed!r} matches several metrics: {', '.join(match.candidates)}",
                             f'choose one: --map "{printed}={match.candidates[0]}"')
                return None
        close = suggest(self.names.metrics, printed)
        hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
            f'map it: --map "{printed}=<metric id>", or leave the column out: --map "{printed}=-"'
        self.problem(cell, f"header {printed!r} matches no metric record", hint)
        return None

    def _check_direction(self, column: _Column, cell: GridCell) -> None:
        assert column.key is not None
        info = self.corpus.metrics[split_metric_key(column.key)[0]]
        stated = self.options.directions.get(column.header) or self.options.directions.get(column.key)
        if stated:
            if stated != info.direction:
                self.directions[column.key] = stated
            return
        if column.arrow is None:
            return
        if info.direction is None:
            self.directions[column.key] = column.arrow
            self.out.notes.append(f"{info.name} has no direction of its own: the header's arrow "
                                  f"({column.arrow} is better) is recorded for this table")
        elif column.arrow != info.direction:
            arrow = "↑" if column.arrow == "higher" else "↓"
            self.problem(cell, f"the header '{column.header} {arrow}' says {column.arrow} is better, but "
                               f"{info.name} is {info.direction_text}",
                         f'check the mapping; if the source ranks it so, record that: '
                         f'--direction "{column.header}={column.arrow}"')

    def _rows(self, columns: list[_Column], header_rows: int) -> dict[str | None, list[dict[str, Any]]]:
        method_col = next(c for c in columns if c.role == "method")
        dataset_col = next((c for c in columns if c.role == "dataset"), None)
        note_cols = [c for c in columns if c.role == "note"]
        value_cols = [c for c in columns if c.role == "value" and c.key]
        fallback = self._table_dataset(columns)
        tables: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for r in range(header_rows, len(self.grid)):
            label = self.clean[r][method_col.index - 1]
            cell = self.grid[r][method_col.index - 1]
            values_present = [cellmod.read_value(self.clean[r][c.index - 1].text).state for c in value_cols]
            if not label.text and all(s == "missing" for s in values_present):
                continue
            if self.mapped(label.text) == SKIP:
                continue
            row_dataset = None
            if dataset_col is not None:
                text = self.clean[r][dataset_col.index - 1].text
                row_dataset = self._dataset_name(text) if text else None
                if text and row_dataset is None and not self.grid[r][dataset_col.index - 1].spanned:
                    self.problem(self.grid[r][dataset_col.index - 1], f"dataset {text!r} matches no dataset record",
                                 f'--map "{text}=<dataset id>"')
            row = self._method(label, cell, method_col.header)
            if row is None:
                row = {"method": label.text, "_unresolved": True}  # still read its cells, to report them too
            note = self._note(label, row.pop("_label", None), r, note_cols)
            by_dataset: dict[str | None, dict[str, Any]] = {}
            for column in value_cols:
                dataset = self.options.dataset or column.dataset or row_dataset or fallback
                dataset = None if dataset == UNNAMED else dataset
                text = self.clean[r][column.index - 1].text
                value = cellmod.read_value(text)
                entry = by_dataset.setdefault(dataset, {**row, "values": {}, "spread": {}})
                assert column.key is not None
                if value.state == "unreadable":
                    self.problem(self.grid[r][column.index - 1],
                                 f"cell {text!r} under {column.header!r} cannot be read as a number",
                                 "a number as printed, optionally with ± and a spread; -, -- or N/A for missing")
                    continue
                entry["values"][column.key] = value.printed
                if value.spread is not None:
                    entry["spread"][column.key] = value.spread
                if value.percent:
                    self.out.notes.append(f"row {r + 1}: {text!r} under {column.header!r} kept as "
                                          f"{value.printed} (the % sign dropped)")
            if row.get("_unresolved"):
                continue
            for dataset, entry in by_dataset.items():
                if note:
                    entry["note"] = note
                if all(v is None for v in entry["values"].values()):
                    continue
                tables[dataset].append(entry)
        if None in tables and self.options.dataset != UNNAMED:
            self._no_dataset_problem()
        return tables

    def _no_dataset_problem(self) -> None:
        named = self._caption_datasets()
        if len(named) > 1:
            self.problem(None, f"the caption names {', '.join(named)}, and the table does not say which rows or "
                               "columns belong to which", "pass --dataset ID")
        else:
            self.problem(None, "no dataset found in the headers, the rows or the caption",
                         "pass --dataset ID (a dataset id from datasets/)")

    def _caption_datasets(self) -> list[str]:
        from thg.tableimport.mapping import datasets_in

        return datasets_in(self.names, " ".join([self.caption, self.footnotes, self.source.title or ""]))

    def _table_dataset(self, columns: list[_Column]) -> str | None:
        if self.options.dataset:
            return self.options.dataset
        if self.options.protocol:
            return self.corpus.protocols[self.options.protocol].test_set.dataset
        named = self._caption_datasets()
        return named[0] if len(named) == 1 else None

    def _method(self, label: cellmod.Text, cell: GridCell, header: str) -> dict[str, Any] | None:
        printed = label.text
        if norm(printed) in REFERENCE_NAMES:
            return {"method": printed, "reference": True}
        if self.options.kind in ("ablation", "checkpoint"):
            prefix = "" if norm(header) in _METHOD_HEADERS else f"{header}: "
            return {"method": self.paper.id, "_label": f"{prefix}{printed}" if printed else None}
        mapped = self.mapped(printed)
        if mapped is not None:
            if mapped not in self.corpus.papers:
                self.problem(cell, f"--map {printed}={mapped}: no paper record has id {mapped!r}",
                             "a paper id from papers/, or --plain to keep the printed name")
                return None
            return {"method": mapped}
        own = re.sub(r"\s*\((?:ours|our method|proposed)\)\s*$", "", printed, flags=re.I)
        if norm(own) in OWN_NAMES or (own != printed and paper_for(self.names, own, []).target in (None, self.paper.id)):
            return {"method": self.paper.id}
        if printed in self.options.plain:
            return {"method": printed}
        match = paper_for(self.names, own, label.cites)
        if match.target:
            return {"method": match.target}
        if self.options.keep_names and printed:
            return {"method": printed}
        if match.ambiguous:
            self.problem(cell, f"method {printed!r} matches several papers: {', '.join(match.candidates)}",
                         f'choose one: --map "{printed}={match.candidates[0]}"')
            return None
        close = suggest(self.names.papers, own)
        cited = f" (cites {', '.join(label.cites)}, which no record uses as bibkey)" if label.cites else ""
        hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
            f'link it: --map "{printed}=<paper id>", or keep the name as printed: --plain "{printed}"'
        self.problem(cell, f"method {printed!r}{cited} matches no paper record", hint)
        return None

    def _note(self, label: cellmod.Text, variant: str | None, r: int, note_cols: list[_Column]) -> str | None:
        parts = [variant] if variant else []
        for column in note_cols:
            text = self.clean[r][column.index - 1].text
            if text:
                parts.append(f"{column.header}: {text}" if column.header else text)
        for mark in dict.fromkeys(label.marks):
            parts.append(self._footnote(mark))
        note = "; ".join(p for p in parts if p)
        return note[:400] if note else None

    def _footnote(self, mark: str) -> str:
        for text in (self.footnotes, self.caption):
            found = re.search(r"(?:^|\s)" + re.escape(mark) + r"\s*([^" + re.escape(cellmod.MARK_CHARS) + r"]+?)(?:\.\s|\.?$)",
                              text)
            if found and found.group(1).strip():
                return f"{mark} {found.group(1).strip()}"
        return f"marked {mark} in the source"

    # -- output

    def _finish(self, tables: dict[str | None, list[dict[str, Any]]]) -> None:
        label = self._label()
        if label is None:
            self.problem(None, "the file does not say the table's name or number",
                         'name it as the source does: --label "Table 2"')
            return
        base = self.options.table_id or _slug(label)
        existing = {t.id for t in self.paper.results}
        datasets: list[str | None] = [d for d in tables if d is not None] or ([None] if None in tables else [])
        for dataset in datasets:
            table_id = base if len(datasets) == 1 else f"{base}-{dataset}"
            if table_id in existing:
                self.problem(None, f"papers/{self.paper.id}.yaml already has a results table with id {table_id!r}",
                             "pass --id with a new id")
                continue
            rows = []
            for entry in tables[dataset]:
                row: dict[str, Any] = {"method": entry["method"], "values": entry["values"]}
                if entry.get("spread"):
                    row["spread"] = entry["spread"]
                if entry.get("note"):
                    row["note"] = entry["note"]
                if entry.get("reference"):
                    row["reference"] = True
                rows.append(row)
            table: dict[str, Any] = {"id": table_id, "table": label, "source": self.options.source}
            if dataset is not None:
                table["dataset"] = dataset
            if self.options.split:
                table["split"] = self.options.split
            if self.options.kind != "comparison":
                table["kind"] = self.options.kind
            table["protocol"] = self._protocol()
            if self.caption:
                table["caption"] = self.caption[:4000]
            columns = {key for row in rows for key in row["values"]}
            directions = {k: v for k, v in self.directions.items() if k in columns}
            if directions:
                table["directions"] = directions
            table["rows"] = rows
            self.out.tables.append(table)
        if self.out.problems:
            return
        keys = {split_metric_key(key)[0] for t in self.out.tables for row in t["rows"] for key in row["values"]}
        self.out.metrics_added = sorted(k for k in keys if k not in self.paper.metrics)
        self.out.datasets_added = [d for d in datasets if d is not None and d not in self.paper.datasets]
        self._render_and_check()

    def _label(self) -> str | None:
        if self.options.label:
            return self.options.label
        found = re.match(r"\s*(Table|TABLE|Tab\.)\s*(\d+)", self.caption)
        if found:
            return f"Table {found.group(2)}"
        if self.source.title:
            return self.source.title[:400]
        return None

    def _protocol(self) -> dict[str, Any]:
        if self.options.protocol:
            protocol: dict[str, Any] = {"id": self.options.protocol}
        else:
            protocol = {}
            resolution = re.search(r"\b(\d{3,4})\s*[×x]\s*(\d{3,4})\b", self.caption)
            if resolution:
                protocol["resolution"] = f"{resolution.group(1)}x{resolution.group(2)}"
            if re.search(r"self[- ]?reenactment|self[- ]driven", self.caption, re.I):
                protocol["reenactment"] = "self"
            elif re.search(r"cross[- ](?:identity|id|subject)?\s*reenactment|cross[- ]identity", self.caption, re.I):
                protocol["reenactment"] = "cross"
            protocol = {"stated": bool(protocol), **protocol}
        if self.options.notes:
            protocol["notes"] = self.options.notes
        return protocol

    def _render_and_check(self) -> None:
        from thg.checks import check_corpus
        from thg.loader import parse_text

        path = self.corpus.root / "papers" / f"{self.paper.id}.yaml"
        old_text = path.read_text(encoding="utf-8")
        text = write.add_to_list(old_text, "datasets", self.out.datasets_added, ("metrics", "losses", "summary"))
        text = write.add_to_list(text, "metrics", self.out.metrics_added, ("losses", "builds_on", "summary"))
        text = write.append_results(text, write.render_tables(self.out.tables))
        old, new = write.load(old_text), write.load(text)
        added: dict[str, list[Any]] = {"datasets": list(self.out.datasets_added),
                                       "metrics": list(self.out.metrics_added), "results": self.out.tables}
        if not write.same_except(old, new, {k: v for k, v in added.items() if v}):
            self.problem(None, f"could not edit papers/{self.paper.id}.yaml safely as text",
                         f"add {', '.join(self.out.datasets_added + self.out.metrics_added) or 'the block'} by hand "
                         "(see --dry-run)")
            return
        raw = parse_text(text, Path("papers", f"{self.paper.id}.yaml"))
        try:
            record = Paper.model_validate(raw.data)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"])
                self.problem(None, f"the imported block would not validate: {where}: {error['msg']}")
            return
        papers = dict(self.corpus.papers)
        papers[record.id] = record
        files = dict(self.corpus.files)
        files[("paper", record.id)] = raw
        trial = Corpus(self.corpus.root, self.corpus.taxonomy, papers, self.corpus.datasets, self.corpus.metrics,
                       self.corpus.losses, self.corpus.protocols, files)
        shown = raw.path
        for problem in check_corpus(trial):
            if problem.path == shown and problem.field.startswith("results"):
                self.problem(None, f"the imported block would not validate: {problem.field}: {problem.message}",
                             problem.expected)
        self.out.text = text


def _slug(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")[:60].strip("-")
    return slug if re.match(ID_PATTERN, slug) else "table"


def parse_pairs(values: list[str], option: str) -> dict[str, str]:
    """NAME=VALUE arguments (the name may itself hold '='; the last one splits)."""
    pairs = {}
    for value in values:
        name, sep, target = value.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f'{option} {value!r}: write NAME=VALUE, e.g. {option} "Sync-C=lse-c"')
        pairs[name.strip()] = target.strip()
    return pairs


def run(root: Path, args: Any, out: Any) -> int:
    """The command: import, then write the record (or print the block with --dry-run). Exit 1 on problems."""
    from thg.bibkeys import assign_keys
    from thg.validate import load_valid

    if not args.paper or not args.from_file:
        raise UsageError("thg new results needs --paper ID and --from FILE")
    if not args.source:
        raise UsageError("pass --source URL: where the table is published (the arXiv HTML page, or a README "
                         "pinned to a commit)")
    corpus = load_valid(root)
    options = ImportOptions(
        paper=args.paper, path=Path(args.from_file), source=args.source, table=args.table, dataset=args.dataset,
        maps=parse_pairs(args.map, "--map"), plain=set(args.plain), keep_names=args.keep_names,
        directions=parse_pairs(args.direction, "--direction"), kind=args.table_kind, protocol=args.protocol,
        label=args.label, table_id=args.record_id, split=args.split, notes=args.notes)
    imported = import_table(corpus, assign_keys(corpus.papers.values()), options)
    for note in imported.notes:
        print(f"note: {note}", file=out)
    if imported.problems:
        for problem in imported.problems:
            print(problem.render(options.path), file=sys.stderr)
        print(f"{len(imported.problems)} problem(s); nothing was written. Settle each with --map, --plain, "
              "--direction or --dataset, and run the command again.", file=sys.stderr)
        return 1
    target = root / "papers" / f"{args.paper}.yaml"
    if args.dry_run:
        out.write(write.render_tables(imported.tables))
        return 0
    target.write_text(imported.text, encoding="utf-8")
    for table in imported.tables:
        dataset = table.get("dataset") or "test set not named"
        columns = len({k for row in table["rows"] for k in row["values"]})
        print(f"added results table {table['id']} ({dataset}, {len(table['rows'])} rows, {columns} columns) "
              f"to {target.relative_to(root)}", file=out)
    if imported.datasets_added:
        print(f"added to datasets: {', '.join(imported.datasets_added)}", file=out)
    if imported.metrics_added:
        print(f"added to metrics: {', '.join(imported.metrics_added)}", file=out)
    if any(t["protocol"].get("stated") is False and not t["protocol"].get("notes") for t in imported.tables):
        print("next: fill in the protocol (what the source states about the test set, crop, resolution and audio), "
              "then run thg validate", file=out)
    return 0
