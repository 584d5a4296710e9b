"""Streamed video and audio I/O through PyAV (FFmpeg's libraries, bundled in the wheel).

Frames are decoded one at a time and handed on, so memory stays flat in clip length: nothing here
ever holds a whole video. Audio is resampled by FFmpeg's resampler (libswresample) to mono float.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from thg.eval.errors import EvalError


@dataclass(frozen=True)
class VideoInfo:
    """What a video file says about itself (container metadata; `frames` may be an estimate)."""

    path: str
    width: int
    height: int
    fps: float
    frames: int
    codec: str
    audio_rate: int | None
    audio_codec: str | None

    @property
    def has_audio(self) -> bool:
        return self.audio_rate is not None


def _open(path: str | Path) -> Any:
    import av

    if not Path(path).is_file():
        raise EvalError(f"{path}: no such file")
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: not a readable video or audio file ({exc})") from exc


def probe(path: str | Path) -> VideoInfo:
    """Read a video's size, frame rate, frame count and audio stream without decoding it."""
    with _open(path) as container:
        if not container.streams.video:
            raise EvalError(f"{path}: has no video stream")
        stream = container.streams.video[0]
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        if not rate:
            raise EvalError(f"{path}: the video stream states no frame rate")
        fps = float(rate)
        frames = int(stream.frames or 0)
        if frames == 0 and stream.duration and stream.time_base:
            frames = round(float(stream.duration * stream.time_base) * fps)
        audio = container.streams.audio[0] if container.streams.audio else None
        return VideoInfo(path=str(path), width=stream.codec_context.width, height=stream.codec_context.height,
                         fps=fps, frames=frames, codec=stream.codec_context.name,
                         audio_rate=audio.codec_context.sample_rate if audio else None,
                         audio_codec=audio.codec_context.name if audio else None)


def frames(path: str | Path) -> Iterator[np.ndarray]:
    """Every frame of the first video stream as an RGB uint8 array (H, W, 3), one at a time."""
    import av

    with _open(path) as container:
        if not container.streams.video:
            raise EvalError(f"{path}: has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        try:
            for frame in container.decode(stream):
                yield frame.to_ndarray(format="rgb24")
        except av.error.FFmpegError as exc:
            raise EvalError(f"{path}: decoding failed part-way ({exc})") from exc


def audio_chunks(path: str | Path, rate: int = 16000) -> Iterator[np.ndarray]:
    """The first audio stream, resampled to mono float32 at `rate` Hz, in decoder-sized chunks."""
    import av

    with _open(path) as container:
        if not container.streams.audio:
            raise EvalError(f"{path}: has no audio stream; pass the driving audio with --audio")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        for frame in container.decode(container.streams.audio[0]):
            for out in resampler.resample(frame):
                yield out.to_ndarray().reshape(-1)
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1)


def read_audio(path: str | Path, rate: int = 16000) -> np.ndarray:
    """The whole audio track as mono float32 (what SyncNet's MFCC front end reads in one go)."""
    chunks = list(audio_chunks(path, rate))
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def loudness(path: str | Path, fps: float, rate: int = 16000) -> np.ndarray:
    """RMS loudness in dBFS for each video frame's span of audio (rate / fps samples), streamed."""
    hop = rate / fps
    values: list[float] = []
    pending = np.zeros(0, np.float32)
    consumed = 0  # samples before `pending`
    for chunk in audio_chunks(path, rate):
        pending = np.concatenate([pending, chunk])
        while True:
            start = round(len(values) * hop) - consumed
            end = round((len(values) + 1) * hop) - consumed
            if end > len(pending):
                break
            window = pending[start:end]
            values.append(float(np.sqrt(np.mean(np.square(window, dtype=np.float64)))) if len(window) else 0.0)
        drop = max(0, round(len(values) * hop) - consumed)
        pending = pending[drop:]
        consumed += drop
    rms = np.asarray(values)
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-5)))


class VideoWriter:
    """Write RGB frames (and optionally mono audio) to an H.264 / AAC MP4 through PyAV's libx264."""

    def __init__(self, path: str | Path, fps: float, *, crf: int = 18, audio: np.ndarray | None = None,
                 audio_rate: int = 16000) -> None:
        import av

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._av = av
        self._container = av.open(str(self.path), "w")
        self._stream = self._container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        self._stream.pix_fmt = "yuv420p"
        self._stream.options = {"crf": str(crf), "preset": "medium"}
        self._audio = audio
        self._audio_rate = audio_rate
        self._audio_stream = None
        if audio is not None:
            self._audio_stream = self._container.add_stream("aac", rate=audio_rate)
            self._audio_stream.layout = "mono"
        self._opened = False

    def __enter__(self) -> VideoWriter:
        return self

    def write(self, frame: np.ndarray) -> None:
        if not self._opened:
            self._stream.width, self._stream.height = frame.shape[1], frame.shape[0]
            self._opened = True
        video_frame = self._av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
        for packet in self._stream.encode(video_frame):
            self._container.mux(packet)

    def _write_audio(self) -> None:
        stream = self._audio_stream
        if self._audio is None or stream is None:
            return
        samples = np.clip(self._audio, -1, 1).astype(np.float32)
        step = 1024
        for start in range(0, len(samples), step):
            block = samples[start:start + step].reshape(1, -1)
            frame = self._av.AudioFrame.from_ndarray(block, format="flt", layout="mono")
            frame.sample_rate = self._audio_rate
            frame.pts = start
            for packet in stream.encode(frame):
                self._container.mux(packet)
        for packet in stream.encode(None):
            self._container.mux(packet)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if kind is None:
                for packet in self._stream.encode(None):
                    self._container.mux(packet)
                self._write_audio()
        finally:
            self._container.close()


def write_video(path: str | Path, frame_iter: Iterator[np.ndarray], fps: float, *, crf: int = 18,
                audio: np.ndarray | None = None, audio_rate: int = 16000) -> int:
    """Encode frames (and audio) to `path`; returns the number of frames written."""
    count = 0
    with VideoWriter(path, fps, crf=crf, audio=audio, audio_rate=audio_rate) as writer:
        for frame in frame_iter:
            writer.write(frame)
            count += 1
    return count
