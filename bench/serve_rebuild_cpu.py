"""`thg serve`'s rebuild after a one-record edit, in one process, in wall-clock and CPU seconds.

Usage: python bench/serve_rebuild_cpu.py [--edits 6]
CPU time is less disturbed than wall-clock time by other work on a shared machine. Runs MkDocs' dirty
build the way `thg serve` does, in one process, after editing one paper's summary; even-numbered edits
clear the compiled-template caches first (thg.site.generate.COMPILED and THEME_COMPILED), as every rebuild
did before they were kept, so the two are compared in the same run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from pathlib import Path

import yaml
from serve_speed import copy_repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=6)
    args = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from thg.site import generate

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_repo(Path(tmp) / "real")
        site = Path(tmp) / "site"

        def build(dirty: bool) -> tuple[float, float]:
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=False)
            wall, cpu = time.perf_counter(), time.process_time()
            mkdocs_build.build(config, dirty=dirty)
            return time.perf_counter() - wall, time.process_time() - cpu

        build(False)
        records = sorted((root / "papers").glob("*.yaml"))
        record = records[len(records) // 2]
        original = yaml.safe_load(record.read_text(encoding="utf-8"))
        for edit in range(args.edits):
            data = dict(original, summary=f"Benchmark edit {edit}. " + " ".join(original["summary"].split()))
            record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            cleared = edit % 2 == 0
            if cleared:
                generate.COMPILED.code.clear()
                generate.THEME_COMPILED.code.clear()
            wall, cpu = build(True)
            print(json.dumps({"templates": "compiled again" if cleared else "kept", "wall_s": round(wall, 2),
                              "cpu_s": round(cpu, 2), "load_average": round(os.getloadavg()[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
