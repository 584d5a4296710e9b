"""Terminal views of `thg stats --completeness` and `thg stats --stale`."""

from __future__ import annotations

from typing import TextIO

from thg.completeness import Rate, completeness, stale
from thg.corpus import Corpus


def _percent(rate: Rate) -> str:
    return "   -  " if rate.percent is None else f"{rate.percent:5.1f}%"


def print_completeness(corpus: Corpus, out: TextIO, *, by_year: bool = False, show_missing: bool = False) -> None:
    reports = completeness(corpus)
    print(f"Completeness of {len(corpus.papers)} paper records\n", file=out)
    print(f"  {'field':<28} {'applies to':<18} {'have':>5} / {'of':<5} {'rate':>6}", file=out)
    for report in reports:
        rate = report.overall
        print(f"  {report.spec.label:<28} {report.spec.applies_to:<18} {rate.have:>5} / {rate.applicable:<5} "
              f"{_percent(rate)}", file=out)
    if by_year:
        years = sorted({year for report in reports for year in report.by_year}, reverse=True)
        print("\nBy year (rate; blank where the field applies to no paper of that year)\n", file=out)
        print("  " + f"{'field':<28}" + "".join(f"{year:>8}" for year in years), file=out)
        for report in reports:
            cells = "".join(f"{_percent(report.by_year[year]) if year in report.by_year else '':>8}" for year in years)
            print(f"  {report.spec.label:<28}{cells}", file=out)
    if show_missing:
        for report in reports:
            if report.missing:
                print(f"\nLacking {report.spec.label.lower()} ({len(report.missing)}):", file=out)
                print("  " + " ".join(report.missing), file=out)


def print_stale(corpus: Corpus, months: int, out: TextIO) -> None:
    found = stale(corpus, months)
    since = f"since {found.cutoff.isoformat()} ({months} months)"
    for title, papers in (("Preprints whose publication status was not checked " + since, found.preprints),
                          ("Method papers without a code link, not checked " + since, found.without_code)):
        print(f"{title}: {len(papers)}", file=out)
        for paper in papers:
            checked = paper.status_checked.isoformat() if paper.status_checked else "never"
            arxiv = f"arXiv:{paper.arxiv}" if paper.arxiv else ""
            print(f"  {paper.id:<40} checked {checked:<10} {arxiv}", file=out)
        print(file=out)
