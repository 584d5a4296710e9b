"""LPIPS v0.1 (Zhang et al., CVPR 2018) with the AlexNet or VGG16 trunk, in plain torch (no torchvision).

Re-implemented from richzhang/PerceptualSimilarity at commit 082bb24 (`lpips/lpips.py`, `LPIPS.forward`
with version 0.1, lpips=True, spatial=False; `lpips/pretrained_networks.py`, the trunk slices;
`lpips/__init__.py`, `normalize_tensor`):

- Input RGB in [-1, 1] (`im2tensor`: x / 127.5 - 1), then the ScalingLayer: (x - shift) / scale with
  shift (-0.030, -0.088, -0.188) and scale (0.458, 0.448, 0.450).
- Trunk features after each of five ReLUs: AlexNet `features[0:2], [2:5], [5:8], [8:10], [10:12]`
  (64, 192, 384, 256, 256 channels); VGG16 `features[0:4], [4:9], [9:16], [16:23], [23:30]`
  (64, 128, 256, 512, 512 channels). The trunk is torchvision's ImageNet classifier; its state dict keys
  (`features.<index>.weight`) load into the `features` layers below unchanged.
- Per layer l: unit-normalise each feature vector over channels (x / (||x|| + 1e-10)), square the
  difference, weight the channels with the 1x1 convolution `lin<l>` (no bias), and average over space:
      d = sum_l mean_{h,w} sum_c w_{l,c} (f0_{l,c,h,w} / ||f0_{l,h,w}|| - f1_{l,c,h,w} / ||f1_{l,h,w}||)^2
- Two files per trunk: torchvision's ImageNet weights and LPIPS's linear weights (`thg.eval.weights`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

SHIFT = (-0.030, -0.088, -0.188)
SCALE = (0.458, 0.448, 0.450)
EPS = 1e-10
TRUNKS: dict[str, dict[str, Any]] = {
    "alex": {"channels": (64, 192, 384, 256, 256), "cuts": (2, 5, 8, 10, 12)},
    "vgg": {"channels": (64, 128, 256, 512, 512), "cuts": (4, 9, 16, 23, 30)},
}


def build_trunk(net: str) -> Any:
    """torchvision's `alexnet().features` / `vgg16().features`, layer for layer (same indices, same keys)."""
    import torch.nn as nn

    layers: list[Any] = []
    if net == "alex":
        spec: list[Any] = [(3, 64, 11, 4, 2), "R", "M", (64, 192, 5, 1, 2), "R", "M", (192, 384, 3, 1, 1), "R",
                           (384, 256, 3, 1, 1), "R", (256, 256, 3, 1, 1), "R", "M"]
    else:
        spec, cin = [], 3
        for cout in (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"):
            if cout == "M":
                spec.append("M")
            else:
                spec += [(cin, cout, 3, 1, 1), "R"]
                cin = int(cout)
    for item in spec:
        if item == "R":
            layers.append(nn.ReLU(inplace=True))
        elif item == "M":
            layers.append(nn.MaxPool2d(kernel_size=3, stride=2) if net == "alex" else nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            cin, cout, kernel, stride, padding = item
            layers.append(nn.Conv2d(cin, cout, kernel_size=kernel, stride=stride, padding=padding))

    class Trunk(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(*layers)

    return Trunk()


def build_linear(net: str) -> Any:
    """The five 1x1 convolutions, keyed as LPIPS saves them (`lin<l>.model.1.weight`, after a Dropout)."""
    import torch.nn as nn

    class Lin(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.model = nn.Sequential(nn.Dropout(), nn.Conv2d(channels, 1, 1, stride=1, padding=0, bias=False))

    class Linear(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            for index, channels in enumerate(TRUNKS[net]["channels"]):
                self.add_module(f"lin{index}", Lin(channels))

    return Linear()


def features(trunk: Any, images: Any, net: str) -> list[Any]:
    """The five ReLU outputs for images already scaled to [-1, 1] (N, 3, H, W)."""
    import torch

    shift = torch.tensor(SHIFT, dtype=images.dtype).view(1, 3, 1, 1)
    scale = torch.tensor(SCALE, dtype=images.dtype).view(1, 3, 1, 1)
    x = (images - shift) / scale
    outs, start = [], 0
    for cut in TRUNKS[net]["cuts"]:
        x = trunk.features[start:cut](x)
        outs.append(x)
        start = cut
    return outs


def distance_from_features(feats0: list[Any], feats1: list[Any], weights: list[Any]) -> Any:
    """LPIPS given the trunk features and each layer's channel weights (C,): one value per image."""
    import torch

    total = 0
    for f0, f1, w in zip(feats0, feats1, weights, strict=True):
        n0 = f0 / (torch.sqrt(torch.sum(f0**2, dim=1, keepdim=True)) + EPS)
        n1 = f1 / (torch.sqrt(torch.sum(f1**2, dim=1, keepdim=True)) + EPS)
        total = total + ((n0 - n1) ** 2 * w.reshape(1, -1, 1, 1)).sum(dim=1).mean(dim=(1, 2))
    return total


def to_tensor(frame: np.ndarray) -> Any:
    """RGB uint8 (H, W, 3) -> (1, 3, H, W) in [-1, 1], as lpips.im2tensor."""
    import torch

    return torch.from_numpy(frame.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None]


class LPIPS:
    """One trunk and its linear weights, loaded once per run; `score(gen, ref)` per frame pair."""

    def __init__(self, net: str, trunk_path: Path, linear_path: Path) -> None:
        from thg.eval.deep.loading import load_into, state_dict

        self.net = net
        self.trunk = load_into(build_trunk(net), state_dict(trunk_path), trunk_path,
                               f"torchvision {'AlexNet' if net == 'alex' else 'VGG16'} ImageNet weights")
        linear = load_into(build_linear(net), state_dict(linear_path), linear_path, f"LPIPS v0.1 {net} linear weights")
        self.weights = [getattr(linear, f"lin{i}").model[1].weight.detach().reshape(-1) for i in range(5)]

    def score(self, generated: np.ndarray, reference: np.ndarray) -> float:
        import torch

        if generated.shape != reference.shape:
            raise ValueError(f"LPIPS compares images of one size, got {generated.shape} and {reference.shape}")
        with torch.no_grad():
            images = torch.cat([to_tensor(generated), to_tensor(reference)])
            feats = features(self.trunk, images, self.net)
            value = distance_from_features([f[:1] for f in feats], [f[1:] for f in feats], self.weights)
        return float(value[0])
