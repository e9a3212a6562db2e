"""Bounds of every numeric parameter of the graph methods, in one place for the library, CLI and Graphs page.

Every estimator checks its parameters here before any work (:func:`check_params`), the evaluations check
their fractions and seeds here (:func:`check`), and the walk methods check their work and memory here
(:func:`check_walk_budget`), so a bad value fails the same way, with the same sentence, wherever it comes
from. Each bound carries the reason it is where it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from embedlab.errors import InvalidParameterError

MEMORY_BUDGET = 2 * 1024 ** 3  # bytes: walks held at once plus the two (nodes, dim) weight matrices
MAX_TOKENS = 2_000_000_000  # walk tokens skip-gram trains on (nodes × walks per node × length × epochs)


@dataclass(frozen=True)
class Bound:
    """The allowed range of one parameter, how people name it, and why it is what it is."""

    label: str
    low: float
    high: float
    why: str
    integer: bool = True
    open_ends: bool = False  # low and high themselves are not allowed

    def describe(self) -> str:
        if self.open_ends:
            return f"a number strictly between {self.low:g} and {self.high:g}"
        if self.integer:
            return f"a whole number from {self.low:,} to {self.high:,}"
        return f"a number from {self.low:g} to {self.high:g}"


_SEED = Bound("seed", 0, 2 ** 32 - 1, "numpy, torch and scikit-learn take 32-bit unsigned seeds.")
_DIM = Bound("dim", 2, 1024, "below 2 there is nothing to compare or draw; past 1,024 node vectors stop "
             "improving while memory (nodes × dim × 4 bytes, twice) and training time keep growing.")
_PQ_WHY = ("the walk divides by it, and 1/p and 1/q must stay ordinary floating-point numbers (not 0 or "
           "infinity); past 1e300 every value means the same (that step is never taken).")

WALK_BOUNDS = {
    "dim": _DIM,
    "walk_length": Bound("walk length", 2, 1000, "a walk needs two nodes to give a context; after a few "
                         "hundred steps a walk has forgotten where it started, so longer walks only add "
                         "tokens: use more walks per node instead."),
    "num_walks": Bound("walks per node", 1, 100_000, "10 walks per node are usual, and the work grows with "
                       "walks × length × nodes (bounded as a whole too: at most 2 billion tokens)."),
    "window": Bound("window", 1, 50, "nodes further apart along a walk than a few dozen steps are as good "
                    "as random; each unit of window costs 2 × (negatives + 1) updates per node, and the "
                    "window must also fit inside a walk (at most walk length - 1)."),
    "epochs": Bound("epochs", 1, 100, "skip-gram passes over the same walks stop helping after a few dozen "
                    "(the automatic choice is at most 50); use more walks per node instead."),
    "negative": Bound("negative samples", 1, 20, "word2vec's advice is 5-20 per pair; more only slows "
                      "training."),
    "workers": Bound("workers", 1, 1024, "threads: one at least, and no machine here has more."),
    "p": Bound("p", 1e-300, 1e300, _PQ_WHY, integer=False),
    "q": Bound("q", 1e-300, 1e300, _PQ_WHY, integer=False),
    "random_state": _SEED,
}
SAGE_BOUNDS = {
    "dim": _DIM,
    "hidden": Bound("hidden width", 2, 1024, "the first layer's width; past 1,024 it only costs time."),
    "num_samples": Bound("neighbours sampled", 1, 100, "each layer's mean over sampled neighbours is already "
                         "close to the exact mean with a few dozen; a step costs batch × s1 × s2 rows."),
    "steps": Bound("steps", 1, 100_000, "optimiser steps; the automatic choice is about five passes over "
                   "the nodes (at least 200), and 100,000 steps are 100 passes over 256,000 nodes."),
    "batch_size": Bound("batch size", 1, 65_536, "nodes per optimiser step; a step's memory grows with "
                        "batch × sampled neighbours."),
    "lr": Bound("learning rate", 0.0, 1.0, "Adam's step size: above 1 training diverges.", integer=False,
                open_ends=True),
    "negative": Bound("negative samples", 1, 1000, "random nodes per batch pushed away from the batch."),
    "random_state": _SEED,
}
EVAL_BOUNDS = {
    "test_size": Bound("test size", 0.0, 1.0, "the held-out fraction of labelled nodes: some must be held "
                       "out and some left to train on.", integer=False, open_ends=True),
    "test_fraction": Bound("test fraction", 0.0, 1.0, "the fraction of edges hidden: some must be hidden "
                           "and some left to train on.", integer=False, open_ends=True),
    "seed": _SEED,
}


def check_value(bound: Bound, value) -> int | float:
    """``value`` as an int or float inside ``bound``; raises :class:`InvalidParameterError` otherwise."""
    def refuse(got) -> InvalidParameterError:
        return InvalidParameterError(f"{bound.label} must be {bound.describe()}; got {got}. Why: {bound.why}")

    if isinstance(value, bool):
        raise refuse(value)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise refuse(repr(value)) from None
    if not math.isfinite(number) or (bound.integer and not number.is_integer()):
        raise refuse(value)
    v = int(number) if bound.integer else number
    inside = bound.low < v < bound.high if bound.open_ends else bound.low <= v <= bound.high
    if not inside:
        raise refuse(value)
    return v


def check(name: str, value) -> int | float:
    """One evaluation parameter (``test_size``, ``test_fraction``, ``seed``) checked against its bound."""
    return check_value(EVAL_BOUNDS[name], value)


def check_params(method: str, **values) -> dict:
    """Every given parameter of ``method`` (``deepwalk``, ``node2vec``, ``graphsage``) checked; returns
    them with numbers normalised (``None`` means the default and is passed through).

    Names without a bound (``supervised``) pass through unchanged.
    """
    bounds = SAGE_BOUNDS if method == "graphsage" else WALK_BOUNDS
    out = dict(values)
    for name, value in values.items():
        if value is None or name not in bounds:
            continue
        if name == "num_samples":
            out[name] = tuple(check_value(bounds[name], v) for v in _pair(value))
        else:
            out[name] = check_value(bounds[name], value)
    length, window = out.get("walk_length"), out.get("window")
    if method != "graphsage" and length is not None and window is not None and window > length - 1:
        raise InvalidParameterError(
            f"window must be at most walk length - 1 = {length - 1}; got {window}. Why: a context "
            "window reaches along one walk only. Lower the window or make the walks longer.")
    return out


def _pair(value) -> tuple:
    try:
        pair = tuple(value)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise InvalidParameterError(f"neighbours sampled must be two whole numbers (layer 1, layer 2); got "
                                    f"{value!r}. Why: GraphSAGE samples neighbours at each of its two "
                                    "layers.")
    return pair


def walk_tokens(n_nodes: int, walk_length: int, num_walks: int, epochs: int) -> int:
    """Walk tokens skip-gram trains on in a run."""
    return n_nodes * walk_length * num_walks * epochs


def walk_memory(n_nodes: int, dim: int, walk_length: int, num_walks: int, keep_all: bool) -> int:
    """Bytes a walk method holds at once: one pass of walks (every pass when ``keep_all``: skip-gram makes
    more than one epoch over them), and the two ``(nodes, dim)`` float32 weight matrices."""
    passes = num_walks if keep_all else 1
    return 4 * n_nodes * walk_length * passes + 2 * 4 * n_nodes * dim


def check_walk_budget(n_nodes: int, dim: int, walk_length: int, num_walks: int, epochs: int,
                      keep_all: bool | None = None) -> None:
    """Refuse a walk run that would train on more than :data:`MAX_TOKENS` tokens (skip-gram manages a few
    hundred thousand a second and core: that is hours already) or hold more than :data:`MEMORY_BUDGET`
    bytes (``keep_all``: every pass of walks is kept; default: when ``epochs > 1``), saying what to lower."""
    tokens = walk_tokens(n_nodes, walk_length, num_walks, epochs)
    if tokens > MAX_TOKENS:
        raise InvalidParameterError(
            f"This run would train on {tokens:,} walk tokens ({n_nodes:,} nodes × {num_walks:,} walks per "
            f"node × {walk_length:,} steps × {epochs} epochs); the limit is {MAX_TOKENS:,} (skip-gram "
            "manages a few hundred thousand a second per core, so that is hours already). Lower the walks "
            "per node, the walk length or the epochs.")
    keep_all = epochs > 1 if keep_all is None else keep_all
    need = walk_memory(n_nodes, dim, walk_length, num_walks, keep_all)
    if need <= MEMORY_BUDGET:
        return
    kept = f" × {num_walks:,} walks per node, all kept" if keep_all else ""
    why = f" (with {epochs} epochs skip-gram passes over every walk again)" if epochs > 1 else ""
    raise InvalidParameterError(
        f"This run would hold {need / 1024 ** 3:.1f} GB (walks: {n_nodes:,} nodes × {walk_length:,} steps"
        f"{kept}{why} × 4 bytes" + (f", plus 2 × nodes × dim {dim} × 4 bytes" if dim else "")
        + f"); the limit is {MEMORY_BUDGET / 1024 ** 3:.0f} GB. Lower the walk length"
        + (", use 1 epoch" if epochs > 1 else ", the walks per node" if keep_all else "")
        + (" or the dimension." if dim else "."))
