"""The `thg` command: a thin layer over the library.

Exit codes: 0 ok, 1 invalid data, 2 usage error, 3 internal error (a bug in thg: CI can tell it from a bad
record, and the message asks for a report).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thg.errors import InputError, UsageError, printable
from thg.models import FACETS
from thg.validate import InvalidCorpus, load_valid, validate

OK, INVALID, USAGE, INTERNAL = 0, 1, 2, 3
REPORT_LINE = ("thg: this is a bug in thg, not a problem in your records; please report it (open an issue on the "
               "thg repository) with the command you ran and the output above")


def find_root(start: Path) -> Path:
    """The nearest folder (start or a parent) holding taxonomy.yaml."""
    for folder in (start, *start.parents):
        if (folder / "taxonomy.yaml").is_file():
            return folder
    raise UsageError(f"no taxonomy.yaml in {start} or its parents; run thg inside the repository or pass --root")


def _report_invalid(problems: Sequence[object]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found.", file=sys.stderr)
    return INVALID


def cmd_validate(args: argparse.Namespace, root: Path) -> int:
    result = validate(root)
    if result.problems:
        return _report_invalid(result.problems)
    corpus = result.corpus
    assert corpus is not None
    print(f"ok: {len(corpus.papers)} papers, {len(corpus.datasets)} datasets, "
          f"{len(corpus.metrics)} metrics, {len(corpus.losses)} losses, {len(corpus.protocols)} protocols")
    return OK


def cmd_stats(args: argparse.Namespace, root: Path) -> int:
    from thg.index import build_index

    if args.months is not None and not args.stale:
        raise UsageError("--months only applies with --stale")
    if args.stale or args.completeness:
        from thg.stats_cli import print_completeness, print_stale

        corpus = load_valid(root)
        if args.stale:
            months = 6 if args.months is None else args.months
            if months < 0:
                raise UsageError("--months must be 0 or more")
            print_stale(corpus, months, sys.stdout)
        if args.completeness:
            print_completeness(corpus, sys.stdout, by_year=args.by_year, show_missing=args.missing)
        return OK
    index = build_index(load_valid(root))
    corpus = index.corpus
    print(f"{len(corpus.papers)} papers, {len(corpus.datasets)} datasets, "
          f"{len(corpus.metrics)} metrics, {len(corpus.losses)} losses\n")
    for facet in FACETS:
        print(f"{corpus.taxonomy.facets[facet].label} ({facet})")
        for term in corpus.taxonomy.terms(facet):
            count = len(index.by_term.get((facet, term), []))
            print(f"  {term:<24} {count:>5}  {'#' * min(count // 5, 60)}")
        print()
    years = Counter(p.year for p in corpus.papers.values())
    print("Year")
    for year in sorted(years):
        print(f"  {year:<24} {years[year]:>5}  {'#' * min(years[year] // 5, 60)}")
    venues = Counter(p.venue for p in corpus.papers.values())
    print("\nVenue")
    for venue, count in venues.most_common():
        print(f"  {venue:<24} {count:>5}")
    return OK


def cmd_schema(args: argparse.Namespace, root: Path) -> int:
    from thg.schema import render_schema, write_schemas
    from thg.taxonomy import load_taxonomy

    taxonomy, problems = load_taxonomy(root)
    if taxonomy is None:
        return _report_invalid(problems)
    if args.check:
        from thg.models import KINDS

        stale = [kind for kind in KINDS
                 if not (root / "schema" / f"{kind}.schema.json").is_file()
                 or (root / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") != render_schema(kind, taxonomy)]
        if stale:
            print(f"stale schemas: {', '.join(stale)}; run `thg schema`", file=sys.stderr)
            return INVALID
        print("schemas are up to date")
        return OK
    for path in write_schemas(root, taxonomy):
        print(path.relative_to(root))
    return OK


class _DirtyBuildNotice:
    """Drops MkDocs' warning that a dirty build gives inaccurate navigation (thg's rebuilds do not)."""

    def filter(self, record: object) -> bool:
        message = getattr(record, "msg", "")
        return not (isinstance(message, str) and message.startswith("A 'dirty' build is being performed"))


def _mkdocs(root: Path, serve: bool, strict: bool, site_dir: str | None, addr: str) -> int:
    import logging

    from mkdocs.commands import build as mkdocs_build
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.config import load_config

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    if not mkdocs_log.handlers:
        mkdocs_log.addHandler(handler)
        mkdocs_log.setLevel(logging.INFO)
    config_file = str(root / "mkdocs.yml")
    result = validate(root)
    if result.problems:
        return _report_invalid(result.problems)
    if serve:
        # Dirty rebuilds: after an edit only the pages whose content changed are rebuilt (thg.site.hooks
        # fingerprints every generated page), so MkDocs' generic warning about dirty builds does not apply.
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildNotice())
        print("thg serve: after an edit, only the pages whose content changed are rebuilt; "
              "`thg build` writes a complete site.", file=sys.stderr)
        mkdocs_serve.serve(config_file=config_file, open_in_browser=False, dev_addr=addr, livereload=True,
                           build_type="dirty", strict=False)
        return OK
    options: dict[str, Any] = {"strict": strict}
    if site_dir:
        options["site_dir"] = str(Path(site_dir).resolve())
    config = load_config(config_file, **options)
    target = Path(config["site_dir"])
    building = _building_folder(target)
    config["site_dir"] = str(building)
    try:
        mkdocs_build.build(config)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _swap_in(building, target)
    return OK


def _building_folder(target: Path) -> Path:
    """A fresh folder beside the site folder (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    building.chmod(0o777 & ~umask)  # mkdtemp makes it private; a site folder is served to others
    return building


def _swap_in(built: Path, target: Path) -> None:
    """Replace `target` by the finished build: a failed build never leaves a half-written or empty site."""
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(built, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def cmd_build(args: argparse.Namespace, root: Path) -> int:
    return _mkdocs(root, serve=False, strict=not args.no_strict, site_dir=args.site_dir, addr="")


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    return _mkdocs(root, serve=True, strict=False, site_dir=None, addr=args.addr)


def cmd_export(args: argparse.Namespace, root: Path) -> int:
    from thg.export import FORMATS
    from thg.export.select import parse_selection
    from thg.index import build_index

    index = build_index(load_valid(root))
    if args.results:
        from thg.export.results_csv import results_csv

        ignored = [option for option, given in (("--format", args.format), ("--filter", args.filter),
                                                ("--year", args.year), ("--ids", args.ids)) if given]
        if ignored:
            raise UsageError(f"--results always writes every reported result as CSV; {', '.join(ignored)} "
                             "cannot apply to it. Drop them, or export citations without --results")
        text = results_csv(index)
    else:
        selection = parse_selection(args.filter, args.year, args.ids, index)
        papers = selection.apply(index)
        writer, _suffix = FORMATS[args.format or "bibtex"]
        text = writer(papers, index.bibkeys, index.corpus.taxonomy)
    if args.output and args.output != "-":
        write_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return OK


def write_atomically(path: Path, text: str) -> None:
    """Write beside `path`, then rename over it: readers see the old file or the new one, never half."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cmd_results(args: argparse.Namespace, root: Path) -> int:
    from thg.index import build_index
    from thg.results_cli import print_results

    index = build_index(load_valid(root))
    return print_results(index, args.dataset, args.metric, sys.stdout)


def cmd_new(args: argparse.Namespace, root: Path) -> int:
    from thg.scaffold import new_record

    return new_record(root, args)


def cmd_eval(args: argparse.Namespace, root: Path) -> int:
    from thg.eval.cli import run

    return run(args, root)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thg", description="Talking Head Generation knowledge base tools.")
    parser.add_argument("--root", type=Path, help="repository folder (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("validate", help="check every record; report every problem as file:line: field: message")
    stats = sub.add_parser("stats", help="counts per facet term, year and venue; --completeness; --stale")
    stats.add_argument("--completeness", action="store_true",
                       help="fill rate of each tracked field (venue checked, DOI, code, datasets, ...)")
    stats.add_argument("--by-year", action="store_true", help="with --completeness: rates per year too")
    stats.add_argument("--missing", action="store_true", help="with --completeness: list the records lacking each field")
    stats.add_argument("--stale", action="store_true",
                       help="preprints, and papers without code, whose status was not checked in --months months")
    stats.add_argument("--months", type=int, help="with --stale: how recent a check must be (default 6)")
    schema = sub.add_parser("schema", help="write the JSON Schemas into schema/ (or --check them)")
    schema.add_argument("--check", action="store_true", help="exit 1 when schema/ is stale")
    build = sub.add_parser("build", help="validate, generate the pages and run the MkDocs build")
    build.add_argument("--site-dir", help="output folder (default from mkdocs.yml: site/)")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    serve = sub.add_parser("serve", help="validate, build and serve with live reload")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")

    export = sub.add_parser("export", help="write citations (BibTeX, CSL-JSON, RIS) or results as CSV")
    export.add_argument("--format", choices=["bibtex", "csljson", "ris"], help="citation format (default bibtex)")
    export.add_argument("--filter", action="append", default=[], metavar="FACET=TERM",
                        help="keep papers tagged TERM on FACET (repeatable; all must hold)")
    export.add_argument("--year", metavar="FROM..TO", help="year or range, e.g. 2020..2024, 2022.., ..2019")
    export.add_argument("--ids", metavar="A,B,C", help="exactly these paper ids, in this order")
    export.add_argument("--results", action="store_true", help="write every reported result as tidy CSV")
    export.add_argument("-o", "--output", help="output file (default: standard output)")

    results = sub.add_parser("results", help="print reported results for a dataset, grouped by protocol")
    results.add_argument("--dataset", required=True, help="dataset id, e.g. hdtf")
    results.add_argument("--metric", help="only this metric id, e.g. fid")

    from thg.eval.cli import add_parser as add_eval_parser

    add_eval_parser(sub)

    new = sub.add_parser("new", help="scaffold a new record, or import a paper's results table")
    new.add_argument("kind", choices=["paper", "dataset", "metric", "loss", "protocol", "results"])
    new.add_argument("--arxiv", help="arXiv id to fetch metadata for (papers)")
    new.add_argument("--bibtex", type=Path, help="BibTeX file with one entry to start from (papers, offline)")
    new.add_argument("--id", dest="record_id", help="record id (default: derived from the title); for results, the table id")
    new.add_argument("--timeout", type=float, default=15.0, help="network timeout in seconds (default 15)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file of the same name")
    table = new.add_argument_group("results (thg new results --paper ID --from FILE --source URL)")
    table.add_argument("--paper", help="paper id whose record gets the table")
    table.add_argument("--from", dest="from_file", type=Path,
                       help="file holding the table: .tex (tabular), .md (Markdown or HTML), .html, .csv")
    table.add_argument("--source", help="URL where the table is published (pin repositories to a commit)")
    table.add_argument("--table", type=int, help="which table of the file, 1 = first (needed when it holds several)")
    table.add_argument("--map", action="append", default=[], metavar="NAME=ID",
                       help="map a printed header, method or dataset to a record id; ID - leaves it out, "
                            "note folds a column into the row notes (repeatable)")
    table.add_argument("--plain", action="append", default=[], metavar="NAME",
                       help="keep this method name as printed, without a paper link (repeatable)")
    table.add_argument("--keep-names", action="store_true", help="keep every unresolved method name as printed")
    table.add_argument("--direction", action="append", default=[], metavar="HEADER=higher|lower|target",
                       help="record how the source ranks a column when it differs from the metric (repeatable)")
    table.add_argument("--dataset", help="dataset id, when the headers and caption do not name it; none when the source names no test set")
    table.add_argument("--kind", dest="table_kind", default="comparison",
                       choices=["comparison", "ablation", "checkpoint", "compiled"], help="what the table is")
    table.add_argument("--protocol", help="protocol record id the table follows exactly")
    table.add_argument("--label", help='the table\'s name in the source, e.g. "Table 2" (default: from the caption)')
    table.add_argument("--split", help="the split or subject the table is on, as the source names it")
    table.add_argument("--notes", help="protocol notes to record with the table")
    table.add_argument("--dry-run", action="store_true", help="print the results block instead of writing it")
    return parser


COMMANDS = {
    "validate": cmd_validate,
    "stats": cmd_stats,
    "schema": cmd_schema,
    "build": cmd_build,
    "serve": cmd_serve,
    "export": cmd_export,
    "results": cmd_results,
    "new": cmd_new,
    "eval": cmd_eval,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return USAGE if exc.code not in (0, None) else OK
    try:
        if args.command == "eval" and not args.root:  # evaluation works outside the repository too
            from thg.eval.cli import run

            return run(args, next((f for f in (Path.cwd(), *Path.cwd().parents) if (f / "taxonomy.yaml").is_file()), None))
        root = args.root.resolve() if args.root else find_root(Path.cwd())
        return COMMANDS[args.command](args, root)
    except UsageError as exc:
        print(printable(f"thg: {exc}"), file=sys.stderr)
        return USAGE
    except InvalidCorpus as exc:
        return _report_invalid(exc.problems)
    except InputError as exc:
        print(printable(f"thg: {exc}"), file=sys.stderr)
        return INVALID
    except _build_failures() as exc:
        print(printable(f"thg: the site was not built: {exc}"), file=sys.stderr)
        return INVALID
    except KeyboardInterrupt:
        print("thg: interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print(REPORT_LINE, file=sys.stderr)
        return INTERNAL


def _build_failures() -> tuple[type[BaseException], ...]:
    """MkDocs' own refusals (a strict-mode warning, a plugin's error): the build stopped on purpose."""
    if "mkdocs" not in sys.modules:
        return ()
    from mkdocs.exceptions import Abort, BuildError, PluginError

    return (Abort, BuildError, PluginError)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
