"""k-nearest-neighbour graphs for UMAP without pynndescent's numba compilation.

Exact (blocked float32 matrix products) up to :data:`EXACT_MAX` points, hnswlib above (single-threaded
with a fixed seed, so the graph and therefore the map are reproducible). Rows include the point itself
first at distance 0, as umap-learn expects for ``precomputed_knn``.
"""

from __future__ import annotations

import numpy as np

from embedlab.linalg import normalize_rows, top_k_rows
from embedlab.progress import Progress, report

EXACT_MAX = 5000
SUPPORTED = ("cosine", "euclidean")


def _exact(x: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[0]
    if metric == "cosine":
        x = normalize_rows(x, dtype=x.dtype)
    sq = np.einsum("ij,ij->i", x, x)
    idx = np.empty((n, k), np.int32)
    dist = np.empty((n, k), np.float32)
    for start in range(0, n, 1024):
        stop = min(n, start + 1024)
        gram = x[start:stop] @ x.T
        if metric == "cosine":
            d = 1.0 - gram
        else:
            d = np.sqrt(np.maximum(sq[start:stop, None] + sq - 2 * gram, 0))
        rows = np.arange(stop - start)
        d[rows, start + rows] = -1.0  # self first
        idx[start:stop] = top_k_rows(-d, k)  # nearest first
        dist[start:stop] = np.maximum(np.take_along_axis(d, idx[start:stop], 1), 0)
    return idx, dist


def _hnsw(x: np.ndarray, k: int, metric: str, seed: int,
          progress: Progress | None) -> tuple[np.ndarray, np.ndarray]:
    import hnswlib

    n, d = x.shape
    index = hnswlib.Index(space="cosine" if metric == "cosine" else "l2", dim=d)
    index.init_index(max_elements=n, M=16, ef_construction=100, random_seed=seed)
    index.set_num_threads(1)
    step = max(10_000, n // 20)
    for start in range(0, n, step):
        index.add_items(x[start:start + step], np.arange(start, min(n, start + step)))
        done = min(n, start + step)
        report(progress, done, n, f"nearest-neighbour graph: {done:,}/{n:,} points")
    index.set_ef(max(2 * k, 50))
    labels, dists = index.knn_query(x, k=k, num_threads=1)
    if metric == "euclidean":
        dists = np.sqrt(np.maximum(dists, 0))
    return labels.astype(np.int32), np.maximum(dists, 0).astype(np.float32)


def knn_graph(x: np.ndarray, k: int, metric: str = "cosine", random_state: int = 0,
              progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """``(indices, distances)`` of the ``k`` nearest rows of each row, or ``None`` for other metrics."""
    if metric not in SUPPORTED:
        return None
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.shape[0] <= EXACT_MAX:
        return _exact(x, k, metric)
    return _hnsw(x, k, metric, random_state, progress)
