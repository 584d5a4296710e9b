"""Speed of the deep metrics (thg.eval.deep) on the CPU, with random weights of the published layouts.

Random weights cost the same arithmetic as real ones, so these are the speeds you get with your own files
(FID's Inception and FVD's I3D are TorchScript files we cannot build here, so only their Fréchet step is
timed: ours, by two symmetric eigendecompositions, against clean-fid's scipy.linalg.sqrtm, on the same
2048-d statistics). CPU seconds (all threads), medians of interleaved runs.
Usage: python bench/eval_deep_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch
from scipy import linalg

from thg.eval.deep import lpips, syncnet
from thg.eval.deep.arcface import build_model
from thg.eval.deep.stats import frechet_distance


def cpu(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def clean_fid_frechet(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    covmean = linalg.sqrtm(s1.dot(s2)).real  # cleanfid/fid.py frechet_distance
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("| metric | input | thg eval |")
    print("|---|---|---:|")
    frames = torch.rand(2, 3, 256, 256) * 2 - 1
    for net in ("alex", "vgg"):
        trunk = lpips.build_trunk(net).eval()
        with torch.no_grad():
            seconds = cpu(lambda: lpips.features(trunk, frames, net), repeat)  # noqa: B023
        print(f"| lpips[{net}] | a 256x256 frame pair | {1 / seconds:.1f} pairs/s |")
    for arch in ("r50", "r100"):
        model = build_model(arch).eval()
        faces = torch.rand(2, 3, 112, 112)
        with torch.no_grad():
            seconds = cpu(lambda: model(faces), repeat)  # noqa: B023
        print(f"| csim[arcface-{arch}] | a 112x112 face pair | {1 / seconds:.1f} pairs/s |")
    model = syncnet.build_model().eval()
    clips, mfcc = torch.rand(20, 3, 5, 224, 224) * 255, torch.rand(20, 1, 13, 20)
    with torch.no_grad():
        seconds = cpu(lambda: (model.forward_lip(clips), model.forward_aud(mfcc)), repeat)
    print(f"| lse-d / lse-c | 20 windows of 5 frames (224x224) | {20 / seconds:.1f} windows/s (about 1 per frame) |")
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4096, 2048)), rng.normal(size=(4096, 2048)) * 1.1 + 0.1
    mu1, s1, mu2, s2 = a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False)
    ours = cpu(lambda: frechet_distance(mu1, s1, mu2, s2), repeat)
    theirs = cpu(lambda: clean_fid_frechet(mu1, s1, mu2, s2), 1)
    print(f"| fid / fvd Fréchet step | 2048-d statistics | {ours:.1f} s (scipy sqrtm, as clean-fid: {theirs:.1f} s, "
          f"{theirs / ours:.1f}x) |")
    print(f"agreement: {frechet_distance(mu1, s1, mu2, s2):.6f} vs {clean_fid_frechet(mu1, s1, mu2, s2):.6f}")


if __name__ == "__main__":
    main()
