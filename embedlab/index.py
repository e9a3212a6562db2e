"""Nearest-neighbour search: exact (one matrix-vector product) for small spaces, hnswlib above ~200k rows.

The exact path is bandwidth-bound: a single float32 ``space.normed @ q`` streams the matrix once, then an
O(n) ``argpartition`` picks the top k. An :class:`AnnIndex` (HNSW graph on unit vectors, inner product =
cosine) answers in well under a millisecond with recall@10 ≥ 0.95; it is built once per space and saved
under ``<workspace>/cache/ann/<fingerprint>-M<M>-ef<ef_construction>.bin`` with a JSON sidecar.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from embedlab.errors import DimensionError, EmbedlabError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.neighbours import top_k
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace

EXACT_LIMIT = 200_000  # below this many rows the exact product is fast enough (≈ 10 ms)
DEFAULT_M, DEFAULT_EF_CONSTRUCTION = 32, 200
_LOADED: dict[str, AnnIndex] = {}  # in-process memo: fingerprint -> index (at most a few)


class IndexMismatchError(EmbedlabError):
    """A saved index belongs to a different space (its vectors changed)."""


def _unit_queries(q: np.ndarray, dim: int) -> np.ndarray:
    q = np.atleast_2d(np.asarray(q, dtype=np.float32))
    if q.shape[1] != dim:
        raise DimensionError(f"Query vectors have {q.shape[1]} dimensions; the index has {dim}.")
    return np.ascontiguousarray(normalize_rows(q))


class AnnIndex:
    """An HNSW index (hnswlib, inner product on unit vectors) over one space's rows."""

    def __init__(self, space: EmbeddingSpace, hnsw, M: int, ef_construction: int) -> None:
        self.space, self._hnsw = space, hnsw
        self.M, self.ef_construction = int(M), int(ef_construction)

    @classmethod
    def build(cls, space: EmbeddingSpace, M: int = DEFAULT_M, ef_construction: int = DEFAULT_EF_CONSTRUCTION,
              progress: Progress | None = None, num_threads: int = -1,
              chunk: int = 50_000) -> AnnIndex:
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

    def query(self, vector_or_matrix: np.ndarray, k: int = 10, ef: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, scores)``: int64 rows and cosine scores, shape ``(k,)`` for one query or ``(m, k)``."""
        single = np.asarray(vector_or_matrix).ndim == 1
        q = _unit_queries(vector_or_matrix, self.space.dim)
        k = max(1, min(int(k), len(self.space)))
        self._hnsw.set_ef(max(k, int(ef) if ef else max(64, 2 * k)))
        labels, dist = self._hnsw.knn_query(q, k=k)
        rows, scores = labels.astype(np.int64), (1.0 - dist).astype(np.float32)
        return (rows[0], scores[0]) if single else (rows, scores)

    def _sidecar(self) -> dict:
        return {"fingerprint": self.space.fingerprint, "n": len(self.space), "dim": self.space.dim,
                "M": self.M, "ef_construction": self.ef_construction}

    def save(self, path: str | Path) -> Path:
        """Write the index (and ``<path>.json``) atomically; returns ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            self._hnsw.save_index(tmp)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        side = path.with_name(path.name + ".json")
        side_tmp = side.with_name(f".{side.name}.tmp")
        side_tmp.write_text(json.dumps(self._sidecar()), encoding="utf-8")
        os.replace(side_tmp, side)
        return path

    @classmethod
    def load(cls, path: str | Path, space: EmbeddingSpace) -> AnnIndex:
        """Load an index saved by :meth:`save`; it must have been built for this very space."""
        import hnswlib

        path = Path(path)
        side = path.with_name(path.name + ".json")
        if not path.is_file() or not side.is_file():
            raise EmbedlabError(f"No saved index at {path}. Build one with AnnIndex.build(space).save(path).")
        meta = json.loads(side.read_text(encoding="utf-8"))
        if meta.get("fingerprint") != space.fingerprint:
            raise IndexMismatchError(
                f"The index at {path} was built for other vectors ({meta.get('n')} × {meta.get('dim')}), "
                f"not for {space.name}; rebuild it with AnnIndex.build."
            )
        hnsw = hnswlib.Index(space="ip", dim=space.dim)
        hnsw.load_index(str(path), max_elements=len(space))
        return cls(space, hnsw, meta["M"], meta["ef_construction"])


