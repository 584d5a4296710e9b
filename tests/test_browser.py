"""End-to-end: the built fixture site in Debian's headless Chromium, driven by Playwright.

Screenshots of the home page, explorer, a paper page and the taxonomy matrix are kept in
tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("THG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium package")
    from conftest import make_tree
    from test_site import build

    site = build(make_tree(tmp_path_factory.mktemp("browser")))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(page: object) -> list[str]:
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    page.add_script_tag(path=str(script))  # type: ignore[attr-defined]
    result = page.evaluate("async () => (await axe.run(document)).violations"  # type: ignore[attr-defined]
                           ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                           ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return list(result)


def test_explorer_filters_sorts_and_exports(page: object, site_url: str) -> None:
    page.goto(site_url + "explorer/")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "3 of 3 papers"  # type: ignore[attr-defined]
    page.select_option("#f-task", "lip-sync")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "1 of 3 papers"  # type: ignore[attr-defined]
    assert "Beta-Sync" in page.inner_text("#thg-rows")  # type: ignore[attr-defined]
    assert "task=lip-sync" in page.url  # type: ignore[attr-defined]
    page.click("#f-reset")  # type: ignore[attr-defined]
    page.fill("#f-q", "placeholder")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "1 of 3 papers"  # type: ignore[attr-defined]
    page.fill("#f-q", "")  # type: ignore[attr-defined]
    page.fill("#f-from", "2022")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "2 of 3 papers"  # type: ignore[attr-defined]
    page.click("th button[data-sort='y']")  # type: ignore[attr-defined]
    first = page.inner_text("#thg-rows tr:first-child td:first-child")  # type: ignore[attr-defined]
    assert first == "2023"
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#export-bibtex")  # type: ignore[attr-defined]
    text = Path(info.value.path()).read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert sorted(e.key for e in library.entries) == ["example2023alphatalker", "placeholder2024gamma"]


def test_explorer_state_is_shareable(page: object, site_url: str) -> None:
    page.goto(site_url + "explorer/#driving=audio&architecture=nerf")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "1 of 3 papers"  # type: ignore[attr-defined]
    assert page.input_value("#f-architecture") == "nerf"  # type: ignore[attr-defined]


def test_paper_page_meta_and_search(page: object, site_url: str) -> None:
    page.goto(site_url + "papers/alpha-talker/")  # type: ignore[attr-defined]
    authors = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "meta[name=citation_author]", "nodes => nodes.map(n => n.content)")
    assert authors == ["Ada Example", "Bruno Fixture"]
    assert page.get_attribute("meta[name=citation_arxiv_id]", "content") == "2301.00001"  # type: ignore[attr-defined]
    page.click("input.md-search__input")  # type: ignore[attr-defined]
    page.keyboard.type("Placeholder", delay=20)  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    assert "Gamma" in page.inner_text(".md-search-result")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path,name", [("", "home"), ("explorer/", "explorer"),
                                       ("papers/alpha-talker/", "paper"), ("taxonomy/", "taxonomy")])
def test_screenshots_and_accessibility(page: object, site_url: str, path: str, name: str) -> None:
    page.goto(site_url + path)  # type: ignore[attr-defined]
    if name == "explorer":
        page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
    violations = axe_violations(page)
    print("\n".join(violations))
    assert violations == []


@pytest.fixture(scope="module")
def pagefind_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same fixture site built in the large-corpus search mode (Pagefind for record pages)."""
    from conftest import make_tree
    from test_site import build

    os.environ["THG_SEARCH"] = "pagefind"
    try:
        site = build(make_tree(tmp_path_factory.mktemp("pagefind")))
    finally:
        del os.environ["THG_SEARCH"]
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_pagefind_search_finds_authors_and_titles(page: object, pagefind_site_url: str) -> None:
    page.goto(pagefind_site_url + "search/?q=Placeholder")  # type: ignore[attr-defined]
    page.wait_for_selector(".pagefind-ui__result")  # type: ignore[attr-defined]
    assert "Gamma" in page.inner_text(".pagefind-ui__results")  # type: ignore[attr-defined]
    page.fill("#thg-pagefind input", "Öztürk")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('.pagefind-ui__results')?.innerText.includes('Beta-Sync')")  # type: ignore[attr-defined]
