"""The command line says what is wrong and what to write instead (issue 16's CLI findings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thg.cli import main


def run(tree: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(tree), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_unknown_filter_term_suggests_the_closest_and_lists_the_valid_ones(
        mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(mini_tree, capsys, "export", "--filter", "architecture=nerff")
    assert code == 2
    assert "architecture has no term 'nerff'. Did you mean architecture=nerf?" in err
    assert "Terms of architecture: " in err and "gaussian-splatting" in err and "is not a" not in err


def test_filter_alias_points_to_its_term(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(mini_tree, capsys, "export", "--filter", "architecture=3dgs")
    assert code == 2 and "Did you mean architecture=gaussian-splatting?" in err


def test_reversed_year_range_is_refused(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(mini_tree, capsys, "export", "--year", "2030..2020")
    assert code == 2 and out == ""
    assert "runs backwards" in err and "write 2020..2030" in err


def test_results_export_refuses_options_it_cannot_apply(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(mini_tree, capsys, "export", "--results", "--format", "ris")
    assert code == 2 and out == "" and "--format cannot apply" in err
    code, out, _err = run(mini_tree, capsys, "export", "--results")
    assert code == 0 and len(out.splitlines()) > 1  # without the refused options it writes the CSV


def test_results_listing_explains_its_marks(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(mini_tree, capsys, "results", "--dataset", "set-one")
    assert code == 0
    assert out.startswith("* marks the best value of a column within one source table")
    heading = next(line for line in out.splitlines() if line.startswith("== Every reported value"))
    assert "*" not in heading and "protocol group in brackets" in heading
