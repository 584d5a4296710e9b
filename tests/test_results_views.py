"""Protocol records, protocol-scoped ranking, re-measurement spread, downloads and the corrections log.

The fixture in tests/fixtures/protocols/ adds a protocol record and two papers whose tables cite it, on
top of the mini corpus: Beta-Sync is re-measured by both (0.80 and 0.86), P-One claims a gain of 0.05
over it (smaller than that spread: flagged) and P-Two one of 0.09 (not flagged).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from thg.corrections import corrections_log
from thg.export.spreadsheet import FORMULA_START, safe_cell
from thg.index import build_index
from thg.results import claims, protocol_groups, protocol_ranking, spreads
from thg.validate import load_valid, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def protocol_tree(target: Path) -> Path:
    from conftest import make_tree

    root = make_tree(target)
    shutil.copytree(FIXTURES / "protocols", root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return protocol_tree(tmp_path_factory.mktemp("protocols") / "tree")


@pytest.fixture(scope="module")
def site(tree: Path) -> Path:
    from test_site import build

    return build(tree)


def group_of(tree: Path, record: str):  # type: ignore[no-untyped-def]
    index = build_index(load_valid(tree))
    group = next(g for g in protocol_groups(index, "set-one") if g.record and g.record.id == record)
    return index, group


def test_tables_citing_one_protocol_form_one_group(tree: Path) -> None:
    index, group = group_of(tree, "lip-proto")
    assert [(p.id, t.id) for p, t in group.tables] == [("p-one", "main"), ("p-two", "main")]
    assert group.label == "Fixture lip-sync protocol (protocol record lip-proto)" and group.slug == "lip-proto"
    ranking = protocol_ranking(index.corpus, group)
    assert ranking is not None
    assert ranking.best == {"score-up": "0.95", "score-down[mouth]": "1.2"}  # across both tables, references excluded
    others = [g for g in protocol_groups(index, "set-one") if g.record is None]
    assert others and all(protocol_ranking(index.corpus, g) is None for g in others)  # no ranking across protocols


def test_spread_flags_a_gain_smaller_than_the_baseline_spread(tree: Path) -> None:
    index, group = group_of(tree, "lip-proto")
    found = spreads(group)
    beta = next(s for s in found if s.method == "beta-sync" and s.metric == "score-up")
    assert [r.printed for r in beta.reports] == ["0.80", "0.86"] and beta.width == pytest.approx(0.06)
    by_paper = {(c.paper.id, c.metric): c for c in claims(index.corpus, group, found)}
    small = by_paper[("p-one", "score-up")]
    assert small.baseline == "beta-sync" and small.gain == pytest.approx(0.05) and small.flagged
    clear = by_paper[("p-two", "score-up")]
    assert clear.gain == pytest.approx(0.09) and not clear.flagged
    mouth = by_paper[("p-one", "score-down[mouth]")]  # lower is better: 2.4 - 2.1 = 0.3 > spread 0.2
    assert mouth.gain == pytest.approx(0.3) and not mouth.flagged


def test_results_page_says_where_ranking_stops(site: Path) -> None:
    page = (site / "results" / "set-one" / "index.html").read_text(encoding="utf-8")
    assert "Ranked within this protocol only." in page and "Ranked within each source table only." in page
    ranking = page.split("thg-ranking", 1)[1].split("</figure>", 1)[0]
    assert '<td class="thg-best">0.95' in ranking and '<td class="thg-best">0.99' not in ranking
    spread = page.split('id="spread"', 1)[1]
    flagged = re.search(r'<tr class="thg-flagged"><td><a href="[^"]+">P-One</a>, Table 1</td><td>ScoreUp</td>', spread)
    assert flagged and "Gain smaller than the spread" in spread
    assert re.search(r"<tr><td><a [^>]+>P-Two</a>, Table 2</td><td>ScoreUp</td>.*?gain exceeds the spread", spread)
    assert "ScoreDown [mouth]" in page  # a variant is its own column, named with its variant
    for kind in ("csv", "tex", "json"):
        assert f'href="../../downloads/results/set-one/lip-proto.{kind}" download' in page


def test_protocol_page_and_index(site: Path) -> None:
    page = (site / "protocols" / "lip-proto" / "index.html").read_text(encoding="utf-8")
    for text in ("clip-001", "0000000000000000000000000000000000000000000000000000000000000001", "uniform, 100 per item",
                 "score-down[mouth]", "<code>points</code> = 20", "first frame of the item", "PIL bicubic",
                 "Results tables that follow it (2)"):
        assert text in page, text
    index = (site / "protocols" / "index.html").read_text(encoding="utf-8")
    assert "Fixture lip-sync protocol" in index and "3 listed" in index


def test_group_downloads(site: Path) -> None:
    folder = site / "downloads" / "results" / "set-one"
    rows = list(csv.reader(io.StringIO((folder / "lip-proto.csv").read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["method", "method_paper", "bibkey", "reference_row", "note"]
    assert "ScoreDown [mouth]" in rows[0] and "ScoreUp ±" in rows[0]
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in cells  # defused, still readable
    for cell in cells:  # a spreadsheet evaluates these; only plain numbers may start so
        assert not cell.startswith(FORMULA_START) or re.fullmatch(r"[+-]?\d*\.?\d+", cell), cell
    data = json.loads((folder / "lip-proto.json").read_text(encoding="utf-8"))
    assert data["protocol"]["record"] == "lip-proto" and len(data["tables"]) == 2
    assert data["tables"][1]["rows"][0]["spread"] == {"score-up": "0.01"}
    tex = (folder / "lip-proto.tex").read_text(encoding="utf-8")
    assert "R\\&D\\_Net 100\\% \\textbraceleft{}v2\\textbraceright{} & 0.60 & 4.0" in tex  # escaped for LaTeX
    assert "P-Two~\\cite{" in tex and "0.95 $\\pm$ 0.01" in tex


def test_every_cite_key_in_latex_rows_is_in_the_bibtex_export(site: Path, tmp_path: Path) -> None:
    keys = sorted({key for tex in (site / "downloads" / "results").rglob("*.tex")
                   for group in re.findall(r"\\cite\{([^}]*)\}", tex.read_text(encoding="utf-8"))
                   for key in group.split(",")})
    assert len(keys) >= 4
    library = bibtexparser.parse_string((site / "downloads" / "all.bib").read_text(encoding="utf-8"))
    assert set(keys) <= {entry.key for entry in library.entries}
    # The consumer that matters: BibTeX itself resolves every key (and reports any it cannot find).
    bibtex = shutil.which("bibtex")
    assert bibtex, "bibtex not found; .ci/run installs Debian's texlive-binaries"
    shutil.copy(site / "downloads" / "all.bib", tmp_path / "all.bib")
    aux = "".join(f"\\citation{{{key}}}\n" for key in keys) + "\\bibstyle{plain}\n\\bibdata{all}\n"
    (tmp_path / "rows.aux").write_text(aux, encoding="utf-8")
    done = subprocess.run([bibtex, "rows"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "didn't find a database entry" not in done.stdout, done.stdout
    bbl = (tmp_path / "rows.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem{") == len(keys)


def test_full_results_dump(site: Path, tree: Path) -> None:
    dump = json.loads((site / "downloads" / "results" / "all.json").read_text(encoding="utf-8"))
    corpus = load_valid(tree)
    assert len(dump["tables"]) == sum(len(p.results) for p in corpus.papers.values())
    assert "lip-proto" in dump["protocols"] and dump["metrics"]["score-up"]["direction"] == "higher"
    assert "results/all.json" in (site / "downloads" / "index.html").read_text(encoding="utf-8")


def test_corrections_note_on_the_log_page(site: Path) -> None:
    page = (site / "results" / "corrections" / "index.html").read_text(encoding="utf-8")
    assert "score-up of p-one 0.84 -&gt; 0.85" in page and "corrections note" in page
    assert "The camera-ready version corrects a rounding slip." in page


def test_corrections_from_the_record_history(tmp_path: Path) -> None:
    root = protocol_tree(tmp_path / "repo")

    def git(*args: str) -> None:
        env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-03-01T12:00:00",
               "GIT_COMMITTER_DATE": "2026-03-01T12:00:00", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "Enter P-Two's table")
    record = root / "papers" / "p-two.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('score-up: "0.95"', 'score-up: "0.94"').replace('"0.86"', '"0.860"'),
                      encoding="utf-8")
    git("commit", "-q", "-am", "P-Two: score from the camera-ready version")
    entries = [e for e in corrections_log(load_valid(root)) if e.origin != "note"]
    assert [(e.paper, e.table, e.change, e.reason, e.date.isoformat()) for e in entries] == [
        ("p-two", "Table 2", "score-up of p-two: 0.95 -> 0.94", "P-Two: score from the camera-ready version",
         "2026-03-01")]  # '0.86' -> '0.860' is the same number, not a correction
    assert re.fullmatch(r"[0-9a-f]{10}", entries[0].origin)


def test_no_history_outside_a_checkout(tree: Path) -> None:
    assert [e.origin for e in corrections_log(load_valid(tree))] == ["note"]


BAD_PROTOCOL = """id: bad-proto
name: A broken protocol
description: Every mistake a contributor can make in a protocol record, once.
defined_by: nobody
test_set:
  dataset: no-such-set
  items:
    - {id: a}
    - {id: a}
