"""`thg validate` against the C-loader parse floor, in instructions executed (valgrind), not seconds.

On a shared machine wall-clock and even CPU-time ratios move by a quarter from run to run with other
people's load (bench/validate_speed.py prints both); the number of instructions does not. Each side runs
once and twice in its own process under `valgrind --tool=cachegrind`; the difference is one warm run.

Usage: python bench/validate_instructions.py [N] [--thg CHECKOUT]
  N: generated records (default 1000; valgrind runs about 40 times slower than the machine)
  --thg: measure the `thg` package of another checkout (e.g. an export of main), to compare.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

CHILD = """
import sys, yaml
from pathlib import Path
from thg.validate import validate
root, mode, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def parse_only():
    for folder in ("papers", "datasets", "metrics", "losses"):
        for path in sorted((root / folder).glob("*.yaml")):
            yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
for _ in range(runs):
    parse_only() if mode == "parse" else validate(root)
"""


def instructions(root: Path, mode: str, runs: int, thg_path: Path | None) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if thg_path is not None:
        env["PYTHONPATH"] = str(thg_path)
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, "-P", "-c", CHILD, str(root), mode, str(runs)],
                          capture_output=True, text=True, env=env, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--thg", type=Path, help="checkout whose thg package to measure")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "corpus", args.n)
        count = sum(1 for folder in ("papers", "datasets", "metrics", "losses") for _ in (root / folder).glob("*.yaml"))
        once = {mode: instructions(root, mode, 1, args.thg) for mode in ("parse", "validate")}
        twice = {mode: instructions(root, mode, 2, args.thg) for mode in ("parse", "validate")}
    parse, check = twice["parse"] - once["parse"], twice["validate"] - once["validate"]
    print(f"records: {count}")
    print(f"parse only (C loader): {parse / 1e6:,.0f} M instructions ({parse / count / 1e3:,.0f} k/record)")
    print(f"thg validate (warm):   {check / 1e6:,.0f} M instructions ({check / count / 1e3:,.0f} k/record)")
    print(f"ratio: {check / parse:.3f}x (target <= 1.25x)")
    print(f"first validate in a process, beyond the parse: {(once['validate'] - once['parse']) / 1e6:,.0f} M "
          "instructions (imports, vocabularies, lookalike table)")


if __name__ == "__main__":
    main()
