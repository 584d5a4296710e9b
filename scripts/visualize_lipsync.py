#!/usr/bin/env python3
"""Plot mouth opening against audio loudness, with the best-lag correlation.

The script the THG survey promised under this name; it is `thg eval lipsync` (see `--help`).
Needs the eval extra: pip install -e '.[eval]'.
"""

from __future__ import annotations

import sys

from thg.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["eval", "lipsync", *sys.argv[1:]]))
