"""Stage 5 of table import: write the new `results:` entries into the paper record, keeping its text.

The record is edited as text, not re-dumped, so its comments, quoting and layout stay as the author
wrote them. Every edit is checked by parsing the result: the new record must hold exactly the old data
plus the new tables and list entries, or nothing is written.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import yaml

_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(.*)$")
_PLAIN_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROTOCOL_PLACEHOLDERS = (
    "# id: the protocol record (protocols/<id>.yaml) when the table follows one exactly",
    "# setting: e.g. one-shot, person-specific",
    "# reenactment: self | cross",
    "# resolution: e.g. 512x512",
    "# face_crop: how faces were cropped",
    "# audio_source: which audio drove the videos",
    "# test_clips: how many test clips",
)


def q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _text(name: str, text: str, indent: int) -> list[str]:
    """`name: text` as a folded block (wrapped, easy to edit) or, when folding could change it, quoted."""
    pad = " " * indent
    if len(text) < 80 or "\n" in text or text != text.strip() or "  " in text:
        return [f"{pad}{name}: {q(text)}"]
    body = textwrap.wrap(text, width=max(40, 110 - indent), break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{name}: >-", *[f"{pad}  {line}" for line in body]]


def _key(name: str) -> str:
    return name if _PLAIN_KEY.match(name) else q(name)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return q(str(value))


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def render_tables(tables: list[dict[str, Any]]) -> str:
    """The YAML list items of `results:` for these tables, indented as the records write them."""
    lines: list[str] = []
    for table in tables:
        lines.append(f"  - id: {table['id']}")
        for name in ("table", "source", "dataset", "split", "kind"):
            if name == "dataset" and table.get(name) is None:
                continue
            if table.get(name) is not None:
                value = table[name]
                lines.append(f"    {name}: {value if name in ('source', 'dataset', 'kind') else q(value)}")
        protocol = table["protocol"]
        lines.append("    protocol:")
        for name, value in protocol.items():
            if name == "notes":
                lines.extend(_text("notes", value, 6))
            else:
                lines.append(f"      {name}: {_scalar(value) if not isinstance(value, str) else value}"
                             + ("  # fill in what the source states, then set stated: true"
                                if name == "stated" and value is False and not protocol.get("notes") else ""))
        if protocol.get("stated") is False and not protocol.get("notes"):
            lines.extend(f"      {placeholder}" for placeholder in PROTOCOL_PLACEHOLDERS)
        if table.get("caption"):
            lines.extend(_text("caption", table["caption"], 4))
        if table.get("directions"):
            lines.append(f"    directions: {_flow(table['directions'])}")
        lines.append("    rows:")
        for row in table["rows"]:
            method = row["method"]
            lines.append(f"      - method: {method if _PLAIN_KEY.match(method) else q(method)}")
            lines.append(f"        values: {_flow(row['values'])}")
            if row.get("spread"):
                lines.append(f"        spread: {_flow(row['spread'])}")
            if row.get("note"):
                lines.extend(_text("note", row["note"], 8))
            if row.get("reference"):
                lines.append("        reference: true")
    return "\n".join(lines) + "\n"


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, line after its block), 0-based."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) for m in [_TOP_KEY.match(line)] if m]
    blocks = {}
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        blocks[key] = (i, end)
    return blocks


def append_results(text: str, items: str) -> str:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks = _blocks(lines)
    if "results" not in blocks:
        return "\n".join([*lines, "results:", items.rstrip("\n")]) + "\n"
    start, end = blocks["results"]
    head = lines[start]
    if re.match(r"^results:\s*\[\s*\]\s*(#.*)?$", head):
        lines[start] = "results:"
    return "\n".join([*lines[:end], items.rstrip("\n"), *lines[end:]]) + "\n"


def add_to_list(text: str, key: str, ids: list[str], before: tuple[str, ...]) -> str:
    """Add ids to a top-level list field written in flow ([a, b]) or block (- a) style, or create it."""
    if not ids:
        return text
    lines = text.split("\n")
    blocks = _blocks(lines)
    if key not in blocks:
        position = min((blocks[k][0] for k in before if k in blocks), default=len(lines))
        lines.insert(position, f"{key}: [{', '.join(ids)}]")
        return "\n".join(lines)
    start, end = blocks[key]
    flow = re.match(r"^(\s*" + key + r":\s*)\[(.*)\](\s*(#.*)?)$", lines[start])
    if flow:
        existing = [part.strip() for part in flow.group(2).split(",") if part.strip()]
        lines[start] = f"{flow.group(1)}[{', '.join([*existing, *ids])}]{flow.group(3)}"
        return "\n".join(lines)
    items = [i for i in range(start + 1, end) if re.match(r"^\s+-\s", lines[i])]
    if items:
        indent = re.match(r"^(\s+)-", lines[items[-1]])
        prefix = indent.group(1) if indent else "  "
        for offset, value in enumerate(ids, start=1):
            lines.insert(items[-1] + offset, f"{prefix}- {value}")
        return "\n".join(lines)
    if re.match(r"^" + key + r":\s*(#.*)?$", lines[start]):
        lines[start] = f"{key}: [{', '.join(ids)}]"
        return "\n".join(lines)
    return text


def same_except(old: dict[str, Any], new: dict[str, Any], added: dict[str, list[Any]]) -> bool:
    """True when `new` is `old` with exactly `added` appended to the named list fields."""
    if set(new) - set(old) - set(added):
        return False
    for key in set(old) | set(new):
        expected = list(old.get(key) or []) + added[key] if key in added else old.get(key)
        if new.get(key) != expected:
            return False
    return True


def load(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {}
