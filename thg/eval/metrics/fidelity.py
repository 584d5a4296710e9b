"""PSNR and SSIM on RGB uint8 frames (data range 255), as scikit-image defines them.

SSIM follows Wang, Bovik, Sheikh and Simoncelli (IEEE TIP 2004) with scikit-image's conventions
(`skimage.metrics.structural_similarity`): per channel, averaged over channels, borders of half a window
cropped before the mean. Two variants, because papers use both and they differ by several points:

- `gaussian`: 11x11 Gaussian window, sigma 1.5, population covariance (Wang et al.'s `ssim_index.m`);
  `structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`.
- `uniform`: 7x7 box window, sample covariance: scikit-image's defaults.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

K1, K2 = 0.01, 0.03
DATA_RANGE = 255.0


def psnr(generated: np.ndarray, reference: np.ndarray) -> float:
    r"""Peak signal-to-noise ratio in dB: :math:`10\log_{10}(255^2/\mathrm{MSE})`, MSE over all pixels and channels.

    Identical frames give +inf (as scikit-image's `peak_signal_noise_ratio`).
    """
    mse = float(np.mean((generated.astype(np.float64) - reference.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10.0 * math.log10(DATA_RANGE**2 / mse)


def ssim(generated: np.ndarray, reference: np.ndarray, window: str = "gaussian") -> float:
    r"""Mean structural similarity, averaged over the colour channels.

    :math:`\mathrm{SSIM}=\frac{(2\mu_x\mu_y+C_1)(2\sigma_{xy}+C_2)}{(\mu_x^2+\mu_y^2+C_1)(\sigma_x^2+\sigma_y^2+C_2)}`,
    :math:`C_1=(0.01\cdot255)^2`, :math:`C_2=(0.03\cdot255)^2`, local statistics under the window.
    """
    if window == "gaussian":
        size = 11

        def smooth(x: np.ndarray) -> np.ndarray:
            return np.asarray(ndimage.gaussian_filter(x, sigma=1.5, truncate=3.5, mode="reflect"))

        cov_norm = 1.0
    elif window == "uniform":
        size = 7

        def smooth(x: np.ndarray) -> np.ndarray:
            return np.asarray(ndimage.uniform_filter(x, size=size, mode="reflect"))

        cov_norm = size * size / (size * size - 1.0)
    else:
        raise ValueError(f"unknown SSIM window {window!r}; use gaussian or uniform")
    c1, c2 = (K1 * DATA_RANGE) ** 2, (K2 * DATA_RANGE) ** 2
    pad = (size - 1) // 2
    values = []
    for channel in range(generated.shape[2] if generated.ndim == 3 else 1):
        x = (generated[..., channel] if generated.ndim == 3 else generated).astype(np.float64)
        y = (reference[..., channel] if reference.ndim == 3 else reference).astype(np.float64)
        ux, uy = smooth(x), smooth(y)
        vx = cov_norm * (smooth(x * x) - ux * ux)
        vy = cov_norm * (smooth(y * y) - uy * uy)
        vxy = cov_norm * (smooth(x * y) - ux * uy)
        s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
        values.append(float(s[pad:s.shape[0] - pad, pad:s.shape[1] - pad].mean()))
    return float(np.mean(values))
