"""The browser's JSON indexes: the explorer's index of papers, sharded by year (explorer, search, citation
files assembled in the browser), and the other records (search)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from thg.completeness import FIELDS
from thg.index import Index, effective_terms
from thg.models import FACETS

RECORD_GROUPS = (("dataset", "datasets"), ("metric", "metrics"), ("loss", "losses"))
"""Filters beside the taxonomy facets and the venue: the dataset, metric and loss records a paper lists (each
record's page links to the explorer filtered by it) and, as `missing`, the fields the Data completeness page
tracks that the paper lacks."""
EXTRA_GROUPS = (*(group for group, _field in RECORD_GROUPS), "missing")


def group_terms(index: Index, pid: str, group: str) -> list[str]:
    """A paper's terms in one of EXTRA_GROUPS."""
    if group == "missing":
        return index.missing[pid]
    return list(getattr(index.corpus.papers[pid], dict(RECORD_GROUPS)[group]))


TERM_BASE = 0x100
"""A paper's terms travel as one character each, code TERM_BASE + the term's number (thg/assets/filter.js reads
them): above Latin-1, so no character needs escaping in JSON, and below the surrogates."""
GROUPS_FILE = "groups.json"
"""Each paper's EXTRA_GROUPS terms (datasets, metrics, losses, missing fields), in index order: fetched when the
reader opens those filters or a shared view uses them, so the first load carries the taxonomy and venues only."""
SHARD_SIZE = 1000
"""Most papers in one text shard of the explorer's index (about 0.6 MB of JSON)."""


@dataclass(frozen=True)
class Shard:
    """A run of consecutive papers in index order (newest first), from year `newest` down to `oldest`."""

    name: str
    start: int
    ids: list[str]
    newest: int
    oldest: int


def shards(index: Index, size: int = SHARD_SIZE) -> list[Shard]:
    """Index order cut by year: consecutive years share a shard while they hold at most `size` papers together,
    and a year holding more is cut into equal parts. The names say the years: "2019-2021", "2024", "2026-part2"."""
    runs: list[tuple[int, list[str]]] = []
    for pid in index.ordered:
        year = index.corpus.papers[pid].year
        if not runs or runs[-1][0] != year:
            runs.append((year, []))
        runs[-1][1].append(pid)
    out: list[Shard] = []
    pending: list[tuple[int, list[str]]] = []

    def add(name: str, ids: list[str], newest: int, oldest: int) -> None:
        out.append(Shard(name, out[-1].start + len(out[-1].ids) if out else 0, ids, newest, oldest))

    def close() -> None:
        if pending:
            newest, oldest = pending[0][0], pending[-1][0]
            add(str(newest) if newest == oldest else f"{oldest}-{newest}", [p for _y, ids in pending for p in ids],
                newest, oldest)
            pending.clear()

    for year, ids in runs:
        if len(ids) > size:
            close()
            step = -(-len(ids) // -(-len(ids) // size))  # equal parts of at most `size`
            for part, at in enumerate(range(0, len(ids), step), start=1):
                add(f"{year}-part{part}", ids[at:at + step], year, year)
            continue
        if pending and sum(len(chunk) for _y, chunk in pending) + len(ids) > size:
            close()
        pending.append((year, ids))
    close()
    return out


def extra_filters(index: Index) -> list[dict[str, Any]]:
    """The explorer's boxes for EXTRA_GROUPS: id, label, and each term's id, label and number of papers."""
    corpus = index.corpus
    users = {"dataset": index.dataset_users, "metric": index.metric_users, "loss": index.loss_users}
    groups: list[dict[str, Any]] = []
    for group, field in RECORD_GROUPS:
        records = sorted(getattr(corpus, field).values(), key=lambda r: r.name.casefold())
        groups.append({"id": group, "label": group.capitalize(), "terms": [
            {"id": r.id, "label": r.name, "count": len(users[group].get(r.id, []))} for r in records]})
    missing = Counter(term for terms in index.missing.values() for term in terms)
    groups.append({"id": "missing", "label": "Missing field", "terms": [
        {"id": spec.key, "label": f"{spec.label} ({spec.applies_to})", "count": missing[spec.key]} for spec in FIELDS]})
    return groups


def explorer_files(index: Index, size: int = SHARD_SIZE) -> dict[str, str]:
    """The explorer's index as files under assets/thg/explorer/: `index.json`, what filtering and counting need for
    every paper (year, venue, code flag, facet terms as one character each: about 30 bytes a paper), GROUPS_FILE
    (the dataset, metric, loss and missing-field terms, loaded on demand), and one shard per run of years with
    what matching text and drawing rows need (id, title, names, authors, summary, citation key), which the
    browser loads only when it needs them. Positions are index order, the order of downloads/all.*."""
    corpus = index.corpus
    taxonomy = corpus.taxonomy
    term_ids: dict[tuple[str, str], int] = {}
    for facet in FACETS:
        for term in taxonomy.terms(facet):
            term_ids[(facet, term)] = len(term_ids)
    venues = sorted({paper.venue for paper in corpus.papers.values()})
    for venue in venues:
        term_ids[("venue", venue)] = len(term_ids)
    for group, field in RECORD_GROUPS:
        for rid in sorted(getattr(corpus, field)):
            term_ids[(group, rid)] = len(term_ids)
    for spec in FIELDS:
        term_ids[("missing", spec.key)] = len(term_ids)
    if TERM_BASE + len(term_ids) >= 0xD800:
        raise ValueError(f"{len(term_ids)} facet terms and venues do not fit one character each")
    tags: list[str] = []
    group_tags: list[str] = []
    codes: list[str] = []
    years: list[list[int]] = []
    for pid in index.ordered:
        paper = corpus.papers[pid]
        numbers = [term_ids[(facet, term)] for facet in FACETS for term in effective_terms(paper, facet)]
        numbers.append(term_ids[("venue", paper.venue)])
        tags.append("".join(chr(TERM_BASE + n) for n in numbers))
        group_tags.append("".join(chr(TERM_BASE + term_ids[(group, term)])
                                  for group in EXTRA_GROUPS for term in group_terms(index, pid, group)))
        codes.append("1" if paper.code_available else "0")
        if years and years[-1][0] == paper.year:
            years[-1][1] += 1
        else:
            years.append([paper.year, 1])
    parts = shards(index, size)
    manifest = {
        "count": len(index.ordered),
        "facets": {facet: {"label": taxonomy.facets[facet].label,
                           "terms": {term: info.label for term, info in taxonomy.terms(facet).items()}}
                   for facet in FACETS},
        "terms": [list(key) for key in term_ids],
        "years": years,
        "code": "".join(codes),
        "tags": tags,
        "groups": GROUPS_FILE,
        "shards": [{"file": f"{shard.name}.json", "start": shard.start, "count": len(shard.ids),
                    "newest": shard.newest, "oldest": shard.oldest} for shard in parts],
    }
    files = {"index.json": _compact(manifest), GROUPS_FILE: _compact({"tags": group_tags})}
    for shard in parts:
        files[f"{shard.name}.json"] = _compact({"start": shard.start, "papers": [_text_row(index, pid) for pid in shard.ids]})
    return files


def _text_row(index: Index, pid: str) -> dict[str, Any]:
    paper = index.corpus.papers[pid]
    return {"id": pid, "t": paper.title, "n": paper.short_name or "", "l": paper.aliases, "a": paper.authors,
            "s": " ".join(paper.summary.split()), "k": index.bibkeys[pid]}


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def search_records(index: Index) -> list[dict[str, Any]]:
    """Datasets, metrics, losses and taxonomy terms for the Search page (papers come from the explorer's index).

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
