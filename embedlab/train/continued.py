"""Continue training a saved word2vec space on new text (dynamic embeddings), vocabulary growth included.

A space trained here with word2vec keeps, beside it in the workspace, what gensim needs to pick training
up again: the output (negative-sampling) weights ``syn1neg`` and the word counts, in ``w2v_state.npz``
(plain arrays, read with ``allow_pickle=False``; no pickled model is ever written or read). The input
vectors are the space's own vectors. The state records the space's fingerprint, so a space that was
overwritten by something else (a debiased copy saved under the same name) is refused instead of silently
continuing from mismatched weights.

Continuing: gensim's model is rebuilt from the counts (``build_vocab_from_freq``), its weights are set
from the state, ``build_vocab(new_text, update=True)`` adds the new words (those seen at least
``min_count`` times in the new text) and ``train`` runs on the new text only. Old words that the new text
never uses keep their vectors exactly (skip-gram and CBOW only update the input vectors of words in the
text), so the result is in the same coordinates as the original: no alignment is needed to compare them.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from embedlab import workspace
from embedlab.errors import EmbedlabError, InvalidParameterError
from embedlab.space import EmbeddingSpace
from embedlab.train.base import EpochHook, TrainResult
from embedlab.train.corpus import Corpus, check_trainable
from embedlab.train.word2vec import Word2VecParams, Word2VecState, state_from_model, train_epochs

STATE_FILE = "w2v_state.npz"
_PARAM_FIELDS = set(Word2VecParams.__dataclass_fields__)


class NoTrainingStateError(EmbedlabError):
    """The space cannot be trained further (not a word2vec space trained here, or overwritten since)."""


def save_state(folder: str | Path, state: Word2VecState, fingerprint: str) -> Path:
    """Write ``state`` into a saved space's folder (atomically: temporary file, then rename)."""
    folder = Path(folder)
    tmp = folder / f".{STATE_FILE}.{os.getpid()}.tmp.npz"
    meta = json.dumps({"params": state.params, "corpus_count": state.corpus_count,
                       "fingerprint": fingerprint})
    np.savez(tmp, words=np.asarray(state.words, dtype=str), counts=state.counts, syn1neg=state.syn1neg,
             meta=np.asarray(meta))
    os.replace(tmp, folder / STATE_FILE)
    return folder / STATE_FILE


def load_state(space: EmbeddingSpace) -> Word2VecState:
    """The saved state of a workspace space, checked against the space's vectors.

    Raises
    ------
    NoTrainingStateError
        Not a saved space, no state beside it, or the space changed since the state was written.
    """
    hint = ("Only word2vec spaces trained in embedlab (Train page or `embedlab train word2vec --out NAME`) "
            "can be trained further; train one and continue from it.")
    if not workspace.exists(space.name):
        raise NoTrainingStateError(f"'{space.name}' is not a space saved in the workspace, so it has no "
                                   f"training state to continue from. {hint}")
    path = workspace.spaces_dir() / space.name / STATE_FILE
    if not path.is_file():
        method = workspace.read_info(space.name).get("method", "not trained here")
        raise NoTrainingStateError(f"'{space.name}' ({method}) has no saved word2vec training state. {hint}")
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        state = Word2VecState([str(w) for w in z["words"]], z["counts"].astype(np.int64),
                              z["syn1neg"].astype(np.float32), meta["params"],
                              int(meta.get("corpus_count", 0)))
    if meta.get("fingerprint") != space.fingerprint or state.words != list(space.keys):
        raise NoTrainingStateError(f"'{space.name}' was changed after training (its vectors no longer match "
                                   f"the saved training state), so it cannot be continued. {hint}")
    return state


def has_state(name: str) -> bool:
    """True when a saved space carries a word2vec training state (cheap: no vectors read)."""
    return workspace.exists(name) and (workspace.spaces_dir() / name / STATE_FILE).is_file()


_METHODS = {True: "skip-gram", False: "CBOW"}


