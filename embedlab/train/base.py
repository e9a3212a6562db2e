"""Types shared by the trainers: what an epoch reports and what training returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedlab.progress import Progress  # noqa: F401  (re-exported: older code imports it from here)
from embedlab.space import EmbeddingSpace


@dataclass
class EpochState:
    """Handed to ``on_epoch`` after each epoch.

    Attributes
    ----------
    epoch, epochs : int
        1-based epoch just finished, and the planned number.
    loss : float
        This epoch's training loss (word2vec: gensim's summed negative-sampling loss for the epoch;
        GloVe: mean weighted squared error per non-zero co-occurrence).
    seconds : float
        Wall time of this epoch.
    tokens_per_s : float
        Corpus tokens processed per second in this epoch.
    words : list of str
        The vocabulary, most frequent first.
    vectors : ndarray
        A copy of the current vectors (one row per word).
    """

    epoch: int
    epochs: int
    loss: float
    seconds: float
    tokens_per_s: float
    words: list[str]
    vectors: np.ndarray


# return True to stop training after this epoch (what was learned so far is kept)
EpochHook = Callable[[EpochState], bool]


@dataclass
class TrainResult:
    """Trained vectors plus the record of how training went."""

    method: str
    words: list[str]
    counts: list[int]
    vectors: np.ndarray
    params: dict
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    epochs_done: int = 0
    stopped: bool = False
    extra: dict = field(default_factory=dict)
    # what continuing training needs (embedlab.train.continued.Word2VecState); saved beside the space
    model_state: Any = field(default=None, repr=False)

    def to_space(self, name: str, info: dict | None = None) -> EmbeddingSpace:
        """The result as an :class:`EmbeddingSpace` (frequency order; ``count`` and ``rank`` metadata)."""
        import pandas as pd

        meta = pd.DataFrame({"rank": np.arange(1, len(self.words) + 1, dtype=np.int32),
                             "count": np.asarray(self.counts, dtype=np.int64)})
        base = {"kind": "trained", "method": self.method, "params": self.params,
                "training_seconds": round(self.seconds, 2), "epochs_done": self.epochs_done,
                "stopped_early": self.stopped, "losses": [float(x) for x in self.losses], **self.extra}
        return EmbeddingSpace(self.words, self.vectors, meta, name=name, info={**base, **(info or {})})
