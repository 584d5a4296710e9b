"""`thg eval lipsync`: mouth opening against audio loudness over time, with the best-lag correlation.

Mouth opening per frame is the inner-lip aspect ratio from dlib's 68 points:
mean(|p61-p67|, |p62-p66|, |p63-p65|) / |p60-p64| (0 closed, about 0.5-0.8 wide open), independent of
face size. Loudness is the RMS level (dBFS) of each frame's span of audio, 1/fps seconds. Both series are
standardised and cross-correlated over lags of -max_lag..max_lag frames; a positive best lag means the
mouth moves after the sound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thg.eval import face as facelib
from thg.eval import video
from thg.eval.errors import EvalError


def mouth_opening(points: np.ndarray) -> float:
    vertical = (np.linalg.norm(points[61] - points[67]) + np.linalg.norm(points[62] - points[66])
                + np.linalg.norm(points[63] - points[65])) / 3
    width = np.linalg.norm(points[60] - points[64])
    return float(vertical / width) if width > 0 else float("nan")


def best_lag(mouth: np.ndarray, loud: np.ndarray, max_lag: int) -> tuple[int, float, np.ndarray]:
    """Pearson correlation of mouth[t] with loud[t - lag] for each lag; (best lag, its r, all r)."""
    n = min(len(mouth), len(loud))
    m, a = mouth[:n], loud[:n]
    lags = np.arange(-max_lag, max_lag + 1)
    rs = np.full(len(lags), np.nan)
    for k, lag in enumerate(lags):
        shift = int(lag)
        x = m[max(shift, 0):n + min(shift, 0)]
        y = a[max(-shift, 0):n - max(shift, 0)]
        ok = ~(np.isnan(x) | np.isnan(y))
        if ok.sum() > 3 and np.std(x[ok]) > 0 and np.std(y[ok]) > 0:
            rs[k] = np.corrcoef(x[ok], y[ok])[0, 1]
    if np.all(np.isnan(rs)):
        raise EvalError("mouth opening or loudness is constant (or no face was found); nothing to correlate")
    best = int(np.nanargmax(rs))
    return int(lags[best]), float(rs[best]), rs


@dataclass
class LipsyncResult:
    fps: float
    mouth: np.ndarray
    loudness: np.ndarray
    lag: int
    r: float
    correlations: np.ndarray
    max_lag: int
    strip: list[tuple[int, np.ndarray]]
    missing: int


def analyse(path: Path, audio: Path | None = None, max_lag: int = 15, strip_frames: int = 8,
            upsample: int = 1) -> LipsyncResult:
    info = video.probe(path)
    if audio is None and not info.has_audio:
        raise EvalError(f"{path} has no audio stream; pass the driving audio with --audio FILE")
    wanted = set(np.linspace(0, max(info.frames - 1, 0), strip_frames).round().astype(int).tolist()) if info.frames else set()
    opening, strip, missing = [], [], 0
    for index, frame in enumerate(video.frames(path)):
        found = facelib.detect(frame, upsample)
        if isinstance(found, facelib.NoFace):
            opening.append(np.nan)
            missing += 1
            continue
        opening.append(mouth_opening(found.points))
        if index in wanted:
            mouth = found.points[48:68]
            cx, cy = mouth.mean(0)
            half = max(np.ptp(mouth[:, 0]), 1) * 0.9
            y0, y1 = int(max(cy - half * 0.75, 0)), int(min(cy + half * 0.75, frame.shape[0]))
            x0, x1 = int(max(cx - half, 0)), int(min(cx + half, frame.shape[1]))
            strip.append((index, frame[y0:y1, x0:x1].copy()))
    if len(opening) < 2 * max_lag + 4:
        raise EvalError(f"{path}: {len(opening)} frames is too short for lags of +-{max_lag} frames")
    if missing > len(opening) / 2:
        raise EvalError(f"{path}: no face found in {missing} of {len(opening)} frames")
    loud = video.loudness(audio or path, info.fps)
    mouth = np.asarray(opening)
    lag, r, rs = best_lag(mouth, loud, max_lag)
    return LipsyncResult(info.fps, mouth, loud, lag, r, rs, max_lag, strip, missing)


def pyplot() -> Any:
    """matplotlib's pyplot, headless, with SVG element ids fixed so that a re-run writes identical files."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "thg"
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, svg: Path) -> list[Path]:
    """Write `svg` (undated, so reproducible) and a PNG beside it, and free the figure."""
    png = svg.with_suffix(".png")
    fig.savefig(png, dpi=110)
    fig.savefig(svg, metadata={"Date": None})
    pyplot().close(fig)
    return [png, svg]


def plot(result: LipsyncResult, out: Path, title: str) -> list[Path]:
    """Three panels: the two series over time, correlation against lag, and the frame strip. PNG and SVG."""
    plt = pyplot()
    out.mkdir(parents=True, exist_ok=True)
    fig = plt.figure(figsize=(10, 7), layout="constrained")
    grid = fig.add_gridspec(3, max(len(result.strip), 1), height_ratios=[2.2, 1.4, 1])
    ax = fig.add_subplot(grid[0, :])
    t = np.arange(len(result.mouth)) / result.fps
    ax.plot(t, result.mouth, color="#3949ab", label="mouth opening (inner-lip aspect ratio)")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("mouth opening")
    ax2 = ax.twinx()
    tl = np.arange(len(result.loudness)) / result.fps
    ax2.plot(tl, result.loudness, color="#e65100", alpha=0.8, label="loudness (dBFS)")
    ax2.set_ylabel("loudness (dBFS)")
    ax.set_title(title)
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [str(line.get_label()) for line in lines], loc="upper right", fontsize=8)
    axc = fig.add_subplot(grid[1, :])
    lags = np.arange(-result.max_lag, result.max_lag + 1)
    axc.bar(lags, result.correlations, color="#7986cb")
    axc.axvline(result.lag, color="#b71c1c", linestyle="--")
    axc.set_xlabel("lag (frames; positive: mouth after sound)")
    axc.set_ylabel("Pearson r")
    axc.set_title(f"best lag {result.lag:+d} frames ({1000 * result.lag / result.fps:+.0f} ms), r = {result.r:.2f}")
    for k, (index, crop) in enumerate(result.strip):
        axs = fig.add_subplot(grid[2, k])
        axs.imshow(crop)
        axs.set_axis_off()
        axs.set_title(f"{index / result.fps:.2f} s", fontsize=8)
    paths = save_figure(fig, out / "lipsync.svg")
    data = {"fps": result.fps, "best_lag_frames": result.lag, "best_lag_ms": 1000 * result.lag / result.fps,
            "r": result.r, "frames_without_face": result.missing,
            "mouth_opening": [None if np.isnan(v) else round(float(v), 5) for v in result.mouth],
            "loudness_dbfs": [round(float(v), 3) for v in result.loudness]}
    (out / "lipsync.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return [*paths, out / "lipsync.json"]
