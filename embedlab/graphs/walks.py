"""Random walks over CSR adjacency with numba: uniform (DeepWalk) and second-order biased (node2vec).

node2vec's walk from ``t`` to ``v`` picks the next node ``x`` among ``v``'s neighbours with probability
proportional to ``w(v, x) * alpha(t, x)``, where ``alpha = 1/p`` if ``x == t`` (return), ``1`` if ``x`` is a
neighbour of ``t`` (stay close), ``1/q`` otherwise (move out). The reference implementation precomputes a
table per *edge* — memory grows with the sum of squared degrees (16 GB on a 3.5M-edge graph). Here nothing
is precomputed: a candidate ``x`` is drawn from the first-order distribution and accepted with probability
``alpha / max(1/p, 1, 1/q)`` (rejection sampling, as in KnightKing, SOSP 2019); ``x in N(t)`` is a binary
search in ``t``'s sorted neighbour list. Memory is the CSR arrays (linear in edges) plus one pass of walks.

Rejection alone need not end in reasonable time: with an extreme ``p`` or ``q`` (``p = 1e300`` at a node
whose only neighbour is ``t``) a trial is accepted with chance 1e-300. So a step makes at most
:data:`REJECTION_TRIES` trials and then draws ``x`` from the exact second-order distribution, summed over
``v``'s neighbours (``O(deg v * log deg t)``). The mixture is still exact: if a trial accepts with chance
``A``, the first ``K`` trials return ``x`` with chance ``(1 - (1 - A)^K) * P(x)`` and the exact draw covers
the remaining ``(1 - A)^K * P(x)``. Every step therefore ends after a bounded amount of work, for any
``p`` and ``q`` whose reciprocals are ordinary floating-point numbers (the bounds in
:mod:`embedlab.graphs.params`).

Every walk draws from its own counter-based random stream (seed, walk number), so results are the same for
any number of threads. A pass of walks is made by several kernel calls of at most :data:`BLOCK_STEPS` steps:
Ctrl-C (``KeyboardInterrupt``) and a page's Stop (raised by the progress callback) take effect between them.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np

from embedlab.graphs.params import check_params, check_walk_budget

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
REJECTION_TRIES = 16  # rejection trials per step before the exact draw
BLOCK_STEPS = 1 << 20  # walk steps per kernel call (Ctrl-C and Stop are honoured between calls)


@numba.njit(inline="always")
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@numba.njit(inline="always")
def _uniform(state):
    """Next float in [0, 1) of a splitmix64 stream held in ``state[0]``."""
    state[0] += np.uint64(0x9E3779B97F4A7C15)
    return (_mix(state[0]) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(inline="always")
def _first_order(v, indptr, indices, cumw, weighted, state):
    lo, hi = indptr[v], indptr[v + 1]
    if weighted:
        r = _uniform(state) * cumw[hi - 1]
        k = lo + np.searchsorted(cumw[lo:hi], r, side="right")
        if k >= hi:
            k = hi - 1
        return indices[k]
    return indices[lo + int(_uniform(state) * (hi - lo))]


@numba.njit(inline="always")
def _has_edge(t, x, indptr, indices):
    lo, hi = indptr[t], indptr[t + 1]
    k = lo + np.searchsorted(indices[lo:hi], x)
    return k < hi and indices[k] == x


@numba.njit(inline="always")
def _alpha(t, x, indptr, indices, inv_p, inv_q):
    if x == t:
        return inv_p
    if _has_edge(t, x, indptr, indices):
        return 1.0
    return inv_q


@numba.njit(nogil=True, cache=True)
def _exact_step(t, v, indptr, indices, weights, weighted, inv_p, inv_q, state):
    """The next node after ``t -> v`` drawn from the exact second-order distribution.

    The three biases are divided by the largest one among the kinds of neighbour ``v`` has, so the sum is
    never 0 (a bias that underflows to 0 there is below what a 53-bit uniform draw can resolve anyway).
    """
    lo, hi = indptr[v], indptr[v + 1]
    s_ret = s_close = s_out = 0.0
    for k in range(lo, hi):
        x = indices[k]
        w = weights[k] if weighted else 1.0
        if x == t:
            s_ret += w
        elif _has_edge(t, x, indptr, indices):
            s_close += w
        else:
            s_out += w
    top = 0.0
    if s_ret > 0.0:
        top = max(top, inv_p)
    if s_close > 0.0:
        top = max(top, 1.0)
    if s_out > 0.0:
        top = max(top, inv_q)
    a_ret, a_close, a_out = inv_p / top, 1.0 / top, inv_q / top
    r = _uniform(state) * (s_ret * a_ret + s_close * a_close + s_out * a_out)
    acc = 0.0
    last = indices[lo]
    for k in range(lo, hi):
        x = indices[k]
        if x == t:
            a = a_ret
        elif _has_edge(t, x, indptr, indices):
            a = a_close
        else:
            a = a_out
        m = a * (weights[k] if weighted else 1.0)
        if m > 0.0:
            last = x
            acc += m
            if r < acc:
                return x
    return last  # rounding left r at the very top: the last node with a chance


@numba.njit(parallel=True, nogil=True, cache=True)
def _walk_kernel(indptr, indices, cumw, weights, weighted, starts, walk_length, inv_p, inv_q, seed, first_id,
                 out):
    upper = max(inv_p, 1.0, inv_q)
    biased = inv_p != 1.0 or inv_q != 1.0
    for w in numba.prange(len(starts)):
        state = np.empty(1, dtype=np.uint64)
        state[0] = _mix(np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(first_id + w))
        v = starts[w]
        out[w, 0] = v
        for step in range(1, walk_length):
            if indptr[v + 1] == indptr[v]:  # dead end (directed graphs)
                for s in range(step, walk_length):
                    out[w, s] = -1
                break
            if step == 1 or not biased:
                x = _first_order(v, indptr, indices, cumw, weighted, state)
            else:
                t = out[w, step - 2]
                x = -1
                for _ in range(REJECTION_TRIES):
                    c = _first_order(v, indptr, indices, cumw, weighted, state)
                    if _uniform(state) * upper < _alpha(t, c, indptr, indices, inv_p, inv_q):
                        x = c
                        break
                if x < 0:
                    x = _exact_step(t, v, indptr, indices, weights, weighted, inv_p, inv_q, state)
            out[w, step] = x
            v = x


def cumulative_weights(graph) -> np.ndarray:
    """Per-row cumulative edge weights aligned with ``graph.indices`` (empty when unweighted)."""
    if graph.weights is None:
        return np.zeros(0, dtype=np.float64)
    w = graph.weights.astype(np.float64)
    c = np.cumsum(w)
    row_start = np.repeat(np.concatenate([[0.0], c])[graph.indptr[:-1]], np.diff(graph.indptr))
    return c - row_start


def walk_chunks(graph, walk_length: int = 40, num_walks: int = 10, p: float = 1.0, q: float = 1.0,
                seed: int = 0, on_block: Callable[[int, int], None] | None = None):
    """Yield ``(n_nodes, walk_length)`` int32 arrays of node rows, one pass over all nodes at a time.

    Each pass starts one walk at every node, in a seeded random order; ``-1`` pads walks that hit a
    dead end (a node without out-edges in a directed graph). A pass is walked in blocks of at most
    :data:`BLOCK_STEPS` steps; ``on_block(walks done, walks in the pass)`` is called after each (a progress
    report, or a check that raises to stop). Parameters are checked by :mod:`embedlab.graphs.params`.
    """
    checked = check_params("node2vec", walk_length=walk_length, num_walks=num_walks, p=p, q=q,
                           random_state=seed)
    walk_length, num_walks = checked["walk_length"], checked["num_walks"]
    cumw = cumulative_weights(graph)
    weights = np.zeros(0) if graph.weights is None else graph.weights.astype(np.float64)
    indptr = graph.indptr.astype(np.int64)
    indices = graph.indices.astype(np.int32)
    rng = np.random.default_rng(checked["random_state"])
    n = graph.n_nodes
    rows = max(1, BLOCK_STEPS // walk_length)
    for r in range(num_walks):
        starts = rng.permutation(n).astype(np.int32)
        out = np.empty((n, walk_length), dtype=np.int32)
        for a in range(0, n, rows):
            b = min(n, a + rows)
            _walk_kernel(indptr, indices, cumw, weights, graph.weights is not None, starts[a:b], walk_length,
                         1.0 / checked["p"], 1.0 / checked["q"], checked["random_state"], r * n + a, out[a:b])
            if on_block is not None:
                on_block(b, n)
        yield out


def random_walks(graph, walk_length: int = 40, num_walks: int = 10, p: float = 1.0, q: float = 1.0,
                 seed: int = 0) -> np.ndarray:
    """All walks at once, ``(num_walks * n_nodes, walk_length)`` (small graphs, tests, statistics)."""
    c = check_params("node2vec", walk_length=walk_length, num_walks=num_walks)
    check_walk_budget(graph.n_nodes, 0, c["walk_length"], c["num_walks"], 1, keep_all=True)
    return np.concatenate(list(walk_chunks(graph, walk_length, num_walks, p, q, seed)))
