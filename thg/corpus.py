"""Stage 2: turn parsed files into typed records, collecting every problem on the way.

`load_corpus` never raises for bad input: a file that fails is reported and left out, and every
other file is still checked. Cross-record checks (references, duplicates) live in `thg.checks`.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from thg.errors import CONTROL, Problem, character_name
from thg.loader import PathPart, RawFile, dotted, read_yaml
from thg.models import (
    FOLDERS,
    ID_PATTERN,
    KINDS,
    OVERSIZED_HINT,
    PARTIAL,
    SINGLE_LINE_PATTERN,
    Dataset,
    EvalProtocol,
    Loss,
    Metric,
    OversizedInteger,
    Paper,
    Record,
)
from thg.taxonomy import Taxonomy, load_taxonomy


@dataclass
class Corpus:
    """Every record that passed the model stage, by kind and id, plus where each came from."""

    root: Path
    taxonomy: Taxonomy
    papers: dict[str, Paper] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    losses: dict[str, Loss] = field(default_factory=dict)
    protocols: dict[str, EvalProtocol] = field(default_factory=dict)
    files: dict[tuple[str, str], RawFile] = field(default_factory=dict)
    partial: dict[Path, frozenset[str]] = field(default_factory=dict)
    """Files that failed the model, kept so the rest of each can be checked: path -> the top-level fields
    that failed (their placeholders are never reported on, and never compared with other records)."""
    reported: Counter[Path] = field(default_factory=Counter)
    """Problems located per file by the rules; past `MAX_PROBLEMS_PER_FILE` they are counted, not located."""

    def of_kind(self, kind: str) -> dict[str, Any]:
        table: dict[str, Any] = getattr(self, FOLDERS[kind])
        return table

    def where(self, kind: str, record_id: str, at: list[PathPart]) -> tuple[Path, int]:
        raw = self.files[(kind, record_id)]
        return raw.path, raw.line_of(at)

    def failed_fields(self, kind: str, record_id: str) -> frozenset[str]:
        """Top-level fields of a record whose file failed the model (empty for a complete record)."""
        raw = self.files.get((kind, record_id))
        return self.partial.get(raw.path, frozenset()) if raw is not None and self.partial else frozenset()

    def problem(self, kind: str, record_id: str, at: list[PathPart], message: str, expected: str = "") -> Problem:
        raw = self.files[(kind, record_id)]
        self.reported[raw.path] += 1
        if self.reported[raw.path] > MAX_PROBLEMS_PER_FILE:
            return Problem(raw.path, 0, "", NOT_SHOWN)
        return Problem(raw.path, raw.line_of(at), dotted(at), message, expected)

    def not_shown(self) -> list[Problem]:
        """One closing problem per file whose rules found more than `MAX_PROBLEMS_PER_FILE`."""
        closing = []
        for (_kind, _record_id), raw in self.files.items():
            extra = self.reported[raw.path] - MAX_PROBLEMS_PER_FILE
            if extra > 0:
                closing.append(more_problems(raw, extra))
        return closing


MAX_PROBLEMS_PER_FILE = 200
"""A file past this many problems is garbage or an attack: the rest are counted, and the output stays
readable (and fast: each shown problem is located by line)."""
NOT_SHOWN = "(not shown)"


def more_problems(raw: RawFile, count: int) -> Problem:
    """The last line of a file's report when some of its problems are not shown."""
    return Problem(raw.path, raw.text.count("\n") + 1, "", f"{count} more problems in this file are not shown",
                   "fix the ones above, then run thg validate again")


@dataclass
class LoadResult:
    corpus: Corpus | None
    problems: list[Problem]


def record_files(root: Path, kind: str) -> Iterator[tuple[str, str]]:
    """(file name, full path) of each record file of a kind, sorted; plain strings because pathlib is slow.

    Symbolic links are listed, not followed: `read_yaml` refuses them with a problem of their own.
    """
    folder = os.path.join(root, FOLDERS[kind])
    if os.path.islink(folder) or not os.path.isdir(folder):
        return
    with os.scandir(folder) as entries:
        found = sorted((e.name, e.path) for e in entries
                       if e.name.endswith((".yaml", ".yml")) and not e.is_dir(follow_symlinks=False))
    yield from found


