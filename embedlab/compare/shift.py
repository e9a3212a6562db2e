"""How far did each word move between two spaces? Two measures and the most-moved list.

**Cosine distance after alignment** (Hamilton et al. 2016, "global" measure): ``1 − cos(R·a_w, b_w)`` once
``A`` is rotated onto ``B`` (:func:`embedlab.compare.align`). Misleads when

* the word is **rare** in either corpus: its vector is mostly the random initialisation plus noise, so
  rare words top every raw most-moved list (filter with ``min_count`` / ``max_rank``);
* the alignment is poor (low mean cosine, e.g. two methods or tiny corpora): every word looks moved;
* a frequent word changed a little in a space where everything moved (compare with the mean).

**k-NN overlap** (Hamilton et al. 2016, "local neighbourhood" measure; alignment-free): the share of a
word's ``k`` nearest neighbours in ``A`` that are also among its ``k`` nearest in ``B``, both searched
within the shared vocabulary; distance = ``1 − overlap``. Needs no rotation, so it also works when an
alignment is poor. Misleads when

* the word is **rare** or the vocabularies are small: its neighbours are noisy and overlap is low anyway;
* **frequency** shifted: frequent words have dense neighbourhoods whose order changes with small moves,
  while a genuinely moved word can keep a few generic neighbours (``the``-like words);
* ``k`` is small (overlap moves in steps of ``1/k``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from embedlab.compare.align import Alignment, _rows, align
from embedlab.errors import EmptyInputError, InvalidParameterError, UnknownKeyError
from embedlab.linalg import top_k_rows
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace

MEASURES = {"cosine": "cosine distance after alignment", "knn": "1 − k-NN overlap (alignment-free)"}


def _frequency_mask(a: EmbeddingSpace, b: EmbeddingSpace, keys: Sequence[str], min_count: int | None,
                    max_rank: int | None) -> np.ndarray:
    """True for keys whose ``count`` is ≥ ``min_count`` and ``rank`` ≤ ``max_rank`` in every space that has
    the column."""
    keep = np.ones(len(keys), bool)
    for col, limit, ok in (("count", min_count, np.greater_equal), ("rank", max_rank, np.less_equal)):
        if limit is None:
            continue
        having = [s for s in (a, b) if col in s.meta_columns]
        if not having:
            what = "minimum count" if col == "count" else "maximum rank"
            raise InvalidParameterError(
                f"Neither {a.name} nor {b.name} has a '{col}' metadata column, so the {what} ({limit}) "
                "cannot be applied; leave it out (or filter by the column the spaces have: --min-count "
                "needs 'count', --max-rank needs 'rank')."
            )
        for s in having:
            vals = np.asarray(s.meta_column(col), dtype=np.float64)[_rows(s, keys)]
            keep &= ok(np.nan_to_num(vals, nan=-np.inf if col == "count" else np.inf), limit)
    return keep


def cosine_distance(alignment: Alignment, b: EmbeddingSpace, keys: Sequence[str]) -> np.ndarray:
    """``1 − cos`` between each key's aligned ``A`` vector and its ``B`` vector."""
    x = alignment.space.normed[_rows(alignment.space, keys)]
    y = b.normed[_rows(b, keys)]
    return (1.0 - np.einsum("ij,ij->i", x, y)).astype(np.float32)


def _knn(space: EmbeddingSpace, pool_rows: np.ndarray, query_pos: np.ndarray, k: int, batch: int = 256
         ) -> np.ndarray:
    """Positions (into ``pool_rows``) of the ``k`` nearest pool members of each query (itself excluded)."""
    pool = space.normed[pool_rows]
    out = np.empty((len(query_pos), k), np.int64)
    for s in range(0, len(query_pos), batch):
        q = query_pos[s:s + batch]
        sims = pool[q] @ pool.T
        sims[np.arange(len(q)), q] = -np.inf
        out[s:s + batch] = top_k_rows(sims, k)
    return out


def knn_overlap(a: EmbeddingSpace, b: EmbeddingSpace, keys: Sequence[str], k: int = 10,
                pool: Sequence[str] | None = None) -> np.ndarray:
    """Share of each key's ``k`` nearest neighbours in ``a`` that are also among its ``k`` nearest in ``b``.

    Neighbours are searched within ``pool`` (default: every key both spaces share); no alignment needed.

    Raises
    ------
    UnknownKeyError
        A key not in the pool.
    InvalidParameterError
        ``k`` not smaller than the pool.
    """
    pool = list(pool) if pool is not None else [w for w in a.keys if w in b]
    if not 1 <= k < len(pool):
        raise InvalidParameterError(f"k must be between 1 and {len(pool) - 1} (the pool has {len(pool):,} "
                                    f"shared words); got {k}.")
    where = {w: i for i, w in enumerate(pool)}
    missing = [w for w in keys if w not in where]
    if missing:
        raise UnknownKeyError(missing[0], f"{a.name} ∩ {b.name}", len(pool))
    q = np.array([where[w] for w in keys], dtype=np.int64)
    na = _knn(a, _rows(a, pool), q, k)
    nb = _knn(b, _rows(b, pool), q, k)
    pairs = zip(na.tolist(), nb.tolist(), strict=True)
    return np.array([len(set(x) & set(y)) / k for x, y in pairs], np.float32)


