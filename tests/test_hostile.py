"""Issue 15: the hostile inputs that got through, one test per class, each with the exact output expected.

`hostile_inputs.py` holds the record-level classes (files plus the exact `thg validate` problems); the
command-level classes (`thg new`, `thg build`, exit codes, CSV downloads) follow below. Time bounds are
checked by `bench/hostile_speed.py`, never here.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hostile_inputs import Hostile, cases
from hypothesis import given, settings
from hypothesis import strategies as st

import thg.site.generate
from thg import compare
from thg.cli import main
from thg.export.results_csv import results_csv
from thg.index import build_index
from thg.validate import load_valid, validate

CASES = {case.name: case for case in cases()}


def plant(tree: Path, case: Hostile) -> Path:
    for rel, content in case.files.items():
        (tree / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for rel, target in case.symlinks.items():
        os.symlink(target, tree / rel)
    return tree


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_reports_exactly(name: str, mini_tree: Path) -> None:
    case = CASES[name]
    assert [str(p) for p in validate(plant(mini_tree, case)).problems] == case.expected


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_exit_code(name: str, mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid data exits 1 (never a crash, never 0); valid hostile text exits 0. Nothing raw reaches the terminal."""
    case = CASES[name]
    assert main(["--root", str(plant(mini_tree, case)), "validate"]) == (1 if case.expected else 0)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x00" not in err and "\u202e" not in err


def test_non_finite_values_no_longer_reach_the_best_marks(mini_tree: Path) -> None:
    """.inf was marked best and .nan stopped a column's best being marked: now both are refused at validation."""
    plant(mini_tree, CASES["non-finite-values"])
    problems = validate(mini_tree).problems
    assert {p.field for p in problems} == {"results[0].rows[0].values.score-up", "results[0].rows[1].values.score-up",
                                           "results[0].rows[2].values", "results[0].rows[3].values"}


def test_generated_key_takes_the_suffix(mini_tree: Path) -> None:
    """The old record keeps its explicit key; the new record's generated key gets the letter."""
    plant(mini_tree, CASES["generated-key-meets-explicit"])
    index = build_index(load_valid(mini_tree))
    assert index.bibkeys["old-explicit"] == "example2023talking"
    assert index.bibkeys["new-generated"] == "example2023talkinga"


def test_a_newer_explicit_key_may_not_take_an_older_generated_key(mini_tree: Path) -> None:
    """The other way round it is a real problem (an older record's published key would change): reported on the newer."""
    (mini_tree / "papers" / "newcomer.yaml").write_text(
        CASES["bibkey-case"].files["papers/case-key.yaml"].replace("case-key", "newcomer")  # type: ignore[union-attr]
        .replace("Example2023AlphaTalker", "example2023alphatalker") + "added: 2026-12-01\n", encoding="utf-8")
    assert [str(p) for p in validate(mini_tree).problems] == [
        "papers/newcomer.yaml:12: bibkey: bibkey 'example2023alphatalker' is already used by papers/alpha-talker.yaml "
        "(use a distinct key such as example2023alphatalkerb)"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _formula(cell: str) -> bool:
    """What a spreadsheet would run: a cell starting with = + - @ (or tab, CR) that is not a plain number."""
    return cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")) and \
        not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", cell.strip())


def test_csv_downloads_never_hold_a_formula(mini_tree: Path, tmp_path: Path) -> None:
    """Method, table, split, setting and short_name cells starting with = + - @ are written as text."""
    plant(mini_tree, CASES["spreadsheet-formulas"])
    out = tmp_path / "results.csv"
    assert main(["--root", str(mini_tree), "export", "--results", "-o", str(out)]) == 0
    cells = _cells(out.read_text(encoding="utf-8"))
    assert "'=1+1" in cells and "'@A1" in cells and "'+Table 1" in cells and "'-test" in cells
    assert "'=cmd|' /C calc'!A0" in cells and "0.25" in cells
    assert not [cell for cell in cells if _formula(cell)]
    index = build_index(load_valid(mini_tree))
    task = compare.task_table(index, "lip-sync")
    site_cells = _cells(compare.to_csv(task)) + _cells(results_csv(index))
    assert "'@SUM(1+1)" in site_cells and not [cell for cell in site_cells if _formula(cell)]
    generated = thg.site.generate.generate_site(index)
    for name, content in generated.items():
        if name.endswith(".csv"):
            assert not [cell for cell in _cells(str(content)) if _formula(cell)], name


def test_negative_numbers_stay_numbers() -> None:
    from thg.export.spreadsheet import safe_cell

    assert safe_cell("-0.5") == "-0.5" and safe_cell(-0.5) == -0.5 and safe_cell("+3") == "+3"
    assert safe_cell("-x") == "'-x" and safe_cell("＝1") == "'＝1"


# --- Commands: thg new ---------------------------------------------------------------------------------


def _bib(tmp_path: Path, text: str | bytes, name: str = "entry.bib") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


ENTRY = "@inproceedings{k,\n  title = {A Genuinely New Talking Head Method},\n  author = {Ann Smith},\n  year = {2024},\n}\n"


