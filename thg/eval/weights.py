"""The registry of weights you bring: each file's name, sha256, where it is published, and a known answer.

Nothing here downloads anything. A file is looked up in `--weights-dir` or `$THG_WEIGHTS_DIR`; a missing
file is an error that names it and where it is published. The card records every file's sha256 and whether
it was verified: against a full sha256 (with where that hash comes from), or against the hash prefix that a
published file name encodes (torchvision's `<name>-<first 8 hex digits of the sha256>.pth` convention, which
`torch.hub` checks on download). A file that differs, or that no public hash covers, is used but labelled
"unverified" on the card.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thg.eval.errors import EvalError

SYNCNET = "https://github.com/joonson/syncnet_python/blob/6efbb1c305c23f47a62b09cf4215a8ac45e97d49/"
LPIPS = "https://github.com/richzhang/PerceptualSimilarity/blob/082bb24f84c091ea94de2867d34c4544f68e0963/"
CLEANFID = "https://github.com/GaParmar/clean-fid/blob/e88c4d6269a4bbf04c04deeb578475b57719acee/"
STYLEGANV = "https://github.com/universome/stylegan-v/blob/3fecd69c602e1cda204357201461c0fb0a634909/"
ARCFACE = "https://github.com/deepinsight/insightface/blob/7fadd420c2351d0ffa8cac403421c1a3ed733365/recognition/arcface_torch/"
NO_KNOWN_ANSWER = "none: no public source we read states an output for a given input"


@dataclass(frozen=True)
class WeightFile:
    name: str
    filename: str
    """The name thg eval looks for in the weights folder."""
    format: str
    published: str
    sha256: str | None
    """The full sha256 of the published file, when we have one; None otherwise."""
    sha256_source: str | None
    """Where `sha256` (or `sha256_prefix`) comes from."""
    known_answer: str
    metrics: tuple[str, ...]
    sha256_prefix: str | None = None
    """The leading hex digits a published file name encodes (torchvision's convention)."""
    licence: str | None = None


def _lpips_backbone(net: str, filename: str, prefix: str, weights_enum: str) -> WeightFile:
    return WeightFile(
        name=f"lpips-{net}-backbone", filename=filename, format="torch state dict (torchvision ImageNet classifier)",
        published=f"https://download.pytorch.org/models/{filename} (torchvision {weights_enum}, which lpips' "
                  f"pretrained_networks.py loads through tv.{'alexnet' if net == 'alex' else 'vgg16'}(pretrained=True): "
                  f"{LPIPS}lpips/pretrained_networks.py)",
        sha256=None, sha256_prefix=prefix,
        sha256_source=f"the published file name ends in the first 8 hex digits of its sha256 ({prefix}), which "
                      "torch.hub checks on download",
        known_answer=NO_KNOWN_ANSWER, metrics=(f"lpips[{net}]",))


def _lpips_linear(net: str, digest: str) -> WeightFile:
    return WeightFile(
        name=f"lpips-{net}-linear", filename=f"lpips_{net}_v0.1.pth", format="torch state dict (lin0..lin4 1x1 convolutions)",
        published=f"{LPIPS}lpips/weights/v0.1/{net}.pth (also inside the lpips package on PyPI); save it as "
                  f"lpips_{net}_v0.1.pth",
        sha256=digest,
        sha256_source=f"computed by us from the file's bytes in richzhang/PerceptualSimilarity at commit 082bb24 "
                      f"({LPIPS}lpips/weights/v0.1/{net}.pth)",
        known_answer=NO_KNOWN_ANSWER, metrics=(f"lpips[{net}]",), licence="BSD-2-Clause (the repository's LICENSE)")


REGISTRY: dict[str, WeightFile] = {w.name: w for w in [
    WeightFile(
        name="syncnet_v2", filename="syncnet_v2.model", format="torch state dict (SyncNetModel.S)",
        published="http://www.robots.ox.ac.uk/~vgg/software/lipsync/data/syncnet_v2.model (download_model.sh of "
                  f"{SYNCNET}download_model.sh)",
        sha256=None, sha256_source=None,
        known_answer="demo_syncnet.py on data/example.avi: AV offset 3, min dist 5.353, confidence 10.021 "
                     f"({SYNCNET}README.md)",
        metrics=("lse-d[full-frame]", "lse-c[full-frame]", "lse-d[tracked]", "lse-c[tracked]")),
    _lpips_backbone("alex", "alexnet-owt-7be5be79.pth", "7be5be79", "AlexNet_Weights.IMAGENET1K_V1"),
    _lpips_linear("alex", "df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0"),
    _lpips_backbone("vgg", "vgg16-397923af.pth", "397923af", "VGG16_Weights.IMAGENET1K_V1"),
    _lpips_linear("vgg", "a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868"),
    WeightFile(
        name="inception-2015-12-05", filename="inception-2015-12-05.pt",
        format="TorchScript (NVIDIA's port of TensorFlow's 2015-12-05 Inception-v3; loaded with torch.jit.load)",
        published="https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/inception-2015-12-05.pt "
                  f"(inception_url in {CLEANFID}cleanfid/downloads_helper.py)",
        sha256=None, sha256_source=None, known_answer=NO_KNOWN_ANSWER, metrics=("fid[clean]",),
        licence="NVIDIA Source Code License for the TorchScript wrapper; Apache-2.0 for the network (clean-fid README)"),
    WeightFile(
        name="i3d-torchscript", filename="i3d_torchscript.pt",
        format="TorchScript (I3D trained on Kinetics-400, ported from the tf.hub model FVD uses; torch.jit.load)",
        published="https://www.dropbox.com/s/ge9e5ujwgetktms/i3d_torchscript.pt?dl=1 (detector_url in "
                  f"{STYLEGANV}src/metrics/frechet_video_distance.py)",
        sha256=None, sha256_source=None, known_answer=NO_KNOWN_ANSWER, metrics=("fvd[16]",)),
    *[WeightFile(
        name=f"arcface-{arch}", filename=f"arcface_{arch}.pth",
        format=f"torch state dict (arcface_torch backbones/iresnet.py i{arch.replace('r', 'resnet')})",
        published=f"the arcface_torch model zoo, as an {arch} backbone.pth (OneDrive and Baidu Yun links in "
                  f"{ARCFACE}README.md); save it as arcface_{arch}.pth. Which training set (MS1MV2, MS1MV3, "
                  "Glint360K, WebFace) changes the values: the card's sha256 says which file you used",
        sha256=None, sha256_source=None, known_answer=NO_KNOWN_ANSWER, metrics=(f"csim[arcface-{arch}]",),
        licence="non-commercial research only (arcface_torch README, Model Zoo)")
      for arch in ("r100", "r50")],
]}


def weights_dir(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    env = os.environ.get("THG_WEIGHTS_DIR")
    return Path(env) if env else None


def status(entry: WeightFile, digest: str) -> str:
    """verified / unverified, and against what."""
    if entry.sha256 is not None:
        if digest == entry.sha256:
            return f"verified: sha256 matches the registry's ({entry.sha256_source})"
        return f"unverified: sha256 differs from the registry's {entry.sha256} ({entry.sha256_source})"
    if entry.sha256_prefix is not None:
        if digest.startswith(entry.sha256_prefix):
            return f"verified: sha256 starts with {entry.sha256_prefix}, as {entry.sha256_source}"
        return f"unverified: sha256 does not start with {entry.sha256_prefix}, as {entry.sha256_source}"
    return "unverified: no public sha256 to check against"


def locate(name: str, folder: Path | None) -> tuple[Path, dict[str, Any]]:
    """The weight file's path and its card entry (sha256 and verified / unverified)."""
    from thg.eval.face import sha256

    entry = REGISTRY[name]
    base = weights_dir(folder)
    if base is None or not (base / entry.filename).is_file():
        where = f"in {base}" if base else "(no --weights-dir given and THG_WEIGHTS_DIR is not set)"
        raise EvalError(f"weights {entry.filename} not found {where}; it is published at {entry.published}. "
                        "Download it yourself and pass --weights-dir FOLDER (thg eval never downloads)")
    path = base / entry.filename
    digest = sha256(path)
    card: dict[str, Any] = {"sha256": digest, "status": status(entry, digest), "published": entry.published,
                            "format": entry.format}
    if entry.licence:
        card["licence"] = entry.licence
    return path, {entry.filename: card}


def for_metric(metric_id: str) -> list[WeightFile]:
    """The files a metric variant needs."""
    return [w for w in REGISTRY.values() if metric_id in w.metrics]
