"""Running a protocol record (`protocols/<id>.yaml`, read through `thg.models.EvalProtocol`, the one schema)
and the pre-run check that every test item is present and intact before anything is computed.

What a record states becomes the run's plan:
- items: `test_set.items` (ids, optional sha256, driving audio, time range) or the published manifest, whose
  local copy must hash to `test_set.manifest.sha256`; an item id `a/b` is the file `a/b.<video suffix>` under
  --generated (and under --reference when the protocol compares with ground truth);
- frames: all, stride, first or uniform (indices round(linspace(start, end - 1, count))), and the frame rate
  each video must have;
- metrics: each variant's key (`metric[variant]`) is a thg eval metric id; its stated settings must agree
  with the implementation's where both name the same setting.
Anything the run cannot follow (no published item list, a variant thg eval computes differently, a command
line option that overrides the protocol, metrics it does not define) is a deviation, and a run with any
deviation is labelled `custom` on its card. A variant thg eval has no implementation for is listed on the
card as not computed; the variants it did compute still follow the protocol.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from thg.eval.catalog import CATALOG, MetricSpec
from thg.eval.errors import EvalError
from thg.models import EvalProtocol

CROP_MODES = ("full", "aligned")
RESIZE_FILTERS = ("pil-bicubic", "pil-bilinear", "pil-lanczos", "pil-box", "cv2-bicubic", "cv2-bilinear", "cv2-area",
                  "nearest")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v")


@dataclass(frozen=True)
class Sampling:
    """Which frames of a video are scored: a window [first, end), then start / stride / count inside it.

    `uniform` (frames per video, spread evenly over the window) is resolved into `indices` once the
    video's frame count is known (`resolved`).
    """

    start: int = 0
    stride: int = 1
    count: int | None = None
    uniform: int | None = None
    first: int = 0
    end: int | None = None
    indices: frozenset[int] | None = None

    def takes(self, index: int) -> bool:
        if index < self.first or (self.end is not None and index >= self.end):
            return False
        if self.indices is not None:
            return index in self.indices
        index -= self.first
        if index < self.start or (index - self.start) % self.stride:
            return False
        return self.count is None or (index - self.start) // self.stride < self.count

    def done(self, index: int) -> bool:
        if self.end is not None and index >= self.end:
            return True
        if self.indices is not None:
            return not self.indices or index > max(self.indices)
        return self.count is not None and index - self.first >= self.start + self.stride * self.count

    def resolved(self, frames: int) -> Sampling:
        """Uniform sampling as explicit indices for a video of `frames` frames (unchanged otherwise)."""
        if self.uniform is None:
            return self
        import numpy as np

        end = min(self.end if self.end is not None else frames, frames)
        if end - self.first < self.uniform:
            raise EvalError(f"the protocol samples {self.uniform} frames uniformly but the video has {end - self.first}")
        picks = np.round(np.linspace(self.first, end - 1, self.uniform)).astype(int)
        return replace(self, indices=frozenset(int(i) for i in picks))

    def describe(self) -> str:
        window = f"frames [{self.first}, {self.end if self.end is not None else 'end'}), " if self.first or self.end else ""
        if self.uniform is not None:
            return f"{window}{self.uniform} frames spread uniformly (round(linspace(first, last, {self.uniform})))"
        count = "all" if self.count is None else f"at most {self.count}"
        return f"{window}from frame {self.start}, every {self.stride}, {count}"


@dataclass(frozen=True)
class Crop:
    mode: str = "full"
    size: int | None = None
    resize: str = "pil-bicubic"


@dataclass(frozen=True)
class Item:
    id: str
    sha256: str | None = None
    audio: str | None = None
    start: float | None = None
    end: float | None = None


@dataclass
class Plan:
    """What a run of one protocol record does, and how far it can follow it."""

    record: EvalProtocol
    items: list[Item] | None
    """None when the record lists no items (only how they were chosen): every video given is scored."""
    sampling: Sampling
    specs: list[MetricSpec]
    not_computed: dict[str, str] = field(default_factory=dict)
    deviations: list[str] = field(default_factory=list)
    manifest: Path | None = None

    @property
    def needs_reference(self) -> bool:
        return self.record.reference.video == "ground-truth"


def load_protocol(name: str, root: Path | None) -> EvalProtocol:
    """A protocol record by id (`<root>/protocols/<id>.yaml`) or by file path, validated as the validator does."""
    from thg.corpus import load_record

    path = Path(name)
    if not path.is_file():
        if root is None or not (root / "protocols" / f"{name}.yaml").is_file():
            known = sorted(p.stem for p in (root / "protocols").glob("*.yaml")) if root else []
            raise EvalError(f"no protocol {name!r}: not a file, and no protocols/{name}.yaml"
                            + (f" (protocols: {', '.join(known)})" if known else ""))
        path = root / "protocols" / f"{name}.yaml"
    record, problems = load_record(path, "protocol")
    if record is None or problems:
        raise EvalError(f"{path} is not a valid protocol record:\n  " + "\n  ".join(str(p) for p in problems))
    assert isinstance(record, EvalProtocol)
    return record


def _sampling(record: EvalProtocol) -> tuple[Sampling, list[str]]:
    frames = record.frames
    if frames.method == "stride":
        return Sampling(stride=frames.stride or 1), []
    if frames.method == "first":
        return Sampling(count=frames.count), []
    if frames.method == "uniform":
        return Sampling(uniform=frames.count), []
    if frames.method == "not-stated":
        return Sampling(), ["the protocol does not state its frame sampling; every frame was scored"]
    return Sampling(), []


def _metrics(record: EvalProtocol, metric_ids: list[MetricSpec] | None) -> tuple[list[MetricSpec], dict[str, str], list[str]]:
    """The specs to run, the protocol's variants left out (with why), and deviations."""
    deviations: list[str] = []
    defined: dict[str, MetricSpec] = {}
    missing: dict[str, str] = {}
    for variant in record.metrics:
        spec = CATALOG.get(variant.key)
        if spec is None:
            missing[variant.key] = "thg eval has no implementation of this variant"
            continue
        differ = [f"{key}={value!r} (thg eval: {spec.settings[key]!r})" for key, value in variant.settings.items()
                  if key in spec.settings and str(value) != spec.settings[key]]
        if differ:
            deviations.append(f"{variant.key}: the protocol's settings differ from thg eval's: {', '.join(differ)}")
        defined[variant.key] = spec
    if not record.metrics:
        deviations.append(f"protocol {record.id} defines no metric variant yet, so no number can follow it")
    if metric_ids is None:
        return list(defined.values()), missing, deviations
    extra = [s.id for s in metric_ids if s.id not in defined]
    if extra:
        deviations.append(f"metrics the protocol does not define: {', '.join(extra)}")
    left_out = {key: "not asked for (--metrics)" for key in defined if key not in {s.id for s in metric_ids}}
    return list(metric_ids), {**missing, **left_out}, deviations


