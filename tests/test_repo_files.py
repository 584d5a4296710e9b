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


def test_deploy_checks_the_site_size_before_uploading() -> None:
    for name, upload in (("deploy.yml", "actions/upload-pages-artifact"), ("pr.yml", "actions/upload-artifact")):
        steps = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        steps = [step for job in steps["jobs"].values() for step in job["steps"]]
        runs = [str(step.get("run", "")) + str(step.get("uses", "")) for step in steps]
        built = next(k for k, run in enumerate(runs) if "make build" in run)
        checked = next(k for k, run in enumerate(runs) if "make check-size" in run)
        uploaded = next(k for k, run in enumerate(runs) if upload in run)
        assert built < checked < uploaded, name


def check_size(site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "check_site_size.py"), str(site), *options],
                          capture_output=True, text=True, check=False)


def test_site_size_check_stops_a_site_over_one_gigabyte(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "papers" / "a").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>", encoding="utf-8")
    (site / "papers" / "a" / "index.html").write_text("x" * 5000, encoding="utf-8")
    fits = check_size(site)
    assert fits.returncode == 0 and "0.0 MB, limit 1,000 MB" in fits.stdout, fits
    with (site / "downloads.bin").open("wb") as handle:  # sparse: 1 GB + 1 byte of size, no disk used
        handle.truncate(1_000_000_001)
    too_big = check_size(site)
    assert too_big.returncode == 1, too_big
    assert too_big.stderr.startswith(f"error: {site} is too large to publish: 1,000.0 MB, limit 1,000 MB "
                                     "(100% used), 5,014 bytes over.")
    assert "GitHub Pages refuses a site over 1 GB" in too_big.stderr
    assert "Largest parts: downloads.bin 1,000.0 MB, papers/ 0.0 MB" in too_big.stderr
    assert check_size(site, "--limit-mb", "2000").returncode == 0
    missing = check_size(tmp_path / "nothing")
    assert missing.returncode == 2 and "build the site first (make build)" in missing.stderr
