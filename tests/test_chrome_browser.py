"""Record pages share Material's chrome through one script per folder depth (thg/site/chrome.py); a reader
must see exactly what the whole page showed. The fixture site is built twice, with the sharing and without
(THG_SHARED_CHROME=0, every page as Material writes it), and each record page is compared in Chromium:
pixels at phone and desktop width (drawer open on the phone), the document after scripts, the meta tags
Google Scholar and Zotero read, and the theme's own behaviour (search, palette switch)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import browser  # noqa: F401  (fixture shared with the site browser tests)

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

RECORD_PAGES = ["papers/alpha-talker/", "papers/gamma-survey/", "taxonomy/architecture/nerf/", "datasets/set-one/",
                "metrics/score-up/", "losses/loss-one/"]
DOCUMENT = """() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelectorAll('noscript').forEach((n) => n.remove());
  copy.querySelectorAll('script[src*="assets/thg/chrome/"]').forEach((n) => n.remove());
  /* "../" and "../../architecture/" are the same link from a page in architecture/: compare targets. */
  copy.querySelectorAll('[href], [src]').forEach((n) => ['href', 'src'].forEach((a) => {
    if (n.hasAttribute(a)) { const u = new URL(n.getAttribute(a), location.href); n.setAttribute(a, u.origin === location.origin ? u.pathname + u.search + u.hash : u.href); }
  }));
  const walk = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) n.data = n.data.replace(/\\s+/g, ' ').trim();
  return copy.outerHTML.replace(/>\\s+</g, '><');
}"""


def same_picture(a: bytes, b: bytes) -> bool:
    """Two screenshots show the same thing: same size, and no pixel differs by more than rasterisation noise
    (Chromium's anti-aliasing varies by a level or two between two loads of one page)."""
    if a == b:
        return True
    from PIL import Image, ImageChops

    first, second = (Image.open(io.BytesIO(shot)).convert("RGB") for shot in (a, b))
    if first.size != second.size:
        return False
    _low, high = ImageChops.difference(first, second).convert("L").getextrema()
    return bool(high <= 8)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path, Path]]:
    from conftest import make_tree
    from test_browser import require_chromium, serve
    from test_site import build

    require_chromium()
    shared = build(make_tree(tmp_path_factory.mktemp("shared")))
    os.environ["THG_SHARED_CHROME"] = "0"
    try:
        whole = build(make_tree(tmp_path_factory.mktemp("whole")))
    finally:
        del os.environ["THG_SHARED_CHROME"]
    shared_url, whole_url = serve(shared), serve(whole)
    yield next(shared_url), next(whole_url), shared, whole
    for server in (shared_url, whole_url):
        next(server, None)


def test_record_pages_carry_fewer_bytes(two_sites: tuple[str, str, Path, Path]) -> None:
    _a, _b, shared, whole = two_sites
    for rel in RECORD_PAGES:
        small, big = (site / rel / "index.html" for site in (shared, whole))
        assert small.stat().st_size < 0.4 * big.stat().st_size, rel
    # One script per folder: a link to the folder itself is "../" there and "../../papers/" elsewhere.
    assert {p.name for p in (shared / "assets" / "thg" / "chrome").iterdir()} >= {
        "papers.js", "datasets.js", "metrics.js", "losses.js", "taxonomy-architecture.js", "taxonomy-task.js"}
    assert not (whole / "assets" / "thg" / "chrome").exists()


@pytest.mark.parametrize("width", [390, 1400])
def test_record_pages_look_and_read_the_same(browser: object, two_sites: tuple[str, str, Path, Path],  # noqa: F811
                                            width: int) -> None:
    shared_url, whole_url, _a, _b = two_sites
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        for rel in RECORD_PAGES:
            seen = {}
            for name, base in (("shared", shared_url), ("whole", whole_url)):
                tab.goto(base + rel)
                tab.wait_for_load_state("networkidle")
                meta = tab.eval_on_selector_all("head meta[name]", "ms => ms.map(m => [m.name, m.content])")
                # The search box's placeholder shade follows the theme's search worker starting up: masked.
                shot = tab.screenshot(full_page=True, animations="disabled", mask=[tab.locator(".md-search__input")])
                drawer = b""
                if width < 600:
                    tab.click("label.md-header__button[for=__drawer]")
                    tab.wait_for_timeout(600)  # the drawer slides in
                    drawer = tab.screenshot(animations="disabled")
                seen[name] = (tab.title(), meta, tab.evaluate(DOCUMENT), shot, drawer)
            title, meta, document, shot, drawer = seen["shared"]
            assert (title, meta) == seen["whole"][:2], rel
            assert document == seen["whole"][2], rel
            if not same_picture(shot, seen["whole"][3]):
                ARTIFACTS.mkdir(exist_ok=True)
                for name in seen:
                    (ARTIFACTS / f"chrome-{name}-{width}.png").write_bytes(seen[name][3])
                pytest.fail(f"{rel} at {width} px looks different (tests/artifacts/chrome-*.png)")
            assert same_picture(drawer, seen["whole"][4]), f"{rel}: the navigation drawer looks different"
            if rel == "papers/alpha-talker/":
                assert [v for k, v in meta if k == "citation_author"] == ["Ada Example", "Bruno Fixture"]
                assert ["citation_title", "AlphaTalker: A Test Fixture for NeRF-based Talking Heads"] in meta
    finally:
        context.close()


