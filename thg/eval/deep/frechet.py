"""FID (clean-fid's `clean` mode) and FVD (StyleGAN-V's I3D), computed over every scored frame of a run.

Both are set-level numbers: features of the generated frames (or clips) and of the reference frames are
streamed into running means and covariances (`thg.eval.deep.stats`), and one Fréchet distance is taken at
the end. There is no per-frame or per-video value.

FID, `fid[clean]`, as clean-fid at commit e88c4d6 (`cleanfid/resize.py` `make_resizer("PIL", False,
"bicubic", (299, 299))`, `cleanfid/inception_torchscript.py` `InceptionV3W.forward` with
resize_inside=False, `cleanfid/fid.py` `fid_from_feats`):
- each RGB frame (0-255) resized to 299x299 channel by channel as a 32-bit float PIL image ("F"), bicubic,
  clipped to [0, 255], never quantised to 8 bits;
- (x - 128) / 128 into the TorchScript Inception-v3's `layers`, giving 2048 pool features;
- mean and np.cov (divide by n - 1) of each side, then the Fréchet distance.

FVD, `fvd[16]`, as StyleGAN-V at commit 3fecd69 (`src/metrics/frechet_video_distance.py`,
`src/metrics/metric_utils.py`):
- clips of 16 consecutive frames, (1, 3, 16, H, W) with values 0-255, into the TorchScript I3D with
  rescale=True, resize=True (to [-1, 1] and 224x224 inside the model), return_features=True: 400 logits;
- mean and covariance divided by n (FeatureStats.get_mean_cov), then the Fréchet distance.
- StyleGAN-V takes one clip per video at a random offset (2048 videos); here every non-overlapping run of
  16 scored frames of every video is a clip, from the first scored frame, so the number is deterministic.
  The card says so. A video shorter than 16 scored frames contributes no clip and is counted as dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from thg.eval.deep.stats import RunningGaussian, frechet_distance
from thg.eval.errors import EvalError

INCEPTION_SIZE, INCEPTION_DIM, I3D_DIM, CLIP = 299, 2048, 400, 16


def clean_resize(frame: np.ndarray, size: int = INCEPTION_SIZE) -> np.ndarray:
    """clean-fid's resizer: per channel, float32 PIL image, bicubic, clipped to [0, 255]; (size, size, 3) float32."""
    from PIL import Image

    channels = [np.asarray(Image.fromarray(frame[:, :, k].astype(np.float32), mode="F")
                           .resize((size, size), resample=Image.Resampling.BICUBIC)).clip(0, 255)
                for k in range(3)]
    return np.stack(channels, axis=2).astype(np.float32)


class SetMetric:
    """Frames of both sides in, one Fréchet distance out."""

    dim = 0
    ddof = 1
    unit = "frames"

    def __init__(self) -> None:
        self.sides = {"generated": RunningGaussian(self.dim), "reference": RunningGaussian(self.dim)}
        self.dropped: dict[str, int] = {}

    def add(self, generated: np.ndarray, reference: np.ndarray | None) -> None:
        raise NotImplementedError

    def end_video(self) -> None:
        """Called after each video's last frame (clips never span two videos)."""

    def result(self) -> tuple[float | None, int, dict[str, Any]]:
        """(value, n_valid = rows on the generated side, extra numbers for the report)."""
        gen, ref = self.sides["generated"], self.sides["reference"]
        extra = {"n_generated": gen.n, "n_reference": ref.n, "unit": self.unit}
        if min(gen.n, ref.n) <= self.ddof + 1:
            self.dropped[f"too few {self.unit} for a covariance (need at least {self.ddof + 2} per side)"] = gen.n
            return None, 0, extra
        mu1, s1 = gen.mean_cov(self.ddof)
        mu2, s2 = ref.mean_cov(self.ddof)
        if gen.n < self.dim or ref.n < self.dim:
            extra["note"] = (f"fewer {self.unit} than the {self.dim} feature dimensions: the covariances are "
                             "singular and the value is biased; compare only runs of the same size")
        return frechet_distance(mu1, s1, mu2, s2), gen.n, extra


class CleanFID(SetMetric):
    dim = INCEPTION_DIM
    ddof = 1

    def __init__(self, path: Path, batch: int = 16) -> None:
        from thg.eval.deep.loading import torchscript

        super().__init__()
        self.model = torchscript(path, "the Inception-v3 TorchScript file inception-2015-12-05.pt", "layers")
        self.batch = batch
        self.pending: dict[str, list[np.ndarray]] = {"generated": [], "reference": []}

    def features(self, images: np.ndarray) -> np.ndarray:
        """(N, 299, 299, 3) float 0-255 -> (N, 2048), as InceptionV3W.forward with resize_inside=False."""
        import torch

        with torch.no_grad():
            x = (torch.from_numpy(images).permute(0, 3, 1, 2) - 128) / 128
            out = self.model.layers.forward(x)
        return np.asarray(out.reshape(len(images), INCEPTION_DIM).numpy(), dtype=np.float64)

    def _flush(self, side: str) -> None:
        if self.pending[side]:
            self.sides[side].add(self.features(np.stack(self.pending[side])))
            self.pending[side] = []

    def add(self, generated: np.ndarray, reference: np.ndarray | None) -> None:
        if reference is None:
            raise EvalError("fid[clean] compares generated frames with reference frames; pass --reference")
        for side, frame in (("generated", generated), ("reference", reference)):
            self.pending[side].append(clean_resize(frame))
            if len(self.pending[side]) >= self.batch:
                self._flush(side)

    def result(self) -> tuple[float | None, int, dict[str, Any]]:
        for side in self.pending:
            self._flush(side)
        return super().result()


class FVD(SetMetric):
    dim = I3D_DIM
    ddof = 0
    unit = "clips"

    def __init__(self, path: Path) -> None:
        from thg.eval.deep.loading import torchscript

        super().__init__()
        self.model = torchscript(path, "the I3D TorchScript file i3d_torchscript.pt")
        self.clips: dict[str, list[np.ndarray]] = {"generated": [], "reference": []}

    def features(self, clip: np.ndarray) -> np.ndarray:
        """(16, H, W, 3) uint8 -> (1, 400): detector(videos, rescale=True, resize=True, return_features=True)."""
        import torch

        with torch.no_grad():
            videos = torch.from_numpy(np.ascontiguousarray(clip)).permute(3, 0, 1, 2)[None]
            out = self.model(videos, rescale=True, resize=True, return_features=True)
        return np.asarray(out.reshape(1, -1).numpy(), dtype=np.float64)

    def add(self, generated: np.ndarray, reference: np.ndarray | None) -> None:
        if reference is None:
            raise EvalError("fvd[16] compares generated clips with reference clips; pass --reference")
        for side, frame in (("generated", generated), ("reference", reference)):
            self.clips[side].append(frame)
            if len(self.clips[side]) == CLIP:
                self.sides[side].add(self.features(np.stack(self.clips[side])))
                self.clips[side] = []

    def end_video(self) -> None:
        left = len(self.clips["generated"])
        if left:
            reason = f"frames after a video's last full {CLIP}-frame clip"
            self.dropped[reason] = self.dropped.get(reason, 0) + left
        self.clips = {"generated": [], "reference": []}
