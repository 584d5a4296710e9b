"""The validation pipeline: load -> model -> rules, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thg.checks import check_corpus
from thg.corpus import Corpus, load_corpus, paused_gc
from thg.errors import Problem


@dataclass
class Validation:
    corpus: Corpus | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems and self.corpus is not None


def validate(root: Path) -> Validation:
    """Check every record under `root`; a bad record never hides the problems of others."""
    loaded = load_corpus(root)
    problems = list(loaded.problems)
    if loaded.corpus is not None:
        with paused_gc():
            problems.extend(check_corpus(loaded.corpus))
    problems.sort(key=lambda p: (str(p.path), p.line, p.field))
    return Validation(loaded.corpus, problems)


def load_valid(root: Path) -> Corpus:
    """The corpus, or `InvalidCorpus` listing every problem (used by build and export)."""
    result = validate(root)
    if not result.ok:
        raise InvalidCorpus(result.problems)
    assert result.corpus is not None
    return result.corpus


class InvalidCorpus(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the records")
        self.problems = problems
