"""Stage 3 of table import: names as printed -> record ids.

Headers map to metric ids through each metric's id, name, full name and aliases; methods map to paper
ids through short names, aliases, ids, titles and the keys they cite; dataset names map through each
dataset's id, name, full name and aliases. Matching ignores case, spaces and punctuation, and never
guesses: a name that matches two records, or none, is reported with the closest candidates.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from thg.corpus import Corpus
from thg.models import metric_key


def norm(name: str) -> str:
    """'Sync-C' -> 'syncc', 'Real3D-Portrait' -> 'real3dportrait', 'Dimitra++' -> 'dimitraplusplus'."""
    return re.sub(r"[\W_]+", "", name.casefold().replace("+", "plus"))


REFERENCE_NAMES = {norm(n) for n in ("GT", "Ground Truth", "Ground-truth", "Real", "Real Video", "Real Videos",
                                     "Real video", "Real data", "Original", "Reference", "Groundtruth")}
OWN_NAMES = {norm(n) for n in ("Ours", "Ours (full)", "Our method", "Proposed", "Full model", "Ours full")}


@dataclass(frozen=True)
class Names:
    """Lookup tables built once per import from the corpus."""

    metrics: dict[str, set[str]]
    papers: dict[str, set[str]]
    datasets: dict[str, set[str]]
    bibkeys: dict[str, str]
    dataset_names: dict[str, list[str]]
    """dataset id -> the names it is printed under, for searching captions."""

    @classmethod
    def build(cls, corpus: Corpus, bibkeys: dict[str, str]) -> Names:
        metrics: dict[str, set[str]] = defaultdict(set)
        for m in corpus.metrics.values():
            for name in (m.id, m.name, m.full_name or "", *m.aliases):
                if norm(name):
                    metrics[norm(name)].add(m.id)
        papers: dict[str, set[str]] = defaultdict(set)
        for p in corpus.papers.values():
            for name in (p.id, p.short_name or "", *p.aliases):
                if norm(name):
                    papers[norm(name)].add(p.id)
            papers[norm(p.title)].add(p.id)
        datasets: dict[str, set[str]] = defaultdict(set)
        dataset_names: dict[str, list[str]] = {}
        for d in corpus.datasets.values():
            names = [n for n in (d.name, d.full_name or "", *d.aliases) if n]
            dataset_names[d.id] = names
            for name in (d.id, *names):
                datasets[norm(name)].add(d.id)
        return cls(dict(metrics), dict(papers), dict(datasets), {key: pid for pid, key in bibkeys.items()},
                   dataset_names)


@dataclass(frozen=True)
class Match:
    target: str | None
    candidates: tuple[str, ...] = ()
    via: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.target is None and len(self.candidates) > 1


def _lookup(table: dict[str, set[str]], name: str) -> Match:
    found = table.get(norm(name), set())
    if len(found) == 1:
        return Match(next(iter(found)), via="name")
    if len(found) > 1:
        return Match(None, tuple(sorted(found)))
    return Match(None)


def suggest(table: dict[str, set[str]], name: str, limit: int = 3) -> list[str]:
    """Record ids whose names are close to `name`, for 'did you mean' hints."""
    close = difflib.get_close_matches(norm(name), list(table), n=limit, cutoff=0.6)
    return sorted({pid for key in close for pid in table[key]})


def metric_for(names: Names, header: str) -> Match:
    """A header -> metric key; a number glued to a metric name is its variant ('FVD16' -> fvd[16])."""
    found = _lookup(names.metrics, header)
    if found.target or found.ambiguous:
        return found
    glued = re.fullmatch(r"(.*?[A-Za-z])[\s-]*@?(\d+)", header.strip())
    if glued:
        base = _lookup(names.metrics, glued.group(1))
        if base.target:
            return Match(metric_key(base.target, glued.group(2)), via="variant")
    return found


def paper_for(names: Names, printed: str, cites: list[str]) -> Match:
    for key in cites:
        if key in names.bibkeys:
            return Match(names.bibkeys[key], via=f"\\cite{{{key}}}")
    found = _lookup(names.papers, printed)
    if found.target or found.ambiguous:
        return found
    # "SadTalker (CVPR'23)": a venue or year in brackets after the name
    bare = re.sub(r"\s*[\[(][^\])]*[\])]\s*$", "", printed)
    if bare != printed:
        return _lookup(names.papers, bare)
    return found


def datasets_in(names: Names, text: str) -> list[str]:
    """Dataset ids whose printed names occur in `text` as words (case-sensitive: 'GRID', not 'grid search')."""
    found = []
    for dataset_id, printed in names.dataset_names.items():
        for name in printed:
            if len(name) >= 3 and re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
                found.append(dataset_id)
                break
    return found
