"""`thg eval`: offline evaluation of talking-head videos, with the protocol written beside every number.

Install with ``pip install -e '.[eval]'`` (numpy, scipy, scikit-image, PyAV, dlib-bin and its models,
OpenCV for BRISQUE's reference resize, matplotlib). Torch-based metrics (LPIPS, FID, FVD, ArcFace CSIM,
LSE-D/LSE-C through SyncNet) live in `thg.eval.deep` and need the ``[deep]`` extra plus weights you bring.

Stages, one module each: `video` (streamed decoding), `face` (detection, landmarks, alignment),
`metrics` (one function per metric), `catalog` (metric ids and their variants), `protocol` (reading a
protocol and the pre-run check), `run` (per-frame / per-video / aggregate numbers), `card` (the protocol
card and the results-table block), `lipsync` (mouth opening against loudness), `cli` (the thin command).
"""
