"""LaTeX escaping for BibTeX values, and brace protection for capitals BibTeX styles would lowercase.

BibTeX counts every brace, even after a backslash: `\\{` opens a group for BibTeX though LaTeX prints a
brace. One title with a lone `{` written as `\\{` made real BibTeX drop every entry after it. So literal
braces are written as `\\textbraceleft{}` and `\\textbraceright{}`, and every value this module returns
is brace-balanced by construction: the only braces it emits are the `{}` pairs it writes itself.
`balanced` states the invariant, and the BibTeX writer checks it on every field it writes.
"""

from __future__ import annotations

import re

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_UNESCAPE_RE = re.compile(r"\\text(?:backslash|asciitilde|asciicircum|braceleft|braceright)\{\}|\\[&%$#_]")
_REVERSE = {v: k for k, v in _SPECIAL.items()}
# A word needs protecting when a style's lowercasing would damage it: an inner capital (NeRF,
# Wav2Lip), two capitals or more (GAN, 3D), or a capital after a digit.
_WORD_RE = re.compile(r"[^\s]+")


def escape(text: str) -> str:
    """Escape every LaTeX special character; Unicode letters stay as they are (UTF-8 BibTeX)."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


_NOT_BRACE = re.compile(r"[^{}]+")


def balanced(value: str) -> bool:
    """Whether BibTeX sees balanced braces in `value` (it counts every brace, escaped or not)."""
    depth = 0
    for char in _NOT_BRACE.sub("", value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def verbatim(text: str) -> str:
    """A URL or DOI for a BibTeX field: kept as written, as biblatex and the url package read it verbatim
    (escaping `_` there would print a backslash). Only what could unbalance the entry's braces (and the
    white space BibTeX would collapse) is percent-encoded, which leaves the address the same."""
    return text.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def unescape(text: str) -> str:
    """Inverse of `escape` after removing protective braces: for round-trip checks."""
    out = []
    i = 0
    while i < len(text):
        match = _UNESCAPE_RE.match(text, i)
        if match:
            out.append(_REVERSE[match.group(0)])
            i = match.end()
        elif text[i] in "{}":
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def needs_protection(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    inner_capital = any(c.isupper() for c in word[1:] if c.isalpha())
    return inner_capital or (any(c.isdigit() for c in word) and any(c.isupper() for c in letters))


def protect_title(title: str) -> str:
    """Escape a title and wrap words such as NeRF, GAN or Wav2Lip in braces."""
    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        escaped = escape(word)
        return "{" + escaped + "}" if needs_protection(word) else escaped

    return _WORD_RE.sub(one, title)
