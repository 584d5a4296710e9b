"""Stage 1 of table import: find the tables in a file and read their cells, spans and captions.

Readers return cells as printed (LaTeX markup included); `thg.tableimport.cells` cleans them. Each
cell keeps its line number, so every later message can point at the row and column it is about.
"""

from __future__ import annotations

import csv
import html.parser
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from thg.errors import UsageError

Markup = Literal["latex", "markdown", "html", "csv"]


@dataclass
class Cell:
    text: str
    line: int
    colspan: int = 1
    rowspan: int = 1
    """HTML rowspan: the cell takes the positions below it."""
    header: bool = False
    """An HTML <th>, or a Markdown header row."""
    fill: int = 1
    """LaTeX \\multirow: the rows below (or, negative, above) print an empty cell that this text belongs to."""


@dataclass
class SourceTable:
    markup: Markup
    line: int
    rows: list[list[Cell]]
    caption: str | None = None
    notes: str = ""
    """Text printed with the table but outside it (LaTeX float text, a paragraph after a Markdown table)."""
    title: str | None = None
    """The heading above a Markdown table, when there is one."""
    macros: dict[str, tuple[int, str]] = field(default_factory=dict)
    """LaTeX macros defined in the file: name -> (number of arguments, body)."""
    header_rows: int | None = None
    """Rows known to be headers (Markdown); None when the importer must decide."""


@dataclass
class GridCell:
    """One position of the expanded table: the cell that covers it, and whether it is a copy from a span."""

    text: str
    line: int
    row: int
    col: int
    spanned: bool = False
    header: bool = False


def expand(table: SourceTable) -> list[list[GridCell]]:
    """Lay the cells out on a grid, copying spanning cells (multirow, multicolumn, rowspan) into every position."""
    grid: dict[tuple[int, int], GridCell] = {}
    width = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    grid[(r + dr, c + dc)] = GridCell(cell.text, cell.line, r + 1, c + dc + 1,
                                                      spanned=(dr, dc) != (0, 0), header=cell.header)
            c += max(cell.colspan, 1)
            width = max(width, c)
    height = max((r for r, _ in grid), default=-1) + 1
    lines = [next((cell.line for cell in row), table.line) for row in table.rows]
    out = []
    for r in range(height):
        line = lines[r] if r < len(lines) else lines[-1]
        out.append([grid.get((r, c), GridCell("", line, r + 1, c + 1)) for c in range(width)])
    _fill(table, out)
    return out


def _fill(table: SourceTable, out: list[list[GridCell]]) -> None:
    """Copy each LaTeX \\multirow text into the empty cells it spans (below it, or above for a negative count)."""
    for r, row in enumerate(out):
        for c, cell in enumerate(row):
            if cell.spanned:
                continue
            source = _origin(table, r, c)
            if source is None or source.fill in (0, 1, -1):
                continue
            step = 1 if source.fill > 0 else -1
            for k in range(1, abs(source.fill)):
                target_row = r + step * k
                if not 0 <= target_row < len(out) or out[target_row][c].text.strip():
                    break
                below = out[target_row][c]
                out[target_row][c] = GridCell(cell.text, cell.line, below.row, below.col, spanned=True,
                                              header=cell.header)


def _origin(table: SourceTable, r: int, c: int) -> Cell | None:
    """The printed cell at grid position (r, c) of a LaTeX table (its rows hold no HTML rowspans)."""
    if table.markup != "latex" or r >= len(table.rows):
        return None
    position = 0
    for cell in table.rows[r]:
        if position <= c < position + max(cell.colspan, 1):
            return cell if position == c else None
        position += max(cell.colspan, 1)
    return None


