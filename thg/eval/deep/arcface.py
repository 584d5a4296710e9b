"""ArcFace-style identity similarity (CSIM): cosine of arcface_torch embeddings of aligned faces.

The network is `iresnet50` / `iresnet100` of deepinsight/insightface at commit 7fadd42
(`recognition/arcface_torch/backbones/iresnet.py`), written out here in plain torch with the same module
names, so a published `backbone.pth` state dict loads unchanged. Input as `recognition/arcface_torch/
inference.py`: a 112x112 RGB face, (x / 255 - 0.5) / 0.5; output a 512-d embedding (after the final
BatchNorm1d `features`). The face is aligned by thg eval: dlib's five points (eye centres from the 68
landmarks, nose tip, mouth corners) similarity-warped onto the ArcFace 112x112 template (`thg.eval.face`).
CSIM per frame is the cosine of the generated and the reference frame's embeddings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

LAYERS = {"r50": (3, 4, 14, 3), "r100": (3, 13, 30, 3)}
SIZE = 112


def build_model(arch: str) -> Any:
    import torch
    import torch.nn as nn

    def conv3x3(cin: int, cout: int, stride: int = 1) -> Any:
        return nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)

    class IBasicBlock(nn.Module):
        def __init__(self, cin: int, cout: int, stride: int, downsample: Any) -> None:
            super().__init__()
            self.bn1 = nn.BatchNorm2d(cin, eps=1e-05)
            self.conv1 = conv3x3(cin, cout)
            self.bn2 = nn.BatchNorm2d(cout, eps=1e-05)
            self.prelu = nn.PReLU(cout)
            self.conv2 = conv3x3(cout, cout, stride)
            self.bn3 = nn.BatchNorm2d(cout, eps=1e-05)
            self.downsample = downsample

        def forward(self, x: Any) -> Any:
            out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
            return out + (x if self.downsample is None else self.downsample(x))

    class IResNet(nn.Module):
        def __init__(self, layers: tuple[int, ...]) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(64, eps=1e-05)
            self.prelu = nn.PReLU(64)
            cin = 64
            for index, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers, strict=True)):
                down = nn.Sequential(nn.Conv2d(cin, planes, kernel_size=1, stride=2, bias=False),
                                     nn.BatchNorm2d(planes, eps=1e-05))
                stage = [IBasicBlock(cin, planes, 2, down)] + [IBasicBlock(planes, planes, 1, None) for _ in range(blocks - 1)]
                self.add_module(f"layer{index + 1}", nn.Sequential(*stage))
                cin = planes
            self.bn2 = nn.BatchNorm2d(512, eps=1e-05)
            self.dropout = nn.Dropout(p=0, inplace=True)
            self.fc = nn.Linear(512 * 7 * 7, 512)
            self.features = nn.BatchNorm1d(512, eps=1e-05)

        def forward(self, x: Any) -> Any:
            x = self.prelu(self.bn1(self.conv1(x)))
            for index in range(1, 5):
                stage: Any = getattr(self, f"layer{index}")
                x = stage(x)
            x = self.dropout(torch.flatten(self.bn2(x), 1))
            return self.features(self.fc(x))

    return IResNet(LAYERS[arch])


class ArcFace:
    """The embedding network, loaded once per run; `embed(aligned 112x112 RGB face)` -> (512,)."""

    def __init__(self, arch: str, path: Path) -> None:
        from thg.eval.deep.loading import load_into, state_dict

        self.model = load_into(build_model(arch), state_dict(path), path, f"arcface_torch i{arch.replace('r', 'resnet')} weights")

    def embed(self, faces: np.ndarray) -> np.ndarray:
        """Aligned RGB faces, (112, 112, 3) or a batch (N, 112, 112, 3) -> (512,) or (N, 512) embeddings."""
        import torch

        batch = faces[None] if faces.ndim == 3 else faces
        if batch.shape[1:] != (SIZE, SIZE, 3):
            raise ValueError(f"ArcFace takes {SIZE}x{SIZE} RGB faces, got {faces.shape}")
        with torch.no_grad():
            x = (torch.from_numpy(batch.astype(np.float32)).permute(0, 3, 1, 2) / 255 - 0.5) / 0.5
            out = np.asarray(self.model(x).numpy(), dtype=np.float64)
        return out[0] if faces.ndim == 3 else out
