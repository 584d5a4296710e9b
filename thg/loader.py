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
- numbers and dates: an integer literal is bounded before Python converts it (a 4,301-digit integer
  cannot be converted, nor printed once converted from hex) and a 31st of February stays text: the
  model then reports either with its field and line, and the file's other problems too;
- tags (!!bool abc, !!timestamp nope) are refused: they send a value to a constructor that fails;
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
from thg.models import MAX_INTEGER, OversizedInteger

MAX_BYTES = 256 * 1024
"""A record is a few kilobytes; anything past this is a mistake or an attack."""
MAX_DEPTH = 100
"""Records nest five or six levels; libyaml is fast and safe far deeper than this."""
_INDENT_BOUND = 24
_FLOW_BOUND = MAX_DEPTH - 2 * _INDENT_BOUND - 2
# A line whose leading run of spaces and block indicators (- ? :) is this long could open deep block nesting.
# Anchored on the line break (the first line is checked with a "\n" put in front) so the regex engine can
# jump from line break to line break instead of trying every position.
_DEEP_PREFIX = re.compile(f"\n[ \t?:-]{{{_INDENT_BOUND}}}")
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

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date-shaped value that is no date (2026-02-31) stays text, which the model reports (with its field
        and line) as not a date, instead of a ValueError that would stop the whole file."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | OversizedInteger:
        """Integers are bounded before conversion: Python refuses to convert or print more than 4,300
        digits, and a hex literal converts to a number with more digits than it has characters. An
        oversized one becomes an `OversizedInteger`, which every model field refuses with its own message."""
        literal = str(node.value).lstrip("+-").replace("_", "")
        if len(literal) > _INT_LITERAL_CHARS:
            return OversizedInteger(literal)
        value = int(super().construct_yaml_int(node))
        return OversizedInteger(literal) if abs(value) > MAX_INTEGER else value

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
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


# An anchor (&name), alias (*name) or tag (!!int, !foo) must follow white space or a flow indicator. Plain
# text such as "Q&A", "5 * 3" or "Wow!" does not match; a rare false hit only costs the event scan below.
_ANCHOR_HINT = re.compile(r"(?:^|[\s,\[{])[&*!][^\s,\[\]{}]", re.MULTILINE)

PathPart = str | int


@dataclass
class RawFile:
    """A parsed file: its text (kept for locating lines later) and its data, if it parsed."""

    path: Path
    text: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    _tree: yaml.Node | None = None
    _keys: dict[int, dict[str, yaml.Node]] = field(default_factory=dict)
    """Mapping node -> its children by key, built on first use: a file with thousands of problems in one
    mapping is located in linear time, not quadratic."""

    def line_of(self, where: Sequence[PathPart]) -> int:
        """1-based line of the deepest node along `where` that exists (1 when nothing matches)."""
        node = self._node_tree()
        line = 1
        for part in where:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = self._child(node, part)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def _child(self, node: yaml.Node, part: PathPart) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            children = self._keys.get(id(node))
            if children is None:
                children = {}
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        children.setdefault(key.value, value)
                self._keys[id(node)] = children
            return children.get(part)
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part]  # type: ignore[no-any-return]
        return None

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


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
"""O_NOFOLLOW: a record that is a symbolic link (to /etc/passwd, say) is refused, not read.
O_NONBLOCK: a FIFO named like a record cannot hang the validator."""


