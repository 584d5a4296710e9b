"""Identity similarity (CSIM) from dlib's face-recognition ResNet, the offline identity metric.

Cosine similarity between the 128-d descriptors (`dlib.face_recognition_model_v1`, the
`dlib_face_recognition_resnet_model_v1.dat` shipped by `face-recognition-models`) of the generated face
and of the reference face in the same frame. Higher is more alike, in [-1, 1]. ArcFace-based CSIM, the
one papers usually report, needs weights you bring (`thg.eval.deep`, metric ids `csim[arcface-r100]`, `csim[arcface-r50]`); the two
scales differ and are never compared.
"""

from __future__ import annotations

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
