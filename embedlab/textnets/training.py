"""Training the small encoders: one loop for all four, with progress, a loss curve and Stop.

:func:`train_encoder` is what the CLI, the training script and (through :func:`start`) the Train page
call: it prepares the data (:mod:`embedlab.textnets.recipes`), trains with fixed seeds on CPU or CUDA,
records the mean loss every ``log_every`` steps, stops early (keeping what is trained) when ``should_stop``
says so, and saves the encoder in the workspace under ``name`` with its model card.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from embedlab import jobs
from embedlab.encoders.base import ENCODER_SPECS, resolve_device
from embedlab.encoders.saved import check_name
from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress, report
from embedlab.textnets.common import CPU_THREADS, PairClassifier, masked_mean, n_parameters, torch_threads
from embedlab.textnets.dan import DAN_DEFAULTS
from embedlab.textnets.data import Source, bundled_pairs
from embedlab.textnets.elmo import DEFAULTS as ELMO_DEFAULTS
from embedlab.textnets.recipes import OBJECTIVES, prepare
from embedlab.textnets.recurrent import INFERSENT_DEFAULTS, SKIP_DEFAULTS
from embedlab.textnets.store import save
from embedlab.textnets.vocab import words_of

KINDS = ("elmo", "skip-thought", "use-dan", "infersent")


@dataclass(frozen=True)
class TrainSettings:
    """How one encoder is trained. ``max_examples`` caps the examples per epoch (a seeded sample)."""

    kind: str
    epochs: int = 1
    batch_size: int = 64
    lr: float = 1e-3
    vocab_size: int = 20_000
    max_examples: int | None = None
    config: dict = field(default_factory=dict)
    seed: int = 0
    clip: float = 1.0
    log_every: int = 20
    mix_pairs: int = 3000  # ELMo: gloss pairs its scalar mix is learned on

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


#: The settings the shipped encoders were trained with (scripts/train_small_encoders.py).
FULL = {
    "elmo": TrainSettings("elmo", epochs=1, batch_size=64, lr=2e-3, config=ELMO_DEFAULTS),
    "skip-thought": TrainSettings("skip-thought", epochs=1, batch_size=64, lr=2e-3, config=SKIP_DEFAULTS),
    "use-dan": TrainSettings("use-dan", epochs=3, batch_size=256, lr=2e-3, config=DAN_DEFAULTS),
    "infersent": TrainSettings("infersent", epochs=4, batch_size=64, lr=1e-3, vocab_size=40_000,
                               config={k: v for k, v in INFERSENT_DEFAULTS.items() if k != "labels"}),
}
#: ``--quick``: about a minute each on a laptop core, for a class.
QUICK = {
    "elmo": TrainSettings("elmo", batch_size=32, lr=3e-3, vocab_size=5000, max_examples=4000, mix_pairs=600,
                          config={**ELMO_DEFAULTS, "hidden": 128, "dim": 64}, log_every=5),
    "skip-thought": TrainSettings("skip-thought", batch_size=32, lr=3e-3, vocab_size=5000, max_examples=4000,
                                  config={"emb": 64, "hidden": 128}, log_every=5),
    "use-dan": TrainSettings("use-dan", batch_size=128, lr=3e-3, vocab_size=10_000, max_examples=50_000,
                             config=DAN_DEFAULTS, log_every=5),
    "infersent": TrainSettings("infersent", batch_size=32, lr=2e-3, vocab_size=20_000, max_examples=8000,
                               config={"emb": 50, "hidden": 128, "mlp": 128}, log_every=5),
}


def settings_for(kind: str, quick: bool = False, epochs: int | None = None, **changes: Any) -> TrainSettings:
    """The full (or ``quick``) settings of ``kind``, with ``epochs`` and any field changed."""
    if kind not in FULL:
        raise InvalidParameterError(f"Unknown encoder kind {kind!r}; use one of {', '.join(KINDS)}.")
    s = (QUICK if quick else FULL)[kind]
    if epochs is not None:
        if int(epochs) < 1:
            raise InvalidParameterError(f"epochs must be at least 1; got {epochs}.")
        changes["epochs"] = int(epochs)
    return dataclasses.replace(s, **{k: v for k, v in changes.items() if v is not None})


@dataclass
class LossPoint:
    """The mean training loss over the ``log_every`` steps up to ``step``."""

    step: int
    epoch: int
    loss: float
    seconds: float


@dataclass
class TrainedEncoder:
    """A trained (or stopped) encoder: the network, its loss curve, its card and where it was saved."""

    kind: str
    net: Any
    losses: list[LossPoint]
    card: dict
    stopped: bool = False
    path: Path | None = None
    notes: list[str] = field(default_factory=list)


def _seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _epoch_batches(examples: list, settings: TrainSettings, rng: random.Random) -> list[list]:
    """A seeded sample (``max_examples``), cut into batches of similar length (less padding)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if settings.max_examples:
        order = order[: settings.max_examples]
    size = settings.batch_size
    chunk = size * 50  # sort by length inside chunks of 50 batches, then shuffle the batches
    batches = []
    for a in range(0, len(order), chunk):
        part = sorted(order[a:a + chunk], key=lambda i: _length(examples[i]))
        batches += [[examples[i] for i in part[b:b + size]] for b in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def _length(example) -> int:
    if isinstance(example, list):
        return len(example)
    return sum(len(x) for x in example if isinstance(x, list))


def fit(net, examples: list, make_batch: Callable, settings: TrainSettings, progress: Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
        on_loss: Callable[[list[LossPoint]], None] | None = None, parameters=None
        ) -> tuple[list[LossPoint], bool]:
    """Adam over ``settings.epochs`` epochs of shuffled batches; ``(loss curve, stopped early)``."""
    import torch

    rng = random.Random(settings.seed)
    params = [p for p in (parameters if parameters is not None else net.parameters()) if p.requires_grad]
    opt = torch.optim.Adam(params, lr=settings.lr)
    plan = [_epoch_batches(examples, settings, rng) for _ in range(settings.epochs)]
    total = sum(len(p) for p in plan)
    losses: list[LossPoint] = []
    window: list[float] = []
    start, step = time.perf_counter(), 0
    net.train()
    for epoch, batches in enumerate(plan, 1):
        for ex in batches:
            if should_stop is not None and should_stop():
                net.eval()
                return losses, True
            loss = net.loss(make_batch(ex, rng))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, settings.clip)
            opt.step()
            step += 1
            window.append(float(loss.detach()))
            if len(window) == settings.log_every or step == total:
                losses.append(LossPoint(step, epoch, sum(window) / len(window),
                                        round(time.perf_counter() - start, 2)))
                window = []
                if on_loss is not None:
                    on_loss(losses)
                report(progress, step, total, f"epoch {epoch}/{settings.epochs} · step {step:,}/{total:,} · "
                                              f"loss {losses[-1].loss:.3f}")
    net.eval()
    return losses, False


