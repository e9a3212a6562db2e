"""Our own GloVe trainer (Pennington et al. 2014).

Weighted least squares over the non-zero co-occurrences::

    J = sum_ij f(X_ij) (w_i · w~_j + b_i + b~_j - log X_ij)^2,   f(x) = min(1, (x / x_max)^alpha)

minimised with AdaGrad (x_max = 100, alpha = 0.75, learning rate 0.05, gradient clipping at 100, squared
gradients initialised to 1), exactly as the reference C code (``glove.c``; checked update for update
against a transliteration of it, and the counting against ``cooccur.c``, in
``tests/test_train_glove_reference.py``). The loop over non-zeros is compiled with
numba (``nogil``, cached on disk; with several workers, Hogwild-style lock-free updates like the C code).
The result is ``W + W~`` as in the paper.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress
from embedlab.train.base import EpochHook, EpochState, TrainResult
from embedlab.train.cooccur import cooccurrence, encode
from embedlab.train.corpus import Corpus, check_trainable


@dataclass(frozen=True)
class GloVeParams:
    """GloVe hyper-parameters (defaults: the paper's / C code's)."""

    dim: int = 50
    window: int = 10
    epochs: int = 15
    min_count: int = 5
    max_vocab: int | None = None
    x_max: float = 100.0
    alpha: float = 0.75
    learning_rate: float = 0.05
    seed: int = 1
    workers: int = 2

    def __post_init__(self) -> None:
        for name in ("dim", "window", "epochs", "min_count", "workers"):
            if int(getattr(self, name)) < 1:
                raise InvalidParameterError(f"GloVe {name} must be at least 1; got {getattr(self, name)}.")
        if not 0 < self.learning_rate <= 1:
            raise InvalidParameterError(f"GloVe learning rate must be in (0, 1]; got {self.learning_rate}.")

    def to_dict(self) -> dict:
        return {"method": "glove", **asdict(self)}


def _kernel():
    """The compiled AdaGrad kernel (numba imported lazily; compiled once and cached on disk)."""
    from embedlab.train._glove_kernel import adagrad_pass

    return adagrad_pass


def _epoch(kernel, arrays: tuple, n: int, workers: int) -> float:
    """One pass over all non-zeros, split across ``workers`` threads (numba releases the GIL)."""
    if workers <= 1 or n < 10_000:
        return kernel(*arrays, 0, n)

    bounds = np.linspace(0, n, workers + 1).astype(np.int64)
    with ThreadPoolExecutor(workers) as pool:
        spans = zip(bounds[:-1], bounds[1:], strict=True)
        parts = pool.map(lambda lh: kernel(*arrays, int(lh[0]), int(lh[1])), spans)
        return float(sum(parts))


def fit_glove(corpus: Corpus, params: GloVeParams = GloVeParams(), on_epoch: EpochHook | None = None,
              progress: Progress | None = None) -> TrainResult:
    """Count co-occurrences and train GloVe on ``corpus``.

    Parameters
    ----------
    corpus : Corpus
    params : GloVeParams
    on_epoch : callable, optional
        ``on_epoch(EpochState)`` after each epoch (vectors = W + W~ so far); returning ``True`` stops
        training and keeps what was learned.
    progress : callable, optional
        ``progress(done, total, message)`` while counting.

    Returns
    -------
    TrainResult
        Words in frequency order; ``losses`` is the mean weighted squared error per non-zero, per epoch;
        ``seconds`` includes the counting (``extra["count_seconds"]`` alone).
    """
    t0 = time.perf_counter()
    vocab = check_trainable(corpus, params.window, params.min_count, params.max_vocab)
    words = [w for w, _ in vocab]
    ids, sid = encode(corpus.sentences, {w: i for i, w in enumerate(words)})
    x = cooccurrence(ids, sid, len(words), params.window, progress)
    rows, cols = x.row.astype(np.int32), x.col.astype(np.int32)
    logx = np.log(x.data).astype(np.float32)
    fx = np.minimum(1.0, (x.data / params.x_max) ** params.alpha).astype(np.float32)
    del x
    count_s = time.perf_counter() - t0

    rng = np.random.default_rng(params.seed)
    v, dim, nnz = len(words), int(params.dim), len(rows)
    # vectors and their AdaGrad squared-gradient sums (initialised to 1) side by side, see _glove_kernel
    big_w, big_c = np.ones((v, 2, dim), np.float32), np.ones((v, 2, dim), np.float32)
    big_w[:, 0] = (rng.random((v, dim), dtype=np.float32) - 0.5) / dim
    big_c[:, 0] = (rng.random((v, dim), dtype=np.float32) - 0.5) / dim
    big_b = np.ones((v, 4), np.float32)
    big_b[:, 0] = (rng.random(v, dtype=np.float32) - 0.5) / dim
    big_b[:, 2] = (rng.random(v, dtype=np.float32) - 0.5) / dim
    w, wc = big_w[:, 0], big_c[:, 0]  # views
    perm = rng.permutation(nnz)  # shuffled once, like the C code's shuffle step, then read in order
    rows, cols, logx, fx = rows[perm], cols[perm], logx[perm], fx[perm]
    del perm
    arrays = (rows, cols, logx, fx, big_w, big_c, big_b, np.float32(params.learning_rate))
    kernel = _kernel()
    n_tokens = len(ids)
    result = TrainResult("glove", words, [c for _, c in vocab], w, params.to_dict(),
                         extra={"nonzeros": nnz, "count_seconds": round(count_s, 2)})
    for epoch in range(1, params.epochs + 1):
        te = time.perf_counter()
        cost = _epoch(kernel, arrays, nnz, int(params.workers))
        result.losses.append(cost / max(nnz, 1))
        result.epochs_done = epoch
        sec = time.perf_counter() - te
        if on_epoch is not None and on_epoch(EpochState(epoch, params.epochs, result.losses[-1], sec,
                                                        n_tokens / max(sec, 1e-9), words, w + wc)):
            result.stopped = epoch < params.epochs
            break
    result.vectors = (w + wc).astype(np.float32)
    result.seconds = time.perf_counter() - t0
    return result
