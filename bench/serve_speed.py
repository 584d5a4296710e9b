"""`thg serve` after a one-record edit: how long until the edited page is served, at the real corpus.

Target (issue 18): at most 1 s. Usage: python bench/serve_speed.py [--edits 5]
Copies the repository's records to a temporary folder, starts `thg serve` there, then edits one paper's
summary several times. For each edit it reports the rebuild (from MkDocs' "Detected file changes" to
"Reloading browsers") and the whole wait a reader has (from saving the file to the server returning the
new page, which adds the file watcher's polling).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def copy_repo(target: Path) -> Path:
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".venv", "site", ".git", ".scratch", "tests", "bench"))
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(config.replace("  - thg/site/hooks.py", f"  - {REPO / 'thg/site/hooks.py'}"),
                                       encoding="utf-8")
    return target


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_repo(Path(tmp) / "real")
        record = sorted((root / "papers").glob("*.yaml"))[len(list((root / "papers").glob("*.yaml"))) // 2]
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "thg", "--root", str(root), "serve", "--addr", f"127.0.0.1:{port}"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        lines: queue.Queue[tuple[float, str]] = queue.Queue()

        def read() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                lines.put((time.perf_counter(), line.rstrip()))

        threading.Thread(target=read, daemon=True).start()

        def wait_for(text: str, timeout: float = 600) -> float:
            end = time.perf_counter() + timeout
            while time.perf_counter() < end:
                try:
                    stamp, line = lines.get(timeout=1)
                except queue.Empty:
                    continue
                if text in line:
                    return stamp
                if "ERROR" in line or "Traceback" in line:
                    print(line, file=sys.stderr)
            raise SystemExit(f"thg serve never said {text!r}")

        try:
            wait_for("Serving on")
            url = f"http://127.0.0.1:{port}/papers/{record.stem}/"
            assert fetch(url), url
            rebuilds, waits = [], []
            original = ""
            for edit in range(1, args.edits + 1):
                time.sleep(1.5)  # let the watcher settle between edits
                data = yaml.safe_load(record.read_text(encoding="utf-8"))
                marker = f"Benchmark edit {edit}."
                original = original if edit > 1 else " ".join(data["summary"].split())
                data["summary"] = original + " " + marker  # one marker at a time: summaries have a length cap
                saved = time.perf_counter()
                record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
                detected = wait_for("Detected file changes")
                reloaded = wait_for("Reloading browsers")
                while marker not in fetch(url):
                    time.sleep(0.01)
                served = time.perf_counter()
                rebuilds.append(reloaded - detected)
                waits.append(served - saved)
                print(f"edit {edit}: rebuild {reloaded - detected:.2f} s, saved to served {served - saved:.2f} s")
            print(f"real corpus ({len(list((root / 'papers').glob('*.yaml')))} papers): rebuild median "
                  f"{statistics.median(rebuilds):.2f} s, saved to served median {statistics.median(waits):.2f} s "
                  f"(max {max(waits):.2f} s)")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
