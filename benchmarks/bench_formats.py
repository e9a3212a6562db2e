"""Read/write speed of the vector formats on a synthetic GloVe-sized space (default 400,000 x 50).

Run: ``python benchmarks/bench_formats.py [--n 400000] [--d 50]``. Prints one table row per format:
file size, write time, read time (best of ``--repeat``) and read throughput. Also times gensim's
``load_word2vec_format`` on the same text and binary files as a reference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def _space(n: int, d: int):
    from embedlab.space import EmbeddingSpace

    rng = np.random.default_rng(0)
    vecs = rng.normal(scale=0.5, size=(n, d)).astype(np.float32)
    return EmbeddingSpace([f"w{i}" for i in range(n)], vecs, name="synthetic")


def _write_glove(space, path: Path) -> None:
    """GloVe's own layout: no header, 5 decimals (the 400k x 50 file is about 170 MB)."""
    fmt = " ".join(["%.5f"] * space.dim)
    with open(path, "w", encoding="utf-8") as fh:
        for k, v in zip(space.keys, space.vectors.tolist(), strict=True):
            fh.write(f"{k} {fmt % tuple(v)}\n")


def _best(fn, repeat: int) -> tuple[float, float]:
    """Best wall time and the CPU time (all threads) of that run."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400_000)
    ap.add_argument("--d", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--gensim", action="store_true", help="also time gensim's reader (slow on text)")
    args = ap.parse_args()

    from embedlab.formats import read, write

    space = _space(args.n, args.d)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, fname in [("glove-text", "glove.txt"), ("word2vec-text", "w2v.txt"),
                           ("word2vec-binary", "w2v.bin"), ("parquet", "v.parquet")]:
            path = Path(tmp) / fname
            t = time.perf_counter()
            if fmt == "glove-text":
                _write_glove(space, path)
            else:
                write(space, path, fmt)
            wt = time.perf_counter() - t
            rt, ct = _best(lambda p=path, f=fmt: read(p, f), args.repeat)
            mb = path.stat().st_size / 1e6
            rows.append((fmt, mb, wt, rt, ct, mb / rt))
            if args.gensim and fmt in ("word2vec-text", "word2vec-binary"):
                from gensim.models import KeyedVectors

                gt, gc = _best(lambda p=path, f=fmt: KeyedVectors.load_word2vec_format(
                    p, binary=f.endswith("binary")), 1)
                rows.append((f"{fmt} (gensim)", mb, float("nan"), gt, gc, mb / gt))
    print(f"\n{args.n:,} x {args.d} float32 vectors (glove-text written by the benchmark with 5 decimals; "
          "the others by embedlab.formats.write, text with 9 significant digits)\n")
    print(f"{'format':<26}{'size MB':>9}{'write s':>9}{'read s':>9}{'read cpu s':>11}{'MB/s':>8}")
    for fmt, mb, wt, rt, ct, tp in rows:
        print(f"{fmt:<26}{mb:>9.1f}{wt:>9.2f}{rt:>9.2f}{ct:>11.2f}{tp:>8.0f}")
    print("\nread s: wall clock; read cpu s: CPU time of all threads (less affected by a busy machine).")


if __name__ == "__main__":
    main()
