"""Explorer speed in headless Chromium: time to first rendered rows, to live filters, and per keystroke.

Targets (issue 18): at 100,000 papers, first rows <= 300 ms, filters live <= 1.5 s, filter keystroke
median <= 50 ms. Usage: python bench/explorer_speed.py [--synthetic 10000]
Builds the site (real corpus, or a synthetic one) into a temporary folder and serves it locally;
`bench/scale.py` calls `figures` on the site it has just built.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("THG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LOADS = 5
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
TEXT_READY = "() => { const d = document.getElementById('thg-explorer').dataset; return d.text === undefined || d.text === '1'; }"
"""The sharded explorer says data-text="1" once every row's text is loaded; a single-file explorer has no data-text."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def index_files(site: Path) -> list[Path]:
    """The explorer's index: papers.json (one file), or its shards."""
    single = site / "assets" / "thg" / "papers.json"
    return [single] if single.is_file() else sorted((site / "assets" / "thg" / "explorer").glob("*.json"))


def figures(site: Path) -> dict[str, float]:
    """Medians over five page loads of the built site's explorer, measured from navigation start:
    first contentful paint (the pre-rendered rows), the moment the filters work, the moment every row's
    text is searchable, and the time a filter keystroke takes once the page has settled."""
    from playwright.sync_api import sync_playwright

    files = index_files(site)
    paints, lives, texts, keys = [], [], [], []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(LOADS):
            page = browser.new_page()
            page.goto(base + "explorer/")
            page.wait_for_selector("#thg-explorer[data-ready='1']", timeout=120_000)
            lives.append(page.evaluate("performance.getEntriesByName('thg-explorer-ready')[0].startTime"))
            paints.append(page.evaluate(
                "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint').startTime"))
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # let the theme's search worker finish indexing, as a reader would
            # A reader's first keystroke asks for every row's text (loaded on demand when sharded): wait for it,
            # then time the keystrokes.
            page.fill("#f-q", "d")
            page.wait_for_function(TEXT_READY, timeout=120_000)
            texts.append(page.evaluate("(performance.getEntriesByName('thg-explorer-text')[0] || "
                                       "performance.getEntriesByName('thg-explorer-ready')[0]).startTime"))
            page.fill("#f-q", "")
            page.wait_for_timeout(300)
            keys.extend(page.evaluate(KEYSTROKE))
            page.close()
        browser.close()
    return {
        "explorer_index_bytes": sum(f.stat().st_size for f in files),
        "explorer_index_gzip": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files),
        "explorer_index_files": len(files),
        "explorer_first_rows_ms": statistics.median(paints),
        "explorer_live_ms": statistics.median(lives),
        "explorer_text_ms": statistics.median(texts),
        "explorer_key_median_ms": statistics.median(keys),
        "explorer_key_max_ms": max(keys),
    }


def describe(label: str, f: dict[str, float]) -> str:
    return (f"{label}: index {f['explorer_index_bytes'] / 1024:,.0f} KB in {f['explorer_index_files']:.0f} file(s) "
            f"({f['explorer_index_gzip'] / 1024:,.0f} KB gzip); first rows painted at {f['explorer_first_rows_ms']:.0f} ms "
            f"(pre-rendered), filters live at {f['explorer_live_ms']:.0f} ms (medians of {LOADS} loads from navigation "
            f"start); filter keystroke median {f['explorer_key_median_ms']:.1f} ms, max {f['explorer_key_max_ms']:.1f} ms")


def measure(root: Path, label: str) -> None:
    from thg.cli import main as thg

    site = root / "site-bench"
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    assert thg(["--root", str(root), "build", "--site-dir", str(site)]) == 0
    print(describe(label, figures(site)))


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
