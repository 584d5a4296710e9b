"""Face detection, 68-point landmarks, identity embeddings and similarity alignment, all from dlib.

The models ship inside PyPI packages (`dlib-bin` for the code, `face-recognition-models` for the
files), so nothing is downloaded at run time. dlib's 68 points follow the iBUG 300-W markup, the
points the LMD authors' code reads (mouth = points 48-67).

Licence: the 68-point predictor (`shape_predictor_68_face_landmarks.dat`) was trained on the iBUG
300-W data set, whose licence excludes commercial use; dlib's author says so beside the model file.
Anything `thg eval` computes from these landmarks (align, LMD, lipsync, the tracked crop) inherits that
restriction. The 5-point predictor and the face-recognition ResNet are not affected by it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from thg.eval.errors import EvalError, require

MOUTH = tuple(range(48, 68))
FACE = tuple(range(68))
LANDMARK_MODEL = "dlib shape_predictor_68_face_landmarks (iBUG 300-W markup; non-commercial training data)"
DETECTOR = "dlib HOG frontal face detector (get_frontal_face_detector)"

ARCFACE_TEMPLATE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                                 [41.5493, 92.3655], [70.7299, 92.2041]])
"""InsightFace's five-point template for a 112x112 crop (eye centres, nose tip, mouth corners), as used
by `insightface.utils.face_align.norm_crop`: the crop ArcFace-style identity models expect."""


@dataclass(frozen=True)
class Face:
    """One detected face: its box (left, top, right, bottom) and 68 landmarks (x, y) in pixels."""

    box: tuple[int, int, int, int]
    points: np.ndarray
    faces_in_frame: int

    def five(self) -> np.ndarray:
        """Eye centres, nose tip and mouth corners, in ArcFace template order."""
        p = self.points
        return np.stack([p[36:42].mean(0), p[42:48].mean(0), p[30], p[48], p[54]])


@dataclass(frozen=True)
class NoFace:
    """Why a frame gave no usable face."""

    reason: str


@cache
def _models() -> dict[str, Any]:
    require("dlib")
    require("face_recognition_models")
    import warnings

    import dlib

    with warnings.catch_warnings():  # its `import pkg_resources` warns under setuptools 80
        warnings.simplefilter("ignore", UserWarning)
        import face_recognition_models as frm

    return {"detector": dlib.get_frontal_face_detector(),
            "predictor": dlib.shape_predictor(frm.pose_predictor_model_location()),
            "predictor_path": frm.pose_predictor_model_location(),
            "recognition_path": frm.face_recognition_model_location(),
            "dlib": dlib}


@cache
def _recognizer() -> Any:
    models = _models()
    return models["dlib"].face_recognition_model_v1(models["recognition_path"])


@cache
def model_files() -> dict[str, dict[str, str]]:
    """The dlib model files used, with their sha256, for the protocol card."""
    models = _models()
    out = {}
    for key in ("predictor_path", "recognition_path"):
        path = Path(models[key])
        out[path.name] = {"sha256": sha256(path), "package": "face-recognition-models"}
    return out


def sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def boxes(frame: np.ndarray, upsample: int = 1) -> list[tuple[int, int, int, int]]:
    """Every face box (left, top, right, bottom) the detector finds in an RGB frame, without landmarks."""
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise EvalError(f"expected an RGB uint8 frame, got shape {frame.shape} and dtype {frame.dtype}")
    return [(r.left(), r.top(), r.right(), r.bottom()) for r in _models()["detector"](frame, upsample)]


def detect(frame: np.ndarray, upsample: int = 1) -> Face | NoFace:
    """The largest face in an RGB frame, with its 68 landmarks; or why there is none."""
    models = _models()
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise EvalError(f"expected an RGB uint8 frame, got shape {frame.shape} and dtype {frame.dtype}")
    rects = models["detector"](frame, upsample)
    if len(rects) == 0:
        return NoFace("no face detected")
    rect = max(rects, key=lambda r: r.width() * r.height())
    shape = models["predictor"](frame, rect)
    points = np.array([[shape.part(i).x, shape.part(i).y] for i in range(68)], dtype=np.float64)
    return Face(box=(rect.left(), rect.top(), rect.right(), rect.bottom()), points=points, faces_in_frame=len(rects))


def embedding(frame: np.ndarray, face: Face) -> np.ndarray:
    """dlib's 128-d face descriptor (ResNet, trained for face verification) for a detected face."""
    models = _models()
    dlib = models["dlib"]
    rect = dlib.rectangle(*face.box)
    shape = models["predictor"](frame, rect)
    return np.asarray(_recognizer().compute_face_descriptor(frame, shape), dtype=np.float64)


def similarity_transform(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 2x3 least-squares similarity (rotation, uniform scale, translation) mapping source to target.

    Umeyama's closed form (IEEE TPAMI 1991), the estimate `skimage.transform.SimilarityTransform` makes.
    """
    src_mean, dst_mean = source.mean(0), target.mean(0)
    src, dst = source - src_mean, target - dst_mean
    cov = dst.T @ src / len(source)
    u, s, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(cov) < 0:
        d[1] = -1
    rotation = u @ np.diag(d) @ vt
    scale = (s * d).sum() / src.var(0).sum()
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


def template(size: int) -> np.ndarray:
    """The five-point template scaled to a size x size crop."""
    return ARCFACE_TEMPLATE_112 * (size / 112.0)


def align(frame: np.ndarray, face: Face, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Warp the frame so the face's five points land on the template; returns (crop, 2x3 matrix)."""
    import cv2

    matrix = similarity_transform(face.five(), template(size))
    crop = cv2.warpAffine(frame, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    return crop, matrix


def transform_points(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return np.asarray(points @ matrix[:, :2].T + matrix[:, 2])
