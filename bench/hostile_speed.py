"""`thg validate` on every hostile input, each in its own process: the time, and how the process ended.

Target (issue 15): no input under the size cap takes more than 2 s to validate, and none crashes.
Each case of tests/hostile_inputs.py is planted in a copy of the real corpus (what a pull request to the
repository costs; --tree mini for the fixture tree alone), plus inputs that fill the size cap in the
costliest ways found (thousands of problems, anchor lookalikes, deep indentation). A child process
validates the tree and prints its time, so a segfault (exit -11, 139 in a shell) is reported as such.
The first row is the tree with nothing planted.

Usage: python bench/hostile_speed.py [--tree real|mini] [--thg CHECKOUT]
  --thg: validate with the `thg` package of another checkout (e.g. an export of main), to compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import make_tree
from hostile_inputs import SUMMARY, TAGS, Hostile, cases

BOUND_SECONDS = 2.0
CAP = 256 * 1024
CHILD = """
import sys, time
from pathlib import Path
from thg.validate import validate
start = time.perf_counter()
problems = validate(Path(sys.argv[1])).problems
print(f"{time.perf_counter() - start:.3f} {len(problems)}")
"""


def at_cap(head: str, line: str, tail: str = "") -> str:
    """`head`, then `line` (formatted with its number) repeated while the file stays under the size cap."""
    parts, size, number = [head], len(head) + len(tail), 0
    while True:
        next_line = line.format(number)
        if size + len(next_line.encode("utf-8")) >= CAP - 64:
            break
        parts.append(next_line)
        size += len(next_line.encode("utf-8"))
        number += 1
    return "".join(parts) + tail


def _head(record_id: str) -> str:
    return (f"id: {record_id}\ntitle: A Distinct Title For {record_id}\nauthors: [Test Author]\nyear: 2022\n"
            f"venue: arXiv\ntype: preprint\narxiv: \"2201.99999\"\ntags: {TAGS}\nsummary: {SUMMARY}\n")


def cap_cases() -> list[Hostile]:
    """Inputs just under the size cap that make the validator work hardest."""
    rows = (_head("cap-rows") + "datasets: [set-one]\nresults:\n  - id: main\n    table: T\n"
            "    source: https://example.org/t\n    dataset: set-one\n    protocol: {setting: s}\n    rows:\n")
    return [
        Hostile("cap-unknown-metrics", "500 rows naming 20,000 unknown metrics, the most the bounds and the cap "
                "allow (20 hints, then none)",
                {"papers/cap-rows.yaml": rows + "".join(
                    f"      - {{method: m{i}, values: {{" + ", ".join(f"u{i}x{j}: 1" for j in range(40)) + "}}\n"
                    for i in range(500))}),
        Hostile("cap-unknown-ids", "500 rows whose methods look like record ids no paper has",
                {"papers/cap-methods.yaml": rows.replace("cap-rows", "cap-methods") + "".join(
                    f"      - {{method: no-such-paper-{i}, values: {{score-up: 0.5}}}}\n" for i in range(500))}),
        Hostile("cap-anchor-lookalikes", "text full of ' &x' and ' *y' that look like anchors but are quoted",
                {"papers/cap-anchors.yaml": at_cap(_head("cap-anchors") + "notes: >-\n",
                                                   "  \"Q &A{0} and 5 *x{0}\" words\n")}),
        Hostile("cap-long-strings", "free-text fields at their length limits",
                {"papers/cap-strings.yaml": _head("cap-strings")
                 + "aliases: [" + ", ".join(["\"" + "x" * 400 + "\""] * 20) + "]\n"
                 + "notes: \"" + "y " * 1999 + "\"\n"}),
    ]


def _indent_case() -> Hostile:
    lines, size, depth = ["id: cap-indent\nnotes:\n"], 0, 1
    while size < CAP - 2000:
        line = " " * depth + "k:\n"
        lines.append(line)
        size += len(line)
        depth += 1
    return Hostile("cap-deep-indentation", "a mapping nested by indentation as deep as the size cap allows",
                   {"papers/cap-indent.yaml": "".join(lines) + " " * depth + "v\n"})


REPO = Path(__file__).resolve().parent.parent


def real_tree(target: Path) -> Path:
    """A copy of the repository's records and vocabularies."""
    make_tree(target)
    for folder in ("papers", "datasets", "metrics", "losses"):
        shutil.rmtree(target / folder)
        shutil.copytree(REPO / folder, target / folder)
    return target


def run(case: Hostile, thg_path: Path | None, tree_kind: str) -> tuple[str, float | None, int]:
    with tempfile.TemporaryDirectory(prefix="thg-hostile-") as folder:
        tree = real_tree(Path(folder) / "tree") if tree_kind == "real" else make_tree(Path(folder) / "tree")
        for rel, content in case.files.items():
            (tree / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for rel, target in case.symlinks.items():
            os.symlink(target, tree / rel)
        env = dict(os.environ)
        if thg_path is not None:
            env["PYTHONPATH"] = str(thg_path)
        try:
            child = subprocess.run([sys.executable, "-P", "-c", CHILD, str(tree)], capture_output=True, text=True,
                                   timeout=120, env=env, check=False)
        except subprocess.TimeoutExpired:
            return "timed out after 120 s", None, 0
        if child.returncode != 0:
            last = (child.stderr.strip().splitlines() or [""])[-1][:60]
            status = f"exit {child.returncode}" + (" (segfault)" if child.returncode == -11 else f": {last}")
            return status, None, 0
        seconds, problems = child.stdout.split()
        return "ok", float(seconds), int(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--thg", type=Path, help="checkout whose thg package to validate with")
    parser.add_argument("--tree", choices=["real", "mini"], default="real", help="where to plant the inputs")
    args = parser.parse_args()
    all_cases = [Hostile("(nothing planted)", "the tree as it is", {}), *cases(), *cap_cases(), _indent_case()]
    print(f"tree: {args.tree}; thg from {args.thg or REPO}")
    print(f"{'input':<32} {'size':>9} {'status':<28} {'validate':>9} {'problems':>8}")
    worst: tuple[float, str] = (0.0, "")
    failed = []
    for case in all_cases:
        size = sum(len(c if isinstance(c, bytes) else c.encode("utf-8")) for c in case.files.values())
        status, seconds, problems = run(case, args.thg, args.tree)
        shown = f"{seconds:.3f} s" if seconds is not None else "-"
        print(f"{case.name:<32} {size:>8,}B {status:<28} {shown:>9} {problems:>8}")
        if seconds is None or seconds > BOUND_SECONDS or size >= CAP:
            failed.append(case.name)
        elif seconds > worst[0]:
            worst = (seconds, case.name)
    print(f"worst validate time: {worst[0]:.3f} s ({worst[1]}); bound {BOUND_SECONDS:.0f} s")
    print("all inputs within the bound" if not failed else f"over the bound, crashed or over the cap: {', '.join(failed)}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
