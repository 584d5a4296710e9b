"""The escaping contract, checked by real BibTeX: every record that validates exports to BibTeX that BibTeX
reads back with every entry intact (same count, same fields, same number of authors, text that decodes
back to the record). Over the whole corpus, the hostile fixtures, and records hypothesis makes up.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_inputs import cases
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from realbibtex import one_line, read_back

from thg.export.bibtex import bibtex_entry, entry_for
from thg.export.latex import escape, unescape
from thg.index import build_index
from thg.models import ARXIV_PATTERN, DOI_PATTERN, URL_PATTERN, Paper
from thg.taxonomy import Taxonomy, load_taxonomy
from thg.validate import load_valid

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def split_names(field: str) -> list[str]:
    """A BibTeX author field split at ' and ' outside braces (as BibTeX does)."""
    names, depth, current = [], 0, ""
    for word in field.split(" "):
        if depth == 0 and word.lower() == "and":
            names.append(current.strip())
            current = ""
            continue
        depth += word.count("{") - word.count("}")
        current += " " + word
    return [*names, current.strip()]


def assert_read_back_intact(papers: list[Paper], keys: dict[str, str], taxonomy: Taxonomy) -> None:
    """Export `papers`, read the file with real BibTeX, and compare entry by entry."""
    bib = "\n".join(bibtex_entry(p, keys[p.id], taxonomy) for p in papers)
    read = read_back(bib)
    assert read.complaints == [] and read.exit_code == 0, read.log
    assert len(read.entries) == len(papers), f"BibTeX read {len(read.entries)} of {len(papers)} entries"
    for paper in papers:
        key = keys[paper.id]
        written = entry_for(paper, key, taxonomy)
        assert read.types[key] == written.entry_type
        assert read.entries[key] == {f.key.lower(): one_line(f.value) for f in written.fields}, paper.id
        assert read.names[key] == len(paper.authors), f"{paper.id}: BibTeX split the authors differently"
        assert unescape(read.entries[key]["title"]) == one_line(paper.title)
        assert [unescape(name) for name in split_names(read.entries[key]["author"])] == \
            [one_line(name) for name in paper.authors]


def test_whole_corpus_reads_back_intact() -> None:
    index = build_index(load_valid(REPO))
    papers = [index.corpus.papers[i] for i in index.ordered]
    assert_read_back_intact(papers, index.bibkeys, index.corpus.taxonomy)


def _hostile_trees() -> list[str]:
    return ["html-payloads", *(case.name for case in cases() if not case.expected)]


@pytest.mark.parametrize("name", _hostile_trees())
def test_hostile_records_read_back_intact(name: str, tree_factory: Callable[[str], Path]) -> None:
    """Every hostile input that validates (lone braces, backslashes, formulas, HTML) survives real BibTeX."""
    tree = tree_factory("mini")
    if name == "html-payloads":
        shutil.copytree(FIXTURES / "hostile", tree, dirs_exist_ok=True)
    else:
        case = next(c for c in cases() if c.name == name)
        for rel, content in case.files.items():
            (tree / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    index = build_index(load_valid(tree))
    assert_read_back_intact([index.corpus.papers[i] for i in index.ordered], index.bibkeys, index.corpus.taxonomy)


def test_a_lone_brace_no_longer_loses_the_entries_after_it() -> None:
    """Issue 15: a lone brace written as \\{ opens a group for BibTeX: the title swallows the closing brace
    and BibTeX reports an error (in the corpus export it lost every entry after the bad one)."""
    def library(title: str) -> str:
        return "".join(f"@misc{{{key},\n title = {{{text}}}\n}}\n" for key, text in
                       (("a", title), ("b", "Next"), ("c", "Last")))

    before = read_back(library("Lone \\{ brace"))
    assert before.complaints and before.entries["a"]["title"] == "Lone \\{ brace}"
    after = read_back(library(escape("Lone { brace")))
    assert after.complaints == [] and list(after.entries) == ["a", "b", "c"]
    assert unescape(after.entries["a"]["title"]) == "Lone { brace"


_TAXONOMY = load_taxonomy(REPO)[0]
assert _TAXONOMY is not None
_VENUES = sorted(_TAXONOMY.venues)
_TRICKY = st.sampled_from([*"{}\\&%$#_~^@\",'= ", "and", " AND ", "{and}", "\\{", "}{", "--", "\u00e9", "\u674e"])
_text = st.lists(st.one_of(_TRICKY, st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))),
                 min_size=1, max_size=40).map("".join)


@st.composite
def papers(draw: st.DrawFn) -> dict[str, object]:
    venue = draw(st.sampled_from(_VENUES))
    record: dict[str, object] = {
        "id": "p", "title": draw(_text), "authors": draw(st.lists(_text, min_size=1, max_size=4)),
        "year": draw(st.integers(1990, 2026)), "venue": venue, "type": _TAXONOMY.venues[venue].kind,
        "tags": {"driving": ["audio"], "identity": ["single-image"], "output": ["2d-video"],
                 "architecture": ["gan"], "task": ["lip-sync"]},
        "summary": "A record made up by the property test to check the BibTeX escaping contract.",
        "arxiv": draw(st.from_regex(ARXIV_PATTERN, fullmatch=True)),
    }
    if draw(st.booleans()):
        record["doi"] = draw(st.from_regex(DOI_PATTERN, fullmatch=True).filter(lambda d: len(d) <= 300))
    if draw(st.booleans()):
        record["url"] = draw(st.from_regex(URL_PATTERN, fullmatch=True).filter(lambda u: len(u) <= 2000))
    return record


@settings(max_examples=int(os.environ.get("THG_BIBTEX_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(papers(), min_size=1, max_size=4))
def test_any_valid_record_reads_back_intact_in_real_bibtex(records: list[dict[str, object]]) -> None:
    """Property: any records that validate export to BibTeX that real BibTeX reads back with every entry intact."""
    assert _TAXONOMY is not None
    valid = []
    for number, record in enumerate(records):
        try:
            valid.append(Paper.model_validate({**record, "id": f"p{number}"}))
        except ValidationError:
            continue
    assume(valid)
    keys = {paper.id: f"key{number}" for number, paper in enumerate(valid)}
    assert_read_back_intact(valid, keys, _TAXONOMY)
