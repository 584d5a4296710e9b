"""`thg new results`: LaTeX, Markdown, HTML and CSV tables imported to golden YAML; refusals located by row and column.

The fixtures in tests/fixtures/tables/ are written in the shapes real papers print (booktabs with
multicolumn dataset groups, multirow row groups, macros, colour, arrows, ±, footnote marks, \\cite,
README tables, PDF-parsed HTML, CSV). Each `<case>.expected.yaml` beside them is the exact block the
import prints; regenerate with THG_UPDATE_GOLDEN=1 after a deliberate change, and read the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from thg.cli import main
from thg.tableimport.cells import latex_text, plain_text, read_value
from thg.validate import validate

TABLES = Path(__file__).resolve().parent / "fixtures" / "tables"
SOURCE = "https://example.org/delta-head/tables"

CASES: dict[str, list[str]] = {
    "latex_booktabs": ["--from", "latex_booktabs.tex", "--label", "Table 1"],
    "latex_ablation": ["--from", "latex_two_tables.tex", "--table", "1", "--kind", "ablation", "--label", "Table 3"],
    "latex_row_groups": ["--from", "latex_two_tables.tex", "--table", "2", "--label", "Table 4"],
    "readme_markdown": ["--from", "readme.md", "--table", "2", "--dataset", "none", "--split",
                        "English test videos (not named)", "--notes", "The README names no test set."],
    "survey_csv": ["--from", "survey.csv", "--label", "Snapshot", "--kind", "compiled"],
    "parsed_html": ["--from", "paper_html.md"],
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    from conftest import make_tree

    root = make_tree(tmp_path / "tree")
    shutil.copytree(TABLES / "corpus", root, dirs_exist_ok=True)
    return root


def run(tree: Path, args: list[str]) -> int:
    fixed = [str(TABLES / a) if a.endswith((".tex", ".md", ".csv")) else a for a in args]
    return main(["--root", str(tree), "new", "results", "--paper", "delta-head", "--source", SOURCE, *fixed])


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_matches_golden(case: str, tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree, [*CASES[case], "--dry-run"]) == 0
    out = capsys.readouterr().out
    block = "".join(line + "\n" for line in out.splitlines() if not line.startswith("note: "))
    golden = TABLES / f"{case}.expected.yaml"
    if os.environ.get("THG_UPDATE_GOLDEN"):
        golden.write_text(block, encoding="utf-8")
    assert block == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_imported_block_validates_and_keeps_the_record(case: str, tree: Path) -> None:
    record = tree / "papers" / "delta-head.yaml"
    before = record.read_text(encoding="utf-8")
    assert run(tree, CASES[case]) == 0
    after = record.read_text(encoding="utf-8")
    assert after.startswith(before.split("summary:")[0].split("datasets:")[0])
    assert "# the import adds the datasets its tables need" in after  # comments survive: the record is edited as text
    result = validate(tree)
    assert result.ok, [str(p) for p in result.problems]
    paper = result.corpus.papers["delta-head"] if result.corpus else None
    assert paper is not None and paper.results
    data = yaml.safe_load(after)
    golden = yaml.safe_load((TABLES / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    assert data["results"] == golden
    for table in golden:
        if table.get("dataset"):
            assert table["dataset"] in paper.datasets
    # Importing the same table again is refused: the ids are taken.
    assert run(tree, CASES[case]) == 1
    assert record.read_text(encoding="utf-8") == after


def test_shapes_read_from_latex(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree, [*CASES["latex_booktabs"], "--dry-run"]) == 0
    tables = yaml.safe_load(capsys.readouterr().out)
    hdtf, vox = tables
    assert [hdtf["dataset"], vox["dataset"]] == ["hdtf", "voxceleb"]  # \multicolumn dataset groups
    assert hdtf["protocol"] == {"stated": True, "resolution": "512x512", "reenactment": "self"}  # from the caption
    rows = {row["method"]: row for row in hdtf["rows"]}
    assert rows["Ground Truth"]["reference"] is True and rows["Ground Truth"]["values"]["fid"] is None  # '--'
    assert rows["lip-expert"]["note"] == "† retrained on our data"  # footnote mark + caption text, \cite resolved
    assert rows["make-talk"]["values"]["csim"] is None  # '--' is missing, never zero
    assert rows["delta-head"]["values"]["lse-c"] == "7.98" and rows["delta-head"]["spread"] == {"lse-c": "0.12"}
    assert vox["rows"][-1]["values"]["csim"] == "0.832"  # \textcolor{red}{\best{...}} through the file's macros
    assert {row["values"]["fid"] for row in vox["rows"]} >= {"24.77", None}  # N/A


def test_refuses_unmapped_input_with_rows_and_columns(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tree / "papers" / "delta-head.yaml"
    before = record.read_bytes()
    assert run(tree, ["--from", "refused.tex", "--label", "Table 9"]) == 1
    err = capsys.readouterr().err.splitlines()
    path = TABLES / "refused.tex"
    assert err == [
        f"{path}:5: row 1, column 2: the header 'FID ↑' says higher is better, but FID is lower is better "
        "(check the mapping; if the source ranks it so, record that: --direction \"FID=higher\")",
        f"{path}:5: row 1, column 3: header 'Sync-Conf' matches no metric record (did you mean lse-c or lse-d? "
        "map it: --map \"Sync-Conf=<metric id>\", or leave the column out: --map \"Sync-Conf=-\")",
        f"{path}:8: row 3, column 1: method 'MysteryNet' matches no paper record (link it: --map "
        "\"MysteryNet=<paper id>\", or keep the name as printed: --plain \"MysteryNet\")",
        f"{path}:8: row 3, column 5: cell '12.3a' under 'PSNR' cannot be read as a number (a number as printed, "
        "optionally with ± and a spread; -, -- or N/A for missing)",
        f"{path}:9: row 4, column 1: method 'Twin' matches several papers: twin-one, twin-two "
        "(choose one: --map \"Twin=twin-one\")",
        "5 problem(s); nothing was written. Settle each with --map, --plain, --direction or --dataset, and run the "
        "command again.",
    ]
    assert record.read_bytes() == before  # nothing is written until everything is mapped


def test_refusals_settled_by_options(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The options the messages name are enough: the same file then imports and validates."""
    args = ["--from", "refused.tex", "--label", "Table 9", "--direction", "FID=higher", "--map", "Sync-Conf=lse-c",
            "--plain", "MysteryNet", "--map", "Twin=twin-two"]
    assert run(tree, [*args, "--dry-run"]) == 1  # the unreadable cell still blocks: it must be fixed at the source
    assert "cell '12.3a'" in capsys.readouterr().err
    fixed = tree / "refused.tex"
    fixed.write_text((TABLES / "refused.tex").read_text(encoding="utf-8").replace("12.3a", "12.3"), encoding="utf-8")
    args[1] = str(fixed)
    assert run(tree, args) == 0
    table = yaml.safe_load((tree / "papers" / "delta-head.yaml").read_text(encoding="utf-8"))["results"][0]
    assert table["directions"] == {"fid": "higher"}  # the source's ranking is recorded, not silently accepted
    assert [row["method"] for row in table["rows"]] == ["sad-baseline", "MysteryNet", "twin-two", "delta-head"]
    assert validate(tree).ok


