"""The explorer's filtering core (thg/assets/filter.js, rows.js) agrees with a reference written here in Python.

At 100,000 papers the browser filters and counts over term numbers in typed arrays, narrows the last matches as
the reader types on, and spells out a row's terms only when it is drawn (issue 18). This test builds the
explorer's index files for a 400-paper synthetic corpus, loads them in Chromium with the two scripts, and checks
random filter states over every filter (taxonomy facets, venue, dataset, metric, loss, missing field): the matching rows in index order, and for every facet term the count the explorer shows
beside it (the rows that ticking it would give, with that facet's own selection set aside). It also types a
query letter by letter through the narrowing path and checks each step against a fresh filtering.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from thg.corpus import load_corpus
from thg.index import Index, build_index, effective_terms
from thg.models import FACETS
from thg.site.explorer import EXTRA_GROUPS, explorer_files, group_terms

REPO = Path(__file__).resolve().parent.parent
PAPERS = 400
STATES = 60
WORDS = ["talking", "head", "audio", "gaussian", "lip", "sync", "emotion", "avatar", "synth1", "example", "author 1"]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import make_corpus

    root = make_corpus(tmp_path_factory.mktemp("filter") / "corpus", PAPERS, seed=11)
    loaded = load_corpus(root)
    assert loaded.corpus is not None and not loaded.problems, loaded.problems[:3]
    return build_index(loaded.corpus)


@pytest.fixture(scope="module")
def page(corpus_index: Index, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from test_browser import CHROMIUM, require_chromium, serve

    require_chromium()
    from playwright.sync_api import sync_playwright

    site = tmp_path_factory.mktemp("filter-site")
    data = site / "explorer"
    data.mkdir()
    for name, text in explorer_files(corpus_index, size=150).items():  # several shards
        (data / name).write_text(text, encoding="utf-8")
    for script in ("filter.js", "rows.js"):
        shutil.copy(REPO / "thg" / "assets" / script, site / script)
    (site / "index.html").write_text('<!doctype html><meta charset="utf-8"><script src="filter.js"></script>'
                                     '<script src="rows.js"></script>', encoding="utf-8")
    served = serve(site)
    base = next(served)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        tab = browser.new_page()
        tab.goto(base)
        tab.evaluate("async () => { window.idx = await thgRows.open('explorer/index.json'); await idx.loadAll(); await idx.loadGroups(); }")
        yield tab
        browser.close()
    next(served, None)  # stops the server


def _terms(index: Index, pid: str) -> dict[str, list[str]]:
    paper = index.corpus.papers[pid]
    terms = {facet: list(effective_terms(paper, facet)) for facet in FACETS}
    terms["venue"] = [paper.venue]
    for group in EXTRA_GROUPS:
        terms[group] = group_terms(index, pid, group)
    return terms


def _text(index: Index, pid: str) -> str:
    """What a row's text match reads (filter.js prepare): names, authors, summary, key, venue, then the names
    without punctuation or spaces ("Real Time Motion" -> "realtimemotion", which holds "emotion"); ASCII here."""
    paper = index.corpus.papers[pid]
    names = [paper.title, paper.short_name or "", *paper.aliases]
    return " ".join([*names, *paper.authors, " ".join(paper.summary.split()), index.bibkeys[pid], paper.venue,
                     *(re.sub(r"[^a-z0-9]+", "", name.lower()) for name in names)]).lower()


def _passes_base(index: Index, pid: str, state: dict[str, Any]) -> bool:
    paper = index.corpus.papers[pid]
    if (state.get("from") and paper.year < int(state["from"])) or (state.get("to") and paper.year > int(state["to"])):
        return False
    if state.get("code") == "1" and not paper.code_available:
        return False
    text = _text(index, pid)
    return all(word in text for word in str(state.get("q", "")).lower().split())


def reference(index: Index, state: dict[str, Any]) -> tuple[list[int], dict[str, dict[str, int]]]:
    """Positions of the matching papers in index order, and facet -> term -> count."""
    matches: list[int] = []
    counts: dict[str, dict[str, int]] = {facet: {} for facet in [*FACETS, "venue", *EXTRA_GROUPS]}
    for position, pid in enumerate(index.ordered):
        if not _passes_base(index, pid, state):
            continue
        terms = _terms(index, pid)
        failing = [f for f, chosen in state["sel"].items() if not set(chosen) & set(terms[f])]
        if not failing:
            matches.append(position)
        if len(failing) > 1:
            continue
        for facet in ([failing[0]] if failing else list(terms)):
            for term in terms[facet]:
                counts[facet][term] = counts[facet].get(term, 0) + 1
    return matches, counts


def random_state(index: Index, rng: random.Random) -> dict[str, Any]:
    state: dict[str, Any] = {"sel": {}}
    pool = {facet: sorted({t for pid in index.ordered for t in _terms(index, pid)[facet]})
            for facet in [*FACETS, "venue", *EXTRA_GROUPS]}
    for facet in rng.sample(sorted(pool), rng.randint(0, 3)):
        state["sel"][facet] = rng.sample(pool[facet], min(len(pool[facet]), rng.randint(1, 3)))
    if rng.random() < 0.3:
        state["sel"].setdefault("task", []).append("no-such-term")  # an unknown term in a shared URL matches nothing
    if rng.random() < 0.4:
        state["q"] = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
    if rng.random() < 0.3:
        state["from"] = str(rng.randint(2015, 2022))
    if rng.random() < 0.3:
        state["to"] = str(rng.randint(2019, 2026))
    if rng.random() < 0.3:
        state["code"] = "1"
    return state


RUN = """(state) => {
  const F = thgFilter, result = F.run(idx.rows, state).matches.map((p) => p.i);
  return [result, F.countTerms(idx.rows, state)];
}"""


def test_filters_and_counts_match_the_reference(corpus_index: Index, page: Any) -> None:
    rng = random.Random(5)
    for _ in range(STATES):
        state = random_state(corpus_index, rng)
        matches, counts = page.evaluate(RUN, state)
        expected_matches, expected_counts = reference(corpus_index, state)
        assert matches == expected_matches, json.dumps(state)
        for facet in expected_counts:
            assert counts.get(facet, {}) == expected_counts[facet], (facet, json.dumps(state))


def test_rows_spell_their_terms_and_venue(corpus_index: Index, page: Any) -> None:
    rows = page.evaluate("() => idx.rows.map((p) => [p.i, p.y, p.c, p.v, p.g])")
    assert len(rows) == PAPERS
    for position, year, code, venue, terms in rows:
        pid = corpus_index.ordered[position]
        paper = corpus_index.corpus.papers[pid]
        assert (year, code, venue) == (paper.year, int(paper.code_available), paper.venue)
        assert terms == {facet: list(effective_terms(paper, facet)) for facet in FACETS}


def test_typing_on_narrows_to_the_same_rows(corpus_index: Index, page: Any) -> None:
    """The explorer filters the last matches when the new text narrows the last one; each step must equal a
    filtering of every row."""
    steps = page.evaluate("""(queries) => {
      const F = thgFilter, out = [];
      let last = null;
      for (const q of queries) {
        const state = {sel: {architecture: ["diffusion", "nerf"]}, q: q}, words = F.queryWords(q);
        const pool = last && F.narrows(last.words, words) ? last.matches : idx.rows;
        const narrowed = F.run(pool, state).matches, fresh = F.run(idx.rows, state).matches;
        out.push([q, pool === idx.rows, narrowed.map((p) => p.i), fresh.map((p) => p.i)]);
        last = {words: words, matches: narrowed};
      }
      return out;
    }""", ["s", "sy", "syn", "synth", "synth1", "synth1 a", "synth1 au", "synth", "x", ""])
    narrowed_steps = 0
    for query, from_all, narrowed, fresh in steps:
        assert narrowed == fresh, query
        narrowed_steps += not from_all
    assert narrowed_steps == 6  # "sy" to "synth1 au" narrow; "synth" after "synth1 au", "x" and "" start over

