"""Stage 3: the rules a record model alone cannot express.

Per-record rules need the vocabularies (tags, venues, year window); cross-record rules need the
whole corpus (references resolve, identifiers and titles are unique). Each rule appends located
problems; none stops the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from thg.bibkeys import base_key
from thg.corpus import MAX_PROBLEMS_PER_FILE, NOT_SHOWN, Corpus
from thg.errors import Problem
from thg.formula import formula_problem
from thg.models import FACETS, FOLDERS, ID_PATTERN, Paper, ResultTable, split_metric_key
from thg.titles import title_skeleton

FIRST_YEAR = 1990
_ID = re.compile(ID_PATTERN)
HINTS_PER_FILE = 20
"""'Did you mean' hints computed per file: each costs milliseconds on a large corpus (difflib against every
id), so a file of 19,000 near-miss ids must not cost 19,000 of them."""


def closest(word: str, choices: Iterable[str]) -> str:
    """'did you mean X?' or the full list when nothing is close."""
    options = sorted(choices)
    if not options:
        return "there are no records of this kind yet"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if match:
        return f"did you mean {match[0]}?"
    return "one of: " + ", ".join(options) if len(options) <= 40 else f"see the {len(options)} accepted values"


class Hints:
    """`closest` for the rules, remembered per word and bounded per file (`HINTS_PER_FILE`)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.remembered: dict[tuple[str, str], str] = {}
        self.spent: Counter[Path] = Counter()

    def closest(self, kind: str, record_id: str, word: str, name: str, choices: Iterable[str]) -> str:
        """The hint for `word` among `choices` (called `name`, e.g. "paper"), for a problem in this record."""
        key = (name, word)
        if key not in self.remembered:
            path = self.corpus.files[(kind, record_id)].path
            if self.spent[path] >= HINTS_PER_FILE:
                return "check the spelling"
            self.spent[path] += 1
            self.remembered[key] = closest(word, choices)
        return self.remembered[key]


