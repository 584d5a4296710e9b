"""Render bench/results/scale.jsonl into the scale table of docs/performance.md (between markers).

Usage: python bench/report.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "performance.md"
STAGES = ["load", "validate", "index", "generate", "exports", "mkdocs", "search"]


def kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB"


def render(rows: list[dict[str, object]]) -> str:
    rows = sorted(rows, key=lambda r: int(r["n"]))  # type: ignore[call-overload]
    lines = [f"Measured on {rows[0]['date']} ({rows[0]['machine']}) with `python bench/scale.py`.", "",
             "| Records | " + " | ".join(STAGES) + " | full build | bare mkdocs | overhead | peak memory | site size |",
             "|---:|" + "---:|" * (len(STAGES) + 5)]
    for r in rows:
        stage = [f"{float(r[s]):.1f} s" for s in STAGES]  # type: ignore[arg-type]
        total, bare = float(r["build_total"]), float(r["bare_mkdocs"])  # type: ignore[arg-type]
        lines.append(f"| {int(r['n']):,} | " + " | ".join(stage) + f" | {total:.1f} s | {bare:.1f} s | "  # type: ignore[call-overload]
                     f"{100 * (total - bare) / bare:+.0f}% | {float(r['peak_rss_mb']):,.0f} MB | "  # type: ignore[arg-type]
                     f"{float(r['site_bytes']) / 2**20:,.0f} MB |")  # type: ignore[arg-type]
    lines += ["", "What a visitor downloads (gzip; theme CSS/JS included, cached after the first page):", "",
              "| Records | search mode | home page | explorer | a paper page | one search query (upper bound) |", "|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {int(r['n']):,} | {r['search_mode']} | {kb(float(r['visitor_home']))} | "  # type: ignore[call-overload, arg-type]
                     f"{kb(float(r['visitor_explorer']))} | {kb(float(r['visitor_paper']))} | "  # type: ignore[arg-type]
                     f"{kb(float(r['visitor_search_query']))} |")  # type: ignore[arg-type]
    return "\n".join(lines)


def main() -> None:
    source = HERE / "results" / "scale.jsonl"
    latest: dict[int, dict[str, object]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            latest[int(row["n"])] = row
    text = DOC.read_text(encoding="utf-8")
    table = render(list(latest.values()))
    text = re.sub(r"(<!-- scale:start -->\n).*?(\n<!-- scale:end -->)", lambda m: m.group(1) + table + m.group(2),
                  text, flags=re.S)
    DOC.write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
