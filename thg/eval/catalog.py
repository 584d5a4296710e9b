"""Metric ids and their variants: `base[variant,...]`. Numbers with different ids are never compared.

Pure Python (no numpy), so the site can list which `thg eval` metric implements each metric record.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from thg.eval.errors import EvalError

Kind = Literal["pair", "single", "landmarks", "identity", "video", "set"]

ATVGNET = ("https://github.com/lelechen63/ATVGnet/blob/8b7d4c8445cee4a44ca7c1334605007319817053/"
           "code/evaluation_matrix.py")
RADNERF = "https://github.com/ashawkey/RAD-NeRF/blob/4cb8fc6da986cbcfe690190303a5a5c95530746b/nerf/utils.py"
SYNCNET = "https://github.com/joonson/syncnet_python/blob/6efbb1c305c23f47a62b09cf4215a8ac45e97d49/"
LPIPS = "https://github.com/richzhang/PerceptualSimilarity/blob/082bb24f84c091ea94de2867d34c4544f68e0963/lpips/lpips.py"
CLEANFID = "https://github.com/GaParmar/clean-fid/blob/e88c4d6269a4bbf04c04deeb578475b57719acee/cleanfid/fid.py"
STYLEGANV = ("https://github.com/universome/stylegan-v/blob/3fecd69c602e1cda204357201461c0fb0a634909/"
             "src/metrics/frechet_video_distance.py")
SYNCNET_TRACKED = ("https://github.com/joonson/syncnet_python/blob/1fbfc081bda41f27aab51c0fbaa0e5e337126cf3/"
                   "run_pipeline.py")
TRACKED_DEVIATIONS = (  # what lse-*[tracked] does differently from run_pipeline.py
    "detector: dlib HOG on the full frame, not run_pipeline.py's S3FD (conf 0.9, facedet_scale 0.25), whose "
    "weights no package ships",
    "no shot detection (run_pipeline.py runs PySceneDetect's ContentDetector): the clip is one shot",
    "the longest track is scored; run_pipeline.py crops every track",
    "frames as decoded; run_pipeline.py re-encodes to MPEG-4 (qscale 2), JPEG frames and XVID crops first",
)
ARCFACE = ("https://github.com/deepinsight/insightface/blob/7fadd420c2351d0ffa8cac403421c1a3ed733365/"
           "recognition/arcface_torch/backbones/iresnet.py")


@dataclass(frozen=True)
class MetricSpec:
    """One metric variant `thg eval` can compute."""

    id: str
    record: str
    """The metric record (metrics/<record>.yaml) the numbers belong to in a results table."""
    kind: Kind
    module: str
    """Where the implementation lives (for the metric pages and the card)."""
    source: str
    """What it follows: a file pinned to a commit, or a package and version."""
    settings: dict[str, str] = field(default_factory=dict)
    deep: bool = False


def _spec(mid: str, record: str, kind: Kind, module: str, source: str, deep: bool = False, **settings: str) -> MetricSpec:
    return MetricSpec(mid, record, kind, module, source, dict(settings), deep)


CATALOG: dict[str, MetricSpec] = {s.id: s for s in [
    _spec("psnr", "psnr", "pair", "thg/eval/metrics/fidelity.py", "scikit-image peak_signal_noise_ratio",
          data_range="255", over="all pixels and channels"),
    _spec("ssim[gaussian]", "ssim", "pair", "thg/eval/metrics/fidelity.py",
          "Wang et al. 2004 ssim_index.m via scikit-image structural_similarity(gaussian_weights=True)",
          window="11x11 Gaussian, sigma 1.5", covariance="population", channels="mean over R, G, B"),
    _spec("ssim[uniform]", "ssim", "pair", "thg/eval/metrics/fidelity.py",
          "scikit-image structural_similarity defaults", window="7x7 uniform", covariance="sample",
          channels="mean over R, G, B"),
    _spec("cpbd", "cpbd", "single", "thg/eval/metrics/cpbd.py", "PyPI cpbd 1.0.7 (cpbd/compute.py)",
          grey="PIL convert('L')", block="64x64", beta="3.6"),
    _spec("brisque", "brisque", "single", "thg/eval/metrics/brisque.py",
          "PyPI brisque 0.2.0 (brisque/brisque.py and its shipped SVR model)", grey="skimage rgb2gray"),
    *[_spec(f"lmd[{points},{reduction}]", "lmd", "landmarks", "thg/eval/metrics/landmarks.py",
            ATVGNET if reduction == "sum" else RADNERF, points="48-67" if points == "mouth" else "0-67",
            normalisation="each set centred on its own centroid", reduction=f"{reduction} over points, mean over frames")
      for points in ("mouth", "face") for reduction in ("sum", "mean")],
    _spec("csim[dlib]", "csim", "identity", "thg/eval/metrics/identity.py",
          "dlib face_recognition_model_v1 (dlib_face_recognition_resnet_model_v1.dat)",
          compare="cosine of 128-d descriptors, generated vs reference frame"),
    *[_spec(f"lpips[{net}]", "lpips", "pair", "thg/eval/deep/lpips.py", LPIPS, True, version="0.1",
            trunk=f"{name} (torchvision ImageNet weights), five ReLU outputs", input="RGB scaled to [-1, 1], then "
            "LPIPS's ScalingLayer", reduction="channel-weighted squared difference of unit-normalised features, "
            "spatial mean, sum over layers; mean over frames")
      for net, name in (("alex", "AlexNet"), ("vgg", "VGG16"))],
    _spec("fid[clean]", "fid", "set", "thg/eval/deep/frechet.py", CLEANFID + " (clean mode)", True,
          resize="PIL bicubic on 32-bit float channels to 299x299, clipped, not quantised (clean-fid 'clean')",
          features="Inception-v3 TorchScript (inception-2015-12-05.pt) pool features, 2048-d, input (x - 128) / 128",
          covariance="sample (np.cov, divide by n - 1)", frames="every scored generated frame vs every scored "
          "reference frame, pooled over videos"),
    _spec("fvd[16]", "fvd", "set", "thg/eval/deep/frechet.py", STYLEGANV, True,
          clip="16 consecutive scored frames; every non-overlapping clip of every video (StyleGAN-V: one random "
          "clip per video)", features="I3D Kinetics-400 TorchScript (i3d_torchscript.pt) logits, 400-d, rescale "
          "and resize to 224x224 inside the model", covariance="population (divide by n)"),
    *[_spec(f"csim[arcface-{arch}]", "csim", "identity", "thg/eval/deep/arcface.py", ARCFACE, True,
            network=f"arcface_torch i{arch.replace('r', 'resnet')}, 512-d embedding",
            alignment="dlib five points, similarity warp to the ArcFace 112x112 template",
            input="RGB, (x / 255 - 0.5) / 0.5", compare="cosine, generated vs reference frame")
      for arch in ("r100", "r50")],
    _spec("lse-d[full-frame]", "lse-d", "video", "thg/eval/deep/syncnet.py", SYNCNET + "SyncNetInstance.py", True,
          crop="whole frame resized to 224x224", vshift="15", window="5 frames / 20 MFCC steps"),
    _spec("lse-c[full-frame]", "lse-c", "video", "thg/eval/deep/syncnet.py", SYNCNET + "SyncNetInstance.py", True,
          crop="whole frame resized to 224x224", vshift="15", window="5 frames / 20 MFCC steps"),
    *[_spec(f"{record}[tracked]", record, "video", "thg/eval/deep/syncnet.py", SYNCNET_TRACKED, True,
            crop="face track (IoU > 0.5, gaps <= 25 frames, > 100 frames, mean box side > 100 px), box and centre "
            "median-filtered over 13 frames, crop_scale 0.40, 224x224", vshift="15", window="5 frames / 20 MFCC steps",
            detector="dlib HOG (frontal_face_detector) on the full frame, not run_pipeline.py's S3FD, whose weights "
            "no package ships", deviations="; ".join(TRACKED_DEVIATIONS))
      for record in ("lse-d", "lse-c")],
]}

DEFAULT_METRICS = ("psnr", "ssim[gaussian]", "cpbd", "lmd[mouth,sum]", "lmd[mouth,mean]", "csim[dlib]")


def parse(text: str | list[str]) -> list[MetricSpec]:
    """Metric ids from `--metrics a,b,c` (commas inside brackets belong to the variant)."""
    items: list[str] = []
    for chunk in ([text] if isinstance(text, str) else text):
        depth, current = 0, ""
        for char in chunk:
            depth += (char == "[") - (char == "]")
            if char == "," and depth == 0:
                items.append(current.strip())
                current = ""
            else:
                current += char
        items.append(current.strip())
    specs = []
    for item in filter(None, items):
        key = item.lower().replace(" ", "")
        if key not in CATALOG:
            bases = {mid.split("[")[0]: [m for m in CATALOG if m.split("[")[0] == mid.split("[")[0]] for mid in CATALOG}
            hint = bases.get(key) or difflib.get_close_matches(key, CATALOG, n=3)
            raise EvalError(f"unknown metric {item!r}; " + (f"did you mean {', '.join(hint)}?" if hint else
                            f"known metrics: {', '.join(CATALOG)}"))
        if CATALOG[key] not in specs:
            specs.append(CATALOG[key])
    if not specs:
        raise EvalError("no metric given; pass --metrics, e.g. --metrics psnr,ssim[gaussian],lmd[mouth,sum]")
    return specs


def implementations(record: str) -> list[MetricSpec]:
    """The `thg eval` variants that report numbers for one metric record."""
    return [spec for spec in CATALOG.values() if spec.record == record]
