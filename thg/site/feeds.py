"""Atom feeds (RFC 4287) of newly added papers: the whole knowledge base, one per task and one per dataset.

A reader subscribes to what they follow instead of watching the repository. Entries are the papers
newest first (thg.site.recent); each links to its paper page. Built with ElementTree, so every value
from a record is escaped for XML.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from thg.index import Index
from thg.models import Paper
from thg.site.recent import newest_first

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
"""Entries per feed: readers poll often, so the newest fifty carry every addition between two polls."""
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Feed:
    path: str
    """Where the feed is written, relative to the site root."""
    title: str
    subtitle: str
    page: str
    """The site page (path under the docs root) the feed follows, e.g. a task's comparison page."""
    papers: list[str]
    group: str
    """What the feed follows: "all", "task" or "dataset"."""
    page_title: str


def feed_list(index: Index) -> list[Feed]:
    """Every feed the site publishes: site-wide, per task with papers, per dataset with users."""
    corpus = index.corpus
    taxonomy = corpus.taxonomy
    feeds = [Feed("feeds/all.xml", "thg: new talking head generation papers",
                  "Papers newly added to the Talking Head Generation knowledge base.", "new.md", list(corpus.papers),
                  "all", "New this month")]
    for term in taxonomy.terms("task"):
        members = index.by_term.get(("task", term), [])
        if members:
            label = taxonomy.label("task", term)
            feeds.append(Feed(f"feeds/task/{term}.xml", f"thg: new papers on {label}",
                              f"Papers tagged with the task {label}, newly added to the knowledge base.",
                              f"taxonomy/task/{term}.md", list(members), "task", label))
    for dataset_id, dataset in sorted(corpus.datasets.items(), key=lambda item: item[1].name.casefold()):
        users = index.dataset_users.get(dataset_id, [])
        if users:
            feeds.append(Feed(f"feeds/dataset/{dataset_id}.xml", f"thg: new papers using {dataset.name}",
                              f"Papers that list the dataset {dataset.name}, newly added to the knowledge base.",
                              f"datasets/{dataset_id}.md", list(users), "dataset", dataset.name))
    return feeds


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _page_url(site_url: str, src: str) -> str:
    """Absolute URL of a generated page (directory URLs, as MkDocs writes them)."""
    stem = src[:-3]
    if stem == "index":
        stem = ""
    elif stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return site_url + (stem + "/" if stem else "")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def render_feed(feed: Feed, index: Index, site_url: str, generator_version: str, fallback: dt.date) -> str:
    """One feed as Atom XML. Papers without an `added` date are not "new" at any date: they are left out."""
    corpus = index.corpus
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    dated = [p for p in newest_first(corpus.papers[pid] for pid in feed.papers) if p.added is not None]
    entries = dated[:FEED_SIZE]
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", site_url + feed.path)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    updated = max((p.added for p in entries if p.added), default=fallback)
    _text(root, "updated", _stamp(updated))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "thg contributors")
    _text(author, "uri", site_url)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": site_url + feed.path})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                           "href": _page_url(site_url, feed.page)})
    _text(root, "generator", "thg", uri=site_url, version=generator_version)
    for paper in entries:
        root.append(_entry(paper, site_url, index))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(paper: Paper, site_url: str, index: Index) -> ET.Element:
    taxonomy = index.corpus.taxonomy
    page = _page_url(site_url, f"papers/{paper.id}.md")
    entry = ET.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", page)
    title = paper.title if not paper.short_name or paper.title.startswith(paper.short_name) \
        else f"{paper.short_name}: {paper.title}"
    _text(entry, "title", title)
    assert paper.added is not None
    _text(entry, "published", _stamp(paper.added))
    _text(entry, "updated", _stamp(paper.added))
    for name in paper.authors:
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", name)
    ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
    if paper.arxiv:
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "related", "href": f"https://arxiv.org/abs/{paper.arxiv}",
                                                "title": f"arXiv:{paper.arxiv}"})
    elif paper.doi:
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "related", "href": f"https://doi.org/{paper.doi}"})
    for term in paper.tags.task:
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": term, "label": taxonomy.label("task", term),
                                                    "scheme": site_url + "taxonomy/task/"})
    _text(entry, "summary", f"{paper.venue} {paper.year}. {' '.join(paper.summary.split())}")
    return entry


def feed_files(index: Index, site_url: str, generator_version: str, fallback: dt.date) -> Iterator[tuple[str, str]]:
    for feed in feed_list(index):
        yield feed.path, render_feed(feed, index, site_url, generator_version, fallback)


def feeds_for_page(feeds: Iterable[Feed]) -> dict[str, Feed]:
    """page src -> its feed, for <link rel="alternate"> autodiscovery on that page."""
    return {feed.page: feed for feed in feeds}
