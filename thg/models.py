"""The typed record model: the single source of truth for what a record may contain.

Every kind of record (paper, dataset, metric, loss) is a pydantic model validated in strict mode,
so a quoted year or an unquoted arXiv id is reported instead of silently coerced. Facet terms and
venue names are *not* enumerated here: they live in `taxonomy.yaml` and `venues.yaml` and are
checked by `thg.checks` (and injected into the exported JSON Schemas by `thg.schema`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from thg.errors import CONTROL_CLASS

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ARXIV_PATTERN = r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$"
DOI_PATTERN = r"^10\.\d{4,9}/[^\s" + CONTROL_CLASS + r"]+$"
URL_PATTERN = (r"^https?://[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?(?::[0-9]{1,5})?"
               r"(?:[/?#][^\s\\<>\"'`" + CONTROL_CLASS + r"]*)?$")
"""http(s), a host name and an optional port, then a path: no user name or password before the host (in
https://github.com@evil.example/ the host is evil.example), no white space, quotes, backslashes or controls."""
BIBKEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_:.+-]*$"
NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
VARIANT_PATTERN = r"[A-Za-z0-9][A-Za-z0-9 ,._=+-]{0,39}"
METRIC_KEY_PATTERN = r"^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\[(" + VARIANT_PATTERN + r")\])?$"
"""A results column: a metric id, optionally with the variant measured, e.g. fvd[16] or lmd[mouth,sum].
Numbers under different keys are never compared (the same convention as `thg eval`)."""
SHA256_PATTERN = r"^[0-9a-f]{64}$"
SINGLE_LINE_PATTERN = rf"^[^\t\n{CONTROL_CLASS}]*[^\s{CONTROL_CLASS}][^\t\n{CONTROL_CLASS}]*$"
"""Not blank, and no line break, tab or control character (titles, names, labels)."""
MULTI_LINE_PATTERN = rf"^[^{CONTROL_CLASS}]*[^\s{CONTROL_CLASS}][^{CONTROL_CLASS}]*$"
"""Not blank, and no control character; line breaks and tabs allowed (summaries, notes, formulas)."""

MAX_INTEGER = 10**15 - 1
"""Integers in records have at most 15 digits: counts and years are far smaller, and every such number
stays exact in JavaScript (the explorer reads papers.json) and printable in Python."""


class OversizedInteger:
    """What the loader builds for an integer literal past `MAX_INTEGER` (it never converts one): every model
    field refuses it, so the problem is reported with its field and line like any other."""

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def __str__(self) -> str:
        shown = self.literal if len(self.literal) <= 24 else f"{self.literal[:12]}...{self.literal[-6:]}"
        return f"the integer {shown} is too large for a record ({len(self.literal)} characters)"


OVERSIZED_HINT = "integers in records have at most 15 digits; write identifiers as quoted text"
RESERVED_IDS = frozenset({"index"})
"""Ids the site needs for itself: papers/index is the list of all papers, results/index the results index."""


def _not_reserved(record_id: str) -> str:
    if record_id in RESERVED_IDS:
        raise ValueError(f"id {record_id!r} is reserved: the site uses it for the section's own page")
    return record_id


RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
OwnId = Annotated[RecordId, AfterValidator(_not_reserved)]
"""The id a record gives itself (and its file name): a `RecordId` that is not reserved."""
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=MULTI_LINE_PATTERN)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=400, pattern=SINGLE_LINE_PATTERN)]
ArxivId = Annotated[str, StringConstraints(pattern=ARXIV_PATTERN)]
Doi = Annotated[str, StringConstraints(pattern=DOI_PATTERN, max_length=300)]
BibKey = Annotated[str, StringConstraints(pattern=BIBKEY_PATTERN, max_length=80)]
LaTeX = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=MULTI_LINE_PATTERN)]


