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


def require_chromium() -> None:
    """Fail with one plain sentence, not a Playwright traceback, when the browser is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package (.ci/run does) "
                    "or point THG_CHROMIUM at a Chromium binary", pytrace=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    from conftest import make_tree
    from test_site import build

    yield from serve(build(make_tree(tmp_path_factory.mktemp("browser"))))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    require_chromium()
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
    page.check("input[name=task][value=lip-sync]")  # type: ignore[attr-defined]
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
    assert page.is_checked("input[name=architecture][value=nerf]")  # type: ignore[attr-defined]
    assert page.is_checked("input[name=driving][value=audio]")  # type: ignore[attr-defined]


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
    # Pagefind UI draws placeholder rows (". . .") first and fills each in when its fragment arrives.
    page.wait_for_function("document.querySelector('.pagefind-ui__results')?.innerText.includes('Gamma')")  # type: ignore[attr-defined]
    page.fill("#thg-pagefind input", "Öztürk")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('.pagefind-ui__results')?.innerText.includes('Beta-Sync')")  # type: ignore[attr-defined]


@pytest.fixture
def clipboard_page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900},  # type: ignore[attr-defined]
                                  permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    yield tab
    context.close()


def read_clipboard(page: object) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))  # type: ignore[attr-defined]


def test_copy_bibtex_puts_the_entry_on_the_clipboard(clipboard_page: object, site_url: str) -> None:
    page = clipboard_page
    page.goto(site_url + "papers/beta-sync/")  # type: ignore[attr-defined]
    page.evaluate("navigator.clipboard.writeText('')")  # type: ignore[attr-defined]
    button = page.get_by_role("button", name="Copy BibTeX")  # type: ignore[attr-defined]
    button.click()
    page.wait_for_function("document.querySelector('button[data-copy-target^=bibtex]').textContent === 'Copied'")  # type: ignore[attr-defined]
    copied = read_clipboard(page)
    shown = page.inner_text("code[data-copy-source='bibtex-beta-sync']")  # type: ignore[attr-defined]
    assert copied.strip() == shown.strip()
    library = bibtexparser.parse_string(copied)
    assert not library.failed_blocks and [e.key for e in library.entries] == ["ozturk2021beta"]


def test_copy_latex_on_a_metric_page(clipboard_page: object, site_url: str) -> None:
    page = clipboard_page
    page.goto(site_url + "metrics/score-up/")  # type: ignore[attr-defined]
    page.click("details.thg-tex summary")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Copy LaTeX").click()  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('button[data-copy-target^=tex]').textContent === 'Copied'")  # type: ignore[attr-defined]
    shown = page.inner_text("code[data-copy-source='tex-score-up']")  # type: ignore[attr-defined]
    assert read_clipboard(page) == shown and "\\" in shown


def test_copy_the_knowledge_base_citation(clipboard_page: object, site_url: str) -> None:
    page = clipboard_page
    page.goto(site_url + "cite/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Copy BibTeX").click()  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('button[data-copy-target=bibtex-kb]').textContent === 'Copied'")  # type: ignore[attr-defined]
    library = bibtexparser.parse_string(read_clipboard(page))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.fields_dict["version"].value == "2026.11.02"  # the newest `added` date in the fixture records


def facet_counts(page: object, facet: str) -> dict[str, int]:
    """Visible terms of one facet box and the count shown beside each (once the idle-time update has run)."""
    page.wait_for_selector("#thg-explorer[data-ready='1'] #thg-count:not([data-counting])")  # type: ignore[attr-defined]
    return dict(page.eval_on_selector_all(  # type: ignore[attr-defined]
        f"fieldset[data-facet={facet}] label.thg-term:not([hidden])",
        "labels => labels.map(l => [l.querySelector('input').value, +l.querySelector('.thg-count').textContent])"))


def test_explorer_several_terms_per_facet_live_counts_and_url_state(page: object, site_url: str) -> None:
    page.goto(site_url + "explorer/")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    assert facet_counts(page, "task") == {"audio-driven-portrait": 1, "lip-sync": 1, "survey": 1}
    # OR within a facet: two tasks give both papers.
    page.check("input[name=task][value=lip-sync]")  # type: ignore[attr-defined]
    page.check("input[name=task][value=survey]")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "2 of 3 papers"  # type: ignore[attr-defined]
    # A facet's own counts ignore its own selection: the third task still says what it would add.
    assert facet_counts(page, "task") == {"audio-driven-portrait": 1, "lip-sync": 1, "survey": 1}
    assert facet_counts(page, "driving") == {"audio": 1, "not-applicable": 1}
    # AND across facets: CNN leaves the lip-sync paper only; counts elsewhere follow, zero terms hide.
    page.check("input[name=architecture][value=cnn]")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "1 of 3 papers"  # type: ignore[attr-defined]
    assert "Beta-Sync" in page.inner_text("#thg-rows")  # type: ignore[attr-defined]
    assert facet_counts(page, "driving") == {"audio": 1}
    assert facet_counts(page, "task") == {"lip-sync": 1, "survey": 0}  # checked terms stay, even at 0
    # Architecture's own counts set CNN aside: the survey (tagged not-applicable) would come back with it.
    assert facet_counts(page, "architecture") == {"cnn": 1, "not-applicable": 1}
    assert page.inner_text("#thg-active") == "(3 active)"  # type: ignore[attr-defined]
    url = page.url  # type: ignore[attr-defined]
    assert "task=lip-sync&task=survey" in url and "architecture=cnn" in url
    # The URL restores the same view in a fresh tab.
    other = page.context.new_page()  # type: ignore[attr-defined]
    other.goto(url)
    other.wait_for_selector("#thg-explorer[data-ready='1']")
    assert other.inner_text("#thg-count") == "1 of 3 papers"
    checked = other.eval_on_selector_all("fieldset input:checked", "inputs => inputs.map(i => i.name + '=' + i.value)")
    assert sorted(checked) == ["architecture=cnn", "task=lip-sync", "task=survey"]
    assert facet_counts(other, "task") == {"lip-sync": 1, "survey": 0}
    # Unticking restores the counts and the URL follows.
    page.uncheck("input[name=architecture][value=cnn]")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == "2 of 3 papers"  # type: ignore[attr-defined]
    assert "architecture" not in page.url  # type: ignore[attr-defined]


def test_explorer_shows_output_column_and_legend(page: object, site_url: str) -> None:
    page.goto(site_url + "explorer/")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    heads = page.eval_on_selector_all("#thg-table thead th", "ths => ths.map(t => t.innerText.trim())")  # type: ignore[attr-defined]
    assert heads[4].startswith("Output")
    page.click("details.thg-legend summary")  # type: ignore[attr-defined]
    legend = page.inner_text("details.thg-legend")  # type: ignore[attr-defined]
    assert "Neural radiance field as output representation" in legend
    assert "NeRF as architecture family" in legend


def test_search_page_folds_accents_and_finds_aliases(page: object, site_url: str) -> None:
    page.goto(site_url + "search/?query=ozturk")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-search[data-ready='1']")  # type: ignore[attr-defined]
    assert not page.is_checked("#__search")  # type: ignore[attr-defined]  # Material's overlay stays shut
    assert page.inner_text("#s-status") == "1 result for “ozturk”"  # type: ignore[attr-defined]
    assert "Beta-Sync" in page.inner_text("#s-results")  # type: ignore[attr-defined]
    page.fill("#s-q", "nunez jose")  # type: ignore[attr-defined]
    assert "Beta-Sync" in page.inner_text("#s-results")  # type: ignore[attr-defined]
    page.fill("#s-q", "alphat1")  # type: ignore[attr-defined]  # the alias Alpha-T1 without its hyphen
    first = page.inner_text("#s-results li:first-child")  # type: ignore[attr-defined]
    assert "AlphaTalker" in first and "also known as Alpha-T1" in first
    assert "query=alphat1" in page.url  # type: ignore[attr-defined]
    page.fill("#s-q", "set one")  # type: ignore[attr-defined]
    assert page.text_content("#s-results li:first-child .thg-kind") == "Dataset"  # type: ignore[attr-defined]


def test_enter_in_the_header_search_opens_the_results_page(page: object, site_url: str) -> None:
    page.goto(site_url + "about/")  # type: ignore[attr-defined]
    page.click("input.md-search__input")  # type: ignore[attr-defined]
    page.keyboard.type("Öztürk")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/search/?query=*")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-search[data-ready='1']")  # type: ignore[attr-defined]
    assert page.input_value("#s-q") == "Öztürk"  # type: ignore[attr-defined]
    assert "Beta-Sync" in page.inner_text("#s-results")  # type: ignore[attr-defined]


def test_header_search_suggestions_fold_accents(page: object, site_url: str) -> None:
    """Material's own instant results find Öztürk from "ozturk" too (plain spellings added to its index)."""
    page.goto(site_url + "about/")  # type: ignore[attr-defined]
    page.click("input.md-search__input")  # type: ignore[attr-defined]
    page.keyboard.type("ozturk", delay=20)  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    results = page.inner_text(".md-search-result")  # type: ignore[attr-defined]
    assert "Beta-Sync" in results and "ozturk" not in results.lower().replace("öztürk", "")


