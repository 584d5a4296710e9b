"""Build the site from fixture trees with MkDocs (strict) and inspect the HTML it produced."""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from thg.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build(tree: Path) -> Path:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    site = tree / "site"
    assert main(["--root", str(tree), "build", "--site-dir", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_tree

    return build(make_tree(tmp_path_factory.mktemp("mini")))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_tree

    tree = make_tree(tmp_path_factory.mktemp("hostile"))
    shutil.copytree(FIXTURES / "hostile", tree, dirs_exist_ok=True)
    return build(tree)


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}={value}")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "meta" and values.get("name"):
            self.meta.append((values["name"] or "", values.get("content") or ""))
        if tag == "script":
            self.scripts.append(values.get("src") or "inline")


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(site: Path) -> Iterator[Path]:
    yield from site.rglob("*.html")


def test_every_record_has_a_page(mini_site: Path) -> None:
    for rel in ["papers/alpha-talker", "papers/beta-sync", "papers/gamma-survey", "datasets/set-one",
                "metrics/score-up", "losses/loss-one", "taxonomy/driving/audio", "results/set-one", "explorer"]:
        assert (mini_site / rel / "index.html").is_file(), rel
    import json

    csl = json.loads((mini_site / "downloads" / "all.json").read_text(encoding="utf-8"))
    assert len(csl) == 3
    assert {"family": "Öztürk", "given": "Çağla"} in [item["author"][0] for item in csl]
    for name in ["all.bib", "all.json", "all.ris"]:
        assert (mini_site / "downloads" / name).is_file(), name
    # A facet term's file is assembled in the browser from these (thg/assets/cite.js), never published.
    assert sorted(p.name for p in (mini_site / "downloads").iterdir()) == ["all.bib", "all.json", "all.ris", "index.html",
                                                                          "results"]


def test_no_broken_internal_links(mini_site: Path) -> None:
    broken = []
    for page in pages(mini_site):
        if page.name == "404.html":
            continue  # MkDocs writes the 404 page with site-absolute links on purpose
        for href in parse(page).links:
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(mini_site)} -> {href}")
    assert broken == []


def test_citation_meta_tags(mini_site: Path) -> None:
    meta = parse(mini_site / "papers" / "alpha-talker" / "index.html").meta
    assert ("citation_title", "AlphaTalker: A Test Fixture for NeRF-based Talking Heads") in meta
    assert [v for k, v in meta if k == "citation_author"] == ["Ada Example", "Bruno Fixture"]
    assert ("citation_publication_date", "2023") in meta
    assert ("citation_arxiv_id", "2301.00001") in meta
    assert ("citation_pdf_url", "https://arxiv.org/pdf/2301.00001") in meta
    assert ("citation_doi", "10.1234/gamma.2024.1") in parse(mini_site / "papers/gamma-survey/index.html").meta


def test_results_best_value_follows_metric_direction(mini_site: Path) -> None:
    text = (mini_site / "results" / "set-one" / "index.html").read_text(encoding="utf-8")
    assert '<td class="thg-best">0.90</td>' in text  # higher is better
    assert '<td class="thg-best">10.1</td>' in text  # lower is better
    assert "<td>—</td>" in text  # a missing value is shown, never invented
    # Two protocols on one dataset stay separate groups, never merged into one ranking.
    assert text.count("<h2 id=\"protocol-") == 2
    assert "<td>0.95</td>" in text  # a one-row table has no "best": nothing was compared


def test_unstated_protocols_stand_alone_and_reference_rows_are_not_ranked(mini_site: Path) -> None:
    text = (mini_site / "results" / "set-two" / "index.html").read_text(encoding="utf-8")
    # Two tables whose sources state no protocol are two groups: "unknown" is not a shared protocol.
    assert text.count("<h2 id=\"protocol-") == 2
    # The real-video row has the highest value but is a reference, not a competitor.
    assert '<td class="thg-best">0.99</td>' not in text and "<td>0.99</td>" in text
    assert '<td class="thg-best">0.70</td>' in text
    assert "reference row, not ranked" in text and "Caption: Snapshot of reported numbers." in text


def test_metric_page_shows_mathml(mini_site: Path) -> None:
    page = (mini_site / "metrics" / "score-up" / "index.html").read_text(encoding="utf-8")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in page
    assert "Copy LaTeX" in page and "\\[" not in page


