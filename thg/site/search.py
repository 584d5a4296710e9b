"""Which search the site ships, and the Pagefind step.

Material's built-in search sends its whole index to every visitor (measured here: about 2 MB at
1,000 pages, growing linearly). Up to `PAGEFIND_THRESHOLD` papers it covers every page. Above it,
record pages are indexed by Pagefind instead, whose chunked index lets a query fetch only small
pieces; Material's search then covers the hand-written and index pages only. `THG_SEARCH`
(material | pagefind | auto) overrides the choice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PAGEFIND_THRESHOLD = 2000


def search_mode(paper_count: int) -> str:
    forced = os.environ.get("THG_SEARCH", "auto")
    if forced in ("material", "pagefind"):
        return forced
    return "pagefind" if paper_count > PAGEFIND_THRESHOLD else "material"


def run_pagefind(site: Path) -> None:
    """Index the built site into site/pagefind (the binary ships in the pagefind[bin] wheel)."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True)