def _manifest_items(path: Path) -> list[Item]:
    """One item per line: `<video>` or `<audio source> <video>` (Wav2Lip's filelists)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts or line.startswith("#"):
            continue
        if len(parts) > 2:
            raise EvalError(f"{path}:{number}: expected '<video>' or '<audio source> <video>', got {line!r}")
        items.append(Item(id=parts[-1], audio=parts[0] if len(parts) == 2 else None))
    return items


def plan(record: EvalProtocol, metric_ids: list[MetricSpec] | None, manifest: Path | None,
         search: list[Path]) -> Plan:
    """Turn a record into a plan; `manifest` (or its file name in one of `search`) is the local manifest copy."""
    sampling, deviations = _sampling(record)
    specs, not_computed, metric_deviations = _metrics(record, metric_ids)
    deviations += metric_deviations
    if record.reference.video == "ground-truth-statistics":
        deviations.append("the protocol compares each metric's mean with its value on the real videos "
                          "(ground-truth statistics); thg eval compares videos frame by frame")
    test_set = record.test_set
    items: list[Item] | None = [Item(i.id, i.sha256, i.audio, i.start, i.end) for i in test_set.items] or None
    found: Path | None = None
    if items is None and test_set.manifest is not None:
        name = test_set.manifest.url.rsplit("/", 1)[-1]
        found = manifest or next((folder / name for folder in search if (folder / name).is_file()), None)
        if found is None or not found.is_file():
            raise EvalError(f"protocol {record.id} lists its items in a manifest: {test_set.manifest.url} "
                            f"(sha256 {test_set.manifest.sha256}). Save it and pass --manifest FILE, or put {name} in "
                            "the --reference or --generated folder")
    elif items is None:
        deviations.append(f"the protocol publishes no list of items ({(test_set.selection or '').strip()[:200]}); "
                          "every video given was scored")
    return Plan(record, items, sampling, specs, not_computed, deviations, found)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def find_video(folder: Path, item_id: str) -> list[Path]:
    base = folder / item_id
    return [p for p in (base.with_name(base.name + s) for s in VIDEO_SUFFIXES) if p.is_file()]


def pre_run_check(run: Plan, generated_dir: Path, reference_dir: Path | None) -> list[tuple[Item, Path, Path | None]]:
    """Every test item present (generated, and reference when compared) and intact (sha256), at the protocol's
    frame rate; the manifest copy identical to the published one. Nothing is computed when any check fails."""
    from thg.eval import video

    problems: list[str] = []
    manifest = run.record.test_set.manifest
    items = run.items
    if run.manifest is not None and manifest is not None:
        digest = file_sha256(run.manifest)
        if digest != manifest.sha256:
            problems.append(f"manifest {run.manifest} has sha256 {digest}, not the published {manifest.sha256} "
                            f"({manifest.url})")
        else:
            items = _manifest_items(run.manifest)
            if manifest.items is not None and len(items) != manifest.items:
                problems.append(f"manifest {run.manifest} holds {len(items)} items, the protocol says {manifest.items}")
    if run.needs_reference and reference_dir is None:
        problems.append("the protocol compares with the ground-truth videos: pass --reference FOLDER")
    pairs: list[tuple[Item, Path, Path | None]] = []
    fps = run.record.frames.fps
    for item in items or []:
        generated = find_video(generated_dir, item.id)
        reference = find_video(reference_dir, item.id) if reference_dir is not None else []
        for side, paths, folder in (("generated", generated, generated_dir), ("reference", reference, reference_dir)):
            if folder is None:
                continue
            if not paths:
                problems.append(f"{item.id}: {side} video {folder / item.id}.mp4 (or another video suffix) is missing")
            elif len(paths) > 1:
                problems.append(f"{item.id}: {len(paths)} {side} videos ({', '.join(p.name for p in paths)}); keep one")
        if item.sha256 and reference and file_sha256(reference[0]) != item.sha256:
            problems.append(f"{item.id}: reference {reference[0]} does not match the protocol's sha256 "
                            "(altered or re-encoded?)")
        if fps is not None:
            for path in generated[:1] + reference[:1]:
                try:
                    rate = video.probe(path).fps
                except EvalError as exc:
                    problems.append(f"{item.id}: {exc}")
                    continue
                if abs(rate - fps) > 1e-3:
                    problems.append(f"{item.id}: {path} runs at {rate:g} fps; the protocol scores {fps:g} fps")
        if generated:
            pairs.append((item, generated[0], reference[0] if reference else None))
    if problems:
        total = len(items or [])
        raise EvalError(f"protocol {run.record.id}: the pre-run check failed on {len(problems)} point(s) "
                        f"({total} test item(s)); nothing was computed:\n  " + "\n  ".join(problems[:50])
                        + (f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""))
    return pairs
