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
clips; `tracked` follows run_pipeline.py (read at commit 1fbfc081bda41f27aab51c0fbaa0e5e337126cf3):
`track_shot` links detections into tracks (IoU > 0.5 with the track's last box, at most num_failed_det = 25
frames apart, longer than min_track = 100 frames, boxes linearly interpolated over gaps, mean box side above
min_face_size = 100 px), and `crop_video` crops each track (box side s = max(w, h) / 2 and centre
median-filtered over 13 frames, crop [cy - s, cy + s(1 + 2c)] x [cx - s(1 + c), cx + s(1 + c)] with
crop_scale c = 0.40 on a frame padded with grey 110, resized to 224) and cuts the audio to the track.

What differs from run_pipeline.py, and is written on the card (`catalog.TRACKED_DEVIATIONS`): the detector is dlib's
HOG detector on the full frame, not S3FD (confidence 0.9 at facedet_scale 0.25), whose weights no package
ships; there is no shot detection (PySceneDetect's ContentDetector): the whole clip is one shot; of the
tracks found, the longest is scored, where run_pipeline.py crops every track; and frames are read as decoded,
without run_pipeline.py's re-encode to MPEG-4 (qscale 2), JPEG frame files and XVID crop files.
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
NUM_FAILED_DET, MIN_FACE_SIZE, IOU_THRESHOLD, SMOOTHING = 25, 100, 0.5, 13
Box = tuple[float, float, float, float]


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


def _window(path: Path, first: int, end: int | None) -> Iterator[np.ndarray]:
    """Frames first .. end - 1 (a protocol item's time range), streamed."""
    for index, frame in enumerate(video.frames(path)):
        if end is not None and index >= end:
            return
        if index >= first:
            yield frame


def _full_frames(path: Path, first: int, end: int | None) -> Iterator[np.ndarray]:
    import cv2

    for frame in _window(path, first, end):
        yield cv2.resize(frame[:, :, ::-1], (224, 224))


def iou(a: Box, b: Box) -> float:
    """run_pipeline.py's bb_intersection_over_union (boxes as left, top, right, bottom)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return inter / float((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def face_tracks(detections: list[list[Box]], *, num_failed_det: int = NUM_FAILED_DET, min_track: int = MIN_TRACK,
                min_face_size: float = MIN_FACE_SIZE) -> list[tuple[np.ndarray, np.ndarray]]:
    """run_pipeline.py's track_shot over one shot: (frame indices, interpolated boxes) per kept track.

    `detections[i]` holds the boxes found in frame i. The loop is transcribed with its quirks: a box taken
    from a frame is removed while that frame's list is being walked (so the box after it is not looked at in
    this pass), and the pass goes on to the next frame after a box that does not overlap enough.
    """
    remaining = [list(frame) for frame in detections]
    tracks = []
    while True:
        track: list[tuple[int, Box]] = []
        for index, frame_faces in enumerate(remaining):
            for face in frame_faces:  # removing while iterating, as track_shot does
                if not track:
                    track.append((index, face))
                    frame_faces.remove(face)
                elif index - track[-1][0] <= num_failed_det:
                    if iou(face, track[-1][1]) > IOU_THRESHOLD:
                        track.append((index, face))
                        frame_faces.remove(face)
                        continue
                else:
                    break
        if not track:
            break
        if len(track) > min_track:
            frame_numbers = np.array([f for f, _ in track])
            boxes = np.array([b for _, b in track], dtype=np.float64)
            span = np.arange(frame_numbers[0], frame_numbers[-1] + 1)
            interpolated = np.stack([np.interp(span, frame_numbers, boxes[:, k]) for k in range(4)], 1)
            if max(np.mean(interpolated[:, 2] - interpolated[:, 0]), np.mean(interpolated[:, 3] - interpolated[:, 1])) \
                    > min_face_size:
                tracks.append((span, interpolated))
    return tracks


def crop_windows(boxes: np.ndarray) -> np.ndarray:
    """crop_video's smoothed (size, centre y, centre x) per frame of a track, from its boxes."""
    from scipy.signal import medfilt

    size = np.maximum(boxes[:, 3] - boxes[:, 1], boxes[:, 2] - boxes[:, 0]) / 2
    cy, cx = (boxes[:, 1] + boxes[:, 3]) / 2, (boxes[:, 0] + boxes[:, 2]) / 2
    return np.stack([medfilt(v, kernel_size=SMOOTHING) for v in (size, cy, cx)], 1)


def crop(frame_bgr: np.ndarray, size: float, cy: float, cx: float) -> np.ndarray:
    """crop_video's 224x224 face crop of one BGR frame."""
    import cv2

    pad = int(size * (1 + 2 * CROP_SCALE))
    padded = np.pad(frame_bgr, ((pad, pad), (pad, pad), (0, 0)), "constant", constant_values=(110, 110))
    my, mx = cy + pad, cx + pad
    face = padded[int(my - size):int(my + size * (1 + 2 * CROP_SCALE)),
                  int(mx - size * (1 + CROP_SCALE)):int(mx + size * (1 + CROP_SCALE))]
    return np.asarray(cv2.resize(face, (224, 224)))


def _tracked_frames(path: Path, settings: Any, window_first: int, window_end: int | None
                    ) -> tuple[Iterator[np.ndarray], int, int, int]:
    """The crops of the longest face track in the window; (frames, first frame in the window, track length, tracks)."""
    from thg.eval import face as facelib

    detections = [[(float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1 in facelib.boxes(frame, settings.upsample)]
                  for frame in _window(path, window_first, window_end)]
    found = face_tracks(detections) if len(detections) >= MIN_TRACK else []
    if not found:
        detected = sum(1 for d in detections if d)
        raise EvalError(f"{path}: no face track for the tracked LSE variant (faces in {detected} of {len(detections)} "
                        f"frames); run_pipeline.py keeps tracks of more than {MIN_TRACK} frames, gaps of at most "
                        f"{NUM_FAILED_DET}, IoU above {IOU_THRESHOLD} and boxes wider than {MIN_FACE_SIZE} px on "
                        "average; use the full-frame variant")
    span, boxes = max(found, key=lambda track: len(track[0]))
    windows = crop_windows(boxes)
    first, last = int(span[0]), int(span[-1])

    def crops() -> Iterator[np.ndarray]:
        for index, frame in enumerate(_window(path, window_first, window_end)):
            if first <= index <= last:
                yield crop(frame[:, :, ::-1], *windows[index - first])

    return crops(), first, last - first + 1, len(found)


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
    window_first, window_end = settings.frames.first, settings.frames.end
    available = info.frames if window_end is None else min(window_end, info.frames)
    audio = audio[window_first * 640:]
    extra: dict[str, Any] = {"frames": f"every frame {window_first}..{available - 1} (consecutive: LSE ignores "
                                       "--start, --stride and --count)"}
    if spec.id.endswith("[tracked]"):
        frames, first, count, n_tracks = _tracked_frames(path, settings, window_first, window_end)
        audio = audio[first * 640:(first + count) * 640]
        extra["track"] = {"first_frame": window_first + first, "frames": count, "tracks_found": n_tracks}
    else:
        frames, count = _full_frames(path, window_first, window_end), max(0, available - window_first)
    result = evaluate(model, frames, audio, count)
    tally = Tally()
    tally.value = result["lse_d"] if spec.record == "lse-d" else result["lse_c"]
    tally.n_valid = result["windows"]
    tally.extra["av_offset"] = result["offset"]
    tally.extra.update(extra)
    tally.extra["audio"] = "the video's own track" if settings.audio is None else str(settings.audio)
    return tally, card
