"""Stage 5: render every generated page and data file from the records.

`generate_site` is a pure function from (corpus, index) to {site path: content}. The MkDocs hook
(`thg.site.hooks`) feeds its output to MkDocs as virtual files, so nothing generated is written
into `docs/` or committed. Every page goes through `Renderer.page`, one entry point with one
uniform context; templates live in `thg/templates/` and can be overridden from `overrides/thg/`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup

from thg import __version__, compare
from thg.eval.catalog import MetricSpec, implementations
from thg.eval.weights import for_metric
from thg.export import FORMAT_LIST
from thg.export.spreadsheet import frame_csv
from thg.formula import FormulaError, to_mathml
from thg.index import CODE_FLAG, NO_DATASET, Index, effective_terms
from thg.models import FACETS, FOLDERS, Paper
from thg.results import KIND_NOTES, claims, column, is_best, protocol_groups, protocol_ranking, reported_values, spreads
from thg.site import charts
from thg.site.cite import knowledge_base_citation
from thg.site.explorer import explorer_files, extra_filters, search_records, shared_terms
from thg.site.feeds import FEED_SIZE, Feed, feed_files, feed_list
from thg.site.recent import arxiv_posted, months_added, newest_first


@dataclass(frozen=True)
class GeneratedPage:
    """A generated page: its metadata and its body, which is finished HTML.

    MkDocs gets the body as the page's content and the metadata directly (thg.site.hooks), so
    neither front matter parsing nor Markdown runs over thousands of generated pages.
    `as_markdown` gives the equivalent Markdown file (front matter + raw HTML) for plain MkDocs.
    """

    meta: dict[str, Any]
    body: str

    def as_markdown(self) -> str:
        return front_matter(self.meta) + self.body


Content = str | bytes | GeneratedPage

RECORD_HIDE = ["navigation", "toc"]
WIDE = ["navigation", "toc"]
"""Pages of wide tables hide both sidebars, so the table gets the whole width of the window."""
RECORD_META = {"hide": RECORD_HIDE, "thg_record": True}
"""Record pages are not in the navigation (it would not scale); hiding the sidebars also widens them."""
EXPLORER_FIRST_ROWS = 50
"""Rows pre-rendered into the explorer's HTML; must equal PAGE in explorer.js."""
LIST_WHOLE = 500
LIST_LIMIT = 200
"""A term, dataset, metric, loss or completeness list of up to LIST_WHOLE papers is shown whole; a longer one
shows its LIST_LIMIT newest and points to the explorer, which has them all (filtered by the same term), and a
longer comparison table shows as many rows and points to its CSV. At the real corpus almost every list is whole;
at 10,000 papers the lists of every member were a quarter of the site."""
EXPLORER_DATA = "assets/thg/explorer"
"""The explorer's sharded index (thg.site.explorer.explorer_files)."""
ASSETS = ("thg.css", "filter.js", "rows.js", "cite.js", "explorer.js", "search.js", "copy.js", "sortable.js",
          "pagefind-init.js")
NEWEST_ON_HOME = 12
NEW_MONTHS = 3
"""Months of additions the New page lists in full (the feeds carry the newest fifty papers)."""
MATRICES = (("driving", "architecture"), ("output", "task"), ("identity", "task"))


@functools.cache
def page_dir(src: str) -> str:
    """The directory URL MkDocs (use_directory_urls) gives a Markdown page, relative to the site root."""
    if not src.endswith(".md"):
        return posixpath.dirname(src)
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("/index")]
    return stem


@functools.cache
def _up(from_src: str) -> str:
    """'../' once per folder level of the page (or file) a link starts from."""
    start = page_dir(from_src) if from_src.endswith(".md") else posixpath.dirname(from_src)
    return "../" * (start.count("/") + 1) if start else ""


def relative_url(from_src: str, to_src: str) -> str:
    """A link from one generated page to another page or file, relative so the site works anywhere.

    Up to the site root, then down to the target: O(1) per link, which matters at 100,000 pages.
    """
    if to_src.endswith(".md"):
        target = page_dir(to_src)
        return (_up(from_src) + target + "/") if target else (_up(from_src) or "./")
    return _up(from_src) + to_src