def continue_params(state: Word2VecState, name: str | None = None, **overrides) -> Word2VecParams:
    """The original run's parameters with ``overrides`` (``epochs``, ``alpha``, ``min_count``, ``workers``,
    ``seed``) applied; ``dim``, ``sg``, ``window`` and ``negative`` cannot change (an override equal to the
    original value is fine; ``None`` means "not given"). ``name`` (the space's) goes into messages."""
    asked = {k: v for k, v in overrides.items() if v is not None}
    if "sg" in asked and bool(asked["sg"]) != bool(state.params.get("sg", True)):
        was = _METHODS[bool(state.params.get("sg", True))]
        raise InvalidParameterError(
            f"{repr(name) if name else 'The space'} was trained with {was}, and continued training keeps its "
            f"method (its output weights were learned for {was}); {_METHODS[bool(asked['sg'])]} was asked "
            "for. Leave the method out (--sg/--cbow), or train a new space with it instead of continuing.")
    fixed = sorted(k for k in ("dim", "window", "negative") if k in asked and asked[k] != state.params.get(k))
    if fixed:
        raise InvalidParameterError(f"{', '.join(fixed)} cannot change when continuing training (the weights "
                                    "have that shape); leave them out.")
    base = {k: v for k, v in state.params.items() if k in _PARAM_FIELDS}
    base.update({k: v for k, v in overrides.items() if v is not None and k in _PARAM_FIELDS})
    base["max_vocab"] = None  # the vocabulary may grow
    return Word2VecParams(**base)


def _rebuild(space: EmbeddingSpace, state: Word2VecState, params: Word2VecParams):
    from gensim.models import Word2Vec

    # sorted_vocab=0: keep the saved order (gensim's frequency sort is not stable, ties would swap rows)
    model = Word2Vec(vector_size=params.dim, window=params.window, min_count=1, sg=int(params.sg), hs=0,
                     negative=params.negative, sample=params.sample, alpha=params.alpha, seed=params.seed,
                     workers=params.workers, sorted_vocab=0)
    model.build_vocab_from_freq({w: int(c) for w, c in zip(state.words, state.counts, strict=False)},
                                corpus_count=state.corpus_count)
    rows = np.array([model.wv.key_to_index[w] for w in state.words], dtype=np.int64)
    model.wv.vectors[rows] = np.asarray(space.vectors, dtype=np.float32)
    model.syn1neg[rows] = state.syn1neg
    model.min_count = params.min_count  # new words need min_count occurrences in the new text
    return model


def _add_counts(model, state: Word2VecState, corpus: Corpus) -> None:
    """Old words' counts + their occurrences in the new text.

    gensim adds new occurrences only for words seen ``min_count`` times in the new text, yet trains every
    known word the text contains; exact counts keep "which words did the new text touch" answerable.
    """
    seen = corpus.counts()
    for w, c in zip(state.words, state.counts, strict=True):
        model.wv.set_vecattr(w, "count", int(c) + int(seen.get(w, 0)))


def continue_word2vec(space: EmbeddingSpace, corpus: Corpus, params: Word2VecParams | None = None,
                      on_epoch: EpochHook | None = None, state: Word2VecState | None = None) -> TrainResult:
    """Train ``space`` further on ``corpus`` (new words with ``min_count`` occurrences join the vocabulary).

    Returns
    -------
    TrainResult
        Old words first (same rows as ``space``), then new words; ``counts`` are old + new occurrences
        (so a word whose count did not change was not in the new text and kept its vector exactly);
        ``model_state`` holds the state to save beside the result; ``extra`` records the parent space.

    Raises
    ------
    NoTrainingStateError
    CorpusTooSmallError, EmptyVocabularyError
    """
    t0 = time.perf_counter()
    state = state or load_state(space)
    params = params or continue_params(state)
    check_trainable(corpus, params.window, 1)
    model = _rebuild(space, state, params)
    model.build_vocab(corpus.sentences, update=True)
    reporter, stopped = train_epochs(model, corpus, params.epochs, on_epoch)
    _add_counts(model, state, corpus)
    words = [str(w) for w in model.wv.index_to_key]
    new_words = len(words) - len(state.words)
    extra = {"continued_from": space.name, "new_words": new_words,
             "parent_params": {k: state.params.get(k) for k in ("method", "dim", "epochs")}}
    res = TrainResult(params.method, words, [int(model.wv.get_vecattr(w, "count")) for w in words],
                      model.wv.vectors.copy(), {**params.to_dict(), "continued_from": space.name},
                      losses=reporter.losses, seconds=time.perf_counter() - t0, epochs_done=reporter.epoch,
                      stopped=stopped, extra=extra)
    res.model_state = state_from_model(model, params)
    return res
