"""Stage 4: derived indexes, computed once per build in one pass over the records.

Every page that needs "who uses this", "what builds on this" or "which papers carry this term"
reads these maps instead of scanning the corpus again, so page rendering stays linear.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from thg.bibkeys import assign_keys
from thg.completeness import FieldReport, completeness
from thg.corpus import Corpus
from thg.models import FACETS, Paper

CODE_FLAG = "code-available"
NO_DATASET = ""
"""The `results_on` key of tables whose source names no test set."""


def effective_terms(paper: Paper, facet: str) -> list[str]:
    """A paper's terms on a facet, with derived flags (code-available) added."""
    terms = list(paper.tags.facet(facet))
    if facet == "flags" and paper.code_available:
        terms.append(CODE_FLAG)
    return terms


def sort_key(paper: Paper) -> tuple[int, str]:
    """Newest first, then by name: the order of every paper list on the site."""
    return (-paper.year, paper.display_name.casefold())


@dataclass
class Index:
    corpus: Corpus
    bibkeys: dict[str, str]
    by_term: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    built_upon_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dataset_users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    metric_users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    loss_users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    results_on: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    """dataset id (NO_DATASET when unnamed) -> (paper id, position in its results) of each table on it."""
    protocol_users: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    """protocol record id -> the tables that cite it."""
    ordered: list[str] = field(default_factory=list)
    reports: list[FieldReport] = field(default_factory=list)
    """The Data completeness figures (thg.completeness), worked out once for the page and the explorer."""
    missing: dict[str, list[str]] = field(default_factory=dict)
    """paper id -> the keys of the tracked fields it lacks (from `reports`), for the explorer's filter."""

    def papers(self, ids: list[str]) -> list[Paper]:
        return [self.corpus.papers[i] for i in ids]

    def pair_counts(self, row_facet: str, col_facet: str) -> Counter[tuple[str, str]]:
        counts: Counter[tuple[str, str]] = Counter()
        for paper in self.corpus.papers.values():
            for a in effective_terms(paper, row_facet):
                for b in effective_terms(paper, col_facet):
                    counts[(a, b)] += 1
        return counts

    def year_counts(self, facet: str) -> dict[int, Counter[str]]:
        """year -> term -> number of papers carrying the term (a paper may count in several terms)."""
        table: dict[int, Counter[str]] = defaultdict(Counter)
        for paper in self.corpus.papers.values():
            for term in effective_terms(paper, facet):
                table[paper.year][term] += 1
        return dict(table)


def build_index(corpus: Corpus) -> Index:
    index = Index(corpus=corpus, bibkeys=assign_keys(corpus.papers.values()))
    index.ordered = [p.id for p in sorted(corpus.papers.values(), key=sort_key)]
    for pid in index.ordered:
        paper = corpus.papers[pid]
        for facet in FACETS:
            for term in effective_terms(paper, facet):
                index.by_term[(facet, term)].append(pid)
        for parent in paper.builds_on:
            index.built_upon_by[parent].append(pid)
        for dataset in paper.datasets:
            index.dataset_users[dataset].append(pid)
        for metric in paper.metrics:
            index.metric_users[metric].append(pid)
        for loss in paper.losses:
            index.loss_users[loss].append(pid)
        for position, table in enumerate(paper.results):
            index.results_on[table.dataset or NO_DATASET].append((pid, position))
            if table.protocol.id:
                index.protocol_users[table.protocol.id].append((pid, position))
    index.reports = completeness(corpus)
    index.missing = {pid: [] for pid in index.ordered}
    for report in index.reports:
        for pid in report.missing:
            index.missing[pid].append(report.spec.key)
    return index
