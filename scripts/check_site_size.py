"""Fail before uploading when the built site is larger than GitHub Pages publishes.

Usage: python scripts/check_site_size.py [SITE] [--limit-mb 1000]
GitHub Pages refuses a published site over 1 GB; the deploy workflow runs this between `make build` and
the upload, so an oversized site stops the deploy with a message that says what is big, instead of an
upload that fails. 1 GB is taken as 10^9 bytes, the stricter reading. Exit code 0 when the site fits,
1 when it does not, 2 when SITE is not a built site.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

GITHUB_PAGES_LIMIT_MB = 1000
MB = 1_000_000


def folder_sizes(site: Path) -> tuple[int, dict[str, int]]:
    """Total bytes of every file under `site`, and the bytes under each top-level entry."""
    total = 0
    parts: dict[str, int] = {}
    for folder, _dirs, files in os.walk(site):
        rel = Path(folder).relative_to(site)
        top = rel.parts[0] + "/" if rel.parts else None
        for name in files:
            size = os.path.getsize(os.path.join(folder, name))
            total += size
            key = top or name
            parts[key] = parts.get(key, 0) + size
    return total, parts


def report(site: Path, limit_mb: float) -> tuple[bool, str]:
    total, parts = folder_sizes(site)
    limit = limit_mb * MB
    share = f"{total / MB:,.1f} MB, limit {limit_mb:,.0f} MB ({100 * total / limit:.0f}% used)"
    if total <= limit:
        return True, f"{site}: {share}."
    largest = sorted(parts.items(), key=lambda item: -item[1])[:5]
    lines = [f"error: {site} is too large to publish: {share}, {total - limit:,.0f} bytes over.",
             "GitHub Pages refuses a site over 1 GB (10^9 bytes here), so the deploy stops before uploading it.",
             "Largest parts: " + ", ".join(f"{name} {size / MB:,.1f} MB" for name, size in largest) + ".",
             "docs/performance.md says what each part holds and how it grows with the number of papers."]
    return False, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--limit-mb", type=float, default=GITHUB_PAGES_LIMIT_MB,
                        help=f"largest size allowed, in MB of 10^6 bytes (default {GITHUB_PAGES_LIMIT_MB})")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site} holds no index.html; build the site first (make build)", file=sys.stderr)
        return 2
    fits, message = report(args.site, args.limit_mb)
    print(message, file=sys.stdout if fits else sys.stderr)
    return 0 if fits else 1


if __name__ == "__main__":
    raise SystemExit(main())
