"""`thg new`: start a record from an arXiv id (online) or a BibTeX entry (offline), or from a template.

The written file holds every fact the source provides and commented placeholders for what a person
must decide (tags, summary, datasets). It deliberately fails validation until those are filled in.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser

from thg.bibkeys import ascii_fold, make_key
from thg.corpus import load_corpus
from thg.errors import CONTROL, InputError, UsageError, character_name
from thg.models import ARXIV_PATTERN, DOI_PATTERN, FACETS, FOLDERS, ID_PATTERN, RESERVED_IDS, URL_PATTERN
from thg.titles import title_skeleton

ARXIV_API = "https://export.arxiv.org/api/query?id_list={id}"
_ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_STOP = {"a", "an", "the", "is", "are", "of", "for", "and", "with", "via", "in", "on", "to", "towards", "from", "by"}

Fetcher = Callable[[str, float], bytes]


@dataclass
class PaperFacts:
    title: str
    authors: list[str]
    year: int
    arxiv: str | None = None
    doi: str | None = None
    venue_hint: str | None = None
    links: dict[str, str] = field(default_factory=dict)


def http_fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "thg-new/0.1 (knowledge base scaffolding)"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read()
        return data


def normalise_arxiv(text: str) -> str | None:
    """The arXiv id as records write it: no arXiv: prefix, abs/pdf address or version; None when not an id."""
    found = re.sub(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", "", text.strip(), flags=re.I)
    found = re.sub(r"(?:v\d+)?(?:\.pdf)?/?$", "", found)
    return found if re.match(ARXIV_PATTERN, found) else None


def normalise_doi(text: str) -> str | None:
    """The DOI as records write it (10.x/...), from a doi: prefix or a doi.org address; None when not a DOI."""
    found = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", text.strip(), flags=re.I)
    return found if re.match(DOI_PATTERN, found) else None


def facts_from_arxiv(arxiv_id: str, fetch: Fetcher = http_fetch, timeout: float = 15.0) -> PaperFacts:
    normalised = normalise_arxiv(arxiv_id)
    if normalised is None:
        raise UsageError(f"{arxiv_id!r} is not an arXiv id (expected e.g. 2008.10010)")
    arxiv_id = normalised
    try:
        payload = fetch(ARXIV_API.format(id=arxiv_id), timeout)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UsageError(
            f"could not reach the arXiv API ({exc}); check the connection, or start offline from the paper's "
            "BibTeX with: thg new paper --bibtex entry.bib"
        ) from exc
    return parse_arxiv_atom(payload, arxiv_id)


def parse_arxiv_atom(payload: bytes, arxiv_id: str) -> PaperFacts:
    try:
        root = ET.fromstring(payload)
    except ET.ParseError as exc:
        raise UsageError(f"the arXiv API answered with something that is not XML ({exc})") from exc
    entry = root.find("a:entry", _ATOM)
    title_node = entry.find("a:title", _ATOM) if entry is not None else None
    if entry is None or title_node is None or not (title_node.text or "").strip() or \
            (entry.findtext("a:id", "", _ATOM) or "").endswith("api/errors"):
        raise UsageError(f"arXiv has no paper with id {arxiv_id}")
    source = f"the arXiv API's answer for {arxiv_id}"
    title = _printable(source, "title", title_node.text or "")
    authors = [_printable(source, "author", a.findtext("a:name", "", _ATOM) or "") for a in entry.findall("a:author", _ATOM)]
    published = entry.findtext("a:published", "", _ATOM) or ""
    year = int(published[:4]) if published[:4].isdigit() else 0
    doi = entry.findtext("arxiv:doi", None, _ATOM)
    comment = entry.findtext("arxiv:comment", None, _ATOM)
    return PaperFacts(title=title, authors=[a for a in authors if a], year=year, arxiv=arxiv_id,
                      doi=normalise_doi(doi) if doi else None,
                      venue_hint=_printable(source, "comment", comment) if comment else None)


def facts_from_bibtex(path: Path) -> PaperFacts:
    """The facts of the one entry in a .bib file, LaTeX decoded (M{\\"u}ller is Müller)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: the file is not UTF-8; save it as UTF-8") from exc
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise InputError(f"{path}:{(block.start_line or 0) + 1}: this BibTeX entry does not parse")
    if len(library.entries) != 1:
        raise InputError(f"{path}: expected exactly one BibTeX entry, found {len(library.entries)}")
    entry = library.entries[0]
    raw = {f.key.lower(): str(f.value) for f in entry.fields}
    if "title" not in raw or "author" not in raw:
        raise InputError(f"{path}: the entry needs at least title and author fields")
    title = _decoded(path, "title", raw["title"])
    authors = [_bibtex_person(_decoded(path, "author", name)) for name in split_authors(raw["author"])]
    year_text = raw.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else 0
    arxiv = normalise_arxiv(raw["eprint"]) if "eprint" in raw else None
    if arxiv is None:
        found = re.search(r"arXiv:\s*(\d{4}\.\d{4,5})", " ".join(raw.get(k, "") for k in ("journal", "howpublished", "note")))
        arxiv = found.group(1) if found else None
    venue = raw.get("booktitle") or raw.get("journal")
    url = " ".join(raw.get("url", "").split())
    links = {"project": url} if re.match(URL_PATTERN, url) else {}
    return PaperFacts(title=title, authors=[a for a in authors if a], year=year, arxiv=arxiv,
                      doi=normalise_doi(raw["doi"]) if raw.get("doi") else None,
                      venue_hint=_decoded(path, "venue", venue) if venue else None, links=links)


@functools.cache
def _latex_decoder() -> Any:
    """pylatexenc's LaTeX-to-text converter, taught the escapes thg's own BibTeX export writes."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("thg-export", prepend=True, macros=[
        MacroTextSpec("textbraceleft", simplify_repl="{"), MacroTextSpec("textbraceright", simplify_repl="}"),
        MacroTextSpec("textasciicircum", simplify_repl="^"), MacroTextSpec("textasciitilde", simplify_repl="~")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


def _decoded(path: Path, name: str, value: str) -> str:
    """A BibTeX value as plain text on one line; a control character is refused, never copied."""
    return _printable(str(path), name, str(_latex_decoder().latex_to_text(value)))


def _printable(source: str, name: str, value: str) -> str:
    """`value` on one line; a control character (escape, NUL, bidi override) is refused, never copied."""
    text = " ".join(value.split())
    control = CONTROL.search(text)
    if control is not None:
        raise InputError(f"{source}: the {name} holds the control character {character_name(control.group(0))}; "
                         "a record cannot hold it")
    return text


def split_authors(field: str) -> list[str]:
    """The names of a BibTeX author field, split as BibTeX does: at 'and' between white space (any case),
    outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", field, re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            names.append(field[start:match.start()])
            start = match.end()
    names.append(field[start:])
    return [name.strip() for name in names if name.strip()]


def _bibtex_person(name: str) -> str:
    """'Family, Given' -> 'Given Family', 'von Family, Jr, Given' -> 'Given von Family Jr'; 'Given Family' stays."""
    parts = [part.strip() for part in " ".join(name.split()).split(",")]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}".strip()
    if len(parts) >= 3:
        return f"{parts[2]} {parts[0]} {parts[1]}".strip()
    return parts[0]


