"""The registry of weights you bring: each file's name, sha256, where it is published, and a known answer.

Nothing here downloads anything. A file is looked up in `--weights-dir` or `$THG_WEIGHTS_DIR`; a missing
file is an error that names it and where it is published; a file whose sha256 differs from the registry's
(or for which no public sha256 exists) is used but labelled "unverified" on the protocol card.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thg.eval.errors import EvalError


@dataclass(frozen=True)
class WeightFile:
    name: str
    filename: str
    published: str
    sha256: str | None
    """None where no public source states the file's sha256: the card then records the hash of your file."""
    known_answer: str
    metrics: tuple[str, ...]


REGISTRY: dict[str, WeightFile] = {w.name: w for w in [
    WeightFile(
        name="syncnet_v2",
        filename="syncnet_v2.model",
        published="http://www.robots.ox.ac.uk/~vgg/software/lipsync/data/syncnet_v2.model (download_model.sh of "
                  "https://github.com/joonson/syncnet_python/blob/6efbb1c305c23f47a62b09cf4215a8ac45e97d49/download_model.sh)",
        sha256=None,
        known_answer="demo_syncnet.py on data/example.avi: AV offset 3, min dist 5.353, confidence 10.021 "
                     "(https://github.com/joonson/syncnet_python/blob/6efbb1c305c23f47a62b09cf4215a8ac45e97d49/README.md)",
        metrics=("lse-d[full-frame]", "lse-c[full-frame]", "lse-d[tracked]", "lse-c[tracked]"),
    ),
]}


def weights_dir(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    env = os.environ.get("THG_WEIGHTS_DIR")
    return Path(env) if env else None


def locate(name: str, folder: Path | None) -> tuple[Path, dict[str, Any]]:
    """The weight file's path and its card entry (sha256 and verified / unverified)."""
    from thg.eval.face import sha256

    entry = REGISTRY[name]
    base = weights_dir(folder)
    if base is None or not (base / entry.filename).is_file():
        where = f"in {base}" if base else "(no --weights-dir given and THG_WEIGHTS_DIR is not set)"
        raise EvalError(f"weights {entry.filename} not found {where}; it is published at {entry.published}. "
                        "Download it yourself and pass --weights-dir FOLDER")
    path = base / entry.filename
    digest = sha256(path)
    status = ("verified" if entry.sha256 == digest else
              "unverified: no public sha256 to check against" if entry.sha256 is None else
              f"unverified: sha256 differs from the registry's {entry.sha256}")
    return path, {entry.filename: {"sha256": digest, "status": status, "published": entry.published}}
