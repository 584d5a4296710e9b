"""`thg eval metrics`: per-frame, per-video and aggregate numbers, each with n_valid and n_dropped.

Frames are streamed pair by pair; per-frame values go straight to a CSV file, and only running sums
stay in memory, so memory is flat in clip length. A frame a metric cannot score (no face found, say) is
dropped for that metric with its reason, counted, and never silently skipped.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from thg.eval import face as facelib
from thg.eval import video
from thg.eval.catalog import MetricSpec
from thg.eval.errors import EvalError
from thg.eval.protocol import Crop, Sampling
from thg.eval.resize import resize

FACE_REASONS = ("no face in generated frame", "no face in reference frame")


@dataclass(frozen=True)
class Settings:
    crop: Crop = field(default_factory=Crop)
    frames: Sampling = field(default_factory=Sampling)
    upsample: int = 1
    max_no_face: float = 0.5
    """Above this share of sampled frames without a face, a landmark metric is an error, not a number."""
    weights_dir: Path | None = None
    audio: Path | None = None


@dataclass
class Tally:
    """Running numbers for one metric on one video (or, merged, on all videos)."""

    total: float = 0.0
    n_valid: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    infinite: int = 0
    value: float | None = None
    """Set directly by video- and set-level metrics; otherwise the mean of the frame values."""
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, value: float) -> None:
        if math.isinf(value):
            self.infinite += 1
        else:
            self.total += value
        self.n_valid += 1

    def drop(self, reason: str) -> None:
        self.dropped[reason] += 1

    @property
    def n_dropped(self) -> int:
        return sum(self.dropped.values())

    def mean(self) -> float | None:
        if self.value is not None:
            return self.value
        if self.n_valid == 0:
            return None
        return math.inf if self.infinite else self.total / self.n_valid

    def as_dict(self) -> dict[str, Any]:
        return {"value": number(self.mean()), "n_valid": self.n_valid, "n_dropped": self.n_dropped,
                "dropped": dict(sorted(self.dropped.items())), **self.extra}


def number(value: float | None) -> float | str | None:
    """JSON has no infinity: write it as the string "inf" (PSNR of identical frames)."""
    if value is None:
        return None
    return "inf" if math.isinf(value) else round(float(value), 10)


@dataclass
class VideoResult:
    generated: str
    reference: str | None
    item: str
    frames_decoded: int = 0
    frames_used: int = 0
    metrics: dict[str, Tally] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)


def check_pair(gen: video.VideoInfo, ref: video.VideoInfo | None, settings: Settings) -> None:
    """Refuse pairs that cannot be compared frame by frame, saying what differs."""
    if ref is None:
        return
    if abs(gen.fps - ref.fps) > 1e-3:
        raise EvalError(f"{gen.path} runs at {gen.fps:g} fps but {ref.path} at {ref.fps:g} fps; "
                        "re-encode one so both have the same frame rate")
    if (gen.width, gen.height) != (ref.width, ref.height) and settings.crop.size is None and settings.crop.mode == "full":
        raise EvalError(f"{gen.path} is {gen.width}x{gen.height} but {ref.path} is {ref.width}x{ref.height}; "
                        "pass --size N to compare both at N x N, or --crop aligned")
    if gen.frames and ref.frames and gen.frames != ref.frames:
        raise EvalError(f"{gen.path} has {gen.frames} frames but {ref.path} has {ref.frames}; "
                        "trim both to the same frames (the protocol's items) before scoring")


def _pairs(gen: Path, ref: Path | None) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    gen_frames = video.frames(gen)
    if ref is None:
        for frame in gen_frames:
            yield frame, None
        return
    ref_frames = video.frames(ref)
    last = -1
    for index, (g, r) in enumerate(zip(gen_frames, ref_frames, strict=False)):
        yield g, r
        last = index
    for name, rest in (("generated", gen_frames), ("reference", ref_frames)):
        if next(rest, None) is not None:
            raise EvalError(f"the {name} video has more frames than the other (after frame {last}); "
                            "both must hold the same frames")


class FrameWriter:
    """The long per-frame CSV: video, frame, metric, value, dropped_reason."""

    def __init__(self, handle: TextIO | None) -> None:
        self.writer = csv.writer(handle, lineterminator="\n") if handle else None
        if self.writer:
            self.writer.writerow(["video", "frame", "metric", "value", "dropped_reason"])

    def row(self, item: str, index: int, metric: str, value: float | None, reason: str = "") -> None:
        if self.writer:
            self.writer.writerow([item, index, metric, "" if value is None else number(value), reason])


def _view(frame: np.ndarray, found: facelib.Face | facelib.NoFace | None, crop: Crop) -> np.ndarray | None:
    if crop.mode == "aligned":
        if not isinstance(found, facelib.Face):
            return None
        return facelib.align(frame, found, crop.size or 256)[0]
    return resize(frame, crop.size, crop.resize) if crop.size else frame


def evaluate_video(item: str, gen: Path, ref: Path | None, specs: list[MetricSpec], settings: Settings,
                   writer: FrameWriter, models: dict[str, Any] | None = None) -> VideoResult:
    """Score one generated video against its reference with the frame-level metrics in `specs`.

    `models` holds the loaded deep metrics (thg.eval.deep): a scorer per frame-level id, and for set-level
    ids (FID, FVD) an accumulator that is fed every scored frame pair here and read once at the end.
    """
    models = models or {}
    from thg.eval.metrics import fidelity, identity, landmarks
    from thg.eval.metrics.brisque import brisque
    from thg.eval.metrics.cpbd import cpbd

    gen_info = video.probe(gen)
    ref_info = video.probe(ref) if ref else None
    check_pair(gen_info, ref_info, settings)
    sampling = settings.frames.resolved(gen_info.frames)
    result = VideoResult(str(gen), str(ref) if ref else None, item,
                         info={"generated": gen_info.__dict__, "reference": ref_info.__dict__ if ref_info else None})
    frame_specs = [s for s in specs if s.kind in ("pair", "single", "landmarks", "identity")]
    set_specs = [s for s in specs if s.kind == "set"]
    for spec in frame_specs + set_specs:
        if ref is None and spec.kind != "single":
            raise EvalError(f"{spec.id} compares with a reference; pass --reference")
    for spec in frame_specs:
        result.metrics[spec.id] = Tally()
    needs_faces = settings.crop.mode == "aligned" or any(s.kind in ("landmarks", "identity") for s in frame_specs)
    index = -1
    for index, (g, r) in enumerate(_pairs(gen, ref)):
        result.frames_decoded = index + 1
        if sampling.done(index):
            break
        if not sampling.takes(index):
            continue
        result.frames_used += 1
        gf = facelib.detect(g, settings.upsample) if needs_faces else None
        rf = facelib.detect(r, settings.upsample) if needs_faces and r is not None else None
        face_problem = ("no face in generated frame" if isinstance(gf, facelib.NoFace) else
                        "no face in reference frame" if isinstance(rf, facelib.NoFace) else "")
        gv = _view(g, gf, settings.crop)
        rv = _view(r, rf, settings.crop) if r is not None else None
        for spec in set_specs:
            if gv is not None and rv is not None:
                models[spec.id].add(gv, rv)
            else:
                models[spec.id].dropped[face_problem] = models[spec.id].dropped.get(face_problem, 0) + 1
        for spec in frame_specs:
            tally = result.metrics[spec.id]
            value: float | None = None
            reason = ""
            if spec.kind in ("landmarks", "identity") or settings.crop.mode == "aligned":
                reason = face_problem if spec.kind != "single" or isinstance(gf, facelib.NoFace) else ""
            if not reason:
                assert gv is not None
                if spec.id == "psnr":
                    value = fidelity.psnr(gv, rv)  # type: ignore[arg-type]
                elif spec.record == "ssim":
                    value = fidelity.ssim(gv, rv, window=spec.id[5:-1])  # type: ignore[arg-type]
                elif spec.id == "cpbd":
                    value = cpbd(gv)
                elif spec.id == "brisque":
                    value = brisque(gv)
                elif spec.record == "lmd":
                    assert isinstance(gf, facelib.Face) and isinstance(rf, facelib.Face)
                    points, reduction = spec.id[4:-1].split(",")
                    value = landmarks.lmd(gf.points, rf.points, points, reduction)
                elif spec.id == "csim[dlib]":
                    assert isinstance(gf, facelib.Face) and isinstance(rf, facelib.Face) and r is not None
                    value = identity.cosine(facelib.embedding(g, gf), facelib.embedding(r, rf))
                elif spec.deep:
                    assert r is not None and rv is not None
                    value = models[spec.id](gv, rv, g, r, gf, rf)
            if value is None:
                tally.drop(reason or "not computed")
            elif math.isnan(value):
                tally.drop("undefined (NaN) on this frame")
                value = None
            else:
                tally.add(value)
            writer.row(item, index, spec.id, value, reason)
    for spec in set_specs:
        models[spec.id].end_video()
    if result.frames_decoded == 0:
        raise EvalError(f"{gen}: no frame could be decoded")
    if result.frames_used == 0:
        raise EvalError(f"{gen}: the frame sampling selects none of its {result.frames_decoded} frames")
    for spec in frame_specs:
        tally = result.metrics[spec.id]
        missing = sum(tally.dropped[r] for r in FACE_REASONS)
        if missing > settings.max_no_face * result.frames_used:
            side = "generated" if tally.dropped[FACE_REASONS[0]] >= tally.dropped[FACE_REASONS[1]] else "reference"
            raise EvalError(f"{spec.id}: no face found in {missing} of {result.frames_used} frames of {item} "
                            f"(mostly the {side} video); check that the videos show one frontal face, or raise "
                            "--max-no-face to score the rest anyway")
    return result


def set_tally(metric: Any) -> Tally:
    """The Tally of a set-level metric (FID, FVD) after every video was fed to it."""
    value, n_valid, extra = metric.result()
    tally = Tally(n_valid=n_valid, value=value, extra=extra)
    tally.dropped.update({reason: count for reason, count in metric.dropped.items() if count})
    tally.extra["reduction"] = f"one Fréchet distance over all {extra['unit']} of all videos"
    return tally


def merge(results: list[VideoResult], spec_id: str) -> Tally:
    """Aggregate over videos: the mean of the per-video values (each video weighs the same)."""
    merged = Tally()
    values = []
    for result in results:
        tally = result.metrics.get(spec_id)
        if tally is None:
            continue
        merged.n_valid += tally.n_valid
        merged.dropped.update(tally.dropped)
        value = tally.mean()
        if value is not None:
            values.append(value)
    merged.value = (math.inf if any(math.isinf(v) for v in values) else float(np.mean(values))) if values else None
    merged.extra["n_videos"] = len(values)
    merged.extra["reduction"] = "mean over videos of the per-video mean over valid frames"
    return merged
