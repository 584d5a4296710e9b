"""Reading an evaluation protocol, and the pre-run check that its test items are present and intact.

A protocol is a mapping (a `protocols/<id>.yaml` record, or any YAML file of this shape)::

    id: hdtf-demo                      # required, the protocol id printed on every card
    dataset: hdtf                      # required, a dataset record id
    items:                             # required unless `manifest` is given: the exact test items
      - id: clip-001                   #   item id
        path: clip-001.mp4             #   file under --reference (and the same name under --generated)
        sha256: 9f86d0...              #   optional: the reference file's sha256
    manifest: items.sha256             # optional: `<sha256>  <path>` lines (sha256sum format), beside the protocol
    frames: {start: 0, stride: 1, count: null}   # frame sampling (defaults shown)
    reference: {video: ground truth, audio: ground truth}   # what the generated videos are compared with
    crop: {mode: full, size: null, resize: pil-bicubic}     # full | aligned; size in px; resize filter
    metrics:                           # required: the metric variants and the settings that change them
      - id: lmd[mouth,sum]
        settings: {points: 48-67}      # optional; must agree with the implementation's settings
    source: https://...                # where the protocol is documented

Unknown keys are refused, so a typo cannot silently change a protocol.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thg.eval.catalog import MetricSpec, parse
from thg.eval.errors import EvalError

CROP_MODES = ("full", "aligned")
RESIZE_FILTERS = ("pil-bicubic", "pil-bilinear", "pil-lanczos", "pil-box", "cv2-bicubic", "cv2-bilinear", "cv2-area",
                  "nearest")


@dataclass(frozen=True)
class Item:
    id: str
    path: str
    sha256: str | None = None


@dataclass(frozen=True)
class Sampling:
    start: int = 0
    stride: int = 1
    count: int | None = None

    def takes(self, index: int) -> bool:
        if index < self.start or (index - self.start) % self.stride:
            return False
        return self.count is None or (index - self.start) // self.stride < self.count

    def done(self, index: int) -> bool:
        return self.count is not None and index >= self.start + self.stride * self.count


@dataclass(frozen=True)
class Crop:
    mode: str = "full"
    size: int | None = None
    resize: str = "pil-bicubic"


@dataclass(frozen=True)
class Protocol:
    id: str
    dataset: str | None
    items: tuple[Item, ...]
    metrics: tuple[MetricSpec, ...]
    frames: Sampling = field(default_factory=Sampling)
    crop: Crop = field(default_factory=Crop)
    reference: dict[str, str] = field(default_factory=dict)
    source: str | None = None


def _check_keys(where: str, data: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise EvalError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}")


def _int(where: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise EvalError(f"{where}: expected a whole number >= {minimum}, got {value!r}")
    return value


def read_protocol(data: dict[str, Any], where: str = "protocol", base: Path | None = None) -> Protocol:
    """Check a protocol mapping and turn it into a `Protocol`; every error names the field."""
    if not isinstance(data, dict):
        raise EvalError(f"{where}: expected a mapping with id, dataset, items and metrics")
    _check_keys(where, data, {"id", "dataset", "items", "manifest", "frames", "reference", "crop", "metrics", "source",
                              "name", "description", "notes", "sources", "split"})
    for key in ("id", "metrics"):
        if key not in data:
            raise EvalError(f"{where}: missing {key!r}")
    items: list[Item] = []
    for index, raw in enumerate(data.get("items") or []):
        at = f"{where}: items[{index}]"
        if not isinstance(raw, dict) or "path" not in raw:
            raise EvalError(f"{at}: expected a mapping with path (and optional id, sha256)")
        _check_keys(at, raw, {"id", "path", "sha256", "start", "end", "audio"})
        digest = raw.get("sha256")
        if digest is not None and (not isinstance(digest, str) or len(digest) != 64):
            raise EvalError(f"{at}: sha256 must be 64 hexadecimal characters")
        items.append(Item(id=str(raw.get("id", Path(raw["path"]).stem)), path=str(raw["path"]), sha256=digest))
    if data.get("manifest"):
        manifest = (base or Path.cwd()) / str(data["manifest"])
        if not manifest.is_file():
            raise EvalError(f"{where}: manifest {manifest} not found")
        for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                parts = line.split(maxsplit=1)
                if len(parts) != 2 or len(parts[0]) != 64:
                    raise EvalError(f"{manifest}:{number}: expected '<sha256>  <path>'")
                items.append(Item(id=Path(parts[1].strip()).stem, path=parts[1].strip().lstrip("*"), sha256=parts[0]))
    if not items:
        raise EvalError(f"{where}: no test items; list them under items or give a manifest")
    metrics: list[MetricSpec] = []
    for index, raw in enumerate(data["metrics"] or []):
        at = f"{where}: metrics[{index}]"
        mid = raw if isinstance(raw, str) else raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(mid, str):
            raise EvalError(f"{at}: expected a metric id or a mapping with id and settings")
        spec = parse(mid)[0]
        settings = raw.get("settings", {}) if isinstance(raw, dict) else {}
        for key, value in (settings or {}).items():
            if key in spec.settings and str(value) != spec.settings[key]:
                raise EvalError(f"{at}: {spec.id} setting {key}={value!r} differs from thg's implementation "
                                f"({spec.settings[key]!r}); name another variant or change the protocol")
        metrics.append(spec)
    frames = data.get("frames") or {}
    _check_keys(f"{where}: frames", frames, {"start", "stride", "count"})
    sampling = Sampling(start=_int(f"{where}: frames.start", frames.get("start", 0), 0),
                        stride=_int(f"{where}: frames.stride", frames.get("stride", 1), 1),
                        count=None if frames.get("count") is None else _int(f"{where}: frames.count", frames["count"], 1))
    crop_data = data.get("crop") or {}
    _check_keys(f"{where}: crop", crop_data, {"mode", "size", "resize", "alignment"})
    crop = Crop(mode=str(crop_data.get("mode", "full")),
                size=None if crop_data.get("size") is None else _int(f"{where}: crop.size", crop_data["size"], 16),
                resize=str(crop_data.get("resize", "pil-bicubic")))
    if crop.mode not in CROP_MODES:
        raise EvalError(f"{where}: crop.mode {crop.mode!r}; use one of {', '.join(CROP_MODES)}")
    if crop.resize not in RESIZE_FILTERS:
        raise EvalError(f"{where}: crop.resize {crop.resize!r}; use one of {', '.join(RESIZE_FILTERS)}")
    return Protocol(id=str(data["id"]), dataset=data.get("dataset"), items=tuple(items), metrics=tuple(metrics),
                    frames=sampling, crop=crop, reference={str(k): str(v) for k, v in (data.get("reference") or {}).items()},
                    source=data.get("source"))


def load_protocol(name: str, root: Path | None) -> Protocol:
    """A protocol by file path, or by id from `<root>/protocols/<id>.yaml`."""
    import yaml

    path = Path(name)
    if not path.is_file():
        if root is None or not (root / "protocols" / f"{name}.yaml").is_file():
            raise EvalError(f"no protocol {name!r}: not a file, and no protocols/{name}.yaml in the repository")
        path = root / "protocols" / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalError(f"{path}: not valid YAML ({exc})") from exc
    return read_protocol(data, where=str(path), base=path.parent)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def pre_run_check(protocol: Protocol, reference_dir: Path, generated_dir: Path) -> list[tuple[Item, Path, Path]]:
    """Every test item present (reference and generated) and intact (sha256), before anything is computed."""
    problems: list[str] = []
    pairs = []
    for item in protocol.items:
        ref, gen = reference_dir / item.path, generated_dir / item.path
        if not ref.is_file():
            problems.append(f"{item.id}: reference {ref} is missing")
        elif item.sha256 and file_sha256(ref) != item.sha256.lower():
            problems.append(f"{item.id}: reference {ref} does not match the protocol's sha256 (altered or re-encoded?)")
        if not gen.is_file():
            problems.append(f"{item.id}: generated {gen} is missing")
        pairs.append((item, gen, ref))
    if problems:
        raise EvalError(f"protocol {protocol.id}: {len(problems)} of {len(protocol.items)} test item(s) fail the "
                        "pre-run check, nothing was computed:\n  " + "\n  ".join(problems))
    return pairs
