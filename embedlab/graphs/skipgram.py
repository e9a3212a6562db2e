"""Skip-gram with negative sampling (word2vec's SGNS) for random-walk corpora, in numba.

Walks are already integer arrays of node rows, so nothing here builds a vocabulary, tokenizes text or
touches a Python object per token: the kernel runs over ``(n_walks, walk_length)`` int32 blocks as they
come from :func:`embedlab.graphs.walks.walk_chunks`, one pass of walks at a time, so memory stays the
two ``(n_nodes, dim)`` weight matrices plus one pass of walks.

The updates are word2vec's (Mikolov et al. 2013) as gensim implements them: for each centre node and each
context node inside a randomly shrunk window, the context's input vector learns to predict the centre
against ``negative`` nodes drawn from the degree-like unigram distribution raised to 0.75; frequent nodes
(hubs) are subsampled before windowing (word2vec's ``sample``); the learning rate falls linearly from
``alpha`` to ``min_alpha`` over the whole run. Threads share the weights without locks (Hogwild, as word2vec
and gensim do), so with more than one thread runs differ in the last digits; with one thread a seed gives
the same vectors every time.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np

BLOCK_TOKENS = 1 << 16  # walk tokens per kernel call (Ctrl-C and Stop are honoured between calls)
MAX_EXP = 6.0  # |score| beyond which the sigmoid is saturated and the pair teaches nothing (word2vec)


@numba.njit(parallel=True, fastmath=True, nogil=True, cache=True)
def _sgns_kernel(walks, syn0, syn1, table, keep, window, negative, alpha0, alpha1, done, total, n_chunks,
                 seed):
    """Train on one block of walks; ``done``/``total`` place it in the run for the learning-rate decay.

    Per centre, the rows it touches (its window's contexts, itself, every pair's own negatives) are
    gathered into small contiguous blocks, updated there and added back once: the arithmetic vectorises
    and the centre's row is fetched once per window instead of once per pair. (Sharing one draw of
    negatives across the window, as Ji et al. 2016 do, is faster still but lost 0.04 link-prediction AUC
    on wordnet-nouns in ``benchmarks/bench_graph_quality.py``, so every pair keeps its own.)
    """
    n, length = walks.shape
    dim = syn0.shape[1]
    tsize = np.uint64(table.shape[0])
    nt_max = 2 * window * negative + 1
    for t in numba.prange(n_chunks):  # chunks are handed to threads as they free up (chunk size 1)
        ctx_rows = np.empty(2 * window, dtype=np.int64)
        tgt_rows = np.empty(nt_max, dtype=np.int64)
        tgt_ok = np.zeros(nt_max, dtype=np.bool_)
        cin = np.empty((2 * window, dim), dtype=np.float32)
        tout = np.empty((nt_max, dim), dtype=np.float32)
        gin = np.empty((2 * window, dim), dtype=np.float32)
        gout = np.empty((nt_max, dim), dtype=np.float32)
        seq = np.empty(length, dtype=np.int64)
        rnd = (np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(t)) * np.uint64(0xBF58476D1CE4E5B9)
        rnd += np.uint64(done)  # its own stream per (seed, chunk, block): any thread can take any chunk
        start = t * n // n_chunks
        stop = (t + 1) * n // n_chunks
        for w in range(start, stop):
            progress = (done + w) / total
            alpha = np.float32(alpha0 - (alpha0 - alpha1) * progress)
            size = 0  # the walk without the frequent nodes subsampling drops (before windowing, as word2vec)
            for i in range(length):
                x = walks[w, i]
                if x < 0:
                    break
                rnd = rnd * np.uint64(25214903917) + np.uint64(11)
                if keep[x] >= 1.0 or keep[x] > ((rnd >> np.uint64(16)) & np.uint64(0xFFFFFF)) / 16777216.0:
                    seq[size] = x
                    size += 1
            for i in range(size):
                centre = seq[i]
                rnd = rnd * np.uint64(25214903917) + np.uint64(11)
                b = int((rnd >> np.uint64(16)) % np.uint64(window))
                nc = 0
                for j in range(max(0, i - window + b), min(size, i + window + 1 - b)):
                    if j != i:
                        ctx_rows[nc] = seq[j]
                        nc += 1
                if nc == 0:
                    continue
                tgt_rows[0] = centre
                tgt_ok[0] = True
                for c in range(1, 1 + nc * negative):  # each (context, centre) pair draws its own negatives
                    rnd = rnd * np.uint64(25214903917) + np.uint64(11)
                    x = table[(rnd >> np.uint64(16)) % tsize]
                    tgt_rows[c] = x
                    tgt_ok[c] = x != centre
                nt = 1 + nc * negative
                for a in range(nc):
                    r = ctx_rows[a]
                    for k in range(dim):
                        cin[a, k] = syn0[r, k]
                        gin[a, k] = 0.0
                for c in range(nt):
                    r = tgt_rows[c]
                    for k in range(dim):
                        tout[c, k] = syn1[r, k]
                        gout[c, k] = 0.0
                for a in range(nc):
                    for m in range(negative + 1):
                        c = 0 if m == 0 else 1 + a * negative + m - 1
                        if not tgt_ok[c]:
                            continue
                        f = np.float32(0.0)
                        for k in range(dim):
                            f += cin[a, k] * tout[c, k]
                        if f <= -MAX_EXP or f >= MAX_EXP:
                            continue
                        g = (np.float32(m == 0) - np.float32(1.0) / (np.float32(1.0) + np.exp(-f))) * alpha
                        for k in range(dim):
                            gin[a, k] += g * tout[c, k]
                            gout[c, k] += g * cin[a, k]
                for a in range(nc):
                    r = ctx_rows[a]
                    for k in range(dim):
                        syn0[r, k] += gin[a, k]
                for c in range(nt):
                    if tgt_ok[c]:
                        r = tgt_rows[c]
                        for k in range(dim):
                            syn1[r, k] += gout[c, k]


def keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's subsampling: a node making up a fraction ``f`` of the walks is kept with probability
    ``(sqrt(f / sample) + 1) * sample / f`` (at most 1), so hubs stop crowding out everyone's context."""
    f = np.asarray(counts, dtype=np.float64) / max(float(np.sum(counts)), 1.0)
    if sample <= 0:
        return np.ones(len(f), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (np.sqrt(f / sample) + 1.0) * sample / f
    return np.where(f > 0, np.minimum(p, 1.0), 1.0)


def unigram_table(counts: np.ndarray, power: float = 0.75, size: int | None = None) -> np.ndarray:
    """Node rows laid out in proportion to ``counts ** power``: a uniform draw from it is a negative
    sample."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    if weights.sum() <= 0:
        return np.arange(len(counts), dtype=np.int32)
    size = size or int(min(100_000_000, max(1_000_000, 20 * len(counts))))
    cum = np.cumsum(weights)
    return np.searchsorted(cum, (np.arange(size) + 0.5) * (cum[-1] / size), side="right").astype(np.int32)


class SkipGram:
    """Skip-gram weights trained block by block over walks of node rows.

    Parameters
    ----------
    n_nodes, dim : int
    counts : ndarray
        How often each node occurs in the walks (negative-sampling distribution).
    window, negative : int
        Context window (shrunk at random per centre, as word2vec does) and negatives per positive pair.
    total_walks : int
        Walks the whole run will see (all blocks, all epochs): the learning rate reaches ``min_alpha`` there.
    alpha, min_alpha : float
    sample : float
        Subsampling threshold for frequent nodes (word2vec's ``sample``; 0 keeps every node).
    workers : int
        Threads.
    seed : int
    """

    def __init__(self, n_nodes: int, dim: int, counts: np.ndarray, window: int, negative: int,
                 total_walks: int, alpha: float = 0.025, min_alpha: float = 0.0001, sample: float = 1e-3,
                 workers: int = 1, seed: int = 0):
        rng = np.random.default_rng(seed)
        # initial vectors uniform in [-1/dim, 1/dim), context vectors zero, as gensim starts them
        self.vectors = ((rng.random((n_nodes, dim), dtype=np.float32) * 2 - 1) / dim).astype(np.float32)
        self.context = np.zeros((n_nodes, dim), dtype=np.float32)
        self.table = unigram_table(counts)
        self.keep = keep_probability(counts, sample)
        self.window, self.negative = int(window), int(negative)
        self.alpha, self.min_alpha = float(alpha), float(min_alpha)
        self.total, self.done = float(max(total_walks, 1)), 0
        self.workers = max(1, int(workers))
        self.seed = int(seed) & 0xFFFFFFFF

    def train(self, walks: np.ndarray, on_block: Callable[[int, int], None] | None = None) -> None:
        """One block of walks (``-1`` pads walks that ended early).

        The kernel runs over at most :data:`BLOCK_TOKENS` tokens at a time; ``on_block(walks done, walks)``
        is called after each (a progress report, or a check that raises to stop: Ctrl-C lands there too).
        """
        walks = np.ascontiguousarray(walks, dtype=np.int32)
        threads = min(self.workers, numba.config.NUMBA_NUM_THREADS)
        rows = max(1, BLOCK_TOKENS // max(1, walks.shape[1]))
        before = numba.get_num_threads(), numba.get_parallel_chunksize()
        numba.set_num_threads(threads)
        numba.set_parallel_chunksize(1)
        try:
            for a in range(0, len(walks), rows):
                block = walks[a:a + rows]
                # several chunks a thread, handed out as threads free up: a thread slowed by another process
                # on a shared machine does not hold up the block; one thread walks it in order (reproducible)
                chunks = 1 if threads == 1 else min(len(block), 16 * threads)
                _sgns_kernel(block, self.vectors, self.context, self.table, self.keep, self.window,
                             self.negative, self.alpha, self.min_alpha, int(self.done), self.total, chunks,
                             self.seed)
                self.done += len(block)
                if on_block is not None:
                    on_block(min(len(walks), a + rows), len(walks))
        finally:
            numba.set_num_threads(before[0])
            numba.set_parallel_chunksize(before[1])
