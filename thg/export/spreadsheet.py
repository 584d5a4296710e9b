"""CSV that spreadsheets open as data: no cell from a record is ever run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with = + - @ (or a tab or carriage return,
or the fullwidth forms some locales accept) as a formula: a method named =HYPERLINK(...) in a pull
request would run on every reader's machine. Such text cells get a leading apostrophe, the spreadsheets'
own "this is text" mark (OWASP's advice). Numbers (-0.5, +3) are left alone: they are data, not formulas.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """`value` (None as an empty cell), or for text a spreadsheet would read as a formula, the same text
    marked as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    """A CSV file (LF line ends) with every cell passed through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def frame_csv(frame: pd.DataFrame, index: bool = False) -> str:
    """A DataFrame as CSV, column names, index labels and text cells passed through `safe_cell`."""
    safe = frame.map(safe_cell).rename(columns=safe_cell)
    if index:
        safe = safe.rename(index=safe_cell)
    text: str = safe.to_csv(index=index, lineterminator="\n")
    return text
