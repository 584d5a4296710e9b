"""RIS, read by Zotero, EndNote and Mendeley: one tag per line, entries closed by ER."""

from __future__ import annotations

from collections.abc import Iterable

from thg.export.names import split_name
from thg.models import Paper
from thg.taxonomy import Taxonomy

RIS_TYPES = {"conference": "CONF", "journal": "JOUR", "chapter": "CHAP", "preprint": "UNPB", "thesis": "THES"}


def _clean(value: str) -> str:
    """RIS is line based: a value must not contain a line break."""
    return " ".join(value.split())


def ris_entry(paper: Paper, key: str, taxonomy: Taxonomy) -> list[str]:
    lines = [f"TY  - {RIS_TYPES[paper.type]}", f"ID  - {key}", f"TI  - {_clean(paper.title)}"]
    for name in paper.authors:
        given, family = split_name(_clean(name))
        lines.append(f"AU  - {family}, {given}" if given else f"AU  - {family}")
    lines.append(f"PY  - {paper.year}")
    venue = taxonomy.venues.get(paper.venue)
    if venue is not None and paper.type in ("conference", "chapter"):
        lines.append(f"T2  - {_clean(venue.name)}")
    elif venue is not None and paper.type == "journal":
        lines.append(f"JO  - {_clean(venue.name)}")
    elif paper.type == "preprint":
        lines.append("PB  - arXiv")
    if paper.doi:
        lines.append(f"DO  - {_clean(paper.doi)}")
    if paper.arxiv:
        lines.append(f"UR  - https://arxiv.org/abs/{paper.arxiv}")
        lines.append(f"M3  - arXiv:{paper.arxiv}")
    elif paper.url:
        lines.append(f"UR  - {_clean(paper.url)}")
    if paper.links.code:
        lines.append(f"L1  - {_clean(paper.links.code)}")
    lines.append("ER  - ")
    return lines


def ris_text(paper: Paper, key: str, taxonomy: Taxonomy) -> str:
    """One RIS record with its CRLF line ends and the blank line that closes it."""
    return "\r\n".join(ris_entry(paper, key, taxonomy)) + "\r\n\r\n"


def join_ris(entries: Iterable[str]) -> str:
    return "".join(entries).removesuffix("\r\n")


def to_ris(papers: Iterable[Paper], keys: dict[str, str], taxonomy: Taxonomy) -> str:
    return join_ris(ris_text(p, keys[p.id], taxonomy) for p in papers)
