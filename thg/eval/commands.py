"""What `thg eval align|metrics|lipsync` do, between argument parsing (thg.eval.cli) and the stages."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from thg.eval import face as facelib
from thg.eval import video
from thg.eval.catalog import DEFAULT_METRICS, MetricSpec, parse
from thg.eval.errors import EvalError
from thg.eval.protocol import Crop, Protocol, Sampling, load_protocol, pre_run_check
from thg.eval.run import FrameWriter, Settings, Tally, VideoResult, evaluate_video, merge, number

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v"}


def _pairs_from_paths(generated: Path, reference: Path | None) -> list[tuple[str, Path, Path | None]]:
    if generated.is_dir():
        gens = sorted(p for p in generated.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        if not gens:
            raise EvalError(f"{generated}: no video files ({', '.join(sorted(VIDEO_SUFFIXES))})")
        if reference is None:
            return [(p.stem, p, None) for p in gens]
        if not reference.is_dir():
            raise EvalError(f"--generated {generated} is a folder, so --reference must be one too")
        missing = [p.name for p in gens if not (reference / p.name).is_file()]
        if missing:
            raise EvalError(f"no reference for {len(missing)} generated video(s) in {reference}: {', '.join(missing[:10])}")
        return [(p.stem, p, reference / p.name) for p in gens]
    if not generated.is_file():
        raise EvalError(f"{generated}: no such file")
    return [(generated.stem, generated, reference)]


def metrics(generated: Path, reference: Path | None, *, protocol_name: str | None, metric_ids: list[str] | None,
            crop: Crop, frames: Sampling, upsample: int, max_no_face: float, out: Path, weights_dir: Path | None,
            root: Path | None, stdout: TextIO = sys.stdout) -> dict[str, Any]:
    """Score generated videos against references; write metrics.json, metrics.csv, frames.csv, card.json."""
    from thg.eval.card import build_card

    protocol: Protocol | None = load_protocol(protocol_name, root) if protocol_name else None
    specs: list[MetricSpec] = (parse(metric_ids) if metric_ids else list(protocol.metrics) if protocol
                               else parse(list(DEFAULT_METRICS)))
    if protocol is not None:
        if reference is None or not reference.is_dir() or not generated.is_dir():
            raise EvalError("with --protocol, --generated and --reference are folders holding the protocol's items")
        pairs: list[tuple[str, Path, Path | None]] = [(i.id, g, r) for i, g, r in pre_run_check(protocol, reference, generated)]
    else:
        pairs = _pairs_from_paths(generated, reference)
    settings = Settings(crop=crop, frames=frames, upsample=upsample, max_no_face=max_no_face, weights_dir=weights_dir)
    deep_specs = [s for s in specs if s.deep]
    if deep_specs:
        from thg.eval.deep import require_torch

        require_torch([s.id for s in deep_specs])
    out.mkdir(parents=True, exist_ok=True)
    results: list[VideoResult] = []
    weights: dict[str, Any] = {}
    with (out / "frames.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = FrameWriter(handle)
        for item, gen, ref in pairs:
            result = evaluate_video(item, gen, ref, specs, settings, writer)
            for spec in deep_specs:
                from thg.eval.deep import video_metric

                tally, used = video_metric(spec, gen, ref, settings)
                result.metrics[spec.id] = tally
                weights.update(used)
            results.append(result)
    aggregate = {spec.id: merge(results, spec.id) for spec in specs}
    card = build_card(protocol, specs, settings, results, weights)
    report: dict[str, Any] = {"card": card,
              "aggregate": {mid: tally.as_dict() for mid, tally in aggregate.items()},
              "videos": [{"item": r.item, "generated": r.generated, "reference": r.reference,
                          "frames_decoded": r.frames_decoded, "frames_used": r.frames_used,
                          "metrics": {mid: t.as_dict() for mid, t in r.metrics.items()}} for r in results]}
    (out / "metrics.json").write_text(json.dumps(report, indent=2, allow_nan=False), encoding="utf-8")
    (out / "card.json").write_text(json.dumps(card, indent=2, allow_nan=False), encoding="utf-8")
    _write_summary(out / "metrics.csv", results, aggregate)
    _print_summary(stdout, card, aggregate, out)
    report["_aggregate_tallies"] = aggregate
    report["_specs"] = list(specs)
    return report


def _reasons(tally: Tally) -> str:
    return "; ".join(f"{reason}: {count}" for reason, count in sorted(tally.dropped.items()))


def _write_summary(path: Path, results: list[VideoResult], aggregate: dict[str, Tally]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["scope", "video", "metric", "value", "n_valid", "n_dropped", "dropped_reasons"])
        for result in results:
            for mid, tally in result.metrics.items():
                writer.writerow(["video", result.item, mid, number(tally.mean()), tally.n_valid, tally.n_dropped,
                                 _reasons(tally)])
        for mid, tally in aggregate.items():
            writer.writerow(["aggregate", "", mid, number(tally.mean()), tally.n_valid, tally.n_dropped, _reasons(tally)])


def _print_summary(stdout: TextIO, card: dict[str, Any], aggregate: dict[str, Tally], out: Path) -> None:
    stdout.write(f"protocol: {card['protocol']}" + (f" (deviates from {card['based_on']})" if card.get("based_on") else "")
                 + f"; {card['frames']['videos']} video(s), {card['frames']['used']} frame(s)\n")
    width = max(len(m) for m in aggregate)
    for mid, tally in aggregate.items():
        value = tally.mean()
        shown = "n/a" if value is None else "inf" if np.isinf(value) else f"{value:.4f}"
        dropped = f"  dropped {tally.n_dropped} ({_reasons(tally)})" if tally.n_dropped else ""
        stdout.write(f"  {mid:<{width}}  {shown:>10}  n_valid {tally.n_valid}{dropped}\n")
    stdout.write(f"wrote {out / 'metrics.json'}, metrics.csv, frames.csv, card.json\n")


def align(path: Path, out: Path, size: int, upsample: int, write: str, stdout: TextIO = sys.stdout) -> dict[str, Any]:
    """Similarity-align every frame to the template; frames or a video, landmarks.npz, missing-face list."""
    info = video.probe(path)
    out.mkdir(parents=True, exist_ok=True)
    points, boxes, matrices, found, missing = [], [], [], [], []
    writer = video.VideoWriter(out / "aligned.mp4", info.fps) if write == "video" else None
    if write == "frames":
        (out / "frames").mkdir(exist_ok=True)
    blank = np.zeros((size, size, 3), np.uint8)
    count = 0
    try:
        for index, frame in enumerate(video.frames(path)):
            count += 1
            detected = facelib.detect(frame, upsample)
            if isinstance(detected, facelib.NoFace):
                missing.append((index, detected.reason))
                points.append(np.full((68, 2), np.nan))
                boxes.append((-1, -1, -1, -1))
                matrices.append(np.full((2, 3), np.nan))
                found.append(False)
                crop = blank
            else:
                crop, matrix = facelib.align(frame, detected, size)
                points.append(detected.points)
                boxes.append(detected.box)
                matrices.append(matrix)
                found.append(True)
                if detected.faces_in_frame > 1:
                    missing.append((index, f"note: {detected.faces_in_frame} faces, the largest was used"))
            if writer is not None:
                writer.write(crop)
            elif write == "frames":
                from PIL import Image

                Image.fromarray(crop).save(out / "frames" / f"{index:06d}.png")
    finally:
        if writer is not None:
            writer.__exit__(None, None, None)
    if count == 0:
        raise EvalError(f"{path}: no frame could be decoded")
    np.savez_compressed(out / "landmarks.npz", points=np.asarray(points), boxes=np.asarray(boxes),
                        matrices=np.asarray(matrices), found=np.asarray(found), size=size, fps=info.fps,
                        template=facelib.template(size))
    with (out / "missing.csv").open("w", encoding="utf-8", newline="") as handle:
        csv_writer = csv.writer(handle, lineterminator="\n")
        csv_writer.writerow(["frame", "reason"])
        csv_writer.writerows(missing)
    no_face = sum(1 for f in found if not f)
    stdout.write(f"{count} frames, face found in {count - no_face}; aligned to {size}x{size}; wrote "
                 f"{out / ('aligned.mp4' if write == 'video' else 'frames')}, landmarks.npz, missing.csv\n")
    stdout.write("note: dlib's 68-point model was trained on iBUG 300-W, whose licence excludes commercial use\n")
    if no_face:
        stdout.write(f"no face in {no_face} frame(s); see missing.csv\n")
    return {"frames": count, "no_face": no_face}