def _finite(value: object) -> object:
    """Refuse inf and nan (and integers past `MAX_INTEGER`) before a number union sees them, so the problem is
    reported once, in words, instead of once per member of the union."""
    if isinstance(value, OversizedInteger):
        raise ValueError(f"{value}; {OVERSIZED_HINT}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number; write the number as printed, e.g. 0.83")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        raise ValueError("the number has more than 15 digits; write the number as printed")
    return value


Count = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
Year = Annotated[int, Field(ge=0, le=9999)]
Quantity = Annotated[float | int, BeforeValidator(_finite), Field(ge=0, le=MAX_INTEGER)]
Bound = Annotated[float | int, BeforeValidator(_finite), Field(ge=-MAX_INTEGER, le=MAX_INTEGER)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
VariantName = Annotated[str, StringConstraints(pattern="^" + VARIANT_PATTERN + "$")]
MetricKey = Annotated[str, StringConstraints(pattern=METRIC_KEY_PATTERN, max_length=120)]
"""A results column key: a metric record id, optionally with its variant in brackets."""


def split_metric_key(key: str) -> tuple[str, str | None]:
    """'fvd[16]' -> ('fvd', '16'); 'fid' -> ('fid', None); a malformed key comes back whole."""
    match = re.match(METRIC_KEY_PATTERN, key)
    if match is None:
        return key, None
    return match.group(1), match.group(2)


def metric_key(metric: str, variant: str | None) -> str:
    return f"{metric}[{variant}]" if variant else metric

PaperType = Literal["conference", "journal", "chapter", "preprint", "thesis"]
Direction = Literal["higher", "lower", "target"]
"""higher/lower is better; target: closest to real footage is better (e.g. blink rate)."""
MetricCategory = Literal[
    "image-quality",
    "identity",
    "lip-sync",
    "motion",
    "temporal",
    "3d-geometry",
    "perceptual",
    "emotion",
    "diversity",
    "user-study",
    "text",
]
LossCategory = Literal[
    "reconstruction",
    "perceptual",
    "adversarial",
    "sync",
    "identity",
    "geometry",
    "generative",
    "regularization",
    "temporal",
    "contrastive",
]
Dimension = Literal["2d", "3d", "4d"]
Modality = Literal[
    "video", "audio", "text", "3d-mesh", "3d-scan", "multi-view-video", "landmarks", "image", "motion-capture"
]

FACETS: tuple[str, ...] = ("driving", "identity", "output", "architecture", "task", "flags")
"""The tag facets, in display order. `taxonomy.yaml` must define exactly these."""

PARTIAL = "partial"
"""Validation context flag: the record stands in for a file that failed, so that file's other fields can still
be checked (see `thg.corpus`); rules that tie several fields together are left to the complete record."""

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


class Strict(BaseModel):
    """Base for every record part: strict types, unknown fields refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Links(Strict):
    """Where to find the work; all http(s)."""

    code: Url | None = None
    project: Url | None = None
    video: Url | None = None
    data: Url | None = None
    demo: Url | None = None
    pdf: Url | None = None


class Tags(Strict):
    """Terms from each facet of `taxonomy.yaml`; every facet but `flags` needs at least one."""

    driving: list[str] = Field(min_length=1, max_length=20)
    identity: list[str] = Field(min_length=1, max_length=20)
    output: list[str] = Field(min_length=1, max_length=20)
    architecture: list[str] = Field(min_length=1, max_length=20)
    task: list[str] = Field(min_length=1, max_length=20)
    flags: list[str] = Field(default_factory=list, max_length=20)

    def facet(self, name: str) -> list[str]:
        values: list[str] = getattr(self, name)
        return values


class Protocol(Strict):
    """How a results table was measured, as far as the source states it.

    `id` names a protocol record (`protocols/<id>.yaml`) when the table follows one exactly: such
    tables are grouped and ranked together, and only with each other.
    """

    id: RecordId | None = None
    stated: bool = True
    setting: ShortText | None = None
    reenactment: Literal["self", "cross"] | None = None
    resolution: ShortText | None = None
    face_crop: ShortText | None = None
    audio_source: ShortText | None = None
    test_clips: Count | None = None
    notes: Text | None = None

    def key(self) -> tuple[object, ...] | None:
        """Two tables compare like with like only when these agree.

        None when the source states nothing to compare: two unstated protocols are not the same
        protocol, so each such table stands alone. A protocol record is its own key.
        """
        if self.id is not None:
            return ("protocol-record", self.id)
        details = (
            self.setting,
            self.reenactment,
            self.resolution,
            self.face_crop,
            self.audio_source,
            self.test_clips,
        )
        if not self.stated or all(value is None for value in details):
            return None
        return details


ResultValue = Annotated[float | int | str | None, BeforeValidator(_finite)]


class ResultRow(Strict):
    """One method's numbers in one source table; values exactly as printed."""

    method: ShortText
    values: dict[MetricKey, ResultValue] = Field(max_length=100)
    spread: dict[MetricKey, ResultValue] = Field(default_factory=dict, max_length=100)
    """The ± part printed beside a value (standard deviation or interval, as the source gives it)."""
    note: ShortText | None = None
    reference: bool = False
    """True for a row that is not a method (real video, ground truth): shown, never marked best."""

    @field_validator("values", "spread")
    @classmethod
    def _numbers_only(cls, values: dict[str, ResultValue]) -> dict[str, ResultValue]:
        for metric, value in values.items():
            if not re.match(METRIC_KEY_PATTERN, metric):
                raise ValueError(f"{metric!r} is not a metric id (optionally with a variant, e.g. fvd[16])")
            if isinstance(value, bool):
                raise ValueError(f"value for {metric!r} is a boolean; write the number as printed")
            if isinstance(value, str) and not (len(value) <= 40 and re.match(NUMBER_PATTERN, value.strip())
                                               and math.isfinite(float(value))):
                raise ValueError(
                    f"value for {metric!r} is {value!r}; write a finite number as printed (e.g. 0.83), or null"
                )
        return values


TableKind = Literal["comparison", "ablation", "checkpoint", "compiled"]
"""comparison: the paper's own measurement of methods; ablation: variants of the paper's method;
checkpoint: a repository's numbers for a released checkpoint, not the paper's table; compiled: numbers a
survey or list gathers from elsewhere, not measured by its authors (never ranked, never re-measurement)."""


class Correction(Strict):
    """A published number that changed after it first appeared, and why (the public corrections log)."""

    date: dt.date
    change: ShortText
    """What changed, e.g. 'FID of SadTalker 12.70 -> 12.71'."""
    reason: Text
    source: Url | None = None


class ResultTable(Strict):
    """A table of benchmark numbers reported by the paper, with its measurement protocol."""

    id: RecordId
    table: ShortText
    source: Url
    dataset: RecordId | None = None
    """None only when the source does not name its test set (say so in protocol.notes)."""
    split: ShortText | None = None
    kind: TableKind = "comparison"
    protocol: Protocol
    caption: Text | None = None
    directions: dict[MetricKey, Direction] = Field(default_factory=dict)
    """Columns the source ranks differently from the metric record (e.g. closest to ground truth)."""
    rows: list[ResultRow] = Field(min_length=1, max_length=500)
    corrections: list[Correction] = Field(default_factory=list)

    def columns(self) -> list[str]:
        """The metric keys of the table, in the order they first appear."""
        return list(dict.fromkeys(key for row in self.rows for key in row.values))


class Reference(Strict):
    """A citation for a work that is not (or not necessarily) a paper record."""

    title: ShortText | None = None
    authors: list[ShortText] = Field(default_factory=list, max_length=500)
    venue: ShortText | None = None
    year: Year | None = None
    arxiv: ArxivId | None = None
    doi: Doi | None = None
    url: Url | None = None
    paper: RecordId | None = None
    note: Text | None = None


WeightsStatus = Literal["released", "partial", "on-request", "announced", "not-released"]
"""What the official README says about trained weights: all released, some released, given on request,
promised ("coming soon"), or explicitly not released."""


class Release(Strict):
    """What the official repository states about its code: the facts practitioners ask first."""

    licence: ShortText | None = None
    """The licence as the repository states it (LICENSE file or README), e.g. MIT, Apache-2.0, CC BY-NC 4.0."""
    weights: WeightsStatus | None = None
    source: Url
    """The README (or LICENSE) read, pinned to a commit: https://github.com/<repo>/blob/<commit>/README.md"""


class Paper(Strict):
    """A talking-head paper: bibliographic facts, taxonomy tags, links to other records."""

    id: OwnId
    title: ShortText
    short_name: ShortText | None = None
    aliases: list[ShortText] = Field(default_factory=list, max_length=20)
    """Other names the method is known by (search and table import match them)."""
    authors: list[ShortText] = Field(min_length=1, max_length=500)
    year: Year
    venue: ShortText
    type: PaperType
    arxiv: ArxivId | None = None
    doi: Doi | None = None
    url: Url | None = None
    bibkey: BibKey | None = None
    venue_source: Url | None = None
    """The source that shows the published venue (README BibTeX, CVF/ACM/IEEE page, project page);
    required for every published paper and listed in `sources` too."""
    status_checked: dt.date | None = None
    """When the publication status (and the code link) was last checked against public sources."""
    links: Links = Field(default_factory=Links)
    release: Release | None = None
    tags: Tags
    datasets: list[RecordId] = Field(default_factory=list, max_length=100)
    metrics: list[RecordId] = Field(default_factory=list, max_length=100)
    losses: list[RecordId] = Field(default_factory=list, max_length=100)
    builds_on: list[RecordId] = Field(default_factory=list, max_length=100)
    summary: Text
    results: list[ResultTable] = Field(default_factory=list, max_length=100)
    sources: list[Url] = Field(default_factory=list, max_length=50)
    added: dt.date | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _has_identifier(self, info: ValidationInfo) -> Paper:
        if PARTIAL in (info.context or ()):
            return self
        if not (self.arxiv or self.doi or self.url):
            raise ValueError("a paper needs at least one of arxiv, doi or url")
        return self

    @field_validator("summary")
    @classmethod
    def _summary_shape(cls, summary: str) -> str:
        text = " ".join(summary.split())
        if len(text) < 40:
            raise ValueError("summary is too short; write one to three full sentences (at least 40 characters)")
        if len(_SENTENCE_END.findall(text)) > 4 or len(text) > 900:
            raise ValueError("summary is too long; keep it to one to three sentences (under 900 characters)")
        return summary

    @field_validator("authors")
    @classmethod
    def _full_author_list(cls, authors: list[str]) -> list[str]:
        for name in authors:
            if name.strip().lower().rstrip(".") in {"et al", "others", "and others"}:
                raise ValueError("authors must be the full list; 'et al.' is not an author")
        if len({name.casefold() for name in authors}) == len(authors) and all(
                "  " not in name and name == name.strip() for name in authors):
            return authors  # fast path: no repeat even ignoring case, and no odd spacing to fold
        folded = [" ".join(name.casefold().split()) for name in authors]
        for index, name in enumerate(folded):
            if name in folded[:index]:
                raise ValueError(f"author {authors[index]!r} is listed twice; list each author once")
        return authors

    @property
    def code_available(self) -> bool:
        return self.links.code is not None

    @property
    def display_name(self) -> str:
        return self.short_name or self.title


class Size(Strict):
    """A dataset's size figures; each optional and each sourced in `sources`."""

    identities: Count | None = None
    clips: Count | None = None
    hours: Quantity | None = None
    frames: Count | None = None
    resolution: ShortText | None = None
    fps: Quantity | ShortText | None = None
    note: ShortText | None = None


class Dataset(Strict):
    """A dataset used to train or evaluate talking-head models."""

    id: OwnId
    name: ShortText
    full_name: ShortText | None = None
    aliases: list[ShortText] = Field(default_factory=list)
    """Other names tables print for it (table import matches them), e.g. CREMA for CREMA-D."""
    year: Year | None = None
    paper: RecordId | None = None
    reference: Reference | None = None
    homepage: Url | None = None
    modality: list[Modality] = Field(min_length=1, max_length=20)
    dimension: Dimension
    size: Size = Field(default_factory=Size)
    languages: list[ShortText] = Field(default_factory=list, max_length=200)
    labels: list[ShortText] = Field(default_factory=list, max_length=100)
    split: Text | None = None
    access: Text | None = None
    license: ShortText | None = None
    description: Text
    thg_use: Text | None = None
    sources: list[Url] = Field(min_length=1, max_length=50)


class Range(Strict):
    """The closed interval a metric's values live in; null is unbounded."""

    min: Bound | None = None
    max: Bound | None = None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def __str__(self) -> str:
        if self.min is None and self.max is None:
            return "not stated"
        low = "-∞" if self.min is None else f"{self.min:g}"
        high = "∞" if self.max is None else f"{self.max:g}"
        return f"[{low}, {high}]"


class Metric(Strict):
    """An evaluation metric: what it measures and which direction is better."""

    id: OwnId
    name: ShortText
    full_name: ShortText | None = None
    aliases: list[ShortText] = Field(default_factory=list, max_length=20)
    category: MetricCategory
    direction: Direction | None = None
    range: Range = Field(default_factory=Range)
    formula: LaTeX | None = None
    reference: Reference | None = None
    implementation: Text | None = None
    pitfalls: Text | None = None
    description: Text
    sources: list[Url] = Field(min_length=1, max_length=50)

    @property
    def arrow(self) -> str:
        return {"higher": "↑", "lower": "↓", "target": "◎"}.get(self.direction or "", "")

    @property
    def direction_text(self) -> str:
        return {
            "higher": "higher is better",
            "lower": "lower is better",
            "target": "closest to real footage is better",
        }.get(self.direction or "", "direction depends on the implementation")


class Loss(Strict):
    """A training objective used by talking-head models."""

    id: OwnId
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list, max_length=20)
    category: LossCategory
    formula: LaTeX | None = None
    purpose: Text | None = None
    failure_modes: Text | None = None
    reference: Reference | None = None
    description: Text
    sources: list[Url] = Field(min_length=1, max_length=50)


