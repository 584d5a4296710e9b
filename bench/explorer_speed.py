"""Explorer speed in headless Chromium: time to first rendered rows and per-keystroke filtering.

Targets (issue 5): real corpus first render < 300 ms and a filter keystroke < 50 ms; 10,000 papers
< 1 s and < 100 ms. Usage: python bench/explorer_speed.py [--synthetic 10000]
Builds the site (real corpus, or a synthetic one) into a temporary folder and serves it locally.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

from thg.cli import main as thg

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("THG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
KEYSTROKE = """() => {
  const input = document.getElementById('f-q');
  const times = [];
  for (const text of ['d', 'di', 'dif', 'diff', 'diffu', 'diffus', 'diffusi', 'diffusio', 'diffusion', '']) {
    const start = performance.now();
    input.value = text;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    document.getElementById('thg-rows').offsetHeight;  // force layout of the new rows
    times.push(performance.now() - start);
  }
  return times;
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(root: Path, label: str) -> None:
    from playwright.sync_api import sync_playwright

    site = root / "site-bench"
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    assert thg(["--root", str(root), "build", "--site-dir", str(site)]) == 0
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/explorer/"
    index_bytes = (site / "assets" / "thg" / "papers.json").stat().st_size
    paints, firsts, keys = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(5):
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("#thg-explorer[data-ready='1']")
            firsts.append(page.evaluate("performance.getEntriesByName('thg-explorer-ready')[0].startTime"))
            paints.append(page.evaluate(
                "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint').startTime"))
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # let the theme's search worker finish indexing, as a reader would
            keys.extend(page.evaluate(KEYSTROKE))
            page.close()
        browser.close()
    server.shutdown()
    print(f"{label}: papers.json {index_bytes / 1024:.0f} KB; first rows painted at {statistics.median(paints):.0f} ms "
          f"(pre-rendered), filters live at {statistics.median(firsts):.0f} ms (medians of 5 loads from navigation "
          f"start); filter keystroke median {statistics.median(keys):.1f} ms, max {max(keys):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            measure(make_corpus(Path(tmp) / "c", args.synthetic), f"synthetic {args.synthetic}")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            import shutil

            root = Path(tmp) / "real"
            shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "site", ".git", ".scratch", "tests"))
            config = (root / "mkdocs.yml").read_text(encoding="utf-8")
            (root / "mkdocs.yml").write_text(config.replace("  - thg/site/hooks.py",
                                                            f"  - {REPO / 'thg/site/hooks.py'}"), encoding="utf-8")
            measure(root, "real corpus")


if __name__ == "__main__":
    main()