def read_yaml(path: Path | str, display: Path | None = None) -> RawFile:
    """Read and parse `path`; never raises for bad input, returns problems instead."""
    shown = display or Path(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return RawFile(shown, "", None, [Problem(shown, 1, "", "is not a regular file",
                                                         "commit the record as an ordinary file")])
            if info.st_size > MAX_BYTES:
                return RawFile(shown, "", None, [Problem(shown, 1, "", f"file is {info.st_size} bytes",
                                                         f"a record file must be under {MAX_BYTES} bytes")])
            raw = _read_all(descriptor, info.st_size)
        finally:
            os.close(descriptor)
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
    return parse_text(text, shown, raw)


def _read_all(descriptor: int, size: int) -> bytes:
    """The file's bytes, asking for what fstat reported plus one (never a cap-sized buffer per file: that
    allocation alone cost more than the checks). A file that grew past the cap meanwhile is refused."""
    raw = os.read(descriptor, size + 1)
    while len(raw) < size:
        more = os.read(descriptor, size + 1 - len(raw))
        if not more:
            break
        raw += more
    if len(raw) > MAX_BYTES:
        raise OSError(errno.EFBIG, f"the file grew past {MAX_BYTES} bytes while it was read")
    return raw


_PARSED: dict[tuple[str, str], RawFile] = {}
"""(shown path, text) -> its parse, when clean: `thg serve` re-loads the corpus after every edit, and re-parsing
the unchanged files was a third of a rebuild. Parsing is a pure function of the text, and a RawFile is never
changed after parsing (its line index is built lazily, the same for every reader)."""
_PARSED_MAX = 200_000


def parse_text(text: str, shown: Path, raw: bytes | None = None) -> RawFile:
    """Parse one record's text (`raw`: the same text as UTF-8, when the caller has it); see `read_yaml`."""
    key = (str(shown), text)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    parsed = _parse_text(text, shown, raw)
    if not parsed.problems and parsed.data is not None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


def _parse_text(text: str, shown: Path, raw: bytes | None) -> RawFile:
    if "\r" in text:
        text, raw = text.replace("\r\n", "\n"), None  # CRLF is fine; a lone CR (old Mac line break) is reported
    control = _first_control(text, raw)
    if control is not None:
        return RawFile(shown, text, None, [_control_problem(text, control, shown)])
    if "\t" in text and re.search(r"^\t", text, re.MULTILINE):
        line = text[: re.search(r"^\t", text, re.MULTILINE).start()].count("\n") + 1  # type: ignore[union-attr]
        return RawFile(shown, text, None, [Problem(shown, line, "", "line is indented with a tab", "indent with spaces")])
    too_deep = _nesting_problem(text)
    if too_deep is not None:
        return RawFile(shown, text, None, [Problem(shown, too_deep, "", f"values nest more than {MAX_DEPTH} levels deep",
                                                   "a record nests a few levels: check the brackets and indentation")])
    if ("&" in text or "*" in text or "!" in text) and _ANCHOR_HINT.search(text):
        special = _find_anchor_or_tag(text)
        if special is not None:
            return RawFile(shown, text, None, [Problem(shown, *special)])
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
    except (ValueError, ArithmeticError, LookupError, TypeError, AttributeError) as exc:
        # Not expected once tags are refused and ints and dates are checked; a record still never crashes the loader.
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"a value cannot be read ({type(exc).__name__}: "
                                                   f"{exc})", "write plain text, numbers and dates")])
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        return RawFile(shown, text, None, [Problem(shown, 1, "", f"file holds {found}", "a mapping of field: value")])
    parsed = RawFile(shown, text, data)
    for key, line in loader.duplicate_keys:
        parsed.problems.append(Problem(shown, line, key, "field appears twice", "keep one of the two"))
    return parsed


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _first_control(text: str, data: bytes | None = None) -> int | None:
    """Index of the first control character (`thg.errors.CONTROL`), or None.

    The regular expression over a whole file costs more than the rest of the checks together, so it runs
    only when the UTF-8 bytes hold a C0 control or DEL (what `bytes.translate` leaves) or the lead bytes of
    the C1 controls (c2), line separators and bidi overrides (e2 80) or isolates (e2 81).
    """
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    if not data.translate(None, _NOT_CONTROL_BYTES) and b"\xc2" not in data and b"\xe2\x80" not in data \
            and b"\xe2\x81" not in data:
        return None
    found = CONTROL.search(text)
    return found.start() if found else None


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
    if 2 * text.count("[") + text.count("{") <= _FLOW_BOUND and _DEEP_PREFIX.search(text) is None \
            and _DEEP_PREFIX.match("\n" + text[:_INDENT_BOUND]) is None:
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


def _find_anchor_or_tag(text: str) -> tuple[int, str, str, str] | None:
    """(line, field, message, expected) of the first anchor, alias or explicit tag, by walking parser events
    (slow path). Records need none of them: anchors and aliases multiply data (billion laughs), and tags
    send a value to a constructor that may fail on it (!!bool abc, !!timestamp nope) or build bytes."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = int(event.start_mark.line) + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return line, "", "YAML anchors and aliases are not allowed in records", "write the value out in full"
            tag = getattr(event, "tag", None)
            if tag:
                return (line, "", f"YAML tags such as {tag.replace('tag:yaml.org,2002:', '!!')} are not allowed "
                        "in records", "write the value plainly; quote text")
    except yaml.YAMLError:
        return None  # the main parse reports the syntax error with its line
    return None
