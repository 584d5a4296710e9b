"""The contributor path: README commands, GitHub workflows and forms, pre-commit and editor settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_readme_opens_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make serve", "make test"]
    assert text.index("make serve") < 200


def test_ci_runs_make_test() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script and "chromium" in script


def test_workflows_are_valid_github_actions() -> None:
    workflows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows],
                   check=True, capture_output=True)
    forms = sorted(str(p) for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    assert len(forms) >= 5
    subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *forms],
                   check=True, capture_output=True)


def test_workflows_call_the_make_targets_the_readme_gives() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    for path in (REPO / ".github" / "workflows").glob("*.yml"):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                for called in re.findall(r"\bmake ([a-z-]+)", step.get("run", "")):
                    assert called in targets, f"{path.name} calls make {called}"
    pr = (REPO / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "make test" in pr and "upload-artifact" in pr


def test_issue_form_asks_for_what_a_curator_needs() -> None:
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml").read_text(encoding="utf-8"))
    labels = [item["attributes"]["label"] for item in form["body"]]
    assert labels == ["arXiv id or DOI", "Title", "Code link", "Why it belongs"]


def test_correction_forms_ask_for_evidence() -> None:
    """Readers mostly report wrong venues and authors, dead links and newly released code: each has a form."""
    folder = REPO / ".github" / "ISSUE_TEMPLATE"
    for name in ("correct-venue.yml", "correct-authors.yml", "dead-link.yml", "code-released.yml"):
        form = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        fields = {item["id"]: item for item in form["body"] if "id" in item}
        assert fields["paper"]["validations"]["required"] is True, name
        assert "correction" in form["labels"], name
    venue = yaml.safe_load((folder / "correct-venue.yml").read_text(encoding="utf-8"))
    assert any(item.get("id") == "evidence" and item["validations"]["required"] for item in venue["body"])


def test_pre_commit_and_editor_settings() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["entry"] == "thg validate"
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["hooks"][0]["entry"].endswith("thg validate")
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, pattern in settings["yaml.schemas"].items():
        assert (REPO / schema).is_file() and pattern.endswith("/*.yaml")


def test_submit_results_form_asks_for_the_paper_and_its_table() -> None:
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "submit-results.yml").read_text(encoding="utf-8"))
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert fields["arxiv"]["validations"]["required"] and fields["latex"]["validations"]["required"]
    assert fields["latex"]["attributes"]["render"] == "latex" and fields["protocol"]["validations"]["required"]
