"""Deep metrics with weights you bring (thg.eval.deep): the math against references, and the loading path.

The math (Fréchet distance, running covariances, LPIPS's distance given features, clean-fid's resize) is
checked against scipy / numpy references and hand-computed cases. The networks are checked with randomly
initialised files of the right shapes written here: those tests prove that a file of the published layout
loads, runs end to end and lands on the card; they say nothing about the values real weights give.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("dlib", reason="thg eval needs the [eval] extra")
torch = pytest.importorskip("torch", reason="the deep metrics need the [deep] extra (torch 2.13.0)")

from thg.cli import main  # noqa: E402
from thg.eval import synth  # noqa: E402
from thg.eval.deep import lpips  # noqa: E402
from thg.eval.deep.arcface import ArcFace, build_model  # noqa: E402
from thg.eval.deep.frechet import CLIP, FVD, CleanFID, clean_resize  # noqa: E402
from thg.eval.deep.stats import RunningGaussian, frechet_distance, trace_sqrt_product  # noqa: E402
from thg.eval.errors import EvalError  # noqa: E402
from thg.eval.weights import REGISTRY, locate  # noqa: E402


def _clean_fid_reference(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    """clean-fid's frechet_distance (cleanfid/fid.py at e88c4d6), written out with scipy.linalg.sqrtm."""
    from scipy import linalg

    covmean = linalg.sqrtm(s1.dot(s2))  # clean-fid passes disp=False, which SciPy 1.17 deprecates
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))


def test_frechet_distance_hand_computed_and_against_scipy_sqrtm() -> None:
    # diagonal covariances: tr sqrt(S1 S2) = sum sqrt(a_i b_i); d^2 = |mu1 - mu2|^2 + sum (sqrt a_i - sqrt b_i)^2
    d2 = frechet_distance(np.zeros(2), np.diag([1.0, 4.0]), np.array([1.0, 2.0]), np.diag([4.0, 9.0]))
    assert d2 == pytest.approx(5 + (1 - 2) ** 2 + (2 - 3) ** 2)
    rng = np.random.default_rng(0)
    for dim, rows in ((8, 50), (64, 200), (64, 20)):  # the last one is singular, as FID on few frames is
        a, b = rng.normal(size=(rows, dim)), rng.normal(1.0, 2.0, size=(rows, dim)) @ rng.normal(size=(dim, dim))
        mu1, s1, mu2, s2 = a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False)
        ours, reference = frechet_distance(mu1, s1, mu2, s2), _clean_fid_reference(mu1, s1, mu2, s2)
        assert ours == pytest.approx(reference, rel=1e-6, abs=1e-6), (dim, rows)
    assert frechet_distance(mu1, s1, mu1, s1) == pytest.approx(0, abs=1e-7 * np.trace(s1))
    assert trace_sqrt_product(np.eye(3) * 4, np.eye(3)) == pytest.approx(6)


def test_running_gaussian_matches_numpy_in_batches() -> None:
    rng = np.random.default_rng(1)
    rows = rng.normal(100.0, 3.0, size=(97, 5))  # a large mean: the shift keeps the sums precise
    stats = RunningGaussian(5)
    for start in range(0, 97, 13):
        stats.add(rows[start:start + 13])
    mean, cov = stats.mean_cov(ddof=1)
    assert np.allclose(mean, rows.mean(0)) and np.allclose(cov, np.cov(rows, rowvar=False))
    _, population = stats.mean_cov(ddof=0)
    assert np.allclose(population, np.cov(rows, rowvar=False, ddof=0))


