"""Cold `thg validate` against merely parsing the same files with PyYAML's C loader, in one run.

Target (issue 2): validate <= 1.25x the parse floor on 10,000 generated records.
Usage: python bench/validate_speed.py [N] [RUNS]

Both sides are timed in wall-clock time and in CPU time (user + system) of this process, interleaved, and
the medians compared. On a shared machine the wall-clock ratio moves with other people's load; the CPU-time
ratio is the stable one.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

from thg.validate import validate


def parse_only(root: Path) -> int:
    count = 0
    for folder in ("papers", "datasets", "metrics", "losses"):
        for path in sorted((root / folder).glob("*.yaml")):
            yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
            count += 1
    return count


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "corpus", n)
        parse_only(root)  # warm the page cache so both sides read from memory
        validate(root)
        floors, checks, floors_cpu, checks_cpu = [], [], [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            count = parse_only(root)
            floors.append(time.perf_counter() - wall)
            floors_cpu.append(time.process_time() - cpu)
            wall, cpu = time.perf_counter(), time.process_time()
            result = validate(root)
            checks.append(time.perf_counter() - wall)
            checks_cpu.append(time.process_time() - cpu)
            assert result.ok, result.problems[:5]
        for label, floor, run in (("wall clock", statistics.median(floors), statistics.median(checks)),
                                  ("CPU time", statistics.median(floors_cpu), statistics.median(checks_cpu))):
            print(f"{label}: {count} records, medians of {runs}")
            print(f"  parse only (C loader): {floor:.3f} s  ({1000 * floor / count:.3f} ms/record)")
            print(f"  thg validate:          {run:.3f} s  ({1000 * run / count:.3f} ms/record)")
            print(f"  ratio: {run / floor:.2f}x (target <= 1.25x)")


if __name__ == "__main__":
    main()
