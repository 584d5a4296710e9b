"""Which of a record's sources are primary: the paper, its publisher, its official code or page.

The classification is declared in `thg/data/source_kinds.yaml` so a contributor can add a publisher
without touching code. Everything not primary is secondary (digests, mirrors, indexes): a lead that
may point at a fact, never the evidence for it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import yaml

from thg.models import Paper


@dataclass(frozen=True)
class SourceKinds:
    primary_hosts: frozenset[str]
    secondary_paths: tuple[str, ...]

    def is_primary(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        where = host + parts.path
        if any(where == path or where.startswith(path.rstrip("/") + "/") for path in self.secondary_paths):
            return False
        labels = host.split(".")
        return any(".".join(labels[i:]) in self.primary_hosts for i in range(len(labels)))


@functools.cache
def source_kinds() -> SourceKinds:
    text = resources.files("thg").joinpath("data/source_kinds.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return SourceKinds(frozenset(h.lower() for h in data["primary"]), tuple(p.lower() for p in data["secondary_paths"]))


def same_page(url: str) -> str:
    """A URL reduced to what names the page: no scheme, no www., no trailing slash, host in lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return host + parts.path.rstrip("/") + query


def own_links(paper: Paper) -> set[str]:
    """The record's own links: a project page on a university host is primary because the record says it is."""
    links = {value for value in paper.links.model_dump().values() if value}
    if paper.url:
        links.add(paper.url)
    return {same_page(link) for link in links}


def primary_sources(paper: Paper) -> list[str]:
    kinds = source_kinds()
    own = own_links(paper)
    return [url for url in paper.sources if same_page(url) in own or kinds.is_primary(url)]
