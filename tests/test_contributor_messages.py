"""A first-time contributor's broken record: the whole `thg validate` output, word for word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thg.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "contributor" / "papers" / "my-new-method.yaml"

EXPECTED = """\
papers/my-new-method.yaml:4: year: is the text '2025', not a number (a whole number such as 2024, without quotes)
papers/my-new-method.yaml:5: venue: unknown venue 'CVPR 2025' (did you mean CVPR? (or add it to venues.yaml))
papers/my-new-method.yaml:7: arxiv: is the number 2501.0123; YAML read it as a number and may have dropped digits (a quoted arXiv id without version, e.g. arxiv: "2308.09716")
papers/my-new-method.yaml:9: links.code: 'github.com/me/my-new-method' is not in the accepted form (an http:// or https:// address)
papers/my-new-method.yaml:11: tags.driving[0]: 'speech' is not a driving term (did you mean audio?)
papers/my-new-method.yaml:15: tags.task[0]: 'talking-head' is not a task term (did you mean audio-driven-portrait?)
papers/my-new-method.yaml:16: tags.flags[0]: 'code-available' is derived, not written by hand (remove it; it is set from links.code)
papers/my-new-method.yaml:17: datasets[0]: 'HDTF' is not in the accepted form (ids are lowercase with hyphens: write hdtf)
papers/my-new-method.yaml:18: summary: summary is too short; write one to three full sentences (at least 40 characters)
papers/my-new-method.yaml:19: added: '28.11.2026' is not a date (a date in the form YYYY-MM-DD, e.g. 2026-11-28)
10 problem(s) found.
"""


def test_first_time_contributor_sees_every_problem(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Type errors (a quoted year) no longer hide the same file's vocabulary problems (venue, tags)."""
    shutil.copy(FIXTURE, mini_tree / "papers" / FIXTURE.name)
    assert main(["--root", str(mini_tree), "validate"]) == 1
    assert capsys.readouterr().err == EXPECTED


def test_after_fixing_types_the_vocabulary_problems_show(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = (text.replace('year: "2025"', "year: 2025").replace("arxiv: 2501.01230", 'arxiv: "2501.01230"')
            .replace("github.com/me", "https://github.com/me").replace("added: 28.11.2026", "added: 2026-11-28")
            .replace("We propose a novel method.", "A fictional method that turns speech and one photo into a talking head video.")
            .replace("[HDTF]", "[hdtf]"))
    (mini_tree / "papers" / FIXTURE.name).write_text(text, encoding="utf-8")
    assert main(["--root", str(mini_tree), "validate"]) == 1
    assert capsys.readouterr().err == """\
papers/my-new-method.yaml:5: venue: unknown venue 'CVPR 2025' (did you mean CVPR? (or add it to venues.yaml))
papers/my-new-method.yaml:11: tags.driving[0]: 'speech' is not a driving term (did you mean audio?)
papers/my-new-method.yaml:15: tags.task[0]: 'talking-head' is not a task term (did you mean audio-driven-portrait?)
papers/my-new-method.yaml:16: tags.flags[0]: 'code-available' is derived, not written by hand (remove it; it is set from links.code)
papers/my-new-method.yaml:17: datasets[0]: no dataset record has id 'hdtf' (one of: set-one, set-two (or add datasets/hdtf.yaml))
5 problem(s) found.
"""
