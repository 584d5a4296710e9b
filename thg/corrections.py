"""The public corrections log: numbers in results tables that changed after they first appeared.

Two sources, shown together: the `corrections` notes a record carries (what changed and why, written by
the person who changed it), and the git history of the paper records, read offline with `git`. A
checkout without history (a source archive) simply has no history entries.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from thg.corpus import Corpus
from thg.models import FOLDERS

_FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Cell = tuple[str, str, str, int, str]
"""(table id, method, note, occurrence of that (method, note) pair in the table, metric key)."""


@dataclass(frozen=True)
class CorrectionEntry:
    date: dt.date
    paper: str
    table_id: str
    table: str
    change: str
    reason: str
    origin: str
    """'note' (a corrections note in the record) or the short commit hash the change came in."""
    source: str | None = None


def note_entries(corpus: Corpus) -> list[CorrectionEntry]:
    entries = []
    for paper in corpus.papers.values():
        for table in paper.results:
            for note in table.corrections:
                entries.append(CorrectionEntry(note.date, paper.id, table.id, table.table, note.change, note.reason,
                                               "note", note.source))
    return entries


def _cells(data: Any) -> dict[_Cell, str]:
    """Every printed number of a record's results, keyed so the same cell can be found in another version."""
    cells: dict[_Cell, str] = {}
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return cells
    for table in data["results"]:
        if not isinstance(table, dict) or not isinstance(table.get("rows"), list):
            continue
        seen: dict[tuple[str, str], int] = {}
        for row in table["rows"]:
            if not isinstance(row, dict) or not isinstance(row.get("values"), dict):
                continue
            who = (str(row.get("method")), str(row.get("note") or ""))
            occurrence = seen.get(who, 0)
            seen[who] = occurrence + 1
            for key, value in row["values"].items():
                if value is not None:
                    cells[(str(table.get("id")), who[0], who[1], occurrence, str(key))] = str(value)
    return cells


def _labels(data: Any) -> dict[str, str]:
    tables = data.get("results") if isinstance(data, dict) else None
    return {str(t.get("id")): str(t.get("table")) for t in tables or [] if isinstance(t, dict)}


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False,
                              timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of `<commit>:<path>` objects, all read by one `git cat-file --batch` process."""
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{spec}\n" for spec in specs).encode("utf-8"))
    if out is None:
        return [None] * len(specs)
    contents: list[bytes | None] = []
    position = 0
    for _spec in specs:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(out[position:position + size])
        position += size + 1
    return contents


def history_entries(corpus: Corpus) -> list[CorrectionEntry]:
    """Changed numbers, found by comparing each committed version of every paper record that has results.

    Two `git` processes in all: one log over every such record, one `cat-file --batch` for their versions.
    A record renamed in the past has its history from the rename on.
    """
    root = corpus.root
    paths = [f"{FOLDERS['paper']}/{pid}.yaml" for pid, paper in corpus.papers.items() if paper.results]
    if not paths or _git(root, "rev-parse", "--git-dir") is None:
        return []  # nothing to compare, or not a git checkout
    prefix = (_git(root, "rev-parse", "--show-prefix") or b"").decode("utf-8").strip()
    log = _git(root, "log", "--no-merges", "--format=%x00%H%x09%as%x09%s", "--name-only", "--", *paths)
    if not log:
        return []
    versions: dict[str, list[tuple[str, str, str]]] = {}
    for commit, date, subject, names in _commits(log.decode("utf-8", "replace")):
        for name in names:
            versions.setdefault(name, []).append((commit, date, subject))
    specs = [(name, commit, date, subject) for name, found in versions.items() for commit, date, subject in reversed(found)]
    blobs = _blobs(root, [f"{commit}:{name}" for name, commit, _date, _subject in specs])
    entries: list[CorrectionEntry] = []
    previous: dict[str, dict[_Cell, str]] = {}
    for (name, commit, date, subject), blob in zip(specs, blobs, strict=True):
        if blob is None:
            continue
        try:
            data = yaml.load(blob.decode("utf-8"), Loader=_FAST)
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # a broken intermediate version is not a correction
        cells = _cells(data)
        labels = _labels(data)
        before = previous.get(name)
        pid = Path(name[len(prefix):] if name.startswith(prefix) else name).stem
        for cell, old in (before or {}).items():
            new = cells.get(cell)
            if new is not None and _differs(old, new):
                table_id, method, note, _occurrence, key = cell
                who = f"{method} ({note})" if note else method
                entries.append(CorrectionEntry(dt.date.fromisoformat(date), pid, table_id, labels.get(table_id, table_id),
                                               f"{key} of {who}: {old} -> {new}", subject, commit[:10]))
        previous[name] = cells
    return entries


def _commits(log: str) -> list[tuple[str, str, str, list[str]]]:
    """(commit, date, subject, paths changed) from `git log --format=%x00... --name-only`, newest first."""
    found = []
    for block in log.split("\x00")[1:]:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        parts = lines[0].split("\t", 2)
        if len(parts) == 3:
            found.append((parts[0], parts[1], parts[2], lines[1:]))
    return found


def _differs(old: str, new: str) -> bool:
    """'0.80' and '0.8' are the same number written two ways; only a changed number is a correction."""
    try:
        return float(old) != float(new)
    except ValueError:
        return old != new


def corrections_log(corpus: Corpus) -> list[CorrectionEntry]:
    """Notes and history together, newest first."""
    entries = note_entries(corpus) + history_entries(corpus)
    entries.sort(key=lambda e: (e.date, e.paper, e.table_id, e.change), reverse=True)
    return entries