@pytest.mark.parametrize("bad_id", ["../../../escaped", "Bad Id", "a/b", "..", "index", "x--y", "x" * 81])
def test_new_refuses_ids_that_are_not_ids(bad_id: str, mini_tree: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """--id names a file: ../../../X wrote outside the repository and 'Bad Id' was accepted."""
    before = sorted(p.name for p in (mini_tree / "papers").iterdir())
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, ENTRY)), "--id", bad_id]) == 2
    assert main(["--root", str(mini_tree), "new", "dataset", "--id", bad_id]) == 2
    err = capsys.readouterr().err
    assert f"--id {bad_id!r} is " in err
    assert sorted(p.name for p in (mini_tree / "papers").iterdir()) == before
    assert not list(mini_tree.parent.parent.glob("escaped*")) and not (mini_tree.parent / "escaped.yaml").exists()


def test_new_id_message(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini_tree), "new", "dataset", "--id", "Bad Id"]) == 2
    assert capsys.readouterr().err == ("thg: --id 'Bad Id' is not a record id: use lowercase letters, digits and "
                                       "single hyphens, e.g. --id bad-id\n")


def test_new_never_writes_through_a_symbolic_link(mini_tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched\n", encoding="utf-8")
    os.symlink(outside, mini_tree / "papers" / "linked.yaml")
    for force in ([], ["--force"]):
        assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, ENTRY)),
                     "--id", "linked", *force]) == 2
    assert outside.read_text(encoding="utf-8") == "untouched\n"


def test_new_refuses_a_linked_folder(tree_factory: Callable[[str], Path], tmp_path: Path) -> None:
    tree = tree_factory("mini")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(tree / "datasets"), elsewhere)
    os.symlink(elsewhere, tree / "datasets")
    assert main(["--root", str(tree), "new", "dataset", "--id", "fresh"]) == 2
    assert not (elsewhere / "fresh.yaml").exists()


def test_new_url_with_a_line_break_injects_nothing(mini_tree: Path, tmp_path: Path) -> None:
    """A newline in the .bib url wrote 'summary: injected' as a YAML key of the new record."""
    entry = ENTRY.replace("year = {2024},", "year = {2024},\n  url = {https://example.org/x\nsummary: injected},")
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, entry)), "--id", "newline"]) == 0
    data = yaml.safe_load((mini_tree / "papers" / "newline.yaml").read_text(encoding="utf-8"))
    assert "injected" not in str(data) and data["links"] is None


def test_new_quotes_every_value(mini_tree: Path, tmp_path: Path) -> None:
    url = "https://example.org/x?y=1&z=#c:d,{e}[f]"
    entry = ENTRY.replace("year = {2024},", f"year = {{2024}},\n  url = {{{url}}},")
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, entry)), "--id", "quoted"]) == 0
    data = yaml.safe_load((mini_tree / "papers" / "quoted.yaml").read_text(encoding="utf-8"))
    assert data["links"] == {"project": url}


def test_new_from_a_bib_that_is_not_utf8(mini_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Latin-1 .bib gave a traceback; now exit 1 with the line."""
    path = _bib(tmp_path, ENTRY.replace("Ann Smith", "Ann Sm\u00eft").encode("latin-1"))
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(path)]) == 1
    assert capsys.readouterr().err == f"thg: {path}:3: the file is not UTF-8; save it as UTF-8\n"


def test_new_decodes_latex(mini_tree: Path, tmp_path: Path) -> None:
    """M{\\"u}ller became M\\"uller in the record, then M\\textbackslash{}"uller in the export."""
    entry = textwrap.dedent(r"""
        @article{k,
          title = {{\"U}ber-Real {NeRF}-based Heads: 50\% Faster \& {\textbraceleft}Braced{\textbraceright}},
          author = {M{\"u}ller, Hans and {\'E}mile Zola and van der Berg, Jr, Piet and {Smith and Wesson Lab}},
          journal = {Journal of Caf{\'e} Studies},
          year = {2023},
        }
    """)
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, entry)), "--id", "latex"]) == 0
    text = (mini_tree / "papers" / "latex.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == "Über-Real NeRF-based Heads: 50% Faster & {Braced}"
    assert data["authors"] == ["Hans Müller", "Émile Zola", "Piet van der Berg Jr", "Smith and Wesson Lab"]
    assert "# The source says: Journal of Café Studies" in text


@pytest.mark.parametrize("field", [
    "eprint = {arXiv:2301.00001v2}", "eprint = {2301.00001v1}", "eprint = {https://arxiv.org/abs/2301.00001v3}",
    "doi = {https://doi.org/10.1234/GAMMA.2024.1}", "doi = {doi:10.1234/gamma.2024.1}",
    "doi = {http://dx.doi.org/10.1234/gamma.2024.1}",
])
def test_new_sees_duplicates_however_the_id_is_written(field: str, mini_tree: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    entry = ENTRY.replace("year = {2024},", f"year = {{2024}},\n  {field},")
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, entry))]) == 2
    assert "not creating a duplicate: papers/" in capsys.readouterr().err


