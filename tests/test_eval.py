"""`thg eval`: reference agreement, hand-computed cases, the standing ground-truth test, protocols, bad input.

Runs offline on a synthetic clip made here (scikit-image's astronaut, mouth opened with a tone's loudness).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

pytest.importorskip("dlib")
pytest.importorskip("av")

from thg.cli import main
from thg.eval import synth
from thg.eval.metrics.brisque import brisque
from thg.eval.metrics.cpbd import cpbd, to_gray
from thg.eval.metrics.fidelity import psnr, ssim
from thg.eval.metrics.landmarks import lmd
from thg.eval.video import probe, write_video
from thg.models import ResultTable

FRAMES = 60


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("clip")
    return synth.make_pair(folder, synth.tone_speech(FRAMES / synth.FPS), size=320, lag=2)


def _images() -> list[tuple[np.ndarray, np.ndarray]]:
    from skimage import data

    reference = data.astronaut()[100:356, 100:356]
    return [(synth.degrade(reference, sigma=s, noise=n, seed=k), reference)
            for k, (s, n) in enumerate([(0.6, 1.0), (1.5, 4.0), (3.0, 0.0)])]


def test_psnr_and_ssim_agree_with_scikit_image() -> None:
    from skimage.metrics import peak_signal_noise_ratio, structural_similarity

    for generated, reference in _images():
        assert psnr(generated, reference) == pytest.approx(peak_signal_noise_ratio(reference, generated, data_range=255), abs=1e-9)
        gaussian = structural_similarity(reference, generated, channel_axis=2, data_range=255, gaussian_weights=True,
                                         sigma=1.5, use_sample_covariance=False)
        uniform = structural_similarity(reference, generated, channel_axis=2, data_range=255)
        assert ssim(generated, reference, "gaussian") == pytest.approx(gaussian, abs=1e-9)
        assert ssim(generated, reference, "uniform") == pytest.approx(uniform, abs=1e-9)
        assert abs(gaussian - uniform) > 1e-4  # the two variants really differ


def test_cpbd_agrees_with_the_cpbd_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.ndimage

    # cpbd 1.0.7 imports scipy.ndimage.imread, removed in SciPy 1.2; it only uses it in its __main__ block
    monkeypatch.setattr(scipy.ndimage, "imread", lambda *a, **k: None, raising=False)
    monkeypatch.delitem(sys.modules, "cpbd", raising=False)
    reference = pytest.importorskip("cpbd")
    for generated, _ in [*_images()[:2], (_images()[0][1], None)]:
        assert cpbd(generated) == pytest.approx(reference.compute(to_gray(generated)), abs=1e-6)


def test_cpbd_canny_and_widths_match_their_references() -> None:
    """thg's canny is scikit-image's, edge for edge; the sparse widths equal the dense ones (ramps hit the 100 cap)."""
    from skimage.feature import canny as skimage_canny

    from thg.eval.metrics.cpbd import _octave_sobel, canny, edge_widths, sparse_widths

    rng = np.random.default_rng(7)
    images = [to_gray(g) for g, _ in _images()] + [rng.normal(0, 60, (70, 90)), np.zeros((5, 7)), np.full((20, 9), 3.0),
                                                   np.tile(np.r_[np.arange(150.0), 400.0, np.arange(150.0)], (40, 1))]
    for image in images:
        assert np.array_equal(canny(image), skimage_canny(image)), image.shape
        edges = _octave_sobel(image)
        rows, cols, widths = sparse_widths(edges, image)
        dense = edge_widths(edges, image)
        assert np.array_equal(dense[rows, cols], widths) and np.count_nonzero(dense) == len(widths)
    ramp = images[-1]
    assert 100 < sparse_widths(_octave_sobel(ramp), ramp)[2].max() <= 2 * 100 + 2  # a 150-pixel run, capped at 100


def test_brisque_agrees_with_the_brisque_package() -> None:
    pytest.importorskip("cv2")
    package = pytest.importorskip("brisque")
    model = package.BRISQUE(url=False)
    features = model.calculate_brisque_features
    # brisque 0.2.0 returns 1-element arrays that numpy 2 refuses to float(): flatten them, change nothing else
    model.calculate_brisque_features = lambda *a, **k: np.array([np.asarray(f).item() for f in features(*a, **k)])
    for generated, _ in _images():
        assert brisque(generated) == pytest.approx(model.score(generated), abs=1e-6)


def test_lmd_hand_computed_cases() -> None:
    reference = np.zeros((68, 2))
    reference[48:68] = np.stack([np.arange(20.0), np.zeros(20)], 1)
    assert lmd(reference + np.array([5.0, -3.0]), reference) == 0  # a translation vanishes after centring
    moved = reference.copy()
    moved[50] += [20.0, 0.0]  # one mouth point 20 px right: the centroid moves 1 px right
    # point 50 is off by 19 px, the other 19 points by 1 px each: sum 38, mean 1.9
    assert lmd(moved, reference, "mouth", "sum") == pytest.approx(38.0)
    assert lmd(moved, reference, "mouth", "mean") == pytest.approx(1.9)
    # over all 68 points (the other 48 at the origin) the centroid moves 20/68 px
    shift = 20 / 68
    expected = (20 - shift) + 67 * shift
    assert lmd(moved, reference, "face", "sum") == pytest.approx(expected)
    assert lmd(moved, reference, "face", "mean") == pytest.approx(expected / 68)


def _run(*args: str) -> int:
    return main(["eval", *args])


def _run_in(root: Path, *args: str) -> int:
    return main(["--root", str(root), "eval", *args])


def test_ground_truth_against_itself(clip: tuple[Path, Path], tmp_path: Path) -> None:
    _, reference = clip
    out = tmp_path / "gt"
    assert _run("metrics", "--generated", str(reference), "--reference", str(reference), "--count", "8", "--out", str(out),
                "--metrics", "psnr,ssim[gaussian],lmd[mouth,sum],lmd[mouth,mean],csim[dlib]") == 0
    report = json.loads((out / "metrics.json").read_text())
    aggregate = report["aggregate"]
    assert aggregate["psnr"]["value"] == "inf"
    assert aggregate["ssim[gaussian]"]["value"] == pytest.approx(1.0)
    assert aggregate["lmd[mouth,sum]"]["value"] == 0 and aggregate["lmd[mouth,mean]"]["value"] == 0
    assert aggregate["csim[dlib]"]["value"] == pytest.approx(1.0)
    assert all(m["n_valid"] == 8 and m["n_dropped"] == 0 for m in aggregate.values())


def test_metrics_writes_numbers_with_counts_and_a_card(clip: tuple[Path, Path], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    generated, reference = clip
    out = tmp_path / "run"
    assert _run("metrics", "--generated", str(generated), "--reference", str(reference), "--count", "6", "--out", str(out),
                "--metrics", "psnr,ssim[gaussian],cpbd,lmd[mouth,sum],csim[dlib]", "--as-results-table",
                "--dataset", "hdtf", "--source", "https://example.org/our-paper", "--method", "Ours") == 0
    printed = capsys.readouterr().out
    report = json.loads((out / "metrics.json").read_text())
    card = report["card"]
    assert card["protocol"] == "custom"
    for key in ("detector", "landmark_model", "landmark_points", "normalisation", "alignment", "resolution", "resize",
                "frame_codec", "fps", "audio_rate", "weights", "packages", "frames", "licence_note"):
        assert key in card, key
    assert card["frame_codec"] == "h264" and card["fps"] == 25 and card["frames"]["used"] == 6
    assert all(len(w["sha256"]) == 64 for w in card["weights"].values())
    lmd_value = report["aggregate"]["lmd[mouth,sum]"]["value"]
    assert lmd_value > 0  # the generated mouth lags by 2 frames
    rows = (out / "metrics.csv").read_text().splitlines()
    assert rows[0] == "scope,video,metric,value,n_valid,n_dropped,dropped_reasons" and len(rows) == 11
    frames = (out / "frames.csv").read_text().splitlines()
    assert len(frames) == 1 + 6 * 5
    block = yaml.safe_load(printed[printed.index("results:"):])
    table = ResultTable.model_validate(block["results"][0], strict=False)
    assert table.rows[0].values["lmd[mouth,sum]"] == pytest.approx(lmd_value)
    assert table.protocol.id is None and "custom run" in (table.protocol.notes or "")


def _protocol(folder: Path, reference: Path, **changes: object) -> Path:
    """A protocol record in the repository's one schema (thg.models.EvalProtocol) for the synthetic clip."""
    data: dict[str, object] = {
        "id": "synthetic-demo", "name": "Synthetic demo protocol", "description": "The astronaut clip, test only.",
        "test_set": {"dataset": "set-one", "items": [{"id": reference.stem,
                                                     "sha256": hashlib.sha256(reference.read_bytes()).hexdigest()}]},
        "frames": {"method": "first", "count": 4, "fps": 25},
        "reference": {"video": "ground-truth", "audio": "ground-truth"},
        "preprocessing": {"face_crop": "none, full frames", "resize": "none"},
        "metrics": [{"metric": "psnr"}, {"metric": "lmd", "variant": "mouth,mean", "settings": {"points": "48-67"}}],
        "sources": ["https://example.org/synthetic-demo"],
    }
    data.update(changes)
    path = folder / "synthetic-demo.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_protocol_run_and_pre_run_check(clip: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generated, reference = clip
    protocol = _protocol(tmp_path, reference)
    args = ["metrics", "--generated", str(generated.parent), "--reference", str(reference.parent), "--protocol", str(protocol)]
    assert _run(*args, "--out", str(tmp_path / "a")) == 0
    card = json.loads((tmp_path / "a" / "card.json").read_text())
    assert card["protocol"] == "synthetic-demo" and card["frames"]["used"] == 4 and card["dataset"] == "set-one"
    assert set(card["metrics"]) == {"psnr", "lmd[mouth,mean]"} and card["reference"]["video"] == "ground-truth"
    assert _run(*args, "--stride", "2", "--out", str(tmp_path / "b")) == 0
    card = json.loads((tmp_path / "b" / "card.json").read_text())
    assert card["protocol"] == "custom" and card["based_on"] == "synthetic-demo"
    assert card["deviations"] == ["--stride 2 given on the command line overrides the protocol"]
    capsys.readouterr()
    bad = _protocol(tmp_path, reference, test_set={"dataset": "set-one", "items": [
        {"id": reference.stem, "sha256": "0" * 64}, {"id": "gone"}]})
    assert _run("metrics", "--generated", str(generated.parent), "--reference", str(reference.parent), "--protocol",
                str(bad), "--out", str(tmp_path / "c")) == 1
    err = capsys.readouterr().err
    assert "pre-run check" in err and "does not match the protocol's sha256" in err and "gone.mp4" in err
    assert "nothing was computed" in err and not (tmp_path / "c" / "metrics.json").exists()
    other = _protocol(tmp_path, reference, metrics=[{"metric": "lmd", "variant": "mouth,mean", "settings": {"points": "49-68"}}])
    assert _run("metrics", "--generated", str(generated.parent), "--reference", str(reference.parent), "--protocol",
                str(other), "--out", str(tmp_path / "d")) == 0
    card = json.loads((tmp_path / "d" / "card.json").read_text())
    assert card["protocol"] == "custom" and "points='49-68'" in card["deviations"][0]
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("id: synthetic-demo\nitems: [{path: clip.mp4}]\n", encoding="utf-8")
    assert _run("metrics", "--generated", str(generated.parent), "--protocol", str(wrong)) == 1
    assert "not a valid protocol record" in capsys.readouterr().err


