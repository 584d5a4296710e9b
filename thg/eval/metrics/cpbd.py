"""CPBD, the cumulative probability of blur detection (Narvekar and Karam, IEEE TIP 2011), vectorised.

Follows the `cpbd` package (PyPI `cpbd` 1.0.7, `cpbd/compute.py` and `cpbd/octave.py`, itself a port of
the authors' MATLAB code) step by step, with its per-pixel Python loops replaced by array operations:

1. Canny edges (scikit-image, sigma 1) mark edge blocks: 64x64 blocks with more than 0.2 % edge pixels.
2. Octave-style Sobel edges (vertical kernel, threshold 2*sqrt(mean strength^2), simple thinning) give
   the pixels whose edge width is measured.
3. Width (Marziliano et al.): for gradient angles quantised to 0 or +-180 degrees, count the strictly
   monotone run of intensities to the left and to the right of the pixel (each side capped at 101), reading
   only the pixels of each run.
4. In each edge block, the just-noticeable width is 5 (contrast <= 50) or 3; the probability of blur
   detection is 1 - exp(-|w / w_JNB|^3.6), rounded to a percent; CPBD is the share of edges whose
   probability is at most 63 %.

Higher is sharper, in [0, 1]. Input: a greyscale image (0-255) as the package reads it (PIL mode "L").
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.ndimage import correlate1d

THRESHOLD = 0.002
BETA = 3.6
BLOCK = 64
MAX_MARGIN = 100


def to_gray(frame: np.ndarray) -> np.ndarray:
    """RGB uint8 -> greyscale 0-255 as PIL's convert("L") (ITU-R 601-2 luma, integer-rounded)."""
    if frame.ndim == 2:
        return frame.astype(np.float64)
    from PIL import Image

    return np.asarray(Image.fromarray(frame).convert("L"), dtype=np.float64)


def _octave_sobel(image: np.ndarray) -> np.ndarray:
    # convolve(image, _SOBEL.T) as two 1-D passes. On integer-valued input (what the package reads) every sum
    # is an exact integer, so integer slicing gives the same floats bit for bit, faster; /8 is exact in binary.
    if np.array_equal(image, np.floor(image)) and np.abs(image).max(initial=0) < 2**20:
        padded = np.pad(image.astype(np.int32), 1, mode="symmetric")  # scipy.ndimage's default mode "reflect"
        vertical = padded[:-2] + 2 * padded[1:-1] + padded[2:]
        strength = np.square((vertical[:, :-2] - vertical[:, 2:]) / 8.0)
    else:
        strength = np.square(correlate1d(correlate1d(image, [1.0, 2.0, 1.0], axis=0), [1.0, 0.0, -1.0], axis=1) / 8.0)
    strength[strength <= 2 * np.sqrt(np.mean(strength))] = 0
    # a pixel above both horizontal neighbours, or above both vertical ones (zero outside the image)
    x = strength > 0
    x[:, 1:] &= strength[:, 1:] > strength[:, :-1]
    x[:, :-1] &= strength[:, :-1] > strength[:, 1:]
    y = strength > 0
    y[1:, :] &= strength[1:, :] > strength[:-1, :]
    y[:-1, :] &= strength[:-1, :] > strength[1:, :]
    return np.asarray(x | y)


@functools.cache
def _bleed_over(shape: tuple[int, int], sigma: float) -> np.ndarray:
    """scikit-image canny's `gaussian(ones) + eps` (mode constant), from a 17x17 ones image, bit for bit.

    With a 9-tap kernel (sigma 1, truncate 4) a pixel's value depends only on how far it is from each border,
    up to 8: rows and columns 8 or more from both borders share one value, so a 17x17 image holds every value
    the full image has, summed in the same order.
    """
    from scipy.ndimage import gaussian_filter

    def index(n: int) -> tuple[int, np.ndarray]:
        if n <= 17:
            return n, np.arange(n)
        return 17, np.concatenate([np.arange(8), np.full(n - 16, 8), np.arange(9, 17)])

    (h, rows), (w, cols) = index(shape[0]), index(shape[1])
    small = gaussian_filter(np.ones((h, w)), sigma, mode="constant", cval=0.0, truncate=4.0) + np.finfo(np.float64).eps
    full = np.asarray(small[np.ix_(rows, cols)])
    full.flags.writeable = False  # cached: one per frame size
    return full


