"""What "new" means on the site: the order of the home page's newest additions, the New page and the feeds.

Papers are ordered by the date they were added to the knowledge base (`added`), newest first; papers
added the same day by when they appeared on arXiv, read from the identifier (2405.01234 was posted
in May 2024, and a higher number within a month was posted later; old-style ids such as
cs/0701001 encode the month the same way); a paper without an arXiv id counts as appearing at the
start of its publication year. Papers without an `added` date come last.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from thg.models import Paper

_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})$")
_OLD_STYLE = re.compile(r"^[a-z-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})(\d{3})$")


def arxiv_month(arxiv: str | None) -> tuple[int, int, int] | None:
    """(year, month, sequence) encoded in an arXiv identifier, or None when it has none."""
    if not arxiv:
        return None
    match = _NEW_STYLE.match(arxiv) or _OLD_STYLE.match(arxiv)
    if not match:
        return None
    yy, month, sequence = (int(part) for part in match.groups())
    year = 1900 + yy if yy >= 91 else 2000 + yy
    return (year, month, sequence) if 1 <= month <= 12 else None


def arxiv_posted(arxiv: str | None) -> str:
    """'May 2024' for 2405.01234; empty when the identifier encodes no month."""
    found = arxiv_month(arxiv)
    return dt.date(found[0], found[1], 1).strftime("%B %Y") if found else ""


def newness(paper: Paper) -> tuple[dt.date, int, int, int, str]:
    """Sort key, larger is newer: date added, then arXiv month and number, then publication year."""
    posted = arxiv_month(paper.arxiv) or (paper.year, 0, 0)
    return (paper.added or dt.date.min, *posted, paper.id)


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    return sorted(papers, key=newness, reverse=True)


def months_added(papers: Iterable[Paper]) -> list[tuple[dt.date, list[Paper]]]:
    """(first day of the month, papers added that month, newest first), latest month first."""
    months: dict[dt.date, list[Paper]] = {}
    for paper in newest_first(papers):
        if paper.added is not None:
            months.setdefault(paper.added.replace(day=1), []).append(paper)
    return sorted(months.items(), key=lambda item: item[0], reverse=True)


def snapshot_date(papers: Iterable[Paper]) -> dt.date | None:
    """The newest date any paper record states (added or status checked): the records' "as of" date."""
    dates = [d for p in papers for d in (p.added, p.status_checked) if d is not None]
    return max(dates, default=None)
