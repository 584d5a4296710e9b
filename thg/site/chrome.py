"""Theme chrome shared by record pages, so each paper page carries its own head, its content and little else.

Material repeats its header (logo, palette switch, search box and their icons), tabs, navigation drawer,
footer and configuration on every page, about 20 KB of the 27 KB a paper page weighed, and around them
another 1.9 KB of page skeleton (toggles, scripts, back-to-top button): at 100,000 papers the bulk of the
site. Record pages (papers, terms, datasets, metrics, losses, protocols) are
not in the navigation, so everything around their content is the same for every record page in the same
folder except for the page title in the header (links are relative, and MkDocs writes a link to the folder
itself as "../", so two folders at the same depth differ). It goes once per folder into one script, such as
`assets/thg/chrome/papers.js` or `taxonomy-task.js`, cached like a stylesheet:

- Material's blocks (PARTS: header, tabs, navigation, footer, configuration) are rendered for the folder's
  first record page only (overrides/main.html through the `thg_chrome` template global of thg.site.hooks);
  the other pages keep a call in their place.
- The rest of the skeleton comes out of every rendered page (`SharedChrome.slim`, from thg.site.hooks'
  on_post_page) and must be the same on every page of the folder: Material's inline head script, the
  markup from <body> to the content (toggles, overlay, skip and announce slots, the opening of the
  container, main and grid) and from the content to </body> (the tab-hash script, back-to-top button,
  closing tags, dialog, and the bundle and extra_javascript scripts).

A record page keeps its head (title, canonical, description, citation meta tags for Google Scholar and
Zotero, stylesheets, feed link), loads the folder's script in its head where Material's inline script
stood, calls thgChrome("start") after <body> and thgChrome("end") after its content, and keeps a <noscript>
link home. The script writes each piece with document.write where the call stands (thg/assets/chrome.js),
so the parser builds the document Material would have written and its scripts run in the same order,
blocking parsing as before. Markup the sharing does not expect (a Material upgrade) raises ChromeError and
stops the build. `THG_SHARED_CHROME=0` turns the sharing off (every page whole, as Material writes it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

CHROME_DIR = "assets/thg/chrome"
PARTS = ("header", "tabs", "nav", "footer", "config")
"""Material's blocks a record page takes from the shared script, rendered once per folder, in page order."""
RUNTIME = Path(__file__).resolve().parent.parent / "assets" / "chrome.js"
CONTENT_OPEN = '<div class="md-content" data-md-component="content">'
CONTENT_CLOSE = "</article>\n</div>\n"
TITLE = "\x00"
"""Where the header takes each page's own title (thg/assets/chrome.js writes it in)."""
FIX = "update thg/site/chrome.py for the installed mkdocs-material, or set THG_SHARED_CHROME=0"
_TOPIC = re.compile(r'(<div class="md-header__topic" data-md-component="header-topic">\s*<span class="md-ellipsis">)'
                    r"(.*?)(</span>)", re.S)
_BETWEEN_TAGS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)|>[ \t\r\n]*\n[ \t\r\n]*<", re.S)
_SCOPE = re.compile(r"<script>__md_scope=.*?</script>\n", re.S)
_BODY = re.compile(r"<body\b[^>]*>\n")
_NOSCRIPT = re.compile(r"\n<noscript>.*?</noscript>\n", re.S)


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


def call(part: str) -> str:
    """What a record page keeps where a shared part belongs (overrides/main.html writes the same)."""
    return f'<script>thgChrome("{part}")</script>'


