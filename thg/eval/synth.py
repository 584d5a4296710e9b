"""A synthetic talking-head clip made entirely offline, for the demo, the tests and the benchmarks.

The face is scikit-image's astronaut photograph (Eileen Collins, a NASA image in the public domain, shipped
with scikit-image). Speech comes from espeak-ng (Debian) or, where speed matters, from a tone with a
syllable-rate envelope. In each frame the lower lip and jaw are pulled down in proportion to the loudness of
that frame's audio, and the gap is shaded as an open mouth, so mouth opening and loudness are correlated by
construction, with a known lag of zero.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thg.eval.errors import EvalError

FPS = 25
RATE = 16000
CROP = (120, 20, 320, 220)
"""The astronaut's head in the 512x512 photograph (left, top, right, bottom)."""
SENTENCE = ("Talking head generation turns a portrait and a voice into a speaking face. "
            "We measure it the same way every time, and we write the protocol down.")


def espeak(text: str = SENTENCE, rate: int = RATE, speed: int = 150) -> np.ndarray:
    """Speech from espeak-ng as mono float32 at `rate` Hz."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise EvalError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    from thg.eval.video import read_audio

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run([exe, "-s", str(speed), "-w", str(wav), text], check=True, capture_output=True)
        return read_audio(wav, rate)


def tone_speech(seconds: float, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """A 150 Hz buzz whose loudness rises and falls at syllable rate (3-6 Hz), with pauses: fast and deterministic."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    envelope = np.zeros_like(t)
    start = 0.2
    while start < seconds - 0.3:
        length = rng.uniform(0.12, 0.3)
        inside = (t >= start) & (t < start + length)
        envelope[inside] = np.sin(np.pi * (t[inside] - start) / length) * rng.uniform(0.4, 1.0)
        start += length + rng.uniform(0.03, 0.25)
    carrier = np.sign(np.sin(2 * np.pi * 150 * t)) * 0.3 + np.sin(2 * np.pi * 300 * t) * 0.2
    return (carrier * envelope).astype(np.float32)


def openings(audio: np.ndarray, fps: float = FPS, rate: int = RATE, lag: int = 0) -> np.ndarray:
    """Mouth opening in [0, 1] per frame from the RMS loudness of that frame's audio (optionally lagged)."""
    hop = rate / fps
    n = int(len(audio) / hop)
    rms = np.array([np.sqrt(np.mean(audio[round(i * hop):round((i + 1) * hop)] ** 2)) for i in range(n)])
    db = 20 * np.log10(np.maximum(rms, 1e-5))
    opening = np.clip((db + 45) / 35, 0, 1)
    if lag:
        opening = np.concatenate([np.zeros(lag), opening[:-lag]]) if lag > 0 else np.concatenate([opening[-lag:], np.zeros(-lag)])
    return np.asarray(opening)


@dataclass(frozen=True)
class Portrait:
    image: np.ndarray
    mouth: np.ndarray
    """The 20 mouth landmarks (48-67) on the still image."""


def portrait(size: int = 320) -> Portrait:
    """The astronaut's head, cropped and resized (PIL bicubic) to size x size, with its mouth landmarks."""
    from PIL import Image
    from skimage import data

    from thg.eval import face as facelib

    photo = data.astronaut()  # type: ignore[no-untyped-call]
    image = np.asarray(Image.fromarray(photo).crop(CROP).resize((size, size), Image.Resampling.BICUBIC))
    found = facelib.detect(image)
    if isinstance(found, facelib.NoFace):
        raise EvalError("no face found on the astronaut portrait; is dlib working?")
    return Portrait(image=image, mouth=found.points[48:68])


def open_mouth(p: Portrait, amount: float, max_px: float | None = None) -> np.ndarray:
    """The portrait with the jaw pulled down by `amount` (0-1) of max_px and the gap shaded as a mouth."""
    import cv2

    image = p.image
    h, w = image.shape[:2]
    mouth = p.mouth
    width = np.ptp(mouth[:, 0])
    max_px = max_px if max_px is not None else 0.35 * width
    shift = amount * max_px
    if shift < 0.05:
        return image.copy()
    cx = mouth[:, 0].mean()
    lip_line = (mouth[12:17, 1].mean() + mouth[16:20, 1].mean()) / 2  # between inner upper and inner lower lip
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    # below the lip line, pixels move down by `shift`, fading out sideways and further down the chin
    side = np.exp(-(((xs - cx) / (0.75 * width)) ** 4))
    below = np.clip((ys - lip_line) / 2.0, 0, 1) * np.exp(-np.clip(ys - lip_line - 1.2 * width, 0, None) / (0.6 * width))
    displacement = shift * side * below
    warped = cv2.remap(image, xs, (ys - displacement).astype(np.float32), interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    # the gap: an ellipse between the lips, dark red, as tall as the opening
    canvas = warped.copy()
    inner_w = max(np.ptp(mouth[12:20, 0]) / 2, 2)
    cv2.ellipse(canvas, (round(cx), round(lip_line + shift / 2)), (round(inner_w * 0.9), max(round(shift / 2), 1)),
                0, 0, 360, (70, 20, 25), -1, lineType=cv2.LINE_AA)
    return np.asarray(cv2.addWeighted(canvas, 0.85, warped, 0.15, 0))


def degrade(frame: np.ndarray, sigma: float = 1.2, noise: float = 3.0, seed: int = 0) -> np.ndarray:
    """A blurred, noisy copy (the 'generated' video in the demo)."""
    import cv2

    blurred = cv2.GaussianBlur(frame, (0, 0), sigma)
    rng = np.random.default_rng(seed)
    return np.clip(blurred + rng.normal(0, noise, frame.shape), 0, 255).astype(np.uint8)


def clip_frames(p: Portrait, opening: np.ndarray, degraded: bool = False) -> Iterator[np.ndarray]:
    for index, amount in enumerate(opening):
        frame = open_mouth(p, float(amount))
        yield degrade(frame, seed=index) if degraded else frame


def make_pair(folder: Path, audio: np.ndarray, size: int = 320, lag: int = 2, name: str = "clip") -> tuple[Path, Path]:
    """reference/<name>.mp4 (mouth follows the audio) and generated/<name>.mp4 (degraded, mouth `lag` frames late)."""
    from thg.eval.video import write_video

    p = portrait(size)
    ref = folder / "reference" / f"{name}.mp4"
    gen = folder / "generated" / f"{name}.mp4"
    write_video(ref, clip_frames(p, openings(audio)), FPS, audio=audio, audio_rate=RATE)
    write_video(gen, clip_frames(p, openings(audio, lag=lag), degraded=True), FPS, audio=audio, audio_rate=RATE)
    return gen, ref
