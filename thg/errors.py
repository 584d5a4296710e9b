"""Problems found in records, the exceptions the command line maps to exit codes, and terminal-safe text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CONTROL_CLASS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
"""What no record value may hold, as a regular-expression range that Python, Rust (pydantic) and ECMAScript
(JSON Schema) read alike: C0 controls but tab and line feed, DEL, C1 controls, the line and paragraph
separators, bidi overrides and isolates. Each is invisible, or rewrites a terminal, or reorders the text
around it (Trojan Source)."""
_UNPRINTABLE = re.compile(rf"[\t\n{CONTROL_CLASS}]")
CONTROL = re.compile(f"[{CONTROL_CLASS}]")


def character_name(char: str) -> str:
    """'U+001B' plus the character's name where Unicode gives one, for messages about invisible characters."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "") or _C0_NAMES.get(ord(char), "")
    return f"{code} ({name.lower()})" if name else code


_C0_NAMES = {0: "null", 7: "bell", 8: "backspace", 9: "tab", 10: "line feed", 11: "vertical tab", 12: "form feed",
             13: "carriage return", 27: "escape", 127: "delete", 133: "next line"}


def printable(text: str) -> str:
    """`text` safe for a terminal or a CI log: every control character written as an escape such as \\x1b."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, located as precisely as we can.

    Rendered as ``path:line: field: message (expected)`` so editors and CI annotate the right line. Every
    part goes through `printable`: a record cannot reach the terminal with an escape sequence.
    """

    path: Path
    line: int
    field: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        hint = f" ({self.expected})" if self.expected else ""
        field = self.field or "(file)"
        return printable(f"{self.path}:{self.line}: {field}: {self.message}{hint}")


class ThgInternalError(RuntimeError):
    """A bug in thg, never caused by bad input: bad input becomes a `Problem` (exit code 3)."""


class UsageError(ValueError):
    """The command line asked for something that cannot be done (exit code 2)."""


class InputError(ValueError):
    """A file named on the command line (e.g. `thg new --bibtex FILE`) holds data thg cannot use (exit code 1)."""
