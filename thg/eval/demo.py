"""`make eval-demo`: the synthetic clip scored end to end, and the "Evaluate" page with its plots.

Builds the astronaut clip with espeak-ng speech (reference) and a degraded copy whose mouth lags two frames
(generated), runs `thg eval metrics` and `thg eval lipsync` on them, then scores the same pair under
different crops, resize filters and LMD reductions and charts how far the numbers move.

Usage: python -m thg.eval.demo --out build/eval-demo --page docs/evaluate.md
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path
from typing import Any

from thg.eval import commands, synth
from thg.eval.lipsync import analyse, plot, pyplot, save_figure
from thg.eval.protocol import Crop, Sampling

VARIANTS: list[tuple[str, Crop]] = [
    ("full frame, 320 px", Crop("full")),
    ("full frame → 160 px, PIL bicubic (antialiased)", Crop("full", 160, "pil-bicubic")),
    ("full frame → 160 px, OpenCV bicubic", Crop("full", 160, "cv2-bicubic")),
    ("full frame → 160 px, OpenCV area", Crop("full", 160, "cv2-area")),
    ("full frame → 160 px, nearest", Crop("full", 160, "nearest")),
    ("aligned face, 112 px", Crop("aligned", 112)),
    ("aligned face, 256 px", Crop("aligned", 256)),
]


def _score(gen: Path, ref: Path, crop: Crop, metric_ids: list[str], out: Path) -> dict[str, Any]:
    report = commands.metrics(gen.parent / gen.name, ref, protocol_name=None, metric_ids=metric_ids, crop=crop,
                              frames=Sampling(stride=5), upsample=1, max_no_face=0.5, out=out, weights_dir=None,
                              root=None, stdout=io.StringIO())
    return {mid: t["value"] for mid, t in report["aggregate"].items()}


def sensitivity_chart(rows: list[tuple[str, dict[str, Any]]], lmd: dict[str, Any], path: Path) -> None:
    fig, axes = pyplot().subplots(1, 3, figsize=(11, 4.2), layout="constrained")
    labels = [label for label, _ in rows]
    for ax, metric, title in ((axes[0], "ssim[gaussian]", "SSIM (Gaussian window)"), (axes[1], "psnr", "PSNR (dB)")):
        values = [float(v[metric]) for _, v in rows]
        ax.barh(range(len(rows)), values, color="#5c6bc0")
        ax.set_yticks(range(len(rows)), labels if ax is axes[0] else [""] * len(rows), fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(min(values) - (max(values) - min(values)) * 0.6, max(values) + (max(values) - min(values)) * 0.2)
        for y, value in enumerate(values):
            ax.text(value, y, f" {value:.3f}" if metric != "psnr" else f" {value:.2f}", va="center", fontsize=8)
        ax.set_title(title)
    names = list(lmd)
    axes[2].bar(range(len(names)), [float(lmd[n]) for n in names], color="#ef6c00")
    axes[2].set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    axes[2].set_title("LMD: same landmarks, four reductions")
    for x, n in enumerate(names):
        axes[2].text(x, float(lmd[n]), f"{float(lmd[n]):.2f}", ha="center", va="bottom", fontsize=8)
    fig.suptitle("One generated/reference pair, scored under different settings")
    save_figure(fig, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/eval-demo"))
    parser.add_argument("--page", type=Path, default=Path("docs/evaluate.md"))
    args = parser.parse_args()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    audio = synth.espeak()
    gen, ref = synth.make_pair(out / "clip", audio, size=320, lag=2)
    report = commands.metrics(gen, ref, protocol_name=None,
                              metric_ids=["psnr,ssim[gaussian],ssim[uniform],cpbd,brisque,lmd[mouth,sum],"
                                          "lmd[mouth,mean],csim[dlib]"],
                              crop=Crop(), frames=Sampling(), upsample=1, max_no_face=0.5, out=out / "metrics",
                              weights_dir=None, root=None)
    lip_gen = analyse(gen)
    lip_ref = analyse(ref)
    plot(lip_gen, out / "lipsync-generated", "Generated (mouth 2 frames late, blurred)")
    plot(lip_ref, out / "lipsync-reference", "Reference")
    rows = [(label, _score(gen, ref, crop, ["psnr,ssim[gaussian]"], out / "variants" / str(k)))
            for k, (label, crop) in enumerate(VARIANTS)]
    lmd = _score(gen, ref, Crop(), ["lmd[mouth,sum],lmd[mouth,mean],lmd[face,sum],lmd[face,mean]"], out / "variants" / "lmd")
    assets = args.page.parent / "assets" / "evaluate"
    assets.mkdir(parents=True, exist_ok=True)
    sensitivity_chart(rows, lmd, assets / "sensitivity.svg")
    (assets / "sensitivity.png").replace(out / "sensitivity.png")  # the page uses the SVG; the PNG stays in the report
    for name in ("lipsync-generated", "lipsync-reference"):
        shutil.copy(out / name / "lipsync.svg", assets / f"{name}.svg")
    args.page.write_text(page(report, rows, lmd, lip_gen.lag, lip_gen.r, lip_ref.lag, lip_ref.r), encoding="utf-8")
    print(f"wrote {out} and {args.page} (+ {assets})")


def _fmt(value: Any) -> str:
    return value if isinstance(value, str) else "n/a" if value is None else f"{value:.4g}"


def page(report: dict[str, Any], rows: list[tuple[str, dict[str, Any]]], lmd: dict[str, Any], lag_g: int, r_g: float,
         lag_r: int, r_r: float) -> str:
    card = report["card"]
    aggregate = report["aggregate"]
    lines = [
        "# Evaluate your videos",
        "",
        "`thg eval` scores talking-head videos offline and writes the protocol down beside every number. Install "
        "the extra (`pip install -e '.[eval]'`), then:",
        "",
        "```sh",
        "thg eval metrics --generated out/ --reference gt/ --metrics 'psnr,ssim[gaussian],lmd[mouth,sum]'",
        "thg eval metrics --generated out/ --reference gt/ --protocol PROTOCOL_ID   # checks every test item first",
        "thg eval align video.mp4 --size 256          # aligned.mp4, landmarks.npz, missing.csv",
        "thg eval lipsync video.mp4 [--audio a.wav]   # lipsync.png / .svg / .json",
        "```",
        "",
        "The same commands exist as `scripts/compute_metrics.py`, `scripts/align_faces.py` and "
        "`scripts/visualize_lipsync.py`. Each run writes `metrics.json`, `metrics.csv` (every number with "
        "`n_valid`, `n_dropped` and the reasons), `frames.csv` and `card.json`; `--as-results-table` prints a "
        "`results:` block for a paper record. `thg eval metrics --list-metrics` lists the metric ids; ids carry "
        "their variant (`lmd[mouth,sum]` is not `lmd[mouth,mean]`), and numbers with different ids are never compared.",
        "",
        "!!! warning \"Landmark licence\"",
        "    LMD, alignment and lip-sync plots use dlib's 68-point model, trained on iBUG 300-W, whose licence "
        "excludes commercial use.",
        "",
        "## The demo clip",
        "",
        "`make eval-demo` builds a clip offline: scikit-image's astronaut portrait, a sentence spoken by espeak-ng, "
        "and the mouth opened in proportion to the loudness of each frame's audio. The *generated* copy is blurred, "
        "has noise added, and its mouth moves two frames (80 ms) late. These are its numbers, all frames, full frame:",
        "",
        "| metric | value | n_valid | n_dropped |",
        "|---|---:|---:|---:|",
    ]
    for mid, tally in aggregate.items():
        lines.append(f"| `{mid}` | {_fmt(tally['value'])} | {tally['n_valid']} | {tally['n_dropped']} |")
    lines += [
        "",
        f"Protocol card: protocol `{card['protocol']}`, {card['frames']['used']} frames, codec {card.get('frame_codec')}, "
        f"{card.get('fps')} fps, audio {card.get('audio_rate')} Hz, detector: {card.get('detector')}.",
        "",
        "## Lip sync",
        "",
        f"Mouth opening against loudness. On the generated clip the best lag is {lag_g:+d} frames (r = {r_g:.2f}); "
        f"on the reference {lag_r:+d} (r = {r_r:.2f}): the two-frame delay we built in is recovered.",
        "",
        "![Lip sync of the generated clip](assets/evaluate/lipsync-generated.svg)",
        "",
        "![Lip sync of the reference clip](assets/evaluate/lipsync-reference.svg)",
        "",
        "## Why SSIM isn't always your friend",
        "",
        "The same pair of videos, scored under settings papers rarely report (every 5th frame):",
        "",
        "![How the scores move with crop, resize filter and LMD reduction](assets/evaluate/sensitivity.svg)",
        "",
        "| setting | SSIM (Gaussian) | PSNR (dB) |",
        "|---|---:|---:|",
    ]
    for label, values in rows:
        lines.append(f"| {label} | {_fmt(values['ssim[gaussian]'])} | {_fmt(values['psnr'])} |")
    lines += ["", "| LMD variant | value |", "|---|---:|"]
    lines += [f"| `{k}` | {_fmt(v)} |" for k, v in lmd.items()]
    lines += [
        "",
        "Downscaling before scoring hides blur and raises SSIM and PSNR; a non-antialiased filter (OpenCV bicubic, "
        "nearest) scores differently from an antialiased one (PIL, as clean-fid recommends); an aligned face crop "
        "weighs the face, not the background. LMD's sum over the 20 mouth points (the authors' code) is 20 times its "
        "mean (RAD-NeRF's). A number without these settings cannot be compared, which is why every `thg eval` run "
        "writes them down.",
        "",
        *reference_sections(),
        "Generated by `make eval-demo` (thg/eval/demo.py); rerun it to refresh the numbers and figures.",
        "",
    ]
    return "\n".join(lines)


def _linkify(text: str) -> str:
    """Bare URLs as short Markdown links (the file name, or the host), so long addresses wrap on phones."""
    import re

    def link(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(").,;")
        rest = match.group(0)[len(url):]
        path = url.split("?")[0].rstrip("/")
        label = path.rsplit("/", 1)[-1] if path.count("/") > 2 else path.split("//")[-1]
        return f"[{label}]({url}){rest}"

    return re.sub(r"https?://[^\s<>\"']+", link, text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_sections() -> list[str]:
    """Protocols, implementations and the weights registry, written from the code so the page cannot drift."""
    from thg.eval.catalog import CATALOG, TRACKED_DEVIATIONS
    from thg.eval.weights import REGISTRY

    lines = [
        "## Protocols",
        "",
        "`--protocol ID` reads `protocols/ID.yaml`, the same protocol record the results pages use, and before "
        "computing anything checks that every test item is there: `<item id>.mp4` (or another video suffix) under "
        "`--generated`, and under `--reference` when the protocol compares with ground truth; the reference file's "
        "sha256 when the record gives one; the frame rate it states; and, for a protocol whose items are in a "
        "published manifest (Wav2Lip's LRS2 filelist), your copy of the manifest (`--manifest FILE`) against the "
        "record's sha256. A run that cannot follow the record (no published item list, a command-line option that "
        "overrides it, a metric it does not define, a variant whose settings differ) is labelled `custom`, and the "
        "card lists every deviation. `--as-results-table` then writes `protocol: {id: ...}` only for a run that "
        "followed the protocol, with one column per metric id, e.g. `lse-d[full-frame]`.",
        "",
        "## Implementations",
        "",
        "Each metric id, the file that computes it and the definition it follows. Offline metrics are tested "
        "against a reference implementation (scikit-image for SSIM and PSNR, the `cpbd` and `brisque` packages, "
        "hand-computed LMD cases); the deep metrics' arithmetic is tested against scipy, numpy transcriptions of "
        "their source files and hand-computed cases.",
        "",
        "| metric id | implemented in | follows | needs |",
        "|---|---|---|---|",
    ]
    for mid, spec in CATALOG.items():
        follows = (f"[{spec.source.split('/blob/')[0].removeprefix('https://github.com/')} "
                   f"{spec.source.split('/')[-1]}]({spec.source.split(' ')[0]})" if spec.source.startswith("https://")
                   else spec.source)
        needs = "torch + weights" if spec.deep else "offline"
        lines.append(f"| `{mid}` | `{spec.module}` | {_cell(follows)} | {needs} |")
    lines += [
        "",
        "`lse-d[tracked]` and `lse-c[tracked]` follow run_pipeline.py's face tracking and crop (tracks of more than "
        "100 frames linked by IoU above 0.5 across gaps of at most 25 frames, faces above 100 px, crop_scale 0.40, "
        "224 px), with these differences, which every card repeats: " + "; ".join(TRACKED_DEVIATIONS) + ".",
        "",
        "## Weights you bring",
        "",
        "The deep metrics need `pip install -e '.[deep]'` (torch 2.13.0 on the CPU, no torchvision) and weight "
        "files you download yourself: `thg eval` never downloads. Put them in one folder and pass `--weights-dir` "
        "(or set `THG_WEIGHTS_DIR`); `thg eval metrics --list-weights` says which are there and whether each "
        "matches its published hash. A missing file is an error naming it and where it is published; a file whose "
        "sha256 differs, or that no public hash covers, is used and labelled *unverified* on the card.",
        "",
    ]
    for entry in REGISTRY.values():
        digest = (f"`{entry.sha256[:16]}…` (in full from `--list-weights`; {entry.sha256_source})" if entry.sha256 else
                  f"starts with `{entry.sha256_prefix}` ({entry.sha256_source})" if entry.sha256_prefix else
                  "none public: the card records your file's")
        lines += [f"- **`{entry.filename}`** for {', '.join(f'`{m}`' for m in entry.metrics)}, {entry.format}.",
                  f"  Published at {_linkify(entry.published)}.",
                  f"  sha256: {_linkify(digest)}. Known answer: {_linkify(entry.known_answer)}."
                  + (f" Licence: {entry.licence}." if entry.licence else "")]
    lines += [
        "",
        "The tests of these networks (`tests/test_eval_deep.py`, and SyncNet's in `tests/test_eval.py`) load "
        "randomly initialised files of the published layouts: they prove that such a file loads, runs end to end "
        "and lands on the card, not that real weights give the published values. The published LPIPS linear files "
        "were loaded and verified against the hashes above by hand.",
        "",
    ]
    return lines


if __name__ == "__main__":
    main()
