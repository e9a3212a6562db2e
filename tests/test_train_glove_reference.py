"""Our GloVe counting and AdaGrad pass against line-by-line transliterations of the reference C code.

``cooccur.c`` (Stanford GloVe): per line, a circular history of the last ``window`` in-vocabulary words,
out-of-vocabulary tokens skipped *before* windowing, the window reset at each newline, ``1/d`` added to
``X[w1, w2]`` and (symmetric) ``X[w2, w1]``. ``glove.c`` ``glove_thread``: per shuffled record, cost
``0.5 f(x) diff^2``, ``fdiff *= eta``, both vectors updated from their old values with AdaGrad, biases
updated with ``fdiff``, squared gradients accumulated after the step.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.train.cooccur import cooccurrence, encode


def _c_cooccur(lines: list[list[str]], vocab: dict[str, int], window: int) -> dict[tuple[int, int], float]:
    counts: dict[tuple[int, int], float] = {}
    for line in lines:  # "if (flag == 1) {j = 0; continue;}": a newline resets the window
        history = [0] * window
        j = 0
        for word in line:
            if word not in vocab:
                continue  # "Skip out-of-vocabulary words" (j is not advanced)
            w2 = vocab[word]
            for k in range(j - 1, (j - window if j > window else 0) - 1, -1):
                w1 = history[k % window]
                counts[w1, w2] = counts.get((w1, w2), 0.0) + 1.0 / (j - k)
                counts[w2, w1] = counts.get((w2, w1), 0.0) + 1.0 / (j - k)
            history[j % window] = w2
            j += 1
    return counts


def test_cooccurrence_matches_reference_cooccur_c():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(12)]
    lines = [list(rng.choice(words + ["oov1", "oov2"], size=int(rng.integers(1, 30)))) for _ in range(40)]
    lines[3] = ["w1", "w1", "w1"]  # a word next to itself: the diagonal gets both directions
    vocab = {w: i for i, w in enumerate(words)}
    for window in (1, 3, 10):
        ids, sid = encode(lines, vocab)
        x = cooccurrence(ids, sid, len(words), window).todok()
        ref = _c_cooccur(lines, vocab, window)
        assert set(ref) == {k for k, v in x.items() if v != 0}
        for key, val in ref.items():
            assert math.isclose(x[key], val, rel_tol=1e-12)


def _c_glove_pass(rows, cols, vals, w, c, b, gw, gc, gb, eta, x_max, alpha) -> float:
    """``glove_thread`` for one thread, in float64 (``real`` is ``double`` in the C code)."""
    cost = 0.0
    for i, j, val in zip(rows, cols, vals, strict=True):
        diff = float(w[i] @ c[j]) + b[i, 0] + b[j, 1] - math.log(val)
        fdiff = diff if val > x_max else (val / x_max) ** alpha * diff
        cost += 0.5 * fdiff * diff
        fdiff *= eta
        temp1, temp2 = fdiff * c[j].copy(), fdiff * w[i].copy()
        w[i] -= temp1 / np.sqrt(gw[i])
        c[j] -= temp2 / np.sqrt(gc[j])
        gw[i] += temp1 * temp1
        gc[j] += temp2 * temp2
        b[i, 0] -= fdiff / math.sqrt(gb[i, 0])
        b[j, 1] -= fdiff / math.sqrt(gb[j, 1])
        gb[i, 0] += fdiff * fdiff
        gb[j, 1] += fdiff * fdiff
    return cost


def test_adagrad_pass_matches_reference_glove_c():
    from embedlab.train._glove_kernel import adagrad_pass

    rng = np.random.default_rng(1)
    v, dim, nnz, x_max, alpha, eta = 7, 5, 60, 100.0, 0.75, 0.05
    rows, cols = rng.integers(0, v, nnz).astype(np.int32), rng.integers(0, v, nnz).astype(np.int32)
    vals = rng.choice([0.1, 0.5, 1.0, 3.0, 40.0, 150.0, 900.0], nnz)  # some above x_max (f = 1)
    w0, c0 = (rng.random((v, dim)) - 0.5) / dim, (rng.random((v, dim)) - 0.5) / dim
    b0 = (rng.random((v, 2)) - 0.5) / dim
    big_w, big_c, big_b = np.ones((v, 2, dim)), np.ones((v, 2, dim)), np.ones((v, 4))
    big_w[:, 0], big_c[:, 0], big_b[:, 0], big_b[:, 2] = w0, c0, b0[:, 0], b0[:, 1]
    fx = np.minimum(1.0, (vals / x_max) ** alpha)
    w, c, b = w0.copy(), c0.copy(), b0.copy()
    gw, gc, gb = np.ones((v, dim)), np.ones((v, dim)), np.ones((v, 2))
    for _epoch in range(3):
        cost = adagrad_pass(rows, cols, np.log(vals), fx, big_w, big_c, big_b, eta, 0, nnz)
        ref = _c_glove_pass(rows, cols, vals, w, c, b, gw, gc, gb, eta, x_max, alpha)
        assert math.isclose(cost, ref, rel_tol=1e-9)
    np.testing.assert_allclose(big_w[:, 0], w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(big_c[:, 0], c, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(big_w[:, 1], gw, rtol=1e-9)
    np.testing.assert_allclose(big_c[:, 1], gc, rtol=1e-9)
    np.testing.assert_allclose(big_b[:, [0, 2]], b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(big_b[:, [1, 3]], gb, rtol=1e-9)