def test_protocol_records_on_main_run_their_pre_run_check(clip: tuple[Path, Path], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The repository's own protocol records, read through the model: items, manifests, frame rates."""
    generated, reference = clip
    repo = Path(__file__).resolve().parent.parent
    folders = ["--generated", str(generated.parent), "--reference", str(reference.parent)]
    assert _run("metrics", *folders, "--protocol", "wav2lip-lrs2", "--out", str(tmp_path / "w")) == 1
    assert "Save it and pass --manifest FILE" in capsys.readouterr().err
    fake = tmp_path / "lrs2.txt"
    fake.write_text("6330311066473698535/00011 6330311066473698535/00001\n", encoding="utf-8")
    assert _run("metrics", *folders, "--protocol", "wav2lip-lrs2", "--manifest", str(fake)) == 1
    assert "not the published c57815f5" in capsys.readouterr().err
    assert _run("metrics", *folders, "--protocol", str(repo / "protocols" / "gagavatar-hdtf.yaml"),
                "--metrics", "psnr", "--out", str(tmp_path / "g")) == 1
    err = capsys.readouterr().err
    assert "WRA_ReneeEllmers_000: generated video" in err and "is missing" in err and "Traceback" not in err
    # THEval publishes no item list: the run goes ahead on the videos given, labelled custom
    assert _run("metrics", *folders, "--protocol", "theval", "--metrics", "psnr", "--count", "2",
                "--out", str(tmp_path / "t")) == 0
    card = json.loads((tmp_path / "t" / "card.json").read_text())
    assert card["protocol"] == "custom" and card["based_on"] == "theval"
    assert any("publishes no list of items" in d for d in card["deviations"])


def test_results_table_passes_the_validator(clip: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """--as-results-table under a protocol: metric[variant] columns and protocol: {id}, accepted by `thg validate`."""
    from conftest import REPO, make_tree

    from thg.validate import validate

    generated, reference = clip
    tree = make_tree(tmp_path / "tree")
    for metric in ("psnr", "lmd"):
        (tree / "metrics" / f"{metric}.yaml").write_text((REPO / "metrics" / f"{metric}.yaml").read_text("utf-8"), "utf-8")
    _protocol(tree / "protocols", reference)
    capsys.readouterr()
    assert _run_in(tree, "metrics", "--generated", str(generated.parent), "--reference", str(reference.parent),
                "--protocol", "synthetic-demo", "--out", str(tmp_path / "run"), "--as-results-table",
                "--source", "https://example.org/alpha/table9", "--method", "alpha-talker") == 0
    printed = capsys.readouterr().out
    block = yaml.safe_load(printed[printed.index("results:"):])
    table = block["results"][0]
    assert table["protocol"]["id"] == "synthetic-demo" and table["dataset"] == "set-one"
    assert set(table["rows"][0]["values"]) == {"psnr", "lmd[mouth,mean]"}
    paper_path = tree / "papers" / "alpha-talker.yaml"
    paper = yaml.safe_load(paper_path.read_text("utf-8"))
    paper["metrics"] += ["psnr", "lmd"]
    paper["results"].append(table)
    paper_path.write_text(yaml.safe_dump(paper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = validate(tree)
    assert result.problems == [], [str(p) for p in result.problems]
    # a custom run carries no protocol id, and a protocol's table refuses another dataset
    assert _run_in(tree, "metrics", "--generated", str(generated.parent), "--reference",
                str(reference.parent), "--protocol", "synthetic-demo", "--stride", "2", "--out", str(tmp_path / "c"),
                "--as-results-table", "--source", "https://example.org/x") == 0
    printed = capsys.readouterr().out
    custom = yaml.safe_load(printed[printed.index("results:"):])["results"][0]
    assert "id" not in custom["protocol"] and "Deviates from protocol synthetic-demo" in custom["protocol"]["notes"]
    assert _run_in(tree, "metrics", "--generated", str(generated.parent), "--reference",
                str(reference.parent), "--protocol", "synthetic-demo", "--out", str(tmp_path / "d"),
                "--as-results-table", "--source", "https://example.org/x", "--dataset", "set-two") == 1
    assert "drop --dataset" in capsys.readouterr().err


def _write(path: Path, frames: list[np.ndarray], fps: float = 25, audio: np.ndarray | None = None) -> Path:
    write_video(path, iter(frames), fps, audio=audio)
    return path


def test_bad_input_gets_a_clear_error(clip: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generated, reference = clip
    portrait = synth.portrait(320).image
    (tmp_path / "junk.mp4").write_bytes(b"not a video at all")
    cases = {
        "not a readable video": ["--generated", str(tmp_path / "junk.mp4"), "--reference", str(reference)],
        "no such file": ["--generated", str(tmp_path / "missing.mp4"), "--reference", str(reference)],
        "fps": ["--generated", str(_write(tmp_path / "fps.mp4", [portrait] * FRAMES, fps=30)), "--reference", str(reference)],
        "frames but": ["--generated", str(_write(tmp_path / "short.mp4", [portrait] * 10)), "--reference", str(reference)],
        "is 256x256 but": ["--generated", str(_write(tmp_path / "small.mp4", [portrait[:256, :256]] * FRAMES)),
                           "--reference", str(reference)],
        "no face found in": ["--generated", str(_write(tmp_path / "noface.mp4", [np.full((320, 320, 3), 128, np.uint8)] * FRAMES)),
                             "--reference", str(reference), "--metrics", "lmd[mouth,sum]", "--count", "4"],
        "unknown metric": ["--generated", str(generated), "--reference", str(reference), "--metrics", "lmd[lips,sum]"],
        "need torch": ["--generated", str(generated), "--metrics", "lse-d[full-frame]"],
    }
    for expected, args in cases.items():
        if expected == "need torch" and _torch():
            continue
        assert _run("metrics", *args, "--out", str(tmp_path / "out")) == 1, expected
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (expected, err)
    assert _run("lipsync", str(tmp_path / "noface.mp4"), "--out", str(tmp_path / "ls")) == 1
    assert "no audio stream" in capsys.readouterr().err


def _torch() -> bool:
    from thg.eval.deep import torch_available

    return torch_available()


def test_align_writes_frames_landmarks_and_missing_faces(clip: tuple[Path, Path], tmp_path: Path) -> None:
    _, reference = clip
    portrait = synth.portrait(320).image
    blank = np.full_like(portrait, 90)
    mixed = _write(tmp_path / "mixed.mp4", [portrait, blank, portrait, portrait])
    assert _run("align", str(mixed), "--size", "112", "--out", str(tmp_path / "al"), "--write", "frames") == 0
    data = np.load(tmp_path / "al" / "landmarks.npz")
    assert data["points"].shape == (4, 68, 2) and list(data["found"]) == [True, False, True, True]
    assert len(list((tmp_path / "al" / "frames").glob("*.png"))) == 4
    assert "1,no face detected" in (tmp_path / "al" / "missing.csv").read_text()
    # aligned eyes land on the template
    from thg.eval import face as facelib

    found = facelib.detect(portrait)
    assert isinstance(found, facelib.Face)
    _crop, matrix = facelib.align(portrait, found, 112)
    placed = facelib.transform_points(found.five(), matrix)
    assert np.abs(placed[:2] - facelib.ARCFACE_TEMPLATE_112[:2]).max() < 4
    assert probe(reference).frames == FRAMES


def test_lipsync_recovers_the_lag_and_writes_png_and_svg(clip: tuple[Path, Path], tmp_path: Path) -> None:
    generated, reference = clip
    assert _run("lipsync", str(generated), "--out", str(tmp_path / "g")) == 0
    assert _run("lipsync", str(reference), "--out", str(tmp_path / "r")) == 0
    lag_g = json.loads((tmp_path / "g" / "lipsync.json").read_text())["best_lag_frames"]
    lag_r = json.loads((tmp_path / "r" / "lipsync.json").read_text())["best_lag_frames"]
    assert lag_g - lag_r == 2
    assert (tmp_path / "g" / "lipsync.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "g" / "lipsync.svg").read_text().lstrip().startswith("<?xml")


def test_the_survey_scripts_are_thin_wrappers(tmp_path: Path) -> None:
    import subprocess

    repo = Path(__file__).resolve().parent.parent
    for script in ("compute_metrics.py", "align_faces.py", "visualize_lipsync.py"):
        done = subprocess.run([sys.executable, str(repo / "scripts" / script), "--help"], capture_output=True, text=True)
        assert done.returncode == 0 and "usage: thg eval" in done.stdout, script


def test_missing_weights_name_the_file(tmp_path: Path) -> None:
    from thg.eval.errors import EvalError
    from thg.eval.weights import locate

    with pytest.raises(EvalError, match=r"syncnet_v2\.model not found .* published at http"):
        locate("syncnet_v2", tmp_path)


def test_syncnet_loading_path_with_random_weights(tmp_path: Path) -> None:
    """Checks loading and the LSE arithmetic on random weights of the right shapes; not SyncNet's values."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("python_speech_features")
    from thg.eval.deep import syncnet
    from thg.eval.errors import EvalError
    from thg.eval.weights import locate

    torch.manual_seed(0)
    torch.save(syncnet.build_model().state_dict(), tmp_path / "syncnet_v2.model")
    path, card = locate("syncnet_v2", tmp_path)
    assert card["syncnet_v2.model"]["status"].startswith("unverified")
    model = syncnet.load_model(path)
    frames = (np.random.default_rng(0).integers(0, 255, (224, 224, 3)).astype(np.float32) for _ in range(12))
    result = syncnet.evaluate(model, frames, np.zeros(12 * 640, np.float32), 12)
    assert result["windows"] == 7 and result["lse_c"] >= 0 and -15 <= result["offset"] <= 15
    torch.save({"wrong": torch.zeros(3)}, tmp_path / "bad.model")
    with pytest.raises(EvalError, match="not SyncNet weights"):
        syncnet.load_model(tmp_path / "bad.model")


def test_lse_offsets_follow_calc_pdist() -> None:
    """calc_pdist by hand: a video feature equal to the audio feature k windows later gives offset -k."""
    from thg.eval.deep.syncnet import offsets, scores

    rng = np.random.default_rng(1)
    audio = rng.normal(size=(40, 8))
    video = np.roll(audio, -3, axis=0)[:40]
    result = scores(offsets(video[:30], audio[:30], vshift=5), vshift=5)
    assert result["offset"] == -3 and result["lse_d"] < 0.5 and result["lse_c"] > 1
    assert math.isfinite(result["lse_c"])


def _moving_box(frame: int, x: float = 100.0, side: float = 120.0) -> tuple[float, float, float, float]:
    left = x + frame  # one pixel per frame: consecutive boxes overlap with IoU far above 0.5
    return (left, 50.0, left + side, 50.0 + side)


def test_face_tracks_follow_track_shot() -> None:
    """run_pipeline.py's track_shot by hand: detections up to 25 frames apart are linked (boxes interpolated
    between them); farther apart, a jump (IoU <= 0.5), a short track (100 detections or fewer) or a small face
    (mean side <= 100 px) is not."""
    from thg.eval.deep.syncnet import face_tracks, iou

    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(50 / 150)
    frames: list[list[tuple[float, float, float, float]]] = [[] for _ in range(400)]
    for i in range(0, 130):
        if not 40 <= i < 64:  # frames 39 and 64 are 25 apart: linked
            frames[i].append(_moving_box(i))
        frames[i].append((600.0, 50.0, 680.0, 130.0))  # 80 px: too small, dropped
    for i in range(160, 270):  # 30 frames after the first track's end: a new track
        frames[i].append(_moving_box(i))
    for i in range(300, 400):  # exactly 100 detections: too short
        frames[i].append(_moving_box(i))
    tracks = face_tracks(frames)
    assert [(int(span[0]), int(span[-1])) for span, _ in tracks] == [(0, 129), (160, 269)]
    span, boxes = tracks[0]
    assert len(span) == len(boxes) == 130
    assert boxes[52].tolist() == pytest.approx([152.0, 50.0, 272.0, 170.0])  # interpolated across the gap
    jump = [[_moving_box(i, x=100.0 if i < 120 else 500.0)] for i in range(240)]  # IoU 0 at frame 120
    assert [(int(s[0]), int(s[-1])) for s, _ in face_tracks(jump)] == [(0, 119), (120, 239)]
    apart = [[_moving_box(i)] if not 20 <= i < 45 else [] for i in range(65)]  # frames 19 and 45: 26 apart
    assert [(int(s[0]), int(s[-1])) for s, _ in face_tracks(apart, min_track=10)] == [(0, 19), (45, 64)]


def test_tracked_crop_follows_crop_video() -> None:
    """crop_video's window: rows cy - s .. cy + 1.8 s, columns cx - 1.4 s .. cx + 1.4 s, grey 110 outside the frame."""
    from thg.eval.deep.syncnet import crop, crop_windows

    boxes = np.array([[100.0, 100.0, 200.0, 200.0]] * 20)
    windows = crop_windows(boxes)
    assert windows[0].tolist() == [50.0, 150.0, 150.0]
    frame = np.zeros((400, 400, 3), np.uint8)
    frame[100:240, 80:220] = 200  # exactly the crop: s 50, rows 100..239, columns 80..219
    assert (crop(frame, *windows[0]) == 200).all()
    frame[100:240, 80:220] = 0
    frame[100:101, 80:220] = 255  # the window's first row only
    assert crop(frame, *windows[0])[0].min() > 0 and crop(frame, *windows[0])[-1].max() == 0
    corner = crop(np.zeros((400, 400, 3), np.uint8), 50.0, 20.0, 20.0)  # window reaches past the top-left corner
    assert corner[0, 0].tolist() == [110, 110, 110] and corner[-1, -1].tolist() == [0, 0, 0]


def test_tracked_lse_end_to_end_with_random_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """lse-d[tracked] on a synthetic clip: the track spans the clip and the card lists what differs from
    run_pipeline.py. Random weights: this checks the path, not SyncNet's values."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("python_speech_features")
    from thg.eval.deep import syncnet

    torch.manual_seed(0)
    weights = tmp_path / "weights"
    weights.mkdir()
    torch.save(syncnet.build_model().state_dict(), weights / "syncnet_v2.model")
    frames = 110
    generated, _ = synth.make_pair(tmp_path / "clip", synth.tone_speech(frames / synth.FPS), size=256)
    out = tmp_path / "out"
    assert _run("metrics", "--generated", str(generated), "--metrics", "lse-d[tracked]", "--upsample", "0",
                "--weights-dir", str(weights), "--out", str(out)) == 0, capsys.readouterr().err
    report = json.loads((out / "metrics.json").read_text())
    tally = report["aggregate"]["lse-d[tracked]"]
    assert math.isfinite(tally["value"]) and tally["n_valid"] == frames - 5
    assert report["videos"][0]["metrics"]["lse-d[tracked]"]["track"] == {"first_frame": 0, "frames": frames,
                                                                          "tracks_found": 1}
    settings = report["card"]["metrics"]["lse-d[tracked]"]
    assert "S3FD" in settings["detector"] and "shot detection" in settings["deviations"]
    assert "1fbfc081bda41f27aab51c0fbaa0e5e337126cf3/run_pipeline.py" in settings["follows"]
    short = _write(tmp_path / "short.mp4", [synth.portrait(256).image] * 60)
    assert _run("metrics", "--generated", str(short), "--audio", str(generated), "--metrics", "lse-d[tracked]",
                "--upsample", "0", "--weights-dir", str(weights), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "no face track" in err and "more than 100 frames" in err and "Traceback" not in err


def test_evaluate_page_is_current_with_the_catalog_and_registry() -> None:
    """docs/evaluate.md is written by `make eval-demo`; its reference sections must match the code as it is now."""
    from thg.eval.demo import reference_sections

    page = (Path(__file__).resolve().parents[1] / "docs" / "evaluate.md").read_text(encoding="utf-8")
    stale = [line for line in reference_sections() if line and line not in page]
    assert not stale, f"docs/evaluate.md is out of date (run make eval-demo): {stale[:2]}"


def test_metric_pages_link_to_their_thg_eval_implementation(tmp_path: Path) -> None:
    """Each metric record's page lists the thg eval variants, their file, the source they follow and the weights."""
    from conftest import REPO, make_tree

    from thg.index import build_index
    from thg.site.generate import generate_site
    from thg.validate import load_valid

    tree = make_tree(tmp_path / "tree")
    for metric in ("lse-d", "lpips", "lmd"):
        (tree / "metrics" / f"{metric}.yaml").write_text((REPO / "metrics" / f"{metric}.yaml").read_text("utf-8"), "utf-8")
    pages = generate_site(build_index(load_valid(tree)))
    lse = str(pages["metrics/lse-d.md"])
    assert "Compute it with thg eval" in lse and 'href="../../evaluate/#implementations"' in lse
    assert "<code>lse-d[tracked]</code>" in lse and "dlib HOG" in lse and "S3FD" in lse
    assert "<code>syncnet_v2.model</code>" in lse and "thg/eval/deep/syncnet.py" in lse
    lpips_page = str(pages["metrics/lpips.md"])
    assert "alexnet-owt-7be5be79.pth" in lpips_page and "PerceptualSimilarity" in lpips_page
    lmd_page = str(pages["metrics/lmd.md"])
    assert "<code>lmd[mouth,sum]</code>" in lmd_page and "weights you bring" not in lmd_page
    assert "Compute it with thg eval" not in str(pages["metrics/score-up.md"])
