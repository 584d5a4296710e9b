"""MkDocs build hooks: validate the records, then hand MkDocs the generated pages as virtual files.

Listed in mkdocs.yml under `hooks:`. Only plain MkDocs events are used (no theme internals), so the
same generation works under any MkDocs-compatible builder that reads `mkdocs.yml`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, cast

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from thg.index import build_index
from thg.site import chrome
from thg.site.generate import (
    BUILT,
    THEME_COMPILED,
    GeneratedPage,
    citation_entries,
    fingerprint,
    generate_site,
    write_downloads,
)
from thg.site.prune import prune_theme_files
from thg.site.search import add_plain_spellings, run_pagefind, search_mode
from thg.validate import validate

log = logging.getLogger("mkdocs.thg")
_ASSETS = Path(__file__).resolve().parent.parent / "assets"
_state: dict[str, Any] = {}
RECORD_FOLDERS = ("papers/", "datasets/", "metrics/", "losses/", "protocols/", "taxonomy/", "results/", "compare/tasks/")


def records_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def site_url(config: MkDocsConfig) -> str:
    """The site's public address (mkdocs.yml `site_url`): feeds need absolute links."""
    url = config.site_url
    if not url:
        raise PluginError("thg: set site_url in mkdocs.yml; the Atom feeds link to pages by their full address")
    return url if url.endswith("/") else url + "/"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = records_root(config)
    result = validate(root)
    if not result.ok:
        for problem in result.problems[:50]:
            log.error(str(problem))
        raise PluginError(f"thg: {len(result.problems)} problem(s) in the records; run `thg validate`")
    assert result.corpus is not None
    _state["index"] = build_index(result.corpus)
    _state["root"] = root
    _state["search"] = search_mode(len(result.corpus.papers))
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """`thg_chrome(part, folder[, html])`: the theme chrome record pages share (thg.site.chrome), rendered once
    per folder in each build; `thg_chrome_path(folder)`: the script that carries it. The theme's templates are
    compiled once per process (thg.site.generate.THEME_COMPILED), not once per `thg serve` rebuild."""
    env.bytecode_cache = THEME_COMPILED
    if not chrome.enabled():
        env.globals.pop("thg_chrome", None)
        return env
    shared = chrome.SharedChrome()
    _state["chrome"] = shared

    def thg_chrome(part: str, folder: str, html: str | None = None) -> str | None:
        return shared.get(part, folder) if html is None else shared.put(part, folder, html)

    env.globals["thg_chrome"] = thg_chrome
    env.globals["thg_chrome_path"] = chrome.chrome_path
    return env


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Record pages lose their template indentation (thg.site.chrome.squeeze) and, when they share the theme's
    chrome, the skeleton their folder's script writes in (thg.site.chrome.SharedChrome.slim)."""
    if not page.meta.get("thg_record"):
        return output
    output = chrome.squeeze(output)
    shared: chrome.SharedChrome | None = _state.get("chrome")
    if shared is None:
        return output
    return shared.slim(output, page.url.rstrip("/").rpartition("/")[0], page.file.src_uri)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _state["entries"] = citation_entries(_state["index"])
    generated = generate_site(_state["index"], overrides=_state["root"] / "overrides" / "thg", assets=_ASSETS,
                              search=_state["search"], entries=_state["entries"], site_url=site_url(config),
                              root=_state["root"], site_name=config.site_name)
    pages: dict[str, GeneratedPage] = {}
    current: dict[str, str] = {}
    previous = BUILT.get(config.site_dir, {})
    for src, content in generated.items():
        existing = files.get_file_from_path(src)
        if existing is not None:
            files.remove(existing)
        if isinstance(content, GeneratedPage):
            pages[src] = content
            current[src] = fingerprint(content.meta, content.body)
            file = cast(GeneratedFile, GeneratedFile.generated(config, src, content=""))
        else:
            current[src] = fingerprint(content if isinstance(content, str) else content.hex())
            file = cast(GeneratedFile, GeneratedFile.generated(config, src, content=content))
        file.changed = previous.get(src) != current[src] or not os.path.exists(file.abs_dest_path)
        files.append(file)
    _state["pages"] = pages
    _state["fingerprints"] = current
    return files


class GeneratedFile(File):
    """A generated page or file that MkDocs' dirty rebuilds (`thg serve`) skip when its content is unchanged."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """Generated pages skip Markdown: their body is finished, escaped HTML, handed back in on_page_content.

    Record-derived titles and descriptions reach Material's templates unescaped: escape them once.
    """
    generated: GeneratedPage | None = _state.get("pages", {}).get(page.file.src_uri)
    meta = page.meta
    if generated is not None:
        meta.update(generated.meta)
    for key in ("title", "description"):
        if isinstance(meta.get(key), str) and not meta.get("_thg_escaped"):
            meta[key] = str(escape(meta[key]))
    meta["_thg_escaped"] = True
    if _state.get("search") == "pagefind" and page.file.src_uri.startswith(RECORD_FOLDERS):
        meta["search"] = {"exclude": True}  # Pagefind indexes record pages; Material keeps the rest
    if isinstance(meta.get("title"), str) and "title" not in vars(page):
        page.title = meta["title"]  # a title given in mkdocs.yml's nav (the short tab label) is kept
    return "" if generated is not None else markdown


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    generated: GeneratedPage | None = _state.get("pages", {}).get(page.file.src_uri)
    return generated.body if generated is not None else html


def on_post_build(config: MkDocsConfig) -> None:
    write_downloads(_state["index"], _state["entries"], Path(config.site_dir))
    shared: chrome.SharedChrome | None = _state.pop("chrome", None)
    for rel, text in (shared.files() if shared else {}).items():
        target = Path(config.site_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    add_plain_spellings(Path(config.site_dir))  # runs after Material's search plugin has written its index
    prune_theme_files(Path(config.site_dir))
    BUILT[config.site_dir] = _state.get("fingerprints", {})
    if _state.get("search") == "pagefind":
        run_pagefind(Path(config.site_dir))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = records_root(config)
    for folder in ("papers", "datasets", "metrics", "losses", "protocols", "taxonomy.yaml", "venues.yaml", "overrides"):
        if (root / folder).exists():
            server.watch(str(root / folder))
    server.watch(str(Path(__file__).resolve().parent.parent))
    return server
