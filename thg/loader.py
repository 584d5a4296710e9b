"""Stage 1 of the pipeline: read one YAML file safely into plain Python data.

Valid files take the fast path: one parse with PyYAML's C loader and a few C-speed scans (control
characters, a bound on nesting depth, anchors). Everything slower (event walks, node trees for line
numbers) runs only for the files that look suspicious or turn out to be wrong.

What a file can do to a YAML loader, and where it is stopped:
- size: files over `MAX_BYTES` are not parsed;
- nesting: libyaml's C composer recurses once per level and overflows its stack (a segfault) a few
  tens of thousands of levels down, and its scanner slows quadratically long before: nesting deeper
  than `MAX_DEPTH` is refused before libyaml builds anything (`_nesting_problem`);
- anchors and aliases (billion laughs): refused;
- numbers: an integer literal is bounded before Python converts it (a 4,301-digit integer cannot be
  converted, nor printed once converted from hex), and any value a constructor cannot build (a 31st
  of February) becomes a located problem instead of an exception;
- control characters: refused with their own line (a NUL is not "line 1");
- symbolic links: never followed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thg.errors import CONTROL, Problem, character_name
from thg.models import MAX_INTEGER

MAX_BYTES = 256 * 1024
"""A record is a few kilobytes; anything past this is a mistake or an attack."""
MAX_DEPTH = 100
"""Records nest five or six levels; libyaml is fast and safe far deeper than this."""
_INDENT_BOUND = 24
_FLOW_BOUND = MAX_DEPTH - 2 * _INDENT_BOUND - 2
# A line whose leading run of spaces and block indicators (- ? :) is this long could open deep block nesting.
_DEEP_PREFIX = re.compile(f"^[ \t?:-]{{{_INDENT_BOUND}}}", re.MULTILINE)
_INT_LITERAL_CHARS = 18
"""An integer literal longer than this (sign and underscores aside) cannot be below `MAX_INTEGER`."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """PyYAML's C safe loader, plus duplicate-key detection at no extra pass over the data.

    `construct_mapping` replaces SafeConstructor's own Python implementation (it is not an extra
    layer), so valid files cost the same as a plain `yaml.load(..., CSafeLoader)`.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Any value a constructor cannot build (2026-02-31, an integer Python cannot convert) becomes a
        located `UnreadableValue` instead of an exception from deep inside PyYAML."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            if str(node.tag).endswith(":timestamp"):
                raise UnreadableValue(node, f"{node.value!r} is not a date ({exc})",
                                      "a real date in the form YYYY-MM-DD") from exc
            raise UnreadableValue(node, f"{node.value!r} cannot be read ({exc})",
                                  "write the value as plain text or a plain number") from exc

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """Integers are bounded before conversion: Python refuses to convert or print more than 4,300
        digits, and a hex literal converts to a number with more digits than it has characters."""
        literal = str(node.value).lstrip("+-").replace("_", "")
        value = 0 if len(literal) > _INT_LITERAL_CHARS else int(super().construct_yaml_int(node))
        if len(literal) > _INT_LITERAL_CHARS or abs(value) > MAX_INTEGER:
            shown = literal if len(literal) <= 24 else f"{literal[:12]}...{literal[-6:]}"
            raise UnreadableValue(node, f"the integer {shown} is too large for a record ({len(literal)} characters)",
                                  "integers in records have at most 15 digits; write identifiers as quoted text")
        return value

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

_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


