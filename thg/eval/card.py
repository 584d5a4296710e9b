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
from thg.eval.protocol import Plan
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


def build_card(run: Plan | None, specs: list[MetricSpec], settings: Settings, results: list[VideoResult],
               weights: dict[str, Any], deviations: list[str]) -> dict[str, Any]:
    """The card; a run under a protocol with any deviation is `custom`, based on that protocol."""
    record = run.record if run else None
    uses_faces = settings.crop.mode == "aligned" or any(s.kind in ("landmarks", "identity") for s in specs)
    first = results[0].info if results else {}
    gen_info = first.get("generated") or {}
    card: dict[str, Any] = {
        "protocol": record.id if record and not deviations else "custom",
        "based_on": record.id if record and deviations else None,
        "deviations": deviations,
        "not_computed": run.not_computed if run else None,
        "dataset": record.test_set.dataset if record else None,
        "reference": (record.reference.model_dump(mode="json", exclude_none=True) if record else
                      {"video": "the --reference video, frame by frame"}),
        "protocol_preprocessing": record.preprocessing.model_dump(mode="json", exclude_none=True) if record else None,
        "manifest": ({"file": str(run.manifest), "sha256": record.test_set.manifest.sha256}
                     if run and run.manifest and record and record.test_set.manifest else None),
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
        "frames": {"sampling": settings.frames.describe(), "used": sum(r.frames_used for r in results),
                   "videos": len(results)},
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
    """A `results:` table (thg.models.ResultTable): one column per metric id with its variant (`lmd[mouth,sum]`),
    and `protocol: {id: ...}` when the run followed a protocol record, so results pages group it with that
    protocol's other tables; otherwise the card's settings in the protocol's fields and notes."""
    followed = card["protocol"] if card["protocol"] != "custom" else None
    dataset = dataset or card.get("dataset")
    if not dataset:
        raise EvalError("--as-results-table needs --dataset ID (a dataset record id), or a protocol that names one")
    if followed and dataset != card.get("dataset"):
        raise EvalError(f"protocol {followed} is on dataset {card.get('dataset')}, not {dataset}: drop --dataset")
    if not source:
        raise EvalError("--as-results-table needs --source URL: where these numbers are published (paper, table)")
    values = {spec.id: number(aggregate[spec.id].mean()) for spec in specs if spec.id in aggregate}
    for key, value in values.items():
        if value == "inf":
            raise EvalError(f"{key} is infinite (identical frames); a results table cannot hold it")
    frames = card.get("frames", {})
    notes = (f"Computed with thg eval ({'protocol ' + followed if followed else 'custom run'}). "
             f"Detector: {card.get('detector', 'none')}. Landmarks: {card.get('landmark_model', 'none')}. "
             f"Alignment: {card.get('alignment')}. Resize: {card.get('resize')}. Codec {card.get('frame_codec')}, "
             f"{card.get('fps')} fps, audio {card.get('audio_rate')} Hz. Frames: {frames.get('sampling')}; "
             f"{frames.get('used')} used from {frames.get('videos')} video(s). Aggregate: mean over videos of "
             "per-video means over valid frames (FID and FVD: one distance over all frames or clips).")
    if card.get("deviations"):
        notes += f" Deviates from protocol {card.get('based_on')}: {'; '.join(card['deviations'])}."
    protocol: dict[str, Any] = {"id": followed} if followed else {}
    protocol.update({
        "stated": True,
        "setting": f"thg eval protocol {card['protocol']}",
        "resolution": card.get("resolution"),
        "face_crop": card.get("alignment"),
        "audio_source": (card.get("reference") or {}).get("audio"),
        "test_clips": frames.get("videos"),
        "notes": notes[:4000],
    })
    return {
        "id": table_id or _slug(f"thg-eval-{card['protocol']}"),
        "table": f"thg eval ({card['protocol']})",
        "source": source,
        "dataset": dataset,
        "protocol": {k: v for k, v in protocol.items() if v is not None},
        "rows": [{"method": method, "values": values}],
    }
