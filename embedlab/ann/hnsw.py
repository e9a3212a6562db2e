"""The approximate search of ordinary spaces: an hnswlib HNSW graph on unit vectors (inner product = cosine).

Exact search (one float32 matrix-vector product and an O(n) partition) is fast enough below
:data:`EXACT_LIMIT` rows (≈ 10 ms); above it an :class:`HnswIndex` answers in well under a millisecond with
recall@10 ≥ 0.95. It is built once per space and saved through :mod:`embedlab.ann.base`
(``<workspace>/cache/ann/<fingerprint>-M<M>-ef<ef_construction>.bin`` + JSON sidecar).
:func:`default_index` is the policy the app's searches share (the Neighbours page, the Map's selection):
the saved index of a space past the limit, else exact search.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.ann.base import IndexMismatchError, read_sidecar, save_with_sidecar, unit_queries
from embedlab.ann.base import index_path as _path_beside
from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace

EXACT_LIMIT = 200_000  # below this many rows the exact product is fast enough (≈ 10 ms)
DEFAULT_M, DEFAULT_EF_CONSTRUCTION = 32, 200
HOW_TO_BUILD = "`embedlab index SPACE` (or HnswIndex.build(space).save(path))"
_LOADED: dict[str, HnswIndex] = {}  # in-process memo: fingerprint -> index (at most a few)


class HnswIndex:
    """An HNSW index (hnswlib, inner product on unit vectors) over one space's rows.

    ``ef`` is the search breadth (default ``max(64, 2 k)``); larger is slower and closer to exact.
    """

    def __init__(self, space: EmbeddingSpace, hnsw, M: int, ef_construction: int) -> None:
        self.space, self._hnsw = space, hnsw
        self.M, self.ef_construction = int(M), int(ef_construction)
        self.ef: int | None = None

    @classmethod
    def build(cls, space: EmbeddingSpace, M: int = DEFAULT_M, ef_construction: int = DEFAULT_EF_CONSTRUCTION,
              progress: Progress | None = None, num_threads: int = -1,
              chunk: int = 50_000) -> HnswIndex:
        """Build an index over ``space.normed`` (a 1M × 300 build takes minutes; save it)."""
        import hnswlib

        if M < 2 or ef_construction < 1:
            raise InvalidParameterError(f"M must be ≥ 2 and ef_construction ≥ 1; got M={M}, "
                                        f"ef_construction={ef_construction}.")
        data, n = space.normed, len(space)
        hnsw = hnswlib.Index(space="ip", dim=space.dim)
        hnsw.init_index(max_elements=max(1, n), M=M, ef_construction=ef_construction, random_seed=100)
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            hnsw.add_items(data[start:stop], np.arange(start, stop), num_threads=num_threads)
            if progress:
                progress(stop, n, f"indexing {stop:,}/{n:,} vectors")
        return cls(space, hnsw, M, ef_construction)

    def search(self, vectors: np.ndarray, k: int = 10, ef: int | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, scores)``: int64 rows and cosine scores, shape ``(k,)`` for one query or ``(m, k)``."""
        single = np.asarray(vectors).ndim == 1
        q = unit_queries(vectors, self.space.dim)
        k = max(1, min(int(k), len(self.space)))
        ef = ef or self.ef
        self._hnsw.set_ef(max(k, int(ef) if ef else max(64, 2 * k)))
        labels, dist = self._hnsw.knn_query(q, k=k)
        rows, scores = labels.astype(np.int64), (1.0 - dist).astype(np.float32)
        return (rows[0], scores[0]) if single else (rows, scores)

    def save(self, path: str | Path) -> Path:
        """Write the index (and ``<path>.json``) atomically; returns ``path``."""
        return save_with_sidecar(path, self.space, self._hnsw.save_index,
                                 {"M": self.M, "ef_construction": self.ef_construction})

    @classmethod
    def load(cls, path: str | Path, space: EmbeddingSpace) -> HnswIndex:
        """Load an index saved by :meth:`save`; it must have been built for this very space."""
        import hnswlib

        meta = read_sidecar(path, space, HOW_TO_BUILD)
        hnsw = hnswlib.Index(space="ip", dim=space.dim)
        hnsw.load_index(str(path), max_elements=len(space))
        return cls(space, hnsw, meta["M"], meta["ef_construction"])


def index_path(space: EmbeddingSpace, M: int = DEFAULT_M, ef_construction: int = DEFAULT_EF_CONSTRUCTION
               ) -> Path:
    """Where :func:`get_index` keeps the index of ``space``."""
    return _path_beside(space, f"M{M}-ef{ef_construction}.bin")


def get_index(space: EmbeddingSpace, build: bool = True,
              progress: Progress | None = None) -> HnswIndex | None:
    """The saved index of ``space`` (loaded once per process), built and saved first if ``build``."""
    fp = space.fingerprint
    if fp in _LOADED:
        return _LOADED[fp]
    path = index_path(space)
    if path.is_file():
        try:
            idx = HnswIndex.load(path, space)
        except (IndexMismatchError, RuntimeError, OSError):
            idx = None  # a damaged file: rebuild below if allowed
        if idx is not None:
            return _remember(fp, idx)
    if not build:
        return None
    idx = HnswIndex.build(space, progress=progress)
    idx.save(path)
    return _remember(fp, idx)


def default_index(space: EmbeddingSpace) -> HnswIndex | None:
    """The index the app searches ``space`` with: its saved index past :data:`EXACT_LIMIT` rows (never
    built here: ``embedlab index`` builds one), else None (exact search)."""
    return get_index(space, build=False) if len(space) >= EXACT_LIMIT else None


def _remember(fp: str, idx: HnswIndex) -> HnswIndex:
    if len(_LOADED) >= 3:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[fp] = idx
    return idx
