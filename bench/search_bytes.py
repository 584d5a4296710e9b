"""Bytes one search query really transfers (Pagefind mode), measured in headless Chromium.

Usage: python bench/search_bytes.py [N]  (builds a synthetic site of N papers, default 10,000)
Counts every response the browser receives after the search page has loaded (gzip as served by a
compressing server is approximated by gzipping each response body; Pagefind's own files are
already compressed), for a few typical queries.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_corpus

from thg.cli import main as thg

CHROMIUM = os.environ.get("THG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
QUERIES = ["diffusion", "Author 123", "Synth42", "gaussian avatar"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", "THG_SEARCH": "pagefind"})
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "c", n)
        site = root / "site-bench"
        assert thg(["--root", str(root), "build", "--site-dir", str(site)]) == 0
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/search/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for query in QUERIES:
                page = browser.new_page()
                page.goto(base)
                page.wait_for_load_state("networkidle")
                sizes: list[int] = []
                page.on("response", lambda r, s=sizes: s.append(_size(r)))
                page.fill("#thg-pagefind input", query)
                page.wait_for_selector(".pagefind-ui__result", timeout=30_000)
                page.wait_for_load_state("networkidle")
                print(f"{n} papers, query {query!r}: {sum(sizes) / 1024:.0f} KB in {len(sizes)} requests")
                page.close()
            browser.close()
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _size(response: object) -> int:
    try:
        body = response.body()  # type: ignore[attr-defined]
    except Exception:
        return 0
    url: str = response.url  # type: ignore[attr-defined]
    return len(body) if url.endswith(("pagefind", ".pf_index", ".pf_fragment", ".pf_meta", ".pf_filter")) \
        else len(gzip.compress(body, 6))


if __name__ == "__main__":
    main()
