"""Lists longer than `LIST_WHOLE` papers show `LIST_LIMIT` and point to the explorer filtered to the same papers
(issue 18).

At 10,000 papers, term, dataset, metric and loss pages, the Data completeness page and the comparison tables
that listed every member were about a quarter of the published site. A long list now shows its newest papers and
links to the explorer, whose filters (taxonomy terms, venue, dataset, metric, loss and missing field) select
exactly the same papers; comparison tables point to their CSV, which keeps every row. Checked on a synthetic corpus
with the limit lowered, so every kind of list is long.
"""

from __future__ import annotations

import re
import sys
import urllib.parse
from pathlib import Path

import pytest

from thg.completeness import completeness
from thg.corpus import load_corpus
from thg.index import Index, build_index
from thg.site import generate
from thg.site.explorer import EXTRA_GROUPS, explorer_files, group_terms

REPO = Path(__file__).resolve().parent.parent
LIMIT = 7
WHOLE = 10


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, dict[str, str]]:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import make_corpus

    root = make_corpus(tmp_path_factory.mktemp("lists") / "corpus", 120, seed=3)
    loaded = load_corpus(root)
    assert loaded.corpus is not None and not loaded.problems, loaded.problems[:3]
    index = build_index(loaded.corpus)
    patch = pytest.MonkeyPatch()
    patch.setattr(generate, "LIST_LIMIT", LIMIT)
    patch.setattr(generate, "LIST_WHOLE", WHOLE)
    try:
        pages = generate.generate_site(index, root=root)
    finally:
        patch.undo()
    return index, {src: content.as_markdown() if isinstance(content, generate.GeneratedPage) else str(content)
                   for src, content in pages.items() if src.endswith(".md")}


def listed(page: str) -> list[str]:
    """Paper ids in the page's lists, in order."""
    return re.findall(r'<li><a href="[./]*papers/([^/"]+)/"', page)


def explorer_filter(page: str) -> tuple[str, str]:
    """The one explorer filter a page's "All N are in the explorer" link sets."""
    (href,) = re.findall(r'<a href="([^"]*explorer/#[^"]*)">All \d+ are in the explorer', page)
    (pair,) = urllib.parse.parse_qsl(href.split("#", 1)[1])
    return pair


def members(index: Index, group: str, term: str) -> list[str]:
    """The papers the explorer shows for one filter, in its order, read from the index files it loads."""
    import json

    files = explorer_files(index)
    data = json.loads(files["index.json"])
    tags = data["tags"] if group not in EXTRA_GROUPS else json.loads(files[data["groups"]])["tags"]
    code = chr(0x100 + data["terms"].index([group, term]))
    return [index.ordered[k] for k, codes in enumerate(tags) if code in codes]


def test_long_term_and_record_pages_list_the_newest_and_link_to_the_same_papers(built: tuple[Index, dict[str, str]]) -> None:
    index, pages = built
    checked = 0
    for src, page in pages.items():
        kind = src.split("/")[0]
        if kind not in ("taxonomy", "datasets", "metrics", "losses") or "All " not in page:
            continue
        group, term = explorer_filter(page)
        everyone = members(index, group, term)
        assert len(everyone) > WHOLE
        assert listed(page) == everyone[:LIMIT], src
        assert f"The {LIMIT} newest of {len(everyone)} papers" in page
        if kind == "datasets":
            assert everyone == index.dataset_users[term]
        checked += 1
    assert checked > 20


def test_short_lists_are_whole(built: tuple[Index, dict[str, str]]) -> None:
    index, pages = built
    short = [(facet, term) for (facet, term), ids in index.by_term.items() if 0 < len(ids) <= WHOLE]
    assert any(len(index.by_term[key]) > LIMIT for key in short)  # whole although longer than the cut
    for facet, term in short:
        page = pages[f"taxonomy/{facet}/{term}.md"]
        assert listed(page) == index.by_term[(facet, term)]
        assert "are in the explorer" not in page


def test_completeness_lists_link_to_the_missing_field_filter(built: tuple[Index, dict[str, str]]) -> None:
    index, pages = built
    page = pages["completeness.md"]
    for report in completeness(index.corpus):
        if len(report.missing) <= WHOLE:
            assert "#missing=" + report.spec.key + '"' not in page
            continue
        assert f'#missing={report.spec.key}">All {len(report.missing)} are in the explorer' in page
        assert sorted(report.missing) == sorted(pid for pid in index.ordered
                                                if report.spec.key in group_terms(index, pid, "missing"))


def test_comparison_tables_stop_and_point_to_their_csv(built: tuple[Index, dict[str, str]]) -> None:
    _index, pages = built
    task_pages = [src for src in pages if src.startswith("compare/tasks/")]
    assert task_pages
    for src in [*task_pages, "compare/method-dataset.md"]:
        rows = pages[src].count('<th scope="row">')
        total = int(re.search(r"(\d+) papers", pages[src]).group(1)) if src.startswith("compare/tasks/") else None  # type: ignore[union-attr]
        assert rows == LIMIT or rows <= WHOLE, src
        if rows == LIMIT and (total is None or total > WHOLE):
            assert "the CSV holds all of them" in pages[src]
