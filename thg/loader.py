"""Stage 1 of the pipeline: read one YAML file safely into plain Python data.

Valid files take the fast path: one parse with PyYAML's C loader and two regular-expression scans.
Everything slower (event-level alias checks, node trees for line numbers) runs only for the files
that look suspicious or turn out to be wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thg.errors import Problem

MAX_BYTES = 256 * 1024
"""A record is a few kilobytes; anything past this is a mistake or an attack."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """PyYAML's C safe loader, plus duplicate-key detection at no extra pass over the data.

    `construct_mapping` replaces SafeConstructor's own Python implementation (it is not an extra
    layer), so valid files cost the same as a plain `yaml.load(..., CSafeLoader)`.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = key in mapping
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                ) from exc
            if seen:
                self.duplicate_keys.append((str(key), key_node.start_mark.line + 1))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

# An anchor (&name) or alias (*name) must follow white space or a flow indicator. Plain text such as
# "Q&A" or "5 * 3" does not match; a rare false hit only costs the precise event scan below.
_ANCHOR_HINT = re.compile(r"(?:^|[\s,\[{])[&*][^\s,\[\]{}]", re.MULTILINE)

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


def read_yaml(path: Path | str, display: Path | None = None) -> RawFile:
    """Read and parse `path`; never raises for bad input, returns problems instead."""
    shown = display or Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            size = os.path.getsize(path)
            return RawFile(
                shown, "", None,
                [Problem(shown, 1, "", f"file is {size} bytes", f"a record file must be under {MAX_BYTES} bytes")],
            )
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
    if ("&" in text or "*" in text) and _ANCHOR_HINT.search(text):
        alias = _find_anchor(text)
        if alias is not None:
            return RawFile(
                shown, text, None,
                [Problem(shown, alias, "", "YAML anchors and aliases are not allowed in records",
                         "write the value out in full")],
            )
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or "invalid YAML"
        return RawFile(shown, text, None, [Problem(shown, line, "", f"YAML syntax error: {reason}",
                                                   "check indentation, colons and quotes on this line")])
    except yaml.YAMLError as exc:
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"YAML error: {exc}")])
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"file holds {found}", "a mapping of field: value")])
    raw = RawFile(shown, text, data)
    for key, line in loader.duplicate_keys:
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
