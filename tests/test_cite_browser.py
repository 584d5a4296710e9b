"""Facet-term and selection citation files, assembled in the browser from downloads/all.* (cite.js).

The site publishes each paper's citation once per format; a term page's buttons, the Downloads page and
the explorer cut their files out of all.bib, all.json and all.ris. Every file made in the browser must have
the same bytes as `thg export` for the same papers, even for a record written to break the splitting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from test_browser import browser  # noqa: F401  (fixture shared with the site browser tests)

from thg.cli import main as thg

pytestmark = pytest.mark.browser

FORMATS = {"bibtex": "BibTeX", "csljson": "CSL-JSON", "ris": "RIS"}
TRICKY = """\
# Fictional record whose text holds the separators of the three citation formats (records are one line
# a value, so a separator can only appear inside a line).
id: tricky-split
title: 'Split me @misc{fake-key, title = {x}}, {"id": "fake"}, {ER  - TY  - JOUR'
authors: ["Ann {and} Example", "ER  - Person"]
year: 2022
venue: arXiv
type: preprint
arxiv: "2201.00003"
tags:
  driving: [audio]
  identity: [single-image]
  output: [2d-video]
  architecture: [cnn]
  task: [lip-sync]
  flags: []
summary: A fictional record whose title holds a BibTeX entry start, a CSL-JSON item start and a RIS end tag.
sources: ["https://example.org/tricky"]
"""


@pytest.fixture(scope="module")
def cite_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_tree

    tree = make_tree(tmp_path_factory.mktemp("cite"))
    (tree / "papers" / "tricky-split.yaml").write_text(TRICKY, encoding="utf-8")
    return tree


@pytest.fixture(scope="module")
def cite_url(cite_tree: Path) -> Iterator[str]:
    from test_browser import require_chromium, serve
    from test_site import build

    require_chromium()
    yield from serve(build(cite_tree))


@pytest.fixture
def tab(browser: object) -> Iterator[object]:  # noqa: F811
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def exported(tree: Path, fmt: str, *options: str) -> str:
    out = tree / f"expected-{fmt}.txt"
    assert thg(["--root", str(tree), "export", "--format", fmt, *options, "-o", str(out)]) == 0
    return out.read_bytes().decode("utf-8")


def click_download(page: object, selector: str) -> tuple[str, str]:
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click(selector)  # type: ignore[attr-defined]
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


def test_term_page_buttons_give_the_terms_papers_in_one_click(tab: object, cite_url: str, cite_tree: Path) -> None:
    page = tab
    page.goto(cite_url + "taxonomy/task/lip-sync/")  # type: ignore[attr-defined]
    # The page reads top to bottom: heading, the line with the buttons, then the list (not side by side).
    heading, buttons, listing = (page.locator(sel).first.bounding_box()  # type: ignore[attr-defined]
                                 for sel in (".thg-term h1", "p[data-cite-index]", ".thg-term ul"))
    assert heading["y"] + heading["height"] <= buttons["y"] < listing["y"], (heading, buttons, listing)
    for fmt, label in FORMATS.items():
        name, text = click_download(page, f"button[data-cite-format={fmt}]")
        assert name == "thg-task-lip-sync." + {"bibtex": "bib", "csljson": "json", "ris": "ris"}[fmt]
        assert text == exported(cite_tree, fmt, "--filter", "task=lip-sync"), fmt
        assert page.inner_text(".thg-cite-status") == f"{label}: 2 papers saved."  # type: ignore[attr-defined]
    library = bibtexparser.parse_string(exported(cite_tree, "bibtex", "--filter", "task=lip-sync"))
    assert not library.failed_blocks and len(library.entries) == 2  # the tricky record is one whole entry
    items = json.loads(exported(cite_tree, "csljson", "--filter", "task=lip-sync"))
    assert [item["id"] for item in items] == [e.key for e in library.entries]


def test_downloads_page_assembles_any_facet_term_or_venue(tab: object, cite_url: str, cite_tree: Path) -> None:
    page = tab
    page.goto(cite_url + "downloads/")  # type: ignore[attr-defined]
    options = page.eval_on_selector_all("#cite-terms option", "os => os.map(o => o.value)")  # type: ignore[attr-defined]
    assert "architecture=nerf" in options and "venue=arXiv" in options
    page.select_option("#cite-terms", "architecture=nerf")  # type: ignore[attr-defined]
    name, text = click_download(page, ".thg-cite-picker button[data-cite-format=ris]")
    assert name == "thg-architecture-nerf.ris"
    assert text == exported(cite_tree, "ris", "--filter", "architecture=nerf")
    page.select_option("#cite-terms", "venue=arXiv")  # type: ignore[attr-defined]
    _name, text = click_download(page, ".thg-cite-picker button[data-cite-format=csljson]")
    arxiv = [item["id"] for item in json.loads(text)]
    assert len(arxiv) == 2 and len(set(arxiv)) == 2


def test_explorer_export_matches_thg_export_of_the_rows_shown(tab: object, cite_url: str, cite_tree: Path) -> None:
    page = tab
    page.goto(cite_url + "explorer/#sort=t")  # type: ignore[attr-defined]
    page.wait_for_selector("#thg-explorer[data-ready='1']")  # type: ignore[attr-defined]
    page.wait_for_function("document.getElementById('thg-count').textContent === '4 of 4 papers'")  # type: ignore[attr-defined]
    shown = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#thg-rows a", "links => links.map(a => a.getAttribute('href').split('/').filter(Boolean).pop())")
    assert len(shown) == 4
    for fmt in FORMATS:
        _name, text = click_download(page, f"#export-{fmt}")
        assert text == exported(cite_tree, fmt, "--ids", ",".join(shown)), fmt
