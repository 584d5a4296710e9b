"""Torch-based metrics with weights you bring (`pip install -e '.[deep]'`): LSE-D / LSE-C through SyncNet.

Imported only when such a metric is asked for; without torch, `thg eval` says what to install and the
tests of this package are skipped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from thg.eval.catalog import MetricSpec
from thg.eval.errors import EvalError


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
