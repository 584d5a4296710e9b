"""The controlled vocabularies (`taxonomy.yaml`) and the venue list (`venues.yaml`), as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from thg.errors import Problem
from thg.loader import RawFile, read_yaml
from thg.models import FACETS, ID_PATTERN, RESERVED_IDS, PaperType, ShortText, Text


class _Vocab(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Term(_Vocab):
    label: ShortText
    description: Text
    derived: bool = False
    aliases: list[str] = Field(default_factory=list)
    """Words contributors use for this term; the validator suggests the term when it meets one."""


class Facet(_Vocab):
    label: ShortText
    description: Text
    terms: dict[str, Term] = Field(min_length=1)


class _TaxonomyFile(_Vocab):
    facets: dict[str, Facet]


class Venue(_Vocab):
    kind: PaperType
    name: ShortText


@dataclass(frozen=True)
class Taxonomy:
    """Facets with their terms, and the venue vocabulary."""

    facets: dict[str, Facet]
    venues: dict[str, Venue]

    def terms(self, facet: str) -> dict[str, Term]:
        return self.facets[facet].terms

    def label(self, facet: str, term: str) -> str:
        found = self.facets.get(facet)
        if found is None or term not in found.terms:
            return term
        return found.terms[term].label

    def alias_of(self, facet: str, word: str) -> str | None:
        """The term a contributor probably meant by `word` (an alias), if any."""
        folded = word.strip().lower()
        for name, term in self.terms(facet).items():
            if folded in (alias.lower() for alias in term.aliases):
                return name
        return None

    def writable_terms(self, facet: str) -> list[str]:
        """Terms a contributor may write (derived flags such as code-available are computed)."""
        return [name for name, term in self.terms(facet).items() if not term.derived]


VenueKind = Literal["conference", "journal", "chapter", "preprint", "thesis"]


def load_taxonomy(root: Path) -> tuple[Taxonomy | None, list[Problem]]:
    """Load both vocabulary files; problems carry file and line like record problems do."""
    problems: list[Problem] = []
    facets, taxonomy_raw = _load(root / "taxonomy.yaml", _TaxonomyFile, problems)
    venues_raw = read_yaml(root / "venues.yaml", Path("venues.yaml"))
    problems.extend(venues_raw.problems)
    venues: dict[str, Venue] = {}
    if venues_raw.data is not None:
        for name, value in venues_raw.data.items():
            try:
                venues[str(name)] = Venue.model_validate(value)
            except ValidationError as exc:
                for error in exc.errors():
                    problems.append(Problem(Path("venues.yaml"), venues_raw.line_of([str(name)]), str(name),
                                            error["msg"], "kind: conference|journal|chapter|preprint|thesis, name: ..."))
    if facets is not None:
        for facet_name, facet in facets.facets.items():
            for term in facet.terms:
                if not re.match(ID_PATTERN, term) or term in RESERVED_IDS or len(term) > 80:
                    line = taxonomy_raw.line_of(["facets", facet_name, "terms", term])
                    problems.append(Problem(Path("taxonomy.yaml"), line, f"facets.{facet_name}.terms.{term}",
                                            f"term {term!r} cannot name a page (taxonomy/{facet_name}/<term>/)",
                                            "lowercase letters, digits and single hyphens, and not 'index'"))
        missing = [name for name in FACETS if name not in facets.facets]
        extra = [name for name in facets.facets if name not in FACETS]
        if missing or extra:
            problems.append(Problem(Path("taxonomy.yaml"), 1, "facets",
                                    f"facets must be exactly {', '.join(FACETS)}",
                                    f"missing: {missing or 'none'}; unknown: {extra or 'none'}"))
    if problems or facets is None:
        return None, problems
    return Taxonomy(facets=dict(facets.facets), venues=venues), problems


def _load(path: Path, model: type[_TaxonomyFile], problems: list[Problem]) -> tuple[_TaxonomyFile | None, RawFile]:
    raw = read_yaml(path, Path(path.name))
    problems.extend(raw.problems)
    if raw.data is None:
        return None, raw
    try:
        return model.model_validate(raw.data), raw
    except ValidationError as exc:
        for error in exc.errors():
            where = [part for part in error["loc"] if isinstance(part, str | int)]
            problems.append(Problem(Path(path.name), raw.line_of(where), ".".join(map(str, where)), error["msg"]))
        return None, raw
