"""Reading weight files you bring: plain state dicts into networks written here, or TorchScript files.

Every failure is an EvalError that names the file and what was expected; nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thg.eval.errors import EvalError


def state_dict(path: Path) -> dict[str, Any]:
    """A state dict saved by torch.save, read with weights_only=True (no pickled code runs)."""
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several kinds for a bad file
        raise EvalError(f"{path}: not a readable torch state dict ({exc})") from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise EvalError(f"{path}: expected a state dict (parameter name -> tensor)")
    return state


def load_into(model: Any, state: dict[str, Any], path: Path, what: str, prefix: str = "") -> Any:
    """Copy `prefix + name` tensors of `state` into `model`; refuse a file whose tensors are missing or mis-shaped.

    Extra tensors are ignored (a torchvision classifier's fully connected layers, say). Returns the model in
    eval mode.
    """
    own = model.state_dict()
    missing = sorted(k for k in own if prefix + k not in state)
    wrong = [k for k in own if prefix + k in state and tuple(state[prefix + k].shape) != tuple(own[k].shape)]
    if missing or wrong:
        raise EvalError(f"{path}: not {what} ({len(missing)} missing, {len(wrong)} mis-shaped tensors, "
                        f"e.g. {[prefix + k for k in (missing + wrong)[:3]]})")
    model.load_state_dict({k: state[prefix + k] for k in own})
    return model.eval()


def torchscript(path: Path, what: str, attribute: str | None = None) -> Any:
    """A TorchScript module on the CPU, in eval mode; `attribute` must exist on it (e.g. Inception's `layers`)."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():  # torch 2.13 marks TorchScript deprecated; the published files are TorchScript
            warnings.simplefilter("ignore", DeprecationWarning)
            module = torch.jit.load(str(path), map_location="cpu").eval()  # type: ignore[no-untyped-call]
    except Exception as exc:  # torch.jit raises RuntimeError and others for a bad file
        raise EvalError(f"{path}: not a readable TorchScript file ({exc}); expected {what}") from exc
    if attribute is not None and not hasattr(module, attribute):
        raise EvalError(f"{path}: a TorchScript file without .{attribute}; expected {what}")
    return module
