"""The whole site at N records: time and peak memory per stage, site size, bytes a visitor downloads.

Usage: python bench/scale.py 1000 10000 [100000] [--search material|pagefind|auto] [--out FILE] [--no-bare]
       [--no-browser]
Each N runs in a fresh subprocess (peak memory is that process's maximum resident size). Stages:
load (read + parse + model), validate (cross-record rules), index, generate (pages and data files,
without the citation exports), exports (all citation files), mkdocs (the full `mkdocs build` with our
hooks, minus the hook work measured above), search (the Pagefind index, when used), and a bare
`mkdocs build` of the same generated pages without hooks, for the generation overhead. The built site is
then measured: its size on disk by part, and the explorer in headless Chromium (bench/explorer_speed.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


PARTS = {"papers": ("papers",), "taxonomy": ("taxonomy",), "records": ("datasets", "metrics", "losses", "protocols"),
         "results": ("results",), "downloads": ("downloads",), "explorer": ("assets/thg",),
         "search": ("pagefind", "search")}
"""The site's parts whose size is reported; the rest (theme assets, hand-written pages, compare, feeds) is "other"."""


def site_parts(site: Path) -> dict[str, int]:
    sizes = {name: sum(tree_size(site / folder) for folder in folders) for name, folders in PARTS.items()}
    sizes["other"] = tree_size(site) - sum(sizes.values())
    return sizes


def child(root: Path, search: str, bare_baseline: bool, browser: bool) -> dict[str, object]:
    """Runs inside the subprocess: every stage once, timed."""
    sys.path.insert(0, str(REPO))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["THG_SEARCH"] = search
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from thg.checks import check_corpus
    from thg.corpus import load_corpus
    from thg.index import build_index
    from thg.site import generate
    from thg.site import search as search_module
    from thg.site.search import run_pagefind, search_mode

    stats: dict[str, object] = {}
    t = time.perf_counter()
    loaded = load_corpus(root)
    stats["load"] = time.perf_counter() - t
    assert loaded.corpus is not None and not loaded.problems, loaded.problems[:3]
    t = time.perf_counter()
    problems = check_corpus(loaded.corpus)
    stats["validate"] = time.perf_counter() - t
    assert not problems, problems[:3]
    t = time.perf_counter()
    index = build_index(loaded.corpus)
    stats["index"] = time.perf_counter() - t
    t = time.perf_counter()
    entries = generate.citation_entries(index)
    for _name, _text in generate.download_files(index, entries):
        pass
    stats["exports"] = time.perf_counter() - t
    t = time.perf_counter()
    pages = generate.generate_site(index, assets=REPO / "thg" / "assets", entries=entries)
    stats["generate"] = time.perf_counter() - t
    site = root / "site"
    # The build's own Pagefind step (run by the hook after MkDocs has written the site), timed where it runs.
    searched: list[float] = []

    def timed_pagefind(folder: Path) -> None:
        start = time.perf_counter()
        run_pagefind(folder)
        searched.append(time.perf_counter() - start)

    search_module.run_pagefind = timed_pagefind  # the hook file, loaded by MkDocs below, imports this name
    t = time.perf_counter()
    mkdocs_build.build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    total = time.perf_counter() - t
    hook_work = sum(float(stats[k]) for k in ("load", "validate", "index", "generate", "exports"))  # type: ignore[arg-type]
    stats["search"] = sum(searched)
    stats["mkdocs"] = total - hook_work - sum(searched)
    stats["build_total"] = total
    stats["site_bytes"] = tree_size(site)
    stats["site_parts"] = site_parts(site)
    paper_pages = [site / "papers" / pid / "index.html" for pid in index.corpus.papers]
    stats["paper_page_bytes"] = sum(p.stat().st_size for p in paper_pages) / len(paper_pages)
    if browser:
        sys.path.insert(0, str(HERE))
        from explorer_speed import figures

        stats.update(figures(site))
    stats["bare_mkdocs"] = bare_build(root, pages) if bare_baseline else None
    stats["search_mode"] = search_mode(len(index.corpus.papers))
    stats["pages"] = sum(1 for src in pages if src.endswith(".md"))
    shared = theme_assets(site)
    first_paper = next(iter(sorted(index.corpus.papers)))
    stats["visitor_home"] = gz(site / "index.html") + shared
    stats["visitor_explorer"] = gz(site / "explorer" / "index.html") + explorer_first_load(site) + shared
    # A paper page, plus the theme chrome paper pages share (thg.site.chrome), cached like the stylesheets.
    stats["visitor_paper"] = gz(site / "papers" / first_paper / "index.html") + \
        gz(site / "assets" / "thg" / "chrome" / "papers.js") + shared
    stats["visitor_search_query"] = search_query_bytes(site, str(stats["search_mode"]))
    return stats