def learn_scalar_mix(net, settings: TrainSettings, device: str, progress: Progress | None = None,
                     should_stop: Callable[[], bool] | None = None) -> list[LossPoint]:
    """ELMo's task-specific scalar mix, learned with the language model frozen: the mix weights, gamma and
    a pair classifier on mean-pooled mixed vectors, trained on ``settings.mix_pairs`` WordNet gloss pairs."""
    import torch


    pairs = bundled_pairs()
    rng = random.Random(settings.seed)
    order = rng.sample(range(len(pairs)), min(settings.mix_pairs, len(pairs)))
    examples = [(words_of(pairs.premises[i]), words_of(pairs.hypotheses[i]), pairs.labels[i]) for i in order]
    examples = [e for e in examples if e[0] and e[1]]
    head = PairClassifier(net.dim, len(pairs.label_names), 64).to(device)

    class MixTask(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.head = head

        def loss(self, batch):
            with torch.no_grad():
                la = net.layers(batch["a"]["chars"], batch["a"]["lengths"])
                lb = net.layers(batch["b"]["chars"], batch["b"]["lengths"])
            u = masked_mean(net.mixed(la), batch["a"]["lengths"])
            v = masked_mean(net.mixed(lb), batch["b"]["lengths"])
            return torch.nn.functional.cross_entropy(self.head(u, v), batch["y"])

    def batch(ex, _rng):
        return {"a": net.tensors([a for a, _, _ in ex], device),
                "b": net.tensors([b for _, b, _ in ex], device),
                "y": torch.tensor([y for *_, y in ex], dtype=torch.long, device=device)}

    task = MixTask()
    mix_settings = dataclasses.replace(settings, epochs=1, batch_size=32, lr=3e-2, max_examples=None,
                                       log_every=max(1, settings.log_every // 2))
    losses, _ = fit(task, examples, batch, mix_settings, progress, should_stop,
                    parameters=[net.mix, net.gamma, *head.parameters()])
    net.eval()
    return losses


def machine(device: str = "cpu") -> str:
    """Where training ran, in words (``"CPU, 2 cores (x86_64), 1 torch threads"`` or the CUDA device)."""
    import torch

    if device != "cpu":
        return f"CUDA: {torch.cuda.get_device_name(torch.device(device))}"
    return f"CPU, {os.cpu_count()} cores ({platform.machine()}), {torch.get_num_threads()} torch threads"


def train_encoder(kind: str, source: Source = "default", name: str | None = None,
                  settings: TrainSettings | None = None, device: str = "auto",
                  progress: Progress | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  on_loss: Callable[[list[LossPoint]], None] | None = None, threads: int | None = CPU_THREADS
                  ) -> TrainedEncoder:
    """Train ``kind`` (``elmo``, ``skip-thought``, ``use-dan``, ``infersent``) on ``source`` and save it.

    Parameters
    ----------
    source : ``"default"``, ``"sample"``, text files / folders, or uploaded ``(name, bytes)`` pairs
        (InferSent: ``"default"`` for the bundled WordNet gloss pairs, or an NLI CSV
        ``premise,hypothesis,label``, a path or one upload).
    name : save under this name in the workspace (``None``: do not save).
    settings : :func:`settings_for` (default: the full settings of ``kind``).
    should_stop : asked before every step; True ends training early, keeping (and saving) what is trained.
    on_loss : called with the loss curve so far each time a point is added.
    threads : torch threads on CPU (default 1: fastest on a shared machine; ``None``: torch's setting).

    Raises
    ------
    EmptyInputError, CorpusTooSmallError, FormatError, EncodingError, InvalidParameterError
        Bad input, said in words before any training.
    """
    settings = settings or settings_for(kind)
    if settings.kind != kind:
        raise InvalidParameterError(f"Settings for {settings.kind!r} given to train {kind!r}.")
    if name is not None:
        check_name(name, ENCODER_SPECS)  # before any work
    dev = resolve_device(device)
    with torch_threads(threads if dev == "cpu" else None):
        return _train(kind, source, name, settings, dev, progress, should_stop, on_loss)


def _train(kind: str, source: Source, name: str | None, settings: TrainSettings, dev: str,
           progress: Progress | None, should_stop: Callable[[], bool] | None,
           on_loss: Callable[[list[LossPoint]], None] | None) -> TrainedEncoder:
    _seed(settings.seed)
    report(progress, 0, 1, "reading the corpus")
    prep = prepare(kind, source, settings, dev)
    net = prep.net.to(dev)
    started = time.perf_counter()
    losses, stopped = fit(net, prep.examples, prep.batch, settings, progress, should_stop, on_loss)
    mix_losses = []
    if kind == "elmo" and not stopped:
        report(progress, 0, 1, "learning the scalar mix (language model frozen)")
        mix_losses = learn_scalar_mix(net, settings, dev, progress, should_stop)
    seconds = time.perf_counter() - started
    card = {"kind": kind, "objective": OBJECTIVES[kind], "data": prep.data, "data_words": prep.n_words,
            "parameters": n_parameters(net),
            "trainable_parameters": int(sum(p.numel() for p in net.parameters() if p.requires_grad)),
            "dim": int(net.dim), "architecture": net.config, "settings": settings.as_dict(),
            "training_seconds": round(seconds, 1), "machine": machine(dev), "device": dev,
            "stopped_early": stopped, "loss_curve": [dataclasses.asdict(p) for p in losses],
            "trained_at": time.strftime("%Y-%m-%d %H:%M:%S"), "notes": prep.notes[:20], **prep.extra}
    if mix_losses:
        card["scalar_mix"] = {"weights": [round(float(w), 4) for w in net.mix.softmax(0).detach().cpu()],
                              "gamma": round(float(net.gamma.detach().cpu()), 4),
                              "loss_curve": [dataclasses.asdict(p) for p in mix_losses]}
    path = None
    if name is not None:
        path = save(net.cpu(), name, {**card, "name": name})
    return TrainedEncoder(kind, net, losses, card, stopped, path, prep.notes)


@dataclass
class TrainingView:
    """What a running training job publishes: the loss curve so far."""

    kind: str
    name: str
    losses: list[LossPoint]


def run(ctx, kind: str, source: Source, name: str, settings: TrainSettings, device: str = "auto"
        ) -> TrainedEncoder:
    """The job body (``ctx``: :class:`embedlab.jobs.JobContext`): Stop ends training after the current step,
    and what was trained is saved as ``name`` all the same."""
    def on_loss(losses: list[LossPoint]) -> None:
        ctx.publish(TrainingView(kind, name, list(losses)))

    return train_encoder(kind, source, name, settings, device, progress=ctx.report,
                         should_stop=lambda: ctx.cancelled, on_loss=on_loss)


def start(key: str, kind: str, source: Source = "default", name: str = "my-encoder",
          epochs: int | None = None, quick: bool = False, device: str = "auto"):
    """Train in the background (:mod:`embedlab.jobs`) under ``key``; returns the Job.

    The job publishes a :class:`TrainingView` at every loss point and reports progress; ``job.cancel()``
    (Stop) keeps what is trained: the job ends ``cancelled`` with its :class:`TrainedEncoder` as result,
    saved like a finished one. A bad name or kind is refused here, before the job starts.
    """
    check_name(name, ENCODER_SPECS)
    settings = settings_for(kind, quick, epochs)
    return jobs.submit(key, run, kind, source, name, settings, resolve_device(device), restart=True)