def canny(image: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    """`skimage.feature.canny(image)` with its defaults (sigma 1, thresholds 0.1 / 0.2, mode constant), bit for bit,
    minus two of its eight full-image filter passes (the bleed-over of a ones mask, see `_bleed_over`) and a
    `np.unique`. tests/test_eval.py checks the edges are identical to scikit-image's."""
    from scipy import ndimage as ndi
    from skimage.feature._canny_cy import _nonmaximum_suppression_bilinear

    smoothed = ndi.gaussian_filter(np.asarray(image, dtype=np.float64), sigma, mode="constant", cval=0.0, truncate=4.0)
    smoothed /= _bleed_over((image.shape[0], image.shape[1]), sigma)
    eroded_mask = np.zeros(image.shape, dtype=bool)
    eroded_mask[1:-1, 1:-1] = True
    jsobel = ndi.sobel(smoothed, axis=1)
    isobel = ndi.sobel(smoothed, axis=0)
    magnitude = isobel * isobel
    magnitude += jsobel * jsobel
    np.sqrt(magnitude, out=magnitude)
    low_masked = _nonmaximum_suppression_bilinear(isobel, jsobel, magnitude, eroded_mask, 0.1)
    low_mask = np.asarray(low_masked) > 0
    labels, count = ndi.label(low_mask, np.ones((3, 3), bool))
    if count == 0:
        return low_mask
    good_label = np.zeros((count + 1,), bool)
    good_label[labels[low_mask & (np.asarray(low_masked) >= 0.2)]] = True
    good_label[0] = False  # label 0 is the background; high pixels are never in it
    return np.asarray(good_label[labels])


def _run_lengths(image: np.ndarray, rows: np.ndarray, start: np.ndarray, step: np.ndarray,
                 sign: np.ndarray) -> np.ndarray:
    """For each (row, start, step, sign): how many consecutive differences image[r, k + 1] - image[r, k] with
    k = start, start + step, ... have the sign `sign` (at most MAX_MARGIN; none where k leaves the row).

    Only the pixels of each run are read: runs are short (a few pixels on real edges), so a loop over the run
    position with a shrinking set of still-running edges costs far less than run lengths for the whole image.
    """
    last = image.shape[1] - 2
    steps = np.sign(np.diff(image, axis=1)).astype(np.int8)  # steps[r, k]: sign of image[r, k + 1] - image[r, k]
    lengths = np.zeros(len(rows), dtype=np.int64)
    active = np.flatnonzero((start >= 0) & (start <= last))
    k = start.copy()
    for _ in range(MAX_MARGIN):
        if not active.size:
            break
        active = active[steps[rows[active], k[active]] == sign[active]]
        lengths[active] += 1
        k[active] += step[active]
        active = active[(k[active] >= 0) & (k[active] <= last)]
    return lengths


def _any_angle(gx: np.ndarray, gy: np.ndarray) -> bool:
    """The package's test that some gradient angle is non-zero (atan2 is 0 exactly when gy == 0 and gx > 0)."""
    return bool(((gx != 0) & ~((gy == 0) & (gx > 0))).any() or ((gx == 0) & (gy == np.pi / 2)).any())


def sparse_widths(edges: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Marziliano edge widths at horizontal-gradient edge pixels: (rows, cols, widths), all widths >= 2.

    The package computes np.gradient and the angle atan2(gy, gx) everywhere, but uses them away from edge
    pixels only to ask whether any angle is non-zero. Here the gradient is taken at the interior edge pixels
    (np.gradient's central difference, (f[i + 1] - f[i - 1]) / 2.0, the same floats); the whole image is
    searched only when none of those pixels answers that question.
    """
    height, width = image.shape
    empty = np.zeros(0, dtype=np.intp)
    if width < 3 or height < 3:
        return empty, empty, np.zeros(0)
    rows, cols = np.nonzero(edges[1:-1, 1:-1])
    rows += 1
    cols += 1
    ex = (image[rows, cols + 1] - image[rows, cols - 1]) / 2.0
    ey = (image[rows + 1, cols] - image[rows - 1, cols]) / 2.0
    if not _any_angle(ex, ey):
        gy, gx = np.gradient(image)
        if not _any_angle(gx, gy):
            return empty, empty, np.zeros(0)
    angles = np.where(ex != 0, np.degrees(np.arctan2(ey, ex)), np.where(ey == np.pi / 2, 90.0, 0.0))
    quantized = 45 * np.round(angles / 45)
    back, fore = np.abs(quantized) == 180, quantized == 0
    rows, cols = np.concatenate([rows[back], rows[fore]]), np.concatenate([cols[back], cols[fore]])
    sign = np.repeat(np.array([-1, 1]), [np.count_nonzero(back), np.count_nonzero(fore)])
    # one pass for all runs: the left run ends at difference index c - 2 and goes left, the right run starts
    # at c + 1 and goes right
    n = len(rows)
    runs = _run_lengths(image, np.concatenate([rows, rows]), np.concatenate([cols - 2, cols + 1]),
                        np.repeat(np.array([-1, 1]), n), np.concatenate([sign, sign]))
    return rows, cols, (runs[:n] + runs[n:] + 2).astype(np.float64)


def edge_widths(edges: np.ndarray, image: np.ndarray) -> np.ndarray:
    """The widths as an image, 0 where no width is measured (the package's `marziliano_method` output)."""
    widths = np.zeros(image.shape)
    rows, cols, values = sparse_widths(edges, image)
    widths[rows, cols] = values
    return widths


def cpbd(image: np.ndarray) -> float:
    """CPBD sharpness of a greyscale (H, W) or RGB (H, W, 3) frame; see the module docstring."""
    gray = to_gray(image)
    canny_edges = canny(gray)
    rows, cols = gray.shape[0] // BLOCK, gray.shape[1] // BLOCK
    if rows == 0 or cols == 0:
        return 0.0

    def blocks(a: np.ndarray) -> np.ndarray:
        return a[:rows * BLOCK, :cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK).swapaxes(1, 2)

    edge_counts = blocks(canny_edges).sum(axis=(2, 3))
    is_edge_block = edge_counts > BLOCK * BLOCK * THRESHOLD
    gray_blocks = blocks(gray)
    contrast = (gray_blocks.max(axis=(2, 3)) - gray_blocks.min(axis=(2, 3))).astype(int)
    jnb = np.where(contrast <= 50, 5.0, 3.0)
    r, c, widths = sparse_widths(_octave_sobel(gray), gray)
    inside = (r < rows * BLOCK) & (c < cols * BLOCK)
    br, bc, widths = r[inside] // BLOCK, c[inside] // BLOCK, widths[inside]
    counted = is_edge_block[br, bc]
    if not counted.any():
        return 0.0
    probability = 1 - np.exp(-np.abs(widths[counted] / jnb[br[counted], bc[counted]]) ** BETA)
    buckets = np.round(probability * 100).astype(int)
    return float(np.count_nonzero(buckets < 64) / buckets.size)
