"""Stage 2 of table import: turn a printed cell into plain text, and a value cell into a number.

What the cell says beside its text is kept: the keys it cites, the direction arrow in a header, the
footnote marks, and the ± spread of a value. Formatting that only marks the best value (bold,
underline, colour) is dropped: thg computes the best value itself, from the metric's direction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from thg.models import NUMBER_PATTERN

_NUMBER = re.compile(NUMBER_PATTERN)
MISSING = {"", "-", "--", "---", "—", "–", "−", "n/a", "na", "/", "n.a.", "none", "null", "nan"}
"""Cells that print 'not reported' (compared casefolded)."""
MARK_CHARS = "*†‡§¶⋆★"
"""Footnote marks printed after a name or value."""

_MARK_COMMANDS = {
    "dagger": "†", "dag": "†", "ddagger": "‡", "ddag": "‡", "textdagger": "†", "textdaggerdbl": "‡", "S": "§", "P": "¶", "ast": "*",
    "star": "⋆", "textasteriskcentered": "*",
}
_SYMBOLS = {
    "uparrow": "↑", "Uparrow": "↑", "downarrow": "↓", "Downarrow": "↓", "pm": "±", "mp": "∓", "times": "×",
    "textendash": "–", "textemdash": "—", "checkmark": "✓", "cmark": "✓", "xmark": "✗", "textpm": "±",
    "uparrowbold": "↑", "downarrowbold": "↓", "approx": "≈", "sim": "~",
}
_DROP_WITH_ARGUMENT = {"color", "cellcolor", "rowcolor", "columncolor", "label", "hspace", "vspace", "rule",
                       "arrayrulecolor", "footnote", "tablefootnote", "hypersetup", "setlength", "phantom"}
_TWO_ARGUMENTS_KEEP_SECOND = {"textcolor", "colorbox", "href", "scalebox", "resizebox", "raisebox"}
_CITE = re.compile(r"\\(?:cite|citep|citet|citealp|citeauthor|citeyear|autocite|parencite|textcite)\*?"
                   r"(?:\[[^\]]*\]){0,2}\{([^{}]*)\}")


@dataclass
class Text:
    """A cleaned cell: its plain text, and what the markup around it said."""

    text: str
    cites: list[str] = field(default_factory=list)
    arrow: Literal["higher", "lower"] | None = None
    marks: list[str] = field(default_factory=list)


def expand_macros(text: str, macros: dict[str, tuple[int, str]]) -> str:
    """Replace the file's own macros (\\newcommand, \\def) by their bodies, arguments substituted."""
    if not macros or "\\" not in text:
        return text
    pattern = re.compile(r"\\(" + "|".join(sorted(map(re.escape, macros), key=len, reverse=True)) + r")(?![A-Za-z])")
    for _ in range(10):
        changed = False

        def one(match: re.Match[str]) -> str:
            nonlocal changed
            count, body = macros[match.group(1)]
            if count == 0:
                changed = True
                return body
            return match.group(0)

        new = pattern.sub(one, text)
        # Macros with arguments: substitute #1..#n from the brace groups that follow.
        pos = 0
        while True:
            match = pattern.search(new, pos)
            if match is None:
                break
            count, body = macros[match.group(1)]
            if count == 0:
                pos = match.end()
                continue
            args, i = _arguments(new, match.end(), count)
            if args is None:
                pos = match.end()
                continue
            for number, arg in enumerate(args, start=1):
                body = body.replace(f"#{number}", arg)
            new = new[:match.start()] + body + new[i:]
            changed = True
            pos = match.start()
        text = new
        if not changed:
            break
    return text


def _arguments(text: str, start: int, count: int) -> tuple[list[str] | None, int]:
    from thg.tableimport.readers import braced

    args = []
    i = start
    for _ in range(count):
        group = braced(text, i)
        if group is None:
            return None, start
        args.append(group[0])
        i = group[1]
    return args, i


def latex_text(raw: str, macros: dict[str, tuple[int, str]] | None = None, keep_marks: bool = False) -> Text:
    """Plain text of a LaTeX cell, with its citations, arrow and footnote marks set aside.

    With `keep_marks` (captions, footnotes) the marks stay in the text as symbols, so a row's mark can be
    matched with the sentence it refers to.
    """
    text = expand_macros(raw, macros or {})
    found = Text("")
    found.cites = [key.strip() for keys in _CITE.findall(text) for key in keys.split(",") if key.strip()]
    text = _CITE.sub(" ", text)
    text = _walk(text, found, keep_marks)
    text = text.replace("~", " ").replace("$", "").replace("{", "").replace("}", "")
    return _finish(found, text)


