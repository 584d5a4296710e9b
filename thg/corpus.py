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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from thg.errors import Problem
from thg.loader import PathPart, RawFile, read_yaml
from thg.models import FOLDERS, ID_PATTERN, KINDS, Dataset, EvalProtocol, Loss, Metric, Paper, Record
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

    def of_kind(self, kind: str) -> dict[str, Any]:
        table: dict[str, Any] = getattr(self, FOLDERS[kind])
        return table

    def where(self, kind: str, record_id: str, at: list[PathPart]) -> tuple[Path, int]:
        raw = self.files[(kind, record_id)]
        return raw.path, raw.line_of(at)

    def problem(self, kind: str, record_id: str, at: list[PathPart], message: str, expected: str = "") -> Problem:
        path, line = self.where(kind, record_id, at)
        return Problem(path, line, _dotted(at), message, expected)


@dataclass
class LoadResult:
    corpus: Corpus | None
    problems: list[Problem]


def record_files(root: Path, kind: str) -> Iterator[tuple[str, str]]:
    """(file name, full path) of each record file of a kind, sorted; plain strings because pathlib is slow."""
    folder = os.path.join(root, FOLDERS[kind])
    if not os.path.isdir(folder):
        return
    with os.scandir(folder) as entries:
        found = sorted((e.name, e.path) for e in entries
                       if e.name.endswith((".yaml", ".yml")) and e.is_file())
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
    for kind in KINDS:
        table = corpus.of_kind(kind)
        folder = FOLDERS[kind]
        for name, full in record_files(root, kind):
            shown = Path(folder, name)
            stem = name.rsplit(".", 1)[0]
            if name.endswith(".yml"):
                problems.append(Problem(shown, 1, "", "record files end in .yaml", f"rename it to {stem}.yaml"))
                continue
            record, raw, found = _read_record(full, shown, kind)
            problems.extend(found)
            if record is None:
                continue
            if record.id != stem:
                problems.append(Problem(shown, raw.line_of(["id"]), "id",
                                        f"id {record.id!r} does not match the file name {name!r}",
                                        f"write id: {stem}, or rename the file to {record.id}.yaml"))
                continue
            table[record.id] = record
            corpus.files[(kind, record.id)] = raw
    return LoadResult(corpus, problems)


def _read_record(full: Path | str, shown: Path, kind: str) -> tuple[Record | None, RawFile, list[Problem]]:
    raw = read_yaml(full, shown)
    if raw.data is None:
        return None, raw, list(raw.problems)
    try:
        return KINDS[kind].model_validate(raw.data), raw, list(raw.problems)
    except ValidationError as exc:
        return None, raw, [*raw.problems, *_explain(exc, raw, kind)]


def load_record(path: Path, kind: str) -> tuple[Record | None, list[Problem]]:
    """One record file on its own (e.g. `thg eval --protocol FILE`), with the validator's messages."""
    record, _raw, problems = _read_record(path, path, kind)
    return record, problems


def _dotted(where: list[PathPart] | tuple[PathPart, ...]) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


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
    """Turn pydantic's errors into located, contributor-friendly problems."""
    model = KINDS[kind]
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
        kind_of_error = error["type"]
        value = error.get("input")
        field_name = _dotted(loc)
        expected = _expected_for(loc, kind)
        if kind_of_error == "missing":
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
        elif kind_of_error == "string_pattern_mismatch":
            message = f"{value!r} is not in the accepted form"
            line = raw.line_of(list(loc))
            lowered = re.sub(r"[\s_]+", "-", value.strip().lower()) if isinstance(value, str) else ""
            if expected.startswith(("a record id", "lowercase")) and re.match(ID_PATTERN, lowered):
                expected = f"ids are lowercase with hyphens: write {lowered}"
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
            line = raw.line_of(list(loc)) if loc else 1
            field_name = field_name or "(record)"
        else:
            message = error["msg"][0].lower() + error["msg"][1:]
            line = raw.line_of(list(loc))
        problems.append(Problem(raw.path, line, field_name, message, expected))
    return problems


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
