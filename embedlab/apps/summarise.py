"""Extractive summaries: the sentences closest to the document's centroid, redundancy removed by MMR.

Maximal Marginal Relevance (Carbonell & Goldstein 1998) picks, one at a time, the sentence maximising
``lam * cos(s, centroid) - (1 - lam) * max cos(s, already picked)``: central, but unlike what is already in
the summary. With ``lam = 1`` it is the plain centroid ranking and a repeated sentence is picked twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embedlab.apps.data import split_sentences
from embedlab.apps.features import sentence_vectors
from embedlab.errors import EmptyInputError, InputTooLargeError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.uploads import require_text

MAX_SENTENCES = 2_000


def mmr(vectors: np.ndarray, k: int, lam: float = 0.7) -> tuple[list[int], np.ndarray]:
    """Indices of ``k`` rows picked by MMR against their centroid, and every row's centroid similarity."""
    if not 0.0 <= lam <= 1.0:
        raise InvalidParameterError(f"The relevance weight must be between 0 and 1; got {lam}.")
    x = normalize_rows(np.asarray(vectors, dtype=np.float32))
    c = x.mean(axis=0)
    rel = x @ (c / (np.linalg.norm(c) or 1.0))
    sims = x @ x.T
    picked: list[int] = []
    k = min(int(k), len(x))
    while len(picked) < k:
        red = sims[:, picked].max(axis=1) if picked else np.zeros(len(x))
        score = lam * rel - (1 - lam) * red
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked, rel


@dataclass
class Summary:
    """All sentences in document order, which are in the summary (and their pick order), and relevance."""

    sentences: list[str]
    picked: list[int]
    relevance: np.ndarray

    @property
    def text(self) -> str:
        """The summary: picked sentences in document order."""
        return " ".join(self.sentences[i] for i in sorted(self.picked))

    def to_frame(self):
        """One row per sentence in document order: ``sentence``, ``in_summary``, ``pick`` (1 = first)."""
        import pandas as pd

        order = {i: r + 1 for r, i in enumerate(self.picked)}
        return pd.DataFrame(
            {
                "sentence": self.sentences,
                "in_summary": [i in order for i in range(len(self.sentences))],
                "pick": [order.get(i) for i in range(len(self.sentences))],
                "centrality": self.relevance.astype(float),
            }
        )


def summarise(
    text: str | Sequence[str],
    k: int = 3,
    lam: float = 0.7,
    encoder: str | None = None,
    vectors: np.ndarray | None = None,
    source: str = "The text to summarise",
) -> Summary:
    """Extractive summary of ``text`` (a string, split into sentences, or a list of sentences).

    ``vectors`` (one row per sentence) skips encoding; otherwise sentence vectors come from ``encoder``
    (default MiniLM, cached on disk). Binary data decoded as text is refused (:func:`require_text`;
    ``source``, e.g. the file name, goes into the message).
    """
    require_text(text if isinstance(text, str) else "\n".join(text), source)
    sents = split_sentences(text) if isinstance(text, str) else [" ".join(s.split()) for s in text]
    sents = [s for s in sents if s]
    if not sents:
        raise EmptyInputError("The text has no sentences; paste a paragraph or more.")
    if len(sents) > MAX_SENTENCES:
        raise InputTooLargeError(
            f"The text has {len(sents):,} sentences; the limit is {MAX_SENTENCES:,}. Summarise a part of it."
        )
    if int(k) < 1:
        raise InvalidParameterError(f"The summary needs at least 1 sentence; got {k}.")
    vecs = vectors if vectors is not None else sentence_vectors(sents, encoder)
    if len(vecs) != len(sents):
        raise InvalidParameterError(f"{len(vecs)} vectors for {len(sents)} sentences.")
    picked, rel = mmr(vecs, k, lam)
    return Summary(sents, picked, rel)
