"""`thg new` from a recorded arXiv response and from BibTeX, duplicate refusal, and schema freshness."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from thg.cli import main
from thg.errors import UsageError
from thg.scaffold import new_record
from thg.schema import render_schema
from thg.taxonomy import load_taxonomy

RECORDED = Path(__file__).resolve().parent / "fixtures" / "recorded"
REPO = Path(__file__).resolve().parent.parent


def args(**values: object) -> argparse.Namespace:
    base = {"kind": "paper", "arxiv": None, "bibtex": None, "record_id": None, "timeout": 5.0, "force": False}
    base.update(values)
    return argparse.Namespace(**base)


def recorded(url: str, timeout: float) -> bytes:
    assert url == "https://export.arxiv.org/api/query?id_list=2008.10010"
    return (RECORDED / "arxiv-2008.10010.xml").read_bytes()


def test_new_from_recorded_arxiv_response(mini_tree: Path) -> None:
    assert new_record(mini_tree, args(arxiv="arXiv:2008.10010v1"), fetch=recorded, today="2026-11-28") == 0
    path = mini_tree / "papers" / "lip-sync-expert-all.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == "A Lip Sync Expert Is All You Need for Speech to Lip Generation In The Wild"
    assert data["authors"] == ["K R Prajwal", "Rudrabha Mukhopadhyay", "Vinay Namboodiri", "C V Jawahar"]
    assert data["year"] == 2020 and data["arxiv"] == "2008.10010" and data["doi"] == "10.1145/3394171.3413532"
    assert data["bibkey"] == "prajwal2020lip"
    assert "# The source says: 9 pages (including references), 3 figures, Accepted in ACM Multimedia, 2020" in text
    assert "  driving: []  # audio, text," in text
    # The placeholders are deliberate: the new record fails validation until a person fills them in.
    assert main(["--root", str(mini_tree), "validate"]) == 1


def test_new_offline_message(mini_tree: Path) -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise OSError("Network is unreachable")

    with pytest.raises(UsageError, match=r"could not reach the arXiv API .*thg new paper --bibtex entry\.bib"):
        new_record(mini_tree, args(arxiv="2008.10010"), fetch=offline)


def test_new_from_bibtex(mini_tree: Path) -> None:
    assert new_record(mini_tree, args(bibtex=RECORDED / "entry.bib", record_id="face-vid2vid"), today="2026-11-28") == 0
    data = yaml.safe_load((mini_tree / "papers" / "face-vid2vid.yaml").read_text(encoding="utf-8"))
    assert data["authors"] == ["Ting-Chun Wang", "Arun Mallya", "Ming-Yu Liu"]
    assert data["year"] == 2021 and data["bibkey"] == "wang2021one"


def test_new_refuses_duplicates(mini_tree: Path) -> None:
    (RECORDED / "dup.bib").write_text(
        "@misc{x, title = {AlphaTalker: A Test Fixture for NeRF-based Talking Heads}, author = {A B}, year = {2023}}",
        encoding="utf-8")
    try:
        with pytest.raises(UsageError, match=r"not creating a duplicate: papers/alpha-talker.yaml already has the title"):
            new_record(mini_tree, args(bibtex=RECORDED / "dup.bib"))
    finally:
        (RECORDED / "dup.bib").unlink()


def test_new_templates_for_other_kinds(mini_tree: Path) -> None:
    for kind in ("dataset", "metric", "loss"):
        assert new_record(mini_tree, args(kind=kind, record_id=f"new-{kind}")) == 0
        assert yaml.safe_load((mini_tree / f"{ {'dataset': 'datasets', 'metric': 'metrics', 'loss': 'losses'}[kind]}"
                                            / f"new-{kind}.yaml").read_text(encoding="utf-8"))["id"] == f"new-{kind}"


def test_committed_schemas_are_fresh() -> None:
    taxonomy, problems = load_taxonomy(REPO)
    assert taxonomy is not None, problems
    for kind in ("paper", "dataset", "metric", "loss", "protocol"):
        committed = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == render_schema(kind, taxonomy), f"schema/{kind}.schema.json is stale: run `thg schema`"


def test_schema_accepts_real_records_and_rejects_bad_tags() -> None:
    schema = json.loads((REPO / "schema" / "paper.schema.json").read_text(encoding="utf-8"))
    record = yaml.safe_load((REPO / "papers" / "wav2lip.yaml").read_text(encoding="utf-8"))
    for field in ("added", "status_checked"):  # JSON has no date type; editors see the text
        if field in record:
            record[field] = record[field].isoformat()
    jsonschema.validate(record, schema)
    record["tags"]["driving"] = ["telepathy"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, schema)


def test_protocol_schema_accepts_the_protocol_records() -> None:
    schema = json.loads((REPO / "schema" / "protocol.schema.json").read_text(encoding="utf-8"))
    records = sorted((REPO / "protocols").glob("*.yaml"))
    assert records
    for path in records:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    broken = yaml.safe_load(records[0].read_text(encoding="utf-8"))
    broken["frames"]["method"] = "every-other-tuesday"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_new_protocol_template(mini_tree: Path) -> None:
    assert new_record(mini_tree, args(kind="protocol", record_id="my-protocol")) == 0
    data = yaml.safe_load((mini_tree / "protocols" / "my-protocol.yaml").read_text(encoding="utf-8"))
    assert data["id"] == "my-protocol" and set(data) >= {"test_set", "frames", "reference", "metrics", "sources"}
