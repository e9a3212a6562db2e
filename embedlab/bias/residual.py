"""Residual bias after debiasing (Gonen & Goldberg 2019, "Lipstick on a Pig").

Debiasing removes each word's component along the gender direction, but the words' *neighbourhoods*
barely move: words that used to lean male are still close to each other. Two checks:

* **Clustering**: take the most biased words of the ORIGINAL space (``n_per_side`` most male- and most
  female-leaning by cosine with ``he - she`` as in the paper, among the ``restrict`` most frequent words,
  gender-specific words excluded), cluster their DEBIASED vectors with k-means (k = 2) and report how
  well the clusters recover the original lean (accuracy, best of the two label assignments; 0.5 = no
  information left).
* **Neighbours**: for each of those words, the share of its ``k`` nearest neighbours (debiased space, same
  restricted vocabulary) that leaned male originally, correlated (Pearson) with the word's original bias.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from embedlab.bias.directions import Direction, gender_direction
from embedlab.bias.wordlists import definitional_pairs, equalize_pairs, gender_specific_words
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.linalg import pca_2d, top_k_rows
from embedlab.space import EmbeddingSpace


@dataclass
class BiasedWords:
    """Most biased words: ``frame`` has ``word``, ``row``, ``bias`` (cosine), ``lean`` (1 = positive end)."""

    frame: pd.DataFrame
    vocabulary_rows: np.ndarray
    vocabulary_bias: np.ndarray


def _default_exclude() -> list[str]:
    pairs = [w for p in definitional_pairs() + equalize_pairs() for w in p]
    return gender_specific_words() + pairs


def most_biased(space: EmbeddingSpace, direction: Direction, n_per_side: int = 500, restrict: int = 50_000,
                exclude: Sequence[str] | None = None) -> BiasedWords:
    """The ``n_per_side`` words leaning most to each end of ``direction`` in the first ``restrict`` rows."""
    if n_per_side < 2:
        raise InvalidParameterError(f"n_per_side must be at least 2; got {n_per_side}.")
    n = min(int(restrict), len(space))
    excl = {w.casefold() for w in (exclude if exclude is not None else _default_exclude())}
    rows = np.array([i for i in range(n) if space.keys[i].casefold() not in excl], dtype=np.int64)
    if len(rows) < 2 * n_per_side:
        raise EmptyInputError(
            f"{space.name} has {len(rows):,} candidate words in its first {n:,}; need {2 * n_per_side:,} for "
            f"{n_per_side} per side. Lower the number of words per side."
        )
    bias = space.normed[rows].astype(np.float64) @ direction.vector
    order = np.argsort(bias)
    pick = np.concatenate([order[-n_per_side:][::-1], order[:n_per_side]])
    frame = pd.DataFrame({"word": [space.keys[rows[i]] for i in pick], "row": rows[pick],
                          "bias": bias[pick].astype(np.float32),
                          "lean": np.r_[np.ones(n_per_side, int), np.zeros(n_per_side, int)]})
    return BiasedWords(frame, rows, bias)


@dataclass
class ClusterResult:
    """k-means (k=2) on debiased vectors of the most biased words: ``accuracy`` of recovering their lean."""

    accuracy: float
    frame: pd.DataFrame
    n_per_side: int
    restrict: int


def _kmeans_accuracy(x: np.ndarray, lean: np.ndarray, seed: int) -> tuple[float, np.ndarray]:
    from sklearn.cluster import KMeans

    labels = KMeans(n_clusters=2, n_init=10, random_state=seed).fit_predict(x)
    acc = float(np.mean(labels == lean))
    return max(acc, 1.0 - acc), labels


def _bias_direction(space: EmbeddingSpace, direction: Direction | None) -> Direction:
    return direction if direction is not None else gender_direction(space, "pair")


def cluster_residual(original: EmbeddingSpace, debiased: EmbeddingSpace, direction: Direction | None = None,
                     n_per_side: int = 500, restrict: int = 50_000, exclude: Sequence[str] | None = None,
                     seed: int = 0) -> ClusterResult:
    """Gonen & Goldberg's clustering check (they report ~92% accuracy for hard-debiased GloVe).

    ``direction`` defines the original bias of a word; default ``he - she`` as in the paper.
    """
    _check_same_keys(original, debiased)
    words = most_biased(original, _bias_direction(original, direction), n_per_side, restrict, exclude)
    f = words.frame.copy()
    x = np.asarray(debiased.normed[f["row"].to_numpy()], dtype=np.float64)
    acc, labels = _kmeans_accuracy(x, f["lean"].to_numpy(), seed)
    f["cluster"] = labels
    xy = pca_2d(x)
    f["pc1"], f["pc2"] = xy[:, 0], xy[:, 1]
    return ClusterResult(acc, f, n_per_side, min(restrict, len(original)))


def _check_same_keys(a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    if len(a) != len(b) or a.keys[:100] != b.keys[:100]:
        raise InvalidParameterError(
            f"{b.name} does not have the same words in the same order as {a.name}; compare a space with its "
            "own debiased copy."
        )


@dataclass
class NeighbourResult:
    """Pearson r between each word's original bias and the male-leaning share of its debiased neighbours."""

    correlation: float
    frame: pd.DataFrame
    k: int


def neighbour_bias(original: EmbeddingSpace, debiased: EmbeddingSpace, direction: Direction | None = None,
                   n_per_side: int = 500, k: int = 100, restrict: int = 50_000,
                   exclude: Sequence[str] | None = None, batch: int = 256) -> NeighbourResult:
    """Gonen & Goldberg's neighbour measure on the most biased words (k nearest, self excluded)."""
    _check_same_keys(original, debiased)
    if k < 1:
        raise InvalidParameterError(f"k must be at least 1; got {k}.")
    words = most_biased(original, _bias_direction(original, direction), n_per_side, restrict, exclude)
    vocab_rows, male = words.vocabulary_rows, words.vocabulary_bias > 0
    pool = np.asarray(debiased.normed[vocab_rows], dtype=np.float32)
    pos = {int(r): i for i, r in enumerate(vocab_rows)}
    qi = np.array([pos[int(r)] for r in words.frame["row"]], dtype=np.int64)
    k = min(k, len(vocab_rows) - 1)
    shares = np.empty(len(qi), dtype=np.float64)
    for start in range(0, len(qi), batch):
        q = qi[start:start + batch]
        sims = pool[q] @ pool.T
        sims[np.arange(len(q)), q] = -np.inf
        nn = top_k_rows(sims, k)
        shares[start:start + batch] = male[nn].mean(axis=1)
    f = words.frame.copy()
    f["male_neighbour_share"] = shares.astype(np.float32)
    r = float(np.corrcoef(f["bias"].to_numpy(np.float64), shares)[0, 1]) if shares.std() > 0 else 0.0
    return NeighbourResult(r, f, k)
