"""Choosing which papers to export: facet filters, a year range, explicit ids."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from thg.errors import UsageError
from thg.index import Index, effective_terms
from thg.models import FACETS, Paper


@dataclass
class Selection:
    filters: list[tuple[str, str]] = field(default_factory=list)
    years: tuple[int, int] | None = None
    ids: list[str] | None = None

    def matches(self, paper: Paper) -> bool:
        if self.years and not self.years[0] <= paper.year <= self.years[1]:
            return False
        return all(term in effective_terms(paper, facet) for facet, term in self.filters)

    def apply(self, index: Index) -> list[Paper]:
        papers = index.corpus.papers
        if self.ids is not None:
            missing = [i for i in self.ids if i not in papers]
            if missing:
                raise UsageError(f"no paper record has id {', '.join(missing)}")
            chosen = [papers[i] for i in self.ids]
        else:
            chosen = [papers[i] for i in index.ordered]
        return [p for p in chosen if self.matches(p)]


def parse_selection(filters: Sequence[str], years: str | None, ids: str | None, index: Index) -> Selection:
    """Parse command-line selection options, refusing unknown facets and terms."""
    parsed: list[tuple[str, str]] = []
    taxonomy = index.corpus.taxonomy
    for item in filters:
        facet, sep, term = item.partition("=")
        if not sep or facet not in FACETS:
            raise UsageError(f"--filter {item!r}: write FACET=TERM with FACET one of {', '.join(FACETS)}")
        if term not in taxonomy.terms(facet):
            raise UsageError(unknown_term_message(item, facet, term, index))
        parsed.append((facet, term))
    year_range = None
    if years:
        match = re.fullmatch(r"(\d{4})?\.\.(\d{4})?|(\d{4})", years)
        if not match:
            raise UsageError(f"--year {years!r}: write 2020..2024, 2020.., ..2024 or 2024")
        if match.group(3):
            year_range = (int(match.group(3)), int(match.group(3)))
        else:
            year_range = (int(match.group(1) or 0), int(match.group(2) or 9999))
        if year_range[0] > year_range[1]:
            raise UsageError(f"--year {years!r}: the range runs backwards and would select nothing; "
                             f"write {year_range[1]}..{year_range[0]}")
    id_list = [i.strip() for i in ids.split(",") if i.strip()] if ids else None
    return Selection(parsed, year_range, id_list)


def unknown_term_message(item: str, facet: str, term: str, index: Index) -> str:
    """Why a --filter term was refused: the closest term (or the term an alias names) and every valid term."""
    taxonomy = index.corpus.taxonomy
    terms = list(taxonomy.terms(facet))
    guess = taxonomy.alias_of(facet, term) or next(iter(difflib.get_close_matches(term, terms, n=1, cutoff=0.6)), None)
    hint = f" Did you mean {facet}={guess}?" if guess else ""
    return (f"--filter {item!r}: {facet} has no term {term!r}.{hint} "
            f"Terms of {facet}: {', '.join(terms)}")