def test_search_index_covers_titles_authors_and_summaries(mini_site: Path) -> None:
    import json

    docs = json.loads((mini_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    index = " ".join(d["title"] + " " + d["text"] for d in docs)
    for needle in ["AlphaTalker", "Bruno Fixture", "Öztürk", "every page template has data"]:
        assert needle in index


def test_hostile_record_cannot_inject(hostile_site: Path) -> None:
    page = hostile_site / "papers" / "hostile" / "index.html"
    parsed = parse(page)
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert "<b>Bold</b>" not in text
    assert not any("alert" in h for h in parsed.handlers)
    assert not any(href.startswith("javascript:") for href in parsed.links)
    assert "<h1>Heading injection" not in text and 'id="heading-injection"' not in text
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    assert title and "<" not in title.group(1)
    for other in pages(hostile_site):
        parsed_other = parse(other)
        assert parsed_other.handlers == [], other
        assert "<script>alert" not in other.read_text(encoding="utf-8"), other


def test_comparison_tables_and_csv(mini_site: Path) -> None:
    import pandas as pd

    lip = pd.read_csv(mini_site / "compare" / "tasks" / "lip-sync.csv")
    assert list(lip["id"]) == ["beta-sync"]
    assert lip.loc[0, "Datasets"] == "SetOne, SetTwo" and lip.loc[0, "Driving"] == "Audio"
    portrait = pd.read_csv(mini_site / "compare" / "tasks" / "audio-driven-portrait.csv")
    assert portrait.loc[0, "Real-time"] == "yes" and portrait.loc[0, "Code"] == "yes"
    assert ".0," not in (mini_site / "compare" / "datasets.csv").read_text(encoding="utf-8")  # no 2026.0 years
    datasets = pd.read_csv(mini_site / "compare" / "datasets.csv").set_index("id")
    assert datasets.loc["set-one", "Papers using it"] == 2 and datasets.loc["set-one", "Identities"] == 10
    adoption = pd.read_csv(mini_site / "compare" / "metric-adoption.csv").set_index("year")
    assert adoption.loc[2023, "score-up"] == 1 and adoption.loc[2021, "score-up"] == 1
    grid = pd.read_csv(mini_site / "compare" / "method-dataset.csv").set_index("id")
    assert bool(grid.loc["beta-sync", "set-two"]) and not bool(grid.loc["alpha-talker", "set-two"])
    page = (mini_site / "compare" / "metrics" / "index.html").read_text(encoding="utf-8")
    assert 'class="thg-chart"' in page and "higher is better" in page and "lower is better" in page


def test_results_cli_groups_protocols(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini_tree), "results", "--dataset", "set-one", "--metric", "score-up"]) == 0
    out = capsys.readouterr().out
    assert "== Protocol 1: setting one-shot, resolution 256x256, test clips 10 (ranked within each table)" in out
    assert "== Protocol 2: setting person-specific, resolution 512x512 (ranked within each table)" in out
    assert "*0.90" in out and "*0.95" not in out and "0.95" in out
    assert "score-down" not in out
    assert main(["--root", str(mini_tree), "results", "--dataset", "set-two"]) == 0
    out = capsys.readouterr().out
    assert "== Protocol 1: not stated by the source" in out and "== Protocol 2: not stated by the source" in out
    assert "Real Video (ref)" in out and "*0.99" not in out and "*0.70" in out
    assert main(["--root", str(mini_tree), "results", "--dataset", "nope"]) == 2


def test_dirty_rebuild_rewrites_only_what_changed(mini_tree: Path) -> None:
    """`thg serve` rebuilds dirty: editing one record rewrites its page, not the pages that do not show it."""
    import time

    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    site = mini_tree / "site"

    def rebuild() -> None:
        mkdocs_build.build(load_config(str(mini_tree / "mkdocs.yml"), site_dir=str(site), strict=False), dirty=True)

    rebuild()
    pages = {name: site / "papers" / name / "index.html" for name in ("alpha-talker", "beta-sync", "gamma-survey")}
    before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
    index_before = (site / "papers" / "index.html").stat().st_mtime_ns
    time.sleep(0.05)
    record = mini_tree / "papers" / "beta-sync.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "A second fictional record", "An edited second fictional record"), encoding="utf-8")
    rebuild()
    assert "An edited second fictional record" in pages["beta-sync"].read_text(encoding="utf-8")
    assert pages["beta-sync"].stat().st_mtime_ns != before["beta-sync"]
    assert pages["alpha-talker"].stat().st_mtime_ns == before["alpha-talker"]
    assert pages["gamma-survey"].stat().st_mtime_ns == before["gamma-survey"]
    assert (site / "papers" / "index.html").stat().st_mtime_ns == index_before  # lists titles, not summaries
    assert (site / "assets" / "thg" / "chrome" / "papers.js").is_file()  # the shared chrome outlives a dirty build
    # Compiled templates are kept between rebuilds (thg.site.generate.THEME_COMPILED): an edited one is compiled again.
    theme = mini_tree / "overrides" / "main.html"
    theme.write_text(theme.read_text(encoding="utf-8").replace(
        "{% block header %}", "{% block header %}<!-- edited theme template -->", 1), encoding="utf-8")
    rebuild()
    assert "<!-- edited theme template -->" in (site / "404.html").read_text(encoding="utf-8")