class TestItem(Strict):
    """One test item exactly as the source lists it: a video (or clip) id, optionally a time range and a hash."""

    id: ShortText
    audio: ShortText | None = None
    """The item whose audio drives this one, when it is not the item's own (e.g. Wav2Lip's LRS2 pairs)."""
    start: Quantity | None = None
    """Seconds from the start of the video."""
    end: Quantity | None = None
    sha256: Sha256 | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> TestItem:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Manifest(Strict):
    """A published list of the test items (a file in a repository), pinned by its own hash."""

    url: Url
    """The file, pinned to a commit: https://github.com/<repo>/blob/<commit>/<path>"""
    sha256: Sha256
    """sha256 of the file's bytes at that commit, so a reader can confirm they hold the same list."""
    items: Count | None = Field(default=None, ge=1)
    format: ShortText | None = None
    """What one line holds, e.g. '<audio source> <video>, one pair per line'."""


class TestSet(Strict):
    """Which data is evaluated: the dataset and the exact items, as far as a public source lists them."""

    dataset: RecordId
    split: ShortText | None = None
    items: list[TestItem] = Field(default_factory=list, max_length=100_000)
    manifest: Manifest | None = None
    selection: Text | None = None
    """How the items were chosen, in our words, when the source publishes no list (then `items` stays empty)."""

    @model_validator(mode="after")
    def _says_which_items(self) -> TestSet:
        if not (self.items or self.manifest or self.selection):
            raise ValueError("a test set needs items, a manifest, or a selection saying how items were chosen")
        return self


