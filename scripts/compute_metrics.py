#!/usr/bin/env python3
"""Compute SSIM, PSNR, CPBD, LMD, BRISQUE, identity similarity (and more) with a protocol card.

The script the THG survey promised under this name; it is `thg eval metrics` (see `--help`).
Needs the eval extra: pip install -e '.[eval]'.
"""

from __future__ import annotations

import sys

from thg.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["eval", "metrics", *sys.argv[1:]]))