def paper_src(pid: str) -> str:
    return f"papers/{pid}.md"


def term_src(facet: str, term: str) -> str:
    return f"taxonomy/{facet}/{term}.md"


def record_src(kind: str, rid: str) -> str:
    return FOLDERS[kind] + f"/{rid}.md"


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; safe_dump quotes whatever a record holds."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


_RENDER_CACHE: dict[str, tuple[str, GeneratedPage]] = {}
"""src -> (fingerprint of the page's inputs, page), kept across rebuilds of `thg serve` (this module is
imported once per process, while MkDocs re-reads mkdocs.yml and the hook file on each rebuild)."""


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates kept for the life of the process: `thg serve` rebuilds after every edit with a
    fresh template environment (ours and the theme's), which otherwise compiles every template again, a
    quarter of a rebuild. Jinja checks each entry against the template's source checksum, so an edited
    template is compiled anew."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()
THEME_COMPILED = CompiledTemplates()
"""One cache per environment: a template's compiled code depends on the environment's settings."""


BUILT: dict[str, dict[str, str]] = {}
"""site folder -> src -> fingerprint of what the previous build wrote there; lets dirty rebuilds
(`thg serve`) skip pages whose content did not change."""


def fingerprint(*parts: Any) -> str:
    return hashlib.blake2b(json.dumps(parts, sort_keys=True, default=str).encode("utf-8"), digest_size=16).hexdigest()


def _blank_none(value: Any) -> Any:
    """A missing value prints as nothing, never as the word "None" (templates say what a gap means)."""
    return "" if value is None else value


def table_cell(value: Any) -> Any:
    """A DataFrame cell for a page: missing (None, NaN, pandas' NA) is an empty cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return value


def mathml_or_none(tex: str) -> Markup | None:
    """Sanitised MathML for a formula, or None so the template shows the LaTeX source instead."""
    try:
        return Markup(to_mathml(tex))
    except FormulaError:
        return None


@dataclass
class Renderer:
    index: Index
    env: Environment
    site_name: str = "thg"

    @classmethod
    def create(cls, index: Index, overrides: Path | None = None) -> Renderer:
        loaders: list[Any] = []
        if overrides is not None and overrides.is_dir():
            loaders.append(FileSystemLoader(str(overrides)))
        loaders.append(PackageLoader("thg", "templates"))
        env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_blank_none,
            bytecode_cache=COMPILED,
        )
        env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
        env.filters["mathml"] = mathml_or_none
        env.filters["cell"] = table_cell
        env.filters["arxiv_posted"] = arxiv_posted
        taxonomy = index.corpus.taxonomy
        for facet in FACETS:
            env.filters[f"label_{facet}"] = functools.partial(taxonomy.label, facet)
        return cls(index, env)

    def context(self, src: str) -> dict[str, Any]:
        corpus = self.index.corpus
        url: Callable[[str], str] = lambda target: relative_url(src, target)  # noqa: E731
        return {
            "src": src,
            "url": url,
            "paper_url": lambda pid: url(paper_src(pid)),
            "explorer_url": lambda group, term: f"{url('explorer.md')}#{group}={quote(term, safe='')}",
            "list_limit": LIST_LIMIT,
            "list_whole": LIST_WHOLE,
            "term_url": lambda facet, term: url(term_src(facet, term)),
            "record_url": lambda kind, rid: url(record_src(kind, rid)),
            "corpus": corpus,
            "taxonomy": corpus.taxonomy,
            "index": self.index,
            "facets": FACETS,
            "terms_of": effective_terms,
            "label": corpus.taxonomy.label,
            "code_flag": CODE_FLAG,
            "best": lambda table, row, metric: is_best(corpus, table, row, metric),
            "weights_label": weights_label,
            "column": lambda table, key: column(corpus, table, key),
            "kind_notes": KIND_NOTES,
        }

    def page(self, template: str, src: str, meta: dict[str, Any], *, inputs: str | None = None,
             **values: Any) -> GeneratedPage:
        """Render one page. With `inputs` (a fingerprint of everything the page shows), an unchanged
        page is taken from the previous build instead of being rendered again."""
        if inputs is not None:
            cached = _RENDER_CACHE.get(src)
            if cached is not None and cached[0] == inputs:
                return cached[1]
        body = self.env.get_template(template).render(**self.context(src), **values)
        page = GeneratedPage(meta, body)
        if inputs is not None:
            _RENDER_CACHE[src] = (inputs, page)
        return page


WEIGHTS_LABELS = {"released": "released", "partial": "partly released", "on-request": "on request",
                  "announced": "announced, not yet released", "not-released": "not released"}


def weights_label(status: str | None) -> str:
    """What a reader sees for `release.weights`; None means the README does not say."""
    return WEIGHTS_LABELS[status] if status else "not stated"


def citation_meta(paper: Paper) -> list[list[str]]:
    """Highwire-style meta tags that Zotero and Google Scholar read."""
    tags = [["citation_title", paper.title]]
    tags += [["citation_author", name] for name in paper.authors]
    tags.append(["citation_publication_date", str(paper.year)])
    if paper.type == "conference":
        tags.append(["citation_conference_title", paper.venue])
    elif paper.type == "journal":
        tags.append(["citation_journal_title", paper.venue])
    elif paper.type == "chapter":
        tags.append(["citation_inbook_title", paper.venue])
    if paper.arxiv:
        tags.append(["citation_arxiv_id", paper.arxiv])
        tags.append(["citation_pdf_url", f"https://arxiv.org/pdf/{paper.arxiv}"])
    elif paper.links.pdf:
        tags.append(["citation_pdf_url", paper.links.pdf])
    if paper.doi:
        tags.append(["citation_doi", paper.doi])
    return tags


def generate_site(index: Index, overrides: Path | None = None, assets: Path | None = None,
                  search: str = "material", entries: dict[str, dict[str, str]] | None = None,
                  site_url: str = "https://thg.example/", root: Path | None = None,
                  site_name: str = "thg") -> dict[str, Content]:
    """Every generated page and file, keyed by its path under the docs root.

    `site_url` makes the feeds' links absolute; `root` is the records folder (its CITATION.cff and git
    commit date the "Cite this knowledge base" box).
    """
    corpus = index.corpus
    render = Renderer.create(index, overrides)
    out: dict[str, Content] = {}
    taxonomy = corpus.taxonomy
    papers = corpus.papers
    kb = knowledge_base_citation(index, root, site_name, site_url)
    feeds = feed_list(index)
    feed_of = {feed.page: feed for feed in feeds}

    out["index.md"] = render.page(
        "home.md.j2", "index.md", {"title": "Talking Head Generation knowledge base", "hide": ["navigation", "toc"]},
        chart=Markup(charts.papers_per_year(index)),
        newest=newest_first(papers.values())[:NEWEST_ON_HOME], kb=kb,
    )
    venues = Counter(p.venue for p in papers.values())
    out["explorer.md"] = render.page("explorer.md.j2", "explorer.md", {"title": "Paper explorer", "hide": ["navigation", "toc"]},
                                     first_rows=EXPLORER_FIRST_ROWS, legend=shared_terms(index), venues=venues,
                                     extra_groups=extra_filters(index))
    for name, text in explorer_files(index).items():
        out[f"{EXPLORER_DATA}/{name}"] = text
    out["assets/thg/records.json"] = json.dumps(search_records(index), ensure_ascii=False, separators=(",", ":"))
    out["new.md"] = render.page("new.md.j2", "new.md", {"title": "New this month", "feeds": _feed_meta(feed_of["new.md"])},
                                months=months_added(papers.values())[:NEW_MONTHS], feed=feed_of["new.md"])
    out["feeds.md"] = render.page("feeds.md.j2", "feeds.md", {"title": "Feeds"}, feeds=feeds, feed_size=FEED_SIZE)
    out["cite.md"] = render.page("cite.md.j2", "cite.md", {"title": "Cite this knowledge base"}, kb=kb)
    out["CITATION.cff"] = kb.snapshot_cff()
    for path, text in feed_files(index, site_url, __version__, kb.date):
        out[path] = text
    entries = entries if entries is not None else citation_entries(index)
    cite = entries["bibtex"]

    shared = _shared_inputs(index)
    out["papers/index.md"] = render.page("papers_index.md.j2", "papers/index.md", {"title": "All papers"})
    for pid, paper in papers.items():
        out[paper_src(pid)] = render.page(
            "paper.md.j2", paper_src(pid),
            {"title": paper.display_name if paper.short_name else paper.title, **RECORD_META,
             "description": " ".join(paper.summary.split())[:300],
             "citation": citation_meta(paper)},
            inputs=_paper_inputs(index, paper, cite[pid], shared),
            paper=paper, bibtex=cite[pid], bibkey=index.bibkeys[pid],
        )

    out["taxonomy/index.md"] = render.page("taxonomy.md.j2", "taxonomy/index.md",
                                           {"title": "Taxonomy", "hide": ["navigation", "toc"]},
                                           matrices=MATRICES)
    for facet in FACETS:
        out[f"taxonomy/{facet}/index.md"] = render.page(
            "facet.md.j2", f"taxonomy/{facet}/index.md", {"title": taxonomy.facets[facet].label}, facet=facet)
        for term, info in taxonomy.terms(facet).items():
            out[term_src(facet, term)] = render.page(
                "term.md.j2", term_src(facet, term),
                {"title": f"{info.label} ({taxonomy.facets[facet].label.lower()})", **RECORD_META,
                 **_feed_meta(feed_of.get(term_src(facet, term)))},
                facet=facet, term=term, info=info, members=index.by_term.get((facet, term), []),
                feed=feed_of.get(term_src(facet, term)))

    for kind, folder, users in (("dataset", "datasets", index.dataset_users), ("metric", "metrics", index.metric_users),
                                ("loss", "losses", index.loss_users)):
        records = corpus.of_kind(kind)
        out[f"{folder}/index.md"] = render.page(
            f"{kind}_index.md.j2", f"{folder}/index.md", {"title": folder.capitalize()},
            records=sorted(records.values(), key=lambda r: r.name.casefold()), users=users)
        for rid, record in records.items():
            out[record_src(kind, rid)] = render.page(
                f"{kind}.md.j2", record_src(kind, rid),
                {"title": record.name, **RECORD_META, **_feed_meta(feed_of.get(record_src(kind, rid)))},
                record=record, users=users.get(rid, []), feed=feed_of.get(record_src(kind, rid)),
                implementations=_implementations(rid) if kind == "metric" else [])

    out.update(_results(render, index))
    out.update(_comparisons(render, index))

    out["search.md"] = render.page("search.md.j2", "search.md", {"title": "Search", "hide": ["toc"]}, mode=search)
    with_results = [pid for pid in index.ordered if papers[pid].results]
    out["downloads.md"] = render.page("downloads.md.j2", "downloads.md", {"title": "Downloads"},
                                      result_tables=sum(len(papers[pid].results) for pid in with_results),
                                      result_papers=len(with_results), venues=venues)
    reports = index.reports
    out["completeness.md"] = render.page(
        "completeness.md.j2", "completeness.md", {"title": "Data completeness"}, reports=reports,
        years=sorted({year for report in reports for year in report.by_year}, reverse=True))
    if assets is not None:
        for name in ASSETS:
            out[f"assets/thg/{name}"] = (assets / name).read_text(encoding="utf-8")
    return out


UNNAMED_PAGE = "no-named-test-set"
"""The results page (and downloads folder) of tables whose source names no test set."""


def _results(render: Renderer, index: Index) -> dict[str, Content]:
    """Results pages per dataset with their per-group downloads, the protocol pages and the corrections log."""
    from thg.corrections import corrections_log
    from thg.export.results_tables import group_csv, group_json, group_latex, results_dump

    corpus = index.corpus
    out: dict[str, Content] = {}
    with_results = [(corpus.datasets[d], tables) for d, tables in sorted(index.results_on.items())
                    if d in corpus.datasets]
    unnamed = index.results_on.get(NO_DATASET, [])
    out["results/index.md"] = render.page("results_index.md.j2", "results/index.md", {"title": "Reported results"},
                                          datasets=with_results, unnamed=unnamed)
    pages = [(d.id, f"Results on {d.name}") for d, _tables in with_results]
    if unnamed:
        pages.append((NO_DATASET, "Results on test sets the sources do not name"))
    for dataset_id, heading in pages:
        folder = dataset_id or UNNAMED_PAGE
        groups = protocol_groups(index, dataset_id)
        downloads = {}
        for group in groups:
            base = f"downloads/results/{folder}/{group.slug}"
            downloads[group.slug] = base
            out[base + ".csv"] = group_csv(index, group)
            out[base + ".tex"] = group_latex(index, group)
            out[base + ".json"] = group_json(index, group)
        spread_groups = []
        for number, group in enumerate(groups, start=1):
            found = spreads(group)
            if found:
                spread_groups.append((number, group, found, claims(corpus, group, found)))
        src = f"results/{folder}.md"
        out[src] = render.page(
            "results_dataset.md.j2", src, {"title": heading}, heading=heading, groups=groups,
            downloads=downloads, rankings={g.slug: protocol_ranking(corpus, g) for g in groups},
            spread_groups=spread_groups, methods=reported_values(groups))
    out["downloads/results/all.json"] = results_dump(index)
    out["results/corrections.md"] = render.page("results_corrections.md.j2", "results/corrections.md",
                                                {"title": "Corrections log"}, entries=corrections_log(corpus))
    protocols = sorted(corpus.protocols.values(), key=lambda r: r.name.casefold())
    out["protocols/index.md"] = render.page("protocol_index.md.j2", "protocols/index.md",
                                            {"title": "Evaluation protocols"}, records=protocols,
                                            users=index.protocol_users)
    for record in protocols:
        out[record_src("protocol", record.id)] = render.page(
            "protocol.md.j2", record_src("protocol", record.id), {"title": record.name, **RECORD_META},
            record=record, users=index.protocol_users.get(record.id, []))
    return out


def _comparisons(render: Renderer, index: Index) -> dict[str, Content]:
    """The generated comparison tables (pages and CSV) of the Compare section."""
    out: dict[str, Content] = {}
    tasks = compare.tasks_with_papers(index)
    out["compare/index.md"] = render.page("compare_index.md.j2", "compare/index.md", {"title": "Compare"},
                                          tasks=tasks)
    for task in tasks:
        frame = compare.task_table(index, task)
        src = f"compare/tasks/{task}.md"
        out[src] = render.page("compare_task.md.j2", src,
                               {"title": f"{index.corpus.taxonomy.label('task', task)}: methods compared", "hide": WIDE},
                               task=task, frame=frame)
        out[f"compare/tasks/{task}.csv"] = compare.to_csv(frame)
    datasets = compare.datasets_table(index)
    out["compare/datasets.md"] = render.page("compare_datasets.md.j2", "compare/datasets.md",
                                             {"title": "Datasets side by side", "hide": WIDE}, frame=datasets)
    out["compare/datasets.csv"] = compare.to_csv(datasets)
    metrics = compare.metrics_table(index)
    adoption = compare.metric_adoption(index)
    top = [m for m in adoption.sum().sort_values(ascending=False).index[:8]] if not adoption.empty else []
    years = list(range(int(adoption.index.min()), int(adoption.index.max()) + 1)) if not adoption.empty else []
    series = {m: [int(adoption[m].get(y, 0)) for y in years] for m in top}
    labels = {m: index.corpus.metrics[m].name for m in top}
    chart = charts.lines("Papers per year listing each metric", years, series, labels)
    out["compare/metrics.md"] = render.page("compare_metrics.md.j2", "compare/metrics.md",
                                            {"title": "Metrics side by side", "hide": WIDE}, frame=metrics, chart=Markup(chart))
    out["compare/metrics.csv"] = compare.to_csv(metrics)
    out["compare/metric-adoption.csv"] = frame_csv(adoption.rename_axis("year"), index=True)
    grid = compare.method_dataset_grid(index)
    out["compare/method-dataset.md"] = render.page(
        "compare_grid.md.j2", "compare/method-dataset.md", {"title": "Method × dataset grid", "hide": WIDE},
        frame=grid, datasets=[c for c in grid.columns if c not in ("id", "Method", "Year")])
    out["compare/method-dataset.csv"] = compare.to_csv(grid)
    return out


def _paper_inputs(index: Index, paper: Paper, bibtex: str, shared: str) -> str:
    """Everything a paper page shows: the record, and the names of the records it links to or from.

    `shared` fingerprints what every paper page may show (taxonomy labels, metric and dataset names).
    """
    corpus = index.corpus
    related = [(pid, corpus.papers[pid].display_name, corpus.papers[pid].venue, corpus.papers[pid].year)
               for pid in [*paper.builds_on, *index.built_upon_by.get(paper.id, [])] if pid in corpus.papers]
    methods = [(row.method, corpus.papers[row.method].display_name) for table in paper.results for row in table.rows
               if row.method in corpus.papers]
    return fingerprint(paper.model_dump(mode="json"), bibtex, related, methods, shared)


def _shared_inputs(index: Index) -> str:
    corpus = index.corpus
    return fingerprint({f: {t: i.label for t, i in corpus.taxonomy.terms(f).items()} for f in FACETS},
                       [(k, rid, r.name, getattr(r, "direction", None)) for k in ("dataset", "metric", "loss")
                        for rid, r in corpus.of_kind(k).items()])


def _implementations(metric_id: str) -> list[tuple[MetricSpec, list[str]]]:
    """The `thg eval` variants of a metric record, each with the weight files it needs (none for offline ones)."""
    return [(spec, [w.filename for w in for_metric(spec.id)]) for spec in implementations(metric_id)]


def _feed_meta(feed: Feed | None) -> dict[str, Any]:
    """Page metadata that makes a feed discoverable (<link rel="alternate"> in overrides/main.html)."""
    return {"feeds": [[feed.title, feed.path]]} if feed is not None else {}


_ENTRIES: dict[tuple[str, str], tuple[Paper, str, str, str]] = {}
"""(format, paper id) -> (the paper object, its key, its venue, the entry): after an edit, `thg serve` reloads the
corpus and gets the same object back for every unchanged record (thg.corpus._validated), whose entries are then
not rendered again."""


def citation_entries(index: Index) -> dict[str, dict[str, str]]:
    """Each paper rendered once per citation format: format name -> paper id -> text."""
    corpus = index.corpus
    out: dict[str, dict[str, str]] = {fmt.name: {} for fmt in FORMAT_LIST}
    for pid in index.ordered:
        paper, key = corpus.papers[pid], index.bibkeys[pid]
        venue = repr(corpus.taxonomy.venues.get(paper.venue))
        for fmt in FORMAT_LIST:
            cached = _ENTRIES.get((fmt.name, pid))
            if cached is not None and cached[0] is paper and cached[1] == key and cached[2] == venue:
                out[fmt.name][pid] = cached[3]
                continue
            out[fmt.name][pid] = text = fmt.one(paper, key, corpus.taxonomy)
            _ENTRIES[(fmt.name, pid)] = (paper, key, venue, text)
    return out


def download_files(index: Index, entries: dict[str, dict[str, str]]) -> Iterator[tuple[str, str]]:
    """The whole corpus in every citation format (downloads/all.bib, all.json, all.ris), in index order.

    These are the only citation files: a facet term's file, or the explorer's selection, is cut out of them
    in the reader's browser (thg/assets/cite.js), so the published site holds each paper once per format
    however many terms it carries. A generator, written one file at a time by thg.site.hooks.on_post_build.
    """
    for fmt in FORMAT_LIST:
        texts = entries[fmt.name]
        yield f"downloads/all{fmt.suffix}", fmt.join(texts[pid] for pid in index.ordered)


def write_downloads(index: Index, entries: dict[str, dict[str, str]], site_dir: Path) -> None:
    for rel, text in download_files(index, entries):
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
