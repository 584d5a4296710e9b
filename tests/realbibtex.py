"""Read a .bib file with real BibTeX (Debian's texlive-binaries) and get back what BibTeX itself read.

bibtexparser is lenient where BibTeX is not: it read all 695 entries of a file in which BibTeX lost every
entry after one unbalanced brace. So the escaping contract is checked by the consumer that matters: BibTeX
runs `thg-roundtrip.bst`, which writes each entry's key, type, fields and author count to the .bbl.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STYLE = Path(__file__).resolve().parent / "fixtures" / "bibtex" / "thg-roundtrip.bst"
_ENTRY = re.compile(r"\\thgentry\{(.*?)\}\{(.*?)\}")
_FIELD = re.compile(r"\\thgfield\{(\w+)\}(.*?)\\thgend", re.DOTALL)
_NAMES = re.compile(r"\\thgnames\{(\d+)\}")


@dataclass
class ReadBack:
    """What BibTeX read: entries by key (in file order), and its log."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    log: str = ""
    exit_code: int = 0

    @property
    def complaints(self) -> list[str]:
        """Every error and warning in BibTeX's log."""
        return [line for line in self.log.splitlines()
                if line.startswith("Warning--") or "error message" in line or line.startswith("I was expecting")
                or "---line" in line]


def bibtex_binary() -> str:
    found = shutil.which("bibtex")
    if found is None:
        raise AssertionError("real BibTeX is needed for the round-trip tests: apt-get install texlive-binaries")
    return found


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_back(bib: str) -> ReadBack:
    """Run BibTeX over `bib` (every entry cited) and parse what the round-trip style wrote."""
    with tempfile.TemporaryDirectory(prefix="thg-bibtex-") as folder:
        work = Path(folder)
        (work / "refs.bib").write_text(bib, encoding="utf-8")
        shutil.copy(STYLE, work / STYLE.name)
        (work / "refs.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{thg-roundtrip}\n", encoding="utf-8")
        run = subprocess.run([bibtex_binary(), "-terse", "refs"], cwd=work, capture_output=True, timeout=120,
                             check=False)
        bbl = (work / "refs.bbl").read_text(encoding="utf-8", errors="replace") if (work / "refs.bbl").exists() else ""
        log = (work / "refs.blg").read_text(encoding="utf-8", errors="replace") if (work / "refs.blg").exists() else ""
    result = ReadBack(log=log, exit_code=run.returncode)
    chunks = re.split(r"(?=\\thgentry\{)", bbl)
    for chunk in chunks:
        entry = _ENTRY.match(chunk)
        if entry is None:
            continue
        key = entry.group(1)
        result.types[key] = entry.group(2)
        result.entries[key] = {name: one_line(value) for name, value in _FIELD.findall(chunk)}
        names = _NAMES.search(chunk)
        if names:
            result.names[key] = int(names.group(1))
    return result