def suggest_id(facts: PaperFacts) -> str:
    head = facts.title.split(":")[0] if ":" in facts.title and len(facts.title.split(":")[0]) <= 30 else ""
    words = re.findall(r"[a-z0-9]+", ascii_fold(head or facts.title).lower())
    if not head:
        words = [w for w in words if w not in _STOP][:4]
    suggested = "-".join(words)[:60].strip("-") or "paper"
    return f"{suggested}-paper" if suggested in RESERVED_IDS else suggested


def suggest_bibkey(facts: PaperFacts) -> str:
    """The same key the exports would generate, written into the record so it never changes."""
    return make_key(facts.authors, facts.year, facts.title)


def find_duplicate(root: Path, facts: PaperFacts) -> str | None:
    """A sentence naming the record that already has this arXiv id, DOI or title, else None."""
    loaded = load_corpus(root)
    if loaded.corpus is None:
        return None
    arxiv = normalise_arxiv(facts.arxiv) if facts.arxiv else None
    doi = normalise_doi(facts.doi) if facts.doi else None
    title = title_skeleton(facts.title)
    for paper in loaded.corpus.papers.values():
        if arxiv and paper.arxiv == arxiv:
            return f"papers/{paper.id}.yaml already has arXiv id {arxiv}"
        if doi and paper.doi and paper.doi.lower() == doi.lower():
            return f"papers/{paper.id}.yaml already has DOI {paper.doi}"
        if title_skeleton(paper.title) == title:
            return f"papers/{paper.id}.yaml already has the title {paper.title!r}"
    return None


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def paper_yaml(record_id: str, facts: PaperFacts, terms: dict[str, list[str]], today: str) -> str:
    lines = [
        f"id: {record_id}",
        f"title: {_q(facts.title)}",
        "# short_name: the method's name if the paper gives one, e.g. Wav2Lip",
        "authors:",
        *[f"  - {_q(a)}" for a in facts.authors],
        f"year: {facts.year}",
    ]
    if facts.venue_hint:
        lines.append(f"# The source says: {' '.join(facts.venue_hint.split())[:200]}")
    lines += [
        "venue: arXiv  # change to the published venue (a key of venues.yaml) when a public page states it",
        "type: preprint  # conference | journal | chapter | preprint | thesis, matching the venue",
    ]
    if facts.arxiv:
        lines.append(f"arxiv: {_q(facts.arxiv)}")
    if facts.doi:
        lines.append(f"doi: {_q(facts.doi)}")
    lines.append(f"bibkey: {suggest_bibkey(facts)}")
    lines += ["# venue_source: https://...  # once published: the page that shows the venue (also list it in sources)",
              f"# status_checked: {today}  # uncomment once you have checked whether the paper was published"]
    lines.append("links:")
    if facts.links:
        lines += [f"  {k}: {_q(v)}" for k, v in facts.links.items()]
    lines += ["  # code: https://github.com/...", "  # project: https://..."]
    lines.append("tags:  # every facet needs at least one term (flags may stay empty)")
    for facet in FACETS:
        lines.append(f"  {facet}: []  # {', '.join(terms[facet])}")
    lines += [
        "datasets: []  # ids from datasets/, only those the paper states",
        "metrics: []  # ids from metrics/",
        "losses: []  # ids from losses/",
        "summary: >-",
        "  TODO: one to three sentences in your own words: what goes in, what comes out, the key idea.",
        "sources:",
        f"  - https://arxiv.org/abs/{facts.arxiv}" if facts.arxiv else "  - https://...",
        f"added: {today}",
        "",
    ]
    return "\n".join(lines)


