"""Every reported result as one tidy CSV row, for pandas users."""

from __future__ import annotations

from typing import Any

from thg.export.spreadsheet import csv_text
from thg.index import Index
from thg.models import split_metric_key

COLUMNS = ["paper", "table_id", "table", "source", "dataset", "split", "protocol_stated", "setting", "reenactment",
           "resolution", "face_crop", "audio_source", "test_clips", "method", "method_is_record", "reference_row", "metric",
           "direction", "value"]


def results_csv(index: Index) -> str:
    """Every reported value, one row each; text cells are never read as formulas (`thg.export.spreadsheet`)."""
    corpus = index.corpus
    rows: list[list[Any]] = []
    for pid in index.ordered:
        for table in corpus.papers[pid].results:
            p = table.protocol
            for row in table.rows:
                for metric, value in row.values.items():
                    info = corpus.metrics.get(split_metric_key(metric)[0])
                    rows.append([pid, table.id, table.table, table.source, table.dataset, table.split or "",
                                 p.stated, p.setting or "", p.reenactment or "", p.resolution or "",
                                 p.face_crop or "", p.audio_source or "", "" if p.test_clips is None else p.test_clips,
                                 row.method, row.method in corpus.papers, row.reference, metric,
                                 info.direction if info else "", "" if value is None else value])
    return csv_text(COLUMNS, rows)
