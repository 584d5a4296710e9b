"""Publication status: a preprint that became a conference paper, completeness, stale checks, provenance."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import bibtexparser
import pytest

from thg.cli import main
from thg.completeness import completeness, months_before, stale
from thg.export import FORMATS
from thg.index import build_index
from thg.provenance import primary_sources, source_kinds
from thg.validate import load_valid

PREPRINT = """\
id: delta-face
title: "Delta-Face: Talking Heads from One Photo"
short_name: Delta-Face
authors: [Dana Example, Eli Example]
year: 2024
venue: arXiv
type: preprint
arxiv: "2412.00004"
tags:
  driving: [audio]
  identity: [single-image]
  output: [2d-video]
  architecture: [diffusion]
  task: [audio-driven-portrait]
  flags: []
summary: A fictional record of a preprint that is later published, for the test suite.
sources: [https://arxiv.org/abs/2412.00004]
"""

PUBLISHED = PREPRINT.replace("year: 2024\nvenue: arXiv\ntype: preprint\n", "year: 2025\nvenue: CVPR\ntype: conference\n") \
    .replace('arxiv: "2412.00004"\n', 'arxiv: "2412.00004"\ndoi: "10.1109/CVPR.2025.0004"\n'
             "venue_source: https://openaccess.thecvf.com/content/CVPR2025/html/delta_face.html\n"
             "status_checked: 2026-12-06\n") \
    .replace("sources: [https://arxiv.org/abs/2412.00004]",
             "sources: [https://arxiv.org/abs/2412.00004, https://openaccess.thecvf.com/content/CVPR2025/html/delta_face.html]")


def export_one(tree: Path, fmt: str) -> str:
    index = build_index(load_valid(tree))
    writer, _ = FORMATS[fmt]
    return writer([index.corpus.papers["delta-face"]], index.bibkeys, index.corpus.taxonomy)


def test_a_preprint_that_became_a_conference_paper_exports_as_the_published_version(mini_tree: Path) -> None:
    record = mini_tree / "papers" / "delta-face.yaml"
    record.write_text(PREPRINT, encoding="utf-8")
    before = bibtexparser.parse_string(export_one(mini_tree, "bibtex")).entries[0]
    assert before.entry_type == "misc" and "booktitle" not in before.fields_dict

    record.write_text(PUBLISHED, encoding="utf-8")
    entry = bibtexparser.parse_string(export_one(mini_tree, "bibtex")).entries[0]
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "inproceedings"
    assert fields["booktitle"] == "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert fields["year"] == "2025" and fields["doi"] == "10.1109/CVPR.2025.0004"
    assert fields["eprint"] == "2412.00004" and "howpublished" not in fields

    csl = json.loads(export_one(mini_tree, "csljson"))[0]
    assert csl["type"] == "paper-conference" and csl["DOI"] == "10.1109/CVPR.2025.0004"
    assert "Computer Vision and Pattern Recognition" in csl["container-title"]
    ris = export_one(mini_tree, "ris")
    assert "TY  - CONF" in ris and "DO  - 10.1109/CVPR.2025.0004" in ris


def test_completeness_counts_each_field_over_the_papers_it_applies_to(mini_tree: Path) -> None:
    (mini_tree / "papers" / "delta-face.yaml").write_text(PUBLISHED, encoding="utf-8")
    reports = {r.spec.key: r for r in completeness(load_valid(mini_tree))}
    assert reports["status_checked"].overall.have == 1 and reports["status_checked"].overall.applicable == 4
    published = reports["venue_source"]
    assert published.missing == [pid for pid in published.missing if pid != "delta-face"]
    assert "delta-face" not in reports["doi"].missing
    # gamma-survey proposes no model, so datasets are not asked of it
    assert "gamma-survey" not in reports["datasets"].missing
    assert reports["datasets"].overall.applicable == 3
    assert reports["status_checked"].by_year[2025].have == 1


def test_stale_lists_preprints_and_codeless_papers_not_checked_since_the_cutoff(mini_tree: Path) -> None:
    checked_long_ago = PREPRINT.replace('arxiv: "2412.00004"\n', 'arxiv: "2412.00004"\nstatus_checked: 2026-01-15\n')
    (mini_tree / "papers" / "delta-face.yaml").write_text(checked_long_ago, encoding="utf-8")
    corpus = load_valid(mini_tree)
    found = stale(corpus, 6, today=dt.date(2026, 12, 6))
    assert found.cutoff == dt.date(2026, 6, 6)
    assert "delta-face" in [p.id for p in found.preprints]
    assert "delta-face" in [p.id for p in found.without_code]
    assert [p.id for p in stale(corpus, 12, today=dt.date(2026, 12, 6)).preprints].count("delta-face") == 0


def test_months_before_clamps_to_the_end_of_a_shorter_month() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 1, 10), 13) == dt.date(2024, 12, 10)
    assert months_before(dt.date(2026, 1, 10), 0) == dt.date(2026, 1, 10)


def test_stats_commands(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini_tree / "papers" / "delta-face.yaml").write_text(PUBLISHED, encoding="utf-8")
    assert main(["--root", str(mini_tree), "stats", "--completeness", "--by-year", "--missing"]) == 0
    out = capsys.readouterr().out
    assert "Publication status checked   all papers             1 / 4" in out
    assert "Lacking publication status checked (3):" in out and "2025" in out
    assert main(["--root", str(mini_tree), "stats", "--stale", "--months", "6"]) == 0
    out = capsys.readouterr().out
    assert "Preprints whose publication status was not checked since" in out and "beta-sync" in out
    assert "delta-face" not in out
    assert main(["--root", str(mini_tree), "stats", "--months", "6"]) == 2
    assert "--months only applies with --stale" in capsys.readouterr().err
    assert main(["--root", str(mini_tree), "stats", "--stale", "--months", "-1"]) == 2


@pytest.mark.parametrize(("url", "primary"), [
    ("https://arxiv.org/abs/2008.10010", True),
    ("https://export.arxiv.org/abs/2008.10010", True),
    ("https://arxiv.org./abs/2008.10010", True),
    ("https://openaccess.thecvf.com/content/CVPR2024/html/x.html", True),
    ("https://github.com/Rudrabha/Wav2Lip/blob/abc/README.md", True),
    ("https://someone.github.io/project/", True),
    ("https://huggingface.co/papers/2410.13726", False),
    ("https://huggingface.co/org/model", True),
    ("https://www.sciencestack.ai/paper/2410.13726", False),
    ("https://arxiv.org.evil.example/abs/1", False),
    ("https://notgithub.com/x", False),
    ("https://cs.stanford.edu/~someone/", True),
    ("https://inha.elsevierpure.com/en/publications/x", True),
])
def test_source_kinds(url: str, primary: bool) -> None:
    assert source_kinds().is_primary(url) is primary


def test_a_project_page_on_any_host_is_primary_because_the_record_links_it(mini_tree: Path) -> None:
    text = PREPRINT.replace("sources: [https://arxiv.org/abs/2412.00004]",
                            "links: {project: 'https://delta.example.org/'}\n"
                            "sources: [https://delta.example.org/, https://www.sciencestack.ai/x]")
    (mini_tree / "papers" / "delta-face.yaml").write_text(text, encoding="utf-8")
    paper = load_valid(mini_tree).papers["delta-face"]
    assert primary_sources(paper) == ["https://delta.example.org/"]
    # the same page written with another scheme, www. or a trailing slash is still the record's own link
    text = text.replace("sources: [https://delta.example.org/,", "sources: [http://www.delta.example.org,")
    (mini_tree / "papers" / "delta-face.yaml").write_text(text, encoding="utf-8")
    assert primary_sources(load_valid(mini_tree).papers["delta-face"]) == ["http://www.delta.example.org"]
