"""The real corpus as a reader sees it at phone (390 px), tablet (768 px) and desktop (1400 px) widths.

For each of eight pages and each width: the document never scrolls sideways (wide tables scroll inside
their own box), no table cell is narrower than its longest word (no word is split across lines), and
every destination of the site navigation can be reached from the page. Full-page screenshots are
kept in tests/artifacts/layout/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import CHROMIUM, FLAGS, require_chromium, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "layout"
WIDTHS = (390, 768, 1400)
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const r = a.getBoundingClientRect();
        if (r.left >= -1 && r.right <= width + 1) return true;
      }
    }
    return false;
  };
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push('document is ' + document.documentElement.scrollWidth + ' px wide');
  document.querySelectorAll('.md-header *, .md-tabs *, .md-content *, .md-footer *').forEach((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') return;
    if ((r.right > width + 1 || r.left < -1) && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  });
  return out.slice(0, 10);
}"""

SPLIT_WORDS = """() => {
  const out = [];
  document.querySelectorAll('.md-content table').forEach((table) => {
    if (!table.getClientRects().length) return;
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const cell = node.parentElement.closest('td, th');
      if (!cell || !cell.getClientRects().length) continue;
      const box = cell.getBoundingClientRect();
      const re = /[^\\s\\-\\/]+[\\-\\/]?/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        const last = rects[rects.length - 1];
        if (rects.length > 1) out.push('"' + m[0] + '" is split across lines in ' + cell.tagName);
        else if (last && (last.right > box.right + 1 || last.bottom > box.bottom + 1)) out.push('"' + m[0] + '" overflows its ' + cell.tagName);
        if (out.length >= 10) return;
      }
    }
  });
  return out;
}"""

VISIBLE_LINKS = """(scope) => {
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  const inside = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) || ['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowY)) {
        const r = el.getBoundingClientRect(), b = a.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1) return false;
      }
    }
    return true;
  };
  const selector = scope.split(',').map((s) => s.trim() + ' a[href]').join(', ');
  return Array.from(document.querySelectorAll(selector)).filter((a) => {
    if (!(a instanceof HTMLAnchorElement)) return false;
    const r = a.getBoundingClientRect();
    if (!r.width || !r.height || r.left < -1 || r.right > width + 1) return false;
    if (getComputedStyle(a).visibility === 'hidden' || !inside(a)) return false;
    if (r.top >= 0 && r.bottom <= height) {
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(a === hit || a.contains(hit) || hit.contains(a))) return false;
    }
    return true;
  }).map((a) => a.href.split('#')[0]);
}"""


@pytest.fixture(scope="module")
def real_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's own records, built into a temporary folder."""
    require_chromium()
    from test_site import build

    root = tmp_path_factory.mktemp("real") / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "site", ".git", ".scratch", "tests", "bench",
                                                              "*.egg-info", "__pycache__"))
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - thg/site/hooks.py", f"  - {REPO / 'thg/site/hooks.py'}"),
                                     encoding="utf-8")
    yield from serve(build(root))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The eight kinds of page a researcher uses, chosen from the records: the busiest of each kind."""
    from thg.compare import tasks_with_papers
    from thg.index import build_index
    from thg.validate import load_valid

    index = build_index(load_valid(REPO))
    with_results = max(index.ordered, key=lambda pid: len(index.corpus.papers[pid].results))
    task = max(tasks_with_papers(index), key=lambda t: len(index.by_term[("task", t)]))
    dataset = max(index.dataset_users, key=lambda d: len(index.dataset_users[d]))
    results = max(index.results_on, key=lambda d: len(index.results_on[d]))
    return {"home": "", "explorer": "explorer/", "paper": f"papers/{with_results}/", "taxonomy": "taxonomy/",
            "compare": f"compare/tasks/{task}/", "grid": "compare/method-dataset/", "results": f"results/{results}/",
            "dataset": f"datasets/{dataset}/"}


@pytest.fixture(scope="module")
def layout_browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


_SECOND_CLICK: dict[int, set[str]] = {}
"""width -> links visible on the landing pages of the header tabs (the same from every page)."""


def nav_destinations(page: object) -> set[str]:
    hrefs = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]",  # type: ignore[attr-defined]
                                      "links => links.map(a => a.href.split('#')[0])")
    return set(hrefs)


def reachable_from_drawer(page: object) -> set[str]:
    """Open the navigation drawer and every section in it, collecting the links a reader can tap."""
    page.click("label.md-header__button[for=__drawer]")  # type: ignore[attr-defined]
    reached = set(page.evaluate(VISIBLE_LINKS, ".md-sidebar--primary"))  # type: ignore[attr-defined]
    # The drawer opens on the current page's section: go back up to the top level first.
    for _ in range(5):
        opened = page.eval_on_selector_all(  # type: ignore[attr-defined]
            ".md-sidebar--primary input.md-nav__toggle[id^='__nav_']:checked", "inputs => inputs.map(i => i.id)")
        if not opened:
            break
        page.click(f".md-sidebar--primary label.md-nav__title[for='{opened[-1]}']")  # type: ignore[attr-defined]
    reached |= set(page.evaluate(VISIBLE_LINKS, ".md-sidebar--primary"))  # type: ignore[attr-defined]
    toggles = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".md-sidebar--primary nav[data-md-level='0'] > ul > li > input.md-nav__toggle[id^='__nav_']",
        "inputs => inputs.map(i => i.id)")
    for toggle in toggles:
        page.click(f".md-sidebar--primary label.md-nav__link[for='{toggle}']")  # type: ignore[attr-defined]
        reached |= set(page.evaluate(VISIBLE_LINKS, ".md-sidebar--primary"))  # type: ignore[attr-defined]
        page.click(f".md-sidebar--primary label.md-nav__title[for='{toggle}']")  # type: ignore[attr-defined]
    return reached


def reachable_from_tabs(page: object, width: int) -> set[str]:
    """Header tabs and the sidebar in one click; a tab's landing page (its sidebar or content) in two."""
    reached = set(page.evaluate(VISIBLE_LINKS, ".md-tabs, .md-sidebar--primary"))  # type: ignore[attr-defined]
    if width not in _SECOND_CLICK:
        tabs = page.evaluate(VISIBLE_LINKS, ".md-tabs")  # type: ignore[attr-defined]
        second: set[str] = set()
        other = page.context.new_page()  # type: ignore[attr-defined]
        for tab in tabs:
            other.goto(tab)
            second |= set(other.evaluate(VISIBLE_LINKS, ".md-sidebar--primary, .md-content"))
        other.close()
        _SECOND_CLICK[width] = second
    return reached | _SECOND_CLICK[width]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "explorer", "paper", "taxonomy", "compare", "grid", "results", "dataset"])
def test_page_fits_the_screen(layout_browser: object, real_site_url: str, pages: dict[str, str], name: str,
                              width: int) -> None:
    context = layout_browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(real_site_url + pages[name])
    page.add_style_tag(content=NO_MOTION)
    if name == "explorer":
        page.wait_for_selector("#thg-explorer[data-ready='1']")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate(SPLIT_WORDS) == []
    wanted = nav_destinations(page)
    assert len(wanted) >= 20
    tabs_shown = page.is_visible(".md-tabs")
    reached = reachable_from_tabs(page, width) if tabs_shown else reachable_from_drawer(page)
    assert sorted(wanted - reached) == []
    assert errors == []
    context.close()