@pytest.mark.parametrize("title", [
    "\u0410lpha\u0422alker: A Test Fixture for NeRF-based Talking Heads",  # Cyrillic А and Т
    "\uff21\uff4c\uff50\uff48\uff41\uff34\uff41\uff4c\uff4b\uff45\uff52: A Test Fixture for NeRF-based Talking Heads",
    "AlphaTalker: A Test Fixture for NeRF-based Talking Heads".replace("e", "\u0435"),  # Cyrillic е
    "AlphaTalker: A Test Fixture for NeRF-based Talking Heads".replace("o", "\u03bf"),  # Greek ο
])
def test_new_sees_lookalike_titles(title: str, mini_tree: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    entry = ENTRY.replace("A Genuinely New Talking Head Method", title)
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(_bib(tmp_path, entry))]) == 2
    assert "already has the title 'AlphaTalker: A Test Fixture for NeRF-based Talking Heads'" in capsys.readouterr().err


def test_validate_sees_lookalike_titles(mini_tree: Path) -> None:
    (mini_tree / "papers" / "lookalike.yaml").write_text(
        CASES["reserved-id"].files["papers/index.yaml"].replace("index", "lookalike")  # type: ignore[union-attr]
        .replace('"A Distinct Title For lookalike"', '"\u0410lpha\u0422alker: A Test Fixture for NeRF-based Talking Heads"'),
        encoding="utf-8")
    messages = [str(p) for p in validate(mini_tree).problems]
    assert "papers/lookalike.yaml:2: title: the same title is already in papers/alpha-talker.yaml " \
           "(merge this record into alpha-talker, or correct the title)" in messages


def test_new_refuses_control_characters_from_a_bib(mini_tree: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = _bib(tmp_path, ENTRY.replace("A Genuinely", "A \x1b[31mGenuinely"))
    assert main(["--root", str(mini_tree), "new", "paper", "--bibtex", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the title holds the control character U+001B (escape)" in err and "\x1b" not in err


# --- Commands: exit codes and the build ----------------------------------------------------------------


def test_a_crash_exits_3_and_asks_for_a_report(mini_tree: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A crash exited 1, like invalid data: CI could not tell a bug from a bad record."""
    from thg.cli import REPORT_LINE

    def broken(root: Path) -> None:
        raise RuntimeError("a bug in thg")

    monkeypatch.setattr("thg.cli.validate", broken)
    assert main(["--root", str(mini_tree), "validate"]) == 3
    err = capsys.readouterr().err
    assert "RuntimeError: a bug in thg" in err and err.endswith(REPORT_LINE + "\n")


def test_usage_errors_exit_2(mini_tree: Path) -> None:
    assert main(["--root", str(mini_tree), "results", "--dataset", "no-such-set"]) == 2
    assert main(["--root", str(mini_tree), "new", "paper"]) == 2


def test_a_failed_build_leaves_the_previous_site(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash after MkDocs had cleaned the site folder left it empty; now the build goes to a temporary folder."""
    site = mini_tree / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous build\n", encoding="utf-8")

    def crash(*args: object, **kwargs: object) -> None:
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(thg.site.generate, "_comparisons", crash)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    assert main(["--root", str(mini_tree), "build", "--site-dir", str(site)]) == 3
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous build\n"
    assert sorted(p.name for p in mini_tree.iterdir() if p.name.startswith(".site")) == []


def test_build_refuses_the_hex_integer_before_building(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate passed, then build crashed on printing the integer: now neither gets that far."""
    plant(mini_tree, CASES["hex-integer"])
    assert main(["--root", str(mini_tree), "build", "--site-dir", str(mini_tree / "site")]) == 1
    assert "results[0].protocol.test_clips: the integer 0xffffffffff...ffffff is too large" in capsys.readouterr().err
    assert not (mini_tree / "site").exists()


def test_a_file_with_thousands_of_problems_shows_200_and_counts_the_rest(mini_tree: Path) -> None:
    """Each shown problem is located by line; past 200 per file the rest are counted in one closing line."""
    rows = "".join("      - {method: Row, values: {" + ", ".join(f"u{i}x{j}: 1" for j in range(60)) + "}}\n"
                   for i in range(5))
    (mini_tree / "papers" / "noisy.yaml").write_text(
        CASES["reserved-id"].files["papers/index.yaml"].replace("index", "noisy")  # type: ignore[union-attr]
        .replace("datasets: []", "datasets: [set-one]")
        + "results:\n  - id: main\n    table: T\n    source: https://example.org/t\n    dataset: set-one\n"
          "    protocol: {setting: s}\n    rows:\n" + rows, encoding="utf-8")
    messages = [str(p) for p in validate(mini_tree).problems]
    assert len(messages) == 201
    assert messages[-1] == ("papers/noisy.yaml:24: (file): 100 more problems in this file are not shown "
                            "(fix the ones above, then run thg validate again)")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_titles_fold_like_any_other(title: str) -> None:
    """The bytes fast path for ASCII titles gives the same skeleton as the general Unicode path."""
    import unicodedata

    from thg.titles import confusable_table, title_skeleton

    table = confusable_table()
    general = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", title).translate(table).casefold().translate(table))
    assert title_skeleton(title) == general
