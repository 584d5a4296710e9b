"""Citing the knowledge base itself: a dated version of the records, as BibTeX and as CITATION.cff.

The title, authors and URL come from the repository's CITATION.cff (what GitHub's "Cite this
repository" reads), so the site and the repository never disagree. The version is the date of the
newest record (`added` or `status_checked`), written YYYY.MM.DD, so a survey that used our tables
names the snapshot it used; the commit is added when the site is built from a git checkout.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
import yaml
from bibtexparser.model import Entry, Field

from thg.export.latex import escape, protect_title, verbatim
from thg.index import Index
from thg.site.recent import snapshot_date


@dataclass(frozen=True)
class KnowledgeBaseCitation:
    title: str
    authors: list[str]
    url: str
    date: dt.date
    commit: str | None
    counts: dict[str, int]
    cff: dict[str, Any]

    @property
    def version(self) -> str:
        return self.date.strftime("%Y.%m.%d")

    def bibtex(self) -> str:
        """A @misc entry written by bibtexparser, values escaped like every paper's entry."""
        note = (f"Version {self.version}: {self.counts['papers']} papers, {self.counts['datasets']} datasets, "
                f"{self.counts['metrics']} metrics, {self.counts['losses']} losses")
        if self.commit:
            note += f"; commit {self.commit}"
        fields = [
            Field("title", protect_title(self.title)),
            Field("author", " and ".join("{" + escape(name) + "}" for name in self.authors)),
            Field("year", str(self.date.year)),
            Field("version", self.version),
            Field("howpublished", "\\url{" + verbatim(self.url) + "}"),
            Field("url", verbatim(self.url)),
            Field("note", escape(note)),
        ]
        library = bibtexparser.Library()  # type: ignore[attr-defined]
        library.add(Entry("misc", f"thg{self.date.strftime('%Y%m%d')}", fields))
        text: str = bibtexparser.write_string(library)  # type: ignore[attr-defined]
        return text.strip() + "\n"

    def snapshot_cff(self) -> str:
        """The repository's CITATION.cff with this snapshot's version and date filled in."""
        data = dict(self.cff)
        data["version"] = self.version
        data["date-released"] = self.date.isoformat()
        if self.commit:
            data["commit"] = self.commit
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def _commit(root: Path) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    return text if done.returncode == 0 and text else None


def cff_authors(cff: dict[str, Any]) -> list[str]:
    names = []
    for person in cff.get("authors", []):
        if person.get("name"):
            names.append(str(person["name"]))
        else:
            names.append(" ".join(str(person[k]) for k in ("given-names", "family-names") if person.get(k)))
    return names


def knowledge_base_citation(index: Index, root: Path | None, site_name: str, site_url: str) -> KnowledgeBaseCitation:
    corpus = index.corpus
    cff: dict[str, Any] = {}
    if root is not None and (root / "CITATION.cff").is_file():
        cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8")) or {}
    date = snapshot_date(corpus.papers.values()) or dt.date(1970, 1, 1)
    counts = {"papers": len(corpus.papers), "datasets": len(corpus.datasets), "metrics": len(corpus.metrics),
              "losses": len(corpus.losses)}
    return KnowledgeBaseCitation(
        title=str(cff.get("title") or site_name),
        authors=cff_authors(cff) or ["thg contributors"],
        url=str(cff.get("url") or site_url),
        date=date,
        commit=_commit(root) if root is not None else None,
        counts=counts,
        cff=cff,
    )
