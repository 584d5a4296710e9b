"""The browser's JSON indexes: one compact row per paper (explorer and search), and the other records (search)."""

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
            "l": paper.aliases,
            "a": paper.authors,
            "y": paper.year,
            "v": paper.venue,
            "c": 1 if paper.code_available else 0,
            "s": " ".join(paper.summary.split()),
            "k": index.bibkeys[pid],
            "g": {facet: effective_terms(paper, facet) for facet in FACETS},
        })
    facets = {
        facet: {"label": taxonomy.facets[facet].label,
                "terms": {term: info.label for term, info in taxonomy.terms(facet).items()}}
        for facet in FACETS
    }
    return {"facets": facets, "papers": rows}


def search_records(index: Index) -> list[dict[str, Any]]:
    """Datasets, metrics, losses and taxonomy terms for the Search page (papers come from papers.json).

    `u` is the page's path from the site root; `n` the name, `f` a full name, `l` other names, `d` the text.
    """
    corpus = index.corpus
    rows: list[dict[str, Any]] = []
    for dataset in corpus.datasets.values():
        rows.append({"k": "dataset", "u": f"datasets/{dataset.id}/", "n": dataset.name, "f": dataset.full_name or "",
                     "l": [], "y": dataset.year, "d": " ".join(dataset.description.split())})
    for metric in corpus.metrics.values():
        rows.append({"k": "metric", "u": f"metrics/{metric.id}/", "n": metric.name, "f": metric.full_name or "",
                     "l": metric.aliases, "d": " ".join(metric.description.split())})
    for loss in corpus.losses.values():
        rows.append({"k": "loss", "u": f"losses/{loss.id}/", "n": loss.name, "f": "", "l": loss.aliases,
                     "d": " ".join(loss.description.split())})
    taxonomy = corpus.taxonomy
    for facet in FACETS:
        for term, info in taxonomy.terms(facet).items():
            rows.append({"k": "term", "u": f"taxonomy/{facet}/{term}/", "n": info.label,
                         "f": taxonomy.facets[facet].label, "l": [term, *info.aliases], "d": info.description})
    return rows


def shared_terms(index: Index) -> list[dict[str, Any]]:
    """Techniques that are terms of more than one facet (NeRF as an output and as an architecture), for
    the explorer's legend: each with its label, description and paper count per facet."""
    taxonomy = index.corpus.taxonomy
    by_id: dict[str, list[str]] = {}
    for facet in FACETS:
        for term, info in taxonomy.terms(facet).items():
            if term != "not-applicable" and not info.derived:
                by_id.setdefault(term, []).append(facet)
    shared = []
    for term, facets in by_id.items():
        if len(facets) > 1:
            shared.append({"term": term, "uses": [
                {"facet": facet, "facet_label": taxonomy.facets[facet].label, "label": taxonomy.label(facet, term),
                 "description": taxonomy.terms(facet)[term].description,
                 "papers": len(index.by_term.get((facet, term), []))} for facet in facets]})
    return shared
