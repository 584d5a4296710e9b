"""The results and protocol pages in headless Chromium: downloads clicked, details opened, no serious a11y issues."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import axe_violations, browser, page  # noqa: F401  (fixtures shared with the site browser tests)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def results_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from test_results_views import protocol_tree
    from test_site import build

    site = build(protocol_tree(tmp_path_factory.mktemp("results-browser") / "tree"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_group_downloads_are_clickable(page: object, results_url: str) -> None:  # noqa: F811
    page.goto(results_url + "results/set-one/")  # type: ignore[attr-defined]
    violations = axe_violations(page)  # before clicking: a focused link takes the theme's accent colour
    assert violations == [], "\n".join(violations)
    group = page.locator("#group-lip-proto")  # type: ignore[attr-defined]
    files = {}
    for name in ("CSV", "LaTeX rows", "JSON"):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            group.get_by_role("link", name=name, exact=True).click()
        files[info.value.suggested_filename] = Path(info.value.path()).read_text(encoding="utf-8")
    assert sorted(files) == ["lip-proto.csv", "lip-proto.json", "lip-proto.tex"]
    rows = list(csv.DictReader(io.StringIO(files["lip-proto.csv"])))
    assert [r["method"] for r in rows if r["reported_by"] == "p-two"] == ["P-Two", "Beta-Sync: Lip Sync Experts & 100% Coverage",
                                                                               "R&D_Net 100% {v2}"]
    assert json.loads(files["lip-proto.json"])["protocol"]["record"] == "lip-proto"
    assert "\\cite{" in files["lip-proto.tex"]
    assert page.locator("tr.thg-flagged").count() == 1  # type: ignore[attr-defined]


def test_protocol_page_lists_items_on_demand(page: object, results_url: str) -> None:  # noqa: F811
    page.goto(results_url + "protocols/lip-proto/")  # type: ignore[attr-defined]
    items = page.locator("details.thg-items")  # type: ignore[attr-defined]
    assert not items.locator("code", has_text="clip-002").is_visible()
    items.locator("summary").click()
    assert items.locator("code", has_text="clip-002").is_visible()
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
