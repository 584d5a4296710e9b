# ruff: noqa: B023  (the lambdas are called inside the loop iteration that made them)
"""Frames per second per `thg eval` metric at 512x512 and 1080p, and against the reference implementations.

Frames per second are 1 / CPU seconds per frame (process time, all threads), medians of interleaved runs: on a
machine shared with other jobs, wall-clock ratios moved by 2x between runs; CPU-time ratios do not.

CPBD against the `cpbd` package (its import of scipy.ndimage.imread patched), SSIM and PSNR against
scikit-image, BRISQUE against the `brisque` package (its numpy-2 bug worked around), in one run.
Usage: python bench/eval_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import scipy.ndimage
from PIL import Image
from skimage import data
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from thg.eval.metrics.brisque import brisque
from thg.eval.metrics.cpbd import cpbd, to_gray
from thg.eval.metrics.fidelity import psnr, ssim
from thg.eval.synth import degrade


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of one call (all threads): unlike wall time, barely moved by other processes on a shared machine."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def timed_pair(ours: Callable[[], object], theirs: Callable[[], object], repeat: int, repeat_theirs: int) -> tuple[float, float]:
    """Medians of interleaved runs (ours, theirs, ours, ...), so a change of load hits both sides alike."""
    a: list[float] = []
    b: list[float] = []
    for index in range(max(repeat, repeat_theirs)):
        if index < repeat:
            a.append(cpu_seconds(ours))
        if index < repeat_theirs:
            b.append(cpu_seconds(theirs))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    scipy.ndimage.imread = lambda *a, **k: None  # cpbd 1.0.7 imports it at module level
    import brisque as brisque_package
    import cpbd as cpbd_package

    package = brisque_package.BRISQUE(url=False)
    features = package.calculate_brisque_features
    package.calculate_brisque_features = lambda *a, **k: np.array([np.asarray(f).item() for f in features(*a, **k)])
    photo = data.astronaut()
    print("| size | metric | thg eval | reference | speed-up |")
    print("|---|---|---:|---:|---:|")
    for label, size in (("512x512", (512, 512)), ("1080p", (1920, 1080))):
        reference = np.asarray(Image.fromarray(photo).resize(size, Image.Resampling.BICUBIC))
        generated = degrade(reference)
        gray = to_gray(generated)
        cases: list[tuple[str, Callable[[], object], Callable[[], object], str]] = [
            ("cpbd", lambda: cpbd(generated), lambda: cpbd_package.compute(to_gray(generated)), "cpbd 1.0.7"),
            ("psnr", lambda: psnr(generated, reference), lambda: peak_signal_noise_ratio(reference, generated), "scikit-image"),
            ("ssim[gaussian]", lambda: ssim(generated, reference),
             lambda: structural_similarity(reference, generated, channel_axis=2, gaussian_weights=True, sigma=1.5,
                                           use_sample_covariance=False, data_range=255), "scikit-image"),
            ("brisque", lambda: brisque(generated), lambda: package.score(generated), "brisque 0.2.0"),
        ]
        for name, ours, theirs, who in cases:  # each lambda runs inside this loop iteration
            a, b = timed_pair(ours, theirs, repeat, 2 if name == "cpbd" and size[0] > 1000 else repeat)
            print(f"| {label} | {name} | {1 / a:.1f} fps | {1 / b:.1f} fps ({who}) | {b / a:.1f}x |")
        assert abs(cpbd(generated) - cpbd_package.compute(gray)) < 1e-6
    sys.stdout.flush()


if __name__ == "__main__":
    main()
