"""Image embedding throughput: the network alone (the stock module for comparison, then the encoder's
inference-optimised one by torch threads x batch size), then end-to-end
(decode + resize + network) with one or two worker threads, then a re-upload served from the cache.

    python benchmarks/bench_images.py [--n 64] [--batch-sizes 1,4,8,32]

Inputs are JPEG photos (scikit-image's bundled pictures re-encoded at 640 x 480, the size of a typical
resized phone upload). Prints one table; the issue's target is >= 60 images/s end-to-end at 224 px on
2 cores. Numbers from a machine shared with other work are lower bounds.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time

import numpy as np


def photos(n: int) -> list[bytes]:
    """``n`` JPEGs of about 640 x 480 made from the scikit-image photos (cycled, sizes varied)."""
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


def timed(fn, n: int) -> tuple[float, float]:
    """``(images per wall-clock second, CPU milliseconds per image)`` of ``fn()`` over ``n`` images.

    CPU time (all threads of this process) is what a busy shared machine cannot inflate much for
    single-threaded work: ``1000 * workers / cpu_ms`` estimates images/s on idle dedicated cores.
    """
    t, c = time.perf_counter(), time.process_time()
    fn()
    return n / (time.perf_counter() - t), 1000 * (time.process_time() - c) / n


def network_only(enc, n: int, sizes: list[int]) -> list[tuple[str, int, int, int, float]]:
    import torch

    x = np.random.default_rng(0).integers(0, 256, (max(sizes), 224, 224, 3), dtype=np.uint8)
    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        enc.forward(x[:2])  # warm-up
        for bs in sizes:
            def run(bs=bs):
                for _ in range(max(1, n // bs)):
                    enc.forward(x[:bs])
            rows.append(("network only", threads, 1, bs, timed(run, max(1, n // bs) * bs)))
    return rows


def stock_network(enc, n: int, sizes: list[int]) -> list[tuple]:
    """The unmodified module (no BN folding, padding merge or tracing) at one thread, for comparison."""
    import torch
    from efficientnet_lite_pytorch import EfficientNet

    net = EfficientNet.from_name("efficientnet-lite0")
    net.load_state_dict(torch.load(enc._weights_path(), map_location="cpu", weights_only=True))
    net = net.eval().to(memory_format=torch.channels_last)
    x = np.random.default_rng(0).integers(0, 256, (max(sizes), 224, 224, 3), dtype=np.uint8)
    torch.set_num_threads(1)
    rows = []
    for bs in sizes[:2]:
        t = torch.from_numpy((x[:bs].astype(np.float32) - enc.mean) / enc.std).permute(0, 3, 1, 2)

        def run(bs=bs, t=t):
            with torch.inference_mode():
                for _ in range(max(1, n // bs)):
                    net._fc(net.extract_features(t).mean(dim=(2, 3)))
        run()  # warm-up
        rows.append(("network only, stock module (before)", 1, 1, bs, timed(run, max(1, n // bs) * bs)))
    return rows


def end_to_end(enc, data: list[bytes], configs: list[tuple[int, int, int]]) -> list[tuple]:
    import torch

    rows = []
    for threads, workers, bs in configs:
        torch.set_num_threads(threads)
        enc.workers = workers
        rows.append(("encode(): decode + network", threads, workers, bs,
                     timed(lambda bs=bs: enc.encode(data, batch_size=bs), len(data))))
    return rows


def cached(enc, data: list[bytes], bs: int) -> list[tuple]:
    from embedlab.images.io import ImageItem
    from embedlab.images.pipeline import embed_items

    items = [ImageItem(f"p{i}.jpg", d) for i, d in enumerate(data)]
    first = timed(lambda: embed_items(items, batch_size=bs), len(items))
    again = timed(lambda: embed_items(items, batch_size=bs), len(items))
    return [("embed_items(): first upload (+thumbnails)", enc.threads, enc.workers, bs, first),
            ("embed_items(): same files again (disk cache)", enc.threads, enc.workers, bs, again)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=64, help="images per measurement")
    ap.add_argument("--batch-sizes", default="1,4,8,32")
    args = ap.parse_args()
    os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="bench-images-"))  # empty feature cache
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as embedlab/__init__ does; must precede torch
    import torch

    from embedlab.encoders import get_encoder
    from embedlab.encoders.image import DEFAULT_BATCH

    enc = get_encoder("efficientnet-lite0")
    _ = enc.model
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, load average {os.getloadavg()[0]:.1f}")
    rows = stock_network(enc, args.n, sizes) + network_only(enc, args.n, sizes)
    data = photos(args.n)
    rows += end_to_end(enc, data, [(2, 1, 1), (2, 1, 8), (1, 1, 1), (1, 1, DEFAULT_BATCH), (1, 2, 1),
                                   (1, 2, DEFAULT_BATCH), (1, 2, 16)])
    torch.set_num_threads(enc.threads)
    enc.workers = 2
    rows += cached(enc, data, DEFAULT_BATCH)
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  threads  workers  batch  images/s  CPU ms/image")
    for what, th, wk, bs, (r, cpu) in rows:
        print(f"{what:<{w}}  {th:>7}  {wk:>7}  {bs:>5}  {r:8.1f}  {cpu:12.1f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
