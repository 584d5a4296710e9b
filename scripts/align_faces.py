#!/usr/bin/env python3
"""Detect the face, take landmarks and similarity-align every frame of a video.

The script the THG survey promised under this name; it is `thg eval align` (see `--help`).
Needs the eval extra: pip install -e '.[eval]'.
"""

from __future__ import annotations

import sys

from thg.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["eval", "align", *sys.argv[1:]]))
