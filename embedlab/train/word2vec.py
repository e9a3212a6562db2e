"""word2vec (CBOW and skip-gram with negative sampling) through gensim's fast ``Word2Vec``.

A gensim ``CallbackAny2Vec`` turns gensim's cumulative loss into a per-epoch loss, measures tokens/s and
hands every epoch's vectors to ``on_epoch``; when that returns ``True`` training stops after the epoch and
the vectors learned so far are kept.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.train.base import EpochHook, EpochState, TrainResult
from embedlab.train.corpus import Corpus, check_trainable


@dataclass(frozen=True)
class Word2VecParams:
    """word2vec hyper-parameters; defaults are the classroom run's (skip-gram, 100 d, 5 epochs).

    ``workers > 1`` trains faster but is not bit-for-bit reproducible; use ``workers=1`` for that.
    """

    sg: bool = True
    dim: int = 100
    window: int = 5
    epochs: int = 5
    negative: int = 5
    min_count: int = 5
    max_vocab: int | None = None
    sample: float = 1e-3
    alpha: float = 0.025
    seed: int = 1
    workers: int = 2

    def __post_init__(self) -> None:
        for name in ("dim", "window", "epochs", "negative", "min_count", "workers"):
            if int(getattr(self, name)) < 1:
                raise InvalidParameterError(f"word2vec {name} must be at least 1; got {getattr(self, name)}.")
        if not 0 <= self.sample < 1:
            raise InvalidParameterError(f"word2vec sample must be in [0, 1); got {self.sample}.")

    @property
    def method(self) -> str:
        return "skipgram" if self.sg else "cbow"

    def to_dict(self) -> dict:
        return {"method": self.method, **asdict(self)}


@dataclass
class Word2VecState:
    """What continuing training needs besides the vectors: output weights, counts, parameters
    (saved beside the space by :mod:`embedlab.train.continued`)."""

    words: list[str]
    counts: np.ndarray
    syn1neg: np.ndarray
    params: dict
    corpus_count: int = 0


def state_from_model(model, params: Word2VecParams) -> Word2VecState:
    """The state of a trained gensim ``Word2Vec`` model."""
    words = [str(w) for w in model.wv.index_to_key]
    counts = np.array([model.wv.get_vecattr(w, "count") for w in words], dtype=np.int64)
    return Word2VecState(words, counts, np.array(model.syn1neg, dtype=np.float32), params.to_dict(),
                         int(model.corpus_count))


class _Stop(Exception):
    """Raised from the callback to end gensim's training loop between epochs."""


def train_epochs(model, corpus, epochs: int, on_epoch: EpochHook | None):
    """``model.train`` for ``epochs`` with the per-epoch hook; returns ``(reporter, stopped)``, where
    ``stopped`` is True when the hook asked to stop early (what was trained so far is kept)."""
    reporter = _callback(on_epoch, epochs, corpus.n_tokens)
    try:
        model.train(corpus.sentences, total_examples=model.corpus_count, epochs=epochs, compute_loss=True,
                    callbacks=[reporter])
    except _Stop:
        return reporter, True
    return reporter, False


def _callback(hook: EpochHook | None, epochs: int, n_tokens: int):
    from gensim.models.callbacks import CallbackAny2Vec

    class _Reporter(CallbackAny2Vec):
        def __init__(self) -> None:
            self.epoch, self.started, self.losses = 0, 0.0, []

        def on_epoch_begin(self, model) -> None:
            self.started = time.perf_counter()
            # gensim adds every pair's loss to one float32 over the whole run; past ~1e7 small additions are
            # lost and the per-epoch differences stop meaning anything (the curve rose after epoch 1).
            # Counting each epoch from zero keeps its sum exact.
            model.running_training_loss = 0.0

        def on_epoch_end(self, model) -> None:
            seconds = time.perf_counter() - self.started
            self.losses.append(float(model.get_latest_training_loss()))
            self.epoch += 1
            if hook is not None:
                state = EpochState(self.epoch, epochs, self.losses[-1], seconds,
                                   n_tokens / max(seconds, 1e-9), list(model.wv.index_to_key),
                                   model.wv.vectors.copy())
                if hook(state) and self.epoch < epochs:
                    raise _Stop

    return _Reporter()


def fit_word2vec(corpus: Corpus, params: Word2VecParams = Word2VecParams(),
                 on_epoch: EpochHook | None = None) -> TrainResult:
    """Train CBOW (``sg=False``) or skip-gram (``sg=True``) on ``corpus``.

    Parameters
    ----------
    corpus : Corpus
    params : Word2VecParams
    on_epoch : callable, optional
        ``on_epoch(EpochState)`` after each epoch; returning ``True`` stops and keeps the vectors so far.

    Returns
    -------
    TrainResult
        Words in gensim's frequency order, per-epoch losses, wall time (vocabulary building included).
    """
    from gensim.models import Word2Vec

    t0 = time.perf_counter()
    check_trainable(corpus, params.window, params.min_count, params.max_vocab)
    model = Word2Vec(vector_size=params.dim, window=params.window, min_count=params.min_count,
                     max_final_vocab=params.max_vocab, sg=int(params.sg), hs=0, negative=params.negative,
                     sample=params.sample, alpha=params.alpha, seed=params.seed, workers=params.workers)
    model.build_vocab(corpus.sentences)
    reporter, stopped = train_epochs(model, corpus, params.epochs, on_epoch)
    words = list(model.wv.index_to_key)
    result = TrainResult(params.method, words, [int(model.wv.get_vecattr(w, "count")) for w in words],
                         model.wv.vectors.copy(), params.to_dict(), losses=reporter.losses,
                         seconds=time.perf_counter() - t0, epochs_done=reporter.epoch, stopped=stopped)
    result.model_state = state_from_model(model, params)  # saved beside the space: training can continue
    return result
