"""Title skeletons for duplicate checks: two titles that look the same to a reader get the same skeleton.

NFKC folds compatibility forms (fullwidth ＡＢＣ, ligatures, superscripts), casefolding folds case, and
Unicode's confusables table (UTS #39, as shipped in the pinned `confusable-homoglyphs` package) folds
letters that look alike across scripts (Cyrillic а, Greek ο, Latin a and o). Punctuation and spacing are
then dropped, so "Wav2Lip: A Lip Sync Expert" and "Wav2Lip - a lip-sync expert" match as well.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

_NOT_WORD = re.compile(r"[\W_]+")


@functools.cache
def confusable_table() -> dict[int, str]:
    """Code point -> one representative of its confusable class (the ASCII member where there is one).

    The package stores each line of confusables.txt (source -> prototype) in both directions; the
    classes are the connected groups of single characters. Multi-character prototypes (m -> rn) are left
    out: folding those would merge different words.
    """
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    neighbours = {char: [glyph["c"] for glyph in glyphs if len(glyph["c"]) == 1]
                  for char, glyphs in data.items() if len(char) == 1}
    table: dict[int, str] = {}
    seen: set[str] = set()
    for start in neighbours:
        if start in seen:
            continue
        group, frontier = {start}, [start]
        while frontier:
            for other in neighbours.get(frontier.pop(), ()):
                if other not in group:
                    group.add(other)
                    frontier.append(other)
        seen |= group
        representative = min(group, key=_rank)
        table.update((ord(char), representative) for char in group if char != representative)
    return table


def _rank(char: str) -> tuple[bool, int]:
    """ASCII first, then the lowest code point: the member a class is folded to."""
    return (not char.isascii(), ord(char))


def title_skeleton(title: str) -> str:
    """What a title looks like, reduced to letters and digits: equal skeletons mean the same title.

    Lookalikes are folded before case (Cyrillic Т is Latin T, while lowercase т looks like a small-capital
    T, not t), and again after it, for the letters casefolding produces. ASCII titles (most of them) take
    the same steps on bytes.
    """
    if title.isascii():
        fold = _ascii_fold()
        return title.encode("ascii").translate(fold).lower().translate(fold).translate(None, _NOT_ALNUM).decode()
    table = confusable_table()
    folded = unicodedata.normalize("NFKC", title).translate(table).casefold().translate(table)
    return _NOT_WORD.sub("", folded)


_NOT_ALNUM = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalnum())


@functools.cache
def _ascii_fold() -> bytes:
    """`confusable_table` on ASCII, as a bytes.translate table (a class holding an ASCII character is
    represented by an ASCII character, so ASCII stays ASCII)."""
    table = confusable_table()
    return bytes(ord(table.get(b, chr(b))) if b < 128 else b for b in range(256))
