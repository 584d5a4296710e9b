"""One broken record per validation rule; each message is checked word for word, with file, line and field."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from thg.cli import main
from thg.validate import validate

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.glob("*.yaml"))


def expected_messages(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: ...'"
    text = first[len("# expect: "):].replace("{next_year}", str(dt.date.today().year + 1))
    return [part.strip() for part in text.split(" | ")]


@pytest.mark.parametrize("case", CASES)
def test_each_rule_reports_file_line_and_field(case: str, mini_tree: Path) -> None:
    shutil.copy(BAD / case, mini_tree / "papers" / case)
    result = validate(mini_tree)
    messages = [str(p) for p in result.problems]
    assert messages == expected_messages(BAD / case)


def test_all_broken_records_together_are_all_reported(mini_tree: Path) -> None:
    """A bad record never stops the others from being checked."""
    expected: list[str] = []
    for case in CASES:
        shutil.copy(BAD / case, mini_tree / "papers" / case)
        expected += expected_messages(BAD / case)
    messages = [str(p) for p in validate(mini_tree).problems]
    for message in expected:
        if "duplicate" in message or "already" in message:
            continue  # cross-record messages may name another broken record when all are present
        assert message in messages
    assert len(messages) >= len(CASES)


def test_oversized_file_is_refused_without_parsing(mini_tree: Path) -> None:
    big = mini_tree / "papers" / "huge.yaml"
    big.write_text("id: huge\nsummary: >-\n" + ("  padding line\n" * 40_000), encoding="utf-8")
    messages = [str(p) for p in validate(mini_tree).problems]
    assert messages == [f"papers/huge.yaml:1: (file): file is {big.stat().st_size} bytes "
                        "(a record file must be under 262144 bytes)"]


def test_billion_laughs_is_refused(mini_tree: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    (mini_tree / "papers" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    messages = [str(p) for p in validate(mini_tree).problems]
    assert messages == ["papers/bomb.yaml:1: (file): YAML anchors and aliases are not allowed in records "
                        "(write the value out in full)"]


def test_not_utf8(mini_tree: Path) -> None:
    (mini_tree / "papers" / "latin1.yaml").write_bytes("id: latin1\ntitle: \"Caf\xe9\"\n".encode("latin-1"))
    messages = [str(p) for p in validate(mini_tree).problems]
    assert messages == ["papers/latin1.yaml:2: (file): file is not valid UTF-8 (save it as UTF-8)"]


def test_exit_codes(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini_tree), "validate"]) == 0
    assert "ok: 3 papers" in capsys.readouterr().out
    assert main(["--root", str(mini_tree), "frobnicate"]) == 2
    assert main(["--root", str(mini_tree), "export", "--filter", "colour=red"]) == 2
    assert main(["--root", str(mini_tree), "export", "--year", "last year"]) == 2
    shutil.copy(BAD / "year-range.yaml", mini_tree / "papers" / "year-range.yaml")
    assert main(["--root", str(mini_tree), "validate"]) == 1
    err = capsys.readouterr().err
    assert "papers/year-range.yaml:5: year:" in err and "1 problem(s) found." in err
