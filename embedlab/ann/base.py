"""The one seam for neighbour indexes: the :class:`NeighbourIndex` protocol and what every index shares.

An index answers ``search(vectors, k) -> (rows, scores)`` (cosine, best first) over one space's rows; it
is saved with a JSON sidecar (``<path>.json``: the space's fingerprint, size, dimension and the index's
own settings) beside the space — in ``DIR/index/`` of a batch output, else in the workspace cache
(``cache/ann/<fingerprint>-<tag>``) — and loaded only for the very vectors it was built on.
:func:`recall` measures any index against :func:`exact_topk`.

Two indexes implement it: :class:`embedlab.ann.hnsw.HnswIndex` (hnswlib, the approximate search of
ordinary spaces) and :class:`embedlab.ann.compressed.CompressedIndex` (FAISS flat/fp16/sq8/IVF-PQ, for
millions of vectors). :func:`embedlab.neighbours.most_similar` takes either as ``index=`` (gensim's
``indexer`` seam): candidates come from the index, scores from the exact vectors.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from embedlab.errors import DimensionError, EmbedlabError
from embedlab.linalg import normalize_rows, top_k_rows
from embedlab.space import EmbeddingSpace
from embedlab.workspace import cache_dir

CHUNK = 50_000  # rows read from the space at a time (a batch output's rows are a memory map)


class IndexMismatchError(EmbedlabError):
    """A saved index belongs to a different space (its vectors changed)."""


@runtime_checkable
class NeighbourIndex(Protocol):
    """An index over the unit rows of ``space``: cosine search, saved beside the space."""

    space: EmbeddingSpace

    def search(self, vectors: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, scores)`` of the ``k`` nearest rows by cosine, best first: shape ``(k,)`` for one
        vector, ``(m, k)`` for ``m`` (int64 rows, float32 scores)."""
        ...

    def save(self, path: str | Path) -> Path:
        """Write the index and its sidecar atomically; returns ``path``."""
        ...

    @classmethod
    def load(cls, path: str | Path, space: EmbeddingSpace) -> NeighbourIndex:
        """The index saved at ``path``; it must have been built for ``space``'s vectors."""
        ...


def unit_queries(q: np.ndarray, dim: int) -> np.ndarray:
    """Query vectors as contiguous float32 unit rows, shape ``(m, dim)`` (zero rows stay zero)."""
    q = np.atleast_2d(np.asarray(q, dtype=np.float32))
    if q.shape[1] != dim:
        raise DimensionError(f"Query vectors have {q.shape[1]} dimensions; the index has {dim}.")
    return np.ascontiguousarray(normalize_rows(q))


def index_path(space: EmbeddingSpace, tag: str) -> Path:
    """Where the index ``tag`` (e.g. ``sq8.faiss``) of ``space`` is kept: ``DIR/index/<tag>`` beside a batch
    output, else ``<workspace>/cache/ann/<fingerprint>-<tag>``."""
    batch_dir = space.info.get("batch_dir")
    if batch_dir and Path(batch_dir).is_dir():
        return Path(batch_dir) / "index" / tag

    return cache_dir("ann") / f"{space.fingerprint}-{tag}"


def sidecar(path: str | Path) -> Path:
    """The JSON sidecar of the index at ``path``: ``<path>.json``."""
    path = Path(path)
    return path.with_name(path.name + ".json")


def save_with_sidecar(path: str | Path, space: EmbeddingSpace, write: Callable[[str], None],
                      settings: dict[str, Any]) -> Path:
    """Write an index through ``write(temporary path)``, then its sidecar, each renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    meta = {"fingerprint": space.fingerprint, "n": len(space), "dim": space.dim, **settings}
    side = sidecar(path)
    side_tmp = side.with_name(f".{side.name}.{uuid.uuid4().hex[:8]}")
    side_tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(side_tmp, side)
    return path


def read_sidecar(path: str | Path, space: EmbeddingSpace, how_to_build: str) -> dict[str, Any]:
    """The sidecar of the index at ``path``, checked against ``space``.

    Raises
    ------
    EmbedlabError
        No index (or no sidecar) at ``path``; the message says ``how_to_build`` one.
    IndexMismatchError
        The index was built for other vectors.
    """
    path, side = Path(path), sidecar(path)
    if not path.is_file() or not side.is_file():
        raise EmbedlabError(f"No saved index at {path}; build one with {how_to_build}.")
    meta = json.loads(side.read_text(encoding="utf-8"))
    if meta.get("fingerprint") != space.fingerprint:
        raise IndexMismatchError(
            f"The index at {path} was built for other vectors ({meta.get('n')} × {meta.get('dim')}), not for "
            f"{space.name}; rebuild it with {how_to_build}."
        )
    return meta


def exact_topk(space: EmbeddingSpace, queries: np.ndarray, k: int = 10, chunk: int = CHUNK) -> np.ndarray:
    """Exact top-``k`` rows for each query, streaming the (possibly memory-mapped) unit rows in chunks."""
    qs = unit_queries(queries, space.dim)
    best_s = np.full((len(qs), k), -np.inf, np.float32)
    best_r = np.zeros((len(qs), k), np.int64)
    for a in range(0, len(space), chunk):
        s = qs @ np.asarray(space.normed[a: a + chunk], dtype=np.float32).T  # (m, c)
        part = top_k_rows(s, k)  # (m, min(k, c))
        cand_s = np.concatenate([best_s, np.take_along_axis(s, part, axis=1)], axis=1)
        cand_r = np.concatenate([best_r, part + a], axis=1)
        top = top_k_rows(cand_s, k)  # earlier (lower) rows first among ties
        best_s, best_r = np.take_along_axis(cand_s, top, 1), np.take_along_axis(cand_r, top, 1)
    return best_r


def recall(index: NeighbourIndex, queries: np.ndarray | None = None, k: int = 10,
           truth: np.ndarray | None = None, n_queries: int = 200, random_state: int = 0) -> float:
    """Mean fraction of the exact top-``k`` that ``index`` returns.

    ``queries`` default to ``n_queries`` random rows of the space (seeded); ``truth`` (rows, one line a
    query) defaults to :func:`exact_topk`.
    """
    space = index.space
    if queries is None:
        rng = np.random.default_rng(random_state)
        rows = rng.choice(len(space), size=min(n_queries, len(space)), replace=False)
        queries = space.normed[np.sort(rows)]
    q = unit_queries(queries, space.dim)
    truth = exact_topk(space, q, k) if truth is None else np.atleast_2d(truth)
    rows = np.atleast_2d(index.search(q, k)[0])
    return float(np.mean([len(np.intersect1d(r, t[:k])) / k for r, t in zip(rows, truth, strict=True)]))
