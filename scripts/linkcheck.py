"""Check every http(s) link in the records and report the dead ones (run weekly in CI, needs network).

Usage: python scripts/linkcheck.py [--report dead-links.md] [--timeout 15] [--workers 8]
Exit code 1 when any link is dead, so the workflow can open an issue with the report.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import re
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://[^\s\"'<>\])]+")


def collect() -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for folder in ("papers", "datasets", "metrics", "losses"):
        for path in sorted((ROOT / folder).glob("*.yaml")):
            for url in URL.findall(path.read_text(encoding="utf-8")):
                links.setdefault(url.rstrip(".,"), []).append(f"{folder}/{path.name}")
    return links


def alive(url: str, timeout: float) -> str | None:
    """None when the link answers; otherwise the reason."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "thg-linkcheck/0.1"})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403, 405, 429) and method == "HEAD":
                continue
            if exc.code in (401, 403, 429):
                return None  # exists, but refuses robots
            reason = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = str(getattr(exc, "reason", exc))
    return reason


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    links = collect()
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        results = dict(zip(links, pool.map(lambda u: alive(u, args.timeout), links), strict=True))
    dead = {url: reason for url, reason in results.items() if reason}
    lines = [f"# Dead links ({len(dead)} of {len(links)})", ""]
    lines += [f"- {url} ({reason}) in {', '.join(links[url])}" for url, reason in sorted(dead.items())]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return 1 if dead else 0


if __name__ == "__main__":
    raise SystemExit(main())
