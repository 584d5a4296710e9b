"""Comparison tables generated from what every record already says (always complete, always consistent).

Each table is a pandas DataFrame so the page and its CSV download come from the same data.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from thg.export.spreadsheet import frame_csv
from thg.index import Index

TASK_COLUMNS = ["Method", "Year", "Venue", "Driving", "Identity", "Output", "Architecture", "Real-time", "Code",
                "Datasets", "Metrics"]


def _labels(index: Index, facet: str, terms: list[str]) -> str:
    return ", ".join(index.corpus.taxonomy.label(facet, t) for t in terms)


def task_table(index: Index, task: str) -> pd.DataFrame:
    """Every paper tagged with `task`, one row each, newest first."""
    corpus = index.corpus
    rows = []
    for pid in index.by_term.get(("task", task), []):
        paper = corpus.papers[pid]
        rows.append({
            "id": pid,
            "Method": paper.display_name,
            "Year": paper.year,
            "Venue": paper.venue,
            "Driving": _labels(index, "driving", paper.tags.driving),
            "Identity": _labels(index, "identity", paper.tags.identity),
            "Output": _labels(index, "output", paper.tags.output),
            "Architecture": _labels(index, "architecture", paper.tags.architecture),
            "Real-time": "yes" if "real-time" in paper.tags.flags else "",
            "Code": "yes" if paper.code_available else "",
            "Datasets": ", ".join(corpus.datasets[d].name for d in paper.datasets if d in corpus.datasets),
            "Metrics": ", ".join(corpus.metrics[m].name for m in paper.metrics if m in corpus.metrics),
        })
    return pd.DataFrame(rows, columns=["id", *TASK_COLUMNS])


def datasets_table(index: Index) -> pd.DataFrame:
    rows = []
    for dataset in sorted(index.corpus.datasets.values(), key=lambda d: d.name.casefold()):
        size = dataset.size
        rows.append({
            "id": dataset.id,
            "Dataset": dataset.name,
            "Year": dataset.year,
            "Identities": size.identities,
            "Clips": size.clips,
            "Hours": size.hours,
            "Resolution": size.resolution,
            "Frame rate": size.fps,
            "Languages": ", ".join(dataset.languages),
            "Labels": ", ".join(dataset.labels),
            "Type": dataset.dimension.upper(),
            "Licence / access": dataset.license or "",
            "Papers using it": len(index.dataset_users.get(dataset.id, [])),
        })
    # Values as the records give them: a missing figure must not turn a column into floats ("2026.0", "25.0").
    columns = ["id", "Dataset", "Year", "Identities", "Clips", "Hours", "Resolution", "Frame rate", "Languages",
               "Labels", "Type", "Licence / access", "Papers using it"]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.astype({"Year": "Int64", "Identities": "Int64", "Clips": "Int64", "Papers using it": "int64"})


def metrics_table(index: Index) -> pd.DataFrame:
    rows = []
    for metric in sorted(index.corpus.metrics.values(), key=lambda m: m.name.casefold()):
        users = index.metric_users.get(metric.id, [])
        rows.append({
            "id": metric.id,
            "Metric": metric.name,
            "Category": metric.category,
            "Better": metric.direction_text,
            "Range": str(metric.range),
            "Papers reporting it": len(users),
        })
    return pd.DataFrame(rows)


def metric_adoption(index: Index) -> pd.DataFrame:
    """Papers per year that list each metric (rows: years, columns: metric ids)."""
    counts: dict[int, Counter[str]] = {}
    for metric_id, users in index.metric_users.items():
        for pid in users:
            counts.setdefault(index.corpus.papers[pid].year, Counter())[metric_id] += 1
    frame = pd.DataFrame.from_dict({year: dict(c) for year, c in counts.items()}, orient="index").fillna(0)
    return frame.sort_index().astype(int)


def method_dataset_grid(index: Index) -> pd.DataFrame:
    """Which methods list which datasets: a boolean grid over papers that list at least one dataset."""
    used = [d for d in sorted(index.corpus.datasets) if index.dataset_users.get(d)]
    rows = []
    for pid in index.ordered:
        paper = index.corpus.papers[pid]
        if not paper.datasets:
            continue
        rows.append({"id": pid, "Method": paper.display_name, "Year": paper.year,
                     **{d: d in paper.datasets for d in used}})
    return pd.DataFrame(rows, columns=["id", "Method", "Year", *used])


def tasks_with_papers(index: Index) -> list[str]:
    return [t for t in index.corpus.taxonomy.terms("task") if index.by_term.get(("task", t))]


def to_csv(frame: pd.DataFrame) -> str:
    """The table as CSV for download; record text never becomes a spreadsheet formula."""
    return frame_csv(frame)
