"""LSE-D and LSE-C (Prajwal et al., ACM MM 2020) through SyncNet (Chung and Zisserman, ACCV-W 2016).

Re-implemented from joonson/syncnet_python at commit 6efbb1c305c23f47a62b09cf4215a8ac45e97d49 (MIT):
`SyncNetModel.py` (the network; module names kept so the published `syncnet_v2.model` state dict loads),
`SyncNetInstance.py` (`evaluate`, `calc_pdist`) and `run_pipeline.py` (the tracked face crop).

- Input: 25 fps video, 16 kHz mono audio as 16-bit integers; 13 MFCCs per 10 ms
  (`python_speech_features.mfcc` defaults), so 4 MFCC steps per video frame.
- Windows: 5 frames (224x224, BGR, 0-255, no normalisation) against 20 MFCC steps; windows start at
  frames 0 .. min_length - 6, min_length = min(frames, floor(samples / 640)).
- Offsets tau = -vshift..vshift (vshift 15: 31 offsets), audio features zero-padded at both ends; D(tau) is
  the mean over windows of the Euclidean distance (torch pairwise_distance, eps 1e-6).
- LSE-D = min D(tau); LSE-C = median D(tau) - min D(tau); AV offset = vshift - argmin.

Variants: `full-frame` resizes the whole frame to 224x224 (OpenCV bilinear), as Wav2Lip does for LRS
clips; `tracked` follows run_pipeline.py's crop (box side s = max(w, h) / 2 median-filtered over 13
frames, crop [cy - s, cy + s(1 + 2c)] x [cx - s(1 + c), cx + s(1 + c)] with crop_scale c = 0.40 on a frame
padded with grey 110, resized to 224) and its minimum track of more than 100 detected frames. The
detector differs: dlib's HOG detector here, S3FD there (its weights are not in a package); the card says so.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from thg.eval import video
from thg.eval.catalog import MetricSpec
from thg.eval.errors import EvalError

FPS, RATE, WINDOW, MFCC_STEPS, VSHIFT, MIN_TRACK, CROP_SCALE = 25, 16000, 5, 20, 15, 100, 0.40


def _block(kind: str, cin: int, cout: int, kernel: tuple[int, ...], stride: Any = 1, padding: Any = 0) -> list[Any]:
    import torch.nn as nn

    conv: Any = nn.Conv2d if kind == "2d" else nn.Conv3d
    norm: Any = nn.BatchNorm2d if kind == "2d" else nn.BatchNorm3d
    return [conv(cin, cout, kernel_size=kernel, stride=stride, padding=padding), norm(cout), nn.ReLU(inplace=True)]


def build_model() -> Any:
    """SyncNet's two streams with the layer order of SyncNetModel.S, so state-dict keys line up."""
    import torch.nn as nn

    class SyncNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.netcnnaud = nn.Sequential(
                *_block("2d", 1, 64, (3, 3), 1, 1), nn.MaxPool2d((1, 1), (1, 1)),
                *_block("2d", 64, 192, (3, 3), 1, 1), nn.MaxPool2d((3, 3), (1, 2)),
                *_block("2d", 192, 384, (3, 3), 1, 1), *_block("2d", 384, 256, (3, 3), 1, 1),
                *_block("2d", 256, 256, (3, 3), 1, 1), nn.MaxPool2d((3, 3), (2, 2)),
                *_block("2d", 256, 512, (5, 4), 1, 0))
            self.netfcaud = nn.Sequential(nn.Linear(512, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 1024))
            self.netfclip = nn.Sequential(nn.Linear(512, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 1024))
            self.netcnnlip = nn.Sequential(
                *_block("3d", 3, 96, (5, 7, 7), (1, 2, 2), 0), nn.MaxPool3d((1, 3, 3), (1, 2, 2)),
                *_block("3d", 96, 256, (1, 5, 5), (1, 2, 2), (0, 1, 1)), nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1)),
                *_block("3d", 256, 256, (1, 3, 3), 1, (0, 1, 1)), *_block("3d", 256, 256, (1, 3, 3), 1, (0, 1, 1)),
                *_block("3d", 256, 256, (1, 3, 3), 1, (0, 1, 1)), nn.MaxPool3d((1, 3, 3), (1, 2, 2)),
                *_block("3d", 256, 512, (1, 6, 6), 1, 0))

        def forward_aud(self, x: Any) -> Any:
            return self.netfcaud(self.netcnnaud(x).flatten(1))

        def forward_lip(self, x: Any) -> Any:
            return self.netfclip(self.netcnnlip(x).flatten(1))

    return SyncNet()


