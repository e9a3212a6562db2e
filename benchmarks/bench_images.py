"""Image embedding throughput: the network alone per batch size, then end-to-end (decode + resize +
network) with and without the decode thread, then a re-upload served from the feature cache.

    python benchmarks/bench_images.py [--n 128] [--batch-sizes 1,2,4,8,16,32]

Inputs are JPEG photos (scikit-image's bundled pictures re-encoded at 640 x 480, as a phone upload
would be after resizing) and the bundled 96 px emoji PNGs. Prints one table; the issue's target is
>= 60 images/s end-to-end at 224 px on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time

import numpy as np


def photos(n: int) -> list[bytes]:
    """``n`` JPEGs of 640 x 480 made from the scikit-image photos (cycled, slightly shifted)."""
    from PIL import Image

    from embedlab.images.datasets import load_image_set

    base = [Image.open(io.BytesIO(it.data)).convert("RGB") for it in load_image_set("skimage-photos").items]
    out = []
    for i in range(n):
        img = base[i % len(base)].resize((640 + i % 7, 480), Image.BILINEAR)
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=88)
        out.append(buf.getvalue())
    return out


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def network_only(enc, n: int, sizes: list[int]) -> list[tuple[str, int, float]]:
    x = np.random.default_rng(0).integers(0, 256, (max(sizes), 224, 224, 3), dtype=np.uint8)
    enc.forward(x[:2])  # warm-up
    rows = []
    for bs in sizes:
        t, done = time.perf_counter(), 0
        while done < n:
            enc.forward(x[:bs])
            done += bs
        rows.append(("network only (random 224 px)", bs, rate(done, time.perf_counter() - t)))
    return rows


def end_to_end(enc, data: list[bytes], sizes: list[int], best: int) -> list[tuple[str, int, float]]:
    from embedlab.images.io import ImageItem
    from embedlab.images.pipeline import embed_items

    rows = []
    for bs in sizes:
        t = time.perf_counter()
        for i in range(0, len(data), bs):  # sequential: decode a batch, then run it
            seq = [enc.to_pixels(d) for d in data[i:i + bs]]
            enc.forward(np.stack(seq))
        rows.append(("decode then network (one thread)", bs, rate(len(data), time.perf_counter() - t)))
        t = time.perf_counter()
        enc.encode(data, batch_size=bs)
        rows.append(("encode(): decode thread overlaps net", bs, rate(len(data), time.perf_counter() - t)))
    items = [ImageItem(f"p{i}.jpg", d) for i, d in enumerate(data)]
    t = time.perf_counter()
    embed_items(items, batch_size=best)
    rows.append(("embed_items() first upload (+thumbs)", best, rate(len(data), time.perf_counter() - t)))
    t = time.perf_counter()
    embed_items(items)
    rows.append(("embed_items() same files again (cache)", 0, rate(len(data), time.perf_counter() - t)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=128, help="images per measurement")
    ap.add_argument("--batch-sizes", default="1,2,4,8,16,32")
    args = ap.parse_args()
    os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="bench-images-"))  # empty feature cache
    import torch

    from embedlab.encoders import get_encoder

    enc = get_encoder("efficientnet-lite0")
    _ = enc.model
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    rows = network_only(enc, args.n, sizes)
    best = max(rows, key=lambda r: r[2])[1]
    rows += end_to_end(enc, photos(args.n), sorted({1, best, 32} & set(sizes) | {best}), best)
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  batch  images/s")
    for what, bs, r in rows:
        print(f"{what:<{w}}  {bs if bs else '-':>5}  {r:8.1f}")


if __name__ == "__main__":
    main()
