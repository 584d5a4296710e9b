"""The explorer's JSON index: one compact row per paper, everything the browser filters on."""

from __future__ import annotations

from typing import Any

from thg.index import Index, effective_terms
from thg.models import FACETS


def explorer_records(index: Index) -> dict[str, Any]:
    corpus = index.corpus
    taxonomy = corpus.taxonomy
    rows = []
    for pid in index.ordered:
        paper = corpus.papers[pid]
        rows.append({
            "id": pid,
            "t": paper.title,
            "n": paper.short_name or "",
            "a": paper.authors,
            "y": paper.year,
            "v": paper.venue,
            "c": 1 if paper.code_available else 0,
            "s": " ".join(paper.summary.split()),
            "k": index.bibkeys[pid],
            "g": {facet: effective_terms(paper, facet) for facet in FACETS},
        })
    facets = {
        facet: { "label": taxonomy.facets[facet].label,
                    "terms": {term: info.label for term, info in taxonomy.terms(facet).items()}}
        for facet in FACETS
    }
    return {"facets": facets, "papers": rows}