def load_model(path: Path) -> Any:
    """The network with the weights in `path` (a state dict saved by torch.save), in eval mode on the CPU."""
    from thg.eval.deep.loading import load_into, state_dict

    return load_into(build_model(), state_dict(path), path, "SyncNet weights")


def mfcc(audio: np.ndarray) -> np.ndarray:
    """(13, steps) MFCCs of float audio in [-1, 1], read as 16-bit integers like scipy's wavfile."""
    import python_speech_features

    samples = np.clip(np.round(audio * 32768), -32768, 32767).astype(np.int16)
    return np.asarray(python_speech_features.mfcc(samples, RATE)).T


def offsets(video_feats: np.ndarray, audio_feats: np.ndarray, vshift: int = VSHIFT) -> np.ndarray:
    """D(tau) for tau = -vshift..vshift: calc_pdist then the mean over windows (index k is tau = k - vshift)."""
    n = len(video_feats)
    padded = np.concatenate([np.zeros((vshift, audio_feats.shape[1])), audio_feats, np.zeros((vshift, audio_feats.shape[1]))])
    dists = np.empty((n, 2 * vshift + 1))
    for i in range(n):
        diff = video_feats[i][None, :] - padded[i:i + 2 * vshift + 1] + 1e-6  # pairwise_distance's eps
        dists[i] = np.sqrt((diff**2).sum(1))
    return np.asarray(dists.mean(0))


def scores(mean_dists: np.ndarray, vshift: int = VSHIFT) -> dict[str, float]:
    best = int(np.argmin(mean_dists))
    return {"offset": vshift - best, "lse_d": float(mean_dists[best]),
            "lse_c": float(np.median(mean_dists) - mean_dists[best])}


def _full_frames(path: Path) -> Iterator[np.ndarray]:
    import cv2

    for frame in video.frames(path):
        yield cv2.resize(frame[:, :, ::-1], (224, 224))


def _tracked_frames(path: Path, settings: Any) -> tuple[Iterator[np.ndarray], int, int]:
    """run_pipeline.py's crop around one face track; (frames, first frame, track length)."""
    import cv2
    from scipy.signal import medfilt

    from thg.eval import face as facelib

    boxes: list[tuple[int, tuple[int, int, int, int]]] = []
    for index, frame in enumerate(video.frames(path)):
        found = facelib.detect(frame, settings.upsample)
        if isinstance(found, facelib.Face):
            boxes.append((index, found.box))
    if len(boxes) <= MIN_TRACK:
        raise EvalError(f"{path}: a face was found in {len(boxes)} frames; the tracked LSE variant needs a track of "
                        f"more than {MIN_TRACK} frames (run_pipeline.py's min_track); use the full-frame variant")
    frames_idx = np.array([b[0] for b in boxes])
    coords = np.array([b[1] for b in boxes], dtype=np.float64)
    first, last = int(frames_idx[0]), int(frames_idx[-1])
    span = np.arange(first, last + 1)
    interp = np.stack([np.interp(span, frames_idx, coords[:, k]) for k in range(4)], 1)
    size = medfilt(np.maximum(interp[:, 3] - interp[:, 1], interp[:, 2] - interp[:, 0]) / 2, 13)
    cy = medfilt((interp[:, 1] + interp[:, 3]) / 2, 13)
    cx = medfilt((interp[:, 0] + interp[:, 2]) / 2, 13)

    def crops() -> Iterator[np.ndarray]:
        for index, frame in enumerate(video.frames(path)):
            if index < first or index > last:
                continue
            k = index - first
            bs = size[k]
            pad = int(bs * (1 + 2 * CROP_SCALE))
            padded = np.pad(frame[:, :, ::-1], ((pad, pad), (pad, pad), (0, 0)), "constant", constant_values=110)
            my, mx = cy[k] + pad, cx[k] + pad
            face = padded[int(my - bs):int(my + bs * (1 + 2 * CROP_SCALE)),
                          int(mx - bs * (1 + CROP_SCALE)):int(mx + bs * (1 + CROP_SCALE))]
            yield cv2.resize(face, (224, 224))

    return crops(), first, last - first + 1


