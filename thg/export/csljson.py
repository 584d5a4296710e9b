"""CSL-JSON, the format citeproc processors and Zotero read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from thg.export.names import split_name
from thg.models import Paper
from thg.taxonomy import Taxonomy

CSL_TYPES = {"conference": "paper-conference", "journal": "article-journal", "chapter": "chapter", "preprint": "article",
             "thesis": "thesis"}


def csl_item(paper: Paper, key: str, taxonomy: Taxonomy) -> dict[str, Any]:
    authors = []
    for name in paper.authors:
        given, family = split_name(name)
        authors.append({"family": family, "given": given} if given else {"literal": name})
    item: dict[str, Any] = {
        "id": key,
        "type": CSL_TYPES[paper.type],
        "title": paper.title,
        "author": authors,
        "issued": {"date-parts": [[paper.year]]},
    }
    venue = taxonomy.venues.get(paper.venue)
    if paper.type == "preprint":
        item["publisher"] = "arXiv"
        if paper.arxiv:
            item["number"] = f"arXiv:{paper.arxiv}"
    elif venue is not None:
        item["container-title"] = venue.name
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.arxiv:
        item["URL"] = f"https://arxiv.org/abs/{paper.arxiv}"
    elif paper.url:
        item["URL"] = paper.url
    return item


def csl_entry(paper: Paper, key: str, taxonomy: Taxonomy) -> str:
    """One CSL-JSON item on one line. A file is one item per line (JSON escapes line breaks inside strings, so
    a line break only ever separates items: the browser cuts a facet's file out of downloads/all.json along
    them, thg/assets/cite.js), about half the bytes of an indented file."""
    return json.dumps(csl_item(paper, key, taxonomy), ensure_ascii=False, separators=(",", ":"))


def join_csljson(entries: Iterable[str]) -> str:
    items = list(entries)
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"


def to_csljson(papers: Iterable[Paper], keys: dict[str, str], taxonomy: Taxonomy) -> str:
    return join_csljson(csl_entry(p, keys[p.id], taxonomy) for p in papers)