@dataclass
class ShiftReport:
    """The most-moved words between two spaces and the alignment behind them.

    ``table`` columns: ``key``, ``distance`` (the ranking measure), ``cosine_distance``, ``knn_overlap``,
    ``count_a``/``count_b`` (when the spaces carry counts), ``neighbours_a``, ``neighbours_b``.
    """

    table: pd.DataFrame
    alignment: Alignment
    measure: str
    candidates: int  # shared words that passed the frequency filter

    @property
    def mean_cosine(self) -> float:
        return self.alignment.mean_cosine

    def to_dict(self) -> dict:
        """The CLI's JSON: ``{"shared", "mean_cosine", "moved": [{"key", "distance", ...}]}``."""
        rows = self.table.to_dict(orient="records")
        for r in rows:
            for col in ("neighbours_a", "neighbours_b"):
                r[col] = list(r[col])
        return {"shared": len(self.alignment.shared), "mean_cosine": self.mean_cosine,
                "measure": self.measure, "candidates": self.candidates,
                "anchors": len(self.alignment.anchors), "note": self.alignment.note, "moved": rows}


def neighbour_keys(space: EmbeddingSpace, key: str, k: int, restrict_rows: np.ndarray | None = None
                   ) -> list[str]:
    """The ``k`` nearest keys of ``key`` in ``space`` (optionally only among ``restrict_rows``)."""
    rows = np.arange(len(space)) if restrict_rows is None else restrict_rows
    sims = space.normed[rows] @ space.normed[space.index(key)]
    order = np.argsort(-sims)[: k + 1]
    return [space.keys[rows[i]] for i in order if space.keys[rows[i]] != key][:k]


def most_moved(a: EmbeddingSpace, b: EmbeddingSpace, top: int = 20, min_count: int | None = None,
               max_rank: int | None = None, measure: str = "cosine", k: int = 10, neighbours: int = 5,
               anchors: Sequence[str] | None = None, alignment: Alignment | None = None,
               max_words: int = 5000, progress: Progress | None = None) -> ShiftReport:
    """The ``top`` words that moved most from ``a`` to ``b``, most-moved first.

    Parameters
    ----------
    a, b : EmbeddingSpace
    top : int
        Rows in the table.
    min_count, max_rank : int, optional
        Leave out words seen fewer than ``min_count`` times (``count`` column) or ranked below ``max_rank``
        (``rank`` column) in either space that has the column: rare words have noisy vectors and dominate
        unfiltered lists.
    measure : {"cosine", "knn"}
        Rank by cosine distance after alignment, or by ``1 − k-NN overlap`` (computed for at most
        ``max_words`` shared words, in ``a``'s order: the most frequent ones for frequency-ordered spaces).
    k : int
        Neighbourhood size of the k-NN overlap.
    neighbours : int
        Neighbours listed for each word in ``a`` and in ``b`` (searched among shared words).
    anchors : sequence of str, optional
        Fit the alignment on these words only (see :func:`align`).
    alignment : Alignment, optional
        Reuse an alignment already computed for ``a`` → ``b``.
    progress : callable, optional
        ``progress(done, total, message)``.
    """
    if measure not in MEASURES:
        raise InvalidParameterError(f"Unknown shift measure '{measure}'; choose one of "
                                    f"{', '.join(MEASURES)}.")
    if int(top) < 1:
        raise InvalidParameterError(f"top must be at least 1; got {top}.")
    report(progress, 0, 4, "aligning (orthogonal Procrustes)")
    al = alignment if alignment is not None else align(a, b, anchors)
    shared = al.shared
    mask = _frequency_mask(a, b, shared, min_count, max_rank)
    cand = [w for w, m in zip(shared, mask, strict=False) if m]
    if not cand:
        raise EmptyInputError(f"No shared word passes the frequency filter (min count {min_count}, max rank "
                              f"{max_rank}); lower the minimum count or raise the maximum rank.")
    report(progress, 1, 4, "measuring shift")
    pool = shared if len(shared) <= 50_000 else shared[:50_000]
    k = max(1, min(int(k), len(pool) - 1))
    cos_d = cosine_distance(al, b, cand)
    if measure == "cosine":
        order = np.argsort(-cos_d, kind="stable")[: int(top)]
        chosen = [cand[i] for i in order]
        pool = list(dict.fromkeys([*pool, *chosen]))
        overlap = knn_overlap(a, b, chosen, k, pool)
        dist = cos_d[order]
    else:
        cand = cand[:max_words]
        pool = list(dict.fromkeys([*pool, *cand]))
        ov_all = knn_overlap(a, b, cand, k, pool)
        order = np.argsort(ov_all, kind="stable")[: int(top)]
        chosen = [cand[i] for i in order]
        overlap = ov_all[order]
        dist = 1.0 - overlap
    report(progress, 3, 4, "listing neighbours")
    table = _table(a, b, chosen, dist, cosine_distance(al, b, chosen), overlap, neighbours, pool)
    report(progress, 4, 4, "done")
    return ShiftReport(table, al, measure, len(cand))


def _table(a, b, keys, dist, cos_d, overlap, n_nb, pool) -> pd.DataFrame:
    ra, rb = _rows(a, pool), _rows(b, pool)
    df = pd.DataFrame({"key": list(keys), "distance": np.round(np.asarray(dist, np.float64), 4),
                       "cosine_distance": np.round(np.asarray(cos_d, np.float64), 4),
                       "knn_overlap": np.round(np.asarray(overlap, np.float64), 4)})
    for col, s in (("count_a", a), ("count_b", b)):
        if "count" in s.meta_columns:
            df[col] = np.asarray(s.meta_column("count"))[_rows(s, keys)].astype(np.int64)
    df["neighbours_a"] = [neighbour_keys(a, w, n_nb, ra) for w in keys]
    df["neighbours_b"] = [neighbour_keys(b, w, n_nb, rb) for w in keys]
    return df
