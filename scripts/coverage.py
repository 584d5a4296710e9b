"""Coverage of the candidate backlog: taken (a record exists), excluded (with reason), still to do.

Usage: python scripts/coverage.py [--candidates ../shared/sources/candidates.tsv] [--list todo]
Matches a candidate to a record by arXiv id, else by normalised title; exclusions come from
papers/EXCLUDED.md (a Markdown table whose first two columns are the candidate line and arXiv id).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def norm(title: str) -> str:
    return re.sub(r"[\W_]+", "", title.casefold())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=Path, default=ROOT.parent / "shared" / "sources" / "candidates.tsv")
    parser.add_argument("--list", choices=["taken", "excluded", "todo"], help="print the rows of one group")
    args = parser.parse_args()
    if not args.candidates.is_file():
        print(f"no candidate list at {args.candidates}", file=sys.stderr)
        return 2
    arxiv_ids, titles = set(), set()
    for path in (ROOT / "papers").glob("*.yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        if data.get("arxiv"):
            arxiv_ids.add(str(data["arxiv"]))
        if data.get("title"):
            titles.add(norm(str(data["title"])))
    excluded: dict[int, str] = {}
    excluded_file = ROOT / "papers" / "EXCLUDED.md"
    if excluded_file.is_file():
        for line in excluded_file.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and cells[0].isdigit():
                excluded[int(cells[0])] = f"{cells[3]}: {cells[4]}"
    groups: dict[str, list[str]] = {"taken": [], "excluded": [], "todo": []}
    with args.candidates.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            label = f"{number}\t{row['arxiv'] or '-'}\t{row['title']}"
            if (row["arxiv"] and row["arxiv"] in arxiv_ids) or norm(row["title"]) in titles:
                groups["taken"].append(label)
            elif number in excluded and excluded[number].startswith("excluded"):
                groups["excluded"].append(f"{label}\t{excluded[number]}")
            elif number in excluded:
                groups["todo"].append(f"{label}\t{excluded[number]}")
            else:
                groups["todo"].append(label)
    total = sum(len(v) for v in groups.values())
    for name, rows in groups.items():
        print(f"{name:<9} {len(rows):>5}  ({100 * len(rows) / total:.0f}%)")
    if args.list:
        print("\n".join(groups[args.list]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
