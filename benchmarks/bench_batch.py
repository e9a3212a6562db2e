"""Batch embedding on Dask, worker memory, and compressed indexes at scale; prints tables.

    python benchmarks/bench_batch.py throughput [--texts 1200 --images 96 --device cpu]
    python benchmarks/bench_batch.py memory [--sizes 1000,4000]
    python benchmarks/bench_batch.py index [--n 1000000 --dim 384]

``throughput``: rows/s with 1 and 2 local worker processes for texts (MiniLM) and images
(EfficientNet-Lite0), each after a warm-up run on the same cluster (models loaded), plus the client's
shard-writing rate (the ceiling of a one-client run) for the paper projection to 8 and 64 workers.
``memory``: peak RSS of each worker (and of the client, which writes the shards) after embedding growing
numbers of short texts in one run each (it stays flat: a worker holds one shard at a time); ``--encoder
glove-50d-mean`` reaches a million texts in minutes where MiniLM needs hours on two cores.
``index``: memory per vector, build time, query latency
and recall@10 against exact search for flat / float16 / int8 / IVF-PQ on synthetic clustered unit vectors.
``--device cuda`` runs the encoders on a GPU (for a machine that has one). Timings on a shared machine
vary run to run: compare rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _table import print_grid  # noqa: E402  (the script folder is on sys.path)

WORDS = ("the cat dog runs fast slow red blue green house tree river money bank king queen apple car a small "
         "boat sails on quiet lake while children play near old bridge").split()


def _texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(4, 16)))) for _ in range(n)]


def _text_file(folder: Path, n: int, seed: int = 0, chunk: int = 100_000) -> Path:
    """``n`` short texts, one a line, written a chunk at a time (the benchmark holds no big list itself)."""
    p = folder / f"texts-{n}-{seed}.txt"
    with open(p, "w", encoding="utf-8") as fh:
        for a in range(0, n, chunk):
            fh.write("\n".join(_texts(min(chunk, n - a), seed * 1_000_003 + a)) + "\n")
    return p


def _image_folder(folder: Path, n: int, seed: int = 0) -> Path:
    from PIL import Image

    rng = np.random.default_rng(seed)
    d = folder / f"images-{n}-{seed}"
    d.mkdir()
    for i in range(n):
        arr = rng.integers(0, 255, size=(int(rng.integers(200, 400)), int(rng.integers(200, 400)), 3),
                           dtype=np.uint8)
        Image.fromarray(arr).save(d / f"{i:05d}.jpg", quality=85)
    return d


def uuid() -> str:
    import uuid as _u

    return _u.uuid4().hex[:8]


def throughput(args: argparse.Namespace) -> None:
    from embedlab.batch.cluster import connect

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm_t, warm_i = _text_file(folder, 64, 99), _image_folder(folder, 8, 99)
        texts, images = _text_file(folder, args.texts), _image_folder(folder, args.images)
        for workers in (1, 2):
            threads = max(1, (os.cpu_count() or 1) // workers)
            with connect(workers, threads_per_worker=1) as client:
                for kind, warm, src, shard in (("text", warm_t, texts, 100), ("images", warm_i, images, 8)):
                    from embedlab.batch import embed

                    embed(warm, kind, folder / f"warm-{uuid()}", client=client, shard_size=max(1, shard // 4),
                          device=args.device, threads=threads)  # load the model on every worker
                    t0 = time.perf_counter()
                    res = embed(src, kind, folder / f"out-{uuid()}", client=client, shard_size=shard,
                                device=args.device, threads=threads)
                    wall = time.perf_counter() - t0
                    rows.append([kind, workers, threads, res.rows, f"{res.seconds:.1f}",
                                 f"{res.rows_per_s:,.0f}", f"{wall:.1f}"])
                    print(rows[-1], file=sys.stderr, flush=True)
    print_grid(["input", "workers", "torch threads/worker", "rows", "embed s", "rows/s", "wall s (+cache)"],
                rows)
    _client_write_rate()


def _client_write_rate(n: int = 200_000, dim: int = 384, shard: int = 2000) -> None:
    """How fast the client writes finished shards (its ceiling on rows/s, whatever the workers)."""
    from embedlab.batch import store

    v = np.random.default_rng(0).normal(size=(shard, dim)).astype(np.float32)
    keys = [str(i) for i in range(shard)]
    meta = {"text": _texts(shard)}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for i in range(n // shard):
            store.write_shard(Path(tmp), i, keys, v, meta, [])
        s = time.perf_counter() - t0
    print_grid(["client shard writes", "rows", "seconds", "rows/s"], [["384-d + text", n, f"{s:.1f}",
                                                                          f"{n / s:,.0f}"]])


def memory(args: argparse.Namespace) -> None:
    from embedlab.batch import embed
    from embedlab.batch.cluster import connect

    def peak_mb() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    def current_mb() -> float:
        import psutil

        return psutil.Process().memory_info().rss / 2 ** 20

    rows = []
    with tempfile.TemporaryDirectory() as tmp, connect(args.workers, threads_per_worker=1) as client:
        folder = Path(tmp)
        for n in [int(s) for s in args.sizes.split(",")]:
            src = _text_file(folder, n, seed=n)
            res = embed(src, "text", folder / f"out-{n}", client=client, shard_size=args.shard,
                        device=args.device, encoder=args.encoder)
            peaks = sorted(client.run(peak_mb).values())
            now = sorted(client.run(current_mb).values())
            rows.append([f"{n:,}", res.shards, f"{res.rows_per_s:,.0f}",
                         " / ".join(f"{x:,.0f}" for x in peaks),
                         " / ".join(f"{x:,.0f}" for x in now), f"{peak_mb():,.0f}"])
            print(rows[-1], file=sys.stderr, flush=True)
    print(f"encoder {args.encoder or 'minilm-l6'}, {args.workers} worker process(es) of 1 thread, "
          f"{args.shard} texts a shard; sizes run one after another on the same workers")
    print_grid(["short texts", "shards", "rows/s", "worker peak RSS MB", "worker RSS after MB",
                "client peak RSS MB"], rows)


def _clustered_unit(n: int, dim: int, clusters: int = 1000, seed: int = 0, chunk: int = 100_000
                    ) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    out = np.empty((n, dim), np.float32)
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        x = centres[rng.integers(0, clusters, b - a)] + 0.6 * rng.normal(size=(b - a, dim)).astype(np.float32)
        out[a:b] = x / np.linalg.norm(x, axis=1, keepdims=True)
    out.flags.writeable = False
    return out


def index(args: argparse.Namespace) -> None:
    from embedlab.ann import CompressedIndex, IndexParams, exact_topk, recall
    from embedlab.space import EmbeddingSpace

    t0 = time.perf_counter()
    x = _clustered_unit(args.n, args.dim)
    space = EmbeddingSpace([str(i) for i in range(args.n)], x, name="synthetic")
    space.__dict__["normed"] = space.vectors  # already unit rows: no normalised copy
    print(f"data {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    rng = np.random.default_rng(1)
    q = (x[rng.choice(args.n, args.queries, replace=False)] + 0.05 * rng.normal(size=(args.queries, args.dim))
         ).astype(np.float32)
    t0 = time.perf_counter()
    truth = exact_topk(space, q, 10)
    exact_ms = 1000 * (time.perf_counter() - t0) / len(q)
    rows = [[f"exact (numpy float32, {len(q)} queries in one product)", f"{4 * args.dim:,}", "-",
             f"{exact_ms:.2f}", "1.000"]]
    configs = [IndexParams("flat"), IndexParams("fp16"), IndexParams("sq8"),
               IndexParams("ivfpq", nlist=args.nlist, m=args.m, nprobe=16),
               IndexParams("ivfpq", nlist=args.nlist, m=args.m, nprobe=64),
               IndexParams("ivfpq", nlist=args.nlist, m=args.m, nprobe=64, refine=100)]
    built: dict = {}
    for p in configs:
        key = (p.method, p.nlist, p.m)
        if key not in built:
            built[key] = CompressedIndex.build(space, IndexParams(**{**p.__dict__}))
            print(f"built {p.method} in {built[key].build_seconds:.1f} s", file=sys.stderr, flush=True)
        idx = CompressedIndex(space, built[key].index, p, built[key].build_seconds)
        t0 = time.perf_counter()
        for row in q:
            idx.search(row, 10)
        ms = 1000 * (time.perf_counter() - t0) / len(q)
        name = p.method + (f" nlist={p.nlist} m={p.m} nprobe={p.nprobe}" if p.method == "ivfpq" else "")
        name += f" refine={p.refine}" if p.refine else ""
        rows.append([name, f"{idx.bytes_per_vector:,.1f}", f"{idx.build_seconds:.1f}", f"{ms:.2f}",
                     f"{recall(idx, q, truth=truth):.3f}"])
        print(rows[-1], file=sys.stderr, flush=True)
    print(f"{args.n:,} synthetic clustered unit vectors x {args.dim} d ({args.queries} perturbed-row "
          "queries, 1 query at a time, recall@10 vs exact)")
    print_grid(["index", "bytes/vector", "build s", "ms/query", "recall@10"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--texts", type=int, default=1200)
    t.add_argument("--images", type=int, default=96)
    m = sub.add_parser("memory")
    m.add_argument("--sizes", default="1000,4000")
    m.add_argument("--shard", type=int, default=500)
    m.add_argument("--workers", type=int, default=1)
    m.add_argument("--encoder", default=None, help="text encoder (default minilm-l6; glove-50d-mean is fast)")
    for p in (t, m):
        p.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    i = sub.add_parser("index")
    i.add_argument("--n", type=int, default=1_000_000)
    i.add_argument("--dim", type=int, default=384)
    i.add_argument("--queries", type=int, default=200)
    i.add_argument("--nlist", type=int, default=1024)
    i.add_argument("--m", type=int, default=48)
    args = ap.parse_args()
    {"throughput": throughput, "memory": memory, "index": index}[args.what](args)


if __name__ == "__main__":
    main()
