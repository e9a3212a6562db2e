"""Compressed neighbour indexes (FAISS) for spaces of millions of vectors, persisted beside the space.

Methods (inner product on unit vectors = cosine):

* ``flat`` — float32, exact (the baseline): 4 bytes a dimension.
* ``fp16`` — scalar quantisation to float16: 2 bytes a dimension, near-exact scores.
* ``sq8`` — scalar quantisation to 8 bits a dimension (per-dimension ranges trained on a sample): 1 byte.
* ``ivfpq`` — inverted file (``nlist`` k-means cells, ``nprobe`` searched) + product quantisation (``m``
  sub-vectors of 8 bits): ``m`` bytes a vector (48 for 384-d at ``m=48``, 32x smaller than float32).
  Approximate twice over (cells not probed, quantised distances); ``refine=True`` re-ranks the top
  candidates with exact vectors read from the space (memory-mapped for batch outputs).

Training uses a seeded sample; vectors are added in chunks read from ``space.normed`` (a memory map for a
batch output), so a build never copies the whole matrix. A :class:`CompressedIndex` is a
:class:`~embedlab.ann.base.NeighbourIndex`: saved with its sidecar beside a batch output (``DIR/index/``),
other spaces' in the workspace cache (``cache/ann``), measured with :func:`embedlab.ann.base.recall`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embedlab.ann.base import CHUNK, read_sidecar, save_with_sidecar, unit_queries
from embedlab.ann.base import index_path as _path_beside
from embedlab.errors import InvalidParameterError
from embedlab.space import EmbeddingSpace

METHODS = ("flat", "fp16", "sq8", "ivfpq")
TRAIN_SAMPLE = 100_000
HOW_TO_BUILD = "`embedlab batch index SPACE`"
MIN_IVFPQ = 1_000  # PQ trains 256 centroids per sub-vector: fewer points than this cannot train it


def _faiss():
    try:
        import faiss
    except ImportError:
        raise InvalidParameterError("Compressed indexes need FAISS: pip install faiss-cpu "
                                    "(or pip install 'embedlab[scale]').") from None
    return faiss


@dataclass
class IndexParams:
    """Settings of a compressed index (``nlist``/``m``/``nprobe``/``refine`` matter for ``ivfpq`` only)."""

    method: str = "sq8"
    nlist: int | None = None  # default: about 4 * sqrt(n), at most 16384
    m: int = 48
    nprobe: int = 32
    refine: int = 0  # re-rank this many candidates a query with exact vectors (0 = off)
    extra: dict = field(default_factory=dict)

    def check(self, dim: int, n: int | None = None) -> None:
        if self.method not in METHODS:
            raise InvalidParameterError(f"Unknown index method {self.method!r}; use one of "
                                        f"{', '.join(METHODS)}.")
        if self.method == "ivfpq" and (self.m < 1 or dim % self.m):
            raise InvalidParameterError(f"m={self.m} must divide the dimension {dim} (e.g. 8, 16, 32, 48, 96 "
                                        "for 384-d vectors).")
        if self.method == "ivfpq" and n is not None and n < MIN_IVFPQ:
            raise InvalidParameterError(f"IVF-PQ needs at least {MIN_IVFPQ:,} vectors to train; this space "
                                        f"has {n:,}. Use --method sq8 or fp16 (or exact search) for it.")
        if self.nprobe < 1 or self.refine < 0:
            raise InvalidParameterError(f"nprobe must be ≥ 1 and refine ≥ 0; got {self.nprobe}, "
                                        f"{self.refine}.")


def _sample(space: EmbeddingSpace, size: int, seed: int = 0) -> np.ndarray:
    n = len(space)
    rows = np.sort(np.random.default_rng(seed).choice(n, size=min(size, n), replace=False))
    return np.ascontiguousarray(space.normed[rows], dtype=np.float32)


def _empty_index(params: IndexParams, n: int, dim: int):
    faiss = _faiss()
    if params.method == "ivfpq":
        nlist = int(params.nlist or max(1, min(16_384, int(4 * np.sqrt(n)))))
        params.nlist = max(1, min(nlist, n // 39 or 1))  # FAISS wants ≥ 39 training points a cell
    spec = {"flat": "Flat", "fp16": "SQfp16", "sq8": "SQ8", "ivfpq": f"IVF{params.nlist},PQ{params.m}"}
    index = faiss.index_factory(dim, spec[params.method], faiss.METRIC_INNER_PRODUCT)
    if params.method == "ivfpq":  # the factory turns on polysemous training: ~10x the training time, unused
        faiss.downcast_index(index).do_polysemous_training = False
    return index


class CompressedIndex:
    """A FAISS index over one space's unit rows; ``search`` returns rows and cosine scores."""

    def __init__(self, space: EmbeddingSpace, index, params: IndexParams, build_seconds: float = 0.0) -> None:
        self.space, self.index, self.params, self.build_seconds = space, index, params, build_seconds
        if hasattr(index, "nprobe"):
            index.nprobe = int(params.nprobe)

    @classmethod
    def build(cls, space: EmbeddingSpace, params: IndexParams | None = None,
              progress: Callable[[float, float, str], None] | None = None, seed: int = 0) -> CompressedIndex:
        """Train (on a seeded sample of at most 100,000 rows) and add every row, chunk by chunk."""
        params = params or IndexParams()
        params.check(space.dim, len(space))
        _faiss().omp_set_num_threads(max(1, os.cpu_count() or 1))
        t0 = time.perf_counter()
        index = _empty_index(params, len(space), space.dim)
        if not index.is_trained:
            index.train(_sample(space, TRAIN_SAMPLE, seed))
        n = len(space)
        for a in range(0, n, CHUNK):
            index.add(np.ascontiguousarray(space.normed[a: a + CHUNK], dtype=np.float32))
            if progress:
                progress(min(n, a + CHUNK), n, f"indexed {min(n, a + CHUNK):,} / {n:,} vectors")
        return cls(space, index, params, time.perf_counter() - t0)

    def search(self, vectors: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, scores)`` of the ``k`` nearest rows by cosine, shape ``(k,)`` or ``(m, k)``."""
        single = np.asarray(vectors).ndim == 1
        qs = unit_queries(vectors, self.space.dim)
        k = max(1, min(int(k), len(self.space)))
        fetch = max(k, int(self.params.refine)) if self.params.refine else k
        scores, rows = self.index.search(qs, fetch)
        if self.params.refine:
            rows, scores = self._rerank(qs, rows, k)
        rows = rows.astype(np.int64)
        return (rows[0], scores[0]) if single else (rows, scores.astype(np.float32))

    def _rerank(self, qs: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        normed = self.space.normed
        out_r = np.zeros((len(qs), k), np.int64)
        out_s = np.zeros((len(qs), k), np.float32)
        for i, (q, cand) in enumerate(zip(qs, rows, strict=True)):
            cand = cand[cand >= 0]
            order = np.sort(cand)  # sorted reads are kinder to a memory map
            exact = np.asarray(normed[order], dtype=np.float32) @ q
            top = np.argsort(-exact, kind="stable")[:k]
            out_r[i, : len(top)], out_s[i, : len(top)] = order[top], exact[top]
        return out_r, out_s

    @property
    def bytes_per_vector(self) -> float:
        """Serialized index size divided by the number of vectors (codes + lists + trained tables)."""
        return float(len(_faiss().serialize_index(self.index))) / max(1, len(self.space))

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the index and its JSON sidecar atomically."""
        faiss = _faiss()
        return save_with_sidecar(path, self.space, lambda tmp: faiss.write_index(self.index, tmp),
                                 {"params": self.params.__dict__, "build_seconds": self.build_seconds})

    @classmethod
    def load(cls, path: str | Path, space: EmbeddingSpace, mmap: bool = False) -> CompressedIndex:
        """Load an index saved by :meth:`save` for this very space (``mmap``: codes stay on disk)."""
        faiss = _faiss()
        side = read_sidecar(path, space, HOW_TO_BUILD)
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP if mmap else 0)
        return cls(space, index, IndexParams(**side["params"]), side.get("build_seconds", 0.0))


def index_path(space: EmbeddingSpace, params: IndexParams) -> Path:
    """Beside a batch output (``DIR/index/<method>...faiss``), else in the workspace cache."""
    tag = params.method if params.method != "ivfpq" else f"ivfpq-m{params.m}-nl{params.nlist or 'auto'}"
    return _path_beside(space, f"{tag}.faiss")