def load_corpus(root: Path) -> LoadResult:
    """Load the taxonomy and every record under `root`.

    The cyclic garbage collector is paused while loading: the records are kept (nothing to free),
    and with tens of thousands of live objects its repeated full scans would cost more than parsing.
    """
    with paused_gc():
        return _load_corpus(root)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for a bulk build of long-lived objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_corpus(root: Path) -> LoadResult:
    taxonomy, problems = load_taxonomy(root)
    if taxonomy is None:
        return LoadResult(None, problems)
    corpus = Corpus(root=root, taxonomy=taxonomy)
    for kind, model in KINDS.items():
        table = corpus.of_kind(kind)
        folder = FOLDERS[kind]
        if os.path.islink(os.path.join(root, folder)):
            problems.append(Problem(Path(folder), 1, "", "the folder is a symbolic link; records are never read "
                                    "through links", f"commit {folder}/ itself"))
            continue
        for name, full in record_files(root, kind):
            shown = Path(folder, name)
            stem = name.rsplit(".", 1)[0]
            if name.endswith(".yml"):
                problems.append(Problem(shown, 1, "", "record files end in .yaml", f"rename it to {stem}.yaml"))
                continue
            raw = read_yaml(full, shown)
            if raw.problems:
                problems.extend(raw.problems)
                if raw.data is None:
                    continue
            assert raw.data is not None
            try:
                record = _validated(model, raw)
            except ValidationError as exc:
                problems.extend(_explain(exc, raw, kind))
                salvaged = _salvage(model, raw.data, exc, stem)
                if salvaged is None:
                    continue
                record, failed = salvaged
                corpus.partial[shown] = failed
            if record.id != stem:
                problems.append(Problem(shown, raw.line_of(["id"]), "id",
                                        f"id {record.id!r} does not match the file name {name!r}",
                                        f"write id: {stem}, or rename the file to {record.id}.yaml"))
                continue
            table[record.id] = record
            corpus.files[(kind, record.id)] = raw
    return LoadResult(corpus, problems)


_VALIDATED: dict[int, tuple[RawFile, type[Any], Any]] = {}
"""id(parse) -> (the parse, its model, the record): a parse that thg.loader took from its cache (an unchanged
file, in `thg serve`) gives back the same record object, so what is built from records can be reused too.
Records are never changed after loading."""


def _validated(model: type[Any], raw: RawFile) -> Any:
    cached = _VALIDATED.get(id(raw))
    if cached is not None and cached[0] is raw and cached[1] is model:
        return cached[2]
    record = model.model_validate(raw.data)
    if not raw.problems:
        if len(_VALIDATED) >= 200_000:
            _VALIDATED.clear()
        _VALIDATED[id(raw)] = (raw, model, record)
    return record


def load_record(path: Path, kind: str) -> tuple[Record | None, list[Problem]]:
    """One record file on its own (e.g. `thg eval --protocol FILE`), with the validator's messages.
    Nothing is salvaged: a record used to run something must be valid as a whole."""
    raw = read_yaml(path, path)
    if raw.data is None:
        return None, list(raw.problems)
    try:
        return KINDS[kind].model_validate(raw.data), list(raw.problems)
    except ValidationError as exc:
        return None, [*raw.problems, *_explain(exc, raw, kind)]


_PLACEHOLDERS: dict[str, Any] = {
    "title": "(unreadable)", "name": "(unreadable)", "authors": ["(unreadable)"], "year": 2000,
    "venue": "(unreadable)", "type": "preprint", "dimension": "2d", "modality": ["video"],
    "tags": {"driving": ["(unreadable)"], "identity": ["(unreadable)"], "output": ["(unreadable)"],
             "architecture": ["(unreadable)"], "task": ["(unreadable)"]},
    "summary": "(unreadable) stands in for a field that failed, so the rest of the record can be checked.",
    "description": "(unreadable)", "sources": ["https://example.invalid/"],
}
_CATEGORY_PLACEHOLDER = {"metric": "image-quality", "loss": "reconstruction"}