def test_lpips_distance_given_features_hand_computed() -> None:
    # one channel: unit-normalised features are the signs, so (1 - (-1))^2 = 4, times the weight 0.5 -> 2 per layer
    f0 = [torch.full((1, 1, 2, 2), 2.0)] * 2
    f1 = [torch.full((1, 1, 2, 2), -3.0)] * 2
    assert float(lpips.distance_from_features(f0, f1, [torch.tensor([0.5])] * 2)[0]) == pytest.approx(4.0)
    # several channels against a numpy transcription of lpips.py's forward (normalize_tensor, lin, spatial_average)
    rng = np.random.default_rng(2)
    shapes = [(3, 4, 5), (6, 2, 3)]
    a = [rng.normal(size=(2, *s)) for s in shapes]
    b = [rng.normal(size=(2, *s)) for s in shapes]
    w = [rng.uniform(size=s[0]) for s in shapes]
    expected = np.zeros(2)
    for x, y, v in zip(a, b, w, strict=True):
        nx = x / (np.sqrt((x**2).sum(1, keepdims=True)) + 1e-10)
        ny = y / (np.sqrt((y**2).sum(1, keepdims=True)) + 1e-10)
        expected += np.einsum("c,nchw->nhw", v, (nx - ny) ** 2).mean(axis=(1, 2))
    got = lpips.distance_from_features([torch.from_numpy(x) for x in a], [torch.from_numpy(y) for y in b],
                                       [torch.from_numpy(v) for v in w])
    assert np.allclose(got.numpy(), expected)


def test_clean_resize_is_float_bicubic_per_channel() -> None:
    from PIL import Image

    frame = np.random.default_rng(3).integers(0, 256, (64, 48, 3), dtype=np.uint8)
    out = clean_resize(frame, 299)
    assert out.shape == (299, 299, 3) and out.dtype == np.float32 and out.min() >= 0 and out.max() <= 255
    green = np.asarray(Image.fromarray(frame[:, :, 1].astype(np.float32), mode="F").resize((299, 299), Image.Resampling.BICUBIC))
    assert np.array_equal(out[:, :, 1], green.clip(0, 255))
    assert not np.allclose(out, np.round(out))  # never quantised to 8 bits


# ---- loading paths, with random weights of the published layouts (loading, not values) ----

def _torchvision_like(net: str, folder: Path) -> None:
    """A trunk state dict keyed as torchvision saves it (features.N.*, plus a classifier we ignore) and LPIPS's lins."""
    torch.manual_seed(0)
    state = {f"features.{k}": v for k, v in lpips.build_trunk(net).features.state_dict().items()}
    state["classifier.1.weight"] = torch.zeros(4, 4)
    torch.save(state, folder / REGISTRY[f"lpips-{net}-backbone"].filename)
    linear = lpips.build_linear(net)
    for weight in linear.parameters():  # LPIPS's trained channel weights are non-negative
        weight.data.abs_()
    torch.save(linear.state_dict(), folder / REGISTRY[f"lpips-{net}-linear"].filename)


