"""Which search the site ships, and the Pagefind step.

Material's built-in search sends its whole index to every visitor (measured here: about 2 MB at
1,000 pages, growing linearly). Up to `PAGEFIND_THRESHOLD` papers it covers every page. Above it,
record pages are indexed by Pagefind instead, whose chunked index lets a query fetch only small
pieces; Material's search then covers the hand-written and index pages only. `THG_SEARCH`
(material | pagefind | auto) overrides the choice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from markupsafe import escape

PAGEFIND_THRESHOLD = 2000


def search_mode(paper_count: int) -> str:
    forced = os.environ.get("THG_SEARCH", "auto")
    if forced in ("material", "pagefind"):
        return forced
    return "pagefind" if paper_count > PAGEFIND_THRESHOLD else "material"


def run_pagefind(site: Path) -> None:
    """Index the built site into site/pagefind (the binary ships in the pagefind[bin] wheel)."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True)


_LETTERS = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
                          "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th",
                          "ı": "i", "ħ": "h", "Ħ": "h"})
"""Letters Unicode does not decompose, spelled the way people type them (as filter.js does in the browser)."""
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_TAG = re.compile(r"<[^>]*>")


def fold(text: str) -> str:
    """Lower case without accents: "Nießner" -> "niessner", "Öztürk" -> "ozturk"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def plain_spellings(text: str) -> list[str]:
    """The spellings a reader types for the words of a passage that Material's search would miss: accented
    words without accents, and hyphenated names written together ("IP-LAP" -> "iplap")."""
    extra: dict[str, None] = {}
    for word in _WORD.findall(_TAG.sub(" ", text)):
        folded = fold(word)
        if folded != word.lower():
            extra.update(dict.fromkeys(p for p in folded.split("-") if p))
        if "-" in word:
            extra[folded.replace("-", "")] = None
    return list(extra)


def add_plain_spellings(site: Path) -> None:
    """Material's search matches words as they are written, so "niessner" misses Nießner. Add each passage's
    plain spellings to it, in a hidden span: indexed by the search, never shown in its results."""
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        extra = plain_spellings(f"{doc.get('title', '')} {doc.get('text', '')}")
        if extra:
            doc["text"] = f'{doc.get("text", "")} <span hidden>{escape(" ".join(extra))}</span>'
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
