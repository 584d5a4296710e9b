"""How complete the records are, field by field: the contributor's to-do list.

Each field has a population it applies to (a DOI is asked of published papers, datasets of method
papers) and a test. Rates are computed overall and per year, and every record that lacks a field is
listed, so the page and `thg stats --completeness` double as a work queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from thg.corpus import Corpus
from thg.models import Paper
from thg.provenance import primary_sources


def is_method(paper: Paper) -> bool:
    """A paper that proposes a model (not only a survey, dataset or metric definition)."""
    return paper.tags.architecture != ["not-applicable"]


def is_published(paper: Paper) -> bool:
    return paper.type != "preprint"


@dataclass(frozen=True)
class Tracked:
    key: str
    label: str
    applies_to: str
    applies: Callable[[Paper], bool]
    has: Callable[[Paper], bool]


FIELDS: tuple[Tracked, ...] = (
    Tracked("status_checked", "Publication status checked", "all papers", lambda p: True,
          lambda p: p.status_checked is not None),
    Tracked("venue_source", "Venue evidence", "published papers", is_published, lambda p: p.venue_source is not None),
    Tracked("doi", "DOI", "published papers", is_published, lambda p: p.doi is not None),
    Tracked("primary_source", "Primary source", "all papers", lambda p: True, lambda p: bool(primary_sources(p))),
    Tracked("code", "Code link", "method papers", is_method, lambda p: p.links.code is not None),
    Tracked("release", "Licence and weights", "papers with code", lambda p: p.links.code is not None,
          lambda p: p.release is not None and (p.release.licence is not None or p.release.weights is not None)),
    Tracked("short_name", "Short name", "method papers", is_method, lambda p: p.short_name is not None),
    Tracked("datasets", "Datasets", "method papers", is_method, lambda p: bool(p.datasets)),
    Tracked("metrics", "Metrics", "method papers", is_method, lambda p: bool(p.metrics)),
    Tracked("losses", "Losses", "method papers", is_method, lambda p: bool(p.losses)),
    Tracked("results", "Results tables", "method papers", is_method, lambda p: bool(p.results)),
)
"""The fields tracked, in the order shown."""


@dataclass
class Rate:
    have: int = 0
    applicable: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.have / self.applicable if self.applicable else None


@dataclass
class FieldReport:
    spec: Tracked
    overall: Rate
    by_year: dict[int, Rate]
    missing: list[str] = field(default_factory=list)
    """Ids of the papers the field applies to that lack it, newest first."""


def completeness(corpus: Corpus) -> list[FieldReport]:
    papers = sorted(corpus.papers.values(), key=lambda p: (-p.year, p.id))
    reports = []
    for spec in FIELDS:
        report = FieldReport(spec, Rate(), {})
        for paper in papers:
            if not spec.applies(paper):
                continue
            year = report.by_year.setdefault(paper.year, Rate())
            report.overall.applicable += 1
            year.applicable += 1
            if spec.has(paper):
                report.overall.have += 1
                year.have += 1
            else:
                report.missing.append(paper.id)
        reports.append(report)
    return reports


@dataclass(frozen=True)
class Stale:
    preprints: list[Paper]
    """Preprints whose publication status was never checked, or not since the cut-off."""
    without_code: list[Paper]
    """Papers with no code link that were never checked, or not since the cut-off."""
    cutoff: dt.date


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def stale(corpus: Corpus, months: int, today: dt.date | None = None) -> Stale:
    cutoff = months_before(today or dt.date.today(), months)

    def unchecked(paper: Paper) -> bool:
        return paper.status_checked is None or paper.status_checked < cutoff

    ordered = sorted(corpus.papers.values(), key=lambda p: (p.status_checked or dt.date.min, p.id))
    return Stale(
        preprints=[p for p in ordered if p.type == "preprint" and unchecked(p)],
        without_code=[p for p in ordered if is_method(p) and p.links.code is None and unchecked(p)],
        cutoff=cutoff,
    )
