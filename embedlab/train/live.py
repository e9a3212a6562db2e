"""Training as a background job: per-epoch snapshots published for the page, Stop keeps the partial result.

``start(key, corpus, params, watch, name)`` submits :func:`run` to :mod:`embedlab.jobs`. After every epoch
the job publishes a :class:`LiveView` (snapshots so far + the partial space) and reports progress; when
the user presses Stop (``job.cancel()``) training ends after the current epoch and the vectors learned so
far become the result, which is evaluated and saved to the workspace like a finished run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from embedlab import jobs, workspace
from embedlab.errors import InvalidParameterError
from embedlab.evaluate import evaluate as run_eval
from embedlab.jobs import Context, LocalContext
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace
from embedlab.train.base import EpochState, TrainResult
from embedlab.train.continued import continue_word2vec, save_state
from embedlab.train.corpus import Corpus, check_trainable
from embedlab.train.glove import GloVeParams, fit_glove
from embedlab.train.snapshot import Snapshot, snapshot
from embedlab.train.word2vec import Word2VecParams, fit_word2vec

TRAIN_METHODS = ("skipgram", "cbow", "glove")
DEFAULT_WATCH = ("king", "dog", "paris")
Params = Word2VecParams | GloVeParams


def make_params(method: str, **kw: Any) -> Params:
    """Parameters for ``method`` (``skipgram``, ``cbow`` or ``glove``); unset ones keep their defaults."""
    kw = {k: v for k, v in kw.items() if v is not None}
    if method in ("skipgram", "cbow"):
        return Word2VecParams(sg=method == "skipgram", **kw)
    if method == "glove":
        kw = {k: v for k, v in kw.items() if k not in ("negative", "sample", "alpha", "sg")}
        return GloVeParams(**kw)
    raise InvalidParameterError(
        f"Unknown training method '{method}'; choose one of {', '.join(TRAIN_METHODS)}.")


def method_of(params: Params) -> str:
    return "glove" if isinstance(params, GloVeParams) else params.method


def train(corpus: Corpus, params: Params, on_epoch=None, progress: Progress | None = None) -> TrainResult:
    """Train with the method the parameters belong to (no evaluation, nothing saved)."""
    if isinstance(params, GloVeParams):
        return fit_glove(corpus, params, on_epoch, progress)
    return fit_word2vec(corpus, params, on_epoch)


@dataclass
class LiveView:
    """What a running job publishes: one snapshot per finished epoch and the space as of the last one."""

    snapshots: list[Snapshot] = field(default_factory=list)
    space: EmbeddingSpace | None = None
    epochs: int = 0


@dataclass
class Trained:
    """A finished (or stopped) training run: the space (with info), its evaluation and snapshots."""

    space: EmbeddingSpace
    result: TrainResult
    snapshots: list[Snapshot]
    evaluation: Any = None  # embedlab.evaluate.Evaluation
    path: Path | None = None


def _partial_space(state: EpochState, name: str) -> EmbeddingSpace:
    return EmbeddingSpace(state.words, state.vectors, name=f"{name} (epoch {state.epoch})")


def run(ctx: Context | None, corpus: Corpus, params: Params,
        watch: list[str] | tuple[str, ...] = DEFAULT_WATCH, name: str = "my-space", evaluate: bool = True,
        save: bool = True, k: int = 5, continue_from: EmbeddingSpace | None = None) -> Trained:
    """The job body: ``ctx`` is a :class:`embedlab.jobs.JobContext` in a background job, a
    :class:`embedlab.jobs.LocalContext` (or ``None``: one that reports nowhere) when the caller waits.

    ``continue_from``: a saved word2vec space to train further on ``corpus`` (see
    :mod:`embedlab.train.continued`) instead of training from scratch.
    """
    if save:
        workspace.check_name(name)
    view = LiveView(epochs=params.epochs)
    ctx = ctx if ctx is not None else LocalContext()
    report = ctx.report

    def on_epoch(state: EpochState) -> bool:
        space = _partial_space(state, name)
        prev = view.snapshots[-1] if view.snapshots else None
        snap = snapshot(space, list(watch), state.epoch, state.loss, state.tokens_per_s, state.seconds, k,
                        prev)
        view.snapshots = [*view.snapshots, snap]
        view.space = space
        ctx.publish(LiveView(list(view.snapshots), space, view.epochs))
        report(state.epoch, state.epochs, f"epoch {state.epoch}/{state.epochs} · "
               f"{state.tokens_per_s:,.0f} tokens/s · loss {state.loss:,.4g}")
        return ctx.cancelled

    report(0, params.epochs, "building vocabulary" if method_of(params) != "glove" else "counting")
    if continue_from is not None:
        result = continue_word2vec(continue_from, corpus, params, on_epoch)
    else:
        result = train(corpus, params, on_epoch,
                       lambda d, t, m: report(0, params.epochs, f"{m} {d / max(t, 1):.0%}"))
    info = {"corpus": {"description": corpus.description, "tokens": corpus.n_tokens,
                       "sentences": corpus.n_sentences, "lowercase": corpus.options.lowercase,
                       "strip_punctuation": corpus.options.strip_punctuation, "notes": corpus.notes[:20]},
            "watch_words": list(watch), "trained_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "source": f"{method_of(params)} ({params.dim} d, {result.epochs_done} epochs"
                      f"{', stopped early' if result.stopped else ''}) trained on {corpus.description}"}
    if continue_from is not None:
        more = info["source"].replace(" trained on ", " more trained on ")
        info["source"] = f"{continue_from.name}, {more}"
    space = result.to_space(name, info)
    ev = None
    if evaluate:
        report(result.epochs_done, params.epochs, "evaluating (analogies, WordSim-353, SimLex-999)")
        ev = run_eval(space)
        space = EmbeddingSpace(space.keys, space.vectors, space.meta, space.name,
                               {**space.info, "evaluation": ev.to_dict(max_failures=2000)})
    path = workspace.save(space, name) if save else None
    if path is not None and result.model_state is not None:
        save_state(path, result.model_state, space.fingerprint)
    return Trained(space, result, view.snapshots, ev, path)


def start(key: str, corpus: Corpus, params: Params, watch: list[str] | tuple[str, ...] = DEFAULT_WATCH,
          name: str = "my-space", evaluate: bool = True, save: bool = True,
          continue_from: EmbeddingSpace | None = None):
    """Submit :func:`run` as a background job under ``key`` (replacing a finished one); returns the Job."""
    if save:
        workspace.check_name(name)  # fail now, in the page, not inside the job
    check_trainable(corpus, params.window, params.min_count, params.max_vocab)
    return jobs.submit(key, run, corpus, params, list(watch), name, evaluate, save, 5, continue_from,
                       restart=True)