FrameMethod = Literal["all", "uniform", "stride", "first", "not-stated"]


class FrameSampling(Strict):
    """Which frames of each item are scored."""

    method: FrameMethod
    count: Count | None = Field(default=None, ge=1)
    """Frames per item (uniform, first)."""
    stride: Count | None = Field(default=None, ge=1)
    fps: Quantity | None = Field(default=None, gt=0)
    notes: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> FrameSampling:
        if self.method in ("uniform", "first") and self.count is None:
            raise ValueError(f"frame sampling '{self.method}' needs count (frames per item)")
        if self.method == "stride" and self.stride is None:
            raise ValueError("frame sampling 'stride' needs stride")
        return self


ReferenceVideo = Literal["ground-truth", "ground-truth-statistics", "none", "not-stated"]
DrivingAudio = Literal["ground-truth", "other-item", "external", "none", "not-stated"]


class ReferenceSpec(Strict):
    """What generated videos are compared with, and what drives them."""

    video: ReferenceVideo
    """ground-truth: scored against the real video of the item; ground-truth-statistics: against the metric's
    value on the real videos, not frame by frame; none: no-reference metrics only."""
    audio: DrivingAudio
    """ground-truth: the item's own audio; other-item: another test item's audio; external: audio from elsewhere."""
    identity: ShortText | None = None
    """Which image or frame gives the identity (e.g. the first frame of the item)."""
    notes: Text | None = None


