"""LaTeX escaping for BibTeX values, and brace protection for capitals BibTeX styles would lowercase."""

from __future__ import annotations

import re

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_UNESCAPE_RE = re.compile(r"\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\[{}&%$#_]")
_REVERSE = {v: k for k, v in _SPECIAL.items()}
# A word needs protecting when a style's lowercasing would damage it: an inner capital (NeRF,
# Wav2Lip), two capitals or more (GAN, 3D), or a capital after a digit.
_WORD_RE = re.compile(r"[^\s]+")


def escape(text: str) -> str:
    """Escape every LaTeX special character; Unicode letters stay as they are (UTF-8 BibTeX)."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def verbatim(text: str) -> str:
    """A URL or DOI for a BibTeX field: kept as written, as biblatex and the url package read it verbatim
    (escaping `_` there would print a backslash). Only what could unbalance the entry's braces is
    percent-encoded, which leaves the address the same."""
    return text.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


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
