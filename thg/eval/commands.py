"""What `thg eval align|metrics|lipsync` do, between argument parsing (thg.eval.cli) and the stages."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from thg.eval import face as facelib
from thg.eval import video
from thg.eval.catalog import DEFAULT_METRICS, MetricSpec, parse
from thg.eval.errors import EvalError
from thg.eval.protocol import VIDEO_SUFFIXES, Crop, Item, Plan, Sampling, load_protocol, plan, pre_run_check
from thg.eval.run import FrameWriter, Settings, Tally, VideoResult, evaluate_video, merge, number, set_tally


def _pairs_from_paths(generated: Path, reference: Path | None) -> list[tuple[str, Path, Path | None]]:
    if generated.is_dir():
        gens = sorted(p for p in generated.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        if not gens:
            raise EvalError(f"{generated}: no video files ({', '.join(VIDEO_SUFFIXES)})")
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


def _protocol_pairs(protocol_name: str, root: Path | None, asked: list[MetricSpec] | None, generated: Path,
                    reference: Path | None, manifest: Path | None,
                    overrides: list[str]) -> tuple[Plan, list[tuple[str, Path, Path | None, Item | None]], list[str]]:
    """Read the protocol record, plan the run, and run the pre-run check: (plan, pairs, deviations)."""
    if not generated.is_dir() or (reference is not None and not reference.is_dir()):
        raise EvalError("with --protocol, --generated (and --reference) are folders holding the protocol's items")
    run = plan(load_protocol(protocol_name, root), asked, manifest, [d for d in (reference, generated) if d is not None])
    deviations = run.deviations + [f"{flag} given on the command line overrides the protocol" for flag in overrides]
    checked = pre_run_check(run, generated, reference)
    if run.items is None and run.manifest is None:
        return run, [(i, g, r, None) for i, g, r in _pairs_from_paths(generated, reference)], deviations
    return run, [(item.id, g, r, item) for item, g, r in checked], deviations


def _item_settings(settings: Settings, item: Item | None, path: Path) -> Settings:
    """A protocol item's time range (seconds) as a frame window of its video."""
    if item is None or (item.start is None and item.end is None):
        return settings
    fps = video.probe(path).fps
    first = round((item.start or 0) * fps)
    end = None if item.end is None else round(item.end * fps)
    return replace(settings, frames=replace(settings.frames, first=first, end=end))


def _driving_audio(audio: Path | None, generated: Path, videos: int) -> Path | None:
    """The --audio file for one generated video: the file itself, or the file named like the video in a folder."""
    if audio is None:
        return None
    if audio.is_dir():
        matches = sorted(p for p in audio.iterdir() if p.stem == generated.stem and p.is_file())
        if not matches:
            raise EvalError(f"{audio}: no audio file named {generated.stem}.* for {generated}")
        return matches[0]
    if not audio.is_file():
        raise EvalError(f"{audio}: no such audio file or folder")
    if videos > 1:
        raise EvalError(f"--audio {audio} is one file for {videos} videos: pass a folder of files named like the videos")
    return audio


def _load_deep(specs: list[MetricSpec], weights_dir: Path | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Networks of the per-frame and set-level deep metrics, loaded once: (models by metric id, weights card)."""
    models: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    deep_specs = [s for s in specs if s.deep]
    if not deep_specs:
        return models, weights
    from thg.eval.deep import frame_scorer, require_torch, set_metric

    require_torch([s.id for s in deep_specs])
    for spec in deep_specs:
        if spec.kind == "set":
            models[spec.id], used = set_metric(spec, weights_dir)
        elif spec.kind != "video":
            models[spec.id], used = frame_scorer(spec, weights_dir)
        else:
            continue
        weights.update(used)
    return models, weights


def metrics(generated: Path, reference: Path | None, *, protocol_name: str | None, metric_ids: list[str] | None,
            crop: Crop, frames: Sampling | None, upsample: int, max_no_face: float, out: Path, weights_dir: Path | None,
            root: Path | None, overrides: list[str] | None = None, manifest: Path | None = None,
            audio: Path | None = None, stdout: TextIO = sys.stdout) -> dict[str, Any]:
    """Score generated videos against references; write metrics.json, metrics.csv, frames.csv, card.json.

    `frames` None means the protocol's sampling (every frame without a protocol); `overrides` names the command
    line options that change what a protocol fixes (each makes the run `custom`).
    """
    from thg.eval.card import build_card

    asked = parse(metric_ids) if metric_ids else None
    run: Plan | None = None
    deviations: list[str] = []
    if protocol_name:
        run, pairs, deviations = _protocol_pairs(protocol_name, root, asked, generated, reference, manifest,
                                                 overrides or [])
        specs = run.specs
        if not specs:
            raise EvalError(f"protocol {run.record.id}: thg eval implements none of its metric variants "
                            f"({', '.join(run.record.metric_keys()) or 'none defined'}); pass --metrics for a custom run")
        frames = frames or run.sampling
    else:
        specs = asked or parse(list(DEFAULT_METRICS))
        pairs = [(i, g, r, None) for i, g, r in _pairs_from_paths(generated, reference)]
        frames = frames or Sampling()
    settings = Settings(crop=crop, frames=frames, upsample=upsample, max_no_face=max_no_face, weights_dir=weights_dir)
    models, weights = _load_deep(specs, weights_dir)
    out.mkdir(parents=True, exist_ok=True)
    results: list[VideoResult] = []
    with (out / "frames.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = FrameWriter(handle)
        for item_id, gen, ref, item in pairs:
            item_settings = replace(_item_settings(settings, item, gen), audio=_driving_audio(audio, gen, len(pairs)))
            result = evaluate_video(item_id, gen, ref, specs, item_settings, writer, models)
            for spec in (s for s in specs if s.kind == "video"):
                from thg.eval.deep import video_metric

                tally, used = video_metric(spec, gen, ref, item_settings)
                result.metrics[spec.id] = tally
                weights.update(used)
            results.append(result)
    aggregate = {spec.id: set_tally(models[spec.id]) if spec.kind == "set" else merge(results, spec.id) for spec in specs}
    card = build_card(run, specs, settings, results, weights, deviations)
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