def _salvage(model: type[Any], data: dict[str, Any], exc: ValidationError, stem: str) -> tuple[Any, frozenset[str]] | None:
    """The record with every failed top-level field replaced (left out, or a placeholder when required),
    so one mistake (a quoted year) does not hide the file's other problems (a bad venue, an unknown
    dataset). Rules that tie several fields together are skipped in this mode (`PARTIAL`)."""
    failed = frozenset(str(error["loc"][0]) for error in exc.errors() if error["loc"])
    kept = {key: value for key, value in data.items() if key not in failed}
    for name in failed:
        info = model.model_fields.get(name)
        if info is None or not info.is_required():
            continue
        if name == "id":
            kept["id"] = stem
        elif name == "category" and model.__name__.lower() in _CATEGORY_PLACEHOLDER:
            kept["category"] = _CATEGORY_PLACEHOLDER[model.__name__.lower()]
        elif name in _PLACEHOLDERS:
            kept[name] = _PLACEHOLDERS[name]
        else:
            return None  # no stand-in for this required field: the problems already reported are all we know
    try:
        return model.model_validate(kept, context={PARTIAL: True}), failed
    except ValidationError:
        return None


_EXPECTED_BY_FIELD = {
    "id": "lowercase letters, digits and single hyphens, e.g. wav2lip or geneface-plus-plus",
    "arxiv": 'a quoted arXiv id without version, e.g. arxiv: "2308.09716"',
    "doi": 'a DOI starting with 10., e.g. doi: "10.1145/3394171.3413532"',
    "url": "an http:// or https:// address",
    "bibkey": "letters, digits and _:.+- only, e.g. prajwal2020lip",
    "year": "a whole number such as 2024, without quotes",
    "added": "a date in the form YYYY-MM-DD, e.g. 2026-11-28",
    "status_checked": "a date in the form YYYY-MM-DD, e.g. 2026-12-06",
    "weights": "one of released, partial, on-request, announced, not-released",
    "type": "one of conference, journal, chapter, preprint, thesis",
    "direction": "higher or lower",
    "sha256": 'the 64 hex digits in quotes, e.g. sha256: "c578...fd8"',
}


def _expected_for(where: tuple[PathPart, ...], kind: str) -> str:
    names = [part for part in where if isinstance(part, str)]
    last = names[-1] if names else ""
    if last in _EXPECTED_BY_FIELD:
        return _EXPECTED_BY_FIELD[last]
    if (names and names[0] in {"links", "sources", "homepage"}) or last in {"source", "venue_source"}:
        return "an http:// or https:// address"
    if kind == "paper" and names and names[0] in {"datasets", "metrics", "losses", "builds_on"}:
        return "a record id: lowercase letters, digits and hyphens"
    return ""


