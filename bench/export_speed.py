"""Exporting the whole corpus in each citation format (target, issue 6: under a second each).

Usage: python bench/export_speed.py [--synthetic N]
Reports the time to export the real corpus (and optionally a synthetic one of N papers), excluding
the load/validate step, which bench/validate_speed.py measures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

from thg.export import FORMATS
from thg.index import build_index
from thg.validate import load_valid

REPO = Path(__file__).resolve().parent.parent


def measure(root: Path, label: str) -> None:
    index = build_index(load_valid(root))
    papers = [index.corpus.papers[i] for i in index.ordered]
    for name, (writer, _suffix) in FORMATS.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            writer(papers, index.bibkeys, index.corpus.taxonomy)
            times.append(time.perf_counter() - start)
        print(f"{label}: {len(papers)} papers, {name:<8} {statistics.median(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    measure(REPO, "real corpus")
    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            measure(make_corpus(Path(tmp) / "c", args.synthetic), "synthetic")


if __name__ == "__main__":
    main()