def _walk(text: str, found: Text, keep_marks: bool) -> str:
    """One pass over the markup: commands by name (their braced arguments located exactly), super- and subscripts."""
    from thg.tableimport.readers import braced

    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text[i + 1].isalpha():
            nxt = text[i + 1]
            out.append(nxt if nxt in "%&_#$" else " ")
            i += 2
            continue
        if ch == "\\":
            match = re.match(r"\\([A-Za-z]+)\*?", text[i:])
            assert match is not None
            name = match.group(1)
            j = i + match.end()
            while j < len(text) and text[j] == "[":
                close = text.find("]", j)
                if close == -1:
                    break
                j = close + 1
            if name in _DROP_WITH_ARGUMENT:
                group = braced(text, j)
                i = group[1] if group else j
                out.append(" ")
            elif name in _TWO_ARGUMENTS_KEEP_SECOND:
                first = braced(text, j)
                second = braced(text, first[1]) if first else None
                if second is None:
                    i = j
                    continue
                out.append(_walk(second[0], found, keep_marks))
                i = second[1]
            elif name in ("textsuperscript", "tnote"):
                group = braced(text, j)
                out.append(_mark(found, _walk(group[0], Text(""), True) if group else "*", keep_marks))
                i = group[1] if group else j
            elif name == "footnotemark":
                out.append(_mark(found, "*", keep_marks))
                i = j
            else:
                out.append(_command(found, name, keep_marks))
                i = j
            continue
        if ch == "^":
            group = braced(text, i + 1)
            if group is not None:
                out.append(_mark(found, _walk(group[0], Text(""), True), keep_marks))
                i = group[1]
                continue
            token = re.match(r"\\[A-Za-z]+|\S", text[i + 1:])
            if token:
                out.append(_mark(found, token.group(0), keep_marks))
                i += 1 + token.end()
                continue
        if ch == "_":
            group = braced(text, i + 1)
            if group is not None:  # 0.83_{\pm 0.02}: a spread printed as a subscript
                out.append(" " + _walk(group[0], found, keep_marks) + " ")
                i = group[1]
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _mark(found: Text, mark: str, keep: bool = False) -> str:
    mark = mark.strip().replace("$", "")
    symbol = _MARK_COMMANDS.get(mark.lstrip("\\"), _SYMBOLS.get(mark.lstrip("\\"), mark))
    if symbol == "↑":
        found.arrow = "higher"
        return " "
    if symbol == "↓":
        found.arrow = "lower"
        return " "
    if not symbol:
        return " "
    if keep:
        return symbol
    found.marks.append(symbol)
    return " "


def _command(found: Text, name: str, keep_marks: bool = False) -> str:
    if name in _MARK_COMMANDS:
        if keep_marks:
            return _MARK_COMMANDS[name]
        found.marks.append(_MARK_COMMANDS[name])
        return " "
    if name in _SYMBOLS:
        return f" {_SYMBOLS[name]} "
    return ""  # \textbf, \underline, \bf, \small ...: the braces that follow are dropped later, the text stays


def plain_text(raw: str) -> Text:
    """Plain text of a Markdown, HTML or CSV cell (which may still hold $\\uparrow$ or **bold**)."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), raw)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    if "\\" in text or "$" in text:
        return latex_text(text)
    return _finish(Text(""), text)


def _finish(found: Text, text: str) -> Text:
    for arrow, direction in (("↑", "higher"), ("↓", "lower"), ("⇑", "higher"), ("⇓", "lower")):
        if arrow in text:
            found.arrow = "higher" if direction == "higher" else "lower"
            text = text.replace(arrow, " ")
    text = " ".join(text.split())
    while text and text[-1] in MARK_CHARS and text not in MISSING:
        found.marks.append(text[-1])
        text = text[:-1].rstrip()
    found.text = text
    return found


@dataclass
class Value:
    """A value cell read as a number: kept exactly as printed (trailing zeros too), with its ± part."""

    state: Literal["number", "missing", "unreadable"]
    printed: str | None = None
    spread: str | None = None
    percent: bool = False


def read_value(text: str) -> Value:
    cleaned = text.replace("−", "-").replace("+/-", "±").replace("+-", "±").strip()
    if cleaned.casefold() in MISSING:
        return Value("missing")
    percent = False
    parts = [part.strip() for part in cleaned.split("±")]
    if len(parts) > 2:
        return Value("unreadable")
    numbers = []
    for part in parts:
        if part.endswith("%"):
            percent = True
            part = part[:-1].strip()
        if not _NUMBER.fullmatch(part):
            return Value("unreadable")
        numbers.append(part)
    return Value("number", numbers[0], numbers[1] if len(numbers) == 2 else None, percent)