def check_corpus(corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    hints = Hints(corpus)
    for rule in RULES:
        rule(corpus, problems.append, hints)
    if corpus.partial:
        problems = [p for p in problems if not _about_placeholder(p, corpus.partial.get(p.path))]
    if any(count > MAX_PROBLEMS_PER_FILE for count in corpus.reported.values()):
        problems = [p for p in problems if p.message != NOT_SHOWN] + corpus.not_shown()
    return problems


_DEPENDS_ON = {"results": {"datasets", "metrics"}, "venue_source": {"sources"}, "release": {"sources"},
               "type": {"venue"}, "builds_on": {"id"}}
"""Rules that compare one field with another: a problem on the key also depends on the fields listed."""


def _about_placeholder(problem: Problem, failed: frozenset[str] | None) -> bool:
    """True for a problem about a field that failed the model (a placeholder stands in for it)."""
    if not failed:
        return False
    root = re.split(r"[.\[]", problem.field, maxsplit=1)[0]
    return root in failed or bool(_DEPENDS_ON.get(root, set()) & failed)


Report = Callable[[Problem], None]


def _papers(corpus: Corpus, report: Report, hints: Hints) -> None:
    taxonomy = corpus.taxonomy
    last_year = dt.date.today().year + 1
    vocabularies = {facet: taxonomy.terms(facet) for facet in FACETS}
    for paper in corpus.papers.values():
        if _paper_is_clean(paper, taxonomy.venues, vocabularies, last_year):
            continue
        _paper_problems(corpus, paper, last_year, report, hints)


def _paper_is_clean(paper: Paper, venues: dict[str, Any], vocabularies: dict[str, dict[str, Any]],
                    last_year: int) -> bool:
    """Fast path: True when none of the per-paper rules can fire (the common case)."""
    if not FIRST_YEAR <= paper.year <= last_year:
        return False
    venue = venues.get(paper.venue)
    if venue is None or venue.kind != paper.type:
        return False
    tags = paper.tags
    for facet, vocabulary in vocabularies.items():
        terms = getattr(tags, facet)
        for term in terms:
            info = vocabulary.get(term)
            if info is None or info.derived:
                return False
        if len(terms) > 1 and (len(set(terms)) != len(terms) or "not-applicable" in terms):
            return False
    for values in (paper.datasets, paper.metrics, paper.losses, paper.builds_on):
        if len(values) > 1 and len(set(values)) != len(values):
            return False
    return paper.id not in paper.builds_on


def _paper_problems(corpus: Corpus, paper: Paper, last_year: int, report: Report, hints: Hints) -> None:
    """Slow path: locate and explain every per-paper problem."""
    taxonomy = corpus.taxonomy
    pid = paper.id

    def problem(at: list[str | int], message: str, expected: str = "", _pid: str = pid) -> None:
        report(corpus.problem("paper", _pid, at, message, expected))

    if not FIRST_YEAR <= paper.year <= last_year:
        problem(["year"], f"year {paper.year} is outside {FIRST_YEAR}..{last_year}", "the publication year")
    venue = taxonomy.venues.get(paper.venue)
    if venue is None:
        problem(["venue"], f"unknown venue {paper.venue!r}",
                hints.closest("paper", pid, paper.venue, "venue", taxonomy.venues) + " (or add it to venues.yaml)")
    elif venue.kind != paper.type:
        problem(["type"], f"type is {paper.type!r} but {paper.venue} is a {venue.kind} venue",
                f"type: {venue.kind}")
    for facet in FACETS:
        terms = paper.tags.facet(facet)
        vocabulary = taxonomy.terms(facet)
        seen: set[str] = set()
        for index, term in enumerate(terms):
            at: list[str | int] = ["tags", facet, index]
            if term in seen:
                problem(at, f"term {term!r} is listed twice", "list each term once")
            seen.add(term)
            if term not in vocabulary:
                meant = taxonomy.alias_of(facet, term)
                hint = f"did you mean {meant}?" if meant else hints.closest("paper", pid, term, facet,
                                                                             taxonomy.writable_terms(facet))
                problem(at, f"{term!r} is not a {facet} term", hint)
            elif vocabulary[term].derived:
                problem(at, f"{term!r} is derived, not written by hand",
                        "remove it; it is set from links.code")
        if "not-applicable" in seen and len(seen) > 1:
            problem(["tags", facet], "not-applicable cannot be combined with other terms",
                    "keep only not-applicable or only real terms")
    for field in ("datasets", "metrics", "losses", "builds_on"):
        values: list[str] = getattr(paper, field)
        for index in _repeats(values):
            problem([field, index], f"{values[index]!r} is listed twice", "list it once")
    if pid in paper.builds_on:
        problem(["builds_on", paper.builds_on.index(pid)], "a paper cannot build on itself",
                "remove this entry")


def _repeats(values: list[str]) -> list[int]:
    """Positions of values that already appeared earlier in the list."""
    seen: set[str] = set()
    found = []
    for index, value in enumerate(values):
        if value in seen:
            found.append(index)
        seen.add(value)
    return found


def _references(corpus: Corpus, report: Report, hints: Hints) -> None:
    targets: dict[str, tuple[str, dict[str, Any]]] = {
        "datasets": ("dataset", corpus.datasets),
        "metrics": ("metric", corpus.metrics),
        "losses": ("loss", corpus.losses),
        "builds_on": ("paper", corpus.papers),
    }
    for paper in corpus.papers.values():
        for field, (kind, table) in targets.items():
            for index, ref in enumerate(getattr(paper, field)):
                if ref not in table:
                    report(corpus.problem("paper", paper.id, [field, index], f"no {kind} record has id {ref!r}",
                                          hints.closest("paper", paper.id, ref, kind, table)
                                          + f" (or add {FOLDERS[kind]}/{ref}.yaml)"))
    for kind in ("dataset", "metric", "loss"):
        for record_id, record in corpus.of_kind(kind).items():
            paper_ref = getattr(record, "paper", None)
            if paper_ref and paper_ref not in corpus.papers:
                report(corpus.problem(kind, record_id, ["paper"], f"no paper record has id {paper_ref!r}",
                                      hints.closest(kind, record_id, paper_ref, "paper", corpus.papers)))
            reference = record.reference
            if reference is not None and reference.paper and reference.paper not in corpus.papers:
                report(corpus.problem(kind, record_id, ["reference", "paper"], f"no paper record has id {reference.paper!r}",
                                      hints.closest(kind, record_id, reference.paper, "paper", corpus.papers)))


def _unique(corpus: Corpus, report: Report, hints: Hints) -> None:
    """The same work must not appear twice, and citation keys must not collide."""
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for paper in corpus.papers.values():
        failed = corpus.failed_fields("paper", paper.id)
        for field, value in (("arxiv", paper.arxiv), ("doi", paper.doi and paper.doi.lower()),
                             ("title", title_skeleton(paper.title))):
            if value and field not in failed:
                holders[(field, value)].append(paper.id)
    for (field, _value), ids in holders.items():
        for pid in ids[1:] if len(ids) > 1 else []:
            for other in ids:
                if other != pid:
                    report(corpus.problem("paper", pid, [field], f"the same {field} is already in papers/{other}.yaml",
                                          f"merge this record into {other}, or correct the {field}"))
        if len(ids) > 1:
            first = ids[0]
            report(corpus.problem("paper", first, [field], f"the same {field} is also in papers/{ids[1]}.yaml",
                                  f"merge the two records, or correct the {field}"))
    _explicit_keys(corpus, report)


def _explicit_keys(corpus: Corpus, report: Report) -> None:
    """An explicit bibkey may be used once (BibTeX compares keys without case), and may not take a key an
    older record already publishes.

    A record without a bibkey publishes its generated key; explicit keys win (`thg.bibkeys.assign_keys`),
    so when an explicit key equals a generated one, the generated record gets a letter suffix. That is
    only a problem when the generated record is the older one (its published key would change): the
    newer record, by `added`, is the one to change, and an untouched older file is never blamed.
    """
    papers = corpus.papers
    has_explicit = any(p.bibkey for p in papers.values())
    generated = {base_key(p): p.id for p in papers.values()
                 if p.bibkey is None and not corpus.failed_fields("paper", p.id)} if has_explicit else {}
    explicit: dict[str, str] = {}
    for paper in papers.values():
        if not paper.bibkey:
            continue
        owner = explicit.setdefault(paper.bibkey.lower(), paper.id)
        if owner == paper.id:
            owner = generated.get(paper.bibkey.lower(), paper.id)
            if owner != paper.id and _added(papers[owner]) >= _added(paper):
                owner = paper.id  # the generated record is the newer one: it takes the suffix, nothing changes
        if owner != paper.id:
            report(corpus.problem("paper", paper.id, ["bibkey"],
                                  f"bibkey {paper.bibkey!r} is already used by papers/{owner}.yaml",
                                  f"use a distinct key such as {paper.bibkey}b"))


def _added(paper: Paper) -> dt.date:
    """When a record joined the corpus; an undated record is taken as the newest (not yet merged)."""
    return paper.added or dt.date.max


def _results(corpus: Corpus, report: Report, hints: Hints) -> None:
    for paper in corpus.papers.values():
        table_ids: set[str] = set()
        for t_index, table in enumerate(paper.results):
            at: list[str | int] = ["results", t_index]

            def problem(where: list[str | int], message: str, expected: str = "", _pid: str = paper.id) -> None:
                report(corpus.problem("paper", _pid, where, message, expected))

            if table.id in table_ids:
                problem([*at, "id"], f"results table id {table.id!r} is used twice", "give each table of this paper its own id")
            table_ids.add(table.id)
            if table.dataset is None:
                if not (table.protocol.notes and table.split):
                    problem([*at, "dataset"], "the table names no dataset",
                            "the dataset id; only when the source names no test set, leave it out and say so in "
                            "split and protocol.notes")
            elif table.dataset not in corpus.datasets:
                problem([*at, "dataset"], f"no dataset record has id {table.dataset!r}",
                        hints.closest("paper", paper.id, table.dataset, "dataset", corpus.datasets))
            elif table.dataset not in paper.datasets:
                problem([*at, "dataset"], f"the table is on {table.dataset!r}, which this paper's datasets list lacks",
                        f"add {table.dataset} to datasets")
            _result_protocol(corpus, paper, table, at, problem, hints)
            _result_rows(corpus, paper, table, at, report, hints)
            unlisted = sorted({base for key in table.columns() for base in [split_metric_key(key)[0]]
                               if base in corpus.metrics and base not in paper.metrics})
            if unlisted:
                problem([*at, "rows"], f"the table reports {', '.join(unlisted)}, which this paper's metrics list lacks",
                        f"add {', '.join(unlisted)} to metrics")
            columns = set(table.columns())
            for key in table.directions:
                if key not in columns:
                    problem([*at, "directions", key], f"{key!r} is not a column of this table",
                            "one of: " + ", ".join(sorted(columns)))


def _result_protocol(corpus: Corpus, paper: Paper, table: ResultTable, at: list[str | int],
                     problem: Callable[[list[str | int], str, str], None], hints: Hints) -> None:
    """A table that cites a protocol record must be on its dataset and report only the metrics it defines."""
    record_id = table.protocol.id
    if record_id is None:
        return
    record = corpus.protocols.get(record_id)
    if record is None:
        problem([*at, "protocol", "id"], f"no protocol record has id {record_id!r}",
                hints.closest("paper", paper.id, record_id, "protocol", corpus.protocols)
                + f" (or add protocols/{record_id}.yaml)")
        return
    if table.dataset != record.test_set.dataset:
        problem([*at, "dataset"], f"protocol {record_id} is on {record.test_set.dataset!r}, the table on {table.dataset!r}",
                f"dataset: {record.test_set.dataset}, or drop the protocol id")
    defined = set(record.metric_keys())
    for key in table.columns():
        if key not in defined:
            problem([*at, "rows"], f"the table reports {key!r}, which protocol {record_id} does not define",
                    ("one of: " + ", ".join(record.metric_keys()) + "; or " if record.metrics else "")
                    + f"add the variant to protocols/{record_id}.yaml")


def _result_rows(corpus: Corpus, paper: Paper, table: ResultTable, at: list[str | int], report: Report,
                 hints: Hints) -> None:
    for r_index, row in enumerate(table.rows):
        row_at: list[str | int] = [*at, "rows", r_index]
        if _ID.match(row.method) and row.method not in corpus.papers:
            report(corpus.problem("paper", paper.id, [*row_at, "method"],
                                  f"{row.method!r} looks like a record id but no paper has it",
                                  hints.closest("paper", paper.id, row.method, "paper", corpus.papers)
                                  + ", or write the method's name as printed"))
        for key in row.spread:
            if row.values.get(key) is None:
                report(corpus.problem("paper", paper.id, [*row_at, "spread", key],
                                      f"a spread for {key!r} without a value beside it", "the ± part of a printed value"))
        for key, value in row.values.items():
            metric_id = split_metric_key(key)[0]
            metric = corpus.metrics.get(metric_id)
            where: list[str | int] = [*row_at, "values", key]
            if metric is None:
                report(corpus.problem("paper", paper.id, where, f"no metric record has id {metric_id!r}",
                                      hints.closest("paper", paper.id, metric_id, "metric", corpus.metrics)))
                continue
            number = numeric(value)
            if number is not None and not metric.range.contains(number):
                report(corpus.problem("paper", paper.id, where,
                                      f"{value} is outside the range of {metric.name} {metric.range}",
                                      "the value exactly as printed; check the metric or a scale factor"))


def _protocols(corpus: Corpus, report: Report, hints: Hints) -> None:
    """A protocol record's dataset, metrics and defining paper must exist; its variants and items be distinct."""
    for pid, record in corpus.protocols.items():
        def problem(where: list[str | int], message: str, expected: str = "", _pid: str = pid) -> None:
            report(corpus.problem("protocol", _pid, where, message, expected))

        if record.test_set.dataset not in corpus.datasets:
            problem(["test_set", "dataset"], f"no dataset record has id {record.test_set.dataset!r}",
                    hints.closest("protocol", pid, record.test_set.dataset, "dataset", corpus.datasets))
        if record.defined_by and record.defined_by not in corpus.papers:
            problem(["defined_by"], f"no paper record has id {record.defined_by!r}",
                    hints.closest("protocol", pid, record.defined_by, "paper", corpus.papers))
        keys = [variant.key for variant in record.metrics]
        for index, variant in enumerate(record.metrics):
            if variant.metric not in corpus.metrics:
                problem(["metrics", index, "metric"], f"no metric record has id {variant.metric!r}",
                        hints.closest("protocol", pid, variant.metric, "metric", corpus.metrics))
        for index in _repeats(keys):
            problem(["metrics", index], f"{keys[index]!r} is defined twice", "give each computation its own variant name")
        items = [item.id if item.audio is None else f"{item.audio} -> {item.id}" for item in record.test_set.items]
        for index in _repeats(items):
            problem(["test_set", "items", index], f"test item {items[index]!r} is listed twice", "list it once")


def numeric(value: Any) -> float | None:
    """A result value as a float (values may be stored as printed strings); None when missing."""
    if value is None or isinstance(value, bool):
        return None
    return float(value)


def _formulas(corpus: Corpus, report: Report, hints: Hints) -> None:
    """Every formula must render: the site shows it as MathML, converted at build time."""
    records: list[tuple[str, str, str | None]] = [
        *(("metric", m.id, m.formula) for m in corpus.metrics.values()),
        *(("loss", loss.id, loss.formula) for loss in corpus.losses.values()),
    ]
    for kind, record_id, tex in records:
        problem = formula_problem(tex) if tex else None
        if problem:
            report(corpus.problem(kind, record_id, ["formula"], f"the formula {problem}",
                                  "standard LaTeX math, with plain words and no HTML inside \\text{}"))


def _provenance(corpus: Corpus, report: Report, hints: Hints) -> None:
    """A published venue is a claim with evidence: the URL that shows it. It, and the README read for a
    release, are sources like any other."""
    for paper in corpus.papers.values():
        if paper.type != "preprint" and not paper.venue_source and paper.venue in corpus.taxonomy.venues:
            report(corpus.problem("paper", paper.id, ["venue"], f"the venue {paper.venue} has no venue_source",
                                  "add venue_source: the URL of the page that shows it (proceedings, publisher, "
                                  "the official README's BibTeX), and list it in sources; or venue: arXiv"))
        listed = set(paper.sources)
        if paper.venue_source and paper.venue_source not in listed:
            report(corpus.problem("paper", paper.id, ["venue_source"], "venue_source is not listed in sources",
                                  "add the same URL to sources"))
        if paper.release and paper.release.source not in listed:
            report(corpus.problem("paper", paper.id, ["release", "source"], "release.source is not listed in sources",
                                  "add the same URL to sources"))


RULES: tuple[Callable[[Corpus, Report, Hints], None], ...] = (
    _papers, _references, _unique, _results, _protocols, _formulas, _provenance)