TEMPLATES = {
    "dataset": """id: {id}
name: TODO short name
full_name: TODO full name
year: 2024
# paper: id of the paper record that introduced it, if the corpus has it
reference:
  title: "TODO title of the paper that introduced the dataset"
  authors: []
  url: https://...
homepage: https://...
modality: [video, audio]  # video, audio, text, 3d-mesh, 3d-scan, multi-view-video, landmarks, image, motion-capture
dimension: 2d  # 2d | 3d | 4d
size:  # every figure optional, each from a source listed below
  identities: 0
  clips: 0
  hours: 0
  resolution: "TODO"
  fps: 25
languages: [English]
labels: []
split: >-
  TODO how it is split for evaluation.
access: >-
  TODO how to get it.
license: "TODO"
description: >-
  TODO what it contains, in your own words.
thg_use: >-
  TODO what talking-head work uses it for.
sources:
  - https://...
""",
    "metric": """id: {id}
name: TODO
full_name: TODO
aliases: []
category: image-quality  # image-quality | identity | lip-sync | motion | temporal | 3d-geometry | perceptual | emotion | diversity | user-study | text
direction: higher  # higher | lower is better
range: {{min: 0, max: null}}
formula: 'TODO LaTeX'
implementation: >-
  TODO the usual implementation and its settings.
pitfalls: >-
  TODO what makes numbers incomparable between papers.
description: >-
  TODO what it measures, in your own words.
sources:
  - https://...
""",
    "protocol": """id: {id}
name: TODO the protocol's name, e.g. Wav2Lip LRS2 lip-sync evaluation
description: >-
  TODO in your own words: what is evaluated, on what, against what.
# defined_by: id of the paper record that published it
test_set:
  dataset: TODO a dataset id
  split: test
  items: []  # the exact items as the source lists them: - {{id: WRA_X_000, start: 0, end: 10, sha256: "..."}}
  # manifest: {{url: https://github.com/<repo>/blob/<commit>/<list>, sha256: "...", items: 0, format: "..."}}
  # selection: how items were chosen, when the source publishes no list
frames: {{method: all}}  # all | uniform (count: N) | stride (stride: N) | first (count: N) | not-stated; fps: 25
reference: {{video: ground-truth, audio: ground-truth}}  # video: ground-truth | ground-truth-statistics | none | not-stated
preprocessing: {{}}  # face_crop, alignment, resolution, resize (library and filter), codec, audio_rate
metrics: []  # - {{metric: lse-d, variant: full-frame, label: LSE-D, settings: {{vshift: 15}}, implementation: https://...}}
sources:
  - https://...
""",
    "loss": """id: {id}
name: TODO
aliases: []
category: reconstruction  # reconstruction | perceptual | adversarial | sync | identity | geometry | generative | regularization | temporal | contrastive
formula: 'TODO LaTeX'
purpose: >-
  TODO what it pushes the model to do.
failure_modes: >-
  TODO where it tends to fail.
description: >-
  TODO in your own words.
sources:
  - https://...
""",
}


