"""Torch-based metrics with weights you bring (`pip install -e '.[deep]'`): LPIPS, FID, FVD, ArcFace CSIM,
LSE-D / LSE-C through SyncNet.

Imported only when such a metric is asked for; without torch, `thg eval` says what to install and the
tests of this package are skipped with that reason. Each network is written here in plain torch (state
dicts) or read as TorchScript, so torchvision is never needed; `thg.eval.weights` lists every file.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from thg.eval.catalog import MetricSpec
from thg.eval.errors import EvalError

FrameScorer = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Any, Any], float]
"""(generated view, reference view, generated frame, reference frame, generated face, reference face) -> value."""


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None and importlib.util.find_spec("python_speech_features") is not None


def require_torch(metric_ids: list[str]) -> None:
    if not torch_available():
        raise EvalError(f"{', '.join(metric_ids)} need torch and python_speech_features: pip install -e '.[deep]' "
                        "(and the weights, see thg.eval.weights)")


def video_metric(spec: MetricSpec, generated: Path, reference: Path | None, settings: Any) -> tuple[Any, dict[str, Any]]:
    """A per-video deep metric: (Tally, weights used for the card)."""
    if spec.record in ("lse-d", "lse-c"):
        from thg.eval.deep.syncnet import lse_tally

        return lse_tally(spec, generated, settings)
    raise EvalError(f"{spec.id} is not a per-video metric")


def _variant(spec: MetricSpec) -> str:
    return spec.id[spec.id.index("[") + 1:-1]


def frame_scorer(spec: MetricSpec, weights_dir: Path | None) -> tuple[FrameScorer, dict[str, Any]]:
    """A per-frame deep metric, its network loaded once: (scorer, weights used for the card)."""
    from thg.eval.weights import locate

    if spec.record == "lpips":
        from thg.eval.deep.lpips import LPIPS

        net = _variant(spec)
        trunk, trunk_card = locate(f"lpips-{net}-backbone", weights_dir)
        linear, linear_card = locate(f"lpips-{net}-linear", weights_dir)
        model = LPIPS(net, trunk, linear)
        return (lambda gv, rv, g, r, gf, rf: model.score(gv, rv)), {**trunk_card, **linear_card}
    if spec.id.startswith("csim[arcface-"):
        from thg.eval import face as facelib
        from thg.eval.deep.arcface import SIZE, ArcFace
        from thg.eval.metrics.identity import cosine

        arch = _variant(spec).split("-")[1]
        path, card = locate(f"arcface-{arch}", weights_dir)
        network = ArcFace(arch, path)

        def score(gv: np.ndarray, rv: np.ndarray, g: np.ndarray, r: np.ndarray, gf: Any, rf: Any) -> float:
            faces = [facelib.align(frame, found, SIZE)[0] for frame, found in ((g, gf), (r, rf))]
            embeddings = network.embed(np.stack(faces))
            return cosine(embeddings[0], embeddings[1])

        return score, card
    raise EvalError(f"{spec.id} is not a per-frame deep metric")


def set_metric(spec: MetricSpec, weights_dir: Path | None) -> tuple[Any, dict[str, Any]]:
    """A set-level deep metric (FID, FVD): (accumulator fed frame pairs, weights used for the card)."""
    from thg.eval.deep.frechet import FVD, CleanFID
    from thg.eval.weights import locate

    if spec.id == "fid[clean]":
        path, card = locate("inception-2015-12-05", weights_dir)
        return CleanFID(path), card
    if spec.id == "fvd[16]":
        path, card = locate("i3d-torchscript", weights_dir)
        return FVD(path), card
    raise EvalError(f"{spec.id} is not a set-level metric")