class SharedChrome:
    """The chrome of one build: folder -> part -> HTML. Material's blocks (PARTS) are rendered for a folder's
    first record page only (`put`); the rest of the skeleton comes out of every rendered page (`slim`) and
    must be the same for all pages of the folder."""

    def __init__(self) -> None:
        self.parts: dict[str, dict[str, str]] = {}
        self.skeletons: dict[str, tuple[str, dict[str, str]]] = {}

    def get(self, part: str, folder: str) -> str | None:
        return self.parts.get(folder, {}).get(part)

    def put(self, part: str, folder: str, html: str) -> str:
        """Keep a part rendered for the first record page of this folder; the header loses that page's title
        (each page gives its own, thg/assets/chrome.js writes it in)."""
        if part not in PARTS:
            raise ChromeError(f"unknown chrome part {part!r}; expected one of {', '.join(PARTS)}")
        html = str(html)
        if part == "header":
            html, found = _TOPIC.subn(rf"\1{TITLE}\3", html, count=1)
            if not found:
                raise ChromeError(f"Material's header has no data-md-component=\"header-topic\" title: {FIX}")
        self.parts.setdefault(folder, {})[part] = squeeze(html).strip()
        return ""

    def slim(self, html: str, folder: str, page: str) -> str:
        """A rendered record page without the skeleton its folder shares. The page keeps its head but for
        Material's inline script (the folder's script, loaded where it stood, writes it back), calls
        thgChrome("start") after <body> and thgChrome("end") after its content, and a link home for readers
        without JavaScript."""
        def expect(found: bool, what: str) -> None:
            if not found:
                raise ChromeError(f"{page}: Material's page has no {what} where thg expects it: {FIX}")

        def match(found: re.Match[str] | None, what: str) -> re.Match[str]:
            expect(found is not None, what)
            assert found is not None
            return found

        loader = html.find(f"{CHROME_DIR}/")
        expect(loader >= 0, "shared chrome script (overrides/main.html's extrahead)")
        loader = html.rfind("<script ", 0, loader)
        scope = match(_SCOPE.search(html, 0, loader), "<script>__md_scope=...</script>")
        expect(scope.end() == loader, "<script>__md_scope=...</script> right before extrahead")
        body = match(_BODY.search(html, loader), "<body> tag")
        header = html.find(call("header"), body.end())
        expect(header >= 0, "header block")
        noscript = match(_NOSCRIPT.match(html, header + len(call("header"))),
                         "<noscript> link home after the header (overrides/main.html)")
        content = html.find(CONTENT_OPEN, noscript.end())
        expect(content >= 0, CONTENT_OPEN)
        close = html.rfind(CONTENT_CLOSE)
        expect(close > content, "</article></div> closing the content")
        tail = html.find("</body>", close)
        expect(tail >= 0, "</body>")
        skeleton = {"scope": scope.group().rstrip("\n"),
                    "start": html[body.end():header] + call("header") + "\n" + html[noscript.end():content],
                    "end": html[close + len(CONTENT_CLOSE):tail]}
        first, known = self.skeletons.setdefault(folder, (page, skeleton))
        for name, text in skeleton.items():
            if text != known[name]:
                raise ChromeError(f"{page} and {first}, record pages in the same folder, differ in Material's "
                                  f"markup around the content ({name}): the page needs its own chrome: {FIX}")
        return (html[:scope.start()] + html[scope.end():body.end()] + call("start") + noscript.group()
                + html[content:close + len(CONTENT_CLOSE)] + call("end") + html[tail:])

    def files(self) -> dict[str, str]:
        """The scripts to write: site path -> JavaScript (the runtime, then the folder's parts)."""
        runtime = RUNTIME.read_text(encoding="utf-8")
        out = {}
        for folder, parts in sorted(self.parts.items()):
            missing = [p for p in PARTS if p not in parts]
            if missing or folder not in self.skeletons:
                raise ChromeError(f"the record pages in {folder}/ rendered no {', '.join(missing) or 'page'}")
            skeleton = dict(self.skeletons[folder][1])
            for part in PARTS:
                count = skeleton["start"].count(call(part)) + skeleton["end"].count(call(part))
                if count != 1:
                    raise ChromeError(f"the record pages in {folder}/ call {part} {count} times, not once: {FIX}")
                for name in ("start", "end"):
                    skeleton[name] = skeleton[name].replace(call(part), parts[part])
            before, title, after = skeleton["start"].partition(TITLE)
            if not title:
                raise ChromeError(f"the record pages in {folder}/ have no title in their header: {FIX}")
            data = json.dumps({"scope": skeleton["scope"], "start": [before, after], "end": skeleton["end"]},
                              ensure_ascii=False, separators=(",", ":"))
            out[chrome_path(folder)] = f"{runtime}thgChromeStart({data});\n"
        return out