def theme_assets(site: Path) -> int:
    """The stylesheets and scripts every page loads (gzip), cached after the first page."""
    return sum(gz(p) for p in (site / "assets").rglob("*") if p.suffix in {".css", ".js"}
               and "workers" not in p.parts and "pagefind" not in p.parts and "chrome" not in p.parts)


def explorer_first_load(site: Path) -> int:
    """What the explorer fetches before its filters work (gzip): papers.json, or the sharded index's index.json
    (the text shards come when a view needs them)."""
    single = site / "assets" / "thg" / "papers.json"
    return gz(single) if single.is_file() else gz(site / "assets" / "thg" / "explorer" / "index.json")


def write_bare(root: Path, target: Path, pages: dict[str, object], only: tuple[str, ...] = ()) -> Path:
    """Generated pages as plain Markdown files in a MkDocs project without our hooks (all of them, or those whose
    path starts with one of `only`); returns its mkdocs.yml."""
    from thg.site import generate

    if not only:
        shutil.copytree(root / "docs", target / "docs")
    for src, content in pages.items():
        if only and not src.startswith(only):
            continue
        out = target / "docs" / src
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            out.write_bytes(content)
        elif isinstance(content, generate.GeneratedPage):
            out.write_text(content.as_markdown(), encoding="utf-8")
        else:
            out.write_text(content, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("hooks:")[0] + "plugins:" + config.split("plugins:")[1]
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(root / "overrides", target / "overrides")
    return target / "mkdocs.yml"


def bare_build(root: Path, pages: dict[str, object]) -> float:
    """The same generated pages as plain Markdown files, built by MkDocs without any hook."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    config = write_bare(root, root / "bare", pages)
    t = time.perf_counter()
    mkdocs_build.build(load_config(str(config), site_dir=str(root / "bare" / "site"), strict=False))
    return time.perf_counter() - t


def explorer_only(root: Path) -> dict[str, object]:
    """The explorer measured without building the rest of the site (--explorer-only): the corpus is loaded,
    indexed and generated as in a build, then only the explorer page and the files under assets/ (its data and
    scripts) are built by MkDocs. What the explorer loads is the same as in the full site; what is left out
    (other pages, citation files, search index) is never fetched by it. For sizes where the whole site takes
    hours on a shared machine."""
    sys.path.insert(0, str(REPO))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from thg.corpus import load_corpus
    from thg.index import build_index
    from thg.site import generate

    sys.path.insert(0, str(HERE))
    from explorer_speed import figures

    loaded = load_corpus(root)
    assert loaded.corpus is not None and not loaded.problems, loaded.problems[:3]
    index = build_index(loaded.corpus)
    pages = generate.generate_site(index, assets=REPO / "thg" / "assets")
    config = write_bare(root, root / "explorer-only", pages, only=("explorer.md", "assets/"))
    site = root / "explorer-only" / "site"
    mkdocs_build.build(load_config(str(config), site_dir=str(site), strict=False))
    stats: dict[str, object] = {"explorer_only": True}
    stats.update(figures(site))
    stats["visitor_explorer"] = gz(site / "explorer" / "index.html") + explorer_first_load(site) + theme_assets(site)
    return stats


def search_query_bytes(site: Path, mode: str) -> int:
    """What one search query transfers: Material ships its whole index; Pagefind fetches its entry,
    the wasm, one index chunk and the fragments of the first page of results (Pagefind UI shows five;
    we count the largest chunk and the five largest fragments)."""
    if mode != "pagefind":
        worker = sum(gz(p) for p in (site / "assets" / "javascripts" / "workers").glob("*.js"))
        return gz(site / "search" / "search_index.json") + worker
    pf = site / "pagefind"
    fixed = sum(gz(p) for p in (pf / "pagefind.js", pf / "pagefind-ui.js", pf / "pagefind-ui.css",
                                pf / "pagefind-entry.json"))
    wasm = max((p.stat().st_size for p in pf.glob("wasm.*.pagefind")), default=0)
    meta = max((p.stat().st_size for p in pf.glob("pagefind.*.pf_meta")), default=0)
    chunk = max((p.stat().st_size for p in (pf / "index").glob("*.pf_index")), default=0)
    fragments = sorted((p.stat().st_size for p in (pf / "fragment").glob("*.pf_fragment")), reverse=True)[:5]
    return fixed + wasm + meta + chunk + sum(fragments)


def mb(value: float) -> str:
    return f"{value / 1e6:,.1f} MB"


def table(lines: list[dict[str, object]]) -> str:
    """The results of `--out` files as the Markdown tables of docs/performance.md."""
    full = [r for r in lines if not r.get("explorer_only")]
    out = ["| Records | load | validate | index | generate | exports | mkdocs | search | full build | bare mkdocs | "
           "build / bare | peak memory | load average (1 min) |", "|---:" * 13 + "|"]
    for r in full:
        bare = r.get("bare_mkdocs")
        cells = [f"{r['n']:,}"] + [f"{float(r[k]):.1f} s" for k in  # type: ignore[arg-type]
                                   ("load", "validate", "index", "generate", "exports", "mkdocs", "search", "build_total")]
        cells += [f"{float(bare):.1f} s" if bare else "", f"{float(r['build_total']) / float(bare):.2f}" if bare else "",  # type: ignore[arg-type]
                  f"{float(r['peak_rss_mb']):,.0f} MB", f"{r['load_average'][0]:.1f}"]  # type: ignore[arg-type, index]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "| Records | site | paper pages (each) | taxonomy | other records | results | downloads | explorer and "
            "scripts | search | other |", "|---:" * 10 + "|"]
    for r in full:
        parts: dict[str, int] = r["site_parts"]  # type: ignore[assignment]
        out.append(f"| {r['n']:,} | {mb(float(r['site_bytes']))} | {mb(parts['papers'])} "  # type: ignore[arg-type]
                   f"({float(r['paper_page_bytes']) / 1e3:.1f} KB) | " + " | ".join(  # type: ignore[arg-type]
                       mb(parts[k]) for k in ("taxonomy", "records", "results", "downloads", "explorer", "search", "other"))
                   + " |")
    out += ["", "| Records | explorer index (gzip) | first rows | filters live | keystroke median / max | explorer page "
            "first load (gzip) | measured in |", "|---:" * 7 + "|"]
    for r in lines:
        if "explorer_first_rows_ms" not in r:
            continue
        out.append(f"| {r['n']:,} | {float(r['explorer_index_gzip']) / 1e3:,.0f} KB in {r['explorer_index_files']} files | "  # type: ignore[arg-type]
                   f"{float(r['explorer_first_rows_ms']):.0f} ms | {float(r['explorer_live_ms']):,.0f} ms | "  # type: ignore[arg-type]
                   f"{float(r['explorer_key_median_ms']):.1f} / {float(r['explorer_key_max_ms']):.1f} ms | "  # type: ignore[arg-type]
                   f"{float(r['visitor_explorer']) / 1e3:,.0f} KB | "  # type: ignore[arg-type]
                   f"{'explorer only' if r.get('explorer_only') else 'whole site'}, load {r['load_average'][0]:.1f} |")  # type: ignore[index]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--search", default="auto", choices=["auto", "material", "pagefind"])
    parser.add_argument("--out", type=Path, help="append the results as JSON lines to this file")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare MkDocs baseline (saves the longest step)")
    parser.add_argument("--no-browser", action="store_true", help="skip the explorer measurement in Chromium")
    parser.add_argument("--explorer-only", action="store_true",
                        help="build and measure only the explorer page and its data (for sizes too slow to build whole)")
    parser.add_argument("--table", type=Path, help="print the results of an --out file as Markdown tables, and stop")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        print(table([json.loads(line) for line in args.table.read_text(encoding="utf-8").splitlines() if line.strip()]))
        return
    if args.child:
        result = explorer_only(args.child) if args.explorer_only else \
            child(args.child, args.search, not args.no_bare, not args.no_browser)
        print("RESULT " + json.dumps(result))
        return
    sys.path.insert(0, str(HERE))
    from synth import make_corpus

    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_corpus(Path(tmp) / "corpus", n)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t = time.perf_counter()
            flags = ["--no-bare"] * args.no_bare + ["--no-browser"] * args.no_browser + ["--explorer-only"] * args.explorer_only
            proc = subprocess.run([sys.executable, __file__, "--child", str(root), "--search", args.search, *flags],
                                  capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t
            if proc.returncode != 0:
                print(proc.stdout[-3000:], proc.stderr[-3000:])
                raise SystemExit(f"N={n} failed")
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            result = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))[7:])
            result.update({"n": n, "wall": wall, "peak_rss_mb": max(peak, before) / 1024,
                           "date": dt.date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                           f"Python {platform.python_version()}", "load_average": os.getloadavg()})
            print(json.dumps(result))
            if args.out:
                with args.out.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