def test_completeness_page_shows_rates_and_lists_what_is_missing(mini_site: Path) -> None:
    page = (mini_site / "completeness" / "index.html").read_text(encoding="utf-8")
    assert "Data completeness" in page
    assert "Publication status checked</a></th><td>all papers</td><td>0 of 3</td>" in page
    # gamma-survey proposes no model: datasets and losses are asked of the two method papers only
    assert "Datasets</a></th><td>method papers</td><td>2 of 2</td>" in page
    assert "Losses</a></th><td>method papers</td><td>1 of 2</td>" in page
    missing = page.split('id="missing-losses"')[1].split("</details>")[0]
    assert "beta-sync" in missing and "alpha-talker" not in missing and "gamma-survey" not in missing
    assert "None: every applicable paper has it." in page.split('id="missing-datasets"')[1].split("</details>")[0]
ATOM_SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom.rng"


def test_feeds_are_valid_atom_and_link_to_paper_pages(mini_site: Path) -> None:
    """Every feed: RFC 4287's grammar (RELAX NG), the RFC's rules beyond it, and a real feed reader's parser."""
    import feedparser
    from lxml import etree

    schema = etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted((mini_site / "feeds").rglob("*.xml"))
    assert [f.relative_to(mini_site / "feeds").as_posix() for f in feeds] == [
        "all.xml", "dataset/set-one.xml", "dataset/set-two.xml", "task/audio-driven-portrait.xml",
        "task/lip-sync.xml", "task/survey.xml"]
    for path in feeds:
        tree = etree.parse(str(path))
        assert schema.validate(tree), f"{path}: {schema.error_log}"
        root = tree.getroot()
        entries = root.findall(f"{atom}entry")
        has_feed_author = root.find(f"{atom}author") is not None
        ids = [e.findtext(f"{atom}id") for e in entries]
        assert len(ids) == len(set(ids)), path
        for element in [root, *entries]:
            alternates = [(link.get("type"), link.get("hreflang")) for link in element.findall(f"{atom}link")
                          if link.get("rel", "alternate") == "alternate"]
            assert len(alternates) == len(set(alternates)), path
            assert urllib.parse.urlsplit(element.findtext(f"{atom}id") or "").scheme == "https"
        for entry in entries:
            assert has_feed_author or entry.find(f"{atom}author") is not None
            assert entry.find(f"{atom}content") is not None or alternates
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0 and parsed.version == "atom10", (path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            url = entry.link
            assert url.startswith("https://thg.example/papers/"), url
            assert (mini_site / url.removeprefix("https://thg.example/") / "index.html").is_file(), url
    everything = feedparser.parse((mini_site / "feeds" / "all.xml").read_bytes())
    # Newest addition first; gamma-survey has no `added` date, so it is in no feed.
    assert [e.link for e in everything.entries] == ["https://thg.example/papers/beta-sync/",
                                                    "https://thg.example/papers/alpha-talker/"]
    beta = everything.entries[0]
    assert beta.title == "Beta-Sync: Lip Sync Experts & 100% Coverage"
    assert [a.name for a in beta.authors] == ["Çağla Öztürk", "José Núñez", "李 小龍"]
    assert beta.updated == "2026-11-02T00:00:00Z" and "arXiv 2021" in beta.summary
    home = (mini_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and 'href="feeds/all.xml"' in home
    dataset = (mini_site / "datasets" / "set-one" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/dataset/set-one.xml"' in dataset


def test_new_page_orders_by_date_added_then_arxiv_month(mini_site: Path) -> None:
    text = (mini_site / "new" / "index.html").read_text(encoding="utf-8")
    assert "Added in November 2026, the latest month with additions (2)" in text
    assert text.index("papers/beta-sync/") < text.index("papers/alpha-talker/")  # added 2026-11-02 vs 11-01
    assert "posted January 2021" in text and "gamma-survey" not in text
    home = (mini_site / "index.html").read_text(encoding="utf-8")
    newest = home[home.index('id="newest"'):]
    assert newest.index("beta-sync") < newest.index("alpha-talker") < newest.index("gamma-survey")


def test_cite_this_knowledge_base(mini_site: Path) -> None:
    import subprocess
    import sys

    import yaml

    cite = (mini_site / "cite" / "index.html").read_text(encoding="utf-8")
    assert "Version 2026.11.02" in cite and "3 papers, 2 datasets, 2 metrics, 1 loss)" in cite
    snapshot = yaml.safe_load((mini_site / "CITATION.cff").read_text(encoding="utf-8"))
    assert snapshot["version"] == "2026.11.02" and snapshot["date-released"] == "2026-11-02"
    repo = Path(__file__).resolve().parent.parent
    bin_dir = Path(sys.executable).parent
    for path in (repo / "CITATION.cff", mini_site / "CITATION.cff"):
        subprocess.run([str(bin_dir / "check-jsonschema"), "--builtin-schema", "vendor.citation-file-format",
                        str(path)], check=True, capture_output=True)
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0])
    assert yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))["url"] == config["site_url"]


