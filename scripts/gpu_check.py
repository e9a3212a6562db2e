"""Device check for issue 15 (run on a machine with a CUDA GPU; prints one table).

Embeds the bundled emoji images (648 PNGs) with EfficientNet-Lite0 through ``embedlab.batch.embed`` on a
one-worker LocalCluster, once with ``device="cpu"`` and once with ``device="auto"`` (CUDA when torch sees a
GPU), and compares rows/s and the vectors (max abs difference)::

    python scripts/gpu_check.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import torch

    from embedlab.batch.run import embed
    from embedlab.batch.store import open_space
    from embedlab.encoders.base import resolve_device

    folder = ROOT / "sample_data" / "images" / "emoji"
    print(f"torch {torch.__version__}, cuda available: {torch.cuda.is_available()}, "
          f"auto -> {resolve_device('auto')}", flush=True)
    if torch.cuda.is_available():
        print(f"GPU: {torch.cuda.get_device_name(0)}", flush=True)
    rows, spaces = [], {}
    for device in ("cpu", "auto", "auto"):
        out = Path(tempfile.mkdtemp(prefix=f"gpu-check-{device}-"))
        t0 = time.perf_counter()
        res = embed(folder, kind="images", out=out, workers=1, device=device, threads=4)
        dt = time.perf_counter() - t0
        spaces.setdefault(device, open_space(out))
        rows.append((device, resolve_device(device), res.rows, dt, res.rows / dt))
        print(f"{device}: {res.rows} images in {dt:.1f} s ({res.rows / dt:.1f}/s), cluster start included",
              flush=True)
    a, b = spaces["cpu"], spaces["auto"]
    order = b.indices(a.keys)
    diff = float(np.abs(np.asarray(a.vectors) - np.asarray(b.vectors)[order]).max())
    print("\n| device asked | ran on | images | seconds | images/s |")
    print("|---|---|---|---|---|")
    for dev, real, n, dt, rate in rows:
        print(f"| {dev} | {real} | {n} | {dt:.1f} | {rate:.1f} |")
    print(f"\nmax |cpu - gpu| over {len(a)} x {a.dim} vectors: {diff:.2e}")


if __name__ == "__main__":
    main()
