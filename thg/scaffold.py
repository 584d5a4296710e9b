"""`thg new`: start a record from an arXiv id (online) or a BibTeX entry (offline), or from a template.

The written file holds every fact the source provides and commented placeholders for what a person
must decide (tags, summary, datasets). It deliberately fails validation until those are filled in.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser

from thg.bibkeys import ascii_fold, make_key
from thg.checks import normalised_title
from thg.corpus import load_corpus
from thg.errors import UsageError
from thg.export.latex import unescape
from thg.models import ARXIV_PATTERN, FACETS, FOLDERS

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


def facts_from_arxiv(arxiv_id: str, fetch: Fetcher = http_fetch, timeout: float = 15.0) -> PaperFacts:
    arxiv_id = re.sub(r"^(arxiv:|https?://arxiv\.org/abs/)", "", arxiv_id.strip(), flags=re.I)
    arxiv_id = re.sub(r"v\d+$", "", arxiv_id)
    if not re.match(ARXIV_PATTERN, arxiv_id):
        raise UsageError(f"{arxiv_id!r} is not an arXiv id (expected e.g. 2008.10010)")
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
    title = " ".join((title_node.text or "").split())
    authors = [" ".join((a.findtext("a:name", "", _ATOM) or "").split()) for a in entry.findall("a:author", _ATOM)]
    published = entry.findtext("a:published", "", _ATOM) or ""
    year = int(published[:4]) if published[:4].isdigit() else 0
    doi = entry.findtext("arxiv:doi", None, _ATOM)
    comment = entry.findtext("arxiv:comment", None, _ATOM)
    return PaperFacts(title=title, authors=[a for a in authors if a], year=year, arxiv=arxiv_id,
                      doi=doi.strip() if doi else None, venue_hint=" ".join(comment.split()) if comment else None)


def facts_from_bibtex(path: Path) -> PaperFacts:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise UsageError(f"{path}:{(block.start_line or 0) + 1}: this BibTeX entry does not parse")
    if len(library.entries) != 1:
        raise UsageError(f"{path}: expected exactly one BibTeX entry, found {len(library.entries)}")
    entry = library.entries[0]
    fields = {f.key.lower(): _debrace(f.value) for f in entry.fields}
    if "title" not in fields or "author" not in fields:
        raise UsageError(f"{path}: the entry needs at least title and author fields")
    authors = [_bibtex_person(name) for name in re.split(r"\s+and\s+", fields["author"]) if name.strip()]
    year = int(fields["year"]) if fields.get("year", "").isdigit() else 0
    arxiv = fields.get("eprint") if fields.get("archiveprefix", "").lower() == "arxiv" or "eprint" in fields else None
    if arxiv is None:
        found = re.search(r"arXiv:(\d{4}\.\d{4,5})", fields.get("journal", "") + " " + fields.get("howpublished", ""))
        arxiv = found.group(1) if found else None
    venue = fields.get("booktitle") or fields.get("journal")
    links = {"project": fields["url"]} if fields.get("url", "").startswith(("http://", "https://")) else {}
    return PaperFacts(title=" ".join(fields["title"].split()), authors=authors, year=year, arxiv=arxiv,
                      doi=fields.get("doi"), venue_hint=venue, links=links)


def _debrace(value: str) -> str:
    return unescape(value.strip())


def _bibtex_person(name: str) -> str:
    """'Family, Given' -> 'Given Family'; 'Given Family' stays."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return f"{given.strip()} {family.strip()}".strip()
    return name


def suggest_id(facts: PaperFacts) -> str:
    head = facts.title.split(":")[0] if ":" in facts.title and len(facts.title.split(":")[0]) <= 30 else ""
    words = re.findall(r"[a-z0-9]+", ascii_fold(head or facts.title).lower())
    if not head:
        words = [w for w in words if w not in _STOP][:4]
    return "-".join(words)[:60].strip("-") or "paper"


def suggest_bibkey(facts: PaperFacts) -> str:
    """The same key the exports would generate, written into the record so it never changes."""
    return make_key(facts.authors, facts.year, facts.title)


def find_duplicate(root: Path, facts: PaperFacts) -> str | None:
    """A sentence naming the record that already has this arXiv id, DOI or title, else None."""
    loaded = load_corpus(root)
    if loaded.corpus is None:
        return None
    title = normalised_title(facts.title)
    for paper in loaded.corpus.papers.values():
        if facts.arxiv and paper.arxiv == facts.arxiv:
            return f"papers/{paper.id}.yaml already has arXiv id {facts.arxiv}"
        if facts.doi and paper.doi and paper.doi.lower() == facts.doi.lower():
            return f"papers/{paper.id}.yaml already has DOI {facts.doi}"
        if normalised_title(paper.title) == title:
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
        lines += [f"  {k}: {v}" for k, v in facts.links.items()]
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
    folder = root / FOLDERS[kind]
    folder.mkdir(exist_ok=True)
    if kind != "paper":
        if not args.record_id:
            raise UsageError(f"thg new {kind} needs --id, e.g. --id hdtf")
        target = folder / f"{args.record_id}.yaml"
        _refuse_overwrite(target, args.force)
        target.write_text(TEMPLATES[kind].format(id=args.record_id), encoding="utf-8")
        print(f"wrote {target.relative_to(root)}; fill in the TODO fields, then run thg validate")
        return 0
    if bool(args.arxiv) == bool(args.bibtex):
        raise UsageError("thg new paper needs exactly one of --arxiv ID or --bibtex FILE")
    facts = facts_from_arxiv(args.arxiv, fetch, args.timeout) if args.arxiv else facts_from_bibtex(args.bibtex)
    duplicate = find_duplicate(root, facts)
    if duplicate:
        raise UsageError(f"not creating a duplicate: {duplicate}")
    record_id = args.record_id or suggest_id(facts)
    target = folder / f"{record_id}.yaml"
    _refuse_overwrite(target, args.force)
    from thg.taxonomy import load_taxonomy

    taxonomy, _ = load_taxonomy(root)
    terms = {f: taxonomy.writable_terms(f) if taxonomy else [] for f in FACETS}
    target.write_text(paper_yaml(record_id, facts, terms, today), encoding="utf-8")
    print(f"wrote {target.relative_to(root)}; fill in tags and summary, check the venue, then run thg validate",
          file=sys.stdout)
    return 0


def _refuse_overwrite(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise UsageError(f"{target.name} already exists; choose another --id or pass --force")