def test_no_page_shows_a_missing_value_as_none(mini_site: Path, hostile_site: Path) -> None:
    for site in (mini_site, hostile_site):
        for page in pages(site):
            text = re.sub(r"<script.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S)
            # Python's None leaking into a page: a cell or element that says only "None", or "None · 2D".
            assert not re.search(r">\s*None\s*<|\bNone ·|· None\b", text), page


def test_results_page_lists_values_per_method_collapsed(mini_site: Path) -> None:
    text = (mini_site / "results" / "set-one" / "index.html").read_text(encoding="utf-8")
    section = text[text.index('id="by-method"'):]
    assert section.count('<details class="thg-method-values">') == 3  # alpha-talker, beta-sync, Some Baseline
    assert "<details open" not in section
    beta = section[section.index("Beta-Sync"):]
    assert "3 values from 2 sources" in beta[:300]


def test_paper_page_shows_venue_evidence_check_date_and_release(mini_site: Path) -> None:
    page = (mini_site / "papers" / "alpha-talker" / "index.html").read_text(encoding="utf-8")
    venue = page.split('class="thg-venue"')[1].split("</p>")[0]
    assert 'href="https://example.org/proceedings/alpha-talker"' in venue and "where the venue is shown" in venue
    release = page.split('class="thg-release"')[1].split("</p>")[0]
    assert "licence <strong>MIT</strong>" in release
    assert "trained weights <strong>announced, not yet released</strong>" in release
    assert 'href="https://example.org/code/alpha-talker/README.md"' in release
    other = (mini_site / "papers" / "beta-sync" / "index.html").read_text(encoding="utf-8")
    assert 'class="thg-release"' not in other and "publication status checked" not in other


def test_paper_page_shows_when_the_status_was_checked(mini_tree: Path) -> None:
    from thg.index import build_index
    from thg.site.generate import GeneratedPage, generate_site
    from thg.validate import load_valid

    record = mini_tree / "papers" / "beta-sync.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("added: 2026-11-02", "added: 2026-11-02\nstatus_checked: 2026-12-06"),
                      encoding="utf-8")
    page = generate_site(build_index(load_valid(mini_tree)))["papers/beta-sync.md"]
    assert isinstance(page, GeneratedPage)
    assert "publication status checked 2026-12-06" in page.body.split('class="thg-venue"')[1].split("</p>")[0]


def test_theme_files_no_reader_fetches_are_not_published(mini_site: Path, tmp_path: Path) -> None:
    """Source maps and the lunr languages the search does not use are removed (thg.site.prune); what Material's
    search worker imports for the configured languages stays, and the header search still works (test_browser)."""
    from thg.site.prune import lunr_files_needed, prune_theme_files

    scripts = mini_site / "assets" / "javascripts"
    assert scripts.joinpath("workers").is_dir() and list(scripts.glob("bundle.*.min.js"))
    assert not list(scripts.rglob("*.map"))
    assert not [p for p in (scripts / "lunr").rglob("*") if p.is_file()]  # English only: the worker imports none
    assert lunr_files_needed(["en", "de", "ja"]) == {"min/lunr.de.min.js", "min/lunr.ja.min.js", "tinyseg.js",
                                                      "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}
    # A site searching German keeps German's stemmer and the support file, and nothing else.
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text('{"config": {"lang": ["de"]}, "docs": []}', encoding="utf-8")
    for name in ("min/lunr.de.min.js", "min/lunr.fr.min.js", "min/lunr.stemmer.support.min.js", "wordcut.js"):
        (site / "assets/javascripts/lunr" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "assets/javascripts/lunr" / name).write_text("//", encoding="utf-8")
    (site / "assets/javascripts/bundle.js.map").write_text("{}", encoding="utf-8")
    removed = prune_theme_files(site)
    assert sorted(p.relative_to(site).as_posix() for p in removed) == [
        "assets/javascripts/bundle.js.map", "assets/javascripts/lunr/min/lunr.fr.min.js", "assets/javascripts/lunr/wordcut.js"]
