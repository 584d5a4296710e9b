"""Build-time SVG charts. Colours come from CSS classes so light and dark schemes both read well."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from markupsafe import escape

from thg.index import Index

PALETTE_SIZE = 10
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 760, 300, 40, 40, 16
PLOT_W, PLOT_H = WIDTH - LEFT - 170, HEIGHT - BOTTOM - TOP


def _frame(title: str, title_id: str, peak: float) -> list[str]:
    """The SVG opening, its accessible title and the horizontal grid with y labels."""
    parts = [
        f'<svg class="thg-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{escape(title)}</title>'
    ]
    for tick in range(5):
        value = round(peak * tick / 4)
        y = TOP + PLOT_H - PLOT_H * value / peak
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    return parts


def stacked_bars(
    title: str,
    years: Sequence[int],
    series: Sequence[str],
    values: Mapping[int, Counter[str]],
    labels: Mapping[str, str],
) -> str:
    """A stacked bar chart as inline SVG (role=img with a text alternative)."""
    totals = [sum(values.get(y, Counter()).values()) for y in years]
    peak = max(totals, default=0) or 1
    bar_w = PLOT_W / max(len(years), 1)
    left, top, plot_h = LEFT, TOP, PLOT_H
    parts = _frame(title, "chart-title", peak)
    for i, year in enumerate(years):
        x = left + i * bar_w
        y: float = top + plot_h
        counts = values.get(year, Counter())
        for s_index, name in enumerate(series):
            count = counts.get(name, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect class="s{s_index % PALETTE_SIZE}" x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" '
                f'height="{h:.1f}"><title>{year}: {escape(labels.get(name, name))} {count}</title></rect>'
            )
        if len(years) <= 20 or i % 2 == 0:
            parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{year}</text>')
    for s_index, name in enumerate(series):
        y = top + 14 * s_index
        parts.append(f'<rect class="s{s_index % PALETTE_SIZE}" x="{left + PLOT_W + 16}" y="{y}" width="10" height="10"/>')
        parts.append(f'<text class="legend" x="{left + PLOT_W + 32}" y="{y + 9}">{escape(labels.get(name, name))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def papers_per_year(index: Index, top: int = 9) -> str:
    """Papers per year, each counted once under its first-listed architecture family."""
    taxonomy = index.corpus.taxonomy
    per_year: dict[int, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for paper in index.corpus.papers.values():
        family = paper.tags.architecture[0]
        per_year.setdefault(paper.year, Counter())[family] += 1
        overall[family] += 1
    main = [name for name, _ in overall.most_common(top)]
    grouped: dict[int, Counter[str]] = {}
    for year, counts in per_year.items():
        bucket: Counter[str] = Counter()
        for name, count in counts.items():
            bucket[name if name in main else "other"] += count
        grouped[year] = bucket
    series = [*main, "other"] if any("other" in c for c in grouped.values()) else main
    labels = {name: taxonomy.label("architecture", name) for name in main} | {"other": "Other"}
    years = list(range(min(per_year, default=2020), max(per_year, default=2020) + 1))
    return stacked_bars("Papers per year by main architecture family", years, series, grouped, labels)


def lines(title: str, years: Sequence[int], series: Mapping[str, Sequence[int]], labels: Mapping[str, str]) -> str:
    """A multi-line chart as inline SVG; one line per series, points carry a tooltip."""
    peak = max((max(v, default=0) for v in series.values()), default=0) or 1
    step = PLOT_W / max(len(years) - 1, 1)
    left, top, plot_h = LEFT, TOP, PLOT_H
    parts = _frame(title, "lines-title", peak)
    for i, year in enumerate(years):
        if len(years) <= 20 or i % 2 == 0:
            parts.append(f'<text class="axis" x="{left + i * step:.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{year}</text>')
    for s_index, (name, values) in enumerate(series.items()):
        points = [(left + i * step, top + plot_h - plot_h * v / peak) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="l{s_index % PALETTE_SIZE}" fill="none" stroke-width="2" points="{path}"/>')
        for (x, y), year, value in zip(points, years, values, strict=True):
            parts.append(f'<circle class="s{s_index % PALETTE_SIZE}" cx="{x:.1f}" cy="{y:.1f}" r="2.5">'
                         f'<title>{escape(labels.get(name, name))} {year}: {value}</title></circle>')
        y = top + 14 * s_index
        parts.append(f'<rect class="s{s_index % PALETTE_SIZE}" x="{left + PLOT_W + 16}" y="{y}" width="10" height="10"/>')
        parts.append(f'<text class="legend" x="{left + PLOT_W + 32}" y="{y + 9}">{escape(labels.get(name, name))}</text>')
    parts.append("</svg>")
    return "".join(parts)
