"""Theme files no reader ever fetches, removed from the built site (issue 18: the site must fit the host's 1 GB).

Material ships source maps of its bundle and search worker (1.2 MB, read only by a browser's developer tools)
and lunr's stemmers and word segmenters for 30-odd languages (0.9 MB), of which its search worker imports only
those of the languages the site's search is configured for: `lunr.<lang>.min.js` for each language but
English, `tinyseg.js` for Japanese, `wordcut.js` for Hindi and Thai, `lunr.multi.min.js` for several
languages, and `lunr.stemmer.support.min.js` whenever any of these is needed
(material/templates/assets/javascripts/workers/search.*.min.js). The languages are read from the search
index the build just wrote, as the worker reads them; without one, nothing under lunr/ is touched.
"""

from __future__ import annotations

import json
from pathlib import Path

SCRIPTS = "assets/javascripts"


def lunr_files_needed(languages: list[str]) -> set[str]:
    """Paths under assets/javascripts/lunr/ that Material's search worker imports for these languages."""
    needed: set[str] = set()
    for lang in languages:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def prune_theme_files(site: Path) -> list[Path]:
    """Delete the source maps, and the lunr files the configured search languages do not use; returns what went."""
    removed = sorted((site / SCRIPTS).rglob("*.map"))
    index = site / "search" / "search_index.json"
    lunr = site / SCRIPTS / "lunr"
    if index.is_file() and lunr.is_dir():
        languages = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang") or ["en"]
        keep = lunr_files_needed(list(languages))
        removed += [p for p in sorted(lunr.rglob("*")) if p.is_file() and p.relative_to(lunr).as_posix() not in keep]
    for path in removed:
        path.unlink()
    return removed
