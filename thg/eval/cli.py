"""`thg eval align|metrics|lipsync`: argument parsing only; the work is in thg.eval.commands.

Exit codes as the rest of thg: 0 ok, 1 input that cannot be evaluated (a clear message, no traceback),
2 usage error. Imports nothing heavy until a command runs, so `thg --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

OK, INVALID = 0, 1


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("eval", help="evaluate videos offline: align faces, compute metrics, plot lip sync")
    commands = parser.add_subparsers(dest="eval_command", required=True, metavar="EVAL_COMMAND")

    align = commands.add_parser("align", help="detect the face, take landmarks, similarity-align each frame")
    align.add_argument("video", type=Path)
    align.add_argument("--size", type=int, default=256, help="output size in pixels (default 256)")
    align.add_argument("--out", type=Path, default=Path("aligned"), help="output folder (default ./aligned)")
    align.add_argument("--write", choices=["video", "frames", "none"], default="video",
                       help="aligned.mp4 (default), frames/*.png, or landmarks only")
    align.add_argument("--upsample", type=int, default=1, help="dlib detector upsampling (default 1)")

    metrics = commands.add_parser("metrics", help="score generated videos against references, with a protocol card")
    metrics.add_argument("--generated", type=Path, help="a video, or a folder of videos (required)")
    metrics.add_argument("--reference", type=Path, help="the matching ground-truth video or folder (same file names)")
    metrics.add_argument("--protocol", help="protocol record id (protocols/<id>.yaml) or a protocol record file")
    metrics.add_argument("--manifest", type=Path,
                         help="your copy of the protocol's published manifest (checked against its sha256)")
    metrics.add_argument("--metrics", action="append", help="metric ids, comma-separated, e.g. psnr,ssim[gaussian],lmd[mouth,sum]")
    metrics.add_argument("--list-metrics", action="store_true", help="list the metric ids and exit")
    metrics.add_argument("--list-weights", action="store_true",
                         help="list the weight files deep metrics need, and whether --weights-dir holds them")
    metrics.add_argument("--crop", choices=["full", "aligned"], default=None, help="full frame (default) or aligned face")
    metrics.add_argument("--size", type=int, help="resize (full) or alignment size in pixels")
    metrics.add_argument("--resize", default=None, help="resize filter: pil-bicubic (default), cv2-bicubic, cv2-area, ...")
    metrics.add_argument("--start", type=int, default=None, help="first frame (default 0)")
    metrics.add_argument("--stride", type=int, default=None, help="use every Nth frame (default 1)")
    metrics.add_argument("--count", type=int, default=None, help="use at most N frames per video")
    metrics.add_argument("--upsample", type=int, default=1, help="dlib detector upsampling (default 1)")
    metrics.add_argument("--max-no-face", type=float, default=0.5,
                         help="share of frames without a face above which landmark metrics fail (default 0.5)")
    metrics.add_argument("--weights-dir", type=Path, help="folder with weights you bring (default $THG_WEIGHTS_DIR)")
    metrics.add_argument("--audio", type=Path, help="driving audio for LSE: a file (one generated video) or a folder "
                         "of files named like the videos (default: each video's own audio track)")
    metrics.add_argument("--out", type=Path, default=Path("eval-out"), help="output folder (default ./eval-out)")
    metrics.add_argument("--as-results-table", action="store_true",
                         help="also print a results: block for a paper record")
    metrics.add_argument("--method", default="thg eval run", help="row name in the results table")
    metrics.add_argument("--dataset", help="dataset record id for the results table")
    metrics.add_argument("--source", help="URL where these numbers are published, for the results table")

    lipsync = commands.add_parser("lipsync", help="plot mouth opening against audio loudness (PNG and SVG)")
    lipsync.add_argument("video", type=Path)
    lipsync.add_argument("--audio", type=Path, help="the driving audio (default: the video's own track)")
    lipsync.add_argument("--max-lag", type=int, default=15, help="lags to search, in frames (default 15)")
    lipsync.add_argument("--out", type=Path, default=Path("lipsync"), help="output folder (default ./lipsync)")


def run(args: argparse.Namespace, root: Path | None) -> int:
    from thg.eval.errors import EvalError

    try:
        return _run(args, root)
    except EvalError as exc:
        print(f"thg eval: {exc}", file=sys.stderr)
        return INVALID


def _run(args: argparse.Namespace, root: Path | None) -> int:
    from thg.eval.errors import require

    for module in ("numpy", "av", "dlib", "skimage"):
        require(module)
    from thg.eval import commands

    if args.eval_command == "align":
        commands.align(args.video, args.out, args.size, args.upsample, args.write)
        return OK
    if args.eval_command == "lipsync":
        from thg.eval.lipsync import analyse, plot

        result = analyse(args.video, args.audio, max_lag=args.max_lag)
        paths = plot(result, args.out, f"Lip sync: {args.video.name}")
        print(f"best lag {result.lag:+d} frames ({1000 * result.lag / result.fps:+.0f} ms), r = {result.r:.3f}; "
              f"wrote {', '.join(str(p) for p in paths)}")
        return OK
    return _metrics(args, root)


def _metrics(args: argparse.Namespace, root: Path | None) -> int:
    from thg.eval import commands
    from thg.eval.catalog import CATALOG
    from thg.eval.errors import EvalError
    from thg.eval.protocol import Crop, Sampling

    if args.list_metrics:
        for mid, spec in CATALOG.items():
            print(f"{mid:<20} {spec.record:<8} {'deep (torch, your weights)' if spec.deep else 'offline':<28} {spec.source}")
        return OK
    if args.list_weights:
        from thg.eval.weights import REGISTRY, locate

        for entry in REGISTRY.values():
            try:
                state = locate(entry.name, args.weights_dir)[1][entry.filename]["status"]
            except EvalError as exc:
                state = "missing" if "not found" in str(exc) else str(exc)
            digest = entry.sha256 or (f"{entry.sha256_prefix}... (from the file name)" if entry.sha256_prefix
                                      else "none public")
            print(f"{entry.filename:<28} {', '.join(entry.metrics):<40} {state}\n    published: {entry.published}\n"
                  f"    sha256: {digest}\n    known answer: {entry.known_answer}")
        return OK
    if args.generated is None:
        raise EvalError("pass --generated VIDEO (or a folder), and --reference for full-reference metrics")
    crop = Crop(mode=args.crop or "full", size=args.size, resize=args.resize or "pil-bicubic")
    given = {"--crop": args.crop, "--size": args.size, "--resize": args.resize, "--start": args.start,
             "--stride": args.stride, "--count": args.count}
    overrides = [f"{flag} {value}" for flag, value in given.items() if value is not None]
    sampling = None
    if any(v is not None for v in (args.start, args.stride, args.count)):
        sampling = Sampling(start=args.start or 0, stride=1 if args.stride is None else args.stride, count=args.count)
        if sampling.stride < 1 or sampling.start < 0 or (sampling.count is not None and sampling.count < 1):
            raise EvalError("--start must be >= 0, --stride and --count >= 1")
    weights_dir = args.weights_dir or (Path(os.environ["THG_WEIGHTS_DIR"]) if os.environ.get("THG_WEIGHTS_DIR") else None)
    report = commands.metrics(args.generated, args.reference, protocol_name=args.protocol, metric_ids=args.metrics,
                              crop=crop, frames=sampling, upsample=args.upsample, max_no_face=args.max_no_face,
                              out=args.out, weights_dir=weights_dir, root=root, overrides=overrides,
                              manifest=args.manifest, audio=args.audio)
    if args.as_results_table:
        import yaml

        from thg.eval.card import results_table
        from thg.models import ResultTable

        table = results_table(report["card"], report["_aggregate_tallies"], report["_specs"], method=args.method,
                              dataset=args.dataset, source=args.source)
        ResultTable.model_validate(table, strict=False)
        print(yaml.safe_dump({"results": [table]}, sort_keys=False, allow_unicode=True, width=100), end="")
    return OK