def read_tables(path: Path) -> list[SourceTable]:
    """Every table in the file, in document order."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix in (".tex", ".latex"):
        return latex_tables(text)
    if suffix in (".csv", ".tsv"):
        return [csv_table(text, "\t" if suffix == ".tsv" else ",")]
    if suffix in (".html", ".htm"):
        return html_tables(text)
    if suffix in (".md", ".markdown", ".txt"):
        found = markdown_tables(text) + html_tables(text)
        return sorted(found, key=lambda t: t.line)
    raise UsageError(f"{path.name}: cannot tell the table format from the suffix {suffix or '(none)'}; "
                     "use .tex (LaTeX tabular), .md (Markdown or HTML tables), .html, or .csv")


# ---------------------------------------------------------------- LaTeX

_COMMENT = re.compile(r"(?<!\\)%.*")
_ENV_BEGIN = re.compile(r"\\begin\{(tabular\*?|tabularx|tabulary|longtable|tblr)\}")
_FLOAT = re.compile(r"\\begin\{(table\*?|sidewaystable)\}(.*?)\\end\{\1\}", re.S)
_RULES = re.compile(
    r"^\s*(?:\\(?:hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot|hdashline|Xhline\{[^}]*\})"
    r"|\\(?:cmidrule|cline|hhline|addlinespace|specialrule|arrayrulecolor|rowcolor|noalign)"
    r"(?:\([^)]*\))?(?:\[[^\]]*\])?(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*)\s*")


def _strip_comments(text: str) -> str:
    return "\n".join(_COMMENT.sub("", line) for line in text.split("\n"))


def braced(text: str, start: int) -> tuple[str, int] | None:
    """The contents of the brace group opening at `start` (after spaces), and the index after it."""
    i = start
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i >= len(text) or text[i] != "{":
        return None
    depth = 0
    for j in range(i, len(text)):
        ch = text[j]
        if ch == "\\":
            continue
        if ch == "{" and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif ch == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
    return None


def _optional(text: str, start: int) -> int:
    """Skip one [optional] argument at `start`, if there is one."""
    i = start
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "[":
        end = text.find("]", i)
        return end + 1 if end != -1 else start
    return start


def latex_macros(text: str) -> dict[str, tuple[int, str]]:
    """\\newcommand / \\renewcommand / \\def definitions: name -> (argument count, body)."""
    macros: dict[str, tuple[int, str]] = {}
    for match in re.finditer(r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?|\\DeclareRobustCommand\s*\{?\\([A-Za-z]+)\}?",
                             text):
        name = match.group(1) or match.group(2)
        i = match.end()
        count = 0
        arg = re.match(r"\s*\[(\d)\]", text[i:])
        if arg:
            count = int(arg.group(1))
            i += arg.end()
        i = _optional(text, i)
        body = braced(text, i)
        if body is not None:
            macros[name] = (count, body[0])
    for match in re.finditer(r"\\def\s*\\([A-Za-z]+)((?:#\d)*)", text):
        body = braced(text, match.end())
        if body is not None:
            macros[match.group(1)] = (len(match.group(2)) // 2, body[0])
    return macros


def _split_top(text: str, separator: str) -> list[tuple[str, int]]:
    """Split at `separator` outside braces (and not escaped); each part with its offset in `text`."""
    parts = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if separator == "\\\\" and text.startswith("\\\\", i) and depth == 0:
                parts.append((text[start:i], start))
                i += 2
                start = _optional(text, i)
                i = start
                continue
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append((text[start:i], start))
            start = i + 1
        i += 1
    parts.append((text[start:], start))
    return parts


def _span(text: str, command: str) -> tuple[int, str] | None:
    """`\\multicolumn{n}{spec}{x}` / `\\multirow[pos]{n}{width}{x}` at the start of a cell: (n, x)."""
    stripped = text.lstrip()
    if not stripped.startswith("\\" + command):
        return None
    i = _optional(stripped, len(command) + 1)
    count = braced(stripped, i)
    if count is None:
        return None
    i = _optional(stripped, count[1])
    second = braced(stripped, i)
    if second is None:
        return None
    i = _optional(stripped, second[1])
    content = braced(stripped, i)
    if content is None:
        return None
    try:
        n = int(count[0].strip())
    except ValueError:
        return None
    return n, content[0]


def _latex_cell(raw: str, line: int) -> Cell:
    cell = Cell(raw.strip(), line)
    multicolumn = _span(raw, "multicolumn")
    if multicolumn:
        cell.colspan, cell.text = max(multicolumn[0], 1), multicolumn[1].strip()
    multirow = _span(cell.text, "multirow")
    if multirow:
        cell.fill, cell.text = multirow[0], multirow[1].strip()
    return cell


def latex_tables(text: str) -> list[SourceTable]:
    clean = _strip_comments(text)
    macros = latex_macros(clean)
    floats = [(m.start(), m.end(), m.group(2)) for m in _FLOAT.finditer(clean)]
    tables = []
    for match in _ENV_BEGIN.finditer(clean):
        env = match.group(1)
        i = match.end()
        if env in ("tabular*", "tabularx", "tabulary"):
            width = braced(clean, i)
            i = width[1] if width else i
        i = _optional(clean, i)
        spec = braced(clean, i)
        body_start = spec[1] if spec else i
        end = clean.find(f"\\end{{{env}}}", body_start)
        if end == -1:
            continue
        body = clean[body_start:end]
        first_line = clean.count("\n", 0, match.start()) + 1
        rows: list[list[Cell]] = []
        for chunk, offset in _split_top(body, "\\\\"):
            chunk_start = body_start + offset
            stripped = chunk
            while True:
                rule = _RULES.match(stripped)
                if not rule or rule.end() == 0:
                    break
                chunk_start += rule.end()
                stripped = stripped[rule.end():]
            if not stripped.strip():
                continue
            cells = []
            for part, part_offset in _split_top(stripped, "&"):
                line = clean.count("\n", 0, chunk_start + part_offset + len(part) - len(part.lstrip())) + 1
                cells.append(_latex_cell(part, line))
            rows.append(cells)
        caption, notes = None, ""
        for f_start, f_end, inner in floats:
            if f_start <= match.start() < f_end:
                caption, notes = _float_text(inner, clean[match.start():end])
        tables.append(SourceTable("latex", first_line, rows, caption, notes, macros=macros))
    return tables


def _float_text(inner: str, tabular: str) -> tuple[str | None, str]:
    """The caption of a table float, and its other text (footnotes), without the tabular itself."""
    caption = None
    found = re.search(r"\\caption\*?", inner)
    if found:
        i = _optional(inner, found.end())
        body = braced(inner, i)
        if body:
            caption = " ".join(body[0].split())
    rest = inner.replace(tabular, " ")
    rest = re.sub(r"\\caption\*?(?:\[[^\]]*\])?", " ", rest)
    rest = re.sub(r"\\(?:label|centering|small|footnotesize|scriptsize|resizebox|adjustbox|setlength|vspace|hspace)"
                  r"(?:\{[^{}]*\})*", " ", rest)
    notes = " ".join(rest.replace("\\end{tabular}", " ").split())
    return caption, notes


# ---------------------------------------------------------------- Markdown

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _md_cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [part.replace("\\|", "|").strip() for part in re.split(r"(?<!\\)\|", text)]


def markdown_tables(text: str) -> list[SourceTable]:
    lines = text.split("\n")
    tables = []
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _MD_SEPARATOR.match(lines[i + 1]) and "|" in lines[i + 1]:
            start = i
            header = [Cell(t, i + 1, header=True) for t in _md_cells(lines[i])]
            rows = [header]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append([Cell(t, j + 1) for t in _md_cells(lines[j])])
                j += 1
            title = _heading_before(lines, start)
            notes = _paragraph_after(lines, j)
            caption = _paragraph_before(lines, start) or title
            tables.append(SourceTable("markdown", start + 1, rows, caption=caption, notes=notes, title=title,
                                      header_rows=1))
            i = j
        else:
            i += 1
    return tables


def _heading_before(lines: list[str], start: int) -> str | None:
    for k in range(start - 1, max(start - 8, -1), -1):
        line = lines[k].strip()
        if line.startswith("#"):
            return line.lstrip("#").strip() or None
    return None


def _paragraph_before(lines: list[str], start: int) -> str | None:
    """The paragraph right above a table (Markdown has no captions; READMEs put one there)."""
    k = start - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    para: list[str] = []
    while k >= 0 and lines[k].strip() and not lines[k].lstrip().startswith(("#", "|", "<", "```", ">")):
        para.insert(0, lines[k].strip())
        k -= 1
    return " ".join(para) or None


def _paragraph_after(lines: list[str], start: int) -> str:
    k = start
    while k < len(lines) and not lines[k].strip():
        k += 1
    para = []
    while k < len(lines) and lines[k].strip() and not lines[k].lstrip().startswith(("#", "|", "<")):
        para.append(lines[k].strip())
        k += 1
    return " ".join(para)


# ---------------------------------------------------------------- HTML


class _HtmlTables(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[SourceTable] = []
        self._stack: list[SourceTable] = []
        self._cell: Cell | None = None
        self._caption: list[str] | None = None
        self.ends: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0]
        if tag == "table":
            self._stack.append(SourceTable("html", line, []))
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1].rows.append([])
        elif tag in ("td", "th"):
            table = self._stack[-1]
            if not table.rows:
                table.rows.append([])
            self._cell = Cell("", line, _int(values.get("colspan")), _int(values.get("rowspan")), header=tag == "th")
            table.rows[-1].append(self._cell)
        elif tag == "caption":
            self._caption = []
        elif tag == "br" and self._cell is not None:
            self._cell.text += " "

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            if self._cell is not None:
                self._cell.text = " ".join(self._cell.text.split())
            self._cell = None
        elif tag == "caption" and self._stack and self._caption is not None:
            self._stack[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "table" and self._stack:
            table = self._stack.pop()
            table.rows = [row for row in table.rows if row]
            self.tables.append(table)
            self.ends.append(self.getpos()[0])

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.text += data


def _int(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def html_tables(text: str) -> list[SourceTable]:
    parser = _HtmlTables()
    parser.feed(text)
    parser.close()
    lines = text.split("\n")
    for table, end in zip(parser.tables, parser.ends, strict=True):
        if table.caption is None:
            table.caption = _caption_after(lines, end)
    return sorted(parser.tables, key=lambda t: t.line)


def _caption_after(lines: list[str], end: int) -> str | None:
    """A 'Table N: ...' line printed just after an HTML table (as converted papers print captions)."""
    for k in range(end, min(end + 12, len(lines))):
        line = lines[k].lstrip("> \t")
        if re.match(r"(?:Table|TABLE|Tab\.)\s*\d+\s*[:.]", line):
            return " ".join(line.split())
        if "<table" in line:
            return None
    return None


# ---------------------------------------------------------------- CSV


def csv_table(text: str, delimiter: str) -> SourceTable:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[Cell]] = []
    for number, record in enumerate(reader, start=1):
        if any(field.strip() for field in record):
            rows.append([Cell(field, reader.line_num or number, header=not rows) for field in record])
    return SourceTable("csv", 1, rows, header_rows=1)