class UnreadableValue(yaml.YAMLError):
    """A scalar the loader refuses to build, with the node it came from (for its line and field)."""

    def __init__(self, node: yaml.Node, message: str, expected: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.expected = expected

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

    def field_at(self, index: int) -> str:
        """Dotted path (e.g. results[0].protocol.test_clips) of the node starting at character `index`."""
        tree = self._node_tree()
        stack: list[tuple[yaml.Node, tuple[PathPart, ...]]] = [(tree, ())] if tree is not None else []
        while stack:
            node, where = stack.pop()
            if node.start_mark.index == index and not isinstance(node, yaml.CollectionNode):
                return dotted(where)
            if isinstance(node, yaml.MappingNode):
                stack += [(value, (*where, str(key.value))) for key, value in node.value]
                stack += [(key, where) for key, _value in node.value]
            elif isinstance(node, yaml.SequenceNode):
                stack += [(item, (*where, position)) for position, item in enumerate(node.value)]
        return ""

    def _node_tree(self) -> yaml.Node | None:
        if self._tree is None:
            try:
                self._tree = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return None
        return self._tree


def dotted(where: Sequence[PathPart]) -> str:
    """('results', 0, 'id') -> 'results[0].id', the form every problem uses for its field."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


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
        # O_NOFOLLOW: a record that is a symbolic link (to /etc/passwd, say) is refused, not read.
        # O_NONBLOCK: a FIFO named like a record cannot hang the validator.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return RawFile(shown, "", None, [Problem(shown, 1, "", "is not a regular file",
                                                         "commit the record as an ordinary file")])
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            size = os.path.getsize(path)
            return RawFile(
                shown, "", None,
                [Problem(shown, 1, "", f"file is {size} bytes", f"a record file must be under {MAX_BYTES} bytes")],
            )
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return RawFile(shown, "", None, [Problem(shown, 1, "", "is a symbolic link; records are never read "
                                                     "through links", "commit the record itself in place of the link")])
        return RawFile(shown, "", None, [Problem(shown, 1, "", f"cannot read the file: {exc.strerror}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return RawFile(shown, "", None, [Problem(shown, line, "", "file is not valid UTF-8", "save it as UTF-8")])
    return parse_text(text, shown)


def parse_text(text: str, shown: Path) -> RawFile:
    """Parse one record's text; see `read_yaml`."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # CRLF is fine; a lone CR (an old Mac line break) is reported below
    control = CONTROL.search(text)
    if control is not None:
        return RawFile(shown, text, None, [_control_problem(text, control.start(), shown)])
    if "\t" in text and re.search(r"^\t", text, re.MULTILINE):
        line = text[: re.search(r"^\t", text, re.MULTILINE).start()].count("\n") + 1  # type: ignore[union-attr]
        return RawFile(shown, text, None, [Problem(shown, line, "", "line is indented with a tab", "indent with spaces")])
    too_deep = _nesting_problem(text)
    if too_deep is not None:
        return RawFile(shown, text, None, [Problem(shown, too_deep, "", f"values nest more than {MAX_DEPTH} levels deep",
                                                   "a record nests a few levels: check the brackets and indentation")])
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
    except UnreadableValue as exc:
        raw = RawFile(shown, text, None)
        line = exc.node.start_mark.line + 1
        raw.problems.append(Problem(shown, line, raw.field_at(exc.node.start_mark.index), exc.message, exc.expected))
        return raw
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


def _control_problem(text: str, index: int, shown: Path) -> Problem:
    line_start = text.rfind("\n", 0, index) + 1
    line = text.count("\n", 0, index) + 1
    return Problem(shown, line, "", f"column {index - line_start + 1} holds the control character "
                   f"{character_name(text[index])}", "delete it: records hold printable text only")


def _nesting_problem(text: str) -> int | None:
    """The line where values nest deeper than `MAX_DEPTH`, or None; checked before libyaml builds anything.

    Fast path, a bound from three C-speed scans: a flow collection opens at most two levels per `[` (a
    sequence and an implied one-pair mapping) and one per `{`; block collections open at strictly
    increasing columns, but for a sequence that is a mapping's value at the key's column, and a block
    collection starts within the leading run of spaces and indicators (- ? :) of its line. So with no
    such run of `_INDENT_BOUND` characters, block nesting stays under 2 * `_INDENT_BOUND`. Control
    characters (which include YAML's other line breaks) are refused before this runs, so lines are lines.
    Slow path, only for files past that bound: walk libyaml's parser events (it keeps its own stack on
    the heap) and stop at the first level too deep, long before its scanner's quadratic cost shows.
    """
    if 2 * text.count("[") + text.count("{") <= _FLOW_BOUND and _DEEP_PREFIX.search(text) is None:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(event.start_mark.line) + 1 if event.start_mark is not None else 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the main parse reports the syntax error, which comes before any deeper level
    return None


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
