"""Peak memory of `thg eval metrics` on a 10-second and a 10-minute clip (each in its own process).

The clip is the synthetic astronaut at 256x256, 25 fps, scored against itself (default metrics psnr and
ssim[gaussian]). The peak is the scoring process's own VmHWM (/proc/self/status): its ru_maxrss would
include the high-water mark this parent process had when it started the child (Linux carries it across
fork and exec), and the parent has just built a long clip in memory.
Usage: python bench/eval_memory.py [--long-seconds 600] [--metrics psnr,ssim[gaussian]]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def make(path: Path, seconds: float) -> None:
    from thg.eval import synth
    from thg.eval.video import write_video

    p = synth.portrait(256)
    audio = synth.tone_speech(seconds)
    openings = synth.openings(audio)
    write_video(path, (synth.open_mouth(p, float(a)) for a in openings), synth.FPS)


def peak(gen: Path, out: Path, metrics: str) -> float:
    """Peak resident memory (MB) of a fresh process running thg eval metrics on `gen`."""
    code = ("import sys; from thg.cli import main; "
            f"rc = main(['eval','metrics','--generated','{gen}','--reference','{gen}','--metrics','{metrics}',"
            f"'--out','{out}']); "
            "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:'))); "
            "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--long-seconds", type=float, default=600)
    parser.add_argument("--metrics", default="psnr,ssim[gaussian]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for seconds in (10, args.long_seconds):
            clip = Path(tmp) / f"clip{int(seconds)}.mp4"
            make(clip, seconds)
            rows.append((seconds, peak(clip, Path(tmp) / f"out{int(seconds)}", args.metrics)))
        print(f"metrics {args.metrics}")
        print("| clip | frames | peak RSS |")
        print("|---:|---:|---:|")
        for seconds, mb in rows:
            print(f"| {seconds:g} s | {int(seconds * 25):,} | {mb:,.0f} MB |")
        print(f"ratio long/short: {rows[1][1] / rows[0][1]:.2f}")


if __name__ == "__main__":
    main()
