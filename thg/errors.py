"""Problems found in records, and the one exception that means a bug in thg itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, located as precisely as we can.

    Rendered as ``path:line: field: message (expected)`` so editors and CI annotate the right line.
    """

    path: Path
    line: int
    field: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        hint = f" ({self.expected})" if self.expected else ""
        field = self.field or "(file)"
        return f"{self.path}:{self.line}: {field}: {self.message}{hint}"


class ThgInternalError(RuntimeError):
    """A bug in thg, never caused by bad input: bad input becomes a `Problem`."""


class UsageError(ValueError):
    """The command line asked for something that cannot be done (exit code 2)."""