def evaluate(model: Any, frames: Iterator[np.ndarray], audio: np.ndarray, n_frames: int, batch: int = 20) -> dict[str, Any]:
    """Embed every 5-frame window and its 20 MFCC steps (streamed), then score the offsets."""
    import torch

    coefficients = mfcc(audio)
    min_length = min(n_frames, math.floor(len(audio) / 640))
    last = min_length - WINDOW
    if last < 1:
        raise EvalError(f"{min_length} frames with audio is too short for LSE: a 5-frame window needs at least 6 "
                        "(and a clip several seconds long for a stable score)")
    window: deque[np.ndarray] = deque(maxlen=WINDOW)
    video_feats, audio_feats, pending = [], [], []
    with torch.no_grad():
        for index, frame in enumerate(frames):
            window.append(frame.astype(np.float32))
            start = index - WINDOW + 1
            if start < 0:
                continue
            if start >= last:
                break
            pending.append((start, np.stack(window, axis=1)))  # (H, 5, W, 3) -> rearranged below
            if len(pending) == batch or start == last - 1:
                clips = torch.from_numpy(np.stack([p[1] for p in pending])).permute(0, 4, 2, 1, 3).contiguous()
                video_feats.append(model.forward_lip(clips).numpy())
                cc = np.stack([coefficients[:, s * 4:s * 4 + MFCC_STEPS] for s, _ in pending])[:, None]
                audio_feats.append(model.forward_aud(torch.from_numpy(cc.astype(np.float32))).numpy())
                pending = []
    vf, af = np.concatenate(video_feats).astype(np.float64), np.concatenate(audio_feats).astype(np.float64)
    result = scores(offsets(vf, af))
    result["windows"] = len(vf)
    return result


def lse_tally(spec: MetricSpec, path: Path, settings: Any) -> tuple[Any, dict[str, Any]]:
    from thg.eval.run import Tally
    from thg.eval.weights import locate

    info = video.probe(path)
    if abs(info.fps - FPS) > 1e-3:
        raise EvalError(f"{path} runs at {info.fps:g} fps; SyncNet expects 25 fps: re-encode it (ffmpeg -r 25)")
    source_audio = settings.audio or path
    if settings.audio is None and not info.has_audio:
        raise EvalError(f"{path} has no audio stream; LSE needs the driving audio")
    weights_path, card = locate("syncnet_v2", settings.weights_dir)
    model = load_model(weights_path)
    audio = video.read_audio(source_audio, RATE)
    if spec.id.endswith("[tracked]"):
        frames, first, count = _tracked_frames(path, settings)
        audio = audio[first * 640:(first + count) * 640]
    else:
        frames, count = _full_frames(path), info.frames
    result = evaluate(model, frames, audio, count)
    tally = Tally()
    tally.value = result["lse_d"] if spec.record == "lse-d" else result["lse_c"]
    tally.n_valid = result["windows"]
    tally.extra["av_offset"] = result["offset"]
    return tally, card
