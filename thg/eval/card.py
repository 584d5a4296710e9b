"""The protocol card written beside every run, and the `results:` block it turns into.

The card says everything that changes a number: protocol id (or `custom`), detector, landmark model and
point indices, normalisation and reduction, alignment template, resolution with the resize library and
filter, frame codec, fps and audio rate, weights with their sha256, package versions and frames used.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
import re
from typing import Any

from thg.eval import face as facelib
from thg.eval.catalog import MetricSpec
from thg.eval.errors import EvalError
from thg.eval.protocol import Protocol
from thg.eval.resize import DESCRIPTIONS
from thg.eval.run import Settings, Tally, VideoResult, number

PACKAGES = ("thg", "numpy", "scipy", "scikit-image", "pillow", "av", "dlib-bin", "face-recognition-models",
            "opencv-python-headless", "brisque", "libsvm-official", "torch")


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def deviations(protocol: Protocol | None, specs: list[MetricSpec], settings: Settings) -> list[str]:
    """How a run differs from the protocol it names; any difference makes the run `custom`."""
    if protocol is None:
        return []
    out = []
    extra = [s.id for s in specs if s not in protocol.metrics]
    if extra:
        out.append(f"metrics not in the protocol: {', '.join(extra)}")
    if settings.crop != protocol.crop:
        out.append(f"crop {settings.crop} instead of {protocol.crop}")
    if settings.frames != protocol.frames:
        out.append(f"frame sampling {settings.frames} instead of {protocol.frames}")
    return out


def build_card(protocol: Protocol | None, specs: list[MetricSpec], settings: Settings, results: list[VideoResult],
               weights: dict[str, Any]) -> dict[str, Any]:
    differs = deviations(protocol, specs, settings)
    uses_faces = settings.crop.mode == "aligned" or any(s.kind in ("landmarks", "identity") for s in specs)
    first = results[0].info if results else {}
    gen_info = first.get("generated") or {}
    card: dict[str, Any] = {
        "protocol": protocol.id if protocol and not differs else "custom",
        "based_on": protocol.id if protocol and differs else None,
        "deviations": differs,
        "dataset": protocol.dataset if protocol else None,
        "reference": (protocol.reference if protocol else {}) or {"video": "the --reference video, frame by frame"},
        "metrics": {s.id: {"record": s.record, "implementation": s.module, "follows": s.source, **s.settings}
                    for s in specs},
        "detector": (f"{facelib.DETECTOR}, upsample {settings.upsample}, largest face per frame"
                     if uses_faces else None),
        "landmark_model": facelib.LANDMARK_MODEL if uses_faces else None,
        "landmark_points": {"mouth": "48-67", "face": "0-67",
                            "five_point": "mean 36-41, mean 42-47, 30, 48, 54"} if uses_faces else None,
        "normalisation": "LMD: each landmark set centred on its own centroid; no scale normalisation"
                         if any(s.record == "lmd" for s in specs) else None,
        "alignment": (f"five-point similarity (Umeyama) to the ArcFace template scaled to "
                      f"{settings.crop.size or 256} px, OpenCV warpAffine INTER_LINEAR"
                      if settings.crop.mode == "aligned" else "none (full frame)"),
        "resolution": (f"{settings.crop.size}x{settings.crop.size}" if settings.crop.size else
                       f"{gen_info.get('width')}x{gen_info.get('height')} (as decoded)"),
        "resize": DESCRIPTIONS[settings.crop.resize] if settings.crop.size and settings.crop.mode == "full" else
                  "none" if settings.crop.mode == "full" else "part of the alignment warp",
        "frame_codec": gen_info.get("codec"),
        "fps": gen_info.get("fps"),
        "audio_rate": gen_info.get("audio_rate"),
        "frames": {"start": settings.frames.start, "stride": settings.frames.stride, "count": settings.frames.count,
                   "used": sum(r.frames_used for r in results), "videos": len(results)},
        "weights": {**(facelib.model_files() if uses_faces else {}), **weights},
        "packages": package_versions(),
        "date": dt.date.today().isoformat(),
        "licence_note": ("dlib's 68-point landmark model was trained on iBUG 300-W, whose licence excludes "
                         "commercial use" if uses_faces else None),
    }
    return {key: value for key, value in card.items() if value not in (None, [], {})}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "thg-eval"


def results_table(card: dict[str, Any], aggregate: dict[str, Tally], specs: list[MetricSpec], *, method: str,
                  dataset: str | None, source: str | None, table_id: str | None = None) -> dict[str, Any]:
    """A `results:` table (thg.models.ResultTable) carrying the card's settings in its protocol."""
    if not dataset:
        raise EvalError("--as-results-table needs --dataset ID (a dataset record id), or a protocol that names one")
    if not source:
        raise EvalError("--as-results-table needs --source URL: where these numbers are published (paper, table)")
    records: dict[str, str] = {}
    for spec in specs:
        if spec.record in records:
            raise EvalError(f"{records[spec.record]} and {spec.id} both report metric {spec.record}; a results "
                            "table holds one variant per metric: run --as-results-table with one of them")
        records[spec.record] = spec.id
    values = {spec.record: number(aggregate[spec.id].mean()) for spec in specs if spec.id in aggregate}
    for key, value in values.items():
        if value == "inf":
            raise EvalError(f"{key} is infinite (identical frames); a results table cannot hold it")
    variants = "; ".join(f"{record} = {mid}" for record, mid in records.items())
    frames = card.get("frames", {})
    notes = (f"Computed with thg eval. Metric variants: {variants}. Detector: {card.get('detector', 'none')}. "
             f"Landmarks: {card.get('landmark_model', 'none')}. Alignment: {card.get('alignment')}. "
             f"Resize: {card.get('resize')}. Codec {card.get('frame_codec')}, {card.get('fps')} fps, audio "
             f"{card.get('audio_rate')} Hz. Frames used: {frames.get('used')} from {frames.get('videos')} video(s). "
             f"Aggregate: mean over videos of per-video means over valid frames.")
    if card.get("deviations"):
        notes += f" Deviates from protocol {card.get('based_on')}: {'; '.join(card['deviations'])}."
    protocol = {
        "stated": True,
        "setting": f"thg eval protocol {card['protocol']}",
        "resolution": card.get("resolution"),
        "face_crop": card.get("alignment"),
        "audio_source": (card.get("reference") or {}).get("audio"),
        "test_clips": frames.get("videos"),
        "notes": notes[:4000],
    }
    return {
        "id": table_id or _slug(f"thg-eval-{card['protocol']}"),
        "table": f"thg eval ({card['protocol']})",
        "source": source,
        "dataset": dataset,
        "protocol": {k: v for k, v in protocol.items() if v is not None},
        "rows": [{"method": method, "values": values}],
    }