def _explain(exc: ValidationError, raw: RawFile, kind: str) -> list[Problem]:
    """Turn pydantic's errors into located, contributor-friendly problems (at most `MAX_PROBLEMS_PER_FILE`)."""
    model = KINDS[kind]
    problems = []
    errors = exc.errors()
    if len(errors) > MAX_PROBLEMS_PER_FILE:
        problems.append(more_problems(raw, len(errors) - MAX_PROBLEMS_PER_FILE))
    for error in errors[:MAX_PROBLEMS_PER_FILE]:
        loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
        kind_of_error = error["type"]
        value = error.get("input")
        field_name = dotted(loc)
        expected = _expected_for(loc, kind)
        if isinstance(value, OversizedInteger):
            message, expected = str(value), OVERSIZED_HINT
            line = raw.line_of(list(loc))
        elif kind_of_error == "missing":
            message = "required field is missing"
            line = raw.line_of(list(loc[:-1])) if len(loc) > 1 else 1
            expected = expected or f"add {loc[-1]}: ..."
        elif kind_of_error == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = "unknown field"
            expected = f"did you mean {close[0]}?" if close else f"allowed here: {', '.join(allowed)}"
            line = raw.line_of(list(loc))
        elif kind_of_error == "string_type" and isinstance(value, int | float) and loc and loc[-1] in {"arxiv", "doi",
                                                                                                       "sha256"}:
            message = f"is the number {value!r}; YAML read it as a number and may have dropped digits"
            expected = f'quote it: {loc[-1]}: "{value}"' if loc[-1] == "doi" else _EXPECTED_BY_FIELD[str(loc[-1])]
            line = raw.line_of(list(loc))
        elif kind_of_error in {"int_type", "float_type"} and isinstance(value, str):
            message = f"is the text {value!r}, not a number"
            expected = expected or "write the number without quotes"
            line = raw.line_of(list(loc))
        elif kind_of_error == "string_pattern_mismatch" and isinstance(value, str) and _text_problem(value, error):
            message, expected = _text_problem(value, error)  # type: ignore[misc]
            line = raw.line_of(list(loc))
        elif kind_of_error == "string_pattern_mismatch" and isinstance(value, str) and _userinfo(value):
            message = (f"{value!r} names {_userinfo(value)!r} before '@', so the link opens "
                       f"{_host(value)}, not {_userinfo(value)}")
            expected = "write the address without user@ before the host"
            line = raw.line_of(list(loc))
        elif kind_of_error == "string_pattern_mismatch":
            message = f"{value!r} is not in the accepted form"
            line = raw.line_of(list(loc))
            lowered = re.sub(r"[\s_]+", "-", value.strip().lower()) if isinstance(value, str) else ""
            if expected.startswith(("a record id", "lowercase")) and re.match(ID_PATTERN, lowered):
                expected = f"ids are lowercase with hyphens: write {lowered}"
        elif kind_of_error == "too_long" and isinstance(value, list | dict):
            limit = error.get("ctx", {}).get("max_length")
            message = f"lists {len(value)} entries, more than the {limit} a record may hold"
            expected = "keep the entries the source states"
            line = raw.line_of(list(loc))
        elif kind_of_error == "list_type":
            message = f"must be a list, found {type(value).__name__}"
            expected = expected or "a YAML list, e.g. [a, b] or one '- item' per line"
            line = raw.line_of(list(loc))
        elif kind_of_error in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
            message = f"{value!r} is not a date"
            expected = expected or _EXPECTED_BY_FIELD["added"]
            line = raw.line_of(list(loc))
        elif kind_of_error == "literal_error":
            message = f"{value!r} is not allowed"
            expected = error["msg"].replace("Input should be ", "one of ")
            line = raw.line_of(list(loc))
        elif kind_of_error == "value_error":
            message = str(error["ctx"].get("error", error["msg"])) if "ctx" in error else error["msg"]
            expected = ""  # these messages say what to write
            line = raw.line_of(list(loc)) if loc else 1
            field_name = field_name or "(record)"
        else:
            message = error["msg"][0].lower() + error["msg"][1:]
            line = raw.line_of(list(loc))
        problems.append(Problem(raw.path, line, field_name, message, expected))
    return problems


def _text_problem(value: str, error: Any) -> tuple[str, str] | None:
    """(message, expected) when free text is blank or holds a character its field may not hold, else None."""
    control = CONTROL.search(value)
    if control is not None:
        return (f"holds the control character {character_name(control.group(0))}",
                "delete it: records hold printable text only")
    if not value.strip():
        return "is blank", "write the text, or leave the field out"
    if error.get("ctx", {}).get("pattern") == SINGLE_LINE_PATTERN and ("\n" in value or "\t" in value):
        found = "a line break" if "\n" in value else "a tab"
        return f"holds {found}", "a single line of text: join the lines with a space"
    return None


def _userinfo(url: str) -> str:
    """The part before '@' in a URL's authority (user or user:password), '' when there is none."""
    authority = re.match(r"^[a-z]+://([^/?#]*)", url, re.IGNORECASE)
    return authority.group(1).rpartition("@")[0] if authority and "@" in authority.group(1) else ""


def _host(url: str) -> str:
    authority = re.match(r"^[a-z]+://([^/?#]*)", url, re.IGNORECASE)
    return authority.group(1).rpartition("@")[2] if authority else ""


def _allowed_fields(model: type[Any], where: tuple[PathPart, ...]) -> list[str]:
    """Field names of the (sub)model at `where`, for 'did you mean' hints."""
    current: Any = model
    for part in where:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _first_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _first_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _first_model(arg)
        if found is not None:
            return found
    return None