frames: {method: uniform}
reference: {video: ground-truth, audio: ground-truth}
metrics:
  - {metric: score-up}
  - {metric: score-up}
  - {metric: no-metric}
sources: [https://example.org/bad]
"""


def test_protocol_record_mistakes_are_located(tmp_path: Path) -> None:
    root = protocol_tree(tmp_path / "tree")
    (root / "protocols" / "bad-proto.yaml").write_text(BAD_PROTOCOL, encoding="utf-8")
    messages = [str(p) for p in validate(root).problems]
    assert messages == ["protocols/bad-proto.yaml:10: frames: frame sampling 'uniform' needs count (frames per item)"]
    (root / "protocols" / "bad-proto.yaml").write_text(BAD_PROTOCOL.replace("{method: uniform}",
                                                                            "{method: uniform, count: 8}"))
    messages = [str(p) for p in validate(root).problems]
    assert messages == [
        "protocols/bad-proto.yaml:4: defined_by: no paper record has id 'nobody' (one of: alpha-talker, beta-sync, "
        "gamma-survey, p-one, p-two)",
        "protocols/bad-proto.yaml:6: test_set.dataset: no dataset record has id 'no-such-set' (one of: set-one, set-two)",
        "protocols/bad-proto.yaml:9: test_set.items[1]: test item 'a' is listed twice (list it once)",
        "protocols/bad-proto.yaml:14: metrics[1]: 'score-up' is defined twice (give each computation its own variant "
        "name)",
        "protocols/bad-proto.yaml:15: metrics[2].metric: no metric record has id 'no-metric' (one of: score-down, "
        "score-up)",
    ]


def test_tables_must_fit_the_protocol_they_cite(tmp_path: Path) -> None:
    root = protocol_tree(tmp_path / "tree")
    record = root / "papers" / "p-two.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("protocol: {id: lip-proto}", "protocol: {id: lip-protocol}"), encoding="utf-8")
    assert [str(p) for p in validate(root).problems] == [
        "papers/p-two.yaml:24: results[0].protocol.id: no protocol record has id 'lip-protocol' (did you mean "
        "lip-proto? (or add protocols/lip-protocol.yaml))"]
    record.write_text(text.replace('"score-down[mouth]": "1.2"', '"score-down[face]": "1.2"')
                      .replace("dataset: set-one", "dataset: set-two").replace("datasets: [set-one]",
                                                                             "datasets: [set-one, set-two]"),
                      encoding="utf-8")
    assert [str(p) for p in validate(root).problems] == [
        "papers/p-two.yaml:23: results[0].dataset: protocol lip-proto is on 'set-one', the table on 'set-two' "
        "(dataset: set-one, or drop the protocol id)",
        "papers/p-two.yaml:26: results[0].rows: the table reports 'score-down[face]', which protocol lip-proto does not "
        "define (one of: score-up, score-down[mouth]; or add the variant to protocols/lip-proto.yaml)"]


def test_safe_cell_rules() -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("+cmd") == "'+cmd"
    assert safe_cell("-0.5") == "-0.5" and safe_cell("+3") == "+3" and safe_cell(-2) == -2
    assert safe_cell("\tx") == "'\tx" and safe_cell("＝1") == "'＝1" and safe_cell(None) == ""
    assert safe_cell("Wav2Lip") == "Wav2Lip"


def test_contribute_page_has_the_worked_example(site: Path) -> None:
    import html

    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "contribute" / "index.html").read_text(encoding="utf-8")))
    assert "Worked example: DAWN, Table 1" in page and "thg new results --paper dawn --from dawn-tables.md" in page
    assert "nothing was written" in page and '--direction "BAS=target"' in page
