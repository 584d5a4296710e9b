"""Stage 1 of the pipeline: read one YAML file safely into plain Python data.

Valid files take the fast path: one parse with PyYAML's C loader and two regular-expression scans.
Everything slower (event-level alias checks, node trees for line numbers) runs only for the files
that look suspicious or turn out to be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thg.errors import Problem

MAX_BYTES = 256 * 1024
"""A record is a few kilobytes; anything past this is a mistake or an attack."""

try:  # pragma: no branch - the C loader ships with the pinned PyYAML wheels
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

# An anchor (&name) or alias (*name) must follow white space or a flow indicator. Plain text such as
# "Q&A" or "5 * 3" does not match; a rare false hit only costs the precise event scan below.
_ANCHOR_HINT = re.compile(r"(?:^|[\s,\[{])[&*][^\s,\[\]{}]", re.MULTILINE)
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)

PathPart = str | int


@dataclass
class RawFile:
    """A parsed file: its text (kept for locating lines later) and its data, if it parsed."""

    path: Path
    text: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    _tree: yaml.Node | None = None

    def line_of(self, where: Sequence[PathPart]) -> int:
        """1-based line of the deepest node along `where` that exists (1 when nothing matches)."""
        node = self._node_tree()
        line = 1
        for part in where:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, part)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def _node_tree(self) -> yaml.Node | None:
        if self._tree is None:
            try:
                self._tree = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return None
        return self._tree


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def read_yaml(path: Path, display: Path | None = None) -> RawFile:
    """Read and parse `path`; never raises for bad input, returns problems instead."""
    shown = display or path
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return RawFile(
                shown, "", None,
                [Problem(shown, 1, "", f"file is {size} bytes", f"a record file must be under {MAX_BYTES} bytes")],
            )
        raw = path.read_bytes()
    except OSError as exc:
        return RawFile(shown, "", None, [Problem(shown, 1, "", f"cannot read the file: {exc.strerror}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return RawFile(shown, "", None, [Problem(shown, line, "", "file is not valid UTF-8", "save it as UTF-8")])
    return parse_text(text, shown)


def parse_text(text: str, shown: Path) -> RawFile:
    """Parse one record's text; see `read_yaml`."""
    if "\t" in text and re.search(r"^\t", text, re.MULTILINE):
        line = text[: re.search(r"^\t", text, re.MULTILINE).start()].count("\n") + 1  # type: ignore[union-attr]
        return RawFile(shown, text, None, [Problem(shown, line, "", "line is indented with a tab", "indent with spaces")])
    if _ANCHOR_HINT.search(text):
        alias = _find_anchor(text)
        if alias is not None:
            return RawFile(
                shown, text, None,
                [Problem(shown, alias, "", "YAML anchors and aliases are not allowed in records",
                         "write the value out in full")],
            )
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or "invalid YAML"
        return RawFile(shown, text, None, [Problem(shown, line, "", f"YAML syntax error: {reason}",
                                                   "check indentation, colons and quotes on this line")])
    except yaml.YAMLError as exc:
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"YAML error: {exc}")])
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"file holds {found}", "a mapping of field: value")])
    raw = RawFile(shown, text, data)
    duplicate = _duplicate_top_level_key(text)
    if duplicate is not None:
        key, line = duplicate
        raw.problems.append(Problem(shown, line, key, "field appears twice", "keep one of the two"))
    return raw


def _find_anchor(text: str) -> int | None:
    """Line of the first real anchor or alias, by walking parser events (slow path)."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                return int(mark.line) + 1 if mark is not None else 1
    except yaml.YAMLError:
        return None  # the main parse reports the syntax error with its line
    return None


def _duplicate_top_level_key(text: str) -> tuple[str, int] | None:
    seen: set[str] = set()
    for match in _TOP_LEVEL_KEY.finditer(text):
        key = match.group(1)
        if key in seen:
            return key, text.count("\n", 0, match.start()) + 1
        seen.add(key)
    return None
