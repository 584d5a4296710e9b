"""Citation keys: `lastnameYEARfirstword`, unique across the corpus and stable over time.

A record's explicit `bibkey` always wins. Generated keys only depend on the record itself unless
two records generate the same key; then each gets a deterministic letter suffix ordered by
(arXiv id, record id). `thg new` writes the key into the new record, so once a record is in the
corpus its key never changes when others are added.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from thg.models import Paper

_STOPWORDS = frozenset(
    ["a", "an", "the", "of", "on", "in", "for", "to", "and", "with", "via", "from", "by", "at", "is", "are", "towards", "toward", "into", "as", "your", "you", "we", "our", "do", "does"]
)
_PARTICLES = frozenset(["van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ten", "ter"])


def ascii_fold(text: str) -> str:
    """'Ç' -> 'C', 'ß' -> 'ss', drop what has no ASCII form."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def family_name(full_name: str) -> str:
    """Best-effort family name of a 'Given Family' author string (particles kept)."""
    parts = full_name.replace(",", " ").split()
    if not parts:
        return ""
    family = [parts[-1]]
    for word in reversed(parts[:-1]):
        if word.lower() in _PARTICLES:
            family.insert(0, word)
        else:
            break
    return " ".join(family)


def make_key(authors: list[str], year: int, title: str) -> str:
    """`lastnameYEARfirstword` from the first author, the year and the first non-stopword of the title."""
    surname = re.sub(r"[^a-z]", "", ascii_fold(family_name(authors[0]) if authors else "").lower()) or "anon"
    return f"{surname}{year}{_first_word(title)}"


_WORD = re.compile(r"[a-z0-9]+")


def _first_word(title: str) -> str:
    """The first title word that is not a stop word (else the first word): folds only the words it reads,
    which is what keeps key generation cheap on a large corpus. Words never span whitespace, so this
    equals scanning the folded title as a whole."""
    first_any = ""
    for token in title.split():
        words: list[str] = _WORD.findall(ascii_fold(token).lower())
        for word in words:
            if word not in _STOPWORDS:
                return word
            first_any = first_any or word
    return first_any or "untitled"


def base_key(paper: Paper) -> str:
    return make_key(paper.authors, paper.year, paper.title)


def assign_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Record id -> citation key for every paper."""
    papers = list(papers)
    keys: dict[str, str] = {p.id: p.bibkey for p in papers if p.bibkey}
    taken = {key.lower() for key in keys.values()}  # BibTeX compares keys without case
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if not paper.bibkey:
            groups[base_key(paper)].append(paper)
    for base, members in sorted(groups.items()):
        if len(members) == 1 and base.lower() not in taken:
            keys[members[0].id] = base
            taken.add(base.lower())
            continue
        members.sort(key=lambda p: (p.arxiv or "", p.id))
        letters = (chr(c) for c in range(ord("a"), ord("z") + 1))
        for paper in members:
            key = next(f"{base}{letter}" for letter in letters if f"{base}{letter}".lower() not in taken)
            keys[paper.id] = key
            taken.add(key.lower())
    return keys