class Preprocessing(Strict):
    """Crop, alignment and resizing applied before scoring: each can move a metric more than a method does."""

    face_crop: ShortText | None = None
    alignment: ShortText | None = None
    resolution: ShortText | None = None
    resize: ShortText | None = None
    """Library and filter, e.g. 'cv2.resize, default bilinear'."""
    codec: ShortText | None = None
    audio_rate: Count | None = Field(default=None, gt=0)
    notes: Text | None = None


SettingValue = bool | Bound | ShortText


class MetricVariant(Strict):
    """One metric as this protocol computes it, with every setting that changes its value."""

    metric: RecordId
    variant: VariantName | None = None
    """Distinguishes computations that share a metric record, e.g. full-frame vs tracked LSE-D."""
    label: ShortText | None = None
    """The column heading the protocol's own tables print (table import matches it)."""
    settings: dict[ShortText, SettingValue] = Field(default_factory=dict, max_length=50)
    implementation: Url | None = None
    """The file that computes it, pinned to a commit."""
    aggregation: ShortText | None = None
    notes: Text | None = None

    @property
    def key(self) -> str:
        """The results column this variant fills: metric id, plus [variant] when there is one."""
        return metric_key(self.metric, self.variant)


class EvalProtocol(Strict):
    """A named evaluation protocol: which items, which frames, which reference, which metric variants.

    A results table that follows it cites its id (`protocol: {id: ...}`); `thg eval --protocol ID` runs it.
    """

    id: RecordId
    name: ShortText
    description: Text
    defined_by: RecordId | None = None
    """The paper record whose authors published the protocol."""
    test_set: TestSet
    frames: FrameSampling
    reference: ReferenceSpec
    preprocessing: Preprocessing = Field(default_factory=Preprocessing)
    metrics: list[MetricVariant] = Field(default_factory=list, max_length=100)
    """Empty when the source documents the items and frames but not how each metric is computed: then no
    results table can cite the protocol until the variants are known."""
    score: Text | None = None
    """How the metrics combine into an overall score, when the protocol defines one."""
    sources: list[Url] = Field(min_length=1)
    notes: Text | None = None

    def metric_keys(self) -> list[str]:
        return [variant.key for variant in self.metrics]


Record = Paper | Dataset | Metric | Loss | EvalProtocol

KINDS: dict[str, type[Paper] | type[Dataset] | type[Metric] | type[Loss] | type[EvalProtocol]] = {
    "paper": Paper,
    "dataset": Dataset,
    "metric": Metric,
    "loss": Loss,
    "protocol": EvalProtocol,
}
"""Kind name -> model. The folder of a kind is its plural (`papers/`, ...), see `thg.corpus`."""

FOLDERS: dict[str, str] = {"paper": "papers", "dataset": "datasets", "metric": "metrics", "loss": "losses",
                           "protocol": "protocols"}