class _Inception(torch.nn.Module):
    """The TorchScript interface clean-fid calls: `.layers` maps (N, 3, 299, 299) to (N, 2048, 1, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(4), torch.nn.Conv2d(3, 2048, 4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class _I3D(torch.nn.Module):
    """The TorchScript interface StyleGAN-V calls: detector(videos, rescale=, resize=, return_features=) -> (N, 400)."""

    def __init__(self) -> None:
        super().__init__()
        self.head = torch.nn.Linear(3 * 4 * 4 * 4, 400)

    def forward(self, x: torch.Tensor, rescale: bool = False, resize: bool = False,
                return_features: bool = False) -> torch.Tensor:
        x = x.float()
        if rescale:
            x = x / 127.5 - 1
        x = torch.nn.functional.adaptive_avg_pool3d(x, 4)
        return self.head(x.flatten(1))


def _weights(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for net in ("alex", "vgg"):
        _torchvision_like(net, folder)
    torch.manual_seed(1)
    torch.jit.save(torch.jit.script(_Inception()), str(folder / REGISTRY["inception-2015-12-05"].filename))
    torch.jit.save(torch.jit.script(_I3D()), str(folder / REGISTRY["i3d-torchscript"].filename))
    model = build_model("r50")
    for module in model.modules():  # non-trivial batch-norm statistics, so the embedding depends on the face
        if isinstance(module, torch.nn.BatchNorm2d | torch.nn.BatchNorm1d):
            module.running_var.uniform_(0.5, 1.5)
    torch.save(model.state_dict(), folder / REGISTRY["arcface-r50"].filename)
    return folder


@pytest.fixture(scope="module")
def weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _weights(tmp_path_factory.mktemp("weights"))


def test_every_registry_entry_names_its_source() -> None:
    for entry in REGISTRY.values():
        assert entry.published and entry.known_answer and entry.metrics
        if entry.sha256 or entry.sha256_prefix:
            assert entry.sha256_source, entry.name
        if entry.sha256_prefix:
            assert entry.sha256_prefix in entry.filename  # the file name encodes it


def test_lpips_loads_trunk_and_linear_files(weights: Path, tmp_path: Path) -> None:
    frame = synth.portrait(128).image
    other = synth.degrade(frame, sigma=2.0, noise=3.0, seed=0)
    for net in ("alex", "vgg"):
        trunk, trunk_card = locate(f"lpips-{net}-backbone", weights)
        linear, linear_card = locate(f"lpips-{net}-linear", weights)
        # random files: neither the name-encoded prefix nor the published sha256 matches
        assert next(iter(trunk_card.values()))["status"].startswith("unverified: sha256 does not start with")
        assert next(iter(linear_card.values()))["status"].startswith("unverified: sha256 differs")
        model = lpips.LPIPS(net, trunk, linear)
        assert model.score(frame, frame) == pytest.approx(0, abs=1e-6)
        assert model.score(frame, other) > 0
    torch.save({"features.0.weight": torch.zeros(1)}, tmp_path / "bad.pth")
    with pytest.raises(EvalError, match="not torchvision AlexNet ImageNet weights"):
        lpips.LPIPS("alex", tmp_path / "bad.pth", weights / "lpips_alex_v0.1.pth")
    (tmp_path / "junk.pth").write_bytes(b"not a torch file")
    with pytest.raises(EvalError, match="not a readable torch state dict"):
        lpips.LPIPS("alex", tmp_path / "junk.pth", weights / "lpips_alex_v0.1.pth")


def test_published_lpips_linear_file_loads_when_present() -> None:
    """The real lin file from PerceptualSimilarity, where a developer put it in THG_WEIGHTS_DIR (not in CI)."""
    import os

    folder = os.environ.get("THG_WEIGHTS_DIR")
    path = Path(folder or "/nonexistent") / "lpips_alex_v0.1.pth"
    if not path.is_file():
        pytest.skip("no published lpips_alex_v0.1.pth in $THG_WEIGHTS_DIR")
    _, card = locate("lpips-alex-linear", path.parent)
    assert card["lpips_alex_v0.1.pth"]["status"].startswith("verified")
    from thg.eval.deep.loading import load_into, state_dict

    load_into(lpips.build_linear("alex"), state_dict(path), path, "LPIPS v0.1 alex linear weights")


def test_fid_and_fvd_load_torchscript_and_stream(weights: Path, tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    frames = [rng.integers(0, 256, (40, 40, 3), dtype=np.uint8) for _ in range(2 * CLIP + 3)]
    fid = CleanFID(locate("inception-2015-12-05", weights)[0], batch=5)
    fvd = FVD(locate("i3d-torchscript", weights)[0])
    for frame in frames:
        fid.add(frame, frame)
        fvd.add(frame, frame)
    fvd.end_video()
    value, n_valid, extra = fid.result()
    assert n_valid == len(frames) and extra["n_reference"] == len(frames) and value == pytest.approx(0, abs=1e-3)
    assert "singular" in extra["note"]
    value, n_valid, extra = fvd.result()
    assert n_valid == 2 and extra["unit"] == "clips" and value == pytest.approx(0, abs=1e-3)
    assert fvd.dropped == {f"frames after a video's last full {CLIP}-frame clip": 3}
    torch.save({"x": torch.zeros(1)}, tmp_path / "state.pt")
    with pytest.raises(EvalError, match="not a readable TorchScript file"):
        CleanFID(tmp_path / "state.pt")
    torch.jit.save(torch.jit.script(_I3D()), str(tmp_path / "no_layers.pt"))
    with pytest.raises(EvalError, match=r"without \.layers"):
        CleanFID(tmp_path / "no_layers.pt")


def test_arcface_loads_an_iresnet_state_dict(weights: Path, tmp_path: Path) -> None:
    network = ArcFace("r50", locate("arcface-r50", weights)[0])
    rng = np.random.default_rng(5)
    face = rng.integers(0, 256, (112, 112, 3), dtype=np.uint8)
    embedding = network.embed(face)
    assert embedding.shape == (512,) and np.isfinite(embedding).all()
    assert not np.allclose(embedding, network.embed(face[::-1].copy()))
    with pytest.raises(EvalError, match="not arcface_torch iresnet100 weights"):
        ArcFace("r100", locate("arcface-r50", weights)[0])


def test_deep_metrics_end_to_end_on_the_synthetic_clip(weights: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """thg eval metrics with the deep metrics on random weights: numbers, counts and the card's weights.

    (VGG LPIPS and SyncNet are left to their own tests above and in test_eval.py, and ArcFace scores 3 frames:
    an iresnet on two shared cores takes about a second per face.)"""
    frames = 2 * CLIP + 2
    folder = tmp_path / "clip"
    generated, reference = synth.make_pair(folder, synth.tone_speech(frames / synth.FPS), size=192, lag=2)
    out = tmp_path / "out"
    assert main(["eval", "metrics", "--generated", str(generated), "--reference", str(reference), "--metrics",
                 "csim[arcface-r50]", "--count", "3", "--weights-dir", str(weights), "--out", str(out)]) == 0
    identity = json.loads((out / "metrics.json").read_text())["aggregate"]["csim[arcface-r50]"]
    assert identity["n_valid"] + identity["n_dropped"] == 3 and -1 <= identity["value"] <= 1
    card = json.loads((out / "card.json").read_text())
    assert card["weights"]["arcface_r50.pth"]["licence"].startswith("non-commercial")
    assert card["weights"]["arcface_r50.pth"]["status"].startswith("unverified")
    ids = "lpips[alex],fid[clean],fvd[16]"
    assert main(["eval", "metrics", "--generated", str(generated), "--reference", str(reference), "--metrics", ids,
                 "--weights-dir", str(weights), "--out", str(out)]) == 0, capsys.readouterr().err
    report: dict[str, Any] = json.loads((out / "metrics.json").read_text())
    aggregate = report["aggregate"]
    assert aggregate["lpips[alex]"]["n_valid"] == frames and aggregate["lpips[alex]"]["value"] > 0
    assert aggregate["fid[clean]"]["n_generated"] == frames and aggregate["fid[clean]"]["value"] > 0
    assert aggregate["fvd[16]"]["n_valid"] == 2 and aggregate["fvd[16]"]["dropped"] == {
        f"frames after a video's last full {CLIP}-frame clip": 2}
    card = report["card"]
    for entry in ("alexnet-owt-7be5be79.pth", "lpips_alex_v0.1.pth", "inception-2015-12-05.pt", "i3d_torchscript.pt"):
        assert card["weights"][entry]["status"].startswith("unverified"), entry
    assert "fid[clean]" not in report["videos"][0]["metrics"]  # set-level: no per-video value
    capsys.readouterr()
    assert main(["eval", "metrics", "--generated", str(generated), "--reference", str(reference), "--metrics",
                 "fvd[16]", "--weights-dir", str(tmp_path / "empty"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "i3d_torchscript.pt not found" in err and "dropbox" in err and "Traceback" not in err
