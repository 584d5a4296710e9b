"""Formulas become MathML at build time; whatever a record writes, the output is allowlisted MathML."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thg.formula import ATTRIBUTES, ELEMENTS, FormulaError, formula_problem, to_mathml
from thg.validate import validate


def _names(markup: str) -> tuple[set[str], set[str]]:
    root = ET.fromstring(markup)
    tags = {node.tag.rsplit("}", 1)[-1] for node in root.iter()}
    attrs = {name for node in root.iter() for name in node.attrib}
    return tags, attrs


def test_formula_becomes_block_mathml_with_its_source() -> None:
    markup = to_mathml(r"\mathrm{CSIM}=\frac{\langle a,b\rangle}{\lVert a\rVert_2\,\lVert b\rVert_2}")
    assert markup.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
    assert "<mfrac>" in markup
    assert '<annotation encoding="application/x-tex">\\mathrm{CSIM}' in markup


@pytest.mark.parametrize("tex", [r"\text{<script>alert(1)</script>}", r"\text{<img src=x onerror=alert(1)>}"])
def test_html_inside_text_is_refused(tex: str) -> None:
    with pytest.raises(FormulaError):
        to_mathml(tex)
    assert formula_problem(tex)


def test_links_are_dropped() -> None:
    markup = to_mathml(r"\href{javascript:alert(1)}{x}")
    assert "javascript" not in markup.split("<annotation")[0] and "href" not in _names(markup)[1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\{}^_<>&\"'=:/ abcxyz12frachtemsqrtl")), max_size=40))
def test_any_input_gives_allowlisted_mathml_or_an_error(tex: str) -> None:
    try:
        markup = to_mathml(tex)
    except FormulaError:
        return
    tags, attrs = _names(markup)
    assert tags <= ELEMENTS and {a.rsplit("}", 1)[-1] for a in attrs} <= ATTRIBUTES | {"xmlns"}


def test_validator_reports_a_formula_the_site_cannot_show(mini_tree: Path) -> None:
    metric = mini_tree / "metrics" / "score-up.yaml"
    metric.write_text(metric.read_text(encoding="utf-8").replace(
        "formula: 'S = \\frac{a}{b}'", "formula: '\\text{<b>bold</b>} = 1'"), encoding="utf-8")
    messages = [str(p) for p in validate(mini_tree).problems]
    assert any(m.startswith("metrics/score-up.yaml:6: formula: the formula produces a <b> element") for m in messages), messages
