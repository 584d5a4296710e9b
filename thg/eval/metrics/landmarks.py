r"""LMD, the landmark distance, with the point set and the reduction over points as explicit parameters.

For one frame, with generated landmarks :math:`\hat p_i` and reference landmarks :math:`p_i` over the
point set :math:`P`, each set first centred on its own centroid:

.. math:: d = \mathop{\mathrm{reduce}}_{i\in P} \lVert (\hat p_i-\bar{\hat p}) - (p_i-\bar p) \rVert_2,
   \qquad \mathrm{LMD} = \frac{1}{N}\sum_{\text{frames}} d

Two sources define it, a factor |P| apart:

- ``sum`` (the LMD authors): lelechen63/ATVGnet, ``code/evaluation_matrix.py`` at commit
  8b7d4c8445cee4a44ca7c1334605007319817053, ``generating_landmark_lips`` (dlib 68 points, mouth
  48-67, centroid = sum / 20, subtracted) and ``compare_landmarks`` (per-point Euclidean distance
  summed over the 20 points, then averaged over frames). A frame missing a face on either side is
  skipped.
- ``mean`` (RAD-NeRF): ashawkey/RAD-NeRF, ``nerf/utils.py`` at commit
  4cb8fc6da986cbcfe690190303a5a5c95530746b, ``LMDMeter.update`` (mouth 48:68 or all 68 points,
  centroid = mean, distance averaged over points, then over frames).

Both read dlib's 68 points; this module takes any (68, 2) arrays.
"""

from __future__ import annotations

import numpy as np

POINTS = {"mouth": slice(48, 68), "face": slice(0, 68)}
REDUCTIONS = ("sum", "mean")


def lmd(generated: np.ndarray, reference: np.ndarray, points: str = "mouth", reduction: str = "sum") -> float:
    """LMD of one frame pair; `points` is mouth (48-67) or face (0-67), `reduction` sum or mean."""
    if points not in POINTS:
        raise ValueError(f"unknown LMD point set {points!r}; use mouth or face")
    if reduction not in REDUCTIONS:
        raise ValueError(f"unknown LMD reduction {reduction!r}; use sum or mean")
    gen = np.asarray(generated, dtype=np.float64)[POINTS[points]]
    ref = np.asarray(reference, dtype=np.float64)[POINTS[points]]
    gen = gen - gen.mean(axis=0)
    ref = ref - ref.mean(axis=0)
    distances = np.sqrt(((gen - ref) ** 2).sum(axis=1))
    return float(distances.sum() if reduction == "sum" else distances.mean())
