"""Citation export: one module per format, all fed by `thg.export.select`.

Every format has a per-paper renderer and a join, so the site renders each paper once per format
and assembles the whole-corpus and per-term files by joining strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from thg.export.bibtex import bibtex_entry, join_bibtex, to_bibtex
from thg.export.csljson import csl_entry, join_csljson, to_csljson
from thg.export.ris import join_ris, ris_text, to_ris
from thg.models import Paper
from thg.taxonomy import Taxonomy

Writer = Callable[[Iterable[Paper], dict[str, str], Taxonomy], str]


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    one: Callable[[Paper, str, Taxonomy], str]
    join: Callable[[Iterable[str]], str]


FORMAT_LIST = (
    Format("bibtex", ".bib", bibtex_entry, join_bibtex),
    Format("csljson", ".json", csl_entry, join_csljson),
    Format("ris", ".ris", ris_text, join_ris),
)
FORMATS: dict[str, tuple[Writer, str]] = {
    "bibtex": (to_bibtex, ".bib"),
    "csljson": (to_csljson, ".json"),
    "ris": (to_ris, ".ris"),
}

__all__ = ["FORMATS", "FORMAT_LIST", "Format", "to_bibtex", "to_csljson", "to_ris"]