def test_theme_still_works_on_a_shared_page(browser: object, two_sites: tuple[str, str, Path, Path]) -> None:  # noqa: F811
    shared_url, _b, _c, _d = two_sites
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        tab.goto(shared_url + "papers/beta-sync/")
        assert tab.inner_text("[data-md-component=header-topic]").strip() == "Beta-Sync: Lip Sync Experts & 100% Coverage"
        assert tab.get_attribute("body", "data-md-color-scheme") == "default"
        tab.click("label[for=__palette_1]")
        assert tab.get_attribute("body", "data-md-color-scheme") == "slate"
        tab.reload()  # Material keeps the choice, and the shared header's palette script reads it back
        assert tab.get_attribute("body", "data-md-color-scheme") == "slate"
        tab.click("input.md-search__input")
        tab.keyboard.type("Placeholder", delay=20)
        tab.wait_for_selector(".md-search-result__item")
        assert "Gamma" in tab.inner_text(".md-search-result")
        # Material's bundle, written in by the shared script, ran and set up its observables; the page's
        # loader and calls are gone, and Material's inline head script is back in the head.
        assert tab.evaluate("typeof document$ === 'object' && typeof document$.subscribe === 'function'")
        assert not tab.evaluate("document.querySelector('script[src*=\"assets/thg/chrome/\"]')")
        assert "thgChrome(" not in tab.content()
        assert tab.evaluate("document.head.querySelector('script:not([src])').textContent.startsWith('__md_scope=')")
    finally:
        context.close()


def test_scripts_run_in_order_and_back_to_top_works(browser: object,  # noqa: F811
                                                    two_sites: tuple[str, str, Path, Path]) -> None:
    """The scripts the shared script writes in run in page order, each blocking the parser as Material's did
    (nothing after it parsed yet); the back-to-top button, written in after the content, appears when a reader
    scrolls back up and takes them to the top."""
    shared_url, whole_url, _c, _d = two_sites
    context = browser.new_context(viewport={"width": 390, "height": 400})  # type: ignore[attr-defined]
    note = ("(window.thgRan = window.thgRan || []).push([new URL(document.currentScript.src).pathname, "
            "Array.from(document.scripts).indexOf(document.currentScript), document.scripts.length, "
            "document.readyState]);\n")

    def noted(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        route.fulfill(response=response, body=note + response.text())  # type: ignore[attr-defined]

    for pattern in ("**/assets/javascripts/bundle.*.js", "**/assets/thg/*.js"):
        context.route(pattern, noted)
    tab = context.new_page()
    try:
        seen = {}
        for name, base in (("shared", shared_url), ("whole", whole_url)):
            tab.goto(base + "papers/alpha-talker/")
            tab.wait_for_load_state("networkidle")
            seen[name] = tab.evaluate("window.thgRan")
            tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            tab.wait_for_timeout(300)
            tab.evaluate("window.scrollBy(0, -60)")
            tab.wait_for_function("!document.querySelector('[data-md-component=top]').hidden")
            tab.click("[data-md-component=top]")
            tab.wait_for_function("window.scrollY === 0")
        assert len(seen["whole"]) == 9 and seen["whole"][0][0].endswith(".min.js")
        assert all(index == count - 1 and state == "loading" for _src, index, count, state in seen["whole"])
        assert seen["shared"] == seen["whole"]
    finally:
        context.close()


def test_record_page_without_javascript_shows_content_and_a_way_home(two_sites: tuple[str, str, Path, Path],
                                                                     browser: object) -> None:  # noqa: F811
    shared_url, _b, _c, _d = two_sites
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        tab.goto(shared_url + "papers/alpha-talker/")
        assert "AlphaTalker: A Test Fixture" in tab.inner_text("article h1")
        home = tab.locator("p.md-typeset a").first
        assert home.is_visible() and home.get_attribute("href") == "../.."
    finally:
        context.close()
