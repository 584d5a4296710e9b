"""BRISQUE (Mittal, Moorthy and Bovik, IEEE TIP 2012): natural-scene statistics fed to a trained SVR.

Re-implemented from the `brisque` package (PyPI `brisque` 0.2.0, `brisque/brisque.py`), whose own code
fails under numpy 2 (it converts 1-element arrays with `float()`), and scored with the SVR model and
feature ranges that package ships (`brisque/models/svm.txt`, `normalize.pickle`) through libsvm:

1. Grey image in [0, 1] (scikit-image `rgb2gray`); MSCN coefficients with a 7x7 Gaussian window,
   sigma 7/6, zero-padded 'same' convolution, local deviation sqrt(|mu^2 - E[x^2]|), C = 1/255.
2. An asymmetric generalised Gaussian fit (moment matching, root found from alpha = 0.2) of the MSCN
   map (alpha, variance) and of its four neighbour products (alpha, mean, left and right variances).
3. The same 18 features on the image halved with OpenCV's bicubic resize: 36 features.
4. Features scaled to [-1, 1] with the shipped ranges; the epsilon-SVR's prediction is the score.

Lower is better (roughly 0-100).
"""

from __future__ import annotations

import importlib.util
import pickle
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, signal, special

from thg.eval.errors import EvalError


def model_dir() -> Path:
    spec = importlib.util.find_spec("brisque")
    if spec is None or not spec.submodule_search_locations:
        raise EvalError("BRISQUE needs the model files of the `brisque` package; pip install -e '.[eval]'")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@cache
def _model() -> tuple[Any, np.ndarray, np.ndarray]:
    import scipy

    if not hasattr(scipy, "ndarray"):  # libsvm's svmutil still tests isinstance(x, scipy.ndarray)
        scipy.ndarray = np.ndarray
    from libsvm import svmutil

    folder = model_dir()
    model = svmutil.svm_load_model(str(folder / "svm.txt"))
    with (folder / "normalize.pickle").open("rb") as handle:
        ranges = pickle.load(handle)  # a dict of two lists of floats, shipped by the package
    return model, np.asarray(ranges["min_"], dtype=np.float64), np.asarray(ranges["max_"], dtype=np.float64)


def _gaussian_kernel(n: int = 7, sigma: float = 7 / 6) -> np.ndarray:
    y, x = np.indices((n, n)) - n // 2
    kernel = np.exp(-(x**2 + y**2) / (2 * sigma**2)) / (2 * np.pi * sigma**2)
    return np.asarray(kernel / kernel.sum())


def mscn(image: np.ndarray) -> np.ndarray:
    kernel = _gaussian_kernel()
    mu = signal.convolve2d(image, kernel, "same")
    sigma = np.sqrt(np.abs(mu**2 - signal.convolve2d(image**2, kernel, "same")))
    return np.asarray((image - mu) / (sigma + 1 / 255))


def _aggd(x: np.ndarray) -> tuple[float, float, float, float]:
    """Alpha, mean, left and right sigma of an asymmetric generalised Gaussian (moment matching)."""
    left, right = x[x < 0], x[x >= 0]
    left_sq = float(np.sum(left**2) / left.size) if left.size else float("nan")
    right_sq = float(np.sum(right**2) / right.size) if right.size else float("nan")
    gamma = np.sqrt(left_sq) / np.sqrt(right_sq)
    r_hat = (np.sum(np.abs(x)) / x.size) ** 2 / (np.sum(x**2) / x.size)
    big_r = r_hat * (gamma**3 + 1) * (gamma + 1) / (gamma**2 + 1) ** 2

    def phi(a: np.ndarray) -> np.ndarray:
        return np.asarray(special.gamma(2 / a) ** 2 / (special.gamma(1 / a) * special.gamma(3 / a)) - big_r)

    alpha = float(optimize.root(phi, [0.2]).x[0])
    sigma_l, sigma_r = float(np.sqrt(left_sq)), float(np.sqrt(right_sq))
    constant = np.sqrt(special.gamma(1 / alpha) / special.gamma(3 / alpha))
    mean = float((sigma_r - sigma_l) * constant * (special.gamma(2 / alpha) / special.gamma(1 / alpha)))
    return alpha, mean, sigma_l, sigma_r


def features(gray: np.ndarray) -> np.ndarray:
    """The 18 BRISQUE features of a grey image in [0, 1] at one scale."""
    m = mscn(gray)
    out: list[float] = []
    alpha, _mean, sl, sr = _aggd(m)
    out += [alpha, (sl**2 + sr**2) / 2]
    for product in (m[:, :-1] * m[:, 1:], m[:-1, :] * m[1:, :], m[:-1, :-1] * m[1:, 1:], m[1:, :-1] * m[:-1, 1:]):
        alpha, mean, sl, sr = _aggd(product)
        out += [alpha, mean, sl**2, sr**2]
    return np.asarray(out)


def brisque(frame: np.ndarray) -> float:
    """BRISQUE score of an RGB uint8 frame (see the module docstring). Lower is better."""
    import cv2
    from skimage.color import rgb2gray

    gray = rgb2gray(frame) if frame.ndim == 3 else frame.astype(np.float64) / 255.0
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_CUBIC)
    feats = np.concatenate([features(gray), features(half)])
    model, low, high = _model()
    scaled = -1 + 2.0 / (high - low) * (feats - low)
    from libsvm import svmutil

    nodes, _ = svmutil.gen_svm_nodearray([float(v) for v in scaled], isKernel=False)
    estimates = (svmutil.c_double * 1)()
    return float(svmutil.libsvm.svm_predict_probability(model, nodes, estimates))