def test_several_tables_need_a_choice(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree, ["--from", "latex_two_tables.tex"]) == 2
    err = capsys.readouterr().err
    assert "holds 2 tables; pick one with --table N: 1 (line 4: Ablation of the audio encoder on HDTF.)" in err
    assert run(tree, ["--from", "latex_two_tables.tex", "--table", "3"]) == 2
    assert run(tree, ["--from", "missing.tex"]) == 2
    assert main(["--root", str(tree), "new", "results", "--paper", "delta-head", "--from",
                 str(TABLES / "survey.csv")]) == 2  # --source is required
    assert "pass --source URL" in capsys.readouterr().err


def test_protocol_labels_map_headers(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --protocol, headers match the protocol's own column labels and variants."""
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "protocols" / "protocols", tree / "protocols",
                    dirs_exist_ok=True)
    source = tree / "proto.md"
    source.write_text("| Method | Score | Mouth error |\n|---|---|---|\n| AlphaTalker | 0.81 | 2.6 |\n"
                      "| Ours | 0.88 | 1.9 |\n", encoding="utf-8")
    assert main(["--root", str(tree), "new", "results", "--paper", "delta-head", "--source", SOURCE, "--from",
                 str(source), "--protocol", "lip-proto", "--label", "Table 5", "--dry-run"]) == 0
    table = yaml.safe_load(capsys.readouterr().out)[0]
    assert table["dataset"] == "set-one" and table["protocol"] == {"id": "lip-proto"}
    assert table["rows"][1] == {"method": "delta-head", "values": {"score-up": "0.88", "score-down[mouth]": "1.9"}}


@pytest.mark.parametrize(("text", "state", "printed", "spread"), [
    ("0.830", "number", "0.830", None), ("-", "missing", None, None), ("--", "missing", None, None),
    ("N/A", "missing", None, None), ("—", "missing", None, None), ("7.98 ± 0.12", "number", "7.98", "0.12"),
    ("−1.5", "number", "-1.5", None), ("85.3%", "number", "85.3", None), ("12.3a", "unreadable", None, None),
    ("1,234", "unreadable", None, None), (".5", "number", ".5", None),
])
def test_read_value(text: str, state: str, printed: str | None, spread: str | None) -> None:
    value = read_value(text)
    assert (value.state, value.printed, value.spread) == (state, printed, spread)


@pytest.mark.parametrize(("raw", "text", "arrow", "marks", "cites"), [
    (r"\textbf{0.83}", "0.83", None, [], []),
    (r"\underline{\textit{0.79}}", "0.79", None, [], []),
    (r"\cellcolor{gray!20}12.5", "12.5", None, [], []),
    (r"\textcolor{blue}{\textbf{9.6}}", "9.6", None, [], []),
    (r"FID$\downarrow$", "FID", "lower", [], []),
    (r"Sync-C $\uparrow$", "Sync-C", "higher", [], []),
    (r"CSIM$^{\uparrow}$", "CSIM", "higher", [], []),
    (r"0.83$_{\pm 0.02}$", "0.83 ± 0.02", None, [], []),
    (r"Wav2Lip$^*$~\cite{prajwal2020lip}", "Wav2Lip", None, ["*"], ["prajwal2020lip"]),
    (r"EAT\textsuperscript{\dag}\citep[p.~3]{gan2023eat,other}", "EAT", None, ["†"], ["gan2023eat", "other"]),
    (r"R\&D 100\%", "R&D 100%", None, [], []),
])
def test_latex_cells(raw: str, text: str, arrow: str | None, marks: list[str], cites: list[str]) -> None:
    found = latex_text(raw)
    assert (found.text, found.arrow, found.marks, found.cites) == (text, arrow, marks, cites)


def test_plain_cells() -> None:
    assert plain_text("**0.7865**").text == "0.7865"
    assert plain_text("Sync-D $\\downarrow$").arrow == "lower"
    found = plain_text("Wav2Lip*")
    assert (found.text, found.marks) == ("Wav2Lip", ["*"])
    assert plain_text("FID↓").arrow == "lower"