def exact_query(space: EmbeddingSpace, q: np.ndarray, k: int, exclude: Iterable[int] = ()
                ) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine top-k for one vector: one float32 matrix-vector product + argpartition."""
    qv = _unit_queries(q, space.dim)[0]
    scores = space.normed @ qv
    rows = top_k(scores, k, exclude)
    return rows, scores[rows]


def recall_at_k(index: AnnIndex, queries: np.ndarray | None = None, k: int = 10, ef: int | None = None,
                n_queries: int = 200, random_state: int = 0) -> float:
    """Fraction of the exact top-``k`` that the index returns (queries default to random rows)."""
    space = index.space
    if queries is None:
        rng = np.random.default_rng(random_state)
        queries = space.normed[rng.choice(len(space), size=min(n_queries, len(space)), replace=False)]
    q = _unit_queries(queries, space.dim)
    approx, _ = index.query(q, k, ef=ef)
    hits = 0
    for i in range(len(q)):
        truth = top_k(space.normed @ q[i], k)
        hits += len(np.intersect1d(truth, approx[i]))
    return hits / float(len(q) * k)


def index_path(space: EmbeddingSpace, M: int = DEFAULT_M, ef_construction: int = DEFAULT_EF_CONSTRUCTION
               ) -> Path:
    """Where :func:`get_index` keeps the index of ``space``."""
    from embedlab.workspace import cache_dir

    return cache_dir("ann") / f"{space.fingerprint}-M{M}-ef{ef_construction}.bin"


def get_index(space: EmbeddingSpace, build: bool = True,
              progress: Progress | None = None) -> AnnIndex | None:
    """The saved index of ``space`` (loaded once per process), built and saved first if ``build``."""
    fp = space.fingerprint
    if fp in _LOADED:
        return _LOADED[fp]
    path = index_path(space)
    if path.is_file():
        try:
            idx = AnnIndex.load(path, space)
        except (IndexMismatchError, RuntimeError, OSError):
            idx = None  # a damaged file: rebuild below if allowed
        if idx is not None:
            return _remember(fp, idx)
    if not build:
        return None
    idx = AnnIndex.build(space, progress=progress)
    idx.save(path)
    return _remember(fp, idx)


def _remember(fp: str, idx: AnnIndex) -> AnnIndex:
    if len(_LOADED) >= 3:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[fp] = idx
    return idx


def search(space: EmbeddingSpace, query_vec: np.ndarray, k: int = 10, exact: bool | None = None,
           exclude: Iterable[int] = ()) -> list[tuple[str, float]]:
    """The ``k`` nearest keys to a vector by cosine, best first, skipping rows in ``exclude``.

    ``exact=None`` searches exactly below :data:`EXACT_LIMIT` rows and with the saved index above (if one
    exists; else exactly). ``exact=True`` forces the exact product, ``exact=False`` uses (or builds) the
    index.
    """
    if int(k) < 1:
        raise InvalidParameterError(f"k must be at least 1; got {k}.")
    excl = set(int(r) for r in exclude)
    index = None
    if exact is False:
        index = get_index(space, build=True)
    elif exact is None and len(space) >= EXACT_LIMIT:
        index = get_index(space, build=False)
    if index is None:
        rows, scores = exact_query(space, query_vec, int(k), excl)
    else:
        rows, scores = index.query(query_vec, int(k) + len(excl))
        keep = ~np.isin(rows, list(excl)) if excl else np.ones(len(rows), bool)
        rows, scores = rows[keep][: int(k)], scores[keep][: int(k)]
    return [(space.keys[int(r)], float(s)) for r, s in zip(rows, scores, strict=True)]
