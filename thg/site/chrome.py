"""Theme chrome shared by record pages, so each paper page carries its own content and little else.

Material repeats its header (logo, palette switch, search box and their icons), tabs, navigation drawer,
footer and configuration on every page: about 20 KB of the 27 KB a paper page weighed, and at 100,000
papers the bulk of the site. Record pages (papers, terms, datasets, metrics, losses, protocols) are not in
the navigation, so those parts are the same for every record page in the same folder except for the page
title in the header (links are relative, and MkDocs writes a link to the folder itself as "../", so two
folders at the same depth differ). They are rendered once per folder (overrides/main.html through the
`thg_chrome` template global of thg.site.hooks) into one script per folder, such as
`assets/thg/chrome/papers.js` or `taxonomy-task.js`, which each record page loads like a stylesheet: the
script runs where the header belongs, before the rest of the page is parsed, and puts every part in its place (thg/assets/chrome.js), so the page a reader sees,
and the document Material's JavaScript finds, is the one Material would have written. The citation meta
tags, the title and the content stay in each page's own HTML for Google Scholar, Zotero and search engines.
`THG_SHARED_CHROME=0` turns the sharing off (every page whole, as Material writes it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

CHROME_DIR = "assets/thg/chrome"
PARTS = ("header", "tabs", "nav", "footer", "config")
"""Material's blocks a record page takes from the shared script, in page order."""
RUNTIME = Path(__file__).resolve().parent.parent / "assets" / "chrome.js"
_TOPIC = re.compile(r'(<div class="md-header__topic" data-md-component="header-topic">\s*<span class="md-ellipsis">)'
                    r"(.*?)(</span>)", re.S)
_BETWEEN_TAGS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)|>[ \t\r\n]*\n[ \t\r\n]*<", re.S)


class ChromeError(Exception):
    """The theme's markup is not what the sharing expects (a Material upgrade changed it)."""


def enabled() -> bool:
    return os.environ.get("THG_SHARED_CHROME", "1") != "0"


def chrome_path(folder: str) -> str:
    """The script of the record pages in `folder` (a page's URL without its last part: "taxonomy/task")."""
    return f"{CHROME_DIR}/{folder.strip('/').replace('/', '-') or 'root'}.js"


def squeeze(html: str) -> str:
    """Template indentation between tags folded to one line break. Rendering is unchanged: a run of white
    space between two tags that holds a line break shows as one space, or nothing, either way; text, attribute
    values and <pre> blocks (the BibTeX) are left exactly as they are."""
    return _BETWEEN_TAGS.sub(lambda m: m.group(1) or ">\n<", html)


class SharedChrome:
    """The parts rendered for one build: folder -> part -> HTML."""

    def __init__(self) -> None:
        self.parts: dict[str, dict[str, str]] = {}

    def get(self, part: str, folder: str) -> str | None:
        return self.parts.get(folder, {}).get(part)

    def put(self, part: str, folder: str, html: str) -> str:
        """Keep a part rendered for the first record page of this folder; the header loses that page's title
        (each page gives its own, thg/assets/chrome.js writes it in)."""
        if part not in PARTS:
            raise ChromeError(f"unknown chrome part {part!r}; expected one of {', '.join(PARTS)}")
        html = str(html)
        if part == "header":
            html, found = _TOPIC.subn(r"\1\3", html, count=1)
            if not found:
                raise ChromeError("Material's header has no data-md-component=\"header-topic\" title: update "
                                  "thg/site/chrome.py for the installed mkdocs-material, or set THG_SHARED_CHROME=0")
        self.parts.setdefault(folder, {})[part] = squeeze(html).strip()
        return ""

    def files(self) -> dict[str, str]:
        """The scripts to write: site path -> JavaScript (the runtime, then the folder's parts)."""
        runtime = RUNTIME.read_text(encoding="utf-8")
        out = {}
        for folder, parts in sorted(self.parts.items()):
            missing = [p for p in PARTS if p not in parts]
            if missing:
                raise ChromeError(f"the record pages in {folder}/ rendered no {', '.join(missing)}")
            data = json.dumps({p: parts[p] for p in PARTS}, ensure_ascii=False, separators=(",", ":"))
            out[chrome_path(folder)] = f"{runtime}thgChromeStart({data});\n"
        return out