def new_record(root: Path, args: argparse.Namespace, fetch: Fetcher = http_fetch, today: str | None = None) -> int:
    import datetime as dt

    today = today or dt.date.today().isoformat()
    kind: str = args.kind
    if kind == "results":
        from thg.tableimport.importer import run

        return run(root, args, sys.stdout)
    folder = _record_folder(root, kind)
    if kind != "paper":
        if not args.record_id:
            raise UsageError(f"thg new {kind} needs --id, e.g. --id hdtf")
        target = _target(folder, _checked_id(args.record_id))
        _write_new(target, TEMPLATES[kind].format(id=args.record_id), args.force)
        print(f"wrote {target.relative_to(root)}; fill in the TODO fields, then run thg validate")
        return 0
    if bool(args.arxiv) == bool(args.bibtex):
        raise UsageError("thg new paper needs exactly one of --arxiv ID or --bibtex FILE")
    if args.record_id:
        _checked_id(args.record_id)
    facts = facts_from_arxiv(args.arxiv, fetch, args.timeout) if args.arxiv else facts_from_bibtex(args.bibtex)
    duplicate = find_duplicate(root, facts)
    if duplicate:
        raise UsageError(f"not creating a duplicate: {duplicate}")
    record_id = _checked_id(args.record_id or suggest_id(facts))
    target = _target(folder, record_id)
    from thg.taxonomy import load_taxonomy

    taxonomy, _ = load_taxonomy(root)
    terms = {f: taxonomy.writable_terms(f) if taxonomy else [] for f in FACETS}
    _write_new(target, paper_yaml(record_id, facts, terms, today), args.force)
    print(f"wrote {target.relative_to(root)}; fill in tags and summary, check the venue, then run thg validate",
          file=sys.stdout)
    return 0


def _checked_id(record_id: str) -> str:
    """A record id from the command line: it names a file, so it must be an id (no '/', '..' or spaces)."""
    if not re.match(ID_PATTERN, record_id) or len(record_id) > 80:
        suggestion = "-".join(re.findall(r"[a-z0-9]+", ascii_fold(record_id).lower()))[:80]
        hint = f", e.g. --id {suggestion}" if suggestion else ""
        raise UsageError(f"--id {record_id!r} is not a record id: use lowercase letters, digits and single "
                         f"hyphens{hint}")
    if record_id in RESERVED_IDS:
        raise UsageError(f"--id {record_id!r} is reserved: the site uses it for the section's own page")
    return record_id


def _record_folder(root: Path, kind: str) -> Path:
    """papers/ (or datasets/, ...) inside the repository: never a symbolic link to somewhere else."""
    folder = root / FOLDERS[kind]
    if folder.is_symlink():
        raise UsageError(f"{FOLDERS[kind]}/ is a symbolic link; thg new writes only inside the repository")
    folder.mkdir(exist_ok=True)
    return folder


def _target(folder: Path, record_id: str) -> Path:
    target = folder / f"{record_id}.yaml"
    if target.resolve(strict=False).parent != folder.resolve():
        raise UsageError(f"{target} is outside {folder}")  # unreachable with a checked id; kept as a guard
    return target


def _write_new(target: Path, text: str, force: bool) -> None:
    """Write a new record file: never through a symbolic link, and never over a file without --force."""
    if target.is_symlink():
        raise UsageError(f"{target.name} is a symbolic link; remove it first (thg new never writes through links)")
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | (os.O_TRUNC if force else os.O_EXCL)
    try:
        descriptor = os.open(target, flags, 0o644)
    except FileExistsError as exc:
        raise UsageError(f"{target.name} already exists; choose another --id or pass --force") from exc
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
