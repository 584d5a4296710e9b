"""BibTeX through bibtexparser v2: entry type from the record type, venue spelled out, values escaped.

Every value is brace-balanced by construction (`thg.export.latex`), on one line, and checked before it is
written: one unbalanced value makes real BibTeX drop every entry after it, in everyone's bibliography.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import bibtexparser
from bibtexparser.model import Entry, Field

from thg.errors import ThgInternalError
from thg.export.latex import balanced, escape, protect_title, verbatim
from thg.models import Paper
from thg.taxonomy import Taxonomy

ENTRY_TYPES = {"conference": "inproceedings", "journal": "article", "chapter": "incollection", "preprint": "misc",
               "thesis": "phdthesis"}
# BibTeX splits the author field at "and" between white space, in any case, outside braces.
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def one_line(text: str) -> str:
    """White space collapsed to single spaces, as BibTeX reads it anyway: no value spans lines."""
    return " ".join(text.split())


def bibtex_name(name: str) -> str:
    """An author for the `author` field: escaped, and kept whole when it holds ',' or the word 'and'."""
    name = one_line(name)
    escaped = escape(name)
    if "," in name or _AND_WORD.search(name):
        return "{" + escaped + "}"
    return escaped


def entry_for(paper: Paper, key: str, taxonomy: Taxonomy) -> Entry:
    fields: list[Field] = [
        Field("title", protect_title(one_line(paper.title))),
        Field("author", " and ".join(bibtex_name(a) for a in paper.authors)),
        Field("year", str(paper.year)),
    ]
    venue = taxonomy.venues.get(paper.venue)
    venue_name = escape(one_line(venue.name if venue else paper.venue))
    if paper.type in ("conference", "chapter"):
        fields.append(Field("booktitle", venue_name))
    elif paper.type == "journal":
        fields.append(Field("journal", venue_name))
    elif paper.type == "thesis":
        fields.append(Field("school", venue_name))
    if paper.arxiv:
        fields += [Field("eprint", paper.arxiv), Field("archivePrefix", "arXiv")]
        if paper.type == "preprint":
            fields.append(Field("howpublished", escape(f"arXiv preprint arXiv:{paper.arxiv}")))
    if paper.doi:
        fields.append(Field("doi", verbatim(paper.doi)))
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None) or (
        f"https://doi.org/{paper.doi}" if paper.doi else None)
    if url:
        fields.append(Field("url", verbatim(url)))
    for field in fields:
        if not balanced(field.value) or "\n" in field.value:
            raise ThgInternalError(f"BibTeX field {field.key} of {paper.id} is not one balanced line: {field.value!r}")
    return Entry(ENTRY_TYPES[paper.type], key, fields)


# Entries are built fresh for every call, so the writer may modify them in place (no deep copies).
_UNPARSE = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)


def bibtex_entry(paper: Paper, key: str, taxonomy: Taxonomy) -> str:
    """One entry as BibTeX text, written by bibtexparser."""
    library = bibtexparser.Library()  # type: ignore[attr-defined]
    library.add(entry_for(paper, key, taxonomy))
    text: str = bibtexparser.write_string(library, unparse_stack=_UNPARSE)  # type: ignore[attr-defined]
    return text.strip() + "\n"


def join_bibtex(entries: Iterable[str]) -> str:
    return "\n".join(entries)


def to_bibtex(papers: Iterable[Paper], keys: dict[str, str], taxonomy: Taxonomy) -> str:
    return join_bibtex(bibtex_entry(p, keys[p.id], taxonomy) for p in papers)
