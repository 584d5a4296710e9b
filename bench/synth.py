"""Realistic synthetic corpora for benchmarks: papers with authors, tags, datasets, metrics and
result tables, plus the datasets, metrics and losses they reference. Deterministic per seed.

The records are fictional by construction (names like "Author 17 Example") and live only in
temporary folders; they never enter the real corpus.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORDS = ["talking", "head", "audio", "driven", "portrait", "diffusion", "neural", "radiance", "gaussian", "lip", "sync", "emotion", "controllable", "expressive", "real", "time", "one", "shot", "video", "synthesis", "avatar", "speech", "motion", "latent", "transformer"]


def _taxonomy() -> dict[str, list[str]]:
    data = yaml.safe_load((REPO / "taxonomy.yaml").read_text(encoding="utf-8"))["facets"]
    return {facet: [t for t, info in spec["terms"].items() if not info.get("derived") and t != "not-applicable"]
            for facet, spec in data.items()}


def make_corpus(root: Path, papers: int, seed: int = 7, datasets: int = 60, metrics: int = 30, losses: int = 20) -> Path:
    """Write a complete record tree (taxonomy, venues, site config and records) under `root`."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("papers", "datasets", "metrics", "losses"):
        (root / folder).mkdir(parents=True)
    for name in ("taxonomy.yaml", "venues.yaml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("docs", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - thg/site/hooks.py",
                                                    f"  - {REPO / 'thg' / 'site' / 'hooks.py'}"), encoding="utf-8")
    terms = _taxonomy()
    venues = [v for v, spec in yaml.safe_load((REPO / "venues.yaml").read_text(encoding="utf-8")).items()
              if spec["kind"] in ("conference", "journal")]
    kinds = yaml.safe_load((REPO / "venues.yaml").read_text(encoding="utf-8"))
    dataset_ids = [f"synthetic-set-{i}" for i in range(datasets)]
    metric_ids = [f"synthetic-metric-{i}" for i in range(metrics)]
    loss_ids = [f"synthetic-loss-{i}" for i in range(losses)]
    for i, did in enumerate(dataset_ids):
        _dump(root / "datasets" / f"{did}.yaml", {
            "id": did, "name": f"SynthSet{i}", "year": 2010 + i % 15, "modality": ["video", "audio"],
            "dimension": "2d", "size": {"identities": rng.randint(10, 5000), "clips": rng.randint(100, 10**6)},
            "description": "A synthetic dataset generated for benchmarks.", "sources": ["https://example.org/set"]})
    for i, mid in enumerate(metric_ids):
        _dump(root / "metrics" / f"{mid}.yaml", {
            "id": mid, "name": f"SynthMetric{i}", "category": "image-quality", "direction": rng.choice(["higher", "lower"]),
            "range": {"min": 0, "max": None}, "description": "A synthetic metric.", "sources": ["https://example.org/m"]})
    for i, lid in enumerate(loss_ids):
        _dump(root / "losses" / f"{lid}.yaml", {
            "id": lid, "name": f"SynthLoss{i}", "category": "reconstruction", "formula": r"\lVert x - y \rVert_1",
            "description": "A synthetic loss.", "sources": ["https://example.org/l"]})
    for i in range(papers):
        words = rng.sample(WORDS, 6)
        venue = rng.choice([*venues, "arXiv", "arXiv"])
        record: dict[str, object] = {
            "id": f"synthetic-paper-{i}",
            "title": f"Synth{i}: " + " ".join(w.capitalize() for w in words),
            "short_name": f"Synth{i}",
            # dict.fromkeys: a paper lists each author once (the validator refuses repeats); same draws as before.
            "authors": list(dict.fromkeys(f"Author {rng.randint(1, 20000)} Example" for _ in range(rng.randint(2, 9)))),
            "year": rng.randint(2015, 2026),
            "venue": venue,
            "type": kinds[venue]["kind"],
            "arxiv": f"{rng.randint(15, 26):02d}{rng.randint(1, 12):02d}.{i:05d}",
            "links": {"code": f"https://example.org/code/{i}"} if rng.random() < 0.6 else {},
            "tags": {facet: rng.sample(values, min(len(values), rng.randint(1, 2))) if facet != "flags"
                     else rng.sample(values, rng.randint(0, 2)) for facet, values in terms.items()},
            "datasets": rng.sample(dataset_ids, rng.randint(0, 3)),
            "metrics": rng.sample(metric_ids, rng.randint(0, 4)),
            "losses": rng.sample(loss_ids, rng.randint(0, 3)),
            "builds_on": [f"synthetic-paper-{j}" for j in rng.sample(range(i), min(i, rng.randint(0, 2)))],
            "summary": "A synthetic paper generated for benchmarks. It turns speech and a portrait into a talking head "
                       "video with a " + " ".join(words[:3]) + " model.",
            "sources": [f"https://example.org/paper/{i}"],
        }
        if rng.random() < 0.05 and record["datasets"] and record["metrics"]:
            record["results"] = [{
                "id": "main", "table": "Table 1", "source": f"https://example.org/paper/{i}#t1",
                "dataset": record["datasets"][0], "protocol": {"setting": rng.choice(["one-shot", "person-specific"])},
                "rows": [{"method": f"synthetic-paper-{i}", "values": {m: round(rng.uniform(0, 50), 2)
                                                                       for m in record["metrics"]}}]}]
        _dump(root / "papers" / f"synthetic-paper-{i}.yaml", record)
    return root


def _dump(path: Path, data: dict[str, object]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
