"""CSV cells that a spreadsheet will show as text, never run as a formula.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and, in
some versions, a tab or carriage return) as a formula, even in a CSV file: a record field such as
`=HYPERLINK(...)` would become a live link or worse. OWASP's advice is followed: such a cell is
prefixed with a single quote, which the spreadsheet shows as text. A cell that is a plain number
(`-0.5`, `+3`) keeps its value, since a number is not a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A value ready for csv.writer: numbers and booleans as they are, text defused when it could be a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])
