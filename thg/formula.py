"""LaTeX formulas as MathML, converted at build time.

Browsers render MathML natively, so a formula needs no script and no CDN and reads the same offline.
latex2mathml copies `\\text{...}` verbatim and turns `\\href` into an attribute, so its output is
never trusted: it is parsed as XML and rebuilt from an allowlist of MathML elements and attributes.
A formula that does not survive that is an error the validator reports, and the page shows the
LaTeX source instead.
"""

from __future__ import annotations

from functools import lru_cache
from xml.etree import ElementTree as ET

from latex2mathml.converter import convert

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "mfenced", "menclose", "munder",
    "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
    "mlabeledtr", "semantics", "annotation",
})

ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "columnalign",
    "columnlines", "columnspacing", "rowspacing", "rowlines", "rowalign", "accent", "accentunder",
    "movablelimits", "minsize", "maxsize", "width", "height", "depth", "linethickness", "scriptlevel",
    "displaystyle", "form", "largeop", "symmetric", "notation", "frame", "framespacing", "open",
    "close", "separators", "align", "columnspan", "rowspan", "mathsize", "encoding",
})


class FormulaError(ValueError):
    """A formula that cannot be shown as MathML; the message says why, for the contributor."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rebuild(node: ET.Element) -> ET.Element:
    name = _local(node.tag)
    if name not in ELEMENTS:
        raise FormulaError(f"produces a <{name}> element, which is not MathML")
    clean = ET.Element(name, {k: v for k, v in node.attrib.items() if _local(k) in ATTRIBUTES})
    clean.text = node.text
    for child in node:
        rebuilt = _rebuild(child)
        rebuilt.tail = child.tail
        clean.append(rebuilt)
    return clean


@lru_cache(maxsize=1024)
def to_mathml(tex: str) -> str:
    """Block MathML for a LaTeX formula, with the source kept as an annotation."""
    try:
        raw = convert(tex, display="block")
    except Exception as error:  # latex2mathml raises many unrelated types for bad input
        raise FormulaError(f"cannot be read as LaTeX math ({type(error).__name__}: {error})") from None
    try:
        parsed = ET.fromstring(raw)
    except ET.ParseError:
        raise FormulaError("does not convert to well-formed MathML; avoid <, > and & inside \\text{}") from None
    math = _rebuild(parsed)
    body = ET.Element("mrow")
    body.extend(list(math))
    semantics = ET.Element("semantics")
    semantics.append(body)
    annotation = ET.SubElement(semantics, "annotation", {"encoding": "application/x-tex"})
    annotation.text = tex
    root = ET.Element("math", {"xmlns": MATHML_NS, "display": "block"})
    root.append(semantics)
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)


def formula_problem(tex: str) -> str | None:
    """Why a formula cannot be shown, or None when it can."""
    try:
        to_mathml(tex)
    except FormulaError as error:
        return str(error)
    return None