def test_explorer_dataset_and_missing_field_filters(page: object, site_url: str, tmp_path: Path) -> None:
    """The dataset, metric, loss and missing-field filters: their terms load when the box opens or a shared view
    uses them, and they select what the records say."""
    from conftest import make_tree

    from thg.corpus import load_corpus
    from thg.index import build_index

    loaded = load_corpus(make_tree(tmp_path / "tree"))
    assert loaded.corpus is not None
    index = build_index(loaded.corpus)
    dataset, users = next((d, u) for d, u in sorted(index.dataset_users.items()) if u)
    lacking_doi = sum("doi" in keys for keys in index.missing.values())
    page.goto(site_url + f"explorer/#dataset={dataset}")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1'] #thg-count:not([data-counting])")  # type: ignore[attr-defined]
    page.wait_for_function("document.getElementById('thg-count').textContent.indexOf(' of ') > 0")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == f"{len(users)} of 3 papers"  # type: ignore[attr-defined]
    assert page.eval_on_selector("#thg-more-filters", "d => d.open")  # type: ignore[attr-defined]
    page.click("#f-reset")  # type: ignore[attr-defined]
    page.check("input[name=missing][value=doi]")  # type: ignore[attr-defined]
    assert page.inner_text("#thg-count") == f"{lacking_doi} of 3 papers"  # type: ignore[attr-defined]
    assert "missing=doi" in page.url  # type: ignore[attr-defined]
    # A fresh page: the groups are fetched only when the box opens, and then their counts appear.
    page.goto(site_url + "explorer/")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    assert not any("groups.json" in e for e in page.evaluate(  # type: ignore[attr-defined]
        "performance.getEntriesByType('resource').map(e => e.name)"))
    page.click("#thg-more-filters summary")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "([d, n]) => { const l = document.querySelector(`fieldset[data-facet=dataset] input[value='${d}']`).closest('label');"
        " return !l.hidden && l.querySelector('.thg-count').textContent === String(n); }", arg=[dataset, len(users)])
    assert any("groups.json" in e for e in page.evaluate(  # type: ignore[attr-defined]
        "performance.getEntriesByType('resource').map(e => e.name)"))
